import { CommanderError } from "commander";
import { isLapwingError } from "../errors/index.js";
import { buildProgram, unknownCommandBeforeHelp } from "./program.js";

// Exit codes (README): 0 success, 1 an error, 2 a usage mistake; commands set 3 and 4 themselves.
const program = buildProgram();
try {
  const unknown = unknownCommandBeforeHelp(program, process.argv.slice(2));
  if (unknown) {
    process.stderr.write(`lapwing: unknown command '${unknown}' (run \`lapwing --help\` for the commands)\n`);
    process.exitCode = 2;
  } else {
    await program.parseAsync(process.argv);
  }
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander has already printed its message; help and --version end normally.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (isLapwingError(error)) {
    process.stderr.write(`lapwing: ${error.message}${error.pointer ? ` (at ${error.pointer})` : ""}\n`);
    process.exitCode = 1;
  } else if ((error as NodeJS.ErrnoException).code === "ENOENT") {
    process.stderr.write(`lapwing: no such file: ${(error as NodeJS.ErrnoException).path}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`lapwing: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  }
}
