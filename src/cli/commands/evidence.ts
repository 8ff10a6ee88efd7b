import { readFileSync, writeFileSync } from "node:fs";
import { Command } from "commander";
import type { EvidenceAccess, EvidenceItem } from "../../evidence/index.js";
import { LapwingError } from "../../errors/index.js";
import { accountKeyFrom, platformOption, printJson, withServices } from "../context.js";
import { auditActor } from "../vocabulary.js";
import { progressBar } from "../progress.js";

/** An operator at the command line has database access already: the reason is what the audit log needs from them. */
function cliAccess(reason: string | undefined): EvidenceAccess {
  if (!reason) throw new LapwingError("VALIDATION_FAILED", "Say why you need the evidence with --reason TEXT (it is recorded in the audit log).", { pointer: "/reason" });
  return { actor: auditActor.cli, mayAccess: true, reason };
}

function line(item: EvidenceItem): string {
  return `${item.id}  ${item.kind.padEnd(7)}  ${String(item.byteSize).padStart(9)} B  sha256 ${item.sha256.slice(0, 16)}…  ${item.source.padEnd(15)}  ${item.fileName}${item.held ? "  [held]" : ""}`;
}

/**
 * `lapwing evidence`: the evidence vault from the command line (docs/evidence.md).
 * Every read takes --reason and is audited as `cli`.
 */
export function evidenceCommand(): Command {
  const evidence = new Command("evidence").description("The evidence vault: list, show, hold, release, export, verify, purge, rotate-key (docs/evidence.md)");

  evidence
    .command("list")
    .description("A case's preserved items (with --case), or the cases that have evidence")
    .option("--case <id>", "list this case's items, holds and pending preservation requests")
    .option("--account <id>", "without --case: only this account's cases")
    .option(...platformOption)
    .requiredOption("--reason <text>", "why you need it (audited)")
    .option("--json", "one JSON object per line (items, or cases)")
    .action(async (o: { case?: string; account?: string; platform?: string; reason: string; json?: boolean }, command: Command) => {
      const accountId = o.account === undefined ? undefined : accountKeyFrom(o.account, o.platform);
      await withServices(command, async (services) => {
        const access = cliAccess(o.reason);
        if (o.case) {
          const found = await services.evidence.caseEvidence(o.case, access);
          if (o.json) return found.items.forEach(printJson);
          if (found.items.length === 0) process.stderr.write(`Case ${o.case} has no preserved evidence.\n`);
          for (const item of found.items) process.stdout.write(line(item) + "\n");
          for (const hold of found.holds) process.stdout.write(`hold ${hold.id}: ${hold.releasedAt ? `released ${hold.releasedAt}` : `until ${hold.until ?? "released"}`}, set by ${hold.setBy}: ${hold.reason}\n`);
          for (const request of found.pending) process.stdout.write(`pending upload ${request.id}: ${request.target.type}:${request.target.id} asked ${request.requestedAt}\n`);
          return;
        }
        const cases = await services.evidence.cases(access, { accountId, limit: 500 });
        if (o.json) return cases.forEach(printJson);
        if (cases.length === 0) process.stderr.write("No case has preserved evidence.\n");
        for (const c of cases) process.stdout.write(`${c.caseId}  ${c.items} item(s)  last ${c.lastCapturedAt}  retain until ${c.retainUntil ?? "(not reported: kept)"}${c.held ? "  [held]" : ""}\n`);
      });
    });

  evidence
    .command("show")
    .description("One item's metadata; with --out, also write its decrypted bytes to a file (integrity checked)")
    .argument("<item>", "the item id")
    .requiredOption("--reason <text>", "why you need it (audited)")
    .option("--out <file>", "write the decrypted bytes here (mode 0600)")
    .option("--json", "the metadata as one JSON object")
    .action(async (id: string, o: { reason: string; out?: string; json?: boolean }, command: Command) => {
      await withServices(command, async (services) => {
        const access = cliAccess(o.reason);
        let item: EvidenceItem;
        if (o.out) {
          const read = await services.evidence.read(id, access);
          item = read.item;
          writeFileSync(o.out, read.bytes, { mode: 0o600 });
          process.stderr.write(`Wrote ${read.bytes.length} bytes to ${o.out} (SHA-256 ${item.sha256}).\n`);
        } else {
          item = await services.evidence.get(id, access);
        }
        if (o.json) printJson(item);
        else process.stdout.write(Object.entries(item).map(([k, v]) => `${k}: ${v ?? "-"}`).join("\n") + "\n");
      });
    });

  evidence
    .command("hold")
    .description("Place a legal hold on a case's evidence (nothing of it is purged while in force), or extend one with --extend")
    .argument("<case-or-hold>", "the case id (or, with --extend, the hold id)")
    .requiredOption("--reason <text>", "who asked and why (court order, preservation request); audited")
    .option("--until <time>", "when the hold lapses (ISO-8601); omit to hold until released")
    .option("--extend", "extend the hold named by its id to --until")
    .option("--json", "the hold as one JSON object")
    .action(async (id: string, o: { reason: string; until?: string; extend?: boolean; json?: boolean }, command: Command) => {
      await withServices(command, async (services) => {
        const access = cliAccess(o.reason);
        if (o.extend && !o.until) throw new LapwingError("VALIDATION_FAILED", "--extend needs --until TIME.", { pointer: "/until" });
        const hold = o.extend ? await services.evidence.extendHold(id, { until: o.until }, access) : await services.evidence.setHold(id, { until: o.until }, access);
        if (o.json) printJson(hold);
        else process.stdout.write(`Hold ${hold.id} on case ${hold.caseId} until ${hold.until ?? "released"}.\n`);
      });
    });

  evidence
    .command("release")
    .description("Release a legal hold; retention applies to the case again")
    .argument("<hold>", "the hold id")
    .requiredOption("--reason <text>", "why (audited)")
    .option("--json", "the hold as one JSON object")
    .action(async (id: string, o: { reason: string; json?: boolean }, command: Command) => {
      await withServices(command, async (services) => {
        const hold = await services.evidence.releaseHold(id, cliAccess(o.reason));
        if (o.json) printJson(hold);
        else process.stdout.write(`Hold ${hold.id} released.\n`);
      });
    });

  evidence
    .command("export")
    .description("Write a case's evidence as a tar archive for law enforcement: decrypted items and a manifest of hashes, itself hashed")
    .argument("<case>", "the case id")
    .requiredOption("--reason <text>", "the request you answer (audited)")
    .requiredOption("--out <file>", "the archive to write (mode 0600)")
    .option("--json", 'print {"archive", "manifestSha256", "files"} as JSON')
    .action(async (caseId: string, o: { reason: string; out: string; json?: boolean }, command: Command) => {
      await withServices(command, async (services) => {
        const { archive, manifest, manifestSha256 } = await services.evidence.exportCase(caseId, cliAccess(o.reason));
        writeFileSync(o.out, archive, { mode: 0o600 });
        if (o.json) printJson({ archive: o.out, manifestSha256, files: manifest.files.length });
        else process.stdout.write(`Wrote ${o.out}: ${manifest.files.length} file(s), manifest SHA-256 ${manifestSha256}. Check it with \`lapwing evidence verify ${o.out}\`.\n`);
      });
    });

  evidence
    .command("verify")
    .description("Check an export archive: the manifest matches its hash and every file its size, MD5 and SHA-256; exits 1 naming each difference")
    .argument("<archive>", "the tar file written by `lapwing evidence export`")
    .option("--json", 'print {"ok", "caseId", "files", "problems"} as JSON')
    .action(async (path: string, o: { json?: boolean }) => {
      const { verifyArchive } = await import("../../evidence/index.js");
      let bytes: Buffer;
      try {
        bytes = readFileSync(path);
      } catch (error) {
        throw new LapwingError("NOT_FOUND", `Cannot read ${path}: ${(error as Error).message}`);
      }
      const result = verifyArchive(bytes);
      if (o.json) printJson(result);
      else if (result.ok) process.stdout.write(`OK: ${path} holds case ${result.caseId}'s ${result.files} file(s), each matching the manifest, and the manifest its hash.\n`);
      else process.stderr.write(`MISMATCH in ${path}:\n  ${result.problems.join("\n  ")}\n`);
      if (!result.ok) process.exitCode = 1;
    });

  evidence
    .command("purge")
    .description("Delete evidence whose retention has ended and that no hold keeps (serve and worker do this on a schedule); audited")
    .option("--json", 'print {"purgedCases", "purgedItems", "keptByHold"} as JSON')
    .action(async (o: { json?: boolean }, command: Command) => {
      await withServices(command, async (services) => {
        const result = await services.evidence.purgeExpired(auditActor.cli);
        if (o.json) printJson(result);
        else process.stdout.write(`Purged ${result.purgedItems} item(s) of ${result.purgedCases.length} case(s); ${result.keptByHold.length} expired case(s) kept by a legal hold.\n`);
      });
    });

  evidence
    .command("rotate-key")
    .description("Re-wrap every data key under the current master key (LAPWING_EVIDENCE_MASTER_KEY), reading old ones from LAPWING_EVIDENCE_PREVIOUS_KEYS")
    .option("--json", 'print {"rewrapped", "total", "keyId"} as JSON')
    .action(async (o: { json?: boolean }, command: Command) => {
      await withServices(command, async (services) => {
        let bar: ReturnType<typeof progressBar> | undefined;
        const result = await services.evidence.rotateKey(auditActor.cli, (done, total) => {
          bar ??= o.json ? undefined : progressBar(total, "keys");
          bar?.update(done);
        });
        bar?.stop();
        if (o.json) printJson(result);
        else process.stdout.write(`Re-wrapped ${result.rewrapped} of ${result.total} data key(s) under master key "${result.keyId}". ${result.rewrapped === result.total ? "The previous keys are no longer needed: remove them from LAPWING_EVIDENCE_PREVIOUS_KEYS." : "Run it again to finish."}\n`);
      });
    });

  return evidence;
}
