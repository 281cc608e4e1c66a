#!/usr/bin/env node
/**
 * The npm registry reachable from these machines serves only the Linux builds of optional native
 * packages (@swc/core-*, jest's unrs resolver bindings, …); npm therefore leaves the others out of
 * package-lock.json, and `npm ci` then rejects the lockfile as out of sync. This adds the missing
 * optional entries with the version their parent pins, marked optional: npm skips them on
 * platforms they do not match and tolerates their absence anywhere. Run after `npm install`.
 */
const fs = require("node:fs");
const path = require("node:path");

const file = path.join(__dirname, "..", "package-lock.json");
const lock = JSON.parse(fs.readFileSync(file, "utf8"));
const packages = lock.packages;
let added = 0;

const PLATFORM = [
  [/darwin/, { os: ["darwin"] }],
  [/win32|windows/, { os: ["win32"] }],
  [/android/, { os: ["android"] }],
  [/freebsd/, { os: ["freebsd"] }],
  [/openharmony/, { os: ["openharmony"] }],
  [/wasm|wasi/, { cpu: ["wasm32"] }],
  [/linux/, { os: ["linux"] }],
];
const CPU = [
  [/arm64|aarch64/, "arm64"],
  [/x64|x86_64/, "x64"],
  [/ia32/, "ia32"],
  [/-arm-|armv7|arm-gnueabihf|arm-musleabihf|-arm$/, "arm"],
  [/ppc64/, "ppc64"],
  [/s390x/, "s390x"],
  [/riscv64/, "riscv64"],
  [/loong64/, "loong64"],
];

for (const [location, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    const nested = `${location}/node_modules/${name}`;
    if (packages[key] || packages[nested]) continue;
    const stub = { version, optional: true };
    if (entry.dev) stub.dev = true;
    for (const [pattern, fields] of PLATFORM) {
      if (pattern.test(name)) {
        Object.assign(stub, fields);
        break;
      }
    }
    const cpu = CPU.find(([pattern]) => pattern.test(name));
    if (cpu && !stub.cpu) stub.cpu = [cpu[1]];
    packages[key] = stub;
    added += 1;
  }
}

const sorted = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))),
);
lock.packages = sorted;
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + "\n");
console.log(`complete-lockfile: added ${added} optional platform entries`);
