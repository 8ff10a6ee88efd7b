#!/usr/bin/env -S node --import tsx
/**
 * Generates src/text/normalize/lookalike-table.ts: folds for letters that the
 * main fold table (scripts/generate-text-fold-table.ts, from TR39's
 * confusables) leaves outside ASCII although a reader takes them for a Latin
 * letter: Cherokee small letters, Coptic, Armenian, Georgian, IPA, Lisu ...
 * (issue 9). Derived systematically, not by hand:
 *
 * 1. A rendering check. Every letter of an alphabetic script (Latin, Greek,
 *    Coptic, Cyrillic, Armenian, Georgian, Cherokee, Lisu, modifier letters)
 *    is compared, pixel by pixel, with the glyphs of the characters that
 *    already fold to one Latin letter (a-z, A-Z and their confusables), in
 *    GNU Unifont, a bitmap font with a glyph for every character of the Basic
 *    Multilingual Plane drawn on one 8x16 grid. A letter whose glyph differs
 *    from its nearest Latin-reading glyph by at most MAX_PIXELS pixels, and
 *    from every glyph reading as another letter by MARGIN more, folds to that
 *    letter.
 * 2. Case pairs. A letter still unfolded whose simple upper- or lower-case
 *    partner folds (by the main table or by step 1) takes the partner's fold:
 *    Cherokee small letters, drawn as small capitals, read as their capitals.
 * 3. Coptic by descent. The Coptic block (U+2C80..U+2CB1) lists the letters
 *    Coptic took from Greek in the Greek alphabet's order, capital then small
 *    (ALFA, VIDA, GAMMA, DALDA, EIE, SOU, ZATA ...): a Coptic letter still
 *    unfolded takes the fold of the Greek letter in its place, of its case.
 *
 * Inputs:
 *   --ucd DIR       UnicodeData.txt (Debian package unicode-data, /usr/share/unicode)
 *   --unifont FILE  unifont.hex (Debian package unifont, /usr/share/unifont/unifont.hex)
 *
 *   node --import tsx scripts/generate-text-lookalike-table.ts --ucd /usr/share/unicode --unifont /usr/share/unifont/unifont.hex
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { decodeFolds } from "../src/text/normalize/fold-codec.js";
import { FOLDS } from "../src/text/normalize/fold-table.js";

function arg(name: string): string {
  const i = process.argv.indexOf(name);
  const value = i >= 0 ? process.argv[i + 1] : undefined;
  if (!value) {
    console.error(`missing ${name}; see the header of this script`);
    process.exit(2);
  }
  return value;
}

const ucdDir = arg("--ucd");
const unifontPath = arg("--unifont");
const outPath = fileURLToPath(new URL("../src/text/normalize/lookalike-table.ts", import.meta.url));

/** Most differing pixels (of 128) for a look-alike, and how much nearer than any other letter it must be. */
const MAX_PIXELS = 3;
const MARGIN = 3;
const SCRIPTS = /^(?:LATIN|GREEK|COPTIC|CYRILLIC|ARMENIAN|GEORGIAN|CHEROKEE|LISU|MODIFIER LETTER)\b/;

const names = new Map<number, string>();
const categories = new Map<number, string>();
for (const line of readFileSync(join(ucdDir, "UnicodeData.txt"), "utf8").split("\n")) {
  if (!line) continue;
  const f = line.split(";");
  const cp = parseInt(f[0], 16);
  names.set(cp, f[1]);
  categories.set(cp, f[2]);
}
const ucdVersion = /Version ([0-9.]+)/.exec(readFileSync(join(ucdDir, "ReadMe.txt"), "utf8"))?.[1] ?? "unknown";

const glyphs = new Map<number, Uint8Array>();
for (const line of readFileSync(unifontPath, "utf8").split("\n")) {
  const [cpHex, hex] = line.split(":");
  if (!hex || hex.length !== 32) continue; // 8x16 glyphs only: wide ones are never Latin-like
  const bits = new Uint8Array(128);
  for (let r = 0; r < 16; r++) {
    const row = parseInt(hex.slice(r * 2, r * 2 + 2), 16);
    for (let c = 0; c < 8; c++) bits[r * 8 + c] = (row >> (7 - c)) & 1;
  }
  glyphs.set(parseInt(cpHex, 16), bits);
}

const { single, multi } = decodeFolds(FOLDS);
const isLatinLetter = (cp: number) => (cp >= 0x61 && cp <= 0x7a) || cp === 0x49;
/** The Latin letter a code point reads as by the main table (lower case; "I" is i-or-l), or -1. */
function baseLetter(cp: number): number {
  if (cp < 0x80) return cp >= 0x41 && cp <= 0x5a && cp !== 0x49 ? cp + 0x20 : isLatinLetter(cp) ? cp : -1;
  if (multi.has(cp)) return -1;
  const f = single.get(cp);
  return f !== undefined && isLatinLetter(f) ? f : -1;
}

// The reference glyphs: everything that already reads as one Latin letter.
const references: Array<[number, Uint8Array]> = [];
for (const [cp, bits] of glyphs) {
  const letter = baseLetter(cp);
  if (letter >= 0 && (categories.get(cp) ?? "").startsWith("L")) references.push([letter, bits]);
}

function distance(a: Uint8Array, b: Uint8Array): number {
  let d = 0;
  for (let i = 0; i < 128; i++) d += a[i] ^ b[i];
  return d;
}

const folds = new Map<number, number>();
const reasons = { rendering: 0, coptic: 0, casePair: 0 };
const unfolded = (cp: number) => baseLetter(cp) < 0 && !multi.has(cp) && !folds.has(cp);
const candidates = [...names.keys()].filter((cp) => cp <= 0xffff && (categories.get(cp) ?? "").startsWith("L") && SCRIPTS.test(names.get(cp)!) && unfolded(cp));

for (const cp of candidates) {
  const bits = glyphs.get(cp);
  if (!bits || bits.every((b) => b === 0)) continue;
  const best = new Map<number, number>();
  for (const [letter, ref] of references) {
    const d = distance(bits, ref);
    if (d < (best.get(letter) ?? Infinity)) best.set(letter, d);
  }
  const ranked = [...best].sort((a, b) => a[1] - b[1]);
  if (ranked.length < 2) continue;
  const [[letter, d], [, next]] = ranked;
  if (d <= MAX_PIXELS && next - d >= MARGIN) {
    folds.set(cp, letter);
    reasons.rendering++;
  }
}

const foldOfAny = (cp: number) => (folds.has(cp) ? folds.get(cp)! : baseLetter(cp));
for (const cp of candidates) {
  if (!unfolded(cp)) continue;
  const own = String.fromCodePoint(cp);
  for (const partner of [own.toUpperCase(), own.toLowerCase()]) {
    if ([...partner].length !== 1 || partner === own) continue;
    const letter = foldOfAny(partner.codePointAt(0)!);
    if (letter >= 0) {
      folds.set(cp, letter);
      reasons.casePair++;
      break;
    }
  }
}

// The Greek alphabet in order, with stigma where Coptic has SOU (UnicodeData names).
const GREEK_ORDER = ["ALPHA", "BETA", "GAMMA", "DELTA", "EPSILON", "STIGMA", "ZETA", "ETA", "THETA", "IOTA", "KAPPA", "LAMDA", "MU", "NU", "XI", "OMICRON", "PI", "RHO", "SIGMA", "TAU", "UPSILON", "PHI", "CHI", "PSI", "OMEGA"];
const byName = new Map([...names].map(([cp, name]) => [name, cp]));
GREEK_ORDER.forEach((greek, i) => {
  for (const [offset, kind] of [[0, "CAPITAL"], [1, "SMALL"]] as const) {
    const coptic = 0x2c80 + 2 * i + offset;
    if (!names.get(coptic)?.startsWith(`COPTIC ${kind} LETTER`) || !unfolded(coptic)) continue;
    const source = byName.get(`GREEK ${kind} LETTER ${greek}`) ?? byName.get(`GREEK LETTER ${greek}`);
    const letter = source === undefined ? -1 : folds.get(source) ?? baseLetter(source);
    if (letter >= 0) {
      folds.set(coptic, letter);
      reasons.coptic++;
    }
  }
});

const entries = [...folds].sort((a, b) => a[0] - b[0]);
const lines = entries.map(([cp, letter]) => `${cp.toString(36)}:${letter.toString(36)}`);
const listing = entries.map(([cp, letter]) => `//   ${String.fromCodePoint(cp)} → ${String.fromCodePoint(letter)}  ${names.get(cp)}`).join("\n");
const source = `// GENERATED by scripts/generate-text-lookalike-table.ts; do not edit by hand.
//
// Sources: Unicode Character Database ${ucdVersion} (UnicodeData.txt; Unicode License v3,
// https://www.unicode.org/license.txt, © Unicode, Inc.) and the glyph bitmaps of GNU Unifont
// (${unifontPath.split("/").pop()}, Debian package unifont; GPL-2+ with the font embedding exception /
// SIL OFL 1.1), compared pixel by pixel: no glyph data is copied here, only which letter each
// character reads as. ${reasons.rendering} folds from the rendering check, ${reasons.coptic} from Coptic's Greek
// descent, ${reasons.casePair} from case pairs.
//
${listing}

/** "cp:letter|..." in base 36: letters that read as a Latin letter where the main fold table leaves them alone. */
export const LOOKALIKE_FOLDS = "${lines.join("|")}";
`;
writeFileSync(outPath, source);
console.log(`wrote ${outPath}: ${entries.length} folds (${reasons.rendering} rendering, ${reasons.coptic} Coptic, ${reasons.casePair} case pairs)`);
