import { createInterface } from "node:readline";
import type { Command } from "commander";
import type { z } from "zod";
import { printJson, withServices } from "../context.js";
import { recommendationSurfaces } from "../vocabulary.js";

/** One input line, read with the event schema's id rules (loaded with the command, not with the command tree). */
async function lineSchema() {
  const [{ z }, { platformEntityId, platformIdField }] = await Promise.all([import("zod"), import("../../events/index.js")]);
  return z.strictObject({
    viewer: platformEntityId,
    // Account and post ids are per platform (docs/tenancy.md); absent, the default platform's.
    platform_id: platformIdField.optional(),
    surface: z.enum(recommendationSurfaces),
    candidates: z.array(z.string().min(1).max(500)).max(100_000),
  });
}

/**
 * `lapwing recommendations filter --json`: the recommender guard for offline
 * pipelines. Reads JSON lines `{"viewer", "surface", "candidates"}` on
 * standard input and writes one `{"viewer", "kept", "removed"}` line per
 * input line, in order; a line it cannot read gets `{"line", "error"}` on
 * stderr and the exit code is 1.
 */
export function addRecommendationsFilter(group: Command): Command {
  group
    .command("filter")
    .description('The recommender guard for offline pipelines: JSON lines {"viewer","surface","candidates"} (and "platform_id" for another platform than the default) on stdin, one {"viewer","kept","removed"} line out per line in')
    .option("--json", "JSON lines out (the only format; accepted for scripts that pass it)")
    .action(async (_o: { json?: boolean }, command: Command) => {
      const line = await lineSchema();
      const { ZodError } = await import("zod");
      await withServices(command, async (services) => {
        const snapshot = await services.network.refresh();
        let number = 0;
        let refused = 0;
        for await (const text of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
          number += 1;
          if (text.trim() === "") continue;
          let parsed: z.infer<typeof line>;
          try {
            parsed = line.parse(JSON.parse(text));
          } catch (error) {
            refused += 1;
            const message = error instanceof ZodError ? error.issues.map((i) => `${i.path.join("/") || "/"}: ${i.message}`).join("; ") : (error as Error).message;
            process.stderr.write(JSON.stringify({ line: number, error: message }) + "\n");
            continue;
          }
          const { platform_id, ...request } = parsed;
          printJson(services.network.guard({ ...request, ...(platform_id === undefined ? {} : { platformId: platform_id }) }, snapshot));
        }
        if (refused > 0) process.exitCode = 1;
      });
    });
  return group;
}
