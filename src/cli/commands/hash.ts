import { readFile, stat } from "node:fs/promises";
import { Command, Option } from "commander";
import { isLapwingError } from "../../errors/index.js";
import type { PdqMode } from "../../media/index.js";
import { configFrom, printJson } from "../context.js";
import { progressBar } from "../progress.js";

export function hashCommand(): Command {
  return new Command("hash")
    .description("Hash media files: PDQ, quality, MD5, SHA-256 (and the 8 dihedral PDQ hashes). A file that cannot be hashed gets an error line and the rest go on; the exit code is 1 if any failed.")
    .argument("<files...>", "image files (JPEG, PNG, WebP, GIF, TIFF, AVIF, BMP)")
    .addOption(new Option("--mode <mode>", "PDQ mode: full (full-size, as shared hash lists) or reference (the C++ CLI's 512×512 pre-resize)").choices(["full", "reference"]))
    .option("--dihedral", "also print the 8 dihedral PDQ hashes")
    .option("--json", 'one JSON object per file: {"file","pdq","quality","md5","sha256"} or {"file","error"}')
    .action(async (files: string[], options: { mode?: PdqMode; dihedral?: boolean; json?: boolean }, command: Command) => {
      const config = await configFrom(command);
      const { hashMedia } = await import("../../media/index.js");
      const limits = { maxBytes: config.maxUploadBytes, maxPixels: config.maxPixels };
      const bar = progressBar(files.length, "files");
      let failed = 0;
      for (const [i, file] of files.entries()) {
        try {
          const info = await stat(file);
          if (info.isDirectory()) throw new Error(`is a directory; name the files in it instead (for example ${file.replace(/\/+$/, "")}/*)`);
          const size = info.size;
          if (size > limits.maxBytes) throw new Error(`file is ${size} bytes, over the ${limits.maxBytes}-byte limit (LAPWING_MAX_UPLOAD_BYTES)`);
          const h = await hashMedia(await readFile(file), { mode: options.mode ?? config.pdqMode, dihedral: options.dihedral ?? false, limits });
          const out = { file, pdq: h.pdq, quality: h.quality, md5: h.md5, sha256: h.sha256, ...(h.dihedral ? { dihedral: h.dihedral } : {}) };
          if (options.json) printJson(out);
          else process.stdout.write(`${h.pdq}  q=${String(h.quality).padStart(3)}  ${file}\n`);
        } catch (error) {
          failed++;
          const message = isLapwingError(error) ? `${error.code}: ${error.message}` : (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
          if (options.json) printJson({ file, error: message });
          else process.stderr.write(`${file}: ${message}\n`);
        }
        bar.update(i + 1);
      }
      bar.stop();
      if (failed > 0) process.exitCode = 1;
    });
}
