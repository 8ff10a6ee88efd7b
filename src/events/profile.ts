import type { PlatformEvent } from "./schema.js";
import { accountKeyOf } from "./tenancy.js";
import { textFields } from "./processor.js";

/** An account as its profile events describe it, newest value of each field winning. */
export interface AccountProfile {
  id: string;
  handle: string | null;
  displayName: string | null;
  bio: string | null;
  ageBand: string | null;
  /** `declared` or `estimated`. */
  ageSource: string | null;
  /** Handles the account had before, newest first (re-created or renamed accounts). */
  earlierHandles: string[];
  /** The platform's time of the newest profile event. */
  updatedAt: string;
}

/** One text an event carried, as checked: `field` is the pointer signals name (`/account/bio`). */
export interface EventText {
  field: string;
  text: string;
}

/**
 * Folds an account's profile events (oldest first) into its current profile:
 * `account.updated` sends only what changed, so each field keeps its newest value.
 */
export function foldProfile(accountId: string, events: ReadonlyArray<{ occurredAt: string; event: PlatformEvent }>): AccountProfile | null {
  let profile: AccountProfile | null = null;
  for (const { occurredAt, event } of events) {
    // `accountId` is a scoped key (tenancy.ts): only its own platform's events describe it.
    if ((event.type !== "account.created" && event.type !== "account.updated") || accountKeyOf(event, event.account.id) !== accountId) continue;
    profile ??= { id: accountId, handle: null, displayName: null, bio: null, ageBand: null, ageSource: null, earlierHandles: [], updatedAt: occurredAt };
    const { account } = event;
    if (account.handle !== undefined && account.handle !== profile.handle) {
      if (profile.handle !== null) profile.earlierHandles = [profile.handle, ...profile.earlierHandles.filter((h) => h !== account.handle)];
      profile.handle = account.handle;
    }
    if (account.display_name !== undefined) profile.displayName = account.display_name;
    if (account.bio !== undefined) profile.bio = account.bio;
    if (account.age_band !== undefined) {
      profile.ageBand = account.age_band.value;
      profile.ageSource = account.age_band.source;
    }
    profile.updatedAt = occurredAt;
  }
  return profile;
}

/** The texts of an event exactly as the detectors read them, so a signal's spans index into them. */
export function eventTexts(event: PlatformEvent): EventText[] {
  return textFields(event).map(({ field, text }) => ({ field, text }));
}
