import type { PreferenceRepository } from "./repository.js";

/** A console user's own review defaults. */
export interface ConsolePreferences {
  /** Media start blurred; the reviewer reveals one item at a time. */
  blurMedia: boolean;
  /** Media are shown without colour. */
  greyscaleMedia: boolean;
  /** When the user last changed them; null while they have the defaults. */
  updatedAt: string | null;
}

/**
 * The least exposure a reviewer can have (DESIGN.md, "Least exposure"): every
 * user starts blurred and greyscale, and only they can loosen their own.
 */
export const defaultPreferences: ConsolePreferences = Object.freeze({ blurMedia: true, greyscaleMedia: true, updatedAt: null });

/**
 * Per-user console preferences: each user reads and changes only their own
 * (the routes pass the session's user id; there is no way to name another).
 */
export function createPreferenceService(repo: PreferenceRepository, options: { clock?: () => Date } = {}) {
  const clock = options.clock ?? (() => new Date());

  async function get(userId: string): Promise<ConsolePreferences> {
    const row = await repo.find(userId);
    if (!row) return { ...defaultPreferences };
    return { blurMedia: row.blur_media === 1, greyscaleMedia: row.greyscale_media === 1, updatedAt: row.updated_at };
  }

  /** Changes the fields given and keeps the others. */
  async function update(userId: string, change: Partial<Pick<ConsolePreferences, "blurMedia" | "greyscaleMedia">>): Promise<ConsolePreferences> {
    const current = await get(userId);
    const next = { blurMedia: change.blurMedia ?? current.blurMedia, greyscaleMedia: change.greyscaleMedia ?? current.greyscaleMedia, updatedAt: clock().toISOString() };
    await repo.save({ user_id: userId, blur_media: next.blurMedia ? 1 : 0, greyscale_media: next.greyscaleMedia ? 1 : 0, updated_at: next.updatedAt });
    return next;
  }

  return { get, update };
}

export type PreferenceService = ReturnType<typeof createPreferenceService>;
