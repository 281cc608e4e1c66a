import fs from "node:fs";

/**
 * Generates realistic survey-tool exports (Chinese headers, names, regions, comments with commas,
 * quotes and line breaks) for the import tests and the W5 benchmark. Deterministic for a seed, and
 * it keeps the tallies a test needs to know exactly what an import must do.
 */

export const FEEDBACK_HEADERS = [
  "答卷编号",
  "客户编号",
  "客户名称",
  "电话",
  "区域",
  "工单号",
  "服务类型",
  "提交时间",
  "渠道",
  "响应及时性",
  "解决能力",
  "服务态度",
  "流程合规",
  "总体满意度",
  "意见建议",
];
export const SCORE_HEADERS = ["响应及时性", "解决能力", "服务态度", "流程合规", "总体满意度"];
export const CUSTOMER_HEADERS = ["客户编号", "客户名称", "电话", "区域"];
export const TICKET_HEADERS = ["工单号", "客户编号", "服务类型", "区域", "工程师", "受理时间", "首次响应时间", "完成时间"];

const SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗".split("");
const GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "桂兰", "建华"];
const REGIONS = ["华东", "华南", "华北", "华中", "西南", "西北", "东北"];
const CHANNELS = ["短信", "微信", "电话", "邮件", "上门", "网页"];
const SERVICE_TYPES = ["维修", "安装", "咨询"];
const ENGINEERS = ["刘工", "陈工", "王工", "赵工", "孙工"];
const COMMENTS = [
  "响应慢，等了很久才有人联系",
  "工程师态度很好，讲解耐心",
  "问题没有解决，还要再跑一趟",
  "流程复杂，报修要填很多表",
  "上门迟到了两个小时",
  "价格不透明，收费前没说清楚",
  "回复慢",
  "很满意👍",
  "师傅说\"明天再来\"，结果没来",
  "整体不错\n希望以后响应更快",
  "Service was quick, thanks",
  "态度差，说话不耐烦",
];

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same export. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const customerCode = (i: number) => `C${String(i).padStart(6, "0")}`;
export const ticketCode = (i: number) => `T${String(i).padStart(7, "0")}`;

export interface Customer {
  code: string;
  name: string;
  phone: string;
  region: string;
}

export function makeCustomers(count: number, seed = 1): Customer[] {
  const rnd = random(seed);
  const pick = <T>(list: T[]) => list[Math.floor(rnd() * list.length)];
  return Array.from({ length: count }, (_, i) => ({
    code: customerCode(i + 1),
    name: pick(SURNAMES) + pick(GIVEN),
    phone: `13${String(Math.floor(rnd() * 1e9)).padStart(9, "0")}`,
    region: pick(REGIONS),
  }));
}

export interface Ticket {
  code: string;
  customer: Customer;
}

/** Times as the tool writes them, in China time (+08:00), e.g. 2026-03-05 14:23:11. */
export function chinaTime(instant: Date, style: "dash" | "slash" = "dash"): string {
  const t = new Date(instant.getTime() + 8 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, "0");
  if (style === "slash") {
    return `${t.getUTCFullYear()}/${t.getUTCMonth() + 1}/${t.getUTCDate()} ${t.getUTCHours()}:${p(t.getUTCMinutes())}`;
  }
  return (
    `${t.getUTCFullYear()}-${p(t.getUTCMonth() + 1)}-${p(t.getUTCDate())} ` +
    `${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())}`
  );
}

export interface FeedbackExportSpec {
  rows: number;
  customers: Customer[];
  /** Customers qloop knows before the import; the others are created from their rows. */
  knownCustomers: number;
  tickets: Ticket[];
  /** Share of rows that name one of `tickets` (default 0.1). */
  ticketShare?: number;
  from: Date;
  to: Date;
  seed?: number;
  /** The first answer id (答卷编号). */
  firstResponseId?: number;
}

export interface FeedbackExportTally {
  rows: number;
  scores: number;
  /** Distinct customers unknown to qloop that the rows name (each created once). */
  newCustomers: number;
  /** Rows whose 意见建议 is not blank. */
  comments: number;
}

/** Good rows of a feedback export; `tally` is complete once the generator is exhausted. */
export function* feedbackRows(spec: FeedbackExportSpec, tally: FeedbackExportTally): Generator<string[]> {
  const rnd = random(spec.seed ?? 7);
  const pick = <T>(list: T[]) => list[Math.floor(rnd() * list.length)];
  const span = spec.to.getTime() - spec.from.getTime();
  const newCustomers = new Set<string>();
  const ticketShare = spec.ticketShare ?? 0.1;
  let responseId = spec.firstResponseId ?? 100_000;
  for (let i = 0; i < spec.rows; i++) {
    let customer: Customer;
    let ticket = "";
    if (spec.tickets.length > 0 && rnd() < ticketShare) {
      const t = pick(spec.tickets);
      customer = t.customer;
      ticket = t.code;
    } else {
      const index = Math.floor(rnd() * spec.customers.length);
      customer = spec.customers[index];
      if (index >= spec.knownCustomers) newCustomers.add(customer.code);
    }
    // Mostly satisfied customers, a tail of unhappy ones, and now and then an unanswered question.
    const mood = rnd();
    const scores: string[] = SCORE_HEADERS.map((): string => {
      if (rnd() < 0.03) return "";
      const base = mood < 0.1 ? 1 + Math.floor(rnd() * 2) : mood < 0.3 ? 3 + Math.floor(rnd() * 2) : 4 + Math.floor(rnd() * 2);
      return String(Math.min(5, base));
    });
    if (!scores.some((s) => s !== "")) scores[4] = "4";
    const comment = rnd() < 0.3 ? pick(COMMENTS) : "";
    const receivedAt = new Date(spec.from.getTime() + Math.floor(rnd() * span));
    tally.rows++;
    tally.scores += scores.filter((s) => s !== "").length;
    if (comment !== "") tally.comments++;
    yield [
      String(responseId++),
      customer.code,
      customer.name,
      customer.phone,
      customer.region,
      ticket,
      pick(SERVICE_TYPES),
      chinaTime(receivedAt, rnd() < 0.1 ? "slash" : "dash"),
      pick(CHANNELS),
      ...scores,
      comment,
    ];
  }
  tally.newCustomers = newCustomers.size;
}

export function ticketRows(tickets: Ticket[], from: Date, seed = 3): string[][] {
  const rnd = random(seed);
  return tickets.map((t) => {
    const opened = new Date(from.getTime() + Math.floor(rnd() * 30 * 86_400_000));
    const responded = new Date(opened.getTime() + Math.floor(rnd() * 6 * 3_600_000));
    const completed = new Date(responded.getTime() + Math.floor(rnd() * 48 * 3_600_000));
    return [
      t.code,
      t.customer.code,
      SERVICE_TYPES[Math.floor(rnd() * SERVICE_TYPES.length)],
      t.customer.region,
      ENGINEERS[Math.floor(rnd() * ENGINEERS.length)],
      chinaTime(opened),
      chinaTime(responded),
      chinaTime(completed),
    ];
  });
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Lines a record takes in the file (a quoted cell may hold line breaks). */
export function linesOf(cells: string[]): number {
  return 1 + cells.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
}

/**
 * Writes a CSV (UTF-8 with BOM, CRLF as Excel writes it) in chunks, and returns the line number
 * each record starts on, so tests know the row numbers the report must give.
 */
export function writeCsv(file: string, headers: string[], rows: Iterable<string[]>): number[] {
  const fd = fs.openSync(file, "w");
  const starts: number[] = [];
  try {
    fs.writeSync(fd, "\uFEFF" + headers.map(csvCell).join(",") + "\r\n");
    let line = 2;
    let chunk: string[] = [];
    for (const row of rows) {
      starts.push(line);
      line += linesOf(row);
      chunk.push(row.map(csvCell).join(","));
      if (chunk.length === 5000) {
        fs.writeSync(fd, chunk.join("\r\n") + "\r\n");
        chunk = [];
      }
    }
    if (chunk.length) fs.writeSync(fd, chunk.join("\r\n") + "\r\n");
  } finally {
    fs.closeSync(fd);
  }
  return starts;
}
