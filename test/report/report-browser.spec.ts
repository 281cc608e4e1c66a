import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DEMO_MONTH, DEMO_REPORT_TIME, seedDemo } from "../../src/demo/demo-data";
import { launchChromium, LaunchedChromium } from "../../src/report/browser/chromium";
import { startTestApp, TestApp } from "../support/test-app";

/**
 * The monthly report of the demo data set, fetched over HTTP with a bearer token by a real
 * headless Chromium: the page loads without a console error or a network request of its own,
 * every chart is rendered as SVG with a size, and a full-page screenshot is taken.
 */
describe("the monthly report in a browser", () => {
  let app: TestApp;
  let chromium: LaunchedChromium;
  let token: string;

  beforeAll(async () => {
    app = await startTestApp();
    await seedDemo(app.dataSource);
    // The demo installs its own clock on the data source; the server's reads the same instant.
    app.clock.set(DEMO_REPORT_TIME);
    const reader = await app.services.directory.createUser({
      name: "Reader",
      email: "reader@example.test",
      roles: ["OPERATIONS_MANAGER"],
      departmentId: null,
    });
    token = await app.services.auth.issueToken(reader.id, "browser test");
    chromium = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await chromium?.close();
    await app?.stop();
  });

  it("renders every chart without console errors and takes a screenshot", async () => {
    const page = await chromium.context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
    page.on("request", (request) => requests.push(request.url()));
    await page.setExtraHTTPHeaders({ authorization: `Bearer ${token}` });
    const url = app.url.replace(/\/graphql$/, `/reports/monthly?period=${DEMO_MONTH}`);
    const response = await page.goto(url, { waitUntil: "load" });
    expect(response?.status()).toBe(200);

    expect(await page.title()).toBe(`月度评审报告 ${DEMO_MONTH}`);
    const charts = await page.$$eval("svg[data-chart]", (svgs) =>
      svgs.map((svg) => {
        const box = svg.getBoundingClientRect();
        return { kind: svg.getAttribute("data-chart"), width: box.width, height: box.height, shapes: svg.querySelectorAll("rect, circle, polyline, line, path").length };
      }),
    );
    const kinds = new Set(charts.map((chart) => chart.kind));
    for (const kind of ["line-trend", "distribution", "pareto", "quadrant", "before-after", "progress", "fishbone"]) {
      expect([kind, kinds.has(kind)]).toEqual([kind, true]);
    }
    // The demo has 5 open issues (one fishbone each) and shows no empty chart.
    expect(charts.filter((chart) => chart.kind === "fishbone")).toHaveLength(5);
    for (const chart of charts) {
      expect(chart.width).toBeGreaterThan(100);
      expect(chart.height).toBeGreaterThan(50);
      expect(chart.shapes).toBeGreaterThan(3);
    }
    // The demo's hand-set verification: responsiveness 3.20 → 4.10 passed; waiting share 15 → 13 failed.
    const verifications = await page.$$eval("g.before-after", (rows) =>
      rows.map((row) => [row.getAttribute("data-before"), row.getAttribute("data-after"), row.getAttribute("data-passed")]),
    );
    expect(verifications).toEqual([
      ["3.20", "4.10", "true"],
      ["15.00", "13.00", "false"],
    ]);

    const screenshot = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "qloop-shot-")), "monthly.png");
    await page.screenshot({ path: screenshot, fullPage: true });
    const png = fs.readFileSync(screenshot);
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    // Full page: at least as tall as the document (PNG height is bytes 20–23 of the IHDR chunk).
    expect(png.readUInt32BE(20)).toBeGreaterThan(3000);
    fs.rmSync(path.dirname(screenshot), { recursive: true, force: true });

    expect(problems).toEqual([]);
    // The page fetched itself and nothing else.
    expect(requests).toEqual([url]);
  });
});
