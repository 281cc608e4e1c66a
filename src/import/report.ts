import fs from "node:fs";
import path from "node:path";
import { maskEmail, maskName, maskPhone, scrubText } from "../privacy/masking";

/** One reason a row was rejected. A row with several problems gets one line per problem. */
export interface RowError {
  /** Row number as in the file (the CSV line where the record starts, the XLSX sheet row). */
  row: number;
  /** The header of the column at fault, as written in the file ("" when no single column is). */
  column: string;
  /** The qloop field, e.g. receivedAt or scores.attitude. */
  field: string;
  /** The offending cell, shortened. */
  value: string;
  reason: string;
}

const HEADER = ["row", "column", "field", "value", "reason"];
const VALUE_LIMIT = 200;

/**
 * The rejected-rows report, a CSV written as the import goes (so memory stays flat however many
 * rows are rejected). It starts with a UTF-8 BOM so Excel shows the Chinese headers and values
 * correctly, and neutralises cells starting with = + - @ so a hostile export cannot smuggle a
 * formula into the spreadsheet of whoever opens the report.
 */
export class RejectReport {
  private out: fs.WriteStream | null = null;

  /**
   * @param file where to write; null keeps no file.
   * @param always write the file even when nothing is rejected (a path the user asked for), rather
   *   than only when there is something to report (the default path next to the input).
   */
  constructor(
    readonly file: string | null,
    private readonly always: boolean,
  ) {}

  get written(): boolean {
    return this.out !== null;
  }

  write(errors: RowError[]): void {
    if (!this.file || errors.length === 0) return;
    const out = this.open();
    out.write(
      errors.map((e) => csvLine([String(e.row), e.column, e.field, shorten(maskImportValue(e.field, e.value)), scrubText(e.reason)])).join(""),
    );
  }

  async close(): Promise<void> {
    if (this.file && this.always) this.open();
    if (!this.out) return;
    const out = this.out;
    await new Promise<void>((resolve, reject) => {
      out.on("error", reject);
      out.end(resolve);
    });
  }

  private open(): fs.WriteStream {
    if (!this.out) {
      fs.mkdirSync(path.dirname(path.resolve(this.file!)), { recursive: true });
      this.out = fs.createWriteStream(this.file!);
      this.out.write("\uFEFF" + csvLine(HEADER));
    }
    return this.out;
  }
}

/**
 * The report is a file that gets mailed around, so a rejected customer name, phone or e-mail is
 * shown masked (张** / 138****5678): enough to find the row, not to identify the customer.
 */
const PERSONAL_IMPORT_FIELDS: Record<string, (value: string) => string> = {
  customerName: maskName,
  phone: maskPhone,
  email: maskEmail,
};

function maskImportValue(field: string, value: string): string {
  const mask = PERSONAL_IMPORT_FIELDS[field];
  return mask ? mask(value) : scrubText(value);
}

function shorten(value: string): string {
  const chars = [...value];
  return chars.length > VALUE_LIMIT ? `${chars.slice(0, VALUE_LIMIT).join("")}…(${chars.length} characters)` : value;
}

function csvLine(cells: string[]): string {
  return cells.map(csvCell).join(",") + "\r\n";
}

function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}
