import http from "node:http";
import { createTestDatabase, TestDatabase } from "../support/test-database";
import { databaseUrl, startQloop } from "./qloop-process";

/** `qloop serve` stops gracefully on SIGTERM: requests in flight finish, new ones are refused. */
describe("graceful shutdown", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it("finishes a request in flight, refuses new connections and exits 0", async () => {
    const child = startQloop(["serve"], { DATABASE_URL: databaseUrl(database.config), PORT: "0", LOG_LEVEL: "info" });
    try {
      const started = await logRecord(child, (record) => record.event === "started");
      const port = Number(new URL(started.url as string).port);

      // A request whose body is still arriving when the signal comes: in flight by any measure.
      const body = JSON.stringify({ query: "query Slow { workflowDefinitions { name } }" });
      const request = http.request({
        host: "127.0.0.1",
        port,
        path: "/graphql",
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), "x-request-id": "slow-1" },
      });
      const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
        request.on("response", (res) => {
          let text = "";
          res.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
          res.on("end", () => resolve({ status: res.statusCode!, text }));
        });
        request.on("error", reject);
      });
      request.write(body.slice(0, 12));
      await sleep(300);

      child.kill("SIGTERM");
      await logRecord(child, (record) => record.event === "stopping");
      await waitForRefusal(port);

      request.end(body.slice(12));
      const answered = await response;
      expect(answered.status).toBe(200);
      expect(JSON.parse(answered.text).data.workflowDefinitions.length).toBeGreaterThan(0);

      const finished = await child.output;
      expect(finished.code).toBe(0);
      const records = jsonLines(finished.stdout);
      expect(records.map((record) => record.event).filter(Boolean)).toEqual(["started", "stopping", "stopped"]);
      // The request in flight was logged with the id its client gave.
      expect(records).toContainEqual(expect.objectContaining({ requestId: "slow-1", path: "/graphql", status: 200 }));
      expect(records).toContainEqual(expect.objectContaining({ requestId: "slow-1", operationName: "Slow" }));
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  }, 120_000);
});

type LogRecord = Record<string, unknown>;

function jsonLines(text: string): LogRecord[] {
  return text
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as LogRecord);
}

/** Waits for the first JSON log line on the child's stdout that matches. */
function logRecord(child: ReturnType<typeof startQloop>, matches: (record: LogRecord) => boolean): Promise<LogRecord> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    const onData = (chunk: string) => {
      buffered += chunk;
      const found = jsonLines(buffered.slice(0, buffered.lastIndexOf("\n") + 1)).find(matches);
      if (found) {
        child.stdout!.off("data", onData);
        resolve(found);
      }
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`qloop exited (${code}) before the expected log line`)));
  });
}

/** Resolves once a new TCP connection to the port is refused. */
async function waitForRefusal(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const refused = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      () => false,
      (error: { cause?: { code?: string } }) => error.cause?.code === "ECONNREFUSED",
    );
    if (refused) return;
    await sleep(50);
  }
  throw new Error("new connections were still accepted 10 s after SIGTERM");
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
