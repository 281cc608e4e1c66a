import { DAY_MS } from "../../common/clock";
import { badInput } from "../../common/errors";
import { requireDay, utcDay } from "../../common/validation";
import type { Period, PeriodQuery } from "./types";

/**
 * Periods of analytics, in UTC calendar days, both ends inclusive: an ISO week (Monday–Sunday,
 * 2026-W47), a month (2026-10), a quarter (2026-Q4) or custom days (from, to). Pure functions.
 */

/** The longest custom period, so one query never spans more than two years of rollups. */
export const MAX_CUSTOM_DAYS = 731;

const WEEK = /^(\d{4})-W(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;

/** Checks and resolves the period of a query; `field` names it in errors (e.g. input.period). */
export function resolvePeriod(query: PeriodQuery, field: string): Period {
  const given = (["week", "month", "quarter"] as const).filter((key) => query[key] != null);
  const custom = query.from != null || query.to != null;
  if (given.length + (custom ? 1 : 0) !== 1) {
    throw badInput(field, "give exactly one of week, month, quarter, or from and to");
  }
  if (query.week != null) return parseWeek(query.week, `${field}.week`);
  if (query.month != null) return parseMonth(query.month, `${field}.month`);
  if (query.quarter != null) return parseQuarter(query.quarter, `${field}.quarter`);
  if (query.from == null) throw badInput(`${field}.from`, "must be given with to");
  if (query.to == null) throw badInput(`${field}.to`, "must be given with from");
  const from = requireDay(query.from, `${field}.from`);
  const to = requireDay(query.to, `${field}.to`);
  if (to < from) throw badInput(`${field}.to`, "must not be before from");
  const period = customPeriod(from, to);
  if (period.days > MAX_CUSTOM_DAYS) {
    throw badInput(`${field}.to`, `a custom period spans at most ${MAX_CUSTOM_DAYS} days`);
  }
  return period;
}

/** 2026-10 as a Period; `field` names it in errors. */
export function parseMonth(value: string, field: string): Period {
  const match = MONTH.exec(value);
  const month = match ? Number(match[2]) : 0;
  if (!match || month < 1 || month > 12 || Number(match[1]) < 1970) {
    throw badInput(field, `"${value.slice(0, 40)}" is not a month in the form YYYY-MM`);
  }
  return monthPeriod(Number(match[1]), month);
}

export function parseWeek(value: string, field: string): Period {
  const match = WEEK.exec(value);
  const year = match ? Number(match[1]) : 0;
  const week = match ? Number(match[2]) : 0;
  if (!match || year < 1970 || week < 1 || week > isoWeeksIn(year)) {
    throw badInput(field, `"${value.slice(0, 40)}" is not an ISO week in the form YYYY-Www (e.g. 2026-W47)`);
  }
  return weekPeriod(year, week);
}

export function parseQuarter(value: string, field: string): Period {
  const match = QUARTER.exec(value);
  if (!match || Number(match[1]) < 1970) {
    throw badInput(field, `"${value.slice(0, 40)}" is not a quarter in the form YYYY-Qn (e.g. 2026-Q4)`);
  }
  return quarterPeriod(Number(match[1]), Number(match[2]));
}

/** The period of the same length just before: the week, month or quarter before, or as many days. */
export function previousPeriod(period: Period): Period {
  switch (period.kind) {
    case "WEEK": {
      const { year, week } = isoWeekOf(addDays(period.from, -7));
      return weekPeriod(year, week);
    }
    case "MONTH": {
      const [year, month] = period.from.split("-").map(Number);
      return month === 1 ? monthPeriod(year - 1, 12) : monthPeriod(year, month - 1);
    }
    case "QUARTER": {
      const [year, quarter] = [Number(period.from.slice(0, 4)), quarterOf(period.from)];
      return quarter === 1 ? quarterPeriod(year - 1, 4) : quarterPeriod(year, quarter - 1);
    }
    case "CUSTOM":
      return customPeriod(addDays(period.from, -period.days), addDays(period.from, -1));
  }
}

/**
 * The same period a year before: the same month or quarter, the ISO week with the same number
 * (the last week when that year has no week 53), or the same days (29 February becomes the 28th).
 */
export function yearAgoPeriod(period: Period): Period {
  const year = Number(period.from.slice(0, 4));
  switch (period.kind) {
    case "WEEK": {
      const { year: isoYear, week } = isoWeekOf(period.from);
      return weekPeriod(isoYear - 1, Math.min(week, isoWeeksIn(isoYear - 1)));
    }
    case "MONTH":
      return monthPeriod(year - 1, Number(period.from.slice(5, 7)));
    case "QUARTER":
      return quarterPeriod(year - 1, quarterOf(period.from));
    case "CUSTOM":
      return customPeriod(yearBefore(period.from), yearBefore(period.to));
  }
}

/** The `count` months ending with `endMonth` (YYYY-MM), oldest first. */
export function monthsEnding(endMonth: string, count: number): string[] {
  let [year, month] = endMonth.split("-").map(Number);
  const months: string[] = [];
  for (let i = 0; i < count; i++) {
    months.unshift(`${year}-${pad(month)}`);
    month -= 1;
    if (month === 0) {
      month = 12;
      year -= 1;
    }
  }
  return months;
}

// ---------------------------------------------------------------------------------------------

function monthPeriod(year: number, month: number): Period {
  const from = `${year}-${pad(month)}-01`;
  const to = dayOf(Date.UTC(year, month, 0));
  return { kind: "MONTH", label: `${year}-${pad(month)}`, from, to, days: daysBetween(from, to) };
}

function quarterPeriod(year: number, quarter: number): Period {
  const from = `${year}-${pad(quarter * 3 - 2)}-01`;
  const to = dayOf(Date.UTC(year, quarter * 3, 0));
  return { kind: "QUARTER", label: `${year}-Q${quarter}`, from, to, days: daysBetween(from, to) };
}

function weekPeriod(year: number, week: number): Period {
  const from = dayOf(isoWeek1Monday(year) + (week - 1) * 7 * DAY_MS);
  return { kind: "WEEK", label: `${year}-W${pad(week)}`, from, to: addDays(from, 6), days: 7 };
}

function customPeriod(from: string, to: string): Period {
  return { kind: "CUSTOM", label: `${from}..${to}`, from, to, days: daysBetween(from, to) };
}

/** Monday of ISO week 1: the week with 4 January in it. */
function isoWeek1Monday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  const weekday = (new Date(jan4).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return jan4 - weekday * DAY_MS;
}

/** 52 or 53: a year has week 53 when 28 December falls in it. */
function isoWeeksIn(year: number): number {
  return isoWeekOf(`${year}-12-28`).week;
}

function isoWeekOf(day: string): { year: number; week: number } {
  const time = Date.parse(`${day}T00:00:00Z`);
  const weekday = (new Date(time).getUTCDay() + 6) % 7;
  const thursday = time + (3 - weekday) * DAY_MS; // the ISO year is the year of the week's Thursday
  const year = new Date(thursday).getUTCFullYear();
  return { year, week: Math.floor((thursday - isoWeek1Monday(year)) / (7 * DAY_MS)) + 1 };
}

function quarterOf(day: string): number {
  return Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1;
}

function yearBefore(day: string): string {
  const [year, month, date] = day.split("-").map(Number);
  const last = new Date(Date.UTC(year - 1, month, 0)).getUTCDate();
  return `${year - 1}-${pad(month)}-${pad(Math.min(date, last))}`;
}

export function addDays(day: string, days: number): string {
  return dayOf(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS);
}

/** Midnight UTC starting a day, as a Date. */
export function startOfDay(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

function dayOf(time: number): string {
  return utcDay(new Date(time));
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
