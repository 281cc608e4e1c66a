import { DAY_MS } from "../../common/clock";
import { addDays, parseMonth as parseAnalyticsMonth, parseWeek, startOfDay } from "../analytics/period";
import type { ReviewPeriod } from "./types";

/**
 * Periods of the reviews. Parsing is the analytics module's (one definition of an ISO week and a
 * month for the whole of issue 4); the rest is what the reviews need on top of it.
 */

export { addDays, startOfDay };

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((startOfDay(to).getTime() - startOfDay(from).getTime()) / DAY_MS);
}

/** The ISO week ("2026-W47") holding `day`. */
export function isoWeekOf(day: string): string {
  const date = startOfDay(day);
  // The Thursday of the same week decides the ISO year; week 1 holds the year's first Thursday.
  const thursday = new Date(date.getTime() + (3 - ((date.getUTCDay() + 6) % 7)) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS));
  return `${year}-W${String(week).padStart(2, "0")}`;
}

/**
 * An ISO week, Monday to Sunday ("2026-W47" → 2026-11-16 … 2026-11-22).
 *
 * @throws BAD_USER_INPUT naming `field` for a malformed label or a week the year does not have.
 */
export function parseIsoWeek(label: string, field: string): ReviewPeriod {
  const { from, to } = parseWeek(label, field);
  return { label, from, to };
}

/**
 * A calendar month ("2026-10" → 2026-10-01 … 2026-10-31).
 *
 * @throws BAD_USER_INPUT naming `field` for a malformed label.
 */
export function parseMonth(label: string, field: string): ReviewPeriod {
  const { from, to } = parseAnalyticsMonth(label, field);
  return { label, from, to };
}

/** The calendar month holding `day` ("2026-10"). */
export function monthOf(day: string): string {
  return day.slice(0, 7);
}

/** The month before `label` ("2026-01" → "2025-12"). */
export function previousMonth(label: string): string {
  return monthOf(addDays(`${label}-01`, -1));
}

/** The half-open instant range [from 00:00, day after to 00:00) of a period, for timestamp columns. */
export function instantRange(period: ReviewPeriod): { start: Date; end: Date } {
  return { start: startOfDay(period.from), end: startOfDay(addDays(period.to, 1)) };
}
