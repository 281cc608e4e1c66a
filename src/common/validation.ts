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
