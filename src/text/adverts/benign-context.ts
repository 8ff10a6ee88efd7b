import { findAll, type AdvertText, type Evidence } from "./evidence.js";

// Each cue family counts once (the signal keeps the strongest piece per label).
const CUES: ReadonlyArray<readonly [RegExp, number, string]> = [
  [/\b(?:my|our|his|her) (?:\w+ ){0,2}(?:son|sons|daughter|daughters|kid|kids|child|children|boy|boys|nephew|niece|grandson|granddaughter|stepson|stepdaughter|students|class|team|troop|scouts)\b/gu, -1.0, "an age about the poster's child, students or team"],
  [/\b(?:babysit\w*|nanny|tutor\w*|lessons?|homework|cpr|first aid|pet sitting|mother s helper|dog walking|lawn|mowing|chores|music lessons|math|reading|piano)\b/gu, -1.0, "a service such as babysitting or tutoring"],
  [/\b(?:fundraiser|fundraising|bake sale|raffle|pta|pto|car wash|proceeds|charity|donat\w*|school trip|class trip|booster|cookie sale|lemonade|cookies|brownies|cupcakes|baked goods)\b/gu, -1.0, "a fundraiser or charity sale"],
  [/\b(?:handmade|hand made|commissions?|etsy|shipping|ships|shipped|local pickup|pick ?up|obo|condition|gently used|barely used|size \d|sz ?\d|authentic|receipt|deadstock|ds|vnds|original box|custom orders)\b/gu, -0.7, "physical goods or art commissions"],
  [/\b(?:skins?|fortnite|roblox|valorant|minecraft|ranked|level \d+|v ?bucks|robux|gamertag|full access|og email)\b/gu, -0.7, "a game account or in-game goods"],
  [/\b(?:presets?|luts?|brushes|e ?book|pdf|gumroad|beat pack|stock photos?|templates?|fonts?|printables?|course)\b/gu, -0.7, "a digital product such as presets or an e-book"],
];

/**
 * `benign-context` (mitigating): words of ordinary commerce that seller
 * adverts do not use: a parent's "my son", babysitting and tutoring,
 * fundraisers and bake sales, shipping and pickup, game accounts.
 *
 * ## Caveat
 * These cues can be copied into an advert. They are capped (see the scorer)
 * so that they can pull a borderline text down, never cancel a full advert.
 */
export function benignContextEvidence(text: AdvertText, out: Evidence[]): void {
  for (const [pattern, weight, label] of CUES) {
    findAll(text.folded, text.original, pattern, () => ({ signal: "benign-context", weight, label }), out);
  }
}
