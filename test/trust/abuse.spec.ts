import http from "node:http";
import { LimitsConfig, limitsFromEnv, parseServerMode } from "../../src/api/limits";
import { inTransaction } from "../../src/db/transaction";
import { Issue } from "../../src/entity";
import { RunningServer, startServer } from "../../src/server";
import { createWorld, startTestApp, TestApp, World } from "../support/test-app";
import { usingMysql } from "../support/test-database";

/**
 * Hostile requests are refused with a code before anything runs: no token lookup, no resolver,
 * no SQL. Every request here carries a valid bearer token, so a refusal that came after the
 * GraphQL context was built would show up as statements.
 */
describe("abuse limits", () => {
  let app: TestApp;
  let w: World;
  const extraServers: RunningServer[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    w = await createWorld(app);
  });
  afterAll(async () => {
    for (const server of extraServers) await server.stop();
    await app.stop();
  });

  /** Another server on the same database (so `app.statements` sees its SQL) with other limits. */
  async function serverWith(limits: Partial<LimitsConfig>): Promise<string> {
    const server = await startServer({ dataSource: app.dataSource, port: 0, host: "127.0.0.1", limits });
    extraServers.push(server);
    return server.url;
  }

  interface Answer {
    status: number;
    headers: Headers;
    body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  }

  async function post(body: unknown, options: { url?: string; token?: string | null; headers?: Record<string, string> } = {}): Promise<Answer> {
    const token = options.token === undefined ? w.quality.token : options.token;
    const response = await fetch(options.url ?? app.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...options.headers,
      },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Answer["body"] };
  }

  /** Sends `body` with the statement log cleared and returns the answer and the SQL it caused. */
  async function counted(send: () => Promise<Answer>): Promise<{ answer: Answer; sql: string[] }> {
    app.statements.length = 0;
    const answer = await send();
    return { answer, sql: [...app.statements] };
  }

  function codeOf(answer: Answer): unknown {
    return answer.body.errors?.[0]?.extensions?.code;
  }

  async function expectRefused(send: () => Promise<Answer>, status: number, code: string): Promise<Answer> {
    const { answer, sql } = await counted(send);
    expect({ status: answer.status, code: codeOf(answer) }).toEqual({ status, code });
    expect(answer.body.data).toBeUndefined();
    expect(sql).toEqual([]);
    return answer;
  }

  it("answers an ordinary authenticated nested query (the limits leave real work alone)", async () => {
    const { answer, sql } = await counted(() =>
      post({ query: "{ me { name } issues(first: 2) { nodes { causes { actionItems { progressUpdates { id } } } } } }" }),
    );
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data).toMatchObject({ me: { name: "Quality" } });
    expect(sql.length).toBeGreaterThan(0);
  });

  it("answers a forged bearer token with 401 UNAUTHENTICATED, not a server error", async () => {
    const answer = await post({ query: "{ me { id } }" }, { token: "qlp_forged" });
    expect({ status: answer.status, code: codeOf(answer) }).toEqual({ status: 401, code: "UNAUTHENTICATED" });
    expect(answer.body.errors?.[0].extensions).toEqual({ code: "UNAUTHENTICATED" });
  });

  it("refuses deep nesting with QUERY_TOO_DEEP", async () => {
    const chain = "parent { ".repeat(40) + "id" + " }".repeat(40);
    const answer = await expectRefused(() => post({ query: `{ issue(id: "1") { causes { ${chain} } } }` }), 400, "QUERY_TOO_DEEP");
    expect(answer.body.errors?.[0].message).toMatch(/depth/i);
  });

  it("refuses 1,000 aliases with TOO_MANY_ALIASES", async () => {
    const aliases = Array.from({ length: 1000 }, (_, i) => `a${i}: __typename`).join(" ");
    await expectRefused(() => post({ query: `{ ${aliases} }` }), 400, "TOO_MANY_ALIASES");
  });

  it("refuses too many directives with TOO_MANY_DIRECTIVES", async () => {
    const fields = Array.from({ length: 25 }, (_, i) => `d${i}: __typename @include(if: true)`).join(" ");
    await expectRefused(() => post({ query: `{ ${fields} }` }), 400, "TOO_MANY_DIRECTIVES");
  });

  it("refuses a 10,000-token document with TOO_MANY_TOKENS", async () => {
    await expectRefused(() => post({ query: `{ ${"__typename ".repeat(10_000)}}` }), 400, "TOO_MANY_TOKENS");
  });

  it("refuses first: 100000, first: 0 and a page size sent as a variable with PAGE_SIZE_OUT_OF_RANGE", async () => {
    const answer = await expectRefused(() => post({ query: "{ issues(first: 100000) { totalCount } }" }), 400, "PAGE_SIZE_OUT_OF_RANGE");
    expect(answer.body.errors?.[0].extensions).toMatchObject({ field: "first", min: 1, max: 100 });
    await expectRefused(() => post({ query: "{ feedbacks(first: 0) { totalCount } }" }), 400, "PAGE_SIZE_OUT_OF_RANGE");
    await expectRefused(
      () => post({ query: "query ($n: Int!) { users(first: $n) { totalCount } }", variables: { n: 101 } }),
      400,
      "PAGE_SIZE_OUT_OF_RANGE",
    );
  });

  it("refuses nested lists whose page sizes multiply past the node limit with NODE_LIMIT_EXCEEDED", async () => {
    const nested = (first: number) => `{ issues(first: ${first}) { nodes { causes { actionItems { progressUpdates { id } } } } } }`;
    // 100 issues + 100×10 causes + 100×10×10 actions + 100×10×10×10 updates (plain lists count 10 each).
    const answer = await expectRefused(() => post({ query: nested(100) }), 400, "NODE_LIMIT_EXCEEDED");
    expect(answer.body.errors?.[0].extensions).toMatchObject({ limit: 50_000, found: 111_100 });
    // The same shape with small pages is allowed: the page sizes are what multiply.
    const small = await post({ query: nested(4) });
    expect(small.body.errors).toBeUndefined();
  });

  it("counts nodes through fragments and variable defaults, so hiding the nesting does not help", async () => {
    const query = `
      query ($n: Int = 100) { issues(first: $n) { ...IssuePage } }
      fragment IssuePage on IssueConnection { nodes { causes { ...CauseActions } } }
      fragment CauseActions on Cause { actionItems { progressUpdates { id } } }`;
    const answer = await expectRefused(() => post({ query }), 400, "NODE_LIMIT_EXCEEDED");
    expect(answer.body.errors?.[0].extensions).toMatchObject({ found: 111_100 });
    const small = await post({ query, variables: { n: 4 } });
    expect(small.body.errors).toBeUndefined();
    // Each fragment spread twice per level: the count is computed once per fragment, not per path.
    const levels = Array.from({ length: 9 }, (_, i) => `fragment F${i} on Cause { children { ...F${i + 1} } parent { ...F${i + 1} } }`);
    const doubling = `{ issue(id: "1") { causes { ...F0 } } } ${levels.join(" ")} fragment F9 on Cause { id }`;
    await expectRefused(() => post({ query: doubling }), 400, "NODE_LIMIT_EXCEEDED");
  });

  it("refuses a 251-item input array in variables and in a literal with INPUT_ARRAY_TOO_LONG", async () => {
    const query = "query ($filter: FeedbackFilterInput) { feedbacks(filter: $filter) { totalCount } }";
    const flags = Array.from({ length: 251 }, () => "TICKET_MISMATCH");
    const answer = await expectRefused(() => post({ query, variables: { filter: { flags } } }), 400, "INPUT_ARRAY_TOO_LONG");
    expect(answer.body.errors?.[0].extensions).toMatchObject({ field: "variables.filter.flags", limit: 250 });
    const literal = `{ feedbacks(filter: { flags: [${flags.join(", ")}] }) { totalCount } }`;
    await expectRefused(() => post({ query: literal }), 400, "INPUT_ARRAY_TOO_LONG");
    // 250 items pass this limit and reach the field's own, tighter rule (at most 10 flags).
    const atLimit = await post({ query, variables: { filter: { flags: flags.slice(1) } } });
    expect(atLimit.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "flags" });
  });

  it("refuses a 5 MB body with 413 PAYLOAD_TOO_LARGE", async () => {
    const padding = "x".repeat(5 * 1024 * 1024);
    await expectRefused(() => post({ query: "{ __typename }", variables: { padding } }), 413, "PAYLOAD_TOO_LARGE");
  });

  it("refuses a batched array request with BATCHED_REQUESTS_DISABLED", async () => {
    await expectRefused(() => post([{ query: "{ me { id } }" }, { query: "{ me { id } }" }]), 400, "BATCHED_REQUESTS_DISABLED");
  });

  it("refuses a body that is not JSON with BAD_REQUEST and no stack trace", async () => {
    const answer = await expectRefused(() => post('{"query": "{ me { id } }"'), 400, "BAD_REQUEST");
    expect(JSON.stringify(answer.body)).not.toMatch(/\n\s+at |stacktrace|node_modules/);
  });

  it("refuses a cross-site simple request without a preflight header with CSRF_PREVENTED", async () => {
    const body = JSON.stringify({ query: "{ me { id } }" });
    await expectRefused(() => post(body, { headers: { "content-type": "text/plain" } }), 400, "CSRF_PREVENTED");
    await expectRefused(
      () => post("query=%7B%20me%20%7B%20id%20%7D%20%7D", { headers: { "content-type": "application/x-www-form-urlencoded" } }),
      400,
      "CSRF_PREVENTED",
    );
    const get = async (headers: Record<string, string>): Promise<Answer> => {
      const response = await fetch(`${app.url}?query=${encodeURIComponent("{ me { id } }")}`, {
        headers: { authorization: `Bearer ${w.quality.token}`, ...headers },
      });
      return { status: response.status, headers: response.headers, body: (await response.json()) as Answer["body"] };
    };
    await expectRefused(() => get({}), 400, "CSRF_PREVENTED");
    // The same GET with the header a browser cannot add cross-site without a preflight is served.
    const allowed = await get({ "apollo-require-preflight": "true" });
    expect(allowed.body).toEqual({ data: { me: { id: w.quality.id } } });
  });

  it("rate-limits per bearer token with 429 RATE_LIMITED and Retry-After, without touching the database", async () => {
    const url = await serverWith({ rateLimit: { windowMs: 60_000, limit: 3 } });
    for (let i = 0; i < 3; i++) {
      const answer = await post({ query: "{ me { id } }" }, { url });
      expect(answer.status).toBe(200);
    }
    const answer = await expectRefused(() => post({ query: "{ me { id } }" }, { url }), 429, "RATE_LIMITED");
    const retryAfter = Number(answer.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another caller has its own allowance.
    const other = await post({ query: "{ me { id } }" }, { url, token: w.agent.token });
    expect(other.body).toEqual({ data: { me: { id: w.agent.id } } });
  });

  it("rate-limits invented tokens per address, so a new token does not buy a new allowance", async () => {
    const url = await serverWith({ rateLimit: { windowMs: 60_000, limit: 100, failedAuthLimit: 2 } });
    for (let i = 0; i < 2; i++) {
      const answer = await post({ query: "{ me { id } }" }, { url, token: `qlp_invented${i}` });
      expect(answer.status).toBe(401);
    }
    const answer = await expectRefused(() => post({ query: "{ me { id } }" }, { url, token: "qlp_invented3" }), 429, "RATE_LIMITED");
    expect(Number(answer.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("answers a request whose body does not arrive in time with 408 REQUEST_TIMEOUT", async () => {
    const url = new URL(await serverWith({ requestTimeoutMs: 300 }));
    app.statements.length = 0;
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: "POST",
          headers: { "content-type": "application/json", "content-length": "1000", authorization: `Bearer ${w.quality.token}` },
        },
        (response) => {
          let text = "";
          response.on("data", (chunk) => (text += chunk));
          response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
        },
      );
      request.on("error", reject);
      // A tenth of the promised body, then nothing (a slow-loris client).
      request.write('{"query": "{ me { id } }", "pad": "');
    });
    expect(status).toBe(408);
    expect(JSON.parse(body).errors[0].extensions.code).toBe("REQUEST_TIMEOUT");
    expect(app.statements).toEqual([]);
  });

  it("answers a request the server cannot finish in time with 503 REQUEST_TIMEOUT", async () => {
    const url = await serverWith({ requestTimeoutMs: 300 });
    // Make createIssue wait: a table lock on MariaDB, the write queue of the one SQLite connection.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const runner = usingMysql() ? app.dataSource.createQueryRunner() : null;
    let holder: Promise<unknown> = Promise.resolve();
    if (runner) {
      await runner.connect();
      await runner.query("LOCK TABLES issue WRITE");
    } else {
      holder = inTransaction(app.dataSource, () => held);
    }
    try {
      const started = Date.now();
      const answer = await post({ query: 'mutation { createIssue(input: { title: "超时" }) { __typename } }' }, { url });
      expect({ status: answer.status, code: codeOf(answer) }).toEqual({ status: 503, code: "REQUEST_TIMEOUT" });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      release();
      if (runner) {
        await runner.query("UNLOCK TABLES");
        await runner.release();
      }
      await holder;
    }
    // The mutation the client stopped waiting for still runs to its commit (a retry with the same
    // Idempotency-Key would replay it); waiting for it keeps its statements out of the next test.
    const deadline = Date.now() + 10_000;
    while ((await app.dataSource.getRepository(Issue).countBy({ title: "超时" })) === 0) {
      if (Date.now() > deadline) throw new Error("the timed-out mutation never committed");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  it("reads the mode and limits from the environment, refusing a mode it does not know", () => {
    expect(parseServerMode({})).toBe("development");
    expect(parseServerMode({ NODE_ENV: "production" })).toBe("production");
    expect(parseServerMode({ NODE_ENV: "production", QLOOP_MODE: "development" })).toBe("development");
    expect(() => parseServerMode({ QLOOP_MODE: "prod" })).toThrow(/QLOOP_MODE/);
    expect(limitsFromEnv({}).rateLimit).toBeNull();
    expect(limitsFromEnv({ QLOOP_MODE: "production" }).rateLimit).toMatchObject({ limit: 600 });
    expect(limitsFromEnv({ QLOOP_MODE: "production", QLOOP_RATE_LIMIT_PER_MINUTE: "0" }).rateLimit).toBeNull();
    expect(limitsFromEnv({ QLOOP_RATE_LIMIT_PER_MINUTE: "60" }).rateLimit).toMatchObject({ limit: 60 });
    expect(() => limitsFromEnv({ QLOOP_MAX_BODY_BYTES: "1mb" })).toThrow(/QLOOP_MAX_BODY_BYTES/);
  });

  describe("production mode", () => {
    let production: string;
    beforeAll(async () => {
      production = await serverWith({ mode: "production" });
    });

    it("refuses introspection with INTROSPECTION_DISABLED before anything runs", async () => {
      await expectRefused(
        () => post({ query: "{ __schema { types { name } } }" }, { url: production }),
        400,
        "INTROSPECTION_DISABLED",
      );
      await expectRefused(() => post({ query: '{ __type(name: "Issue") { name } }' }, { url: production }), 400, "INTROSPECTION_DISABLED");
      // __typename is not introspection of the schema and stays available.
      const typename = await post({ query: "{ __typename }" }, { url: production });
      expect(typename.body).toEqual({ data: { __typename: "Query" } });
    });

    it("still allows introspection in development mode", async () => {
      const answer = await post({ query: '{ __type(name: "Issue") { name } }' });
      expect(answer.body).toEqual({ data: { __type: { name: "Issue" } } });
    });

    it("gives no field suggestions in production mode", async () => {
      const query = "{ issuez(first: 1) { totalCount } }";
      const development = await post({ query });
      expect(development.body.errors?.[0].message).toMatch(/Did you mean/);
      const answer = await post({ query }, { url: production });
      expect(answer.body.errors?.[0].extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
      expect(answer.body.errors?.[0].message).not.toMatch(/Did you mean|"issues"/);
    });

    it("turns the rate limit on by default", async () => {
      const answer = await post({ query: "{ __typename }" }, { url: production });
      expect(answer.headers.get("ratelimit-policy")).toMatch(/q=600; w=60/);
    });
  });
});
