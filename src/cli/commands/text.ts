import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { Command, Option } from "commander";
import { contentKinds, createLexiconRegistry, type ContentKind, type LexiconRegistry } from "../../lexicons/index.js";
import { createTextCheck } from "../../text-check/index.js";
import { parseLexicon } from "../../text/index.js";
import { printJson, withServices } from "../context.js";

export function textCommand(): Command {
  const text = new Command("text").description("Check text for lexicon terms and seller adverts");

  text
    .command("check")
    .description(
      'Read JSON lines {"id": ..., "text": ..., "kind"?: ...} on stdin and print one line per input: {"id","verdict","hits":[{term,category,severity,view,start,end}],"advert":{score,level,signals}}. A malformed line gets {"line": n, "error": ...} and the rest go on.',
    )
    .option("--lexicon <file>", "match with this lexicon file only (JSON {entries: [...]}); without it, the stored lexicons and the default one")
    .addOption(new Option("--kind <kind>", "kind of text when a line does not say").choices([...contentKinds]).default("post"))
    .option("--json", "JSON lines out (the default and only format; accepted for symmetry with other commands)")
    .action(async (o: { lexicon?: string; kind: ContentKind }, command: Command) => {
      const run = async (registry: LexiconRegistry) => {
        const checker = createTextCheck({ lexicons: registry });
        let line = 0;
        for await (const raw of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
          line++;
          if (raw.trim() === "") continue;
          let input: { id?: unknown; text?: unknown; kind?: unknown };
          try {
            input = JSON.parse(raw);
          } catch {
            printJson({ line, error: "not valid JSON; each line must be an object like {\"id\": 1, \"text\": \"...\"}" });
            continue;
          }
          if (typeof input !== "object" || input === null || typeof input.text !== "string") {
            printJson({ line, ...(input && typeof input === "object" && "id" in input ? { id: input.id } : {}), error: 'each line needs a "text" string' });
            continue;
          }
          const kind = typeof input.kind === "string" && (contentKinds as readonly string[]).includes(input.kind) ? (input.kind as ContentKind) : o.kind;
          const result = checker.check(input.text, kind);
          printJson({
            id: input.id ?? null,
            verdict: result.verdict,
            hits: result.hits.map((h) => ({ term: h.term, category: h.category, severity: h.severity, view: h.view, start: h.start, end: h.end, lexicon: h.lexicon })),
            advert: { score: Number(result.advert.score.toFixed(4)), level: result.advert.level, signals: result.advert.signals.map((s) => ({ name: s.name, weight: s.weight, explanation: s.explanation })) },
            ...(result.reasons.length ? { reasons: result.reasons } : {}),
            ...(result.isTruncated ? { isTruncated: true } : {}),
          });
        }
      };
      if (o.lexicon) {
        const lexicon = parseLexicon(await readFile(o.lexicon, "utf8"));
        const registry = createLexiconRegistry({ readChanges: async () => ({ nextCursor: 0, rows: [] }), builtIn: { name: o.lexicon, lexicon, surfaces: contentKinds } });
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
