/**
 * `npm run codegen:check`: regenerates the typed client into a scratch folder and fails when the
 * committed client/generated/ differs (run `npm run codegen` and commit), or when an operation in
 * client/operations/ no longer validates against schema/schema.graphql (codegen itself fails).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(__dirname, "..");
const committed = path.join(root, "client", "generated");

function filesIn(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => fs.statSync(path.join(dir, name)).isFile()).sort() : [];
}

function main(): number {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "qloop-codegen-"));
  try {
    try {
      execFileSync(path.join(root, "node_modules", ".bin", "graphql-codegen"), ["--config", "codegen.ts", "--errors-only"], {
        cwd: root,
        env: { ...process.env, QLOOP_CODEGEN_OUT: scratch },
        stdio: "inherit",
      });
    } catch {
      console.error("graphql-codegen failed: an operation in client/operations does not match schema/schema.graphql (see above)");
      return 1;
    }
    const problems: string[] = [];
    const names = new Set([...filesIn(scratch), ...filesIn(committed)]);
    for (const name of [...names].sort()) {
      const fresh = path.join(scratch, name);
      const old = path.join(committed, name);
      if (!fs.existsSync(old)) problems.push(`${name} is missing`);
      else if (!fs.existsSync(fresh)) problems.push(`${name} is no longer generated`);
      else if (!fs.readFileSync(old).equals(fs.readFileSync(fresh))) problems.push(`${name} is stale`);
    }
    if (problems.length) {
      console.error("client/generated is out of date with schema/schema.graphql and client/operations (run npm run codegen):");
      for (const problem of problems) console.error(`  ${problem}`);
      return 1;
    }
    console.log("client/generated matches the schema and the operations");
    return 0;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

process.exit(main());
