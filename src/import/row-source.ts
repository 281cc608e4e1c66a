import fs from "node:fs";
import path from "node:path";
import { Readable, Transform, TransformCallback } from "node:stream";
import { TextDecoder } from "node:util";
import { CsvError, parse } from "csv-parse";
import ExcelJS from "exceljs";
import { ImportError } from "./import-error";
import { Cell, cellText } from "./values";

/**
 * Streams the rows of a CSV or XLSX export, one at a time: neither format is ever loaded whole,
 * so a file of millions of rows imports in constant memory.
 */

export type FileFormat = "csv" | "xlsx";
/** "auto" reads UTF-8 (with or without BOM) and falls back to GB18030 for exports saved by Excel in China. */
export type TextEncoding = "auto" | "utf-8" | "gb18030";

/** A file path, or an open stream (tests, the benchmark) with its format. */
export type ImportInput = string | { stream: Readable; format: FileFormat; name?: string; size?: number };

export interface SourceRow {
  /** The row as people find it: the line where the record starts in a CSV, the sheet row in XLSX. */
  row: number;
  cells: Cell[];
}

export interface RowSource {
  name: string;
  format: FileFormat;
  headers: string[];
  /** The header row's number, so an empty file can say where it looked. */
  headerRow: number;
  /** The data rows, a chunk at a time. */
  rows: AsyncIterable<SourceRow[]>;
  /** Bytes of the file consumed so far and in all, for the progress bar. */
  bytesRead(): number;
  totalBytes: number | null;
  close(): void;
}

/** Opens an export and reads its header row; refuses unknown formats and unreadable files. */
export async function openRowSource(input: ImportInput, encoding: TextEncoding = "auto"): Promise<RowSource> {
  let stream: Readable;
  let format: FileFormat;
  let name: string;
  let totalBytes: number | null = null;
  if (typeof input === "string") {
    name = input;
    format = formatOf(input);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(input);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new ImportError(`cannot read ${input}: ${code === "ENOENT" ? "no such file" : code}`);
    }
    if (!stat.isFile()) throw new ImportError(`cannot read ${input}: not a file`);
    totalBytes = stat.size;
    stream = fs.createReadStream(input, { highWaterMark: 256 * 1024 });
  } else {
    ({ stream, format } = input);
    name = input.name ?? `(${format} stream)`;
    totalBytes = input.size ?? null;
  }
  const counter = new ByteCounter();
  stream.on("error", (error) => counter.destroy(error));
  stream.pipe(counter);
  const close = () => {
    stream.destroy();
    counter.destroy();
  };
  try {
    const opened = format === "csv" ? await openCsv(counter, name, encoding) : await openXlsx(counter, name);
    return { name, format, ...opened, bytesRead: () => counter.bytes, totalBytes, close };
  } catch (error) {
    close();
    throw error;
  }
}

function formatOf(file: string): FileFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === ".csv" || ext === ".txt" || ext === ".tsv") return "csv";
  if (ext === ".xlsx") return "xlsx";
  if (ext === ".xls") throw new ImportError(`${file}: the old .xls format cannot be streamed; save it as .xlsx or .csv`);
  throw new ImportError(`${file}: unknown file type "${ext}"; expected .csv or .xlsx`);
}

class ByteCounter extends Transform {
  bytes = 0;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}

type Opened = Pick<RowSource, "headers" | "headerRow" | "rows">;

async function openCsv(bytes: Readable, name: string, encoding: TextEncoding): Promise<Opened> {
  const text = decode(bytes, encoding)[Symbol.asyncIterator]();
  const first = await text.next();
  const head = first.done ? "" : first.value;
  async function* rest() {
    if (head !== "") yield head;
    for (let next = await text.next(); !next.done; next = await text.next()) yield next.value;
  }
  const parser = Readable.from(rest()).pipe(
    parse({ delimiter: detectDelimiter(head), relax_column_count: true, relax_quotes: true }),
  );
  // The row number people look for is the line where a record starts. csv-parse's own line count
  // drifts on CRLF line breaks inside quoted cells, so lines are counted here: a record spans one
  // line plus the line breaks kept in its cells (an empty line is a record of one empty cell,
  // skipped later as blank).
  let line = 1;
  const number = (record: string[]): SourceRow => {
    const row = line;
    line++;
    for (const cell of record) {
      for (let at = cell.indexOf("\n"); at !== -1; at = cell.indexOf("\n", at + 1)) line++;
    }
    return { row, cells: record };
  };
  const chunks = readChunks<string[]>(parser, (error) =>
    error instanceof CsvError ? new ImportError(`${name}: malformed CSV after line ${line - 1}: ${error.message}`) : error,
  );
  let header: SourceRow | undefined;
  let pending: SourceRow[] = [];
  while (!header) {
    const chunk = await chunks.next();
    if (chunk.done) throw new ImportError(`${name} is empty: no header row`);
    pending = chunk.value.map(number);
    // Blank lines before the header are skipped like blank rows anywhere else.
    while (pending.length && pending[0].cells.every((cell) => cellText(cell).trim() === "")) pending.shift();
    header = pending.shift();
  }
  return {
    headers: header.cells.map((cell) => cellText(cell).trim()),
    headerRow: header.row,
    rows: (async function* () {
      if (pending.length) yield pending;
      for (let chunk = await chunks.next(); !chunk.done; chunk = await chunks.next()) yield chunk.value.map(number);
    })(),
  };
}

/**
 * Everything an object stream has buffered, as one array per wake-up: one promise per chunk of
 * the file rather than per row, which matters at millions of rows.
 */
async function* readChunks<T>(stream: Readable, mapError: (error: unknown) => unknown): AsyncGenerator<T[]> {
  let failure: unknown = null;
  let ended = false;
  let wake: (() => void) | null = null;
  const signal = () => {
    wake?.();
    wake = null;
  };
  stream.on("readable", signal);
  stream.on("end", () => {
    ended = true;
    signal();
  });
  stream.on("error", (error) => {
    failure = error;
    signal();
  });
  for (;;) {
    if (failure) throw mapError(failure);
    const items: T[] = [];
    for (let item = stream.read(); item !== null; item = stream.read()) items.push(item as T);
    if (items.length > 0) yield items;
    else if (ended) return;
    else await new Promise<void>((resolve) => (wake = resolve));
  }
}

/** Decodes the byte stream, choosing UTF-8 or GB18030 from the first chunk when asked to. */
async function* decode(bytes: AsyncIterable<Buffer>, encoding: TextEncoding): AsyncGenerator<string> {
  let decoder: TextDecoder | null = null;
  for await (const chunk of bytes) {
    decoder ??= new TextDecoder(encoding === "auto" ? detectEncoding(chunk) : encoding);
    const text = decoder.decode(chunk, { stream: true });
    if (text !== "") yield text;
  }
  const tail = decoder?.decode() ?? "";
  if (tail !== "") yield tail;
}

function detectEncoding(chunk: Buffer): "utf-8" | "gb18030" {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(chunk, { stream: true });
    return "utf-8";
  } catch {
    return "gb18030";
  }
}

/** Comma unless the header line has more tabs or semicolons (some tools export those). */
function detectDelimiter(text: string): string {
  const line = text.slice(0, text.indexOf("\n") === -1 ? text.length : text.indexOf("\n"));
  const count = (c: string) => line.split(c).length - 1;
  const best = [",", "\t", ";"].reduce((a, b) => (count(b) > count(a) ? b : a));
  return count(best) > 0 ? best : ",";
}

async function openXlsx(bytes: Readable, name: string): Promise<Opened> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(bytes, {
    worksheets: "emit",
    sharedStrings: "cache",
    // Styles are needed to tell a date cell from a number cell.
    styles: "cache",
    hyperlinks: "ignore",
    entries: "ignore",
  });
  let sheet: IteratorResult<ExcelJS.stream.xlsx.WorksheetReader>;
  try {
    sheet = await workbook[Symbol.asyncIterator]().next();
  } catch (error) {
    throw new ImportError(`${name} is not a readable .xlsx file: ${(error as Error).message}`);
  }
  if (sheet.done) throw new ImportError(`${name} has no worksheet`);
  const rows = sheet.value[Symbol.asyncIterator]();
  const next = async (): Promise<SourceRow | null> => {
    const item = await rows.next();
    if (item.done) return null;
    const values = item.value.values as unknown[];
    const cells: Cell[] = [];
    for (let i = 1; i < values.length; i++) cells.push(xlsxCell(values[i]));
    return { row: item.value.number, cells };
  };
  let header = await next();
  while (header && header.cells.every((cell) => cellText(cell).trim() === "")) header = await next();
  if (!header) throw new ImportError(`${name}: the first worksheet is empty: no header row`);
  return {
    headers: header.cells.map((cell) => cellText(cell).trim()),
    headerRow: header.row,
    rows: (async function* () {
      let chunk: SourceRow[] = [];
      for (let row = await next(); row; row = await next()) {
        chunk.push(row);
        if (chunk.length === 256) {
          yield chunk;
          chunk = [];
        }
      }
      if (chunk.length) yield chunk;
    })(),
  };
}

/** Flattens exceljs cell values (rich text, hyperlinks, formulas) to what the sheet shows. */
function xlsxCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean" || value instanceof Date) {
    return value;
  }
  const object = value as Record<string, unknown>;
  if (Array.isArray(object.richText)) return (object.richText as { text: string }[]).map((part) => part.text).join("");
  if ("result" in object) return xlsxCell(object.result);
  if ("text" in object) return xlsxCell(object.text);
  if ("error" in object) return String(object.error);
  return String(value);
}
