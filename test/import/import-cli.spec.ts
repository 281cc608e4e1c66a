import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Feedback } from "../../src/entity";
import { startTestApp, TestApp } from "../support/test-app";
import { writeCsv } from "./survey-export";

const ROOT = path.join(__dirname, "../..");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `qloop import …` from source, in a child process, against the test's database. */
function qloop(databaseUrl: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["-r", "@swc-node/register", "src/cli/main.ts", ...args],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("qloop import on the command line", () => {
  let app: TestApp;
  let dir: string;
  let url: string;

  beforeAll(async () => {
    app = await startTestApp();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "qloop-import-cli-"));
    const options = app.dataSource.options as { type: string; database?: string; url?: string };
    url = options.type === "better-sqlite3" ? `sqlite:${options.database}` : options.url!.replace(/^mysql:/, `${options.type}:`);
    writeCsv(path.join(dir, "export.csv"), ["答卷编号", "客户编号", "客户名称", "提交时间", "渠道", "服务态度", "总体满意度", "意见建议"], [
      ["9001", "CLI-1", "张三", "2026-03-05 10:00:00", "短信", "5", "5", "很好"],
      ["9002", "CLI-2", "李四", "2026-03-06 11:00:00", "微信", "2", "2", "态度差"],
      ["9003", "CLI-3", "王五", "2026-03-07 12:00:00", "传真", "4", "4", ""],
    ]);
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("imports a file, prints the summary, writes the rejected rows next to it and exits 0", async () => {
    // No --quiet: stderr is not a terminal here, so the progress bar stays silent by itself.
    const run = await qloop(url, "import", "feedback", path.join(dir, "export.csv"));
    expect(run).toMatchObject({ code: 0 });
    expect(run.stdout).toMatch(/inserted\s+2\b/);
    expect(run.stdout).toMatch(/rejected\s+1\b/);
    expect(run.stderr).toBe("");
    const report = fs.readFileSync(path.join(dir, "export.rejected.csv"), "utf8");
    expect(report).toContain("4,渠道,channel,传真,");
    expect(await app.dataSource.getRepository(Feedback).count()).toBe(2);
  });

  it("exits 2 with --fail-on-reject when rows were rejected, inserting nothing the second time", async () => {
    const run = await qloop(url, "import", "feedback", path.join(dir, "export.csv"), "--fail-on-reject", "--report", path.join(dir, "r.csv"));
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/inserted\s+0\b/);
    expect(run.stdout).toMatch(/already present\s+2\b/);
    expect(await app.dataSource.getRepository(Feedback).count()).toBe(2);
  });

  it("refuses a missing file, a bad mapping and a file without a required column with a clear message", async () => {
    fs.writeFileSync(path.join(dir, "bad-mapping.json"), JSON.stringify({ columns: { 客户编号: "customerKode" } }));
    writeCsv(path.join(dir, "no-time.csv"), ["客户编号", "渠道", "总体满意度"], [["CLI-1", "短信", "5"]]);
    const [missing, mapping, columns] = await Promise.all([
      qloop(url, "import", "feedback", path.join(dir, "nope.csv")),
      qloop(url, "import", "feedback", path.join(dir, "export.csv"), "--mapping", path.join(dir, "bad-mapping.json")),
      qloop(url, "import", "tickets", path.join(dir, "no-time.csv")),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^qloop: cannot read .*nope\.csv: no such file\n$/);
    expect(mapping.code).toBe(1);
    expect(mapping.stderr).toMatch(/^qloop: .*bad-mapping\.json: columns\.客户编号: unknown field "customerKode"/);
    expect(columns.code).toBe(1);
    expect(columns.stderr).toMatch(/^qloop: the file has no column for ticketCode \(工单号/);
    expect(await app.dataSource.getRepository(Feedback).count()).toBe(2);
  });

  it("takes --concurrency for feedback and refuses a value outside 1 to 8 before opening the database", async () => {
    const [zero, text, ok] = await Promise.all([
      qloop(url, "import", "feedback", path.join(dir, "export.csv"), "--concurrency", "0"),
      qloop(url, "import", "feedback", path.join(dir, "export.csv"), "--concurrency", "two"),
      qloop(url, "import", "feedback", path.join(dir, "export.csv"), "--concurrency", "4", "--report", path.join(dir, "c.csv")),
    ]);
    expect(zero.code).toBe(1);
    expect(zero.stderr).toMatch(/--concurrency <n>' argument '0' is invalid\. must be an integer from 1 to 8/);
    expect(text.code).toBe(1);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/already present\s+2\b/);
    expect(await app.dataSource.getRepository(Feedback).count()).toBe(2);
  });
});
