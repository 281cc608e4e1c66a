/**
 * Soak run: the real server under a steady mixed load for a bounded time, on loopback only.
 *
 *   npm run soak                          # 10 minutes on mariadb://root@127.0.0.1:3306/qloop_soak
 *   npm run soak -- --minutes 2 --clients 8
 *   DATABASE_URL=mariadb://root@127.0.0.1:3306/other npm run soak   # dropped and recreated!
 *
 * Each client loops over a weighted mix: createIssue (some retried with the same Idempotency-Key,
 * whose replay must be byte-identical and must not count), triageIssue of an issue created
 * earlier, postProgress on a few hot action items (version conflicts expected), and an issue list.
 * Every successful mutation writes exactly one transition-log row, refusals none, so at the end
 * the log must have grown by exactly the number of successful mutations. The run is split into
 * windows; for each the report gives throughput, p50/p99 latency, heap and RSS, and the drift
 * between the first and the last window. The exit code is 1 if the count differs, a replay
 * differed or any request failed with an internal error.
 *
 * Memory is the one process holding both the server and the clients (the client side is a few
 * fetch loops); run node with --expose-gc (npm run soak does) so heap figures are measured after
 * a collection and drift means retained memory, not garbage.
 */
import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { Issue, ActionItem, Cause, TransitionLog } from "../src/entity";
import { CauseCategory, IssueKind } from "../src/common/enums";
import { benchDatabase } from "./lib/mariadb";
import { startBenchServer } from "./lib/bench-server";

interface Options {
  minutes: number;
  clients: number;
  windows: number;
  hotItems: number;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { minutes: 10, clients: 8, windows: 10, hotItems: 4 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const value = inline ?? argv[++i];
    const number = Number(value);
    const key = { "--minutes": "minutes", "--clients": "clients", "--windows": "windows", "--hot-items": "hotItems" }[flag] as keyof Options | undefined;
    if (!key) throw new Error(`unknown option ${flag}; use --minutes, --clients, --windows, --hot-items`);
    if (!Number.isFinite(number) || number <= 0) throw new Error(`${flag} must be a positive number`);
    if (key === "minutes" && number > 60) throw new Error("--minutes is bounded at 60");
    options[key] = key === "minutes" ? number : Math.floor(number);
  }
  return options;
}

/** Small deterministic PRNG (mulberry32) so a run's mix is reproducible per client. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const CREATE = `mutation Create($title: String!, $dept: ID!) {
  createIssue(input: { title: $title, departmentId: $dept }) { id state version }
}`;
const TRIAGE = `mutation Triage($id: ID!, $dept: ID!) {
  triageIssue(id: $id, expectedVersion: 1, input: { urgent: false, important: true, impact: MEDIUM, departmentId: $dept }) {
    __typename ... on Issue { state version } ... on TransitionError { errorCode }
  }
}`;
const PROGRESS = `mutation Progress($input: PostProgressInput!, $v: Int) {
  postProgress(input: $input, expectedVersion: $v) {
    __typename ... on ActionItem { version progress } ... on TransitionError { errorCode }
  }
}`;
const LIST = `{ issues(first: 20) { totalCount nodes { id state version nextEvents } } }`;

interface Window {
  requests: number;
  latencies: number[];
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const database = benchDatabase(process.env.DATABASE_URL || "mariadb://root@127.0.0.1:3306/qloop_soak");
  const log = (message: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
  log(`soak: ${options.minutes} min, ${options.clients} clients, database ${database.name} (recreated)`);
  const bench = await startBenchServer(database);
  const url = bench.url;
  if (!["127.0.0.1", "localhost", "[::1]"].includes(new URL(url).hostname)) throw new Error("the soak runs on loopback only");

  // Hot action items: an analysed issue with a confirmed cause and items owned by the soak user.
  const ds = bench.dataSource;
  const issue = await ds.getRepository(Issue).save(
    ds.getRepository(Issue).create({
      kind: IssueKind.SYSTEMIC,
      title: "浸泡测试：改进中的问题",
      description: "",
      departmentId: bench.departmentId,
      assigneeId: bench.userId,
      createdById: bench.userId,
      state: "inProgress",
    }),
  );
  const cause = await ds.getRepository(Cause).save(
    ds.getRepository(Cause).create({ issueId: issue.id, category: CauseCategory.METHOD, text: "派单流程", state: "confirmed", createdById: bench.userId }),
  );
  const items: { id: number; version: number }[] = [];
  for (let i = 0; i < options.hotItems; i++) {
    const item = await ds.getRepository(ActionItem).save(
      ds.getRepository(ActionItem).create({
        issueId: issue.id,
        causeId: cause.id,
        cycle: 1,
        description: `热点措施 ${i + 1}`,
        metric: "响应时长",
        target: 1,
        ownerId: bench.userId,
        departmentId: bench.departmentId,
        plannedStart: "2099-01-01",
        plannedEnd: "2099-12-31",
        state: "inProgress",
      }),
    );
    items.push({ id: item.id, version: item.version });
  }
  const logRowsBefore = await ds.getRepository(TransitionLog).count();

  const durationMs = options.minutes * 60_000;
  const windowMs = durationMs / options.windows;
  const windows: Window[] = Array.from({ length: options.windows }, () => ({ requests: 0, latencies: [] }));
  const memory: { heapMb: number; rssMb: number }[] = [];
  const counts = { succeeded: 0, refused: 0, replays: 0, replayMismatches: 0, internalErrors: 0, otherErrors: 0, reads: 0 };
  const intake: string[] = [];
  const dept = String(bench.departmentId);
  const started = Date.now();
  const deadline = started + durationMs;

  async function post(body: object, key?: string): Promise<{ text: string; json: any; replayed: boolean }> {
    const t0 = performance.now();
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${bench.token}`,
        ...(key ? { "idempotency-key": key } : {}),
      },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    const elapsed = performance.now() - t0;
    const window = windows[Math.min(options.windows - 1, Math.floor((Date.now() - started) / windowMs))];
    window.requests += 1;
    window.latencies.push(elapsed);
    const json = JSON.parse(text);
    for (const error of json.errors ?? []) {
      if (error.extensions?.code === "INTERNAL_SERVER_ERROR" || response.status >= 500) counts.internalErrors += 1;
      else counts.otherErrors += 1;
    }
    return { text, json, replayed: response.headers.get("idempotency-replayed") === "true" };
  }

  async function client(n: number) {
    const next = random(n + 1);
    let sequence = 0;
    while (Date.now() < deadline) {
      const roll = next();
      sequence += 1;
      if (roll < 0.3) {
        const key = `soak-${n}-${sequence}`;
        const body = { query: CREATE, variables: { title: `浸泡 ${n}-${sequence}`, dept } };
        const first = await post(body, key);
        if (first.json.data?.createIssue) {
          if (!first.replayed) counts.succeeded += 1;
          intake.push(first.json.data.createIssue.id);
        }
        if (next() < 0.2) {
          const retry = await post(body, key);
          counts.replays += 1;
          if (!retry.replayed || retry.text !== first.text) counts.replayMismatches += 1;
        }
      } else if (roll < 0.5 && intake.length > 0) {
        const id = intake.shift()!;
        const result = (await post({ query: TRIAGE, variables: { id, dept } })).json.data?.triageIssue;
        if (result?.__typename === "Issue") counts.succeeded += 1;
        else if (result) counts.refused += 1;
      } else if (roll < 0.8) {
        const item = items[Math.floor(next() * items.length)];
        const result = (
          await post({ query: PROGRESS, variables: { input: { actionItemId: String(item.id), progress: Math.floor(next() * 100) }, v: item.version } })
        ).json.data?.postProgress;
        if (result?.__typename === "ActionItem") {
          counts.succeeded += 1;
          item.version = Math.max(item.version, result.version);
        } else if (result) {
          counts.refused += 1;
          const fresh = await ds.getRepository(ActionItem).findOneByOrFail({ id: item.id });
          item.version = fresh.version;
        }
      } else {
        await post({ query: LIST });
        counts.reads += 1;
      }
    }
  }

  const gc = (globalThis as { gc?: () => void }).gc;
  const sampler = setInterval(() => {
    gc?.();
    const usage = process.memoryUsage();
    memory.push({ heapMb: usage.heapUsed / 2 ** 20, rssMb: usage.rss / 2 ** 20 });
    log(`window ${memory.length}/${options.windows}: ${windows[memory.length - 1]?.requests ?? 0} requests, heap ${memory.at(-1)!.heapMb.toFixed(1)} MB`);
  }, windowMs);
  await Promise.all(Array.from({ length: options.clients }, (_, n) => client(n)));
  clearInterval(sampler);
  while (memory.length < options.windows) {
    gc?.();
    const usage = process.memoryUsage();
    memory.push({ heapMb: usage.heapUsed / 2 ** 20, rssMb: usage.rss / 2 ** 20 });
  }

  const logRows = (await ds.getRepository(TransitionLog).count()) - logRowsBefore;
  await bench.stop();

  const rows = windows.map((w, i) => {
    const sorted = [...w.latencies].sort((a, b) => a - b);
    return { window: i + 1, rps: w.requests / (windowMs / 1000), p50: percentile(sorted, 50), p99: percentile(sorted, 99), ...memory[i] };
  });
  const first = rows[0];
  const last = rows[rows.length - 1];
  const drift = (a: number, b: number) => (a === 0 ? 0 : ((b - a) / a) * 100);
  const exact = logRows === counts.succeeded;
  const ok = exact && counts.replayMismatches === 0 && counts.internalErrors === 0;

  const lines = [
    `# Soak — ${new Date().toISOString().slice(0, 10)}`,
    "",
    `${options.minutes} min, ${options.clients} clients on loopback, ${options.hotItems} hot action items, database ${database.name}.`,
    `Reproduce: \`npm run soak -- --minutes ${options.minutes} --clients ${options.clients} --windows ${options.windows} --hot-items ${options.hotItems}\`.`,
    "Shared 2-core machine with other jobs running: absolute latencies are not meaningful, drift is.",
    "",
    "| window | req/s | p50 ms | p99 ms | heap MB | RSS MB |",
    "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map((r) => `| ${r.window} | ${r.rps.toFixed(1)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.heapMb.toFixed(1)} | ${r.rssMb.toFixed(1)} |`),
    "",
    `- Latency drift, first → last window: p50 ${drift(first.p50, last.p50).toFixed(1)} %, p99 ${drift(first.p99, last.p99).toFixed(1)} %.`,
    `- Memory drift, first → last window: heap ${(last.heapMb - first.heapMb).toFixed(1)} MB (${drift(first.heapMb, last.heapMb).toFixed(1)} %), RSS ${(last.rssMb - first.rssMb).toFixed(1)} MB.`,
    `- Successful mutations ${counts.succeeded}, transition-log rows added ${logRows}: ${exact ? "equal" : "**DIFFERENT**"}.`,
    `- Refused (version conflicts, already triaged) ${counts.refused}; reads ${counts.reads}; idempotent retries ${counts.replays}, replays differing ${counts.replayMismatches}.`,
    `- Errors: internal ${counts.internalErrors}, other ${counts.otherErrors}.`,
    `- Verdict: ${ok ? "PASS" : "FAIL"}.`,
    "",
  ];
  const report = lines.join("\n");
  console.log(report);
  const file = path.join(__dirname, "results", `soak-${new Date().toISOString().slice(0, 10)}.md`);
  fs.writeFileSync(file, report);
  log(`written ${path.relative(process.cwd(), file)}`);
  process.exitCode = ok ? 0 : 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
