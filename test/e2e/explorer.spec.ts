import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gql } from "graphql-request";
import { ConfigError } from "../../src/config";
import { explorerEnabled } from "../../src/api/explorer/explorer";
import { launchChromium, LaunchedChromium } from "../../src/report/browser/chromium";
import { createWorld, startTestApp, TestApp, World } from "../support/test-app";

/**
 * The offline API explorer: GET /graphql from a browser serves GraphiQL from this server's own
 * files. A real headless Chromium opens it with every request to another host blocked and
 * recorded, runs the example query with a token typed into the headers editor and sees the data,
 * then receives a complaint registered by another client through a subscription.
 * `npm run docs:explorer` sets QLOOP_EXPLORER_SCREENSHOT to write docs/explorer.png.
 */

const BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

describe("the API explorer", () => {
  let app: TestApp;
  let w: World;
  let customerId: string;

  beforeAll(async () => {
    app = await startTestApp();
    w = await createWorld(app);
    const customer = await w.agent.client.request<{ createCustomer: { id: string } }>(
      gql`mutation { createCustomer(input: { name: "钱女士" }) { id } }`,
    );
    customerId = customer.createCustomer.id;
    await w.agent.client.request(
      gql`mutation($input: RegisterComplaintInput!) { registerComplaint(input: $input) { id } }`,
      {
        input: {
          customerId: customer.createCustomer.id,
          channel: "APP",
          scores: [{ dimension: "overall", score: 2 }],
          title: "投诉：配件到货慢",
        },
      },
    );
  });
  afterAll(() => app?.stop());

  it("serves the page to a browser, with a policy that forbids other origins", async () => {
    const response = await fetch(app.url, { headers: { accept: BROWSER_ACCEPT } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const policy = response.headers.get("content-security-policy") ?? "";
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self';");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).not.toMatch(/https?:|\*/);
    const html = await response.text();
    expect(html).not.toMatch(/<script>|https?:\/\//);
    const assets = [...html.matchAll(/(?:src|href)="(\/graphql\/explorer\/[^"]+)"/g)].map((match) => match[1]);
    expect(assets.sort()).toEqual(
      ["explorer.css", "explorer.js", "graphiql.css", "graphiql.js", "graphql-ws.js", "react-dom.js", "react.js"].map((name) => `/graphql/explorer/${name}`),
    );
    for (const asset of assets) {
      const file = await fetch(new URL(asset, app.url));
      expect([asset, file.status, file.headers.get("content-type")?.split(";")[0]]).toEqual([
        asset,
        200,
        asset.endsWith(".css") ? "text/css" : "text/javascript",
      ]);
    }
  });

  it("leaves API clients alone: a JSON GET without a query is GraphQL's, and POST runs queries", async () => {
    const get = await fetch(app.url, { headers: { accept: "application/json" } });
    expect(get.headers.get("content-type")).not.toMatch(/text\/html/);
    expect(get.status).toBe(400);
    const me = await w.quality.client.request<{ me: { name: string } }>(gql`{ me { name } }`);
    expect(me.me.name).toBe("Quality");
  });

  describe("in headless Chromium", () => {
    let chromium: LaunchedChromium;
    beforeAll(async () => {
      chromium = await launchChromium();
    }, 60_000);
    afterAll(() => chromium?.close());

    it("loads without any request leaving localhost, runs the example query and a subscription", async () => {
      const outside: string[] = [];
      await chromium.context.route("**/*", async (route) => {
        const { hostname, protocol } = new URL(route.request().url());
        if (protocol === "data:" || hostname === "localhost" || hostname === "127.0.0.1") return route.continue();
        outside.push(route.request().url());
        return route.abort();
      });
      const page = await chromium.context.newPage();
      await page.setViewportSize({ width: 1400, height: 860 });
      const problems: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(message.text());
      });
      page.on("pageerror", (error) => problems.push(error.message));

      const response = await page.goto(app.url, { waitUntil: "load" });
      expect(response?.status()).toBe(200);
      await page.waitForSelector(".graphiql-container .graphiql-query-editor .CodeMirror", { timeout: 30_000 });
      expect(await page.locator(".graphiql-query-editor").innerText()).toContain("query MyIssues");

      // The token goes into the headers editor, as the page's first tab tells a user to do.
      const headers = page.locator(".graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror");
      await headers.click();
      await page.keyboard.press("Control+A");
      await page.keyboard.press("Delete");
      await page.keyboard.type(`{"Authorization": "Bearer ${w.quality.token}"}`);

      const result = page.locator(".result-window");
      await page.locator(".graphiql-execute-button").click();
      await result.getByText("投诉：配件到货慢").waitFor({ timeout: 30_000 });
      const shown = await result.innerText();
      expect(shown).toContain('"name": "Quality"');
      expect(shown).toContain('"totalCount": 1');
      expect(shown).toContain('"state": "intake"');
      expect(shown).not.toContain("UNAUTHENTICATED");

      const screenshot = process.env.QLOOP_EXPLORER_SCREENSHOT
        ? path.resolve(process.env.QLOOP_EXPLORER_SCREENSHOT)
        : path.join(fs.mkdtempSync(path.join(os.tmpdir(), "qloop-explorer-")), "explorer.png");
      await page.screenshot({ path: screenshot });
      const png = fs.readFileSync(screenshot);
      expect(png.subarray(1, 4).toString()).toBe("PNG");
      if (!process.env.QLOOP_EXPLORER_SCREENSHOT) fs.rmSync(path.dirname(screenshot), { recursive: true, force: true });

      // A subscription runs over the same path (graphql-ws), authorised by the same headers: a
      // complaint registered by another client shows up in the result pane.
      await page.locator(".graphiql-query-editor .CodeMirror").click();
      await page.keyboard.press("Control+A");
      await page.keyboard.press("Delete");
      await page.keyboard.type("subscription Inbox { complaintRegistered { title state } }");
      // GraphiQL re-reads the document (and its operation name) after a short debounce.
      await page.waitForTimeout(1000);
      await page.locator(".graphiql-execute-button").click();
      // The subscription is live once the execute button turns into a stop button.
      await page.locator(".graphiql-execute-button[aria-label*='Stop' i]").waitFor({ timeout: 10_000 });
      await w.agent.client.request(gql`mutation($input: RegisterComplaintInput!) { registerComplaint(input: $input) { id } }`, {
        input: { customerId, channel: "PHONE", scores: [{ dimension: "overall", score: 1 }], title: "投诉：电话一直占线" },
      });
      await result.getByText("投诉：电话一直占线").waitFor({ timeout: 15_000 });
      await page.locator(".graphiql-execute-button").click();

      expect(outside).toEqual([]);
      expect(problems).toEqual([]);
      await page.close();
    });
  });
});

describe("the API explorer in production mode", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ limits: { mode: "production" } });
  });
  afterAll(() => app?.stop());

  it("is not served, and says how to turn it on", async () => {
    const page = await fetch(app.url, { headers: { accept: BROWSER_ACCEPT } });
    expect(page.status).toBe(404);
    expect(await page.text()).toContain("QLOOP_EXPLORER=on");
    const asset = await fetch(new URL("/graphql/explorer/graphiql.js", app.url));
    expect(asset.headers.get("content-type")).not.toMatch(/javascript/);
  });
});

describe("explorerEnabled", () => {
  it("is on in development and off in production unless QLOOP_EXPLORER says otherwise", () => {
    expect(explorerEnabled("development", {})).toBe(true);
    expect(explorerEnabled("production", {})).toBe(false);
    expect(explorerEnabled("production", { QLOOP_EXPLORER: "on" })).toBe(true);
    expect(explorerEnabled("development", { QLOOP_EXPLORER: "OFF" })).toBe(false);
  });

  it("rejects any other QLOOP_EXPLORER value, naming the variable", () => {
    let error: unknown;
    try {
      explorerEnabled("development", { QLOOP_EXPLORER: "yes" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe("QLOOP_EXPLORER");
  });
});
