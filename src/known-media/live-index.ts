import type { BankChanges, BankState } from "../banks/index.js";
import { PdqIndex, parsePdqHash, PDQ_WORDS } from "../matching/index.js";

export interface IndexedMatch {
  key: number;
  distance: number;
  /** Which of the query's hashes matched: 0 = as given, 1–7 = a dihedral orientation. */
  orientation: number;
  bank: BankState;
}

export interface LiveIndexOptions {
  /** Reads one page of the bank change feed (BankService.changesSince). */
  readChanges: (cursor: number, window: number) => Promise<BankChanges>;
  /** The store's identity (store `databaseId`), recorded in snapshots. */
  databaseId: number;
  /**
   * A snapshot made by `snapshot()` of an index over the same database: the
   * index starts from it and catches up from its cursor. One made for another
   * database is refused with an error.
   */
  snapshot?: Uint8Array;
  /** Seq values per page: bounds memory while catching up after a large import. */
  pageWindow?: number;
  clock?: () => number;
}

/**
 * The PDQ index of every live bank entry, kept in step with the store through
 * its change feed, so several server processes sharing one PostgreSQL see a
 * new hash within one poll interval. Keys are the entries' `index_key`s; a
 * typed array maps each key to its bank, so a match costs no query until the
 * caller asks for the entries' metadata.
 */
export function createLiveIndex(options: LiveIndexOptions) {
  const pageWindow = options.pageWindow ?? 20_000;
  const clock = options.clock ?? Date.now;
  const restored = options.snapshot ? decodeLiveSnapshot(options.snapshot) : undefined;
  if (restored && restored.databaseId !== options.databaseId) {
    throw new Error("the PDQ index snapshot was made for another database");
  }
  const index = restored?.index ?? new PdqIndex();
  const banks = new Map<number, BankState>((restored?.banks ?? []).map((b) => [b.ordinal, b]));
  let keyBank = restored?.keyBank ?? new Uint32Array(1024);
  let cursor = restored?.cursor ?? 0;
  let syncedAt = 0;
  let running: Promise<void> | undefined;

  function setBank(key: number, ordinal: number) {
    if (key >= keyBank.length) {
      let size = keyBank.length;
      while (size <= key) size *= 2;
      const grown = new Uint32Array(size);
      grown.set(keyBank);
      keyBank = grown;
    }
    keyBank[key] = ordinal;
  }

  function apply(page: BankChanges) {
    for (const bank of page.banks) {
      if (bank.deleted) banks.delete(bank.ordinal);
      else banks.set(bank.ordinal, bank);
    }
    if (page.addedPdq.length > 0) {
      const keys = new Uint32Array(page.addedPdq.length);
      const hashes = new Uint32Array(page.addedPdq.length * PDQ_WORDS);
      page.addedPdq.forEach((added, i) => {
        keys[i] = added.key;
        parsePdqHash(added.signal, hashes, i * PDQ_WORDS);
        setBank(added.key, added.bankOrdinal);
      });
      index.addMany(keys, hashes);
    }
    for (const key of page.removedKeys) index.remove(key);
    cursor = page.nextCursor;
  }

  /** Applies every change up to now. Concurrent callers share one catch-up. */
  function catchUp(): Promise<void> {
    running ??= (async () => {
      try {
        for (;;) {
          const page = await options.readChanges(cursor, pageWindow);
          apply(page);
          if (!page.hasMore) break;
          // A large import arrives as many pages; between them, let the process answer
          // requests (SQLite reads are synchronous, so awaiting a query alone does not).
          await new Promise((resolve) => setImmediate(resolve));
        }
        syncedAt = clock();
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  /**
   * Finds live entries of enabled banks within each bank's own threshold of
   * any of `queries` (one hash, or the 8 dihedral hashes of one image).
   */
  function search(queries: readonly string[]): IndexedMatch[] {
    let maxThreshold = -1;
    for (const bank of banks.values()) if (bank.enabled) maxThreshold = Math.max(maxThreshold, bank.pdqThreshold);
    if (maxThreshold < 0 || index.size === 0) return [];
    const found =
      queries.length === 1
        ? index.search(queries[0]!, maxThreshold).map((m) => ({ ...m, orientation: 0 }))
        : index.searchDihedral(queries, maxThreshold);
    const matches: IndexedMatch[] = [];
    for (const m of found) {
      const bank = banks.get(keyBank[m.key]!);
      if (bank && bank.enabled && m.distance <= bank.pdqThreshold) matches.push({ ...m, bank });
    }
    return matches.sort((a, b) => a.distance - b.distance || a.key - b.key);
  }

  /** The index, its bank map and cursor as bytes, for a fast cold start (see `decodeLiveSnapshot`). */
  function snapshot(): Uint8Array[] {
    const header = new TextEncoder().encode(JSON.stringify({ version: 1, databaseId: options.databaseId, cursor, banks: [...banks.values()] }));
    const prefix = new Uint32Array([snapshotMagic, header.byteLength, keyBank.length]);
    const padding = new Uint8Array((4 - (header.byteLength % 4)) % 4);
    return [new Uint8Array(prefix.buffer), header, padding, new Uint8Array(keyBank.buffer, keyBank.byteOffset, keyBank.byteLength), ...index.serializeParts()];
  }

  return {
    catchUp,
    search,
    snapshot,
    get size() {
      return index.size;
    },
    /** Milliseconds since the last completed catch-up (Infinity before the first). */
    get staleMs() {
      return syncedAt === 0 ? Infinity : clock() - syncedAt;
    },
    get cursor() {
      return cursor;
    },
  };
}

export type LiveIndex = ReturnType<typeof createLiveIndex>;

const snapshotMagic = 0x494c574c; // "LWLI" little-endian

/**
 * Reads a live-index snapshot. Throws on anything that is not one; the
 * caller then starts from an empty index and the full change feed.
 */
function decodeLiveSnapshot(bytes: Uint8Array): { index: PdqIndex; banks: BankState[]; keyBank: Uint32Array; cursor: number; databaseId: number } {
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  if (aligned.byteLength < 12) throw new Error("live-index snapshot is truncated");
  const [magic, headerBytes, keyBankLength] = new Uint32Array(aligned.buffer, aligned.byteOffset, 3);
  if (magic !== snapshotMagic) throw new Error("not a live-index snapshot");
  let at = 12;
  const header = JSON.parse(new TextDecoder().decode(aligned.subarray(at, at + headerBytes!))) as { version: number; databaseId: number; cursor: number; banks: BankState[] };
  if (header.version !== 1) throw new Error(`unsupported live-index snapshot version ${header.version}`);
  at += headerBytes! + ((4 - (headerBytes! % 4)) % 4);
  if (at + keyBankLength! * 4 > aligned.byteLength) throw new Error("live-index snapshot is truncated");
  const keyBank = new Uint32Array(aligned.buffer, aligned.byteOffset + at, keyBankLength!).slice();
  at += keyBankLength! * 4;
  const index = PdqIndex.deserialize(aligned.subarray(at));
  return { index, banks: header.banks, keyBank, cursor: header.cursor, databaseId: header.databaseId };
}
