import http from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { createPool, RowDataPacket } from "mysql2/promise";
import { IsNull } from "typeorm";
import { ApiToken, User } from "../../src/entity";
import { AuthService, hashToken } from "../../src/service/auth.service";
import { jitEnabled } from "../../src/api/jit/jit-gateway";
import { parseDatabaseUrl } from "../../src/config";
import { createDataSource } from "../../src/db/data-source";
import { startServer } from "../../src/server";
import { countStatements, startBenchServer } from "../lib/bench-server";
import { startQloopLayer, W1_EXPECTED, W1_QUERY, w1Schema } from "../lib/graphql-layer";
import { fmt, load, LOAD_HEADER, LoadResult, loadRow, met, postOnce, ratio } from "../lib/http-load";
import { seedNested, W2_SHAPE } from "../lib/nested-seed";
import { BenchContext, Workload, WorkloadResult } from "../workload";

/** One issue by id with its department, assignee, causes and their actions, checks and evidence. */
const ISSUE_QUERY = `query W6($id: ID!) {
  issue(id: $id) {
    id title state description
    department { id name }
    assignee { id name }
    causes { id category text state actionItems { id description state progress } }
    verificationChecks { id metric state threshold }
    evidence { id comment receivedAt }
  }
}`;

/**
 * W6 (issue 6): a single issue by id with its relations, over HTTP against the real server on
 * MariaDB, closed loop, beside W1's ceiling for the same server (qloop's GraphQL layer over
 * in-memory data, no database, same graphql-jit setting) and a mysql2 point select behind a plain
 * node:http handler. Two more rows show what any request costs: `{ __typename }` with the bearer
 * token (its lookup included) and without one.
 * Two levers are measured beside them: the server with another connection pool size (--pool,
 * default 20; the server's default is 10) and the point select as a prepared statement.
 * Options: --issues (default 1,000), --connections (16), --seconds (10), --pool (20).
 * Target: ≥ 0.6× W1's ceiling.
 */
export const w6: Workload = {
  id: "W6",
  title: "single issue by id with its relations",
  async run(ctx: BenchContext): Promise<WorkloadResult> {
    const issues = ctx.int("issues", 1_000);
    const connections = ctx.int("connections", 16);
    const seconds = ctx.int("seconds", 10);
    const altPool = ctx.int("pool", 20);
    const jit = jitEnabled();
    const bench = await startBenchServer(ctx.database);
    const stops: (() => Promise<void>)[] = [];
    try {
      const ids = await seedNested(
        bench.dataSource,
        { ...W2_SHAPE, issues },
        { departmentId: bench.departmentId, userId: bench.userId },
        "W6",
      );
      const id = ids[Math.floor(ids.length / 2)];
      const headers = { authorization: `Bearer ${bench.token}` };
      const body = JSON.stringify({ query: ISSUE_QUERY, variables: { id: String(id) } });
      const expected = await postOnce(bench.url, body, headers);
      const statements = await countStatements(bench, () => postOnce(bench.url, body, headers)); // token cached by now
      const issue = (JSON.parse(expected) as { data: { issue: { causes: { actionItems: unknown[] }[] } | null } }).data.issue;
      if (!issue || issue.causes.length !== 3 || issue.causes.some((c) => c.actionItems.length !== 3)) {
        throw new Error(`W6: unexpected issue ${expected.slice(0, 300)}`);
      }
      // Counted before any load: requests still finishing after a load run would be counted too.
      const typenameBody = JSON.stringify({ query: "{ __typename }" });
      const tokenStatements = await countStatements(bench, () => postOnce(bench.url, typenameBody, headers));
      ctx.log(`W6: the server (graphql-jit ${jit ? "on" : "off"})`);
      const server = await load({ url: bench.url, body, expected, headers, connections, seconds });

      ctx.log(`W6: the same server with a pool of ${altPool} connections`);
      const altDataSource = createDataSource(parseDatabaseUrl(ctx.database.url), { poolSize: altPool });
      await altDataSource.initialize();
      const altServer = await startServer({ dataSource: altDataSource, port: 0, host: "127.0.0.1" });
      stops.push(async () => {
        await altServer.stop();
        await altDataSource.destroy();
      });
      const altUrl = `http://127.0.0.1:${altServer.port}/graphql`;
      const altFirst = await postOnce(altUrl, body, headers);
      if (altFirst !== expected) throw new Error("W6: the server with another pool answers differently");
      const altRun = await load({ url: altUrl, body, expected, headers, connections, seconds });

      const typename = await postOnce(bench.url, typenameBody);
      ctx.log("W6: { __typename } with and without the token");
      const withToken = await load({ url: bench.url, body: typenameBody, expected: typename, headers, connections, seconds });
      const withoutToken = await load({ url: bench.url, body: typenameBody, expected: typename, connections, seconds });

      ctx.log("W6: W1's ceiling (qloop's layer, in-memory)");
      const ceilingPeer = await startQloopLayer(await w1Schema(), jit);
      stops.push(ceilingPeer.stop);
      const w1Body = JSON.stringify({ query: W1_QUERY });
      const w1First = await postOnce(ceilingPeer.url, w1Body);
      if (JSON.stringify(JSON.parse(w1First)) !== W1_EXPECTED) throw new Error("W6: W1's layer answered wrongly");
      const ceiling = await load({ url: ceilingPeer.url, body: w1Body, expected: w1First, connections, seconds });

      ctx.log("W6: mysql2 point select behind node:http");
      const point = await startPointSelect(ctx.database.url);
      stops.push(point.stop);
      const pointFirst = await postOnce(point.url, JSON.stringify({ id }));
      const pointRun = await load({ url: point.url, body: JSON.stringify({ id }), expected: pointFirst, connections, seconds });
      const prepared = await startPointSelect(ctx.database.url, true);
      stops.push(prepared.stop);
      const preparedFirst = await postOnce(prepared.url, JSON.stringify({ id }));
      const preparedRun = await load({ url: prepared.url, body: JSON.stringify({ id }), expected: preparedFirst, connections, seconds });

      // The token lookup as it was before the cache (2 statements) and as it is now, in-process.
      const tokenHash = hashToken(bench.token);
      const lookups = 500;
      const timeLookups = async (lookup: () => Promise<unknown>) => {
        for (let i = 0; i < 50; i++) await lookup();
        const started = performance.now();
        for (let i = 0; i < lookups; i++) await lookup();
        return (performance.now() - started) / lookups;
      };
      const uncachedMs = await timeLookups(async () => {
        const row = await bench.dataSource.getRepository(ApiToken).findOne({ where: { tokenHash, revokedAt: IsNull() } });
        return bench.dataSource.getRepository(User).findOneBy({ id: row!.userId });
      });
      const auth = new AuthService(bench.dataSource);
      const cachedMs = await timeLookups(() => auth.userForToken(bench.token));

      const vsCeiling = server.rps / ceiling.rps;
      const bad = [server, altRun, withToken, withoutToken, ceiling, pointRun, preparedRun].reduce((sum, r) => sum + r.bad, 0);
      const row = (name: string, r: LoadResult) => loadRow(name, r, `${ratio(r.rps, ceiling.rps)} W1's ceiling`);
      const lines = [
        `${fmt(issues)} issues in the database, seeded as W2's; each request reads issue ${id} with its department, assignee, ` +
          `3 causes × 3 action items, 2 checks and 2 feedback (${fmt(expected.length)} bytes, ${statements} SQL statements). ` +
          `Closed loop, ${connections} connections, ${seconds} s per peer after 2 s of warm-up; graphql-jit ${jit ? "on" : "off"} (QLOOP_JIT).`,
        "",
        ...LOAD_HEADER,
        row(`**qloop server: \`issue(id)\` with relations** (${statements} statements)`, server),
        row(`the same server with a pool of ${altPool} connections (default 10)`, altRun),
        row(`qloop server: \`{ __typename }\` with the bearer token (${tokenStatements} statements: the lookup is cached)`, withToken),
        row("qloop server: `{ __typename }` without a token (no SQL)", withoutToken),
        row("W1's ceiling: qloop's GraphQL layer over in-memory data (no database, no qloop plugins)", ceiling),
        row("mysql2 point select (`SELECT … FROM issue WHERE id = ?`) behind node:http", pointRun),
        row("the same point select as a prepared statement (mysql2 `execute`)", preparedRun),
        "",
        "| target | figure | met |",
        "| --- | ---: | --- |",
        `| ≥ 0.6× W1's ceiling | ${vsCeiling.toFixed(2)}× | ${met(vsCeiling >= 0.6)} |`,
        `| every response correct | ${bad} bad | ${met(bad === 0)} |`,
        "",
        `What a request costs before any resolver: a bare \`{ __typename }\` runs at ${fmt(withoutToken.rps)} req/s without a token ` +
          `and ${fmt(withToken.rps)} req/s with one (p50 ${withoutToken.p50} vs ${withToken.p50} ms; the lookup is cached for ` +
          `5 s per token, so under load it is nearly free); on the full server (Express, qloop's limits, metrics, log and ` +
          `idempotency layers, Apollo) a bare request reaches ${ratio(withoutToken.rps, ceiling.rps)} of W1's ceiling.`,
        `The token lookup itself, one at a time in-process: ${uncachedMs.toFixed(2)} ms as it was (2 statements), ` +
          `${(cachedMs * 1000).toFixed(1)} µs from the cache.`,
      ];
      return { markdown: lines.join("\n"), met: vsCeiling >= 0.6 && bad === 0 };
    } finally {
      for (const stop of stops) await stop();
      await bench.stop();
    }
  },
};

/** A plain node:http handler answering `{ id }` with one mysql2 point select. */
async function startPointSelect(url: string, prepared = false): Promise<{ url: string; stop(): Promise<void> }> {
  const config = parseDatabaseUrl(url);
  if (config.kind !== "mysql") throw new Error("W6 runs on MySQL/MariaDB");
  const pool = createPool({ uri: config.url, connectionLimit: 10, timezone: "Z", charset: "utf8mb4_unicode_ci" });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      try {
        const { id } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { id: number };
        const sql = "SELECT id, title, state, description FROM issue WHERE id = ?";
        const [rows] = prepared ? await pool.execute<RowDataPacket[]>(sql, [id]) : await pool.query<RowDataPacket[]>(sql, [id]);
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ data: { issue: rows[0] ?? null } }));
      } catch (error) {
        res.writeHead(500).end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}
