import { Command, Option } from "commander";
import { printJson, withServices } from "../context.js";
import { searchSurfaces, type SearchSurface } from "../vocabulary.js";

export function searchCommand(): Command {
  const search = new Command("search").description("Try the search and hashtag gate");
  search
    .command("check")
    .description("Check a search query, hashtag or typeahead prefix as the gate would. Exit code 0: allowed; 3: blocked.")
    .argument("<query>", "the query, e.g. \"#sometag\" or \"some words\"")
    .addOption(new Option("--surface <surface>", "where the query was typed").choices([...searchSurfaces]).default("search"))
    .option("--json", "print the verdict as JSON")
    .action(async (query: string, o: { surface: SearchSurface; json?: boolean }, command: Command) => {
      await withServices(command, async ({ lexiconRegistry, searchGate }) => {
        await lexiconRegistry.catchUp();
        const result = searchGate.check(query, o.surface);
        if (o.json) printJson(result);
        else if (result.verdict === "allow") process.stdout.write(`allow: ${JSON.stringify(query)}\n`);
        else {
          process.stdout.write(`block: ${result.reason}\n`);
          for (const h of result.hits) process.stdout.write(`  "${query.slice(h.start, h.end)}" → ${h.term} [${h.category}, ${h.severity}, ${h.view}, ${h.how}${h.how === "approximate" ? ` ${h.distance}` : ""}] from lexicon ${h.lexicon}\n`);
          process.stdout.write(`The searcher sees: ${result.message}\n`);
          for (const r of result.resources) process.stdout.write(`  - ${r.title}: ${r.url}\n`);
        }
        if (result.verdict === "block") process.exitCode = 3;
      });
    });
  return search;
}
