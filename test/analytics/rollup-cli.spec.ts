import { execFile } from "node:child_process";
import path from "node:path";
import { Channel, FeedbackSource } from "../../src/common/enums";
import { Feedback, RollupKeyword, RollupResponse, RollupScore } from "../../src/entity";
import { createWorld, startTestApp, TestApp, World } from "../support/test-app";

const ROOT = path.join(__dirname, "../..");

/** `qloop …` from source, in a child process, against the test's database. */
function qloop(databaseUrl: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["-r", "@swc-node/register", "src/cli/main.ts", ...args],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("qloop rollup rebuild", () => {
  let app: TestApp;
  let w: World;
  let url: string;

  beforeAll(async () => {
    app = await startTestApp();
    app.clock.set(new Date("2026-11-20T00:00:00Z"));
    w = await createWorld(app);
    const options = app.dataSource.options as { type: string; database?: string; url?: string };
    url = options.type === "better-sqlite3" ? `sqlite:${options.database}` : options.url!.replace(/^mysql:/, `${options.type}:`);
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
  });

  it("fills the segment snapshot of older feedback and recomputes the rollups", async () => {
    const customer = await app.services.reference.createCustomer({ name: "客户甲", region: "华东" });
    const actor = { id: Number(w.agent.id), roles: ["AGENT" as const], departmentId: null };
    const record = (receivedAt: string, score: number, comment: string | null) =>
      app.services.feedback.recordFeedback(actor, {
        customerId: customer.id,
        ticketId: null,
        templateId: null,
        source: FeedbackSource.CALLBACK,
        channel: Channel.PHONE,
        scores: [{ dimension: "overall", score }],
        comment,
        receivedAt: new Date(receivedAt),
      });
    await record("2026-10-05T08:00:00Z", 4, "响应慢");
    await record("2026-10-06T08:00:00Z", 2, null);
    const expected = await app.services.analytics.analyse({ period: { month: "2026-10" } });
    // (4 + 2) / (5 × 2) = 60.00
    expect([expected.responses, expected.index]).toEqual([2, 60]);

    // As after the migration that added them: feedback without a snapshot, and no rollups.
    await app.dataSource
      .createQueryBuilder()
      .update(Feedback)
      .set({ receivedDay: null, segmentRegion: null, segmentCustomerType: null })
      .execute();
    for (const entity of [RollupScore, RollupResponse, RollupKeyword]) await app.dataSource.getRepository(entity).clear();
    expect((await app.services.analytics.analyse({ period: { month: "2026-10" } })).responses).toBe(0);

    const run = await qloop(url, "rollup", "rebuild");
    expect(run).toMatchObject({ code: 0, stderr: "" });
    // 2 feedback; rows: 6 segment kinds × 2 days × 1 dimension = 12 score rows and 12 response rows;
    // the one tag (slow_response) × 6 kinds = 6 keyword rows.
    expect(run.stdout).toMatch(/2 valid feedback counted; rows: 12 score, 12 response, 6 keyword/);
    expect(await app.services.analytics.analyse({ period: { month: "2026-10" } })).toEqual(expected);
    const snapshot = await app.dataSource.getRepository(Feedback).find({ order: { id: "ASC" } });
    expect(snapshot.map((f) => [f.receivedDay, f.segmentRegion, f.segmentCustomerType])).toEqual([
      ["2026-10-05", "华东", "NEW"],
      ["2026-10-06", "华东", "NEW"],
    ]);
  });
});
