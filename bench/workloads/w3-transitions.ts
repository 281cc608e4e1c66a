import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import type { RowDataPacket } from "mysql2/promise";
import { causeWorkflow } from "../../workflows/cause.machine";
import { evaluateTransition } from "../../workflows/runtime";
import { jitEnabled } from "../../src/api/jit/jit-gateway";
import { parseDatabaseUrl } from "../../src/config";
import { startBenchServer } from "../lib/bench-server";
import { fmt, met, postOnce } from "../lib/http-load";
import { seedNested, W2_SHAPE } from "../lib/nested-seed";
import { BenchContext, Workload, WorkloadResult } from "../workload";

interface DriverResult {
  latencies: number[];
  succeeded: number;
  refused: Record<string, number>;
  failed: number;
  wrong: number;
  firstProblem: string | null;
  achievedRate: number;
  skipped: number;
}

interface CauseRow {
  id: number;
  issueId: number;
  version: number;
  state: string;
}

/** The SQL texts of one cause transition, as the server ran them (captured, then replayed by the limit). */
interface TransitionStatements {
  selectCause: string;
  selectIssue: string;
  update: string;
  insertLog: string;
  reload: string;
}

function drive(options: Record<string, unknown>): Promise<DriverResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, "../lib/transition-driver.js"), { workerData: options });
    worker.once("message", (result: DriverResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once("error", reject);
  });
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));

/**
 * W3 (issue 6): workflow transition mutations — `confirmCause` and `reopenCause` alternating on
 * the causes of many issues (each transition locks its issue, checks the cause's version, writes
 * the state and an append-only transition-log row) — over HTTP against the real server on
 * MariaDB, 32 concurrent clients in a closed loop, beside
 *  - the identical transaction statements (captured from the server) over a mysql2 pool at the
 *    same concurrency (the limit), and
 *  - the cause machine's pure `evaluateTransition` (xstate `transition()`) alone;
 * then the server at a fixed rate of half its peak (p99), and a hot-row run: every client on one
 * cause without expectedVersion. Afterwards every cause's version must equal 1 + its logged
 * transitions, each log chain must be a valid walk of the machine, and the successes the clients
 * saw must equal the rows logged: zero lost updates, zero invalid states.
 * Options: --issues (default 1,000; 3 causes each), --clients (32), --seconds (10).
 * Targets: ≥ 0.5× the limit; p99 ≤ 20 ms at half of peak rate; zero lost updates and invalid states.
 */
export const w3: Workload = {
  id: "W3",
  title: "workflow transition mutations (32 concurrent clients, plus a hot row)",
  async run(ctx: BenchContext): Promise<WorkloadResult> {
    const issues = ctx.int("issues", 1_000);
    const clients = ctx.int("clients", 32);
    const seconds = ctx.int("seconds", 10);
    const warmup = 2;
    const bench = await startBenchServer(ctx.database);
    const conn = await ctx.database.connect();
    try {
      await seedNested(bench.dataSource, { ...W2_SHAPE, issues }, { departmentId: bench.departmentId, userId: bench.userId }, "W3");
      await conn.query("UPDATE issue SET state = 'analyzing'");
      await conn.query("UPDATE cause SET state = 'hypothesis', version = 1");
      const readCauses = async () =>
        (await conn.query<RowDataPacket[]>("SELECT id, issueId, version, state FROM cause ORDER BY id"))[0].map(
          (r) => ({ id: r.id, issueId: r.issueId, version: r.version, state: r.state }) as CauseRow,
        );

      // The statements of one transition, captured from the server (CONFIRM then REOPEN of the last cause).
      const captured: [string, unknown[]][] = [];
      const logger = bench.dataSource.logger as unknown as { logQuery: (q: string, p?: unknown[]) => void };
      const original = logger.logQuery.bind(logger);
      logger.logQuery = (query, parameters) => {
        captured.push([query, parameters ?? []]);
        original(query, parameters);
      };
      const probe = (await readCauses()).at(-1)!;
      const headers = { authorization: `Bearer ${bench.token}` };
      const mutation = (field: string, text: string, version: number) =>
        JSON.stringify({
          query: `mutation { ${field}(id: "${probe.id}", ${field === "confirmCause" ? "evidence" : "reason"}: "${text}", expectedVersion: ${version}) { __typename } }`,
        });
      await postOnce(bench.url, mutation("confirmCause", "工单数据", 1), headers);
      captured.length = 0;
      await postOnce(bench.url, mutation("reopenCause", "再查一次", 2), headers);
      logger.logQuery = original;
      const statements = statementsOf(captured, probe);

      const config = parseDatabaseUrl(ctx.database.url);
      if (config.kind !== "mysql") throw new Error("W3 runs on MySQL/MariaDB");
      const common = { url: bench.url, token: bench.token, dbUri: config.url, statements, actorId: bench.userId, clients, warmup };

      ctx.log(`W3: the server, ${clients} clients, closed loop`);
      const server = await drive({ ...common, mode: "http", causes: await readCauses(), seconds, rate: 0, hot: false });
      ctx.log(`W3: the identical statements over mysql2 (the limit), ${clients} clients`);
      const limit = await drive({ ...common, mode: "sql", causes: await readCauses(), seconds, rate: 0, hot: false });
      const half = Math.max(1, Math.round(server.achievedRate / 2));
      ctx.log(`W3: the server at ${half} req/s (half of its peak)`);
      const loadBefore = os.loadavg()[0];
      const fixed = await drive({ ...common, mode: "http", causes: await readCauses(), seconds, rate: half, hot: false });
      ctx.log("W3: hot row — every client on one cause");
      const hotCause = (await readCauses())[0];
      const hot = await drive({ ...common, mode: "http", causes: [hotCause], seconds, rate: 0, hot: true });

      // The pure machine alone.
      const machineRuns = 200_000;
      const actor = { id: bench.userId, roles: ["QUALITY_SPECIALIST" as const], departmentId: null };
      let state = "hypothesis";
      const started = performance.now();
      for (let i = 0; i < machineRuns; i++) {
        const outcome = evaluateTransition(causeWorkflow, state, { issueAssigneeId: bench.userId }, {
          type: state === "hypothesis" ? "CONFIRM" : "REOPEN",
          actor,
          facts: { issueState: "analyzing" },
          reason: "工单数据",
        });
        if (!outcome.ok) throw new Error(`W3: the machine refused ${state}`);
        state = outcome.toState;
      }
      const machineRate = machineRuns / ((performance.now() - started) / 1000);

      // Zero lost updates, zero invalid states.
      const check = await checkLog(conn);
      const clientSuccesses = [server, limit, fixed, hot].reduce((sum, r) => sum + r.succeeded, 0) + 2; // + the 2 probes
      const problems = [
        ...check.problems,
        ...(check.logged !== clientSuccesses ? [`${check.logged} transitions logged, ${clientSuccesses} reported to clients`] : []),
        ...[server, limit, fixed, hot].filter((r) => r.failed || r.wrong).map((r) => `client: ${r.failed} failed, ${r.wrong} wrong; first: ${r.firstProblem}`),
      ];
      const vsLimit = server.achievedRate / limit.achievedRate;
      const fixedP99 = percentile(fixed.latencies, 99);
      const row = (peer: string, r: DriverResult, ratioText: string) =>
        `| ${peer} | ${fmt(r.achievedRate)} | ${ms(percentile(r.latencies, 50))} | ${ms(percentile(r.latencies, 99))} | ` +
        `${fmt(r.latencies.length)} | ${Object.entries(r.refused).map(([code, n]) => `${code} ${n}`).join(", ") || "0"} | ${ratioText} |`;
      const lines = [
        `${fmt(issues)} issues in \`analyzing\` with ${fmt(issues * 3)} causes; each transition is \`confirmCause\` or \`reopenCause\` ` +
          `with expectedVersion (the server locks the issue, reads the cause, updates it conditionally on its version, logs the ` +
          `transition and reads it back: ${Object.keys(statements).length + 2} statements with BEGIN/COMMIT). ${clients} clients; ` +
          `${seconds} s per run after ${warmup} s of warm-up; graphql-jit ${jitEnabled() ? "on" : "off"} (mutations run on graphql-js either way).`,
        "",
        "| peer | transitions/s | p50 ms | p99 ms | measured | refused | ratio |",
        "| --- | ---: | ---: | ---: | ---: | --- | ---: |",
        row(`**qloop server over HTTP**, closed loop`, server, "1.00×"),
        row("the identical transaction statements over mysql2 (the limit)", limit, `${(vsLimit).toFixed(2)}× of it`),
        `| the cause machine's \`evaluateTransition\` alone (xstate \`transition()\`) | ${fmt(machineRate)} | | | ${fmt(machineRuns)} | 0 | ${(machineRate / server.achievedRate).toFixed(0)}× the server |`,
        row(`qloop server at a fixed ${half}/s (half of its peak; latency from the scheduled start)`, fixed, ""),
        row("qloop server, hot row: all clients on one cause, no expectedVersion (requests/s, refusals included)", hot, ""),
        "",
        "| target | figure | met |",
        "| --- | ---: | --- |",
        `| ≥ 0.5× the limit | ${vsLimit.toFixed(2)}× | ${met(vsLimit >= 0.5)} |`,
        `| p99 ≤ 20 ms at half of peak rate | ${ms(fixedP99)} ms | ${met(fixedP99 <= 20)} |`,
        `| zero lost updates, zero invalid states | ${problems.length === 0 ? "none" : `${problems.length} problem(s)`} | ${met(problems.length === 0)} |`,
        "",
        `Checked after all runs: ${fmt(check.causes)} causes, ${fmt(check.logged)} logged transitions; every cause's version is ` +
          `1 + its logged transitions, every log chain starts at \`hypothesis\`, alternates CONFIRM (hypothesis → confirmed) and ` +
          `REOPEN (confirmed → hypothesis) with each row starting where the previous ended, and ends in the cause's stored state; ` +
          `the successes the clients saw (${fmt(clientSuccesses)}) equal the rows logged. In the hot run the refusals are the ` +
          `machine turning down a CONFIRM of an already confirmed cause (or a REOPEN of a hypothesis) that a slower client sent.`,
        `Load average (1 min) on the 2 cores before the fixed-rate run: ${loadBefore.toFixed(2)}.`,
        ...(problems.length ? ["", "Problems:", "", ...problems.slice(0, 10).map((p) => `- ${p}`)] : []),
      ];
      return { markdown: lines.join("\n"), met: vsLimit >= 0.5 && fixedP99 <= 20 && problems.length === 0 };
    } finally {
      await conn.end();
      await bench.stop();
    }
  },
};

/** Picks the five statements of a transition out of the captured ones, checking their parameters' shape. */
function statementsOf(captured: [string, unknown[]][], probe: CauseRow): TransitionStatements {
  const find = (test: RegExp, parameters: (p: unknown[]) => boolean, from = 0) => {
    const index = captured.findIndex(([sql, p], i) => i >= from && test.test(sql) && parameters(p));
    if (index < 0) throw new Error(`W3: the server no longer runs ${test} as captured: ${captured.map(([s]) => s.slice(0, 60)).join(" | ")}`);
    return index;
  };
  const selectCause = find(/^SELECT .* FROM `cause`/, (p) => p.length === 1 && p[0] === probe.id);
  const selectIssue = find(/^SELECT .* FROM `issue`.*FOR UPDATE/s, (p) => p.length === 1 && p[0] === probe.issueId);
  const update = find(/^UPDATE `cause` SET `evidence` = \?, `state` = \?, `version` = `version` \+ 1 WHERE `id` = \? AND `version` = \?$/, (p) => p.length === 4);
  const insertLog = find(/^INSERT INTO `transition_log`/, (p) => p.length === 8 && p[1] === probe.id);
  const reload = find(/^SELECT .* FROM `cause`/, (p) => p.length === 1 && p[0] === probe.id, insertLog);
  return {
    selectCause: captured[selectCause][0],
    selectIssue: captured[selectIssue][0],
    update: captured[update][0],
    insertLog: captured[insertLog][0],
    reload: captured[reload][0],
  };
}

/** Every cause's version and log chain; the number of logged cause transitions. */
async function checkLog(conn: import("mysql2/promise").Connection) {
  const [causes] = await conn.query<RowDataPacket[]>("SELECT id, version, state FROM cause");
  const [log] = await conn.query<RowDataPacket[]>(
    "SELECT entityId, fromState, toState, event FROM transition_log WHERE entityType = 'CAUSE' ORDER BY id",
  );
  const chains = new Map<number, RowDataPacket[]>();
  for (const row of log) (chains.get(row.entityId) ?? chains.set(row.entityId, []).get(row.entityId)!).push(row);
  const problems: string[] = [];
  for (const cause of causes) {
    const chain = chains.get(cause.id) ?? [];
    if (cause.version !== 1 + chain.length) problems.push(`cause ${cause.id}: version ${cause.version} with ${chain.length} logged transitions`);
    let at = "hypothesis";
    for (const row of chain) {
      const valid =
        row.fromState === at &&
        ((row.event === "CONFIRM" && at === "hypothesis" && row.toState === "confirmed") ||
          (row.event === "REOPEN" && at === "confirmed" && row.toState === "hypothesis"));
      if (!valid) problems.push(`cause ${cause.id}: ${row.event} ${row.fromState} → ${row.toState} while ${at}`);
      at = row.toState;
    }
    if (at !== cause.state) problems.push(`cause ${cause.id}: stored ${cause.state}, log ends in ${at}`);
  }
  return { causes: causes.length, logged: log.length, problems };
}
