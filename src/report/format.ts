/** Number and time formatting shared by the report's tables, cards and charts. */

export const DASH = "—";

/** A number with fixed decimals, or a dash for null. */
export function fixed(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined ? DASH : value.toFixed(digits);
}

/** A share 0–1 as a percentage with one decimal, e.g. 0.1234 → "12.3%". */
export function percent(share: number | null | undefined, digits = 1): string {
  return share === null || share === undefined ? DASH : `${(share * 100).toFixed(digits)}%`;
}

/** A change with its sign, e.g. +0.40, −1.25, ±0.00; a dash when unknown. */
export function signed(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined) return DASH;
  const text = Math.abs(value).toFixed(digits);
  if (Number(text) === 0) return `±${text}`;
  return value > 0 ? `+${text}` : `−${text}`;
}

/** An instant as "YYYY-MM-DD HH:mm UTC": reports are read across time zones, UTC says which. */
export function instant(at: Date | string | null | undefined): string {
  if (at === null || at === undefined) return DASH;
  const date = at instanceof Date ? at : new Date(at);
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** A day from a Date or "YYYY-MM-DD…" string. */
export function day(at: Date | string | null | undefined): string {
  if (at === null || at === undefined) return DASH;
  return (at instanceof Date ? at.toISOString() : at).slice(0, 10);
}
