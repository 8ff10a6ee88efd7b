import { LapwingError } from "../errors/index.js";
import { PdqIndex } from "../matching/index.js";
import { byStrength, combineLinks } from "./combine.js";
import { DocFrequency } from "./doc-frequency.js";
import { KeyedDocs } from "./keyed-docs.js";
import { atHandle } from "./handle-key.js";
import { MinHashLsh } from "./minhash-lsh.js";
import { rarityBound, weightedOverlap, type Overlap } from "./overlap.js";
import { prepareProfile, type NamedAccount, type ProfileEntry } from "./profile-entry.js";
import { LINKER_DEFAULTS, type AccountProfile, type EvasionLink, type LinkKind, type LinkerOptions, type PairLink } from "./types.js";

/** Base strength of each kind of evidence before its own discounts (see docs/linking.md). */
const STRENGTH = {
  namedInBio: 0.9,
  namedInPost: 0.8,
  /** Resolved through an earlier handle: still the account, a little less certain (the handle may have been reused). */
  earlierHandle: 0.95,
  /** Resolved only through the look-alike skeleton. */
  lookalike: 0.8,
  sameHandle: 0.8,
  lookalikeHandle: 0.45,
  /** One handle is the other with a backup word added ("_bkp", "real."). */
  affixedHandle: 0.5,
  /** One handle is the other with a number added: common among strangers too. */
  numberedHandle: 0.3,
  payment: 0.85,
  offsiteHandle: 0.8,
  link: 0.6,
  contactCap: 0.95,
  avatar: 0.8,
  nearDuplicate: 0.7,
  follows: 0.75,
} as const;

/** Shared-rarity scale: how many pair-only shingles (or rarely followed accounts) make the evidence full. */
const TEXT_RARE_SCALE = 8;
const FOLLOW_RARE_SCALE = 6;
/** A shingle held by at most 2 profiles (this pair) counts in full; a followee followed by at most 4. */
const TEXT_RARE_DF = 2;
const FOLLOW_RARE_DF = 4;
/** Skeletons shorter than this collide too often to link on. */
const MIN_SKELETON_CHARS = 5;
/** A handle skeleton shared by more accounts than this is too common to link on. */
const MAX_SKELETON_SHARED = 20;
/** A mention that reads as more accounts than this names nobody in particular. */
const MAX_RESOLVED = 3;
// Handle positions are packed with the document: doc * 32 + position (position 31 means "31 or later").
const POSITIONS = 32;

/** One set-similarity kind of evidence: its index, frequencies and scoring. */
interface SetEvidence {
  kind: LinkKind;
  lsh: MinHashLsh;
  frequency: DocFrequency;
  features: (entry: ProfileEntry) => Uint32Array;
  /** Strength of an identical set of rare features. */
  cap: number;
  rareDf: number;
  rareScale: number;
  explain: (a: ProfileEntry, b: ProfileEntry, overlap: Overlap) => string;
}

interface Resolved {
  doc: number;
  position: number;
  isLookalike: boolean;
  count: number;
}

/**
 * Finds ban-evasion links between accounts: the evidence that two accounts
 * are one operator's, each link explained and with a strength in [0, 1].
 * Incremental: `upsert` and `remove` keep the indexes current, and links
 * are computed when asked for, so they always reflect the profiles as they are.
 *
 * ## Evidence
 * Mentions that name another account as main or backup (resolved through
 * current and earlier handles, then through look-alike skeletons); handles
 * shared across handle histories, look-alike or with an evader's affix;
 * shared off-platform contacts; near-duplicate display names and bios;
 * the same avatar; overlapping follows. See `LinkKind`.
 *
 * ## Scale
 * Nothing compares all pairs. Handles, mentions and contacts are looked up
 * in hash maps; avatars in a `PdqIndex`; bios and follow sets through
 * MinHash LSH ({@link MinHashLsh}), whose crowded buckets propose nothing and
 * whose candidates per account are capped (`maxCandidates`). `stats()`
 * counts the pairs examined.
 *
 * ## Not a verdict
 * A link says two accounts look like one operator's, not that either did
 * wrong: friends share a café's link, and "2nd acc of @x, main got hacked"
 * is a benign twin. Whether a link matters depends on the other end
 * (suspected, actioned); that is the caller's decision.
 *
 * @example
 * ```ts
 * const linker = new EvasionLinker();
 * linker.upsert({ id: "acct-42", handles: ["mossy_teacup"] });
 * linker.upsert({ id: "acct-77", handles: ["teacup_moss"], bio: "b4ckup 0f @mossy_teacup" });
 * linker.linksFor("acct-42");
 * // [{ from: "acct-77", to: "acct-42", kind: "names-as-main", strength: 0.9,
 * //    explanation: 'bio says "b4ckup 0f @mossy_teacup" (the handle of acct-42)', roles: { main: "acct-42", backup: "acct-77" } }]
 * ```
 */
export class EvasionLinker {
  readonly #options: Required<LinkerOptions>;
  readonly #entries: Array<ProfileEntry | undefined> = [];
  readonly #docOf = new Map<string, number>();
  readonly #freeDocs: number[] = [];
  // Handle maps hold packed (document, handle position) values; the others documents.
  readonly #byHandle = new KeyedDocs<string>();
  readonly #bySkeleton = new KeyedDocs<string>();
  readonly #byStem = new KeyedDocs<string>();
  readonly #namedByKey = new KeyedDocs<string>();
  readonly #namedBySkeleton = new KeyedDocs<string>();
  readonly #byContact = new KeyedDocs<string>();
  readonly #avatarIndex = new PdqIndex();
  // One PdqIndex entry per distinct picture; its accounts here.
  readonly #avatarGroups = new Map<string, { group: number; members: Set<number> }>();
  readonly #avatarOfGroup = new Map<number, string>();
  #nextAvatarGroup = 0;
  readonly #texts: SetEvidence;
  readonly #follows: SetEvidence;
  #comparisons = 0;

  constructor(options: LinkerOptions = {}) {
    const merged = { ...LINKER_DEFAULTS, ...stripUndefined(options) };
    checkOptions(merged);
    this.#options = Object.freeze(merged);
    const lsh = (): MinHashLsh => new MinHashLsh({ bands: 12, rows: 3, bucketMaxSize: merged.bucketMaxSize });
    this.#texts = {
      kind: "near-duplicate-profile",
      lsh: lsh(),
      frequency: new DocFrequency(),
      features: (e) => e.shingles,
      cap: STRENGTH.nearDuplicate,
      rareDf: TEXT_RARE_DF,
      rareScale: TEXT_RARE_SCALE,
      explain: (a, b, o) => `display name and bio ${Math.round(o.weightedJaccard * 100)}% the same by rarity-weighted shingles ("${a.snippet}" / "${b.snippet}")`,
    };
    this.#follows = {
      kind: "overlapping-follows",
      lsh: lsh(),
      frequency: new DocFrequency(),
      features: (e) => e.follows,
      cap: STRENGTH.follows,
      rareDf: FOLLOW_RARE_DF,
      rareScale: FOLLOW_RARE_SCALE,
      explain: (a, b, o) => `follow ${o.shared} of the same accounts (of ${a.follows.length} and ${b.follows.length}; ${Math.round(o.weightedJaccard * 100)}% by rarity-weighted Jaccard)`,
    };
  }

  /** Accounts known. */
  get size(): number {
    return this.#docOf.size;
  }

  /** Pairs examined since the linker was made (a measure of work that does not depend on the machine). */
  stats(): { accounts: number; comparisons: number } {
    return { accounts: this.size, comparisons: this.#comparisons };
  }

  /**
   * Adds a profile, or replaces the one with the same id.
   *
   * @throws LapwingError `VALIDATION_FAILED` for a malformed profile, `HASH_MALFORMED` for a bad avatar hash.
   */
  upsert(profile: AccountProfile): void {
    const entry = prepareProfile(profile, this.#options);
    this.remove(profile.id);
    const doc = this.#freeDocs.pop() ?? this.#entries.length;
    this.#entries[doc] = entry;
    this.#docOf.set(entry.id, doc);
    this.#index(doc, entry, "add");
    if (entry.avatar !== undefined) {
      let group = this.#avatarGroups.get(entry.avatar);
      if (group === undefined) {
        group = { group: this.#nextAvatarGroup++, members: new Set() };
        this.#avatarGroups.set(entry.avatar, group);
        this.#avatarOfGroup.set(group.group, entry.avatar);
        this.#avatarIndex.add(group.group, entry.avatar);
      }
      group.members.add(doc);
    }
    for (const evidence of [this.#texts, this.#follows]) {
      const features = evidence.features(entry);
      if (features.length === 0) continue;
      evidence.lsh.add(doc, features);
      evidence.frequency.add(features);
    }
  }

  /** Forgets an account; unknown ids are ignored. */
  remove(id: string): void {
    const doc = this.#docOf.get(id);
    if (doc === undefined) return;
    const entry = this.#entries[doc]!;
    this.#index(doc, entry, "remove");
    if (entry.avatar !== undefined) {
      const group = this.#avatarGroups.get(entry.avatar)!;
      group.members.delete(doc);
      if (group.members.size === 0) {
        this.#avatarGroups.delete(entry.avatar);
        this.#avatarOfGroup.delete(group.group);
        this.#avatarIndex.remove(group.group);
      }
    }
    for (const evidence of [this.#texts, this.#follows]) {
      const features = evidence.features(entry);
      if (features.length === 0) continue;
      evidence.lsh.remove(doc);
      evidence.frequency.remove(features);
    }
    this.#entries[doc] = undefined;
    this.#docOf.delete(id);
    this.#freeDocs.push(doc);
  }

  /** Whether the account is known. */
  has(id: string): boolean {
    return this.#docOf.has(id);
  }

  /**
   * Every link touching the account, strongest first; empty for an unknown id.
   * Mention links point from the writer; for the other kinds `from` is `id`.
   */
  linksFor(id: string): EvasionLink[] {
    const doc = this.#docOf.get(id);
    if (doc === undefined) return [];
    return this.#linksOf(doc, false).sort(byStrength);
  }

  /** The accounts linked to `id` with their links combined into one strength per pair (noisy-or), strongest first. */
  pairsFor(id: string): PairLink[] {
    return combineLinks(id, this.linksFor(id));
  }

  /**
   * Every link, once: mention links from their writer, symmetric links from
   * the account added first. Computed lazily, account by account.
   */
  *allLinks(): Iterable<EvasionLink> {
    for (let doc = 0; doc < this.#entries.length; doc++) {
      if (this.#entries[doc] === undefined) continue;
      yield* this.#linksOf(doc, true).sort(byStrength);
    }
  }

  // Links of `doc`. With `isOwnedOnly`, only the links this document reports in allLinks():
  // its own mentions, and symmetric links to documents with a higher number.
  #linksOf(doc: number, isOwnedOnly: boolean): EvasionLink[] {
    const entry = this.#entries[doc]!;
    const out: EvasionLink[] = [];
    const wants = (other: number): boolean => other !== doc && (!isOwnedOnly || other > doc);

    for (const named of entry.named) this.#mentionLinks(doc, named, out);
    if (!isOwnedOnly) {
      // Mentions of this account written by others, found through its handles' keys and skeletons.
      const writers = new Set<number>();
      for (const key of entry.handles) for (const w of this.#namedByKey.members(key)) writers.add(w);
      for (const skeleton of entry.skeletons) for (const w of this.#namedBySkeleton.members(skeleton)) writers.add(w);
      writers.delete(doc);
      for (const writer of writers) {
        const theirs: EvasionLink[] = [];
        for (const named of this.#entries[writer]!.named) this.#mentionLinks(writer, named, theirs);
        for (const link of theirs) if (link.to === entry.id) out.push(link);
      }
    }
    this.#handleLinks(doc, wants, out);
    this.#contactLinks(doc, wants, out);
    this.#avatarLinks(doc, wants, out);
    this.#setLinks(doc, wants, this.#texts, out);
    this.#setLinks(doc, wants, this.#follows, out);
    const min = this.#options.minStrength;
    return out.filter((link) => link.strength >= min);
  }

  #mentionLinks(writer: number, named: NamedAccount, out: EvasionLink[]): void {
    const from = this.#entries[writer]!;
    // A text may name the same account twice ("backup of @x … @x got banned"): one link per target and role.
    for (const target of this.#resolve(named, writer)) {
      this.#comparisons++;
      const to = this.#entries[target.doc]!;
      let strength = named.source === "a post" ? STRENGTH.namedInPost : STRENGTH.namedInBio;
      if (target.position > 0) strength *= STRENGTH.earlierHandle;
      if (target.isLookalike) strength *= STRENGTH.lookalike;
      strength /= target.count;
      const handle = atHandle(to.handles[target.position]);
      const whose =
        target.position === 0 ? `the handle of ${to.id}` : `an earlier handle of ${to.id}, now ${atHandle(to.handles[0])}`;
      const how = target.isLookalike ? `${atHandle(named.written)} reads as ${handle}, ${whose}` : whose;
      const ambiguity = target.count > 1 ? `; one of ${target.count} accounts it could mean` : "";
      const kind: LinkKind = named.role === "main" ? "names-as-main" : "names-as-backup";
      if (out.some((l) => l.kind === kind && l.from === from.id && l.to === to.id)) continue;
      out.push({
        from: from.id,
        to: to.id,
        kind,
        strength: round(strength),
        explanation: `${named.source} says "${shorten(named.phrase, 120)}" (${how}${ambiguity})`,
        roles: named.role === "main" ? { main: to.id, backup: from.id } : { main: from.id, backup: to.id },
      });
    }
  }

  // The accounts a mention names: the current holder of the handle, else its earlier holders,
  // else accounts whose handle has the same look-alike skeleton. Never the writer.
  #resolve(named: NamedAccount, writer: number): Resolved[] {
    const exact = [...this.#byHandle.members(named.key)].filter((p) => Math.floor(p / POSITIONS) !== writer);
    let picked: Array<{ doc: number; position: number }> = [];
    let isLookalike = false;
    if (exact.length > 0) {
      const unpacked = exact.map(unpack);
      const current = unpacked.filter((p) => p.position === 0);
      picked = current.length > 0 ? current : unpacked;
    } else if (named.skeleton.length >= MIN_SKELETON_CHARS) {
      if (this.#bySkeleton.count(named.skeleton) > MAX_SKELETON_SHARED) return [];
      const similar = [...this.#bySkeleton.members(named.skeleton)].map(unpack).filter((p) => p.doc !== writer);
      const best = new Map<number, number>();
      for (const p of similar) if (!best.has(p.doc) || p.position < best.get(p.doc)!) best.set(p.doc, p.position);
      picked = [...best].map(([doc, position]) => ({ doc, position }));
      isLookalike = true;
    }
    if (picked.length === 0 || picked.length > MAX_RESOLVED) return [];
    return picked.map((p) => ({ ...p, isLookalike, count: picked.length }));
  }

  #handleLinks(doc: number, wants: (other: number) => boolean, out: EvasionLink[]): void {
    const entry = this.#entries[doc]!;
    const best = new Map<number, { strength: number; explanation: string }>();
    const offer = (other: number, strength: number, explanation: () => string): void => {
      if (!wants(other)) return;
      this.#comparisons++;
      const old = best.get(other);
      if (old === undefined || strength > old.strength) best.set(other, { strength, explanation: explanation() });
    };
    const held = (e: ProfileEntry, position: number): string =>
      `${atHandle(e.handles[position])} (${position === 0 ? "current" : "earlier"} handle of ${e.id})`;

    entry.handles.forEach((key, position) => {
      for (const p of [...this.#byHandle.members(key)].map(unpack)) {
        const other = this.#entries[p.doc]!;
        offer(p.doc, STRENGTH.sameHandle, () => `both have held the handle ${atHandle(key)}: ${position === 0 ? "current" : "earlier"} for ${entry.id}, ${p.position === 0 ? "current" : "earlier"} for ${other.id}`);
      }
      const skeleton = entry.skeletons[position];
      if (skeleton.length >= MIN_SKELETON_CHARS) {
        if (this.#bySkeleton.count(skeleton) <= MAX_SKELETON_SHARED) {
          for (const p of [...this.#bySkeleton.members(skeleton)].map(unpack)) {
            const other = this.#entries[p.doc]!;
            if (other.handles[p.position] === key) continue;
            offer(p.doc, STRENGTH.lookalikeHandle, () => `handles ${held(entry, position)} and ${held(other, p.position)} read the same once look-alike letters, leetspeak and separators are folded`);
          }
        }
        // Another account's handle is this one with an affix ("mossy_teacup_bkp2" for "mossy_teacup").
        if (this.#byStem.count(skeleton) <= MAX_SKELETON_SHARED) {
          for (const p of [...this.#byStem.members(skeleton)].map(unpack)) {
            const other = this.#entries[p.doc]!;
            const stem = other.stems[p.position].find((s) => s.stem === skeleton)!;
            offer(p.doc, stem.isBackupAffix ? STRENGTH.affixedHandle : STRENGTH.numberedHandle, () => `${held(other, p.position)} is ${held(entry, position)} with ${stem.isBackupAffix ? "a backup affix" : "a number"} added`);
          }
        }
      }
      // This handle is another account's with an affix.
      for (const { stem, isBackupAffix } of entry.stems[position]) {
        if (this.#bySkeleton.count(stem) > MAX_SKELETON_SHARED) continue;
        for (const p of [...this.#bySkeleton.members(stem)].map(unpack)) {
          const other = this.#entries[p.doc]!;
          offer(p.doc, isBackupAffix ? STRENGTH.affixedHandle : STRENGTH.numberedHandle, () => `${held(entry, position)} is ${held(other, p.position)} with ${isBackupAffix ? "a backup affix" : "a number"} added`);
        }
      }
    });
    for (const [other, { strength, explanation }] of best) {
      out.push(this.#symmetric(doc, other, "handle-history", strength, explanation));
    }
  }

  #contactLinks(doc: number, wants: (other: number) => boolean, out: EvasionLink[]): void {
    const entry = this.#entries[doc]!;
    const shared = new Map<number, { miss: number; values: string[] }>();
    for (const contact of entry.contacts) {
      const holderCount = this.#byContact.count(contact.value);
      if (holderCount > this.#options.contactMaxShared) continue;
      const base = contact.kind === "payment" ? STRENGTH.payment : contact.kind === "offsite-handle" ? STRENGTH.offsiteHandle : STRENGTH.link;
      // A contact a whole ring lists says less about any one pair than a contact only two share.
      const strength = base / (1 + Math.log(holderCount / 2));
      for (const other of this.#byContact.members(contact.value)) {
        if (!wants(other)) continue;
        this.#comparisons++;
        let pair = shared.get(other);
        if (pair === undefined) shared.set(other, (pair = { miss: 1, values: [] }));
        pair.miss *= 1 - strength;
        pair.values.push(contact.value);
      }
    }
    for (const [other, { miss, values }] of shared) {
      const list = values.length <= 3 ? values.join(", ") : `${values.slice(0, 3).join(", ")} and ${values.length - 3} more`;
      out.push(this.#symmetric(doc, other, "shared-contact", Math.min(STRENGTH.contactCap, 1 - miss), `both list ${list}`));
    }
  }

  #avatarLinks(doc: number, wants: (other: number) => boolean, out: EvasionLink[]): void {
    const entry = this.#entries[doc]!;
    if (entry.avatar === undefined) return;
    const maxDistance = this.#options.avatarMaxDistance;
    const matches = this.#avatarIndex.search(entry.avatar, maxDistance);
    let total = 0;
    for (const m of matches) total += this.#avatarGroups.get(this.#avatarOfGroup.get(m.key)!)!.members.size;
    // A default avatar or a popular picture is shared by strangers.
    if (total > this.#options.avatarMaxShared) return;
    const crowd = 1 + 0.5 * Math.log(total / 2);
    for (const m of matches) {
      for (const other of this.#avatarGroups.get(this.#avatarOfGroup.get(m.key)!)!.members) {
        if (!wants(other)) continue;
        this.#comparisons++;
        const strength = (STRENGTH.avatar * (1 - m.distance / (2 * (maxDistance + 1)))) / crowd;
        const picture = m.distance === 0 ? "the same avatar (identical PDQ hash)" : `the same avatar (PDQ distance ${m.distance} of 256)`;
        out.push(this.#symmetric(doc, other, "same-avatar", strength, total > 2 ? `${picture}; ${total} accounts share it` : picture));
      }
    }
  }

  // Near-duplicate bios and overlapping follows: LSH candidates, verified by rarity-weighted overlap.
  #setLinks(doc: number, wants: (other: number) => boolean, evidence: SetEvidence, out: EvasionLink[]): void {
    const entry = this.#entries[doc]!;
    const features = evidence.features(entry);
    const strengthOf = (weightedJaccard: number, rare: number): number => evidence.cap * weightedJaccard * (1 - Math.exp(-rare / evidence.rareScale));
    // A set whose features are all common (a bio everyone has) cannot reach minStrength with anyone.
    if (strengthOf(1, rarityBound(features, evidence.frequency, evidence.rareDf)) < this.#options.minStrength) return;
    for (const other of evidence.lsh.candidates(doc, this.#options.maxCandidates)) {
      if (!wants(other)) continue;
      this.#comparisons++;
      const them = this.#entries[other]!;
      const overlap = weightedOverlap(features, evidence.features(them), evidence.frequency, evidence.rareDf);
      const strength = strengthOf(overlap.weightedJaccard, overlap.rareShared);
      if (strength >= this.#options.minStrength) out.push(this.#symmetric(doc, other, evidence.kind, strength, evidence.explain(entry, them, overlap)));
    }
  }

  #symmetric(doc: number, other: number, kind: LinkKind, strength: number, explanation: string): EvasionLink {
    const a = this.#entries[doc]!;
    const b = this.#entries[other]!;
    return { from: a.id, to: b.id, kind, strength: round(strength), explanation: explanation + newerNote(a, b) };
  }

  // Adds (or removes) a document's keys in the lookup maps.
  #index(doc: number, entry: ProfileEntry, change: "add" | "remove"): void {
    const at = (map: KeyedDocs<string>, key: string, value: number): void => (change === "add" ? map.add(key, value) : map.remove(key, value));
    entry.handles.forEach((key, position) => {
      const packed = doc * POSITIONS + Math.min(position, POSITIONS - 1);
      at(this.#byHandle, key, packed);
      at(this.#bySkeleton, entry.skeletons[position], packed);
      for (const { stem } of entry.stems[position]) at(this.#byStem, stem, packed);
    });
    for (const key of new Set(entry.named.map((n) => n.key))) at(this.#namedByKey, key, doc);
    for (const skeleton of new Set(entry.named.map((n) => n.skeleton))) at(this.#namedBySkeleton, skeleton, doc);
    for (const contact of entry.contacts) at(this.#byContact, contact.value, doc);
  }
}

function unpack(packed: number): { doc: number; position: number } {
  return { doc: Math.floor(packed / POSITIONS), position: packed % POSITIONS };
}

function round(strength: number): number {
  return Math.round(Math.min(1, Math.max(0, strength)) * 1000) / 1000;
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const DAY_MS = 86_400_000;

// Which account is the newer one: an evader's replacement comes after the ban.
function newerNote(a: ProfileEntry, b: ProfileEntry): string {
  if (a.createdMs === undefined || b.createdMs === undefined || a.createdMs === b.createdMs) return "";
  const [older, newer] = a.createdMs < b.createdMs ? [a, b] : [b, a];
  const days = Math.round((newer.createdMs! - older.createdMs!) / DAY_MS);
  return `; ${newer.id} was created ${days === 0 ? "the same day as" : `${days} day${days === 1 ? "" : "s"} after`} ${older.id}`;
}

function stripUndefined(options: LinkerOptions): LinkerOptions {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as LinkerOptions;
}

function checkOptions(options: Required<LinkerOptions>): void {
  const check = (name: keyof LinkerOptions, isOk: boolean, expected: string): void => {
    if (!isOk) throw new LapwingError("VALIDATION_FAILED", `Linker option ${name} must be ${expected}; got ${String(options[name])}.`, { pointer: `/${name}` });
  };
  check("minStrength", options.minStrength >= 0 && options.minStrength <= 1, "a number from 0 to 1");
  check("avatarMaxDistance", Number.isInteger(options.avatarMaxDistance) && options.avatarMaxDistance >= 0 && options.avatarMaxDistance <= 64, "an integer from 0 to 64");
  for (const name of ["avatarMaxShared", "contactMaxShared", "bucketMaxSize", "maxCandidates", "maxTexts", "maxTextChars", "maxFollowees", "maxHandles"] as const) {
    check(name, Number.isInteger(options[name]) && options[name] >= 1, "a positive integer");
  }
  check("services", Array.isArray(options.services), "an array of services");
}
