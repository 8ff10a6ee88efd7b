/**
 * Ban-evasion linking (issue 8): the evidence that two accounts are one
 * operator's, each link with a kind, a strength in [0, 1] and an explanation
 * a reviewer can check. A pure library: profiles in, links out; no database,
 * no network, no logging, no global state beyond compiled, immutable cue
 * vocabularies.
 *
 * @example
 * ```ts
 * import { EvasionLinker } from "lapwing/linking";
 *
 * const linker = new EvasionLinker();
 * linker.upsert({ id: "acct-42", handles: ["mossy_teacup"], bio: "🌸 tea & trinkets · t.me/mossy_tea" });
 * linker.upsert({ id: "acct-77", handles: ["m0ssy_teacup2"], bio: "bkp 4 @mossy_teacup · tg: mossy_tea" });
 * for (const pair of linker.pairsFor("acct-42")) console.log(pair.other, pair.strength, pair.links.map((l) => l.explanation));
 * // acct-77 0.986 [ 'bio says "bkp 4 @mossy_teacup" (the handle of acct-42)', 'both list telegram:mossy_tea',
 * //   '@m0ssy_teacup2 (current handle of acct-77) is @mossy_teacup (current handle of acct-42) with a number added' ]
 * ```
 *
 * ## Link kinds
 * `names-as-main`, `names-as-backup` (directed: from the writer to the account
 * named), `handle-history`, `shared-contact`, `near-duplicate-profile`,
 * `same-avatar`, `overlapping-follows` (symmetric). See {@link LinkKind}.
 *
 * ## Combining
 * `combineLinks` / `EvasionLinker.pairsFor` give one strength per pair:
 * noisy-or over the strongest link of each kind.
 *
 * ## Caveat: evidence, not guilt
 * Benign twins ("2nd acc of @x, main got hacked") are linked like evaders'
 * backups. A link is evidence only when the other end is suspected or
 * actioned; the caller decides that.
 *
 * @packageDocumentation
 */
export { EvasionLinker } from "./linker.js";
export { extractMentions, type Mention, type MentionRole } from "./mentions.js";
export { extractContacts, BUILT_IN_SERVICES, type Contact, type ContactOptions } from "./contacts.js";
export { handleKey, handleSkeleton, handleStems, type HandleStem } from "./handle-key.js";
export { combineStrengths, combineLinks } from "./combine.js";
export {
  LINK_KINDS,
  LINKER_DEFAULTS,
  type AccountProfile,
  type ContactService,
  type EvasionLink,
  type LinkKind,
  type LinkerOptions,
  type PairLink,
} from "./types.js";
