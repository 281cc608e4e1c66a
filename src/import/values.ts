/**
 * Cell values of an export, and the parsing of dates, scores and enum words out of them. Pure
 * functions: the row parser turns their `null`s into report lines.
 */

/** What a cell holds once read: CSV gives text, XLSX also numbers, booleans and dates. */
export type Cell = string | number | boolean | Date | null;

const TOKEN = /YYYY|MM|M|DD|D|HH|H|mm|ss|SSS/g;
const TOKEN_GROUP: Record<string, { name: DatePart; pattern: string }> = {
  YYYY: { name: "year", pattern: "(\\d{4})" },
  MM: { name: "month", pattern: "(\\d{1,2})" },
  M: { name: "month", pattern: "(\\d{1,2})" },
  DD: { name: "day", pattern: "(\\d{1,2})" },
  D: { name: "day", pattern: "(\\d{1,2})" },
  HH: { name: "hour", pattern: "(\\d{1,2})" },
  H: { name: "hour", pattern: "(\\d{1,2})" },
  mm: { name: "minute", pattern: "(\\d{2})" },
  ss: { name: "second", pattern: "(\\d{2})" },
  SSS: { name: "fraction", pattern: "(\\d{1,6})" },
};
type DatePart = "year" | "month" | "day" | "hour" | "minute" | "second" | "fraction";

export interface DateFormat {
  source: string;
  regex: RegExp;
  parts: DatePart[];
}

/**
 * Compiles a format such as "YYYY/M/D H:mm" into a matcher. Month, day and hour accept one or two
 * digits whichever token is used, because exports write 2026/3/5 and 2026/03/05 alike.
 */
export function compileDateFormat(source: string): DateFormat {
  const parts: DatePart[] = [];
  let pattern = "";
  let last = 0;
  for (const match of source.matchAll(TOKEN)) {
    pattern += literal(source.slice(last, match.index));
    const token = TOKEN_GROUP[match[0]];
    if (parts.includes(token.name)) throw new Error(`"${source}" names the ${token.name} twice`);
    parts.push(token.name);
    pattern += token.pattern;
    last = match.index + match[0].length;
  }
  pattern += literal(source.slice(last));
  for (const needed of ["year", "month", "day"] as const) {
    if (!parts.includes(needed)) throw new Error(`"${source}" has no ${needed} (use YYYY, MM and DD)`);
  }
  if (parts.includes("second") && !parts.includes("minute")) throw new Error(`"${source}" has seconds but no minutes`);
  return { source, regex: new RegExp(`^${pattern}$`), parts };
}

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s+");
}

/** "+08:00", "+0800", "-05:00", "Z" or "UTC" → minutes east of UTC; null when not an offset. */
export function parseTimeZone(text: string): number | null {
  if (text === "Z" || text.toUpperCase() === "UTC") return 0;
  const match = /^([+-])(\d{2}):?(\d{2})$/.exec(text);
  if (!match) return null;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  if (Number(match[2]) > 14 || Number(match[3]) > 59) return null;
  return match[1] === "-" ? -minutes : minutes;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A point in time from a cell, or null when it is not one. Text without an offset and Excel dates
 * (which carry the wall-clock time the sheet shows) are read in the mapping's time zone.
 */
export function parseDateCell(cell: Cell, formats: DateFormat[], offsetMinutes: number): Date | null {
  if (cell instanceof Date) {
    return Number.isNaN(cell.getTime()) ? null : new Date(cell.getTime() - offsetMinutes * 60_000);
  }
  if (typeof cell === "number") {
    // An Excel serial day number whose cell lost its date format (1900 date system).
    if (cell < 1 || cell > 2_958_465) return null;
    return new Date(Math.round((cell - 25_569) * 86_400_000) - offsetMinutes * 60_000);
  }
  if (typeof cell !== "string") return null;
  const text = cell.trim();
  const iso = ISO.exec(text);
  if (iso) {
    const offset = iso[8] === undefined ? offsetMinutes : parseTimeZone(iso[8]);
    if (offset === null) return null;
    return wallClock(
      {
        year: +iso[1],
        month: +iso[2],
        day: +iso[3],
        hour: +iso[4],
        minute: +iso[5],
        second: iso[6] ? +iso[6] : 0,
        fraction: iso[7] ? +`0.${iso[7]}` : 0,
      },
      offset,
    );
  }
  for (const format of formats) {
    const match = format.regex.exec(text);
    if (!match) continue;
    const values = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, fraction: 0 };
    format.parts.forEach((part, i) => {
      values[part] = part === "fraction" ? Number(`0.${match[i + 1]}`) : Number(match[i + 1]);
    });
    return wallClock(values, offsetMinutes);
  }
  return null;
}

/** A calendar time in a zone → the instant; null for impossible dates such as 2026-02-30 or 24:10. */
function wallClock(
  v: { year: number; month: number; day: number; hour: number; minute: number; second: number; fraction: number },
  offsetMinutes: number,
): Date | null {
  if (v.month < 1 || v.month > 12 || v.day < 1 || v.hour > 23 || v.minute > 59 || v.second > 59) return null;
  const utc = Date.UTC(v.year, v.month - 1, v.day, v.hour, v.minute, v.second, Math.round(v.fraction * 1000));
  const check = new Date(Date.UTC(v.year, v.month - 1, v.day));
  if (check.getUTCMonth() !== v.month - 1 || check.getUTCDate() !== v.day) return null;
  return new Date(utc - offsetMinutes * 60_000);
}

/** A cell as text: numbers without exponent noise, dates as ISO, rich text already flattened. */
export function cellText(cell: Cell): string {
  if (cell === null) return "";
  if (typeof cell === "string") return cell;
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? "" : cell.toISOString();
  if (typeof cell === "number" && Number.isInteger(cell)) return cell.toFixed(0);
  return String(cell);
}

/**
 * A 1–5 score: a digit, a digit with 分, or a worded answer from the mapping (非常满意 → 5).
 * Returns the reason when it is not one.
 */
export function parseScore(text: string, words: Record<string, number>): number | string {
  const worded = words[text];
  if (worded !== undefined) return worded;
  const digits = text.replace(/\s*分$/, "");
  const n = Number(digits);
  if (digits === "" || !Number.isInteger(n) || n < 1 || n > 5) return "must be an integer from 1 to 5";
  return n;
}

/** Whether text has more than `max` characters as people count them (code points, not UTF-16 units). */
export function longerThan(text: string, max: number): boolean {
  // Code points never outnumber UTF-16 units, so short text needs no counting.
  return text.length > max && [...text].length > max;
}
