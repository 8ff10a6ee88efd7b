import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { StringDecoder } from "node:string_decoder";
import { Command } from "commander";
import { LapwingError } from "../../errors/index.js";
import type { EventService, PlatformEvent } from "../../events/index.js";
import { printJson, wholeNumber, withServices } from "../context.js";
import { progressBar } from "../progress.js";

export interface SendSummary {
  lines: number;
  accepted: number;
  duplicates: number;
  /** Lines refused, each with its number and what was wrong; they were not sent. */
  errors: Array<{ line: number; pointer?: string; message: string }>;
}

/** The longest line read as an event: the HTTP API's default JSON body limit (8 MiB), in characters. */
const maxLineChars = 8 * 1024 * 1024;

/**
 * Streams a JSON-lines file of events into the store in batches of
 * `batchSize`. Each line is validated on its own first, so a bad line is
 * reported with its number and skipped while the good ones are sent; every
 * batch is one transaction, so a run stopped half-way can simply be run again
 * (events already stored count as duplicates).
 */
export async function sendEventsFile(events: Pick<EventService, "acceptParsed">, file: string, options: { batchSize: number; onProgress?: (bytesRead: number) => void }): Promise<SendSummary> {
  const { parseEvent } = await import("../../events/index.js");
  const summary: SendSummary = { lines: 0, accepted: 0, duplicates: 0, errors: [] };
  let batch: PlatformEvent[] = [];
  let bytesRead = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const result = await events.acceptParsed(batch);
    summary.accepted += result.accepted;
    summary.duplicates += result.duplicates;
    batch = [];
    options.onProgress?.(bytesRead);
  };
  /** Validates one line into the batch; true when the batch is full. Not async: a promise per line costs. */
  const tooLong = () => summary.errors.push({ line: summary.lines, message: `longer than ${maxLineChars.toLocaleString("en")} characters, the largest event this command reads (split media out of the event, or send it by URL)` });
  const line = (text: string): boolean => {
    summary.lines++;
    if (text.length > maxLineChars) {
      tooLong();
      return false;
    }
    if (text.trim() === "") return false;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      summary.errors.push({ line: summary.lines, message: `not JSON: ${(error as Error).message}` });
      return false;
    }
    try {
      batch.push(parseEvent(value));
    } catch (error) {
      if (!(error instanceof LapwingError)) throw error;
      summary.errors.push({ line: summary.lines, pointer: error.pointer, message: error.message.replace(/ Nothing in the batch was stored\.$/, "") });
      return false;
    }
    return batch.length >= options.batchSize;
  };
  // Lines are cut from whole chunks here rather than through readline's async iterator, whose promise per line cost
  // about as much CPU as storing a follow. A line ends at \n; a \r before it is dropped, as readline does.
  const decoder = new StringDecoder("utf8");
  let rest = "";
  // Inside a line already reported as too long: its characters are dropped up to its end, so that a file
  // without newlines cannot grow `rest` without bound.
  let skipping = false;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    bytesRead += (chunk as Buffer).length;
    const text = rest + decoder.write(chunk as Buffer);
    let start = 0;
    for (let end = text.indexOf("\n"); end >= 0; start = end + 1, end = text.indexOf("\n", start)) {
      if (skipping) {
        skipping = false;
        continue;
      }
      if (line(text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end))) await flush();
    }
    rest = skipping ? "" : text.slice(start);
    if (rest.length > maxLineChars) {
      summary.lines++;
      tooLong();
      skipping = true;
      rest = "";
    }
  }
  rest += decoder.end();
  if (!skipping && rest !== "") line(rest.endsWith("\r") ? rest.slice(0, -1) : rest);
  await flush();
  return summary;
}

const maxErrorsPrinted = 100;
// Larger than an HTTP batch: a file is read by the operator's own process, and each transaction costs a disk sync.
const maxFileBatch = 20_000;

export function eventsCommand(): Command {
  const events = new Command("events").description("Platform events: send them into the store for processing");

  events
    .command("send")
    .description("Send a JSON-lines file of events (one event per line, see docs/events.md), in batches; re-sending is safe (known ids are duplicates)")
    .argument("<file>", "JSON-lines file of events")
    .option("--batch <n>", `events per transaction (1 to ${maxFileBatch})`, "2000")
    .option("--json", "print the summary as JSON")
    .action(async (file: string, o: { batch: string; json?: boolean }, command: Command) => {
      const batchSize = wholeNumber(o.batch, "--batch", { min: 1, max: maxFileBatch });
      const size = (await stat(file)).size;
      await withServices(command, async ({ events: service }) => {
        const bar = progressBar(size, "bytes");
        let summary: SendSummary;
        try {
          summary = await sendEventsFile(service, file, { batchSize, onProgress: (n) => bar.update(n) });
        } finally {
          bar.stop();
        }
        if (o.json) printJson(summary);
        else {
          for (const error of summary.errors.slice(0, maxErrorsPrinted)) process.stderr.write(`line ${error.line}: ${error.message}\n`);
          if (summary.errors.length > maxErrorsPrinted) process.stderr.write(`… and ${summary.errors.length - maxErrorsPrinted} more lines with errors (use --json for all).\n`);
          process.stdout.write(`Accepted ${summary.accepted} events (${summary.duplicates} duplicates) from ${summary.lines} lines; ${summary.errors.length} lines refused.\n`);
        }
        if (summary.errors.length > 0) process.exitCode = 1;
      }, { create: true });
    });

  return events;
}
