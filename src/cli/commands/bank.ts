import { createReadStream, createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import { once } from "node:events";
import { Command, Option } from "commander";
import { printJson, withServices } from "../context.js";
import { auditActor, bankFileFormats, matchVerdicts, signalTypes, type BankFileFormat, type MatchVerdict, type SignalType } from "../vocabulary.js";
import { progressBar } from "../progress.js";

export function bankCommand(): Command {
  const bank = new Command("bank").description("Manage hash banks: lists of known hashes to match media against");
  const formatOption = () => new Option("--format <format>", "file layout").choices([...bankFileFormats]).default("lapwing");

  bank
    .command("create")
    .description("Create a hash bank")
    .argument("<name>", "the bank's name")
    .option("--description <text>", "what the list holds and where it comes from", "")
    .option("--threshold <bits>", "largest PDQ distance that counts as a match", "31")
    .addOption(new Option("--verdict <verdict>", "what a match asks the platform to do").choices([...matchVerdicts]).default("block"))
    .option("--disabled", "create it disabled (not matched until enabled)")
    .option("--json", "print the bank as JSON")
    .action(async (name: string, o: { description: string; threshold: string; verdict: MatchVerdict; disabled?: boolean; json?: boolean }, command: Command) => {
      await withServices(command, async ({ banks }) => {
        const created = await banks.createBank({ name, description: o.description, pdqThreshold: Number(o.threshold), matchVerdict: o.verdict, enabled: !o.disabled }, auditActor.cli);
        if (o.json) printJson(created);
        else process.stdout.write(`Created bank "${created.name}" (${created.id}), PDQ threshold ${created.pdqThreshold}, verdict on match: ${created.matchVerdict}.\n`);
      }, { create: true });
    });

  bank
    .command("list")
    .description("List hash banks with their live entry counts")
    .option("--json", "one JSON object per bank")
    .action(async (o: { json?: boolean }, command: Command) => {
      await withServices(command, async ({ banks }) => {
        const all = await banks.listBanks();
        if (o.json) return all.forEach(printJson);
        if (all.length === 0) return void process.stdout.write("No banks yet; create one with `lapwing bank create NAME` or import a file.\n");
        for (const b of all) {
          process.stdout.write(`${b.name.padEnd(24)} ${String(b.entryCount).padStart(10)} entries  threshold ${String(b.pdqThreshold).padStart(2)}  ${b.matchVerdict.padEnd(6)}  ${b.enabled ? "enabled" : "DISABLED"}  ${b.id}\n`);
        }
      });
    });

  const update = (name: string, description: string, changes: (arg?: string) => Parameters<import("../../banks/index.js").BankService["updateBank"]>[1], argName?: string) => {
    const cmd = bank.command(name).description(description).argument("<bank>", "bank name or id");
    if (argName) cmd.argument(`<${argName}>`);
    cmd.action(async (target: string, ...rest: unknown[]) => {
      const command = rest[rest.length - 1] as Command;
      const arg = argName ? (rest[0] as string) : undefined;
      await withServices(command, async ({ banks }) => {
        const updated = await banks.updateBank(target, changes(arg), auditActor.cli);
        process.stdout.write(`Bank "${updated.name}": ${updated.enabled ? "enabled" : "disabled"}, threshold ${updated.pdqThreshold}, verdict ${updated.matchVerdict}.\n`);
      });
    });
  };
  update("rename", "Rename a bank", (newName) => ({ name: newName }), "new-name");
  update("enable", "Enable a bank (its entries are matched)", () => ({ enabled: true }));
  update("disable", "Disable a bank (kept, but not matched)", () => ({ enabled: false }));
  update("threshold", "Set a bank's PDQ match threshold in bits", (bits) => ({ pdqThreshold: Number(bits) }), "bits");

  bank
    .command("delete")
    .description("Delete a bank; its entries are tombstoned")
    .argument("<bank>", "bank name or id")
    .option("--yes", "confirm (required)")
    .action(async (target: string, o: { yes?: boolean }, command: Command) => {
      if (!o.yes) {
        process.stderr.write(`Deleting bank "${target}" stops all its matches. Run again with --yes to confirm.\n`);
        process.exitCode = 2;
        return;
      }
      await withServices(command, async ({ banks }) => {
        const { bank: deleted, entriesRemoved } = await banks.deleteBank(target, auditActor.cli);
        process.stdout.write(`Deleted bank "${deleted.name}" and tombstoned ${entriesRemoved} entries.\n`);
      });
    });

  bank
    .command("add")
    .description("Add hashes to a bank")
    .argument("<bank>", "bank name or id")
    .argument("<signals...>", "hashes to add")
    .addOption(new Option("--type <type>", "signal type").choices([...signalTypes]).default("pdq"))
    .option("--category <category>", "category recorded with each entry", "")
    .option("--note <note>", "note recorded with each entry", "")
    .action(async (target: string, signals: string[], o: { type: SignalType; category: string; note: string }, command: Command) => {
      await withServices(command, async ({ banks }) => {
        const r = await banks.addEntries(target, signals.map((signal) => ({ signalType: o.type, signal, category: o.category, note: o.note })), "cli", auditActor.cli);
        process.stdout.write(`Added ${r.added} entries (${r.duplicates} already present).\n`);
      }, { create: true });
    });

  bank
    .command("remove")
    .description("Remove a hash from a bank (kept as a tombstone)")
    .argument("<bank>", "bank name or id")
    .argument("<signal>", "the hash to remove")
    .addOption(new Option("--type <type>", "signal type").choices([...signalTypes]).default("pdq"))
    .action(async (target: string, signal: string, o: { type: SignalType }, command: Command) => {
      await withServices(command, async ({ banks }) => {
        const n = await banks.removeSignal(target, o.type, signal, auditActor.cli);
        process.stdout.write(n > 0 ? `Removed ${n} entry.\n` : `Bank "${target}" holds no live ${o.type} entry ${signal}.\n`);
        if (n === 0) process.exitCode = 1;
      });
    });

  bank
    .command("import")
    .description("Import a CSV bank file, streaming, atomically: rows are staged unseen and published in one short transaction, so an import that fails or is killed leaves the banks as they were and a running server stays responsive")
    .argument("<file>", "CSV file (lapwing: signal_type,signal,bank,category,note; threatexchange: signal_type,signal_str,collab,category,tags)")
    .addOption(formatOption())
    .option("--bank <name>", "bank for rows that name none")
    .option("--force-bank", "put every row in --bank whatever the file says")
    .option("--no-create", "fail instead of creating banks the file names")
    .option("--json", "print the result as JSON")
    .action(async (file: string, o: { format: BankFileFormat; bank?: string; forceBank?: boolean; create: boolean; json?: boolean }, command: Command) => {
      const size = (await stat(file)).size;
      await withServices(command, async ({ banks }) => {
        const stream = createReadStream(file, { encoding: "utf8", highWaterMark: 1 << 20 });
        const bar = progressBar(size, "bytes");
        const skippedLines: number[] = [];
        try {
          const result = await banks.importFile(stream, {
            format: o.format,
            bank: o.bank,
            forceBank: o.forceBank,
            createBanks: o.create,
            actor: auditActor.cli,
            onProgress: () => bar.update(stream.bytesRead),
            onSkip: (row) => skippedLines.length < 5 && skippedLines.push(row.line),
          });
          bar.stop();
          if (o.json) return printJson(result);
          process.stdout.write(
            `Imported ${result.rowsRead} rows: ${result.added} added, ${result.duplicates} already present` +
              (result.skipped ? `, ${result.skipped} skipped (signal types Lapwing does not hold; lines ${skippedLines.join(", ")}${result.skipped > skippedLines.length ? ", …" : ""})` : "") +
              (result.banksCreated.length ? `; created banks ${result.banksCreated.join(", ")}` : "") +
              ".\n",
          );
        } finally {
          bar.stop();
          stream.destroy();
        }
      }, { create: true });
    });

  bank
    .command("export")
    .description("Export a bank's live entries as CSV")
    .argument("<bank>", "bank name or id")
    .addOption(formatOption())
    .option("-o, --output <file>", "write to a file instead of stdout")
    .action(async (target: string, o: { format: BankFileFormat; output?: string }, command: Command) => {
      await withServices(command, async ({ banks }) => {
        const out = o.output ? createWriteStream(o.output) : process.stdout;
        for await (const chunk of banks.exportFile(target, o.format)) {
          if (!out.write(chunk)) await once(out, "drain");
        }
        if (o.output) {
          (out as NodeJS.WritableStream).end();
          await once(out, "finish");
        }
      });
    });

  return bank;
}
