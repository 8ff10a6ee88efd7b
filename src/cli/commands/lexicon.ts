import { readFile, writeFile } from "node:fs/promises";
import { Command } from "commander";
import { isLapwingError } from "../../errors/index.js";
import type { LexiconBreadth } from "../../lexicons/index.js";
import { printJson, withServices } from "../context.js";
import { auditActor, textSurfaces } from "../vocabulary.js";

export function lexiconCommand(): Command {
  const lexicon = new Command("lexicon").description("Manage lexicons: the lists of terms the search gate and text check match");

  lexicon
    .command("list")
    .description("List lexicons with their surfaces and sizes")
    .option("--json", "one JSON object per lexicon")
    .action(async (o: { json?: boolean }, command: Command) => {
      await withServices(command, async ({ lexicons }) => {
        const all = await lexicons.list();
        if (o.json) return all.forEach(printJson);
        for (const l of all) process.stdout.write(`${l.name.padEnd(24)} ${String(l.entryCount).padStart(7)} terms  ${l.builtIn ? "(built in)" : `updated ${l.updatedAt}`}  surfaces: ${l.surfaces.join(",")}\n`);
      });
    });

  lexicon
    .command("import")
    .description("Create or replace a lexicon from a JSON file ({entries: [{term, category, severity, source?, note?}], names?: [...]}); servers reload it without a restart")
    .argument("<name>", "the lexicon's name, e.g. hashtags")
    .argument("<file>", "the JSON file")
    .option("--surfaces <list>", `comma-separated surfaces it applies to: ${textSurfaces.join(", ")} (default: all for a new lexicon, unchanged for a replaced one)`)
    .option("--force", "store it even when some terms are too broad (a single letter, punctuation only, or hitting ordinary sample texts)")
    .option("--json", "print the result, with the benign-sample report, as JSON")
    .action(async (name: string, file: string, o: { surfaces?: string; force?: boolean; json?: boolean }, command: Command) => {
      let content: unknown;
      try {
        content = JSON.parse(await readFile(file, "utf8"));
      } catch (error) {
        throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
      }
      await withServices(command, async ({ lexicons }) => {
        let result;
        try {
          result = await lexicons.put(name, content, o.surfaces?.split(",").map((s) => s.trim()), auditActor.cli, { force: o.force });
        } catch (error) {
          // Show the whole report before the one-line error, so the operator sees every term at once.
          if (isLapwingError(error) && error.code === "LEXICON_TOO_BROAD") printBreadth(error.details as LexiconBreadth, o.json, process.stderr);
          throw error;
        }
        if (o.json) return printJson(result);
        process.stdout.write(`${result.created ? "Created" : "Replaced"} lexicon "${name}": ${result.entryCount} terms, surfaces ${result.surfaces.join(",")}.\n`);
        printBreadth(result.breadth, false, process.stdout);
      }, { create: true });
    });

  lexicon
    .command("export")
    .description("Write a lexicon out as JSON")
    .argument("<name>", "the lexicon's name (\"default\" for the built-in one)")
    .option("-o, --output <file>", "write to a file instead of stdout")
    .action(async (name: string, o: { output?: string }, command: Command) => {
      await withServices(command, async ({ lexicons }) => {
        const { lexicon: content } = await lexicons.get(name);
        const json = JSON.stringify(content, null, 1) + "\n";
        if (o.output) await writeFile(o.output, json);
        else process.stdout.write(json);
      });
    });

  lexicon
    .command("delete")
    .description("Delete a stored lexicon")
    .argument("<name>", "the lexicon's name")
    .action(async (name: string, _o: unknown, command: Command) => {
      await withServices(command, async ({ lexicons }) => {
        await lexicons.remove(name, auditActor.cli);
        process.stdout.write(`Deleted lexicon "${name}".\n`);
      });
    });

  return lexicon;
}

/** The benign-sample report: how many ordinary texts each term would hit, and why a term is too broad. */
function printBreadth(breadth: LexiconBreadth, json: boolean | undefined, out: NodeJS.WriteStream): void {
  if (json) {
    out.write(JSON.stringify({ breadth }) + "\n");
    return;
  }
  if (breadth.terms.length === 0) {
    out.write(`No term matched any of the ${breadth.sampleTexts} ordinary sample texts.\n`);
    return;
  }
  out.write(`Terms that match ordinary sample texts (of ${breadth.sampleTexts}) or cannot be meant:\n`);
  for (const t of breadth.terms) {
    out.write(`  ${JSON.stringify(t.term)} (entry ${t.entryIndex}): ${t.sampleHits} sample text${t.sampleHits === 1 ? "" : "s"}${t.problems.length ? `; too broad: ${t.problems.join("; ")}` : ""}\n`);
    for (const example of t.examples) out.write(`      e.g. ${JSON.stringify(example)}\n`);
  }
}
