import { hostname } from "node:os";
import type { Kysely } from "kysely";
import { auditActor, type AuditLog, type AuditTarget } from "../audit/index.js";
import { LapwingError } from "../errors/index.js";
import { newId } from "../store/index.js";
import { parseBankFile, type BankFileFormat, type ImportRow, type SkippedRow, bankFileHeader, bankFileLine } from "./file-formats.js";
import type { BankRepository, EntrySearch } from "./repository.js";
import { normalizeSignal, type SignalType } from "./signal-types.js";
import { matchVerdicts, type Bank, type BankEntry, type BankWithCounts, type MatchVerdict, type NewEntry } from "./types.js";

export const defaultPdqThreshold = 31;
const maxNameLength = 200;

export interface BankSettings {
  name?: string;
  description?: string;
  enabled?: boolean;
  pdqThreshold?: number;
  matchVerdict?: MatchVerdict;
}

export interface ImportOptions {
  format: BankFileFormat;
  /** Bank for rows whose bank column is empty, and for every row when `forceBank` is set. */
  bank?: string;
  forceBank?: boolean;
  /** Create banks named in the file that do not exist yet (default true). */
  createBanks?: boolean;
  onProgress?: (rowsRead: number) => void;
  onSkip?: (row: SkippedRow) => void;
  /** Who is importing, for the audit log. */
  actor?: string;
}

export interface ImportResult {
  rowsRead: number;
  added: number;
  duplicates: number;
  skipped: number;
  banksCreated: string[];
}

// Rows are written in groups, each in its own short transaction, marked with
// the import's id so nobody sees them; one short final transaction publishes
// them all. A huge file never sits in memory, other writers (SQLite has one
// write lock) wait at most one group, and an import that fails or is killed
// leaves the banks exactly as before.
const importGroupRows = 2000;
/** How often a running import says it is alive, and after how long without that it counts as dead. */
const importHeartbeatMs = 30_000;
export const staleImportMs = 5 * 60_000;

/**
 * Hash banks: lists of known hashes, their entries, and import/export. Every
 * change is written to the audit log (when one is given) in the same
 * transaction, so the log and the banks cannot disagree.
 */
export function createBankService(repo: BankRepository, options: { clock?: () => Date; audit?: AuditLog } = {}) {
  const clock = options.clock ?? (() => new Date());
  const audited = async (trx: unknown, actor: string, action: string, target: AuditTarget, details: Record<string, unknown>) => {
    await options.audit?.record(trx as Kysely<unknown>, { actor, action, target, details });
  };

  async function requireBank(idOrName: string): Promise<Bank> {
    const bank = await repo.findBank(idOrName);
    if (!bank) throw new LapwingError("BANK_NOT_FOUND", `No hash bank is named or has id "${idOrName}"; list them with \`lapwing bank list\` or GET /v1/banks.`);
    return bank;
  }

  async function createBank(settings: BankSettings & { name: string }, actor: string = auditActor.system): Promise<Bank> {
    const now = clock().toISOString();
    const bank: Bank = validated({
      id: newId(clock().getTime()),
      name: settings.name,
      description: settings.description ?? "",
      enabled: settings.enabled ?? true,
      pdqThreshold: settings.pdqThreshold ?? defaultPdqThreshold,
      matchVerdict: settings.matchVerdict ?? "block",
      createdAt: now,
      updatedAt: now,
    });
    return repo.transaction(async (trx) => {
      if (await repo.findBank(bank.name, trx)) throw nameTaken(bank.name);
      if (await repo.bankNameStaged(bank.name, trx)) throw nameStaged(bank.name);
      await repo.insertBank(trx, bank);
      await audited(trx, actor, "bank.create", { type: "bank", id: bank.id }, { name: bank.name, enabled: bank.enabled, pdqThreshold: bank.pdqThreshold, matchVerdict: bank.matchVerdict });
      return bank;
    });
  }

  async function updateBank(idOrName: string, changes: BankSettings, actor: string = auditActor.system): Promise<Bank> {
    return repo.transaction(async (trx) => {
      const current = await repo.findBank(idOrName, trx);
      if (!current) throw new LapwingError("BANK_NOT_FOUND", `No hash bank is named or has id "${idOrName}".`);
      const next = validated({
        ...current,
        ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)),
        updatedAt: clock().toISOString(),
      });
      if (next.name !== current.name) {
        const other = await repo.findBank(next.name, trx);
        if (other && other.id !== current.id) throw nameTaken(next.name);
        if (await repo.bankNameStaged(next.name, trx)) throw nameStaged(next.name);
      }
      await repo.updateBank(trx, next);
      await audited(trx, actor, "bank.update", { type: "bank", id: next.id }, { before: settingsOf(current), after: settingsOf(next) });
      return next;
    });
  }

  async function deleteBank(idOrName: string, actor: string = auditActor.system): Promise<{ bank: Bank; entriesRemoved: number }> {
    const bank = await requireBank(idOrName);
    const entriesRemoved = await repo.transaction(async (trx) => {
      const removed = await repo.deleteBank(trx, bank.id, clock().toISOString());
      await audited(trx, actor, "bank.delete", { type: "bank", id: bank.id }, { name: bank.name, entriesRemoved: removed });
      return removed;
    });
    return { bank, entriesRemoved };
  }

  async function addEntries(idOrName: string, entries: NewEntry[], source = "api", actor: string = auditActor.system): Promise<{ added: number; duplicates: number }> {
    const bank = await requireBank(idOrName);
    const now = clock().toISOString();
    const rows = entries.map((entry, i) => ({
      id: newId(clock().getTime()),
      bank_id: bank.id,
      signal_type: entry.signalType,
      signal: normalizeSignal(entry.signalType, entry.signal, `/entries/${i}/signal`),
      source: entry.source ?? source,
      category: entry.category ?? "",
      note: entry.note ?? "",
      added_at: now,
    }));
    const added = await repo.transaction(async (trx) => {
      const count = await repo.insertEntries(trx, rows);
      await audited(trx, actor, "bank.entries.add", { type: "bank", id: bank.id }, { bank: bank.name, offered: rows.length, added: count, source });
      return count;
    });
    return { added, duplicates: rows.length - added };
  }

  async function removeEntry(idOrName: string, entryId: string, actor: string = auditActor.system): Promise<BankEntry> {
    const bank = await requireBank(idOrName);
    const entry = await repo.findEntry(bank.id, entryId);
    if (!entry || entry.removedAt) {
      throw new LapwingError("BANK_ENTRY_NOT_FOUND", `Bank "${bank.name}" has no live entry with id "${entryId}".`);
    }
    const at = clock().toISOString();
    await repo.transaction(async (trx) => {
      await repo.removeEntries(trx, bank.id, { ids: [entryId] }, at);
      await audited(trx, actor, "bank.entry.remove", { type: "bank_entry", id: entryId }, { bank: bank.name, signalType: entry.signalType, signal: entry.signal });
    });
    return { ...entry, removedAt: at };
  }

  async function removeSignal(idOrName: string, type: SignalType, signal: string, actor: string = auditActor.system): Promise<number> {
    const bank = await requireBank(idOrName);
    const value = normalizeSignal(type, signal);
    return repo.transaction(async (trx) => {
      const removed = await repo.removeEntries(trx, bank.id, { signal: { type, value } }, clock().toISOString());
      if (removed > 0) await audited(trx, actor, "bank.entry.remove", { type: "bank", id: bank.id }, { bank: bank.name, signalType: type, signal: value, removed });
      return removed;
    });
  }

  /** A bank's entries in pages, optionally searched (by signal prefix, category, or text in the note or source). */
  async function listEntries(idOrName: string, options: { after?: string; limit?: number; includeRemoved?: boolean } & EntrySearch = {}) {
    const bank = await requireBank(idOrName);
    const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
    if (options.signalPrefix !== undefined && !/^[0-9a-fA-F]{1,64}$/.test(options.signalPrefix)) {
      throw new LapwingError("VALIDATION_FAILED", "A signal prefix is 1 to 64 hexadecimal digits.", { pointer: "/signal" });
    }
    const { signalPrefix, category, contains } = options;
    const entries = await repo.listEntries(bank.id, { after: options.after, limit, includeRemoved: options.includeRemoved ?? false, signalPrefix, category, contains });
    return { bank, entries, nextCursor: entries.length === limit ? entries[entries.length - 1]!.id : null };
  }

  /**
   * Imports a bank file (see file-formats.ts) atomically: either every row
   * lands or, on a malformed row or a crash, none does. Rows are staged in
   * short transactions and published in one (see `importGroupRows`).
   */
  async function importFile(chunks: AsyncIterable<string>, options: ImportOptions): Promise<ImportResult> {
    const createBanks = options.createBanks ?? true;
    if (options.forceBank && !options.bank) throw new LapwingError("VALIDATION_FAILED", "forceBank needs a bank name.");
    const result: ImportResult = { rowsRead: 0, added: 0, duplicates: 0, skipped: 0, banksCreated: [] };
    const now = clock().toISOString();
    await discardStaleImports();
    const importId = newId(clock().getTime());
    await repo.beginImport(importId, now, { host: hostname(), pid: process.pid });
    const heartbeat = setInterval(() => void repo.beatImport(importId, clock().toISOString()).catch(() => {}), importHeartbeatMs);
    heartbeat.unref();

    try {
      const bankIds = new Map<string, string>();
      const resolveBank = async (row: ImportRow): Promise<string> => {
        const name = (options.forceBank ? options.bank : row.bank || options.bank) ?? "";
        if (!name) {
          throw new LapwingError("IMPORT_MALFORMED", `line ${row.line}: the row names no bank; fill the bank column or pass --bank NAME.`, {
            pointer: `line ${row.line}`,
          });
        }
        const known = bankIds.get(name);
        if (known) return known;
        let bank = await repo.findBank(name);
        if (!bank) {
          if (!createBanks) throw new LapwingError("BANK_NOT_FOUND", `line ${row.line}: no bank named "${name}"; create it first or allow creating banks.`);
          if (await repo.bankNameStaged(name)) throw nameStaged(name, `line ${row.line}: `);
          bank = validated({
            id: newId(clock().getTime()),
            name,
            description: `Created by import`,
            enabled: true,
            pdqThreshold: defaultPdqThreshold,
            matchVerdict: "block",
            createdAt: now,
            updatedAt: now,
          });
          const created = bank;
          await repo.transaction((trx) => repo.insertBank(trx, created, importId));
          result.banksCreated.push(name);
        }
        bankIds.set(name, bank.id);
        return bank.id;
      };

      let group: Parameters<BankRepository["insertEntries"]>[1] = [];
      const flush = async () => {
        const rows = group;
        group = [];
        const added = await repo.transaction((trx) => repo.insertEntries(trx, rows, importId));
        result.added += added;
        result.duplicates += rows.length - added;
      };
      const onSkip = (row: SkippedRow) => {
        result.skipped++;
        options.onSkip?.(row);
      };
      for await (const row of parseBankFile(chunks, options.format, onSkip)) {
        result.rowsRead++;
        group.push({
          id: newId(clock().getTime()),
          bank_id: await resolveBank(row),
          signal_type: row.signalType,
          signal: row.signal,
          source: `import:${options.format}`,
          category: row.category,
          note: row.note,
          added_at: now,
        });
        if (group.length >= importGroupRows) {
          await flush();
          options.onProgress?.(result.rowsRead);
        }
      }
      await flush();
      options.onProgress?.(result.rowsRead);
      await repo.transaction(async (trx) => {
        await repo.publishImport(trx, importId);
        await audited(trx, options.actor ?? auditActor.system, "bank.import", { type: "bank_file", id: options.format }, { ...result, banksCreated: [...result.banksCreated] });
      });
    } catch (error) {
      await repo.discardImport(importId).catch(() => {});
      throw error;
    } finally {
      clearInterval(heartbeat);
    }
    return result;
  }

  /**
   * Deletes the staged rows of imports whose process died: one on this host
   * whose pid is gone, or any without a heartbeat for `staleImportMs`. Runs
   * before every import; returns how many it discarded.
   */
  async function discardStaleImports(): Promise<number> {
    const cutoff = new Date(clock().getTime() - staleImportMs).toISOString();
    const here = hostname();
    const stale = (await repo.listImports()).filter((i) => i.heartbeatAt < cutoff || (i.host === here && !processAlive(i.pid)));
    for (const { id } of stale) await repo.discardImport(id);
    return stale.length;
  }

  /** Streams a bank's live entries as CSV text in the given format. */
  async function* exportFile(idOrName: string, format: BankFileFormat): AsyncGenerator<string> {
    const bank = await requireBank(idOrName);
    yield bankFileHeader(format);
    for await (const entry of repo.streamLiveEntries(bank.id)) {
      yield bankFileLine({ signalType: entry.signalType, signal: entry.signal, bank: bank.name, category: entry.category, note: entry.note });
    }
  }

  return {
    getBank: requireBank,
    listBanks: (): Promise<BankWithCounts[]> => repo.listBanks(),
    createBank,
    updateBank,
    deleteBank,
    addEntries,
    removeEntry,
    removeSignal,
    listEntries,
    importFile,
    discardStaleImports,
    exportFile,
    /** Live entries of enabled banks holding exactly these signals, with their banks. */
    findLiveBySignal: (type: SignalType, signals: string[]) => repo.findBySignal(type, signals),
    /** Entries by their PDQ index keys (the keys the change feed hands out). */
    entriesByIndexKeys: (keys: number[]) => repo.findByIndexKeys(keys),
    /** One page of the change feed; see BankRepository.changesSince. */
    changesSince: (cursor: number, window: number) => repo.changesSince(cursor, window),
  };
}

export type BankService = ReturnType<typeof createBankService>;

/** Whether a process with this id runs on this machine (signal 0 only checks). */
function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function settingsOf(bank: Bank) {
  return { name: bank.name, description: bank.description, enabled: bank.enabled, pdqThreshold: bank.pdqThreshold, matchVerdict: bank.matchVerdict };
}

function nameStaged(name: string, where = "") {
  return new LapwingError("BANK_NAME_TAKEN", `${where}an import still running is creating a bank named "${name}"; wait for it to finish, or choose another name.`);
}

function nameTaken(name: string) {
  return new LapwingError("BANK_NAME_TAKEN", `A bank named "${name}" already exists; choose another name or update that bank.`);
}

function validated(bank: Bank): Bank {
  const name = bank.name.trim();
  if (!name || name.length > maxNameLength || /[\u0000-\u001f\u007f]/.test(name)) {
    throw new LapwingError("VALIDATION_FAILED", `A bank name is 1–${maxNameLength} printable characters; got ${JSON.stringify(bank.name.slice(0, 50))}.`, { pointer: "/name" });
  }
  if (!Number.isInteger(bank.pdqThreshold) || bank.pdqThreshold < 0 || bank.pdqThreshold > 128) {
    throw new LapwingError("VALIDATION_FAILED", `pdqThreshold is a whole number of bits from 0 to 128 (ThreatExchange recommends 31); got ${bank.pdqThreshold}.`, {
      pointer: "/pdqThreshold",
    });
  }
  if (!matchVerdicts.includes(bank.matchVerdict)) {
    throw new LapwingError("VALIDATION_FAILED", `matchVerdict is one of ${matchVerdicts.join(", ")}; got ${String(bank.matchVerdict)}.`, { pointer: "/matchVerdict" });
  }
  return { ...bank, name };
}
