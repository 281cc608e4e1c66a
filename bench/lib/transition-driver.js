// W3's client, run in a worker thread so it never shares the server's event loop. Plain JS: the
// worker loads it without a TypeScript compiler.
//
// Alternates CONFIRM and REOPEN on causes, either over HTTP (the qloop server) or as the
// identical transaction statements over a mysql2 pool (the limit). Closed loop (`rate` 0: each
// client sends its next request when the last one answered) or open loop (`rate` requests per
// second, latency from each request's scheduled start). `hot`: every client on one cause, without
// expectedVersion, so they race for the same row.
const { parentPort, workerData } = require("node:worker_threads");
const http = require("node:http");
const { randomUUID } = require("node:crypto");
const { performance } = require("node:perf_hooks");

const { mode, url, token, dbUri, statements, actorId, causes, clients, seconds, warmup, rate, hot } = workerData;
const CONFIRM = `mutation ($id: ID!, $v: Int) { confirmCause(id: $id, evidence: "工单数据", expectedVersion: $v) { __typename ... on Cause { state version } ... on ErrorResult { errorCode } } }`;
const REOPEN = `mutation ($id: ID!, $v: Int) { reopenCause(id: $id, reason: "再查一次", expectedVersion: $v) { __typename ... on Cause { state version } ... on ErrorResult { errorCode } } }`;

const result = { latencies: [], succeeded: 0, refused: {}, failed: 0, wrong: 0, firstProblem: null, achievedRate: 0, skipped: 0 };
let recording = false;
const free = causes.map((c) => ({ ...c }));
const hotCause = hot ? free[0] : null;

const target = url ? new URL(url) : null;
const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
function post(body) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: target.hostname, port: target.port, path: target.pathname, method: "POST", agent,
        headers: { "content-type": "application/json", authorization: "Bearer " + token, "content-length": Buffer.byteLength(body) } },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

let pool = null;
if (mode === "sql") pool = require("mysql2/promise").createPool({ uri: dbUri, connectionLimit: clients, timezone: "Z", charset: "utf8mb4_unicode_ci" });

function problem(text) {
  if (recording) { result.wrong++; result.firstProblem ??= text; }
}

/** One transition on `cause`; updates its known state and version on success. */
async function transitionHttp(cause) {
  const confirm = cause.state === "hypothesis";
  const body = JSON.stringify({ query: confirm ? CONFIRM : REOPEN, variables: { id: String(cause.id), v: hot ? null : cause.version } });
  const res = await post(body);
  if (res.status !== 200) { if (recording) { result.failed++; result.firstProblem ??= `HTTP ${res.status} ${res.body.slice(0, 200)}`; } return; }
  const data = JSON.parse(res.body).data;
  const answer = data && (data.confirmCause || data.reopenCause);
  if (!answer) { if (recording) { result.failed++; result.firstProblem ??= res.body.slice(0, 200); } return; }
  if (answer.__typename === "Cause") {
    const expectedState = confirm ? "confirmed" : "hypothesis";
    if (answer.state !== expectedState) problem(`cause ${cause.id}: ${answer.state} after ${confirm ? "CONFIRM" : "REOPEN"}`);
    if (!hot && answer.version !== cause.version + 1) problem(`cause ${cause.id}: version ${answer.version} after ${cause.version}`);
    cause.state = answer.state;
    cause.version = answer.version;
    result.succeeded++; // warm-up included: the checks compare it with the transition log
    return true;
  }
  // Refused (only expected in the hot run, where clients race): learn the state again.
  result.refused[answer.errorCode] = (result.refused[answer.errorCode] ?? 0) + 1;
  if (!hot) problem(`cause ${cause.id}: refused ${answer.errorCode}`);
  cause.state = cause.state === "hypothesis" ? "confirmed" : "hypothesis";
  return false;
}

/** The identical statements the server runs for one transition, over mysql2 (no GraphQL, no machine). */
async function transitionSql(cause) {
  const conn = await pool.getConnection();
  try {
    await conn.query("START TRANSACTION");
    const [rows] = await conn.query(statements.selectCause, [cause.id]);
    await conn.query(statements.selectIssue, [cause.issueId]);
    const row = rows[0];
    const from = row.Cause_state;
    const confirm = from === "hypothesis";
    const to = confirm ? "confirmed" : "hypothesis";
    const reason = confirm ? "工单数据" : "再查一次";
    const [update] = await conn.query(statements.update, [reason, to, cause.id, row.Cause_version]);
    if (update.affectedRows !== 1) { await conn.query("ROLLBACK"); problem(`cause ${cause.id}: lost the version race`); return false; }
    await conn.query(statements.insertLog, ["CAUSE", cause.id, from, to, confirm ? "CONFIRM" : "REOPEN", actorId, reason, randomUUID()]);
    await conn.query(statements.reload, [cause.id]);
    await conn.query("COMMIT");
    cause.state = to;
    cause.version = row.Cause_version + 1;
    result.succeeded++;
    return true;
  } catch (error) {
    await conn.query("ROLLBACK").catch(() => {});
    if (recording) { result.failed++; result.firstProblem ??= String(error); }
    return false;
  } finally {
    conn.release();
  }
}

const transition = mode === "sql" ? transitionSql : transitionHttp;

async function once(scheduled) {
  const cause = hot ? hotCause : free.pop();
  if (!cause) { if (recording) result.skipped++; return; }
  try {
    await transition(cause);
  } catch (error) {
    if (recording) { result.failed++; result.firstProblem ??= String(error); }
  } finally {
    if (!hot) free.unshift(cause);
  }
  if (recording) result.latencies.push(performance.now() - scheduled);
}

async function closedLoop(duration) {
  const end = performance.now() + duration * 1000;
  const start = performance.now();
  let count = 0;
  await Promise.all(Array.from({ length: clients }, async () => {
    while (performance.now() < end) { await once(performance.now()); count++; }
  }));
  return { took: (performance.now() - start) / 1000, count };
}

async function openLoop(duration) {
  const n = Math.round(duration * rate);
  const interval = 1000 / rate;
  const start = performance.now();
  const pending = [];
  for (let i = 0; i < n; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(once(due));
  }
  await Promise.all(pending);
  return { took: (performance.now() - start) / 1000, count: n };
}

(async () => {
  const run = rate ? openLoop : closedLoop;
  await run(warmup);
  recording = true;
  const { took } = await run(seconds);
  recording = false;
  result.achievedRate = result.latencies.length / took;
  agent.destroy();
  if (pool) await pool.end();
  parentPort.postMessage(result);
})().catch((error) => parentPort.postMessage({ ...result, failed: result.failed + 1, firstProblem: String(error) }));
