import { createHash } from "node:crypto";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { isDeepStrictEqual } from "node:util";
import { Worker } from "node:worker_threads";
import type { Connection, RowDataPacket } from "mysql2/promise";
import { DataSource, Logger } from "typeorm";
import { parseDatabaseUrl } from "../../src/config";
import { dataSourceOptions } from "../../src/db/data-source";
import { inTransaction } from "../../src/db/transaction";
import { RunningServer, startServer } from "../../src/server";
import { createServices } from "../../src/service";
import { rebuildRollups, snapshotSegments } from "../../src/service/analytics/rollups";
import { SatisfactionAnalyticsService } from "../../src/service/analytics/satisfaction.service";
import type { AnalyticsQuery, SatisfactionAnalysis } from "../../src/service/analytics/types";
import { systemActor } from "../../src/service/system-actor";
import { benchDatabase, BenchDatabase } from "../lib/mariadb";
import { BenchContext, Workload, WorkloadResult } from "../workload";
import { seedW4, W4_LAST_MONTH, W4Tally } from "./w4-seed";

/**
 * W4 (issue 6, issue 4's "speed at scale"): the monthly review's satisfaction analytics over
 * 3,000,000 feedback rows on MariaDB, beside its peers in the same run:
 *
 *  1. end to end: GraphQL `satisfactionAnalytics` for one month over HTTP against the real server,
 *     at a fixed rate (open loop: latency counted from each request's scheduled start), every
 *     response compared with the first, which is checked against the direct computation;
 *  2. the service call alone: `SatisfactionAnalyticsService.analyse` (rollups + figures in JS);
 *  3. the direct scan: `directAnalyse`, the same figures by aggregate SQL over the indexed raw
 *     feedback tables, and the direct SQL statements alone;
 *  4. the limit: the rollup SQL statements `analyse` runs, replayed alone over plain mysql2.
 *
 * Numbers must be identical: analyse = directAnalyse (all but `source`), HTTP = analyse, and the
 * replayed rollup rows hold the counts analyse reported.
 *
 * The data lives in its own database, `<bench database>_w4`, seeded by w4-seed.ts, its segment
 * snapshot written with the rows (a sample checked against qloop's `snapshotSegments`) and its
 * rollups built by qloop's own `rebuildRollups`.
 * Seeding 3,000,000 rows takes minutes: `--keep` keeps the database and `--reuse` measures a kept
 * one again when it was seeded with the same rows, generator and schema of its tables.
 *
 * Options: --rows (default 3,000,000), --rate (requests/s, default 20), --seconds (default 30),
 * --warmup (seconds, default 5), --samples (service and SQL repetitions, default 200),
 * --direct-runs (default 5), --keep, --reuse, --seed-only (seed and keep the database, measure nothing).
 * Targets: p95 ≤ 20 ms end to end; analyse ≥ 100× faster than directAnalyse; identical numbers.
 */

const SEED = 4;
/** Bumped when the generator changes, so `--reuse` never measures data of an older generator. */
const GENERATOR_VERSION = 2;
const MONTH_QUERY: AnalyticsQuery = { period: { month: W4_LAST_MONTH } };

/** Every field of the analysis that the API shows. */
const FIGURES = `
  responses index grade previousIndex indexMomChange yearAgoIndex indexYoyChange
  previousResponses yearAgoResponses lowestDimensions
  dimensions {
    dimension name answers average lowShare verySatisfiedShare index grade
    previousAverage momChange yearAgoAverage yoyChange
    distribution { score count share }
  }
  keywords { tagCode labelZh labelEn count share }`;
const GRAPHQL_QUERY = `query W4($input: SatisfactionAnalyticsInput!) {
  satisfactionAnalytics(input: $input) {
    period { kind label from to days }
    previousPeriod { kind label from to days }
    yearAgoPeriod { kind label from to days }
    source
    gradeThresholds { a b c }
    ${FIGURES}
  }
}`;

interface Captured {
  sql: string;
  parameters: unknown[];
}

/** Records the statements of one call when switched on; silent otherwise. */
class CapturingLogger implements Logger {
  capture: Captured[] | null = null;
  logQuery(query: string, parameters?: unknown[]) {
    this.capture?.push({ sql: query, parameters: parameters ?? [] });
  }
  logQueryError() {}
  logQuerySlow() {}
  logSchemaBuild() {}
  logMigration() {}
  log() {}
}

interface Timing {
  samples: number[];
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

function timing(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  return {
    samples,
    p50: rank(50),
    p95: rank(95),
    p99: rank(99),
    mean: samples.reduce((a, b) => a + b, 0) / samples.length,
  };
}

async function timeRuns(runs: number, warmup: number, work: () => Promise<unknown>): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return timing(samples);
}

/** The W4 database beside the benchmark database: `<name>_w4`. */
function w4Database(db: BenchDatabase): BenchDatabase {
  const url = new URL(db.url);
  url.pathname = `/${db.name}_w4`;
  return benchDatabase(url.toString());
}

interface SeedMarker {
  rows: number;
  seed: number;
  generator: number;
  /** Fingerprint of the tables W4 reads and writes, as the migrations made them (schemaOf). */
  schema: string;
}

/** The tables the seed writes and the measured requests read. */
const W4_TABLES = [
  "customer", "department", "service_ticket", "feedback", "feedback_score", "feedback_keyword", "keyword_tag",
  "rollup_score", "rollup_response", "rollup_keyword", "setting", "app_user", "api_token", "survey_dimension",
];

/** A hash of the columns and indexes of W4's tables in database `name`. */
async function schemaOf(admin: Connection, name: string): Promise<string> {
  const [columns] = await admin.query<RowDataPacket[]>(
    "SELECT table_name, column_name, column_type, is_nullable, column_default FROM information_schema.columns " +
      "WHERE table_schema = ? AND table_name IN (?) ORDER BY table_name, ordinal_position",
    [name, W4_TABLES],
  );
  const [indexes] = await admin.query<RowDataPacket[]>(
    "SELECT table_name, index_name, seq_in_index, column_name, non_unique FROM information_schema.statistics " +
      "WHERE table_schema = ? AND table_name IN (?) ORDER BY table_name, index_name, seq_in_index",
    [name, W4_TABLES],
  );
  return createHash("sha1").update(JSON.stringify([columns, indexes])).digest("hex");
}

/** The schema fingerprint the current migrations give, from a scratch database migrated for it. */
async function currentSchema(db: BenchDatabase): Promise<string> {
  const url = new URL(db.url);
  url.pathname = `/${db.name}_schema`;
  const scratch = benchDatabase(url.toString());
  const dataSource = await scratch.fresh();
  await dataSource.destroy();
  const admin = await db.server();
  try {
    return await schemaOf(admin, scratch.name);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS \`${scratch.name}\``);
    await admin.end();
  }
}

async function readMarker(db: BenchDatabase): Promise<SeedMarker | null> {
  const admin = await db.server();
  try {
    const [rows] = await admin.query<RowDataPacket[]>(
      "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = 'bench_w4_seed'",
      [db.name],
    );
    if (rows.length === 0) return null;
    const [marks] = await admin.query<RowDataPacket[]>(`SELECT marker FROM \`${db.name}\`.bench_w4_seed`);
    return marks.length ? (JSON.parse(marks[0].marker) as SeedMarker) : null;
  } finally {
    await admin.end();
  }
}

interface SetupFigures {
  reused: boolean;
  tally: W4Tally | null;
  rebuildSeconds: number;
  /** Feedback whose seeded snapshot was compared with what snapshotSegments takes, and how many differed. */
  snapshotSample: number;
  snapshotMismatches: number;
  rollupRows: Record<string, number>;
  feedbackRows: number;
  scoreRows: number;
}

/** A fresh, seeded database with the segment snapshot taken and the rollups built; or the kept one. */
async function prepare(ctx: BenchContext, db: BenchDatabase, rows: number): Promise<SetupFigures> {
  const wanted: SeedMarker = { rows, seed: SEED, generator: GENERATOR_VERSION, schema: await currentSchema(db) };
  const found = ctx.flag("reuse") ? await readMarker(db) : null;
  let tally: W4Tally | null = null;
  let rebuildSeconds = NaN;
  if (found && isDeepStrictEqual(found, wanted)) {
    ctx.log(`W4: reusing ${db.name} (${rows.toLocaleString("en-US")} rows, seeded before)`);
  } else {
    if (ctx.flag("reuse")) ctx.log(`W4: ${db.name} holds no matching seed (${JSON.stringify(found)}); seeding afresh`);
    const dataSource = await db.fresh();
    try {
      await createServices(dataSource).keywords.ensureTaxonomy();
      const actor = await inTransaction(dataSource, (tx) => systemActor(tx));
      const conn = await db.connect();
      try {
        ctx.log(`W4: seeding ${rows.toLocaleString("en-US")} feedback into ${db.name}`);
        tally = await seedW4([conn], { rows, seed: SEED }, actor.id, ctx.log);
        ctx.log(`W4: seeded in ${tally.seconds.toFixed(0)} s; building the rollups (rebuildRollups)`);
      } finally {
        await conn.end();
      }
      const started = performance.now();
      await inTransaction(dataSource, (tx) => rebuildRollups(tx));
      rebuildSeconds = (performance.now() - started) / 1000;
      ctx.log(`W4: rollups built in ${rebuildSeconds.toFixed(0)} s`);
      await dataSource.query(
        "ANALYZE TABLE feedback, feedback_score, feedback_keyword, rollup_score, rollup_response, rollup_keyword",
      );
      await dataSource.query("CREATE TABLE bench_w4_seed (marker TEXT NOT NULL)");
      await dataSource.query("INSERT INTO bench_w4_seed (marker) VALUES (?)", [JSON.stringify(wanted)]);
    } finally {
      await dataSource.destroy();
    }
  }
  const snapshot = await checkSnapshotSample(db, rows);
  const conn = await db.connect();
  try {
    const count = async (sql: string) => Number((await conn.query<RowDataPacket[]>(sql))[0][0].n);
    const rollupRows: Record<string, number> = {};
    for (const table of ["rollup_score", "rollup_response", "rollup_keyword"]) {
      rollupRows[table] = await count(`SELECT COUNT(*) AS n FROM ${table}`);
    }
    return {
      reused: tally === null,
      tally,
      rebuildSeconds,
      snapshotSample: snapshot.sample,
      snapshotMismatches: snapshot.mismatches,
      rollupRows,
      feedbackRows: await count("SELECT COUNT(*) AS n FROM feedback"),
      scoreRows: await count("SELECT COUNT(*) AS n FROM feedback_score"),
    };
  } finally {
    await conn.end();
  }
}

const SNAPSHOT_COLUMNS = [
  "receivedDay", "segmentDepartmentId", "segmentRegion", "segmentServiceType", "segmentCustomerType", "segmentEngineer",
];

/**
 * The seed writes each feedback's segment snapshot itself (as recording does, and far faster than
 * a backfill); an evenly spread sample must equal what qloop's `snapshotSegments` takes from the
 * tickets and customers. Compared inside a transaction that is rolled back.
 */
async function checkSnapshotSample(db: BenchDatabase, rows: number): Promise<{ sample: number; mismatches: number }> {
  const sample = Math.min(5_000, rows);
  const ids = Array.from({ length: sample }, (_, i) => 1 + Math.floor((i * rows) / sample));
  const dataSource = new DataSource(dataSourceOptions(parseDatabaseUrl(db.url)));
  await dataSource.initialize();
  const runner = dataSource.createQueryRunner();
  try {
    await runner.startTransaction();
    const read = async () =>
      JSON.stringify(
        await runner.manager.query(`SELECT id, ${SNAPSHOT_COLUMNS.join(", ")} FROM feedback WHERE id IN (?) ORDER BY id`, [ids]),
      );
    const seeded = JSON.parse(await read()) as unknown[];
    await runner.manager.query(
      `UPDATE feedback SET ${SNAPSHOT_COLUMNS.map((c) => `${c} = NULL`).join(", ")} WHERE id IN (?)`,
      [ids],
    );
    await snapshotSegments(runner.manager, ids);
    const taken = JSON.parse(await read()) as unknown[];
    if (taken.length !== sample) throw new Error(`W4: snapshot sample read ${taken.length} of ${sample} feedback`);
    const mismatches = taken.filter((row, i) => !isDeepStrictEqual(row, seeded[i])).length;
    return { sample, mismatches };
  } finally {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    await runner.release();
    await dataSource.destroy();
  }
}

/** `analysis` without the field that names where it came from. */
function figuresOf(analysis: SatisfactionAnalysis): Omit<SatisfactionAnalysis, "source"> {
  const { source: _source, ...rest } = analysis;
  return rest;
}

/** Where `shown` (an API response) differs from `expected` (the service's result), field by field. */
function differences(shown: unknown, expected: unknown, path = "data"): string[] {
  if (shown !== null && typeof shown === "object") {
    if (expected === null || typeof expected !== "object") return [`${path}: ${JSON.stringify(shown)} vs ${JSON.stringify(expected)}`];
    if (Array.isArray(shown) !== Array.isArray(expected)) return [`${path}: array vs object`];
    if (Array.isArray(shown) && shown.length !== (expected as unknown[]).length) {
      return [`${path}: ${shown.length} entries vs ${(expected as unknown[]).length}`];
    }
    return Object.entries(shown).flatMap(([key, value]) =>
      differences(value, (expected as Record<string, unknown>)[key], `${path}.${key}`),
    );
  }
  return shown === expected ? [] : [`${path}: ${JSON.stringify(shown)} vs ${JSON.stringify(expected)}`];
}

/** Replays captured statements over plain mysql2, in order; returns their result rows. */
async function replay(conn: Connection, statements: Captured[]): Promise<RowDataPacket[][]> {
  const results: RowDataPacket[][] = [];
  for (const { sql, parameters } of statements) results.push((await conn.query<RowDataPacket[]>(sql, parameters))[0]);
  return results;
}

/** The replayed rollup rows must hold the counts analyse reported (period, previous, year ago). */
function checkReplayedCounts(statements: Captured[], results: RowDataPacket[][], analysis: SatisfactionAnalysis): string[] {
  const problems: string[] = [];
  const scores = results[statements.findIndex((s) => s.sql.includes("rollup_score"))] ?? [];
  const responses = results[statements.findIndex((s) => s.sql.includes("rollup_response"))] ?? [];
  for (const dimension of analysis.dimensions) {
    const row = scores.find((r) => Number(r.bucket) === 0 && r.dimension === dimension.dimension);
    const counts = row ? [row.count1, row.count2, row.count3, row.count4, row.count5].map(Number) : [];
    if (!isDeepStrictEqual(counts, dimension.distribution.map((d) => d.count))) {
      problems.push(`rollup SQL ${dimension.dimension}: ${JSON.stringify(counts)}`);
    }
  }
  const responsesOf = (bucket: number) =>
    responses.filter((r) => Number(r.bucket) === bucket).reduce((sum, r) => sum + Number(r.responses), 0);
  if (responsesOf(0) !== analysis.responses) problems.push(`rollup SQL responses ${responsesOf(0)} vs ${analysis.responses}`);
  if (responsesOf(1) !== analysis.previousResponses) problems.push("rollup SQL previous responses differ");
  if (responsesOf(2) !== analysis.yearAgoResponses) problems.push("rollup SQL year-ago responses differ");
  return problems;
}

interface LoadResult {
  latencies: number[];
  sent: number;
  failed: number;
  mismatched: number;
  firstProblem: string | null;
  achievedRate: number;
}

/**
 * The fixed-rate client, in a worker thread so it never shares the server's event loop: requests
 * start on schedule whatever the earlier ones do (open loop), latency runs from the scheduled start
 * (no coordinated omission), and every body must equal the expected one byte for byte.
 */
const LOAD_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const http = require("node:http");
const { performance } = require("node:perf_hooks");
const { url, token, payload, expected, rate, seconds, warmup } = workerData;
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const interval = 1000 / rate;
const result = { latencies: [], sent: 0, failed: 0, mismatched: 0, firstProblem: null, achievedRate: 0 };
function request(record) {
  const scheduled = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      { host: target.hostname, port: target.port, path: target.pathname, method: "POST", agent,
        headers: { "content-type": "application/json", authorization: "Bearer " + token, "content-length": Buffer.byteLength(payload) } },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const took = performance.now() - scheduled;
          const body = Buffer.concat(chunks).toString("utf8");
          if (record) {
            result.sent++;
            result.latencies.push(took);
            if (res.statusCode !== 200) { result.failed++; result.firstProblem ??= "HTTP " + res.statusCode + " " + body.slice(0, 200); }
            else if (body !== expected) { result.mismatched++; result.firstProblem ??= "body differs: " + body.slice(0, 200); }
          }
          resolve();
        });
      },
    );
    req.on("error", (e) => { if (record) { result.sent++; result.failed++; result.firstProblem ??= String(e); } resolve(); });
    req.end(payload);
  });
}
async function phase(duration, record) {
  const count = Math.round(duration * rate);
  const start = performance.now();
  const pending = [];
  for (let i = 0; i < count; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(request(record));
  }
  await Promise.all(pending);
  return (performance.now() - start) / 1000;
}
(async () => {
  await phase(warmup, false);
  const took = await phase(seconds, true);
  result.achievedRate = result.sent / took;
  agent.destroy();
  parentPort.postMessage(result);
})();
`;

function fixedRateLoad(options: {
  url: string;
  token: string;
  payload: string;
  expected: string;
  rate: number;
  seconds: number;
  warmup: number;
}): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(LOAD_WORKER, { eval: true, workerData: options });
    worker.once("message", (result: LoadResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once("error", reject);
  });
}

async function post(url: string, token: string, payload: string): Promise<string> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: payload,
  });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`W4: HTTP ${response.status}: ${body.slice(0, 500)}`);
  return body;
}

export const w4: Workload = {
  id: "W4",
  title: "monthly review analytics over 3,000,000 feedback rows",
  async run(ctx: BenchContext): Promise<WorkloadResult> {
    const rows = ctx.int("rows", 3_000_000);
    const rate = ctx.int("rate", 20);
    const seconds = ctx.int("seconds", 30);
    const warmup = ctx.int("warmup", 5);
    const samples = ctx.int("samples", 200);
    const directRuns = ctx.int("direct-runs", 5);
    const db = w4Database(ctx.database);
    const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
    const ms = (n: number) => (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : fmt(n));

    const setup = await prepare(ctx, db, rows);
    if (ctx.flag("seed-only")) {
      return {
        markdown: `Seeded ${db.name} only (\`--seed-only\`): ${setup.feedbackRows.toLocaleString("en-US")} feedback; nothing measured.`,
        met: false,
        nothingMeasured: true,
      };
    }

    const config = parseDatabaseUrl(db.url);
    // The server's and the service peer's DataSource logs nothing; a second one captures statements.
    const dataSource = new DataSource(dataSourceOptions(config));
    const logger = new CapturingLogger();
    const capturing = new DataSource({ ...dataSourceOptions(config), logging: ["query"], logger });
    await dataSource.initialize();
    await capturing.initialize();
    let server: RunningServer | null = null;
    const conn = await db.connect();
    try {
      const analytics = new SatisfactionAnalyticsService(dataSource);
      const captureOf = async (work: () => Promise<unknown>) => {
        logger.capture = [];
        await work();
        const statements = logger.capture;
        logger.capture = null;
        return statements;
      };
      const capturedAnalytics = new SatisfactionAnalyticsService(capturing);
      const rollupStatements = (await captureOf(() => capturedAnalytics.analyse(MONTH_QUERY))).filter((s) =>
        /rollup_/.test(s.sql),
      );
      const serviceStatementCount = (await captureOf(() => capturedAnalytics.analyse(MONTH_QUERY))).length;
      const directStatements = (await captureOf(() => capturedAnalytics.directAnalyse(MONTH_QUERY))).filter((s) =>
        /feedback/.test(s.sql),
      );

      // Identical numbers: the rollups against the raw tables.
      ctx.log("W4: checking analyse against directAnalyse");
      const viaRollups = await analytics.analyse(MONTH_QUERY);
      const direct = await analytics.directAnalyse(MONTH_QUERY);
      const problems: string[] = [];
      if (viaRollups.source !== "ROLLUP") problems.push(`analyse read ${viaRollups.source}, not the rollups`);
      if (!isDeepStrictEqual(figuresOf(viaRollups), figuresOf(direct))) {
        problems.push(...differences(figuresOf(viaRollups), figuresOf(direct), "analyse").slice(0, 10));
        if (problems.length === 0) problems.push("analyse and directAnalyse differ");
      }
      problems.push(...checkReplayedCounts(rollupStatements, await replay(conn, rollupStatements), viaRollups));
      if (setup.snapshotMismatches > 0) {
        problems.push(`segment snapshot: ${setup.snapshotMismatches} of ${setup.snapshotSample} seeded feedback differ from snapshotSegments`);
      }

      // (3) the direct scan, first: it warms the raw tables, as a busy server would have them.
      ctx.log(`W4: directAnalyse × ${directRuns} (after 1 warm-up)`);
      const directTiming = await timeRuns(directRuns, 1, () => analytics.directAnalyse(MONTH_QUERY));
      ctx.log(`W4: direct SQL alone × ${directRuns}`);
      const directSqlTiming = await timeRuns(directRuns, 1, () => replay(conn, directStatements));
      // (2) the service alone and (4) the rollup SQL alone.
      ctx.log(`W4: analyse × ${samples}, rollup SQL × ${samples}`);
      const serviceTiming = await timeRuns(samples, 20, () => analytics.analyse(MONTH_QUERY));
      const rollupSqlTiming = await timeRuns(samples, 20, () => replay(conn, rollupStatements));

      // (1) end to end over HTTP.
      server = await startServer({ dataSource, port: 0, host: "127.0.0.1" });
      const services = createServices(dataSource);
      const user = await services.directory.createUser({
        name: "W4 benchmark",
        email: `w4-${Date.now()}@bench.invalid`,
        roles: ["QUALITY_SPECIALIST"],
        departmentId: null,
      });
      const token = await services.auth.issueToken(user.id, "W4 benchmark");
      const url = `http://127.0.0.1:${server.port}/graphql`;
      const payload = JSON.stringify({ query: GRAPHQL_QUERY, variables: { input: { period: { month: W4_LAST_MONTH } } } });
      const expected = await post(url, token, payload);
      const parsed = JSON.parse(expected) as { data?: { satisfactionAnalytics?: unknown }; errors?: unknown };
      if (!parsed.data?.satisfactionAnalytics) throw new Error(`W4: GraphQL answered ${expected.slice(0, 500)}`);
      problems.push(...differences(parsed.data.satisfactionAnalytics, viaRollups, "satisfactionAnalytics").slice(0, 10));
      ctx.log(`W4: HTTP at ${rate} req/s for ${seconds} s after ${warmup} s of warm-up`);
      const loadBefore = os.loadavg()[0];
      const load = await fixedRateLoad({ url, token, payload, expected, rate, seconds, warmup });
      const loadAfter = os.loadavg()[0];
      if (load.failed || load.mismatched) {
        problems.push(`HTTP: ${load.failed} failed, ${load.mismatched} differed; first: ${load.firstProblem}`);
      }
      const httpTiming = timing(load.latencies);
      // What any request costs here (express, Apollo, the bearer token's lookup), at the same rate:
      // the part of the end-to-end time that is not analytics.
      ctx.log(`W4: HTTP baseline ({ __typename }) at ${rate} req/s for ${seconds} s`);
      const baselinePayload = JSON.stringify({ query: "{ __typename }" });
      const baselineExpected = await post(url, token, baselinePayload);
      const baseline = await fixedRateLoad({
        url,
        token,
        payload: baselinePayload,
        expected: baselineExpected,
        rate,
        seconds,
        warmup,
      });
      if (baseline.failed || baseline.mismatched) throw new Error(`W4: baseline requests failed: ${baseline.firstProblem}`);
      const baselineTiming = timing(baseline.latencies);
      const [poolRows] = await conn.query<RowDataPacket[]>("SELECT @@innodb_buffer_pool_size AS size");
      const bufferPoolMiB = Number(poolRows[0].size) / 2 ** 20;

      // Figures.
      const serviceRatio = directTiming.p50 / serviceTiming.p50;
      const endToEndRatio = directTiming.p50 / httpTiming.p50;
      const sqlRatio = directSqlTiming.p50 / rollupSqlTiming.p50;
      const identical = problems.length === 0;
      const tally = setup.tally;
      const row = (peer: string, t: Timing, n: string) =>
        `| ${peer} | ${n} | ${ms(t.p50)} | ${ms(t.p95)} | ${ms(t.p99)} | ${ms(t.mean)} | ` +
        `${(directTiming.p50 / t.p50).toFixed(directTiming.p50 / t.p50 < 10 ? 2 : 0)}× |`;
      const lines = [
        `Monthly review of ${W4_LAST_MONTH} (with MoM ${viaRollups.previousPeriod.label} and YoY ` +
          `${viaRollups.yearAgoPeriod.label}): ${fmt(setup.feedbackRows)} feedback with ${fmt(setup.scoreRows)} ` +
          `scores over 24 months` +
          (tally
            ? ` (${fmt(tally.invalid)} INVALID, ${fmt(tally.tickets)} tickets, ${fmt(tally.customers)} customers, ` +
              `${tally.engineers} engineers, 8 departments, 7 regions, ${fmt(tally.comments)} comments with ` +
              `${fmt(tally.keywordTags)} keyword tags)`
            : "") +
          `; the month holds ${fmt(viaRollups.responses)} valid responses. Rollups: ` +
          Object.entries(setup.rollupRows)
            .map(([table, n]) => `${table} ${fmt(n)} rows`)
            .join(", ") +
          ".",
        "",
        "| peer | runs | p50 ms | p95 ms | p99 ms | mean ms | × faster than the direct scan (p50) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        row(
          `**GraphQL \`satisfactionAnalytics\` over HTTP**, ${rate} req/s fixed rate, ${seconds} s after ${warmup} s warm-up ` +
            `(achieved ${load.achievedRate.toFixed(1)} req/s)`,
          httpTiming,
          fmt(load.sent),
        ),
        row(
          `GraphQL \`{ __typename }\` over HTTP with the same token, same rate (what any request costs)`,
          baselineTiming,
          fmt(baseline.sent),
        ),
        row(
          `\`analyse()\` alone: the service reading the rollups (${serviceStatementCount} statements, ` +
            `${rollupStatements.length} on rollups)`,
          serviceTiming,
          fmt(samples),
        ),
        row(
          `the rollup SQL alone over mysql2 (the limit; ${rollupStatements.length} statements)`,
          rollupSqlTiming,
          fmt(samples),
        ),
        row("`directAnalyse()`: the same figures by aggregate SQL over the indexed raw tables", directTiming, fmt(directRuns)),
        row(`the direct SQL alone over mysql2 (${directStatements.length} statements)`, directSqlTiming, fmt(directRuns)),
        "",
        "| target | figure | met |",
        "| --- | ---: | --- |",
        `| p95 ≤ 20 ms end to end | ${ms(httpTiming.p95)} ms | ${httpTiming.p95 <= 20 ? "yes" : "**no**"} |`,
        `| ≥ 100× the direct scan (\`analyse\` vs \`directAnalyse\`, p50) | ${serviceRatio.toFixed(0)}× | ` +
          `${serviceRatio >= 100 ? "yes" : "**no**"} |`,
        `| numbers identical to the direct scan | ${identical ? "identical" : `${problems.length} difference(s)`} | ` +
          `${identical ? "yes" : "**no**"} |`,
        "",
        `End to end over HTTP the rollup path is ${endToEndRatio.toFixed(0)}× faster than the direct scan ` +
          `called in-process; SQL alone, the rollup statements are ${sqlRatio.toFixed(0)}× faster than the direct ones.`,
        `Where the end-to-end time goes (p50): ${ms(baselineTiming.p50)} ms is what any request costs here ` +
          `(\`{ __typename }\`: HTTP, Apollo, the token lookup); \`analyse\` takes ${ms(serviceTiming.p50)} ms, ` +
          `of which ${ms(rollupSqlTiming.p50)} ms is its rollup SQL and ${ms(serviceTiming.p50 - rollupSqlTiming.p50)} ms ` +
          `the other statements (settings, tag labels), the pool and the figures in JS; the remaining ` +
          `${ms(httpTiming.p50 - baselineTiming.p50 - serviceTiming.p50)} ms is the rest: GraphQL validating, resolving ` +
          `and serialising the result, and waiting behind other requests. The tail: end-to-end p95 is ` +
          `${(httpTiming.p95 / httpTiming.p50).toFixed(1)}× its p50, the ` +
          `baseline request's p95 ${(baselineTiming.p95 / baselineTiming.p50).toFixed(1)}× its own.`,
        `Load average (1 min) on the 2 cores: ${loadBefore.toFixed(2)} before the HTTP run, ${loadAfter.toFixed(2)} after it. ` +
          `InnoDB buffer pool ${fmt(bufferPoolMiB)} MiB (the server's setting; the raw tables exceed it, the rollups of a month do not).`,
        `Checked: the segment snapshot the seed wrote equals \`snapshotSegments\` on ${fmt(setup.snapshotSample)} ` +
          `feedback spread over the data; analyse = directAnalyse on every figure but \`source\`; the replayed rollup rows hold analyse's ` +
          `counts; the first HTTP response equals analyse field by field, and all ${fmt(load.sent)} measured responses ` +
          `equal it byte for byte.`,
        ...(identical ? [] : ["", "Differences:", "", ...problems.map((p) => `- ${p}`)]),
        "",
        setup.reused
          ? `Data reused from an earlier run (\`--reuse\`).`
          : `Setup: seeding ${tally!.seconds.toFixed(0)} s (multi-row INSERTs, 5,000 feedback per transaction, ` +
            `the segment snapshot written with the rows); \`rebuildRollups\` ${setup.rebuildSeconds.toFixed(0)} s.`,
      ];
      return { markdown: lines.join("\n"), met: httpTiming.p95 <= 20 && serviceRatio >= 100 && identical };
    } finally {
      if (server) await server.stop();
      await conn.end();
      await capturing.destroy();
      await dataSource.destroy();
      if (!ctx.flag("keep")) {
        const admin = await db.server();
        await admin.query(`DROP DATABASE IF EXISTS \`${db.name}\``);
        await admin.end();
      }
    }
  },
};
