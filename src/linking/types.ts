/** What the linker knows about one account. Every field but `id` and `handles` is optional. */
export interface AccountProfile {
  /** The platform's account id. */
  id: string;
  /** The current handle first, then earlier handles (handle history), newest first; with or without "@". */
  handles: string[];
  displayName?: string;
  bio?: string;
  /** A few recent posts or comments by the account (the linker reads at most `maxTexts`). */
  texts?: string[];
  /** The avatar's PDQ hash, 64 hex digits. */
  avatarPdq?: string;
  /** Accounts it follows (a bounded sample; the linker reads at most `maxFollowees`). */
  followees?: string[];
  /** ISO 8601 creation time; used only to say which account is newer in explanations. */
  createdAt?: string;
}

/**
 * Why two accounts are linked.
 * - `names-as-main`: `from`'s bio or a post names `to` as its main, old or banned account
 *   ("backup of @x", "if @x goes down follow here"): `from` presents itself as the backup.
 * - `names-as-backup`: `from` names `to` as its backup or new account ("my backup @y",
 *   "if this gets banned follow @y").
 * - `handle-history`: the two accounts held the same handle at some time, or handles that read
 *   the same once look-alike letters, leetspeak and separators are folded, or the same handle
 *   with a backup affix ("mossy_teacup" and "mossy_teacup_bkp2").
 * - `shared-contact`: the same off-platform handle, link or payment handle.
 * - `near-duplicate-profile`: display name and bio nearly the same, weighed by how rare the shared text is.
 * - `same-avatar`: avatars within a small PDQ distance, unless the picture is common.
 * - `overlapping-follows`: much the same followees, weighed by how rarely each is followed.
 */
export type LinkKind =
  | "names-as-backup"
  | "names-as-main"
  | "handle-history"
  | "shared-contact"
  | "near-duplicate-profile"
  | "same-avatar"
  | "overlapping-follows";

/** Every link kind, in the order explanations list them. */
export const LINK_KINDS: readonly LinkKind[] = [
  "names-as-main",
  "names-as-backup",
  "handle-history",
  "shared-contact",
  "near-duplicate-profile",
  "same-avatar",
  "overlapping-follows",
];

/**
 * One piece of evidence that two accounts are one person's. Mention links point from the writer
 * to the account named; the other kinds are symmetric (in `linksFor(id)`, `from` is `id`).
 */
export interface EvasionLink {
  from: string;
  to: string;
  kind: LinkKind;
  /** In [0, 1]: how strongly this evidence alone says the two accounts are one operator's. */
  strength: number;
  /** A sentence a reviewer can check against the two profiles. */
  explanation: string;
  /** For mention links: which account the text presents as the main and which as the backup. */
  roles?: { main: string; backup: string };
}

/** All links between two accounts, combined. */
export interface PairLink {
  /** The account asked about (`linksFor`'s id, or the lower id in `allPairs`). */
  account: string;
  other: string;
  /** Noisy-or of the strongest link of each kind (see `combineStrengths`). */
  strength: number;
  /** The links, strongest first. */
  links: EvasionLink[];
}

/** Thresholds and bounds of {@link EvasionLinker}; every field has a default in `LINKER_DEFAULTS`. */
export interface LinkerOptions {
  /** Links weaker than this are not reported. Default 0.15. */
  minStrength?: number;
  /** Largest PDQ distance at which two avatars are the same picture. Default 24 (of 256). */
  avatarMaxDistance?: number;
  /** An avatar within `avatarMaxDistance` of more than this many accounts is a common picture (a default avatar, a meme) and links nothing. Default 20. */
  avatarMaxShared?: number;
  /** A contact value listed by more than this many accounts (a shop's public page) links nothing. Default 50. */
  contactMaxShared?: number;
  /** LSH buckets (bios, follows) holding more than this many accounts are too common to propose pairs. Default 64. */
  bucketMaxSize?: number;
  /** Verified pairs per account per LSH index, at most (bounds the work on a crowded profile). Default 200. */
  maxCandidates?: number;
  /** Posts read per profile. Default 20. */
  maxTexts?: number;
  /** Characters read per bio, name or post. Default 2,000. */
  maxTextChars?: number;
  /** Followees read per profile. Default 5,000. */
  maxFollowees?: number;
  /** Handles (current plus history) read per profile. Default 20. */
  maxHandles?: number;
  /** Extra off-platform services to recognise ("name: handle" and their link hosts), beyond the built-in list. */
  services?: readonly ContactService[];
}

/** An off-platform service: the words people write before a handle, and the hosts of its profile links. */
export interface ContactService {
  /** Canonical name, used in values: `name:handle`. */
  name: string;
  kind: "payment" | "offsite-handle";
  /** Words that introduce a handle on this service ("telegram", "tg"); lower case. */
  words: readonly string[];
  /** Link hosts whose first path segment is a handle ("t.me"); lower case, without "www.". */
  hosts: readonly string[];
}

/** The default of every {@link LinkerOptions} field (docs/linking.md explains each). */
export const LINKER_DEFAULTS = Object.freeze({
  minStrength: 0.15,
  avatarMaxDistance: 24,
  avatarMaxShared: 20,
  contactMaxShared: 50,
  bucketMaxSize: 64,
  maxCandidates: 200,
  maxTexts: 20,
  maxTextChars: 2_000,
  maxFollowees: 5_000,
  maxHandles: 20,
  services: [] as readonly ContactService[],
}) satisfies Required<LinkerOptions>;
