import { LapwingError } from "../errors/index.js";
import { csvLine, CsvError, readCsv } from "./csv.js";
import { normalizeSignal, parseSignalType, type SignalType } from "./signal-types.js";
import type { BankFileFormat } from "./types.js";

export { bankFileFormats, type BankFileFormat } from "./types.js";

const headers: Record<BankFileFormat, string[]> = {
  lapwing: ["signal_type", "signal", "bank", "category", "note"],
  threatexchange: ["signal_type", "signal_str", "collab", "category", "tags"],
};

export interface ImportRow {
  line: number;
  signalType: SignalType;
  signal: string;
  /** Bank name from the file; empty when the file leaves it to the caller. */
  bank: string;
  category: string;
  note: string;
}

export interface SkippedRow {
  line: number;
  reason: string;
}

/**
 * Parses a bank file. Rows with a signal type Lapwing does not hold (e.g.
 * ThreatExchange `url` rows) are passed to `onSkip`; a malformed hash or a
 * broken CSV stops the import with IMPORT_MALFORMED naming the line, since a
 * half-understood list should not be loaded as if it were whole.
 */
export async function* parseBankFile(
  chunks: AsyncIterable<string>,
  format: BankFileFormat,
  onSkip: (row: SkippedRow) => void = () => {},
): AsyncGenerator<ImportRow> {
  const expected = headers[format];
  let sawHeader = false;
  try {
    for await (const record of readCsv(chunks)) {
      const fields = record.fields.map((f) => f.trim());
      if (!sawHeader) {
        sawHeader = true;
        const got = fields.map((f) => f.replace(/^\uFEFF/, "").toLowerCase());
        if (expected.some((name, i) => got[i] !== name)) {
          throw new LapwingError(
            "IMPORT_MALFORMED",
            `line ${record.line}: expected the ${format} header "${expected.join(",")}", got "${record.fields.join(",")}". Use --format ${format === "lapwing" ? "threatexchange" : "lapwing"} if the file is in the other layout.`,
            { pointer: `line ${record.line}` },
          );
        }
        continue;
      }
      if (fields.length < 2) {
        throw new LapwingError("IMPORT_MALFORMED", `line ${record.line}: expected ${expected.length} columns (${expected.join(",")}), got ${fields.length}.`, {
          pointer: `line ${record.line}`,
        });
      }
      const signalType = parseSignalType(fields[0]!);
      if (!signalType) {
        onSkip({ line: record.line, reason: `signal type "${fields[0]}" is not held by Lapwing banks (pdq, md5, sha256)` });
        continue;
      }
      let signal: string;
      try {
        signal = normalizeSignal(signalType, fields[1]!, `line ${record.line}`);
      } catch (error) {
        throw new LapwingError("IMPORT_MALFORMED", `line ${record.line}: ${(error as Error).message}`, { pointer: `line ${record.line}` });
      }
      yield {
        line: record.line,
        signalType,
        signal,
        bank: fields[2] ?? "",
        category: fields[3] ?? "",
        note: fields[4] ?? "",
      };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      throw new LapwingError("IMPORT_MALFORMED", `line ${error.line}: ${error.reason}.`, { pointer: `line ${error.line}` });
    }
    throw error;
  }
  if (!sawHeader) {
    throw new LapwingError("IMPORT_MALFORMED", `The file is empty; a ${format} bank file starts with the header "${expected.join(",")}".`);
  }
}

export interface ExportRow {
  signalType: SignalType;
  signal: string;
  bank: string;
  category: string;
  note: string;
}

export function bankFileHeader(format: BankFileFormat): string {
  return csvLine(headers[format]);
}

export function bankFileLine(row: ExportRow): string {
  return csvLine([row.signalType, row.signal, row.bank, row.category, row.note]);
}
