/**
 * A small streaming RFC 4180 CSV reader and writer: quoted fields may hold
 * commas, quotes ("") and newlines; CRLF and LF both end a record. Written
 * here because bank files can be gigabytes and must stream with a line count
 * for error messages, and the format is small enough to own.
 */

export interface CsvRecord {
  /** 1-based line on which the record started, for error messages. */
  line: number;
  fields: string[];
}

/** Yields records from text chunks (e.g. a file stream with `setEncoding("utf8")`). */
export async function* readCsv(chunks: AsyncIterable<string>, options: { maxFieldChars?: number } = {}): AsyncGenerator<CsvRecord> {
  const maxFieldChars = options.maxFieldChars ?? 64 * 1024;
  let fields: string[] = [];
  let field = "";
  let quoted = false; // inside a quoted field
  let afterQuote = false; // just saw a quote inside a quoted field: either "" or the closing quote
  let line = 1;
  let recordLine = 1;
  let fieldStarted = false;
  let pendingCr = false;

  for await (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (pendingCr) {
        pendingCr = false;
        if (c === "\n") continue;
      }
      if (quoted) {
        if (afterQuote) {
          afterQuote = false;
          if (c === '"') {
            field += '"';
            continue;
          }
          quoted = false; // that quote closed the field; fall through to handle c
        } else if (c === '"') {
          afterQuote = true;
          continue;
        } else {
          if (c === "\n") line++;
          field += c;
          if (field.length > maxFieldChars) throw new CsvError(`field longer than ${maxFieldChars} characters`, recordLine);
          continue;
        }
      }
      if (c === '"' && !fieldStarted) {
        quoted = true;
        fieldStarted = true;
      } else if (c === ",") {
        fields.push(field);
        field = "";
        fieldStarted = false;
      } else if (c === "\n" || c === "\r") {
        if (c === "\r") pendingCr = true;
        fields.push(field);
        if (!(fields.length === 1 && fields[0] === "")) yield { line: recordLine, fields };
        fields = [];
        field = "";
        fieldStarted = false;
        line++;
        recordLine = line;
      } else {
        field += c;
        fieldStarted = true;
        if (field.length > maxFieldChars) throw new CsvError(`field longer than ${maxFieldChars} characters`, recordLine);
      }
    }
  }
  if (quoted && !afterQuote) throw new CsvError("a quoted field is not closed before the end of the file", recordLine);
  if (fieldStarted || fields.length > 0 || field !== "") {
    fields.push(field);
    yield { line: recordLine, fields };
  }
}

export class CsvError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

/** One CSV line (with trailing newline), quoting only fields that need it. */
export function csvLine(fields: readonly string[]): string {
  return fields.map(quoteField).join(",") + "\n";
}

function quoteField(value: string): string {
  // A leading = + - @ would run as a formula when an analyst opens the export
  // in a spreadsheet; prefix a quote so it stays text.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
