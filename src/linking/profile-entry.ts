import { LapwingError } from "../errors/index.js";
import { normalizePdqHash } from "../matching/index.js";
import { extractContacts, type Contact } from "./contacts.js";
import { handleKey, handleSkeleton, handleStems, type HandleStem } from "./handle-key.js";
import { hashSet } from "./hashing.js";
import { extractMentions } from "./mentions.js";
import { profileShingles } from "./shingles.js";
import type { AccountProfile, LinkerOptions } from "./types.js";

/** Where a mention was written, for the explanation. */
export type TextSource = "bio" | "display name" | "a post";

/** A mention that names another account as main or backup, ready to resolve. */
export interface NamedAccount {
  role: "main" | "backup";
  key: string;
  skeleton: string;
  /** The handle as written. */
  written: string;
  phrase: string;
  source: TextSource;
}

/** What the linker keeps of a profile: the bounded, normalised parts every link kind reads. */
export interface ProfileEntry {
  readonly id: string;
  /** Handle keys, current first, duplicates removed. */
  readonly handles: readonly string[];
  readonly skeletons: readonly string[];
  /** Per handle, the handles it may have been made from by adding an affix. */
  readonly stems: ReadonlyArray<readonly HandleStem[]>;
  readonly named: readonly NamedAccount[];
  readonly contacts: readonly Contact[];
  /** Sorted shingle hashes of display name and bio. */
  readonly shingles: Uint32Array;
  /** Sorted followee hashes. */
  readonly follows: Uint32Array;
  readonly avatar: string | undefined;
  /** Display name and bio, shortened, for explanations. */
  readonly snippet: string;
  /** Creation time in ms since the epoch, when given and valid. */
  readonly createdMs: number | undefined;
}

const MAX_ID_CHARS = 256;
const SNIPPET_CHARS = 60;

/**
 * Checks a profile and reduces it to what the linker indexes, reading at
 * most the configured number of handles, posts, characters and followees.
 *
 * @throws LapwingError `VALIDATION_FAILED` (with a pointer) for a profile of the wrong shape,
 * `HASH_MALFORMED` for an avatar hash that is not 64 hex digits.
 */
export function prepareProfile(profile: AccountProfile, options: Required<LinkerOptions>): ProfileEntry {
  checkShape(profile);
  const cut = (text: string | undefined): string => (text ?? "").slice(0, options.maxTextChars);

  const handles: string[] = [];
  for (const handle of profile.handles.slice(0, options.maxHandles)) {
    const key = handleKey(handle);
    if (key.length > 0 && !handles.includes(key)) handles.push(key);
  }

  const named: NamedAccount[] = [];
  const contacts = new Map<string, Contact>();
  const read = (text: string, source: TextSource): void => {
    for (const mention of extractMentions(text)) {
      if (mention.role === "mention") continue;
      const key = handleKey(mention.handle);
      if (handles.includes(key)) continue; // an account naming itself
      named.push({ role: mention.role, key, skeleton: handleSkeleton(key), written: mention.handle, phrase: mention.phrase, source });
    }
    for (const contact of extractContacts(text, { services: options.services })) contacts.set(contact.value, contact);
  };
  const displayName = cut(profile.displayName);
  const bio = cut(profile.bio);
  read(displayName, "display name");
  read(bio, "bio");
  for (const text of (profile.texts ?? []).slice(0, options.maxTexts)) read(cut(text), "a post");

  let avatar: string | undefined;
  if (profile.avatarPdq !== undefined) {
    try {
      avatar = normalizePdqHash(profile.avatarPdq);
    } catch (error) {
      throw new LapwingError("HASH_MALFORMED", `avatarPdq of account ${JSON.stringify(profile.id)}: ${(error as Error).message}`, { pointer: "/avatarPdq", cause: error });
    }
  }

  const snippetSource = [displayName, bio].filter((t) => t.length > 0).join(" · ");
  return {
    id: profile.id,
    handles,
    skeletons: handles.map(handleSkeleton),
    stems: handles.map(handleStems),
    named,
    contacts: [...contacts.values()],
    shingles: profileShingles([displayName, bio], options.maxTextChars),
    follows: hashSet((profile.followees ?? []).slice(0, options.maxFollowees).filter((f) => f !== profile.id)),
    avatar,
    createdMs: profile.createdAt === undefined || Number.isNaN(Date.parse(profile.createdAt)) ? undefined : Date.parse(profile.createdAt),
    snippet: snippetSource.length > SNIPPET_CHARS ? `${snippetSource.slice(0, SNIPPET_CHARS - 1)}…` : snippetSource,
  };
}

function checkShape(profile: AccountProfile): void {
  const fail = (pointer: string, message: string): never => {
    throw new LapwingError("VALIDATION_FAILED", message, { pointer });
  };
  if (profile === null || typeof profile !== "object") fail("", "A profile must be an object with an id and handles.");
  if (typeof profile.id !== "string" || profile.id.length === 0 || profile.id.length > MAX_ID_CHARS) {
    fail("/id", `A profile's id must be a non-empty string of at most ${MAX_ID_CHARS} characters.`);
  }
  if (!Array.isArray(profile.handles) || profile.handles.some((h) => typeof h !== "string")) {
    fail("/handles", `Profile ${JSON.stringify(profile.id)}: handles must be an array of strings (current handle first).`);
  }
  for (const field of ["displayName", "bio", "avatarPdq", "createdAt"] as const) {
    if (profile[field] !== undefined && typeof profile[field] !== "string") fail(`/${field}`, `Profile ${JSON.stringify(profile.id)}: ${field} must be a string.`);
  }
  for (const field of ["texts", "followees"] as const) {
    const value = profile[field];
    if (value !== undefined && (!Array.isArray(value) || value.some((v) => typeof v !== "string"))) {
      fail(`/${field}`, `Profile ${JSON.stringify(profile.id)}: ${field} must be an array of strings.`);
    }
  }
}
