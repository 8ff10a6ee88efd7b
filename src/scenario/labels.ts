/**
 * What a generated scenario says is true: the answer key that detection is
 * scored against (docs/scenario.md, "Labels"). Written to `labels.json`.
 */

/** Every account has exactly one role. */
export const accountRoles = [
  "regular", // an ordinary adult in an interest community
  "celebrity", // followed by a large share of everyone, network members included
  "teen", // a minor in a dense school community
  "staff", // a teacher or coach who follows many teens for a legitimate reason
  "benign_seller", // a small legitimate shop: prices, "DM for price list", payment handles
  "benign_backup", // a shop's benign twin ("2nd acc of @x, main got hacked")
  "reporter", // follows sellers in order to report them
  "buyer", // follows one or two sellers, otherwise ordinary
  "fresh", // a brand-new ordinary account
  "seller", // network member: a seller in a ring
  "seller_backup", // network member: a seller's backup account
] as const;
export type AccountRole = (typeof accountRoles)[number];

/** Roles whose accounts are network members. */
export const memberRoles: readonly AccountRole[] = ["seller", "seller_backup"];

export const accountFlags = [
  "member", // in the planted network
  "seed", // one of the five confirmed sellers detection starts from
  "minor", // the platform marks the account under 18, or it looks like one
  "targeted", // a minor that network members follow or message (a victim, never a member)
  "fresh", // created in the last week of the scenario
  "suspended", // the platform suspended it (moderation.outcome)
  "handle_changed", // changed its handle during the scenario
  "bio_cleaned", // replaced an advert bio with a clean one after a report
  "quiet", // a seller whose bio and posts give nothing away
  "coach", // staff who follow teens across several schools
  "known_media", // posted media from the hash bank
  "touched_seller", // a non-member that follows a network member (buyers, curious teens, fresh accounts, reporters)
] as const;
export type AccountFlag = (typeof accountFlags)[number];

export interface AccountLabel {
  readonly role: AccountRole;
  readonly flags: readonly AccountFlag[];
}

/** A backup account and the account it stands in for. */
export interface BackupPair {
  readonly backup: string;
  readonly original: string;
  /** `network`: a seller's backup (a member); `benign`: a shop's twin (not a member). */
  readonly kind: "network" | "benign";
  /** Created after the original was suspended ("new acc, old one @x got taken down"). */
  readonly afterBan: boolean;
}

/** A post that carries media from the hash bank. */
export interface KnownMediaPost {
  readonly post: string;
  readonly author: string;
  /** `exact`: the bank's hash; `reencoded`: a few bits flipped, as re-encoding does. */
  readonly match: "exact" | "reencoded";
  /** Hamming distance from the bank entry (0 for exact). */
  readonly distance: number;
}

export interface ScenarioLabels {
  readonly version: 1;
  readonly seed: number;
  readonly accountCount: number;
  /** The scenario's time window (ISO-8601); every `occurred_at` lies inside it. */
  readonly startsAt: string;
  readonly endsAt: string;
  readonly network: {
    /** Members, seeds included. */
    readonly size: number;
    readonly members: readonly string[];
    /** Five confirmed sellers to start detection from. */
    readonly seeds: readonly string[];
    /** Seller rings (sellers only; backups are in `backups`). */
    readonly rings: readonly (readonly string[])[];
  };
  readonly backups: readonly BackupPair[];
  readonly targetedMinors: readonly string[];
  readonly handleChanges: readonly { readonly account: string; readonly from: string; readonly to: string }[];
  readonly knownMedia: readonly KnownMediaPost[];
  /** Every account's role and flags, by account id. */
  readonly accounts: Readonly<Record<string, AccountLabel>>;
}
