import { performance } from "node:perf_hooks";
import type { Connection } from "mysql2/promise";
import { Channel, FeedbackSource, TicketType, VerificationStatus } from "../../src/common/enums";
import { CustomerType } from "../../src/service/analytics/types";
import { DEFAULT_KEYWORD_TAGS } from "../../src/service/keywords/default-taxonomy";
import { compileTaxonomy, TagMatch, tagText } from "../../src/service/keywords/tagger";
import { random } from "../../test/import/survey-export";

/**
 * W4's data: departments, engineers, customers, service tickets and feedback with ~5 scores each,
 * spread over 24 months, written straight into MariaDB with multi-row INSERTs (one transaction per
 * batch, the next batch generated while the previous one is written). Deterministic for a seed.
 *
 * The model, so the figures look like a real after-sales operation rather than noise:
 *  - volume grows ~1.5% a month with a seasonal swing; times ascend with the feedback id;
 *  - 88% of feedback answers a ticket (one ticket each, opened 1–5 days before); the rest are
 *    general surveys without one;
 *  - a ticket's region is mostly its customer's; field engineers belong to their region's service
 *    centre, installers to the installation department, escalated repairs to technical support;
 *    consultations and complaints have no engineer (customer service / after-sales departments);
 *  - each feedback has a latent satisfaction = base + department + region + engineer + service type
 *    + new/returning + a slow upward trend + noise; each of the 5 dimensions adds its own offset and
 *    noise, rounded to 1–5; ~4% of answers are skipped;
 *  - ~10% is INVALID (more often when every score is the same), the rest verified or not yet;
 *  - comments are likelier the lower the scores, name the weakest dimension's problems, and carry
 *    the keyword tags qloop's tagger finds in them (feedback_keyword rows);
 *  - each feedback carries its segment snapshot (receivedDay, segment… columns) as qloop writes it
 *    when feedback is recorded; the workload checks a sample against `snapshotSegments`.
 */

export const W4_DIMENSIONS = ["responsiveness", "resolution", "attitude", "compliance", "overall"] as const;
const DIMENSION_OFFSET = [-0.25, -0.12, 0.18, 0.06, 0];

/** The newest month of the data; W4 measures the monthly review of it (MoM and YoY exist). */
export const W4_LAST_MONTH = "2026-10";
export const W4_MONTHS = 24;

export const W4_REGIONS = ["华东", "华南", "华北", "华中", "西南", "西北", "东北"];
const REGION_WEIGHTS = [0.28, 0.22, 0.16, 0.12, 0.1, 0.06, 0.06];
const REGION_EFFECT = [0.12, 0.05, 0, -0.05, -0.12, -0.2, -0.08];

export const W4_DEPARTMENTS = [
  "华东服务中心",
  "华南服务中心",
  "华北服务中心",
  "西部服务中心",
  "安装工程部",
  "技术支持部",
  "客户服务中心",
  "售后服务部",
];
const DEPARTMENT_EFFECT = [0.1, 0.02, -0.05, -0.18, 0.05, 0.15, -0.02, -0.3];
/** The field service centre (department index) of each region. */
const REGION_CENTRE = [0, 1, 2, 3, 3, 3, 2];
const INSTALLATION = 4;
const TECH_SUPPORT = 5;
const CUSTOMER_SERVICE = 6;
const AFTER_SALES = 7;

const TICKET_TYPES = [
  TicketType.REPAIR,
  TicketType.INSTALLATION,
  TicketType.CONSULTATION,
  TicketType.COMPLAINT,
  TicketType.REVISIT,
];
const TICKET_TYPE_WEIGHTS = [0.45, 0.22, 0.15, 0.06, 0.12];
const TICKET_TYPE_EFFECT = [-0.05, 0.12, 0.15, -0.85, 0.05];

const CHANNELS = [Channel.SMS, Channel.APP, Channel.PHONE, Channel.WEB, Channel.EMAIL, Channel.VISIT];
const CHANNEL_WEIGHTS = [0.3, 0.25, 0.2, 0.1, 0.05, 0.1];
const SOURCES = [FeedbackSource.SURVEY, FeedbackSource.CALLBACK, FeedbackSource.IMPORT];
const SOURCE_WEIGHTS = [0.8, 0.15, 0.05];

const SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹".split("");
const GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "桂兰", "建华", "志强", "海燕"];

/** Comments by the weakest dimension (complaints), and for satisfied customers. */
const NEGATIVE_COMMENTS: string[][] = [
  [
    "响应慢，等了很久才有人联系",
    "回复慢，打了三次电话",
    "工程师迟到了两个小时，也没打招呼",
    "客服电话一直打不通",
    "报修后拖了很久才派单",
    "上门没按时，等了半天",
  ],
  [
    "问题没有解决，还要再跑一趟",
    "修了好几次还是坏",
    "师傅技术不行，一问三不知",
    "没修好，第二天又坏了",
    "返修两次了，问题依旧",
  ],
  ["态度差，说话不耐烦", "客服爱答不理，很冷漠", "工程师态度不好，敷衍了事", "推诿责任，踢皮球"],
  [
    "流程复杂，报修要填很多表",
    "价格不透明，收费前没说清楚",
    "临时加价，没有收据",
    "换配件未提前告知价格",
    "手续繁琐，来回跑了好几趟",
  ],
  ["整体体验一般，希望改进", "不太满意，下次再看", "服务还行，就是有点慢"],
];
const POSITIVE_COMMENTS = [
  "工程师态度很好，讲解耐心",
  "很满意，响应很快",
  "师傅很专业，一次就修好了",
  "服务周到，点赞",
  "整体不错，希望以后响应更快",
  "上门准时，收费清楚",
];

export interface W4SeedSpec {
  rows: number;
  seed: number;
}

export interface W4Tally {
  feedback: number;
  invalid: number;
  scores: number;
  tickets: number;
  customers: number;
  engineers: number;
  comments: number;
  keywordTags: number;
  seconds: number;
}

interface Engineer {
  name: string;
  department: number;
  region: number;
  effect: number;
}

const sqlString = (s: string) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
/** A DATETIME(6) literal in UTC. */
const sqlTime = (ms: number) => {
  const iso = new Date(ms).toISOString();
  return `'${iso.slice(0, 10)} ${iso.slice(11, 23)}'`;
};

function cumulative(weights: number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => (out[i] = sum += w));
  for (let i = 0; i < out.length; i++) out[i] /= sum;
  return out;
}

function pickWeighted(cum: Float64Array, r: number): number {
  for (let i = 0; i < cum.length; i++) if (r < cum[i]) return i;
  return cum.length - 1;
}

/** First day (UTC, ms) of month `index` of the 24, index 0 the oldest. */
export function w4MonthStart(index: number): number {
  const [year, month] = W4_LAST_MONTH.split("-").map(Number);
  return Date.UTC(year, month - 1 - (W4_MONTHS - 1 - index), 1);
}

/**
 * Seeds departments, customers, tickets, feedback, scores and keyword tags into a freshly migrated
 * database (holding the system user `actorId` and the keyword taxonomy). Batches go round-robin to
 * `connections`; one is enough (on 2 shared cores a second one measured no faster).
 */
export async function seedW4(
  connections: Connection[],
  spec: W4SeedSpec,
  actorId: number,
  log: (message: string) => void,
): Promise<W4Tally> {
  const started = performance.now();
  const rnd = random(spec.seed);
  let spare: number | null = null;
  const gauss = () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const u = 1 - rnd();
    const v = rnd();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  const regionCum = cumulative(REGION_WEIGHTS);
  const typeCum = cumulative(TICKET_TYPE_WEIGHTS);
  const channelCum = cumulative(CHANNEL_WEIGHTS);
  const sourceCum = cumulative(SOURCE_WEIGHTS);
  const taxonomy = compileTaxonomy(DEFAULT_KEYWORD_TAGS);
  const tagged = (text: string) => ({ sql: sqlString(text), tags: tagText(text, taxonomy) });
  const negative = NEGATIVE_COMMENTS.map((list) => list.map(tagged));
  const positive = POSITIVE_COMMENTS.map(tagged);
  const tally: W4Tally = {
    feedback: 0,
    invalid: 0,
    scores: 0,
    tickets: 0,
    customers: Math.max(100, Math.round(spec.rows / 5)),
    engineers: 0,
    comments: 0,
    keywordTags: 0,
    seconds: 0,
  };
  const conn = connections[0];
  for (const c of connections) await c.query("SET SESSION unique_checks = 0, foreign_key_checks = 0");

  // Departments (ids 1..8 in list order).
  const createdAt = sqlTime(w4MonthStart(0) - 365 * 86_400_000);
  await conn.query(
    `INSERT INTO department (id, name, createdAt) VALUES ${W4_DEPARTMENTS.map((name, i) => `(${i + 1}, ${sqlString(name)}, ${createdAt})`).join(",")}`,
  );

  // Engineers: 20 field engineers per region, 4 installers per region, 10 technical support.
  const names = new Set<string>();
  const engineerName = () => {
    for (;;) {
      const name = SURNAMES[Math.floor(rnd() * SURNAMES.length)] + GIVEN[Math.floor(rnd() * GIVEN.length)];
      if (!names.has(name)) {
        names.add(name);
        return name;
      }
    }
  };
  const engineer = (department: number, region: number): Engineer => ({
    name: engineerName(),
    department,
    region,
    effect: gauss() * 0.22,
  });
  const field = W4_REGIONS.map((_, r) => Array.from({ length: 20 }, () => engineer(REGION_CENTRE[r], r)));
  const installers = W4_REGIONS.map((_, r) => Array.from({ length: 4 }, () => engineer(INSTALLATION, r)));
  const support = Array.from({ length: 10 }, () => engineer(TECH_SUPPORT, -1));
  tally.engineers = names.size;

  // Customers: a region each; some customers come back far more often than others (below).
  const customerRegion = new Uint8Array(tally.customers + 1);
  const hadTicket = new Uint8Array(tally.customers + 1);
  const lastFeedbackAt = new Float64Array(tally.customers + 1);
  for (let start = 1; start <= tally.customers; start += 10_000) {
    const values: string[] = [];
    for (let id = start; id < Math.min(start + 10_000, tally.customers + 1); id++) {
      const region = pickWeighted(regionCum, rnd());
      customerRegion[id] = region;
      const name = SURNAMES[Math.floor(rnd() * SURNAMES.length)] + GIVEN[Math.floor(rnd() * GIVEN.length)];
      const phone = `13${String(Math.floor(rnd() * 1e9)).padStart(9, "0")}`;
      values.push(`(${id}, ${sqlString(name)}, '${phone}', 'K${String(id).padStart(7, "0")}', ${sqlString(W4_REGIONS[region])}, ${createdAt})`);
    }
    await conn.query(`INSERT INTO customer (id, name, phone, code, region, createdAt) VALUES ${values.join(",")}`);
  }
  log(`W4 seed: ${tally.customers.toLocaleString("en-US")} customers, ${tally.engineers} engineers`);

  // Feedback per month: growth and a seasonal swing, normalised to spec.rows.
  const weights = Array.from({ length: W4_MONTHS }, (_, m) => (1 + 0.015 * m) * (1 + 0.12 * Math.sin((m / 12) * 2 * Math.PI)));
  const total = weights.reduce((a, b) => a + b, 0);
  const perMonth = weights.map((w) => Math.floor((w / total) * spec.rows));
  perMonth[W4_MONTHS - 1] += spec.rows - perMonth.reduce((a, b) => a + b, 0);

  const BATCH = 5_000;
  const feedbackColumns = [
    "id", "source", "channel", "customerId", "ticketId", "comment", "verificationStatus", "verificationNote",
    "receivedAt", "recordedById", "createdAt", "version",
    // The segment snapshot, as qloop takes it when feedback is recorded (snapshotSegments).
    "receivedDay", "segmentDepartmentId", "segmentRegion", "segmentServiceType", "segmentCustomerType", "segmentEngineer",
  ];
  const insertFeedback = `INSERT INTO feedback (${feedbackColumns.join(", ")}) VALUES `;
  const insertTicket =
    "INSERT INTO service_ticket (id, code, customerId, type, region, engineer, departmentId, openedAt, firstResponseAt, completedAt) VALUES ";
  let tickets: string[] = [];
  let feedback: string[] = [];
  let scores: string[] = [];
  let keywords: string[] = [];
  // Batches go round-robin to the connections, each writing while the next batch is generated.
  const writing: Promise<void>[] = connections.map(() => Promise.resolve());
  let batchNumber = 0;
  const flush = async () => {
    const statements = [
      tickets.length ? insertTicket + tickets.join(",") : null,
      insertFeedback + feedback.join(","),
      scores.length ? "INSERT INTO feedback_score (feedbackId, dimension, score) VALUES " + scores.join(",") : null,
      keywords.length
        ? "INSERT INTO feedback_keyword (feedbackId, tagCode, synonym, receivedAt) VALUES " + keywords.join(",")
        : null,
    ].filter((s): s is string => s !== null);
    tickets = [];
    feedback = [];
    scores = [];
    keywords = [];
    const slot = batchNumber++ % connections.length;
    const writer = connections[slot];
    await writing[slot];
    writing[slot] = (async () => {
      await writer.query("START TRANSACTION");
      for (const sql of statements) await writer.query(sql);
      await writer.query("COMMIT");
    })();
    // An unhandled rejection would end the process before the next await sees it.
    writing[slot].catch(() => undefined);
  };

  const dimensionSql = W4_DIMENSIONS.map((d) => `'${d}'`);
  const regionSql = W4_REGIONS.map(sqlString);
  const customerTypeSql = (returning: boolean) => `'${returning ? CustomerType.RETURNING : CustomerType.NEW}'`;
  const score = new Int8Array(W4_DIMENSIONS.length);
  let id = 0;
  let ticketId = 0;
  for (let m = 0; m < W4_MONTHS; m++) {
    const monthStart = w4MonthStart(m);
    const monthLength = w4MonthStart(m + 1) - monthStart;
    const trend = 0.25 * (m / (W4_MONTHS - 1)) - 0.1;
    const n = perMonth[m];
    for (let j = 0; j < n; j++) {
      id++;
      const receivedAt = monthStart + Math.floor(((j + rnd()) / n) * monthLength);
      // Frequent customers: a skew towards low ids.
      const customerId = 1 + Math.floor(tally.customers * Math.pow(rnd(), 1.6));
      // Returning: the customer had a ticket opened before this feedback's ticket (before the
      // feedback itself without one). Tickets are opened after the customer's previous feedback, so
      // "generated before" and "opened before" agree and the snapshot below is qloop's exactly.
      const returning = hadTicket[customerId] === 1;
      let effect = returning ? -0.08 : 0.05;
      let segmentSql: string;
      let ticketSql = "NULL";
      if (rnd() < 0.88) {
        ticketId++;
        const type = pickWeighted(typeCum, rnd());
        const region = rnd() < 0.95 ? customerRegion[customerId] : pickWeighted(regionCum, rnd());
        let eng: Engineer | null = null;
        let department: number;
        if (TICKET_TYPES[type] === TicketType.CONSULTATION) department = CUSTOMER_SERVICE;
        else if (TICKET_TYPES[type] === TicketType.COMPLAINT) department = AFTER_SALES;
        else {
          if (TICKET_TYPES[type] === TicketType.INSTALLATION) eng = installers[region][Math.floor(rnd() * 4)];
          else if (TICKET_TYPES[type] === TicketType.REPAIR && rnd() < 0.1) eng = support[Math.floor(rnd() * 10)];
          else eng = field[region][Math.floor(Math.pow(rnd(), 1.3) * 20)];
          department = eng.department;
        }
        effect += DEPARTMENT_EFFECT[department] + REGION_EFFECT[region] + TICKET_TYPE_EFFECT[type] + (eng?.effect ?? 0);
        let opened = Math.max(receivedAt - Math.floor(86_400_000 * (1 + rnd() * 4)), lastFeedbackAt[customerId] + 1_000);
        if (opened >= receivedAt - 1_000) opened = Math.floor((lastFeedbackAt[customerId] + receivedAt) / 2);
        const responded = opened + Math.floor((receivedAt - opened) * (0.05 + rnd() * 0.2));
        const completed = responded + Math.floor((receivedAt - responded) * (0.3 + rnd() * 0.6));
        const engineerSql = eng ? sqlString(eng.name) : "NULL";
        tickets.push(
          `(${ticketId}, 'W${String(ticketId).padStart(8, "0")}', ${customerId}, '${TICKET_TYPES[type]}', ` +
            `${regionSql[region]}, ${engineerSql}, ${department + 1}, ` +
            `${sqlTime(opened)}, ${sqlTime(responded)}, ${sqlTime(completed)})`,
        );
        hadTicket[customerId] = 1;
        tally.tickets++;
        ticketSql = String(ticketId);
        segmentSql = `${department + 1},${regionSql[region]},'${TICKET_TYPES[type]}',${customerTypeSql(returning)},${engineerSql}`;
      } else {
        const region = customerRegion[customerId];
        effect += REGION_EFFECT[region] - 0.05;
        segmentSql = `NULL,${regionSql[region]},NULL,${customerTypeSql(returning)},NULL`;
      }
      lastFeedbackAt[customerId] = receivedAt;

      // A tail of furious customers (a failed repair, a no-show) below the bell curve.
      const latent = 4.05 + effect + trend + gauss() * 0.55 - (rnd() < 0.03 ? 1.8 : 0);
      let answered = 0;
      let lowest = 0;
      let allSame = true;
      for (let d = 0; d < W4_DIMENSIONS.length; d++) {
        if (rnd() < 0.04 && !(d === W4_DIMENSIONS.length - 1 && answered === 0)) {
          score[d] = 0;
          continue;
        }
        const s = Math.min(5, Math.max(1, Math.round(latent + DIMENSION_OFFSET[d] + gauss() * 0.45)));
        if (answered > 0 && s !== score[lowest]) allSame = false;
        if (answered === 0 || s < score[lowest]) lowest = d;
        score[d] = s;
        answered++;
        scores.push(`(${id},${dimensionSql[d]},${s})`);
      }
      tally.scores += answered;
      const minScore = score[lowest];

      const invalid = rnd() < (allSame && answered > 2 ? 0.2 : 0.085);
      let status: VerificationStatus;
      if (invalid) {
        status = VerificationStatus.INVALID;
        tally.invalid++;
      } else {
        const r = rnd();
        status = r < 0.55 ? VerificationStatus.VERIFIED : r < 0.95 ? VerificationStatus.UNVERIFIED : VerificationStatus.TO_VERIFY;
      }

      let comment: { sql: string; tags: TagMatch[] } | null = null;
      const commentChance = minScore <= 2 ? 0.7 : minScore === 3 ? 0.45 : 0.15;
      if (rnd() < commentChance) {
        const list = minScore >= 4 ? positive : minScore === 3 && rnd() < 0.4 ? negative[4] : negative[lowest === 4 ? 4 : lowest];
        comment = list[Math.floor(rnd() * list.length)];
        tally.comments++;
        for (const tag of comment.tags) {
          keywords.push(`(${id},'${tag.code}',${sqlString(tag.synonym)},${sqlTime(receivedAt)})`);
          tally.keywordTags++;
        }
      }
      const time = sqlTime(receivedAt);
      feedback.push(
        `(${id},'${SOURCES[pickWeighted(sourceCum, rnd())]}','${CHANNELS[pickWeighted(channelCum, rnd())]}',` +
          `${customerId},${ticketSql},${comment?.sql ?? "NULL"},'${status}',` +
          `${invalid ? "'回访核实：无效评价'" : "NULL"},${time},${actorId},${time},1,` +
          `'${new Date(receivedAt).toISOString().slice(0, 10)}',${segmentSql})`,
      );
      tally.feedback++;
      if (feedback.length === BATCH) await flush();
      if (id % 500_000 === 0) log(`W4 seed: ${id.toLocaleString("en-US")} feedback`);
    }
  }
  if (feedback.length) await flush();
  await Promise.all(writing);
  for (const c of connections) await c.query("SET SESSION unique_checks = 1, foreign_key_checks = 1");
  tally.seconds = (performance.now() - started) / 1000;
  return tally;
}
