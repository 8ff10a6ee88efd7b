import { accountKeyOf, minorAgeBands, type PlatformEvent } from "../events/index.js";
import type { AccountProfile } from "../linking/index.js";
import { looksLikeMinor } from "./minors.js";
import { utcSeconds } from "./model.js";

/** A profile as folded from account events, with the platform's age band. */
export type ProfileState = AccountProfile & { updatedAt: string; ageBand?: string };

/** A profile or moderation event as stored. */
export interface ProfileEventRow {
  type: string;
  subject_id: string | null;
  occurred_at: string;
  payload: string;
}

const hasProfile = 1;
const bioMentions = 2;
const nameMentions = 4;
const bioMinor = 8;
const bandMinor = 16;

/**
 * What scoring needs from every account's profile, folded from the profile
 * events into typed arrays indexed by node number (9 bytes an account, no
 * object per account): whether it has one, whether its bio or display name
 * names another account (a possible "backup of @x", so linking looks at it),
 * and whether it reads as a minor's (a platform age band or the bio). The
 * newest event wins field by field exactly as {@link foldProfileEvent} folds
 * a whole profile; the few whole profiles linking compares are read again
 * for those accounts only (a million folded profiles were most of the
 * scoring process's heap).
 */
export class ProfileFacts {
  #time = new Float64Array(1024).fill(Number.NEGATIVE_INFINITY);
  #bits = new Uint8Array(1024);
  /** Accounts with a profile. */
  count = 0;
  /** Latest platform suspension or reinstatement per account. */
  readonly suspended = new Map<string, { at: string; suspended: boolean }>();

  /** `referenceYear` dates "class of 2031" in bios (see `looksLikeMinor`); `intern` numbers an account. */
  constructor(
    private readonly referenceYear: number,
    private readonly intern: (account: string) => number,
  ) {}

  fold(row: ProfileEventRow): void {
    const event = JSON.parse(row.payload) as PlatformEvent;
    if (event.type === "moderation.outcome") return foldSuspension(event, row.occurred_at, this.suspended);
    if (event.type !== "account.created" && event.type !== "account.updated") return;
    const { account } = event;
    // Accounts are nodes by scoped key (src/events/tenancy.ts): account 42 of two platforms is two nodes.
    const v = this.intern(accountKeyOf(event, account.id));
    this.#reserve(v);
    const time = utcSeconds(row.occurred_at);
    let bits = this.#bits[v]!;
    if ((bits & hasProfile) === 0) {
      bits |= hasProfile;
      this.count += 1;
    }
    if (time >= this.#time[v]!) {
      if (account.display_name !== undefined) bits = set(bits, nameMentions, namesAnother(account.display_name));
      if (account.bio !== undefined) bits = set(set(bits, bioMentions, namesAnother(account.bio)), bioMinor, looksLikeMinor(account.bio, this.referenceYear));
      if (account.age_band) bits = set(bits, bandMinor, minorAgeBands.has(account.age_band.value));
      this.#time[v] = time;
    }
    this.#bits[v] = bits;
  }

  /** Whether the account's bio or display name names another account. */
  mentionsAnother(node: number): boolean {
    return ((this.#bits[node] ?? 0) & (bioMentions | nameMentions)) !== 0;
  }

  /** Nodes whose profile marks or reads as a minor's. */
  minorNodes(): number[] {
    const found: number[] = [];
    for (let v = 0; v < this.#bits.length; v++) if ((this.#bits[v]! & (bioMinor | bandMinor)) !== 0) found.push(v);
    return found;
  }

  #reserve(node: number): void {
    if (node < this.#bits.length) return;
    const size = Math.max(node + 1, this.#bits.length * 2);
    const time = new Float64Array(size).fill(Number.NEGATIVE_INFINITY);
    time.set(this.#time);
    const bits = new Uint8Array(size);
    bits.set(this.#bits);
    this.#time = time;
    this.#bits = bits;
  }
}

function set(bits: number, bit: number, on: boolean): number {
  return on ? bits | bit : bits & ~bit;
}

/** Whether a bio or display name names another account (`@handle`). */
export function namesAnother(text: string | null | undefined): boolean {
  return text?.includes("@") ?? false;
}

/** Folds one profile or moderation event into the account's whole profile (newer events win; earlier handles kept). */
export function foldProfileEvent(row: ProfileEventRow, profiles: Map<string, ProfileState>, suspended: Map<string, { at: string; suspended: boolean }>): void {
  const event = JSON.parse(row.payload) as PlatformEvent;
  if (event.type === "moderation.outcome") return foldSuspension(event, row.occurred_at, suspended);
  if (event.type !== "account.created" && event.type !== "account.updated") return;
  const { account } = event;
  const key = accountKeyOf(event, account.id);
  const profile = profiles.get(key) ?? { id: key, handles: [], updatedAt: "" };
  const newer = row.occurred_at >= profile.updatedAt;
  if (account.handle) {
    const handle = account.handle;
    if (!profile.handles.includes(handle)) {
      if (newer) profile.handles.unshift(handle);
      else profile.handles.push(handle);
    } else if (newer) profile.handles = [handle, ...profile.handles.filter((h) => h !== handle)];
  }
  if (newer) {
    if (account.display_name !== undefined) profile.displayName = account.display_name;
    if (account.bio !== undefined) profile.bio = account.bio;
    if (account.avatar?.kind === "hashes" && account.avatar.pdq) profile.avatarPdq = account.avatar.pdq;
    if (account.age_band) profile.ageBand = account.age_band.value;
    profile.updatedAt = row.occurred_at;
  }
  if (event.type === "account.created") profile.createdAt = row.occurred_at;
  profiles.set(key, profile);
}

function foldSuspension(event: Extract<PlatformEvent, { type: "moderation.outcome" }>, at: string, suspended: Map<string, { at: string; suspended: boolean }>): void {
  const { target, action } = event.outcome;
  if (target.type !== "account" || (action !== "suspended" && action !== "unsuspended")) return;
  const key = accountKeyOf(event, target.id);
  const last = suspended.get(key);
  if (!last || last.at <= at) suspended.set(key, { at, suspended: action === "suspended" });
}
