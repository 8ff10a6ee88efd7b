import { findAll, type AdvertText, type Evidence } from "./evidence.js";

// Patterns read the folded view: lower case, look-alikes folded, punctuation as
// one space ("y/o" and "y.o." are "y o"), letters spread out joined ("1 4 y o" is "14yo").
const MINOR = "(?:1[0-7]|[4-9])";
// One digit before "years old" is usually an object's age ("desk, 5 years old"); only "yo" marks a child there.
const MINOR_TEEN = "(?:1[0-7])";
const AGE_MARK = "(?:yo|y o|yrs? old|years? old|year old|yrs? o|y)";
const WORD_AGES = "(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen)";

const DIGIT_AGE = new RegExp(`(?<![\\d.])(?:${MINOR_TEEN} ?${AGE_MARK}|[4-9] ?(?:yo|y o))\\b`, "gu");
const WORD_AGE_MARKED = new RegExp(`\\b${WORD_AGES} ?${AGE_MARK}\\b`, "gu");
// A bare number word is weak evidence, and none at all before a unit ("fifteen-minute walk").
const WORD_AGE_BARE = new RegExp(`\\b(?:eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen)\\b(?! ?(?:${AGE_MARK}|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|seconds?|dollars?|bucks|euros?|pounds?|percent|inch(?:es)?|feet|ft|miles?|km|kg|lbs?|people|times)\\b)`, "gu");
const AGE_PREFIX = new RegExp(`\\b(?:age|aged|ages|agee|edad)[: ]?(${MINOR})(?![\\d])(?: ?(?:to|and)? ?(${MINOR}|1[89]))?\\b`, "gu");
const SELF_AGE = new RegExp(`\\b(?:i ?m|i am|im|just turned|turning) (?:only |just )?(1[0-7])\\b(?! ?(?:min|mins|minutes|hours|hrs|miles|km|k|lbs|kg|percent|%))`, "gu");
const GRADE = /\b(?:grades? ?([1-9]|1[0-2])(?:(?: ?(?:to|and)? ?)([1-9]|1[0-2]))?|([1-9]|1[0-2]) ?(?:st|nd|rd|th) ?grade(?:rs?)?|years? ?([7-9]|1[0-1])(?: ?(?:to|and)? ?([7-9]|1[0-3]))?(?! ?(?:old|warranty|experience|ago))|(?:middle|junior high|jr high) ?school(?:er|ers)?)\b/gu;
const UNDERAGE = /\b(?:u18|under ?18|under ?age|underage|preteens?|pre teens?|not 18 yet|almost 18)\b/gu;

const ADULT_DIGITS = /(?<![\d.])(?:1[89]|[2-9]\d) ?(?:yo|y o|years? old|yrs? old)\b/gu;
const ADULT_WORDS = /\b(?:adults? only|over ?18|18 ?and ?over|18 ?or ?older|all models (?:are )?18|i ?m (?:1[89]|[2-9]\d)\b(?! ?(?:min|mins|minutes|hours))|18\+|21\+|18 plus|nsfw 18)/gu;
const ADULT_RAW = /(?<!\d)(?:18|19|21)\s?\+/gu;

/**
 * `minor-age`: a claimed age under 18 in digits ("14yo", "15 y.o."), words
 * ("fourteen"), with a prefix ("age 13", "I'm 15"), as a school grade or year
 * ("8th grade", "year 9"), or as an under-age word ("u18").
 *
 * `adult-age` (mitigating): a stated adult age ("18+", "21 y/o", "adults only").
 */
export function ageEvidence(text: AdvertText, out: Evidence[]): void {
  const f = text.folded;
  const o = text.original;
  findAll(f, o, DIGIT_AGE, () => ({ signal: "minor-age", weight: 1.8, label: "age under 18 with an age marker" }), out);
  findAll(f, o, WORD_AGE_MARKED, () => ({ signal: "minor-age", weight: 1.8, label: "age under 18 in words" }), out);
  findAll(f, o, WORD_AGE_BARE, () => ({ signal: "minor-age", weight: 0.6, label: "a number from eleven to seventeen in words" }), out);
  findAll(f, o, AGE_PREFIX, (m) => (m[2] !== undefined
    ? { signal: "minor-age", weight: 0.9, label: "an age range under 18" }
    : { signal: "minor-age", weight: 1.6, label: "age under 18 after \"age\"" }), out);
  findAll(f, o, SELF_AGE, () => ({ signal: "minor-age", weight: 1.5, label: "a self-stated age under 18" }), out);
  findAll(f, o, GRADE, (m) => (m[2] !== undefined || m[5] !== undefined
    ? { signal: "minor-age", weight: 0.5, label: "a range of school grades" }
    : { signal: "minor-age", weight: 1.0, label: "a school grade or year" }), out);
  findAll(f, o, UNDERAGE, () => ({ signal: "minor-age", weight: 1.6, label: "an under-age word" }), out);

  findAll(f, o, ADULT_DIGITS, () => ({ signal: "adult-age", weight: -3.0, label: "an adult age" }), out);
  findAll(f, o, ADULT_WORDS, () => ({ signal: "adult-age", weight: -3.0, label: "an adults-only statement" }), out);
  findAll(text.raw, o, ADULT_RAW, () => ({ signal: "adult-age", weight: -3.0, label: "an adults-only mark" }), out);
}
