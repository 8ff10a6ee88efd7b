import { Command } from "commander";
import { actionsCommand } from "./commands/actions.js";
import { auditCommand } from "./commands/audit.js";
import { bankCommand } from "./commands/bank.js";
import { casesCommand } from "./commands/cases.js";
import { demoCommand } from "./commands/demo.js";
import { consumeCommand } from "./commands/consume.js";
import { eventsCommand } from "./commands/events.js";
import { evidenceCommand } from "./commands/evidence.js";
import { hashCommand } from "./commands/hash.js";
import { keysCommand } from "./commands/keys.js";
import { lexiconCommand } from "./commands/lexicon.js";
import { matchCommand } from "./commands/match.js";
import { policyCommand } from "./commands/policy.js";
import { recommendationsCommand } from "./commands/recommendations.js";
import { reportsCommand } from "./commands/reports.js";
import { migrateCommand } from "./commands/migrate.js";
import { networkCommand } from "./commands/network.js";
import { scenarioCommand } from "./commands/scenario.js";
import { searchCommand } from "./commands/search.js";
import { serveCommand } from "./commands/serve.js";
import { textCommand } from "./commands/text.js";
import { usersCommand } from "./commands/users.js";
import { workerCommand } from "./commands/worker.js";

/**
 * The `lapwing` command tree (built, not run, so tests can walk it). Usage
 * mistakes (unknown commands and options, invalid choices, missing required
 * options) throw a `CommanderError` instead of exiting, on every command, so
 * `main.ts` exits 2 for them, as the README promises.
 */
export function buildProgram(): Command {
  const program = new Command("lapwing")
    .description("Lapwing: a self-hostable child-safety engine. Settings come from LAPWING_* environment variables (see docs/configuration.md).")
    .option("--database <url>", "database URL, overriding LAPWING_DATABASE_URL (sqlite:PATH or postgres://…)")
    .showHelpAfterError("(run with --help for usage)")
    .addCommand(serveCommand())
    .addCommand(demoCommand())
    .addCommand(migrateCommand())
    .addCommand(keysCommand())
    .addCommand(usersCommand())
    .addCommand(hashCommand())
    .addCommand(bankCommand())
    .addCommand(eventsCommand())
    .addCommand(consumeCommand())
    .addCommand(matchCommand())
    .addCommand(textCommand())
    .addCommand(searchCommand())
    .addCommand(auditCommand())
    .addCommand(lexiconCommand())
    .addCommand(policyCommand())
    .addCommand(casesCommand())
    .addCommand(actionsCommand())
    .addCommand(reportsCommand())
    .addCommand(evidenceCommand())
    .addCommand(networkCommand())
    .addCommand(recommendationsCommand())
    .addCommand(workerCommand())
    .addCommand(scenarioCommand());
  const throwOnUsageMistakes = (command: Command) => {
    command.exitOverride();
    command.commands.forEach(throwOnUsageMistakes);
  };
  throwOnUsageMistakes(program);
  return program;
}

/**
 * Commander answers `lapwing nosuch --help` (or `lapwing bank nosuch --help`)
 * with the parent's help and exit 0, hiding the typo. This finds such an
 * unknown command name before parsing; undefined when there is none.
 */
export function unknownCommandBeforeHelp(program: Command, args: readonly string[]): string | undefined {
  if (!args.some((a) => a === "--help" || a === "-h")) return undefined;
  let command = program;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") return undefined;
    if (arg.startsWith("-")) {
      // Skip the value of an option that takes one (`--database URL`), unless given as `--database=URL`.
      const option = command.options.find((o) => o.long === arg || o.short === arg);
      if (option && (option.required || option.optional) && !arg.includes("=")) i++;
      continue;
    }
    if (command.commands.length === 0) return undefined;
    const sub = command.commands.find((c) => c.name() === arg || c.aliases().includes(arg));
    if (!sub) return arg === "help" ? undefined : `${command === program ? "" : command.name() + " "}${arg}`;
    command = sub;
  }
  return undefined;
}
