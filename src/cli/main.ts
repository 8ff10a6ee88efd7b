import { Command } from "commander";
import { isLapwingError } from "../errors/index.js";
import { bankCommand } from "./commands/bank.js";
import { hashCommand } from "./commands/hash.js";
import { keysCommand } from "./commands/keys.js";
import { matchCommand } from "./commands/match.js";
import { migrateCommand } from "./commands/migrate.js";
import { serveCommand } from "./commands/serve.js";

const program = new Command("lapwing")
  .description("Lapwing: a self-hostable child-safety engine. Settings come from LAPWING_* environment variables (see docs/configuration.md).")
  .option("--database <url>", "database URL, overriding LAPWING_DATABASE_URL (sqlite:PATH or postgres://…)")
  .showHelpAfterError("(run with --help for usage)")
  .addCommand(serveCommand())
  .addCommand(migrateCommand())
  .addCommand(keysCommand())
  .addCommand(hashCommand())
  .addCommand(bankCommand())
  .addCommand(matchCommand());

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (isLapwingError(error)) {
    process.stderr.write(`lapwing: ${error.message}${error.pointer ? ` (at ${error.pointer})` : ""}\n`);
  } else if ((error as NodeJS.ErrnoException).code === "ENOENT") {
    process.stderr.write(`lapwing: no such file: ${(error as NodeJS.ErrnoException).path}\n`);
  } else {
    process.stderr.write(`lapwing: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
  }
  process.exitCode = 1;
}
