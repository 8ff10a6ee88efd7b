import { Command } from "commander";
import type { Kysely } from "kysely";
import type { AuditEntry, AuditLog, AuditTables } from "../../audit/index.js";
import { configFrom, printJson, wholeNumber } from "../context.js";
import { progressBar } from "../progress.js";

/** Exit status of `audit verify` when the chain does not hold. */
const tamperedExitCode = 4;
// Below this a check takes well under a second; a bar would only flicker.
const progressFromEntries = 20_000;

export function auditCommand(): Command {
  const audit = new Command("audit").description("Read and verify the append-only, hash-chained audit log");

  audit
    .command("verify")
    .description(`Check every entry of the audit log against its hash and its predecessor (exit 0 intact, ${tamperedExitCode} tampered)`)
    .option("--anchor <position:hash>", "also require this entry, as printed by an earlier verify (detects a rewritten or truncated tail)")
    .option("--json", "print the result as JSON")
    .action(async (o: { anchor?: string; json?: boolean }, command: Command) => {
      const { formatAuditAnchor, parseAuditAnchor } = await import("../../audit/index.js");
      const anchor = o.anchor === undefined ? undefined : parseAuditAnchor(o.anchor);
      await withAuditLog(command, async (log) => {
        let bar: ReturnType<typeof progressBar> | undefined;
        const result = await log.verify({
          anchor,
          onProgress: (checked, total) => {
            if (!bar && total >= progressFromEntries) bar = progressBar(total, "entries");
            bar?.update(checked);
          },
        });
        bar?.stop();
        if (!result.ok) process.exitCode = tamperedExitCode;
        if (o.json) return printJson(result);
        if (result.ok) {
          process.stdout.write(
            result.head
              ? `Audit log intact: ${result.checked} entries checked.\nHead: ${formatAuditAnchor(result.head)}\n` +
                  `Keep the head outside this database and pass it later as --anchor to detect a rewritten or truncated tail.\n`
              : "Audit log is empty: nothing to check.\n",
          );
        } else {
          process.stderr.write(`lapwing: audit log TAMPERED at position ${result.firstBadPosition}: ${result.problem}\n`);
          process.stderr.write(`${result.checked} entries read; the last good one is ${result.head ? formatAuditAnchor(result.head) : "none (the chain fails at its start)"}.\n`);
        }
      });
    });

  audit
    .command("list")
    .description("List audit entries, newest first")
    .option("--action <action>", "only this action, e.g. bank.create")
    .option("--actor <actor>", "only this actor, e.g. cli or user:<id>")
    .option("--before <position>", "only entries older than this position (to page back)")
    .option("--limit <n>", "at most this many entries (1–1000)", "50")
    .option("--json", "one JSON object per entry")
    .action(async (o: { action?: string; actor?: string; before?: string; limit: string; json?: boolean }, command: Command) => {
      const limit = wholeNumber(o.limit, "--limit", { min: 1 });
      const before = o.before === undefined ? undefined : wholeNumber(o.before, "--before");
      await withAuditLog(command, async (log) => {
        const entries = await log.list({ action: o.action, actor: o.actor, before, limit, order: "desc" });
        if (o.json) return entries.forEach(printJson);
        if (entries.length === 0) return void process.stdout.write("No audit entries match.\n");
        for (const entry of entries) process.stdout.write(formatEntry(entry) + "\n");
      });
    });

  return audit;
}

/**
 * Opens the store with only the audit log on it: verifying must not depend on
 * (or start) anything else, and must work on a database other services cannot read.
 */
async function withAuditLog(command: Command, fn: (log: AuditLog) => Promise<void>): Promise<void> {
  const { databaseUrl } = await configFrom(command);
  const [{ createAuditLog, createAuditRepository }, { migrateToLatest, openStore }] = await Promise.all([import("../../audit/index.js"), import("../../store/index.js")]);
  const store = await openStore(databaseUrl, { create: false });
  try {
    await migrateToLatest(store.db);
    await fn(createAuditLog(createAuditRepository(store.db as Kysely<AuditTables>)));
  } finally {
    await store.close();
  }
}

function formatEntry(entry: AuditEntry): string {
  const target = entry.target ? `${entry.target.type}:${entry.target.id}` : "-";
  const details = Object.keys(entry.details).length > 0 ? `  ${JSON.stringify(entry.details)}` : "";
  return `${String(entry.position).padStart(8)}  ${entry.at}  ${entry.actor.padEnd(20)}  ${entry.action.padEnd(18)}  ${target}${details}`;
}
