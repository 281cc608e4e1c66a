import autocannon from "autocannon";

/** One autocannon run against a GraphQL endpoint, every response checked. */
export interface LoadResult {
  /** Requests per second over the measured seconds. */
  rps: number;
  requests: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  /** Responses that were errors, not 2xx, or whose body differed from the expected one. */
  bad: number;
}

export interface LoadOptions {
  url: string;
  /** The POST body (a GraphQL request as JSON). */
  body: string;
  /** Every response body must equal this, byte for byte. */
  expected: string;
  headers?: Record<string, string>;
  connections: number;
  seconds: number;
  /** Fixed overall request rate (open loop, for latency percentiles); unset = closed loop, as fast as it goes. */
  rate?: number;
}

/**
 * Drives `url` with autocannon in a worker thread (so the client does not share the server's
 * event loop): closed loop for throughput, or `rate` requests per second for latency
 * percentiles. A short warm-up run comes first and is not counted.
 */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const common = {
    url: options.url,
    method: "POST" as const,
    body: options.body,
    headers: { "content-type": "application/json", ...options.headers },
    connections: options.connections,
    expectBody: options.expected,
    workers: 1,
  };
  await autocannon({ ...common, duration: 2, ...(options.rate ? { overallRate: options.rate } : {}) });
  const result = await autocannon({
    ...common,
    duration: options.seconds,
    ...(options.rate ? { overallRate: options.rate } : {}),
  });
  return {
    rps: result.requests.total / options.seconds,
    requests: result.requests.total,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    mean: result.latency.mean,
    bad: result.errors + result.timeouts + result.non2xx + result.mismatches,
  };
}

/** POSTs `body` once and returns the response body; throws unless it is HTTP 200 without errors. */
export async function postOnce(url: string, body: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  const text = await response.text();
  if (response.status !== 200 || text.includes('"errors"')) throw new Error(`HTTP ${response.status} from ${url}: ${text.slice(0, 500)}`);
  return text;
}

export const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
export const met = (ok: boolean) => (ok ? "yes" : "**no**");

/** A markdown row for a throughput/latency peer. */
export function loadRow(peer: string, r: LoadResult, ratioText: string): string {
  return `| ${peer} | ${fmt(r.rps)} | ${r.p50} | ${r.p90} | ${r.p99} | ${fmt(r.requests)} | ${r.bad} | ${ratioText} |`;
}
export const LOAD_HEADER = [
  "| peer | req/s | p50 ms | p90 ms | p99 ms | requests | bad responses | ratio |",
  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
];
