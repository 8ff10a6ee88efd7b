import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { Command, Option } from "commander";
import type { LexiconRegistry } from "../../lexicons/index.js";
import type { TextCheck } from "../../text-check/index.js";
import { isLapwingError } from "../../errors/index.js";
import { printJson, withServices } from "../context.js";
import { contentKinds, type ContentKind } from "../vocabulary.js";

export function textCommand(): Command {
  const text = new Command("text").description("Check text for lexicon terms and seller adverts");

  text
    .command("check")
    .description(
      'Read JSON lines {"id": ..., "text": ..., "kind"?: ...} on stdin and answer each: a readable line per input, or with --json {"id","verdict","hits":[{term,category,severity,view,start,end}],"advert":{score,level,signals}}. ' +
        "A refused line (not JSON, no \"text\", longer than 100,000 characters) is reported by line number and the rest go on. Exit code 0: every line was checked; 1: some line was refused.",
    )
    .option("--lexicon <file>", "match with this lexicon file only (JSON {entries: [...]}); without it, the stored lexicons and the default one")
    .addOption(new Option("--kind <kind>", "kind of text when a line does not say").choices([...contentKinds]).default("post"))
    .option("--json", "one JSON object per input line (refused lines as {\"line\", \"error\"}), for scripts")
    .action(async (o: { lexicon?: string; kind: ContentKind; json?: boolean }, command: Command) => {
      const { createTextCheck } = await import("../../text-check/index.js");
      const run = async (registry: LexiconRegistry) => {
        const checker = createTextCheck({ lexicons: registry });
        let line = 0;
        let refused = 0;
        const refuse = (error: string, id?: unknown) => {
          refused++;
          if (o.json) printJson({ line, ...(id !== undefined ? { id } : {}), error });
          else process.stdout.write(`line ${line}${id !== undefined ? ` (id ${JSON.stringify(id)})` : ""}: refused: ${error}\n`);
        };
        for await (const raw of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
          line++;
          if (raw.trim() === "") continue;
          let input: { id?: unknown; text?: unknown; kind?: unknown };
          try {
            input = JSON.parse(raw);
          } catch {
            refuse('not valid JSON; each line must be an object like {"id": 1, "text": "..."}');
            continue;
          }
          if (typeof input !== "object" || input === null || typeof input.text !== "string") {
            refuse('each line needs a "text" string', input && typeof input === "object" && "id" in input ? input.id : undefined);
            continue;
          }
          const kind = typeof input.kind === "string" && (contentKinds as readonly string[]).includes(input.kind) ? (input.kind as ContentKind) : o.kind;
          let result: TextCheck;
          try {
            result = checker.check(input.text, kind);
          } catch (error) {
            if (!isLapwingError(error)) throw error;
            refuse(error.message, input.id);
            continue;
          }
          const hits = result.hits.map((h) => ({ term: h.term, category: h.category, severity: h.severity, view: h.view, start: h.start, end: h.end, lexicon: h.lexicon, how: h.how, distance: h.distance }));
          if (o.json) {
            printJson({
              id: input.id ?? null,
              verdict: result.verdict,
              hits,
              advert: { score: Number(result.advert.score.toFixed(4)), level: result.advert.level, signals: result.advert.signals.map((s) => ({ name: s.name, weight: s.weight, explanation: s.explanation })) },
              ...(result.reasons.length ? { reasons: result.reasons } : {}),
            });
            continue;
          }
          const text = input.text;
          process.stdout.write(`${input.id === undefined ? `line ${line}` : JSON.stringify(input.id)}: ${result.verdict}${result.reasons.length ? ` (${result.reasons.join(" ")})` : ""}\n`);
          for (const h of hits) {
            const how = h.how === "approximate" ? `approximate, ${h.distance} edit${h.distance === 1 ? "" : "s"}` : h.how;
            process.stdout.write(`  ${JSON.stringify(text.slice(h.start, h.end))} → ${h.term} [${h.category}, ${h.severity}, ${h.view}, ${how}] from lexicon ${h.lexicon}\n`);
          }
        }
        if (refused > 0) {
          process.stderr.write(`${refused} line${refused === 1 ? " was" : "s were"} refused (see the output); the others were checked.\n`);
          process.exitCode = 1;
        }
      };
      if (o.lexicon) {
        const [{ createLexiconRegistry, readVocabulary }, { parseLexicon }] = await Promise.all([import("../../lexicons/index.js"), import("../../text/index.js")]);
        const lexicon = parseLexicon(await readFile(o.lexicon, "utf8"));
        const registry = createLexiconRegistry({ readChanges: async () => ({ nextCursor: 0, rows: [] }), builtIn: { name: o.lexicon, lexicon, surfaces: contentKinds }, vocabulary: readVocabulary });
        await run(registry);
      } else {
        await withServices(command, async ({ lexiconRegistry }) => {
          await lexiconRegistry.catchUp();
          await run(lexiconRegistry);
        });
      }
    });

  return text;
}
