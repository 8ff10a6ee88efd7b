/**
 * `lapwing demo`: a fresh database filled with a synthetic platform, for a
 * newcomer to open the console on. A library beside the scenario generator
 * (it holds no data of its own); only the `demo` command and tests use it.
 *
 * @example
 * await freshDemoDatabase(url);            // refuses a database that is not an earlier demo's
 * const seeded = await seedDemo(services);  // events, bank, lexicon, seeds, one user per role
 */
export { freshDemoDatabase, markDemoDatabase, demoMarker } from "./fresh-database.js";
export { seedDemo, defaultDemoAccounts, demoBankName, demoLexiconName, type DemoSeed, type DemoUser } from "./seed.js";
export { startSyntheticPreviews, syntheticPicture } from "./previews.js";
