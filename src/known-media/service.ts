import type { BankEntry, BankService, MatchVerdict, SignalType } from "../banks/index.js";
import { normalizeSignal } from "../banks/index.js";
import { LapwingError } from "../errors/index.js";
import { mediaHashes, type DecodeLimits, type DihedralHashes, type ImageHashes, type MediaDigests, type MediaHashes, type PdqMode } from "../media/index.js";
import type { MediaHashPool, WhenBusy } from "./hash-pool.js";
import type { LiveIndex } from "./live-index.js";

/** Orientation names in the order the dihedral hashes are searched (0 = as given). */
export const orientations = ["orig", "rot90", "rot180", "rot270", "flipx", "flipy", "flipp", "flipm"] as const satisfies ReadonlyArray<keyof DihedralHashes>;
export type Orientation = (typeof orientations)[number];

export interface HashMatch {
  signalType: SignalType;
  /** Hamming distance for PDQ; 0 for exact digests. */
  distance: number;
  /**
   * For a dihedral PDQ match: the transform that, applied to the query image,
   * gives the listed one (e.g. `rot90` when the upload is the listed image
   * turned 90° clockwise). `orig` when it matched as given.
   */
  orientation?: Orientation;
  bank: { id: string; name: string; matchVerdict: MatchVerdict };
  entry: Pick<BankEntry, "id" | "signal" | "source" | "category" | "note" | "addedAt">;
}

export type Verdict = "allow" | MatchVerdict;

export interface CheckResult {
  verdict: Verdict;
  matches: HashMatch[];
  /** Why a signal was not matched, e.g. a PDQ hash whose quality is too low to trust. */
  notes: string[];
}

/** The hashes of a checked file: its digests always, its image hashes when it could be decoded. */
export interface CheckedHashes extends MediaDigests, Partial<ImageHashes> {}

/** The check of a file's bytes. */
export interface MediaCheckResult extends CheckResult {
  hashes: CheckedHashes;
  /**
   * Why no PDQ hash was computed (not an image, corrupt, too many pixels, over
   * its memory or time budget); the MD5 and SHA-256 digests were matched all the same.
   */
  pdqError?: { code: string; message: string };
}

export interface QueryHashes {
  pdq?: string;
  /** PDQ quality, when known; below the configured minimum the PDQ hash is not matched. */
  quality?: number;
  md5?: string;
  sha256?: string;
  dihedral?: DihedralHashes;
}

export interface KnownMediaSettings {
  pdqMode: PdqMode;
  pdqQualityMin: number;
  limits: DecodeLimits;
}

const verdictRank: Record<Verdict, number> = { allow: 0, review: 1, hold: 2, block: 3 };

/**
 * Known-media matching: hashes uploads and checks hashes against every
 * enabled bank (PDQ through the live index, MD5/SHA-256 exactly), returning
 * each match with its bank, distance and entry, and a verdict: the strictest
 * `matchVerdict` among the matched banks, else `allow`.
 */
export function createKnownMediaService(deps: { banks: BankService; index: LiveIndex; pool: MediaHashPool; settings: KnownMediaSettings }) {
  const { banks, index, pool, settings } = deps;

  /**
   * Hashes a file in the media thread pool. Throws why it could not be
   * decoded, or `MEDIA_BUSY` when every thread is busy, the queue is full and
   * `whenBusy` is `"refuse"` (the default `"wait"` queues instead).
   */
  async function hash(bytes: Uint8Array, options: { dihedral?: boolean; mode?: PdqMode; whenBusy?: WhenBusy } = {}): Promise<MediaHashes> {
    const { digests, image, error } = await pool.run(
      { bytes, mode: options.mode ?? settings.pdqMode, dihedral: options.dihedral ?? false, limits: settings.limits },
      options.whenBusy ?? "wait",
    );
    if (!image) throw error;
    return mediaHashes(image, digests);
  }

  async function checkHashes(query: QueryHashes): Promise<CheckResult> {
    if (query.pdq === undefined && query.md5 === undefined && query.sha256 === undefined) {
      throw new LapwingError("VALIDATION_FAILED", "Give at least one of pdq, md5 or sha256 to check.");
    }
    const notes: string[] = [];
    const matches: HashMatch[] = [];

    if (query.pdq !== undefined) {
      const pdq = normalizeSignal("pdq", query.pdq, "/pdq");
      if (query.quality !== undefined && query.quality < settings.pdqQualityMin) {
        notes.push(`PDQ quality ${query.quality} is below ${settings.pdqQualityMin}: the image has too little detail for a trustworthy PDQ match, so only exact digests were checked.`);
      } else {
        const queries = query.dihedral ? orientations.map((o) => normalizeSignal("pdq", query.dihedral![o], `/dihedral/${o}`)) : [pdq];
        const found = index.search(queries);
        const entries = await banks.entriesByIndexKeys(found.map((f) => f.key));
        for (const f of found) {
          const entry = entries.get(f.key);
          // An entry removed after the last index sync: the store is the truth.
          if (!entry || entry.removedAt) continue;
          matches.push({
            signalType: "pdq",
            distance: f.distance,
            ...(query.dihedral ? { orientation: orientations[f.orientation] } : {}),
            bank: { id: f.bank.id, name: f.bank.name, matchVerdict: f.bank.matchVerdict },
            entry: pick(entry),
          });
        }
      }
    }
    for (const type of ["md5", "sha256"] as const) {
      const value = query[type];
      if (value === undefined) continue;
      const digest = normalizeSignal(type, value, `/${type}`);
      for (const { entry, bank } of await banks.findLiveBySignal(type, [digest])) {
        matches.push({ signalType: type, distance: 0, bank: { id: bank.id, name: bank.name, matchVerdict: bank.matchVerdict }, entry: pick(entry) });
      }
    }
    return { verdict: strictest(matches), matches, notes };
  }

  /**
   * Hashes a file and checks it. The MD5 and SHA-256 of the bytes are matched
   * whatever the bytes are: a listed video, SVG or corrupt file is found by
   * its digests even though it has no PDQ hash (`pdqError` then says why).
   * Throws `MEDIA_EMPTY` for no bytes, and `MEDIA_BUSY` as `hash` does.
   */
  async function checkMedia(bytes: Uint8Array, options: { dihedral?: boolean; whenBusy?: WhenBusy } = {}): Promise<MediaCheckResult> {
    if (bytes.length === 0) throw new LapwingError("MEDIA_EMPTY", "The media has zero bytes; send the file's contents.");
    const { digests, image, error } = await pool.run({ bytes, mode: settings.pdqMode, dihedral: options.dihedral ?? false, limits: settings.limits }, options.whenBusy ?? "wait");
    if (!image && !(error instanceof LapwingError)) throw error;
    const result = await checkHashes({ pdq: image?.pdq, quality: image?.quality, ...digests, dihedral: image?.dihedral });
    const hashes: CheckedHashes = { ...digests, ...image };
    if (!(error instanceof LapwingError)) return { ...result, hashes };
    result.notes.push(noPdqNote(error.code, error.message));
    return { ...result, hashes, pdqError: { code: error.code, message: error.message } };
  }

  return { hash, checkHashes, checkMedia };
}

export type KnownMediaService = ReturnType<typeof createKnownMediaService>;

/** The note on a check whose file had no PDQ hash, with the reason. */
export function noPdqNote(code: string, reason: string): string {
  return `No PDQ hash (${code}): ${reason.replace(/\.$/, "")}; only the MD5 and SHA-256 digests were checked.`;
}

function pick(entry: BankEntry): HashMatch["entry"] {
  return { id: entry.id, signal: entry.signal, source: entry.source, category: entry.category, note: entry.note, addedAt: entry.addedAt };
}

function strictest(matches: HashMatch[]): Verdict {
  let verdict: Verdict = "allow";
  for (const m of matches) if (verdictRank[m.bank.matchVerdict] > verdictRank[verdict]) verdict = m.bank.matchVerdict;
  return verdict;
}
