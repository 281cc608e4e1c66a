/**
 * `npm run bench` runs every workload; `npm run bench -- --only W5 --rows 200000` picks some.
 * Each workload writes bench/results/<id>-<date>.md with its figures, ratios, targets and the
 * machine. The database is DATABASE_URL (MySQL/MariaDB) or mariadb://root@127.0.0.1:3306/qloop_bench,
 * dropped and recreated as the workloads need: never point it at data you want to keep.
 */
import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { benchDatabase } from "./lib/mariadb";
import { describeMachine, machineMarkdown } from "./lib/machine";
import { BenchContext, Workload } from "./workload";
import { w1 } from "./workloads/w1-graphql-layer";
import { w2 } from "./workloads/w2-nested-list";
import { w3 } from "./workloads/w3-transitions";
import { w4 } from "./workloads/w4-analytics";
import { w5 } from "./workloads/w5-import";
import { w6 } from "./workloads/w6-issue-by-id";

/** The registry: issue 6 adds W1–W4 and W6 here. */
const WORKLOADS: Workload[] = [w1, w2, w3, w4, w5, w6];

function parseArgs(argv: string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--")) throw new Error(`unexpected argument ${arg}`);
    const [name, inline] = arg.slice(2).split("=", 2);
    if (inline !== undefined) args.set(name, inline);
    else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith("--")) args.set(name, argv[++i]);
    else args.set(name, "true");
  }
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const only = args.get("only")?.split(",").map((id) => id.trim().toUpperCase());
  const chosen = WORKLOADS.filter((w) => !only || only.includes(w.id));
  if (only && chosen.length !== only.length) {
    throw new Error(`unknown workload in --only ${only.join(",")}; known: ${WORKLOADS.map((w) => w.id).join(", ")}`);
  }
  const database = benchDatabase();
  const machine = describeMachine(await database.version());
  const ctx: BenchContext = {
    database,
    int(name, fallback) {
      const raw = args.get(name);
      if (raw === undefined) return fallback;
      const n = Number(raw.replace(/[_,]/g, ""));
      if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
      return n;
    },
    flag: (name) => args.has(name),
    log: (message) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${message}`),
  };
  const date = new Date().toISOString().slice(0, 10);
  const reproduce = [...args]
    .filter(([name]) => name !== "only" && name !== "note" && name !== "keep")
    .map(([name, value]) => (value === "true" ? ` --${name}` : ` --${name} ${value}`))
    .join("");
  const dir = path.join(__dirname, "results");
  fs.mkdirSync(dir, { recursive: true });
  for (const workload of chosen) {
    const result = await workload.run(ctx);
    if (result.nothingMeasured) {
      console.error(result.markdown);
      continue;
    }
    const file = path.join(dir, `${workload.id}-${date}.md`);
    const note = args.get("note");
    fs.writeFileSync(
      file,
      [
        `# ${workload.id} — ${workload.title} (${date})`,
        "",
        result.markdown,
        "",
        ...(note ? [`Note: ${note}`, ""] : []),
        machineMarkdown(machine),
        "",
        `Reproduce: \`npm run bench -- --only ${workload.id}${reproduce}\``,
        "",
      ].join("\n"),
    );
    console.log(fs.readFileSync(file, "utf8"));
    console.error(`wrote ${path.relative(process.cwd(), file)}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
