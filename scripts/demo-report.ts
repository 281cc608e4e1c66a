/**
 * `npm run docs:report`: builds the demo data set (src/demo/) in a scratch SQLite database,
 * renders the monthly review of the demo month and writes docs/reports/monthly-demo.html, then
 * opens it in headless Chromium and writes docs/reports/monthly-demo.png (full page).
 */
import "reflect-metadata";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDataSource } from "../src/db/data-source";
import { DEMO_MONTH, seedDemo } from "../src/demo/demo-data";
import { launchChromium } from "../src/report/browser/chromium";
import { createServices } from "../src/service";

async function main(): Promise<void> {
  const outDir = path.resolve(__dirname, "..", "docs", "reports");
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "qloop-demo-"));
  const dataSource = createDataSource({ kind: "sqlite", file: path.join(scratch, "demo.sqlite") });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations();
    const seeded = await seedDemo(dataSource);
    const report = await createServices(dataSource).reports.render({ kind: "monthly", period: DEMO_MONTH, format: "html", lang: "zh-CN" });
    fs.mkdirSync(outDir, { recursive: true });
    const htmlFile = path.join(outDir, "monthly-demo.html");
    fs.writeFileSync(htmlFile, report.body);
    console.log(`demo: ${seeded.feedback} feedback, ${seeded.issues} issues; wrote ${path.relative(process.cwd(), htmlFile)}`);

    const chromium = await launchChromium();
    try {
      const page = await chromium.context.newPage();
      const problems: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(message.text());
      });
      page.on("pageerror", (error) => problems.push(error.message));
      await page.goto(`file://${htmlFile}`, { waitUntil: "load" });
      const pngFile = path.join(outDir, "monthly-demo.png");
      await page.screenshot({ path: pngFile, fullPage: true });
      if (problems.length) throw new Error(`the report logged errors in Chromium:\n${problems.join("\n")}`);
      console.log(`demo: wrote ${path.relative(process.cwd(), pngFile)}`);
    } finally {
      await chromium.close();
    }
  } finally {
    await dataSource.destroy();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
