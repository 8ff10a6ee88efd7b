import { Command } from "commander";
import { actionsCommand } from "./commands/actions.js";
import { auditCommand } from "./commands/audit.js";
import { bankCommand } from "./commands/bank.js";
import { casesCommand } from "./commands/cases.js";
import { eventsCommand } from "./commands/events.js";
import { hashCommand } from "./commands/hash.js";
import { keysCommand } from "./commands/keys.js";
import { lexiconCommand } from "./commands/lexicon.js";
import { matchCommand } from "./commands/match.js";
import { policyCommand } from "./commands/policy.js";
import { recommendationsCommand } from "./commands/recommendations.js";
import { migrateCommand } from "./commands/migrate.js";
import { networkCommand } from "./commands/network.js";
import { scenarioCommand } from "./commands/scenario.js";
import { searchCommand } from "./commands/search.js";
import { serveCommand } from "./commands/serve.js";
import { textCommand } from "./commands/text.js";
import { usersCommand } from "./commands/users.js";
import { workerCommand } from "./commands/worker.js";

/** The `lapwing` command tree (built, not run, so tests can walk it). */
export function buildProgram(): Command {
  return new Command("lapwing")
    .description("Lapwing: a self-hostable child-safety engine. Settings come from LAPWING_* environment variables (see docs/configuration.md).")
    .option("--database <url>", "database URL, overriding LAPWING_DATABASE_URL (sqlite:PATH or postgres://…)")
    .showHelpAfterError("(run with --help for usage)")
    .addCommand(serveCommand())
    .addCommand(migrateCommand())
    .addCommand(keysCommand())
    .addCommand(usersCommand())
    .addCommand(hashCommand())
    .addCommand(bankCommand())
    .addCommand(eventsCommand())
    .addCommand(matchCommand())
    .addCommand(textCommand())
    .addCommand(searchCommand())
    .addCommand(auditCommand())
    .addCommand(lexiconCommand())
    .addCommand(policyCommand())
    .addCommand(casesCommand())
    .addCommand(actionsCommand())
    .addCommand(networkCommand())
    .addCommand(recommendationsCommand())
    .addCommand(workerCommand())
    .addCommand(scenarioCommand());
}
