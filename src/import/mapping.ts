import fs from "node:fs";
import { Channel, TicketType } from "../common/enums";
import { DEFAULT_DIMENSIONS } from "../service/reference.service";
import { ImportError } from "./import-error";
import { compileDateFormat, parseTimeZone } from "./values";

/**
 * How the columns of a survey-tool export become qloop fields. The default mapping reads the
 * Chinese headers of a common export (客户编号, 提交时间, 响应及时性 …); a mapping file (JSON, see
 * examples/import/mapping.zh-CN.json and docs/import.md) describes any other export.
 */

/** Fields a column can feed. Each import kind uses the ones that make sense for it. */
export const IMPORT_FIELDS = {
  responseId: "the survey tool's id of the answer (答卷编号); it becomes the import key",
  customerCode: "customer number (客户编号), how rows find their customer",
  customerName: "customer name (客户名称); lets an unknown customer be created",
  phone: "customer phone (电话)",
  email: "customer e-mail",
  region: "region (区域) of the customer, and of the service on a ticket",
  ticketCode: "ticket number (工单号)",
  ticketType: "kind of service (服务类型), through values.ticketType",
  engineer: "engineer who served the customer",
  department: "name of the department that owns the ticket, as in qloop",
  openedAt: "when the ticket was opened",
  firstResponseAt: "first response to the customer on the ticket",
  completedAt: "when the service was completed",
  receivedAt: "when the customer answered (提交时间)",
  channel: "channel of the answer (渠道), through values.channel",
  comment: "free-text comment (意见建议)",
} as const;

export type ImportField = keyof typeof IMPORT_FIELDS;
export type ImportKind = "feedback" | "tickets" | "customers";

export interface ImportMapping {
  /** Header → field. */
  columns: Record<string, ImportField>;
  /** Header → dimension code of a 1–5 score column. */
  scores: Record<string, string>;
  /** Cell text → value, per enum-like field; the enum's own codes are always accepted too. */
  values: {
    channel: Record<string, Channel>;
    ticketType: Record<string, TicketType>;
    /** Worded answers to a score question, e.g. 非常满意 → 5. */
    score: Record<string, number>;
  };
  /** Tried in order; tokens YYYY, M/MM, D/DD, H/HH, mm, ss, SSS. ISO 8601 is always accepted. */
  dateFormats: string[];
  /** UTC offset of times written without one, e.g. "+08:00" (China has no daylight saving). */
  timeZone: string;
  /** Cell texts that mean "no answer", e.g. 问卷星's (跳过). */
  blankValues: string[];
  /** Field → value used when the column is absent or the cell is blank, e.g. {"channel": "SMS"}. */
  defaults: Partial<Record<ImportField, string>>;
  /**
   * Prepended to the response id to form the import key. Tools that number answers per survey
   * need one prefix per survey, or answer 17 of one survey would be taken for answer 17 of another.
   */
  keyPrefix: string;
}

/** The five default dimensions, under the Chinese names survey templates print (DESIGN.md). */
const DEFAULT_SCORE_COLUMNS = Object.fromEntries(DEFAULT_DIMENSIONS.map((d) => [d.name, d.code]));

export const DEFAULT_MAPPING: ImportMapping = {
  columns: {
    答卷编号: "responseId",
    答卷ID: "responseId",
    客户编号: "customerCode",
    客户代码: "customerCode",
    客户名称: "customerName",
    客户姓名: "customerName",
    电话: "phone",
    联系电话: "phone",
    手机号: "phone",
    邮箱: "email",
    电子邮箱: "email",
    区域: "region",
    地区: "region",
    工单号: "ticketCode",
    工单编号: "ticketCode",
    服务类型: "ticketType",
    工程师: "engineer",
    服务工程师: "engineer",
    部门: "department",
    服务部门: "department",
    受理时间: "openedAt",
    报修时间: "openedAt",
    首次响应时间: "firstResponseAt",
    完成时间: "completedAt",
    完工时间: "completedAt",
    提交时间: "receivedAt",
    提交答卷时间: "receivedAt",
    评价时间: "receivedAt",
    渠道: "channel",
    意见建议: "comment",
    意见和建议: "comment",
    其他意见: "comment",
  },
  scores: DEFAULT_SCORE_COLUMNS,
  values: {
    channel: {
      短信: Channel.SMS,
      邮件: Channel.EMAIL,
      电子邮件: Channel.EMAIL,
      电话: Channel.PHONE,
      电话回访: Channel.PHONE,
      上门: Channel.VISIT,
      现场: Channel.VISIT,
      上门回访: Channel.VISIT,
      微信: Channel.APP,
      小程序: Channel.APP,
      应用: Channel.APP,
      网页: Channel.WEB,
      链接: Channel.WEB,
    },
    ticketType: {
      维修: TicketType.REPAIR,
      报修: TicketType.REPAIR,
      安装: TicketType.INSTALLATION,
      咨询: TicketType.CONSULTATION,
      投诉: TicketType.COMPLAINT,
      回访: TicketType.REVISIT,
    },
    score: { 非常满意: 5, 满意: 4, 一般: 3, 不满意: 2, 非常不满意: 1 },
  },
  dateFormats: [
    "YYYY-MM-DD HH:mm:ss",
    "YYYY-MM-DD HH:mm",
    "YYYY-MM-DD",
    "YYYY/MM/DD HH:mm:ss",
    "YYYY/MM/DD HH:mm",
    "YYYY/MM/DD",
    "YYYY年MM月DD日 HH:mm:ss",
    "YYYY年MM月DD日 HH:mm",
    "YYYY年MM月DD日",
  ],
  timeZone: "+08:00",
  blankValues: ["(跳过)", "(空)", "-", "—", "无", "N/A"],
  defaults: {},
  keyPrefix: "",
};

/** Which fields each kind reads, and which it cannot do without. */
export const KIND_FIELDS: Record<ImportKind, { uses: ImportField[]; requires: ImportField[]; scores: boolean }> = {
  feedback: {
    uses: [
      "responseId",
      "customerCode",
      "customerName",
      "phone",
      "email",
      "region",
      "ticketCode",
      "receivedAt",
      "channel",
      "comment",
    ],
    requires: ["customerCode", "receivedAt", "channel"],
    scores: true,
  },
  tickets: {
    uses: [
      "ticketCode",
      "customerCode",
      "customerName",
      "phone",
      "email",
      "region",
      "ticketType",
      "engineer",
      "department",
      "openedAt",
      "firstResponseAt",
      "completedAt",
    ],
    requires: ["ticketCode", "customerCode", "ticketType", "openedAt"],
    scores: false,
  },
  customers: {
    uses: ["customerCode", "customerName", "phone", "email", "region"],
    requires: ["customerCode", "customerName"],
    scores: false,
  },
};

const DIMENSION_CODE = /^[a-z][a-zA-Z0-9_]{0,63}$/;
const MAPPING_KEYS = ["columns", "scores", "values", "dateFormats", "timeZone", "blankValues", "defaults", "keyPrefix"];

/**
 * Headers are compared after trimming and dropping a leading question number, because survey
 * tools print "3、服务态度" or "Q3. 服务态度" where the mapping says 服务态度.
 */
export function normaliseHeader(header: string): string {
  return header
    .normalize("NFC")
    .replace(/^\uFEFF/, "")
    .trim()
    .replace(/^(?:Q\s*)?\d{1,3}\s*[、.．:：)）]\s*/i, "")
    .trim();
}

/** Reads and checks a mapping file; every mistake is reported with the file name and the key at fault. */
export function loadMapping(file: string): ImportMapping {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new ImportError(`cannot read mapping file ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new ImportError(`mapping file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  return parseMapping(json, file);
}

/**
 * Checks a mapping object and completes it from the default: `columns`, `scores`, `dateFormats`,
 * `timeZone`, `blankValues`, `defaults` and `keyPrefix` replace the default's when given (an
 * export's headers are described as a whole); `values` entries are added to the default's, so
 * a file only lists the words its tool uses beyond the common ones.
 */
export function parseMapping(json: unknown, source = "mapping"): ImportMapping {
  const fail = (key: string, message: string): never => {
    throw new ImportError(`${source}: ${key}: ${message}`);
  };
  if (!isObject(json)) fail("(top level)", "must be a JSON object");
  const raw = json as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (!MAPPING_KEYS.includes(key)) fail(key, `unknown key; expected ${MAPPING_KEYS.join(", ")}`);
  }
  const mapping: ImportMapping = structuredClone(DEFAULT_MAPPING);

  if (raw.columns !== undefined) {
    const columns = stringRecord(raw.columns, "columns", fail);
    mapping.columns = {};
    for (const [header, field] of Object.entries(columns)) {
      if (!(field in IMPORT_FIELDS)) {
        fail(`columns.${header}`, `unknown field "${field}"; fields are ${Object.keys(IMPORT_FIELDS).join(", ")}`);
      }
      mapping.columns[header] = field as ImportField;
    }
  }
  if (raw.scores !== undefined) {
    mapping.scores = stringRecord(raw.scores, "scores", fail);
    for (const [header, code] of Object.entries(mapping.scores)) {
      if (!DIMENSION_CODE.test(code)) fail(`scores.${header}`, `"${code}" is not a dimension code like responsiveness`);
    }
  }
  for (const header of Object.keys(mapping.scores)) {
    const clash = Object.keys(mapping.columns).find((h) => normaliseHeader(h) === normaliseHeader(header));
    if (clash !== undefined) fail(`scores.${header}`, `the header is also mapped under columns (as ${clash})`);
  }
  if (raw.values !== undefined) {
    if (!isObject(raw.values)) fail("values", "must be an object of channel, ticketType, score");
    const values = raw.values as Record<string, unknown>;
    for (const key of Object.keys(values)) {
      if (key === "channel") {
        Object.assign(mapping.values.channel, enumRecord(values.channel, Channel, "values.channel", fail));
      } else if (key === "ticketType") {
        Object.assign(mapping.values.ticketType, enumRecord(values.ticketType, TicketType, "values.ticketType", fail));
      } else if (key === "score") {
        if (!isObject(values.score)) fail("values.score", "must be an object of text → 1–5");
        for (const [text, score] of Object.entries(values.score as Record<string, unknown>)) {
          if (!Number.isInteger(score) || (score as number) < 1 || (score as number) > 5) {
            fail(`values.score.${text}`, "must be an integer from 1 to 5");
          }
          mapping.values.score[text] = score as number;
        }
      } else fail(`values.${key}`, "unknown key; expected channel, ticketType or score");
    }
  }
  if (raw.dateFormats !== undefined) {
    mapping.dateFormats = stringArray(raw.dateFormats, "dateFormats", fail);
    mapping.dateFormats.forEach((format, i) => {
      try {
        compileDateFormat(format);
      } catch (error) {
        fail(`dateFormats.${i}`, (error as Error).message);
      }
    });
  }
  if (raw.timeZone !== undefined) {
    if (typeof raw.timeZone !== "string" || parseTimeZone(raw.timeZone) === null) {
      fail("timeZone", 'must be a UTC offset such as "+08:00", or "Z"');
    }
    mapping.timeZone = raw.timeZone as string;
  }
  if (raw.blankValues !== undefined) mapping.blankValues = stringArray(raw.blankValues, "blankValues", fail);
  if (raw.defaults !== undefined) {
    const defaults = stringRecord(raw.defaults, "defaults", fail);
    mapping.defaults = {};
    for (const [field, value] of Object.entries(defaults)) {
      if (!(field in IMPORT_FIELDS)) fail(`defaults.${field}`, "unknown field");
      mapping.defaults[field as ImportField] = value;
    }
  }
  if (raw.keyPrefix !== undefined) {
    if (typeof raw.keyPrefix !== "string" || raw.keyPrefix.length > 32) {
      fail("keyPrefix", "must be text of at most 32 characters");
    }
    mapping.keyPrefix = raw.keyPrefix as string;
  }
  return mapping;
}

/** Where each used field and score sits in a file, found from its header row. */
export interface ColumnLayout {
  fields: Partial<Record<ImportField, { index: number; header: string }>>;
  scores: { index: number; header: string; dimension: string }[];
  /** Headers nothing reads (unmapped, or mapped to a field this kind does not use). */
  ignored: string[];
}

/**
 * Matches a file's header row against the mapping for one import kind. A required field without
 * a column (and without a default) refuses the whole file before anything is written, naming the
 * headers the mapping expected and the ones the file has.
 */
export function resolveColumns(headers: string[], mapping: ImportMapping, kind: ImportKind): ColumnLayout {
  const spec = KIND_FIELDS[kind];
  const byHeader = new Map<string, ImportField>();
  for (const [header, field] of Object.entries(mapping.columns)) byHeader.set(normaliseHeader(header), field);
  const scoreByHeader = new Map<string, string>();
  for (const [header, code] of Object.entries(mapping.scores)) scoreByHeader.set(normaliseHeader(header), code);

  const layout: ColumnLayout = { fields: {}, scores: [], ignored: [] };
  const seenDimensions = new Map<string, string>();
  headers.forEach((header, index) => {
    const key = normaliseHeader(header);
    const field = byHeader.get(key);
    const dimension = scoreByHeader.get(key);
    if (field !== undefined && spec.uses.includes(field)) {
      const earlier = layout.fields[field];
      if (earlier) throw new ImportError(`columns "${earlier.header}" and "${header}" both map to ${field}`);
      layout.fields[field] = { index, header };
    } else if (dimension !== undefined && spec.scores) {
      const earlier = seenDimensions.get(dimension);
      if (earlier) throw new ImportError(`columns "${earlier}" and "${header}" both score ${dimension}`);
      seenDimensions.set(dimension, header);
      layout.scores.push({ index, header, dimension });
    } else if (key !== "") {
      layout.ignored.push(header);
    }
  });

  const missing = spec.requires.filter((field) => !layout.fields[field] && mapping.defaults[field] === undefined);
  if (missing.length > 0) {
    const expected = missing.map((field) => {
      const headersFor = Object.entries(mapping.columns)
        .filter(([, f]) => f === field)
        .map(([h]) => h);
      return `${field} (${headersFor.length ? headersFor.join(" / ") : "no header is mapped to it"})`;
    });
    throw new ImportError(
      `the file has no column for ${expected.join(", ")}; its headers are ${headers.map((h) => `"${h}"`).join(", ")}. ` +
        "Map them with --mapping (see docs/import.md).",
    );
  }
  if (kind === "feedback" && layout.scores.length === 0 && !layout.fields.comment) {
    throw new ImportError(
      `the file has no score column (${Object.keys(mapping.scores).join(", ")}) and no comment column: nothing to import`,
    );
  }
  return layout;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

type Fail = (key: string, message: string) => never;

function stringRecord(value: unknown, key: string, fail: Fail): Record<string, string> {
  if (!isObject(value)) fail(key, "must be an object of text → text");
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== "string") fail(`${key}.${k}`, "must be text");
  }
  return { ...(value as Record<string, string>) };
}

function stringArray(value: unknown, key: string, fail: Fail): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) fail(key, "must be a list of text");
  return [...(value as string[])];
}

function enumRecord<E extends Record<string, string>>(value: unknown, values: E, key: string, fail: Fail) {
  const record = stringRecord(value, key, fail);
  const allowed = Object.values(values);
  for (const [text, code] of Object.entries(record)) {
    if (!allowed.includes(code)) fail(`${key}.${text}`, `"${code}" is not one of ${allowed.join(", ")}`);
  }
  return record as Record<string, E[keyof E]>;
}
