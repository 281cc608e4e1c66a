import { Channel, TicketType } from "../common/enums";
import { ColumnLayout, ImportField, ImportMapping } from "./mapping";
import { RowError } from "./report";
import { SourceRow } from "./row-source";
import {
  Cell,
  cellText,
  compileDateFormat,
  DateFormat,
  longerThan,
  parseDateCell,
  parseScore,
  parseTimeZone,
} from "./values";

/** Clock skew tolerated between the survey tool and qloop before a time counts as "in the future". */
const FUTURE_TOLERANCE_MS = 60_000;

/** The mapping compiled against one file's header row: what every row is read with. */
export interface ImportPlan {
  mapping: ImportMapping;
  layout: ColumnLayout;
  formats: DateFormat[];
  offsetMinutes: number;
  blanks: Set<string>;
  words: { channel: Map<string, string>; ticketType: Map<string, string> };
  /** Times after this are refused as "in the future". */
  latest: Date;
}

export function compilePlan(mapping: ImportMapping, layout: ColumnLayout, now: Date): ImportPlan {
  const words = (table: Record<string, string>, values: object) => {
    const map = new Map<string, string>();
    for (const code of Object.values(values) as string[]) map.set(code.toUpperCase(), code);
    for (const [text, code] of Object.entries(table)) map.set(text.trim().toUpperCase(), code);
    return map;
  };
  return {
    mapping,
    layout,
    formats: mapping.dateFormats.map(compileDateFormat),
    offsetMinutes: parseTimeZone(mapping.timeZone) ?? 0,
    blanks: new Set(mapping.blankValues.map((value) => value.trim())),
    words: { channel: words(mapping.values.channel, Channel), ticketType: words(mapping.values.ticketType, TicketType) },
    latest: new Date(now.getTime() + FUTURE_TOLERANCE_MS),
  };
}

/**
 * Reads one row through the plan. Every accessor validates and, on a problem, records a report
 * line naming the row, the column and the field and returns null, so a parser can check every
 * field of the row and report all its problems at once.
 */
export class RowContext {
  readonly errors: RowError[] = [];

  constructor(
    private readonly source: SourceRow,
    private readonly plan: ImportPlan,
  ) {}

  get row(): number {
    return this.source.row;
  }

  /** Whether every cell is blank (trailing ",,,," lines of spreadsheets): such rows are skipped. */
  isBlank(): boolean {
    return this.source.cells.every((cell) => this.blank(cell));
  }

  reject(field: string, column: string, value: string, reason: string): null {
    this.errors.push({ row: this.source.row, column, field, value, reason });
    return null;
  }

  /** Trimmed text of a field; null when blank (after defaults), with a report line when required. */
  text(field: ImportField, max: number, required = false): string | null {
    const found = this.raw(field);
    if (found === null) return required ? this.missing(field) : null;
    const text = cellText(found.cell).trim();
    if (longerThan(text, max)) return this.reject(field, found.column, text, `must be at most ${max} characters`);
    return text;
  }

  /** A point in time, not in the future. */
  date(field: ImportField, required = false): Date | null {
    const found = this.raw(field);
    if (found === null) return required ? this.missing(field) : null;
    const date = parseDateCell(found.cell, this.plan.formats, this.plan.offsetMinutes);
    const shown = cellText(found.cell);
    if (date === null) {
      const formats = this.plan.mapping.dateFormats.join(", ");
      return this.reject(field, found.column, shown, `is not a date (formats: ${formats}, or ISO 8601)`);
    }
    if (date > this.plan.latest) return this.reject(field, found.column, shown, "is in the future");
    return date;
  }

  /** An enum code through the mapping's words for it (短信 → SMS), or the code itself. */
  enumValue<T extends string>(field: "channel" | "ticketType", required = false): T | null {
    const found = this.raw(field);
    if (found === null) return required ? this.missing(field) : null;
    const text = cellText(found.cell).trim();
    const code = this.plan.words[field].get(text.toUpperCase());
    if (code === undefined) {
      const reason = `"${text}" is not a known ${field}; map it under values.${field} in the mapping file`;
      return this.reject(field, found.column, text, reason);
    }
    return code as T;
  }

  /** The answered scores; unanswered questions (blank cells) give no score. */
  scores(): { dimension: string; score: number }[] {
    const scores: { dimension: string; score: number }[] = [];
    for (const column of this.plan.layout.scores) {
      const cell = this.source.cells[column.index] ?? null;
      if (this.blank(cell)) continue;
      const text = cellText(cell).trim();
      const score = parseScore(text, this.plan.mapping.values.score);
      if (typeof score === "string") this.reject(`scores.${column.dimension}`, column.header, text, score);
      else scores.push({ dimension: column.dimension, score });
    }
    return scores;
  }

  /** The header a field is read from, or "" when the file has no such column. */
  column(field: ImportField): string {
    return this.plan.layout.fields[field]?.header ?? "";
  }

  private missing(field: ImportField): null {
    return this.reject(field, this.column(field), "", "is required");
  }

  private raw(field: ImportField): { cell: Cell; column: string } | null {
    const at = this.plan.layout.fields[field];
    if (at) {
      const cell = this.source.cells[at.index] ?? null;
      if (!this.blank(cell)) return { cell, column: at.header };
    }
    const fallback = this.plan.mapping.defaults[field];
    return fallback === undefined ? null : { cell: fallback, column: at?.header ?? "" };
  }

  private blank(cell: Cell | undefined): boolean {
    if (cell === null || cell === undefined) return true;
    if (typeof cell !== "string") return false;
    const text = cell.trim();
    return text === "" || this.plan.blanks.has(text);
  }
}
