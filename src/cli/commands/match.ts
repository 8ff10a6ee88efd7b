import { readFile, stat } from "node:fs/promises";
import { Command } from "commander";
import { isLapwingError } from "../../errors/index.js";
import { printJson, withServices } from "../context.js";

export function matchCommand(): Command {
  return new Command("match")
    .description("Check a media file, or a PDQ/MD5/SHA-256 hash, against every enabled bank. Exit code 0: no match; 3: match; 1: error.")
    .argument("<target>", "a file (an image is matched by PDQ and digests, any other file by its MD5/SHA-256), or a hash (64 hex digits = PDQ, or use --sha256; 32 = MD5)")
    .option("--dihedral", "also match rotated and mirrored copies (images and PDQ hashes)")
    .option("--sha256", "treat a 64-hex-digit target as a SHA-256 rather than a PDQ hash")
    .option("--json", "print the result as JSON")
    .action(async (target: string, o: { dihedral?: boolean; sha256?: boolean; json?: boolean }, command: Command) => {
      await withServices(command, async ({ knownMedia, liveIndex }) => {
        const fail = (message: string) => {
          if (o.json) printJson({ target, error: message });
          else process.stderr.write(`${target}: ${message}\n`);
          process.exitCode = 1;
        };
        const info = await stat(target).catch(() => undefined);
        const hash = target.trim();
        const isHash = /^([0-9a-f]{32}|[0-9a-f]{64})$/i.test(hash);
        if (!info?.isFile() && !isHash) {
          return fail(
            info?.isDirectory()
              ? "is a directory; give one file (or a hash)."
              : "no such file, and not a hash either (an MD5 is 32 hex digits; a PDQ hash, or a SHA-256 with --sha256, is 64).",
          );
        }
        await liveIndex.catchUp();
        let result;
        try {
          if (info?.isFile()) {
            // Digests are matched whatever the file is; a file PDQ cannot hash gets a note (and `pdqError` in JSON).
            result = await knownMedia.checkMedia(await readFile(target), { dihedral: o.dihedral });
          } else {
            const query = hash.length === 32 ? { md5: hash } : o.sha256 ? { sha256: hash } : { pdq: hash };
            result = await knownMedia.checkHashes(query);
          }
        } catch (error) {
          if (!isLapwingError(error)) throw error;
          return fail(o.json ? `${error.code}: ${error.message}` : error.message);
        }
        if (o.json) printJson({ target, ...result });
        else {
          process.stdout.write(`${target}: ${result.verdict}${result.matches.length ? ` (${result.matches.length} match${result.matches.length > 1 ? "es" : ""})` : ""}\n`);
          for (const m of result.matches) {
            process.stdout.write(`  ${m.bank.name}: ${m.signalType} distance ${m.distance}${m.orientation && m.orientation !== "orig" ? ` (${m.orientation})` : ""}  entry ${m.entry.id}${m.entry.category ? `  [${m.entry.category}]` : ""}\n`);
          }
          for (const n of result.notes) process.stdout.write(`  note: ${n}\n`);
        }
        if (result.matches.length > 0) process.exitCode = 3;
      });
    });
}
