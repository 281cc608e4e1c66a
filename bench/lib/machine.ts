import os from "node:os";

/** What a result was measured on; figures from different machines are only comparable as ratios. */
export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  database: string;
  /** 1-minute load average when the run started: above the core count, others were busy too. */
  loadAtStart: number;
}

export function describeMachine(database: string): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    database,
    loadAtStart: Math.round(os.loadavg()[0] * 100) / 100,
  };
}

export function machineMarkdown(m: Machine): string {
  return [
    "| machine | |",
    "| --- | --- |",
    `| CPU | ${m.cpu}, ${m.cores} cores |`,
    `| memory | ${m.memoryGiB} GiB |`,
    `| Node | ${m.node} (${m.platform}) |`,
    `| database | ${m.database} |`,
    `| load average at start (1 min) | ${m.loadAtStart} |`,
  ].join("\n");
}
