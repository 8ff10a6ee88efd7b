/**
 * Console preferences: each user's own review defaults (media blurred and
 * greyscale unless they choose otherwise).
 *
 * @example
 * const preferences = createPreferenceService(createPreferenceRepository(db));
 * await preferences.update(userId, { greyscaleMedia: false });
 * (await preferences.get(userId)).blurMedia; // true: the default stays
 */
export { createPreferenceService, defaultPreferences, type ConsolePreferences, type PreferenceService } from "./service.js";
export { createPreferenceRepository, type PreferenceRepository } from "./repository.js";
export type { PreferenceTables } from "./tables.js";
