import http from "node:http";
import type { AddressInfo } from "node:net";
import { isDeepStrictEqual } from "node:util";
import DataLoader from "dataloader";
import { createPool, Pool, RowDataPacket } from "mysql2/promise";
import { parseDatabaseUrl } from "../../src/config";
import { jitEnabled } from "../../src/api/jit/jit-gateway";
import { startServer } from "../../src/server";
import { countStatements, startBenchServer, withJit } from "../lib/bench-server";
import { fmt, load, LOAD_HEADER, LoadResult, loadRow, met, postOnce, ratio } from "../lib/http-load";
import { NESTED_QUERY, seedNested, W2_SHAPE } from "../lib/nested-seed";
import { BenchContext, Workload, WorkloadResult } from "../workload";

/**
 * W2 (issue 6): the nested list from the database — a page of 20 issues → 3 causes each → 3
 * action items each, with 2 verification checks and 2 linked feedback per issue — over HTTP
 * against the real server on MariaDB, beside
 *  - the same server with its DataLoaders not batching (naive: one statement per parent), and
 *  - a plain node:http handler running the minimal SQL (one statement per level) over a mysql2
 *    pool and building the same JSON (the limit).
 * Every response is compared with the peer's first, which must equal the server's answer.
 * Options: --issues in the database (default 1,000), --connections (16), --seconds (10).
 * Targets: one SQL statement per level whatever the list sizes; ≥ 15× naive; ≥ 0.5× the limit.
 */
export const w2: Workload = {
  id: "W2",
  title: "nested list from the database (20 issues × 3 causes × 3 action items, 2 checks, 2 feedback)",
  async run(ctx: BenchContext): Promise<WorkloadResult> {
    const issues = ctx.int("issues", 1_000);
    const connections = ctx.int("connections", 16);
    const seconds = ctx.int("seconds", 10);
    const bench = await startBenchServer(ctx.database);
    let limit: { url: string; stop(): Promise<void> } | null = null;
    try {
      ctx.log(`W2: seeding ${fmt(issues)} issues with their causes, action items, checks and feedback`);
      await seedNested(bench.dataSource, { ...W2_SHAPE, issues }, { departmentId: bench.departmentId, userId: bench.userId }, "W2");
      const headers = { authorization: `Bearer ${bench.token}` };
      const bodyOf = (first: number) => JSON.stringify({ query: NESTED_QUERY, variables: { first } });
      const body = bodyOf(W2_SHAPE.issues);

      // Statements per request at three list sizes: must not grow. The first request looks the
      // bearer token up (2 statements); later ones find it in the token cache.
      await postOnce(bench.url, bodyOf(1), headers);
      const sizes = [1, 5, 20];
      const counts: number[] = [];
      for (const size of sizes) counts.push(await countStatements(bench, () => postOnce(bench.url, bodyOf(size), headers)));
      const perLevelHolds = counts.every((n) => n === counts[0]);

      const expected = await postOnce(bench.url, body, headers);
      const parsed = JSON.parse(expected) as { data: { issues: { nodes: unknown[] } } };
      if (parsed.data.issues.nodes.length !== W2_SHAPE.issues) throw new Error("W2: the server returned a short page");
      let restore = disableBatching();
      const naiveStatements = await countStatements(bench, () => postOnce(bench.url, body, headers));
      restore();

      // The same server with graphql-jit the other way round, on the same database.
      const jit = jitEnabled();
      const other = await withJit(!jit, () => startServer({ dataSource: bench.dataSource, port: 0, host: "127.0.0.1" }));
      const otherUrl = `http://127.0.0.1:${other.port}/graphql`;
      let server: LoadResult;
      let otherRun: LoadResult;
      try {
        if (!isDeepStrictEqual(JSON.parse(await postOnce(otherUrl, body, headers)), parsed)) {
          throw new Error(`W2: the server with graphql-jit ${jit ? "off" : "on"} answers differently`);
        }
        ctx.log(`W2: the server (graphql-jit ${jit ? "on" : "off"})`);
        server = await load({ url: bench.url, body, expected, headers, connections, seconds });
        ctx.log(`W2: the server (graphql-jit ${jit ? "off" : "on"})`);
        otherRun = await load({ url: otherUrl, body, expected, headers, connections, seconds });
      } finally {
        await other.stop();
      }

      ctx.log("W2: the server with DataLoaders not batching (naive)");
      restore = disableBatching();
      let naive;
      try {
        naive = await load({ url: bench.url, body, expected, headers, connections, seconds });
      } finally {
        restore();
      }

      ctx.log("W2: node:http + mysql2 (the limit)");
      limit = await startLimitHandler(ctx.database.url);
      const limitFirst = await postOnce(limit.url, body);
      if (!isDeepStrictEqual(JSON.parse(limitFirst), parsed)) {
        throw new Error(`W2: the limit handler's JSON differs from the server's: ${limitFirst.slice(0, 300)}`);
      }
      const limitRun = await load({ url: limit.url, body, expected: limitFirst, connections, seconds });

      const vsNaive = server.rps / naive.rps;
      const vsLimit = server.rps / limitRun.rps;
      const bad = server.bad + naive.bad + limitRun.bad;
      const lines = [
        `${fmt(issues)} issues in the database (${fmt(issues * 3)} causes, ${fmt(issues * 9)} action items, ${fmt(issues * 2)} checks, ` +
          `${fmt(issues * 2)} linked feedback); each request reads the newest page of ${W2_SHAPE.issues} issues with everything below it ` +
          `(${W2_SHAPE.issues * 3} causes, ${W2_SHAPE.issues * 9} action items, ${W2_SHAPE.issues * 2} checks, ${W2_SHAPE.issues * 2} feedback; ` +
          `${fmt(expected.length)} bytes of JSON). Closed loop, ${connections} connections, ${seconds} s per peer after 2 s of warm-up. ` +
          `The server runs as configured (QLOOP_JIT=${jit ? "on" : "off"}); a second server on the same database has graphql-jit the other way round.`,
        "",
        ...LOAD_HEADER,
        loadRow(`**qloop server**, graphql-jit ${jit ? "on" : "off"} (DataLoaders, ${counts.at(-1)} statements per request)`, server, "1.00×"),
        loadRow(`the same server, graphql-jit ${jit ? "off" : "on"}`, otherRun, `${ratio(otherRun.rps, server.rps)} of it`),
        loadRow(`the same server, DataLoaders not batching (naive, ${naiveStatements} statements per request)`, naive, `${ratio(server.rps, naive.rps)} faster`),
        loadRow("node:http + mysql2, 5 statements, the same JSON (the limit)", limitRun, `${ratio(server.rps, limitRun.rps)} of it`),
        "",
        `SQL statements per request for pages of ${sizes.join(", ")} issues: ${counts.join(", ")} ` +
          `(the page's count and rows, then one statement per level, evidence taking two: links, then feedback; the bearer token's ` +
          `lookup, 2 more, is cached for 5 s).`,
        "",
        "| target | figure | met |",
        "| --- | ---: | --- |",
        `| one SQL statement per level, whatever the list sizes | ${counts.join(" = ")} | ${met(perLevelHolds)} |`,
        `| ≥ 15× naive | ${vsNaive.toFixed(1)}× | ${met(vsNaive >= 15)} |`,
        `| ≥ 0.5× the limit | ${vsLimit.toFixed(2)}× | ${met(vsLimit >= 0.5)} |`,
        `| every response correct | ${bad} bad | ${met(bad === 0)} |`,
      ];
      return { markdown: lines.join("\n"), met: perLevelHolds && vsNaive >= 15 && vsLimit >= 0.5 && bad === 0 };
    } finally {
      if (limit) await limit.stop();
      await bench.stop();
    }
  },
};

/**
 * "DataLoaders off": every loader dispatches each key on its own (a batch of one), so each parent
 * costs its own statement, as resolvers querying per row would. Returns the undo.
 */
function disableBatching(): () => void {
  const proto = DataLoader.prototype as unknown as { load: (key: unknown) => Promise<unknown> };
  const original = proto.load;
  proto.load = function (this: { _maxBatchSize: number }, key: unknown) {
    this._maxBatchSize = 1;
    return original.call(this, key);
  };
  return () => {
    proto.load = original;
  };
}

/** The limit: the minimal SQL for W2's page, one statement per level, shaped into the same JSON. */
async function startLimitHandler(url: string): Promise<{ url: string; stop(): Promise<void> }> {
  const config = parseDatabaseUrl(url);
  if (config.kind !== "mysql") throw new Error("W2 runs on MySQL/MariaDB");
  const pool: Pool = createPool({ uri: config.url, connectionLimit: 10, timezone: "Z", dateStrings: ["DATE"], charset: "utf8mb4_unicode_ci" });
  const num = (v: unknown) => (v === null ? null : Number(v));
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      try {
        const { variables } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { variables: { first: number } };
        const [issues] = await pool.query<RowDataPacket[]>("SELECT id, title, state FROM issue ORDER BY id DESC LIMIT ?", [variables.first]);
        const ids = issues.map((i) => i.id);
        const [causes] = await pool.query<RowDataPacket[]>(
          "SELECT id, issueId, category, text, state FROM cause WHERE issueId IN (?) ORDER BY id", [ids]);
        const [actions] = await pool.query<RowDataPacket[]>(
          "SELECT id, causeId, description, state, progress, plannedEnd, target FROM action_item WHERE causeId IN (?) ORDER BY id",
          [causes.length ? causes.map((c) => c.id) : [0]]);
        const [checks] = await pool.query<RowDataPacket[]>(
          "SELECT id, issueId, metric, state, threshold, baseline FROM verification_check WHERE issueId IN (?) ORDER BY id", [ids]);
        const [evidence] = await pool.query<RowDataPacket[]>(
          "SELECT e.issueId, f.id, f.comment, f.receivedAt FROM issue_evidence e JOIN feedback f ON f.id = e.feedbackId " +
            "WHERE e.issueId IN (?) ORDER BY e.feedbackId", [ids]);
        const group = <T extends RowDataPacket>(rows: T[], key: string) => {
          const map = new Map<number, T[]>();
          for (const row of rows) (map.get(row[key]) ?? map.set(row[key], []).get(row[key])!).push(row);
          return map;
        };
        const causesOf = group(causes, "issueId");
        const actionsOf = group(actions, "causeId");
        const checksOf = group(checks, "issueId");
        const evidenceOf = group(evidence, "issueId");
        const nodes = issues.map((i) => ({
          id: String(i.id),
          title: i.title,
          state: i.state,
          causes: (causesOf.get(i.id) ?? []).map((c) => ({
            id: String(c.id),
            category: c.category,
            text: c.text,
            state: c.state,
            actionItems: (actionsOf.get(c.id) ?? []).map((a) => ({
              id: String(a.id),
              description: a.description,
              state: a.state,
              progress: a.progress,
              plannedEnd: a.plannedEnd,
              target: num(a.target),
            })),
          })),
          verificationChecks: (checksOf.get(i.id) ?? []).map((v) => ({
            id: String(v.id),
            metric: v.metric,
            state: v.state,
            threshold: num(v.threshold),
            baseline: num(v.baseline),
          })),
          evidence: (evidenceOf.get(i.id) ?? []).map((f) => ({
            id: String(f.id),
            comment: f.comment,
            receivedAt: (f.receivedAt as Date).toISOString(),
          })),
        }));
        const body = JSON.stringify({ data: { issues: { nodes } } });
        res.writeHead(200, { "content-type": "application/json" }).end(body);
      } catch (error) {
        res.writeHead(500).end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}
