import cliProgress from "cli-progress";
import type { ImportProgress } from "./pipeline";

export interface ProgressDisplay {
  update(progress: ImportProgress): void;
  stop(): void;
}

const SILENT: ProgressDisplay = { update: () => undefined, stop: () => undefined };

/**
 * A progress bar on stderr (stdout stays clean for the summary): share of the file read, rows,
 * rows per second and the running counts. Silent when stderr is not a terminal (CI, pipes, cron)
 * or when asked to be quiet.
 */
export function progressDisplay(options: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): ProgressDisplay {
  const stream = options.stream ?? process.stderr;
  if (options.quiet || !stream.isTTY) return SILENT;
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format:
        "{bar} {percentage}% | {read} rows | {rate} rows/s | " +
        "new {inserted} · present {present} · rejected {rejected} | {elapsed}s",
      barsize: 24,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(p) {
      const total = p.totalBytes && p.totalBytes > 0 ? p.totalBytes : Math.max(p.bytesRead, 1);
      const payload = {
        read: p.read.toLocaleString("en-US"),
        rate: Math.round(p.read / Math.max(p.elapsedMs / 1000, 0.001)).toLocaleString("en-US"),
        inserted: p.inserted.toLocaleString("en-US"),
        present: p.alreadyPresent.toLocaleString("en-US"),
        rejected: p.rejected.toLocaleString("en-US"),
        elapsed: (p.elapsedMs / 1000).toFixed(1),
      };
      if (!started) {
        bar.start(total, p.bytesRead, payload);
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(p.bytesRead, payload);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
