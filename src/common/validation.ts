import { badInput } from "./errors";

/** Limits on free text, shared by inputs and services so the schema and the checks agree. */
export const TEXT_LIMITS = {
  name: 100,
  title: 200,
  shortText: 500,
  /** Comments, descriptions, evidence: generous for real prose, far below a 100 KB paste. */
  longText: 5000,
} as const;

/** Trims required text and checks it is non-empty and within `max` characters. */
export function requireText(value: string, field: string, max: number): string {
  const text = value.trim();
  if (text.length === 0) throw badInput(field, "must not be empty");
  if ([...text].length > max) throw badInput(field, `must be at most ${max} characters`);
  return text;
}

/** Like requireText, but null/blank means "not given". */
export function optionalText(value: string | null | undefined, field: string, max: number): string | null {
  if (value === null || value === undefined || value.trim() === "") return null;
  return requireText(value, field, max);
}

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Checks a "YYYY-MM-DD" day: the shape and a real calendar date (no 2026-02-30). */
export function requireDay(value: string, field: string): string {
  const match = DAY_PATTERN.exec(value);
  if (match) {
    const [year, month, day] = match.slice(1).map(Number);
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day) {
      return value;
    }
  }
  throw badInput(field, `"${value.slice(0, 40)}" is not a calendar day in the form YYYY-MM-DD`);
}

export function optionalDay(value: string | null | undefined, field: string): string | null {
  return value === null || value === undefined ? null : requireDay(value, field);
}

/** The UTC calendar day ("YYYY-MM-DD") of an instant: the calendar planned days and reports use. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** Today as "YYYY-MM-DD" in UTC, the calendar the planned days are compared in. */
export function todayUtc(now: Date = new Date()): string {
  return utcDay(now);
}
