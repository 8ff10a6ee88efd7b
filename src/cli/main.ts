import { isLapwingError } from "../errors/index.js";
import { buildProgram } from "./program.js";

try {
  await buildProgram().parseAsync(process.argv);
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
