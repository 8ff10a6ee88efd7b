#!/usr/bin/env -S node --import tsx
/**
 * Generates src/text/normalize/fold-table.ts, the per-code-point folding table
 * the text detector uses: NFKD, mark and invisible removal, lower-casing, the
 * Unicode TR39 confusables prototypes (confusables.txt) and a name-based fold of
 * decorated Latin letters (small capitals, letters "with stroke", dotless i).
 *
 * Inputs (Unicode data files, licensed under the Unicode License v3,
 * https://www.unicode.org/license.txt):
 *   --confusables PATH   security/confusables.txt (UTS #39). On Debian 12 it
 *                        ships in ICU's source package:
 *                          apt-get source --download-only icu   (icu_72.1)
 *                          tar xzf icu_72.1.orig.tar.gz icu/source/data/unidata/confusables.txt
 *   --ucd DIR            a UCD directory with UnicodeData.txt,
 *                        DerivedCoreProperties.txt and emoji/emoji-data.txt
 *                        (Debian package `unicode-data`: /usr/share/unicode)
 *
 * Usage:
 *   node --import tsx scripts/generate-text-fold-table.ts \
 *     --confusables /path/confusables.txt --ucd /usr/share/unicode
 *
 * The output is deterministic for given inputs and Node version (NFKD comes
 * from String.prototype.normalize); the header records the versions used.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

function arg(name: string): string {
  const i = process.argv.indexOf(name);
  const value = i >= 0 ? process.argv[i + 1] : undefined;
  if (!value) {
    console.error(`missing ${name}; see the header of this script`);
    process.exit(2);
  }
  return value;
}

const confusablesPath = arg("--confusables");
const ucdDir = arg("--ucd");
const outPath = fileURLToPath(new URL("../src/text/normalize/fold-table.ts", import.meta.url));

const MAX = 0x110000;

// --- UnicodeData.txt: general category, bidi class, name -------------------
const category = new Array<string>(MAX).fill("Cn");
const bidi = new Array<string>(MAX).fill("");
const names = new Map<number, string>();
{
  let rangeStart = -1;
  for (const line of readFileSync(join(ucdDir, "UnicodeData.txt"), "utf8").split("\n")) {
    if (!line) continue;
    const f = line.split(";");
    const cp = parseInt(f[0], 16);
    if (f[1].endsWith(", First>")) {
      rangeStart = cp;
      continue;
    }
    const from = f[1].endsWith(", Last>") ? rangeStart : cp;
    for (let c = from; c <= cp; c++) {
      category[c] = f[2];
      bidi[c] = f[4];
    }
    if (!f[1].startsWith("<")) names.set(cp, f[1]);
  }
}

function readRanges(path: string, property: string): Set<number> {
  const out = new Set<number>();
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const m = /^([0-9A-F]+)(?:\.\.([0-9A-F]+))?\s*;\s*([A-Za-z_]+)/.exec(line);
    if (!m || m[3] !== property) continue;
    const a = parseInt(m[1], 16);
    const b = m[2] ? parseInt(m[2], 16) : a;
    for (let c = a; c <= b; c++) out.add(c);
  }
  return out;
}

const ignorable = readRanges(join(ucdDir, "DerivedCoreProperties.txt"), "Default_Ignorable_Code_Point");
const pictographic = readRanges(join(ucdDir, "emoji", "emoji-data.txt"), "Extended_Pictographic");
const emojiModifier = readRanges(join(ucdDir, "emoji", "emoji-data.txt"), "Emoji_Modifier");

// --- confusables.txt ----------------------------------------------------------
const confusablesText = readFileSync(confusablesPath, "utf8");
const confusablesVersion = /# Version: ([0-9.]+)/.exec(confusablesText)?.[1] ?? "unknown";
const confusablesDate = /# Date: ([^\n]+)/.exec(confusablesText)?.[1]?.trim() ?? "unknown";
const prototypes = new Map<number, number[]>();
for (const line of confusablesText.split("\n")) {
  const m = /^([0-9A-F]+)\s*;\s*([0-9A-F ]+?)\s*;\s*MA/.exec(line);
  if (!m) continue;
  prototypes.set(parseInt(m[1], 16), m[2].split(" ").map((h) => parseInt(h, 16)));
}
const ucdVersion = /Version ([0-9.]+)/.exec(readFileSync(join(ucdDir, "ReadMe.txt"), "utf8"))?.[1] ?? "unknown";

// Look-alikes a reader takes for a Latin letter that confusables.txt maps to
// something else (a small capital, a kra, a turned w) or not at all.
const HAND: Record<string, string> = {
  "ĸ": "k", "κ": "k", "χ": "x", "ӏ": "I", "к": "k", "м": "m", "ʍ": "m", "т": "t", "τ": "t", "н": "h", "в": "b",
  "η": "n", "п": "n", "ı": "i", "ȷ": "j", "ι": "i", "ν": "v", "ω": "w", "ш": "w", "ɡ": "g",
  "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ð": "d", "þ": "p", "ŋ": "n", "ʀ": "r",
};

const LATIN_NAME = /^LATIN (?:SMALL |CAPITAL )?LETTER (?:SMALL CAPITAL |DOTLESS |SCRIPT |INSULAR )?([A-Z])(?: BAR| WITH .*)?$/;

const isMark = (c: number) => category[c] === "Mn" || category[c] === "Me";
const dropped = (c: number) => ignorable.has(c) || isMark(c) || emojiModifier.has(c);
/** A C0/C1 control that is neither white space (tab, line breaks, NEL) nor an information separator (U+001C..U+001F). */
const isInvisibleControl = (c: number) => category[c] === "Cc" && !(c >= 0x09 && c <= 0x0d) && !(c >= 0x1c && c <= 0x1f) && c !== 0x85;
const isAsciiAlnum = (s: string) => /^[a-zI0-9]+$/.test(s);

/** Lower-case, strip marks and ignorables, NFKD: the cheap part of a fold. */
function basic(s: string): string {
  let out = "";
  for (const ch of s.normalize("NFKD")) {
    const c = ch.codePointAt(0)!;
    if (dropped(c)) continue;
    out += ch.toLowerCase().normalize("NFKD");
  }
  let clean = "";
  for (const ch of out) if (!dropped(ch.codePointAt(0)!)) clean += ch;
  return clean;
}

// Capital I and every glyph drawn like it ("І", "Ι", "Ӏ", "ǀ") fold to "I",
// which the matcher reads as either i or l: in most fonts a reader cannot tell.
const AMBIGUOUS_I = "I";

function foldChar(ch: string, depth = 0): string {
  const c = ch.codePointAt(0)!;
  if (c < 0x80) return ch === AMBIGUOUS_I ? ch : ch.toLowerCase();
  const direct = prototypes.get(c);
  if (/^\p{L}$/u.test(ch) && direct && String.fromCodePoint(...direct) === "l") return AMBIGUOUS_I;
  if (HAND[ch] !== undefined) return HAND[ch];
  const lower = basic(ch);
  const name = names.get(c) ?? "";
  const latin = LATIN_NAME.exec(name);
  if (latin) return latin[1].toLowerCase();
  if (depth > 3) return lower;
  const candidates: string[] = [];
  for (const source of [ch, lower]) {
    const proto = [...source].length === 1 ? prototypes.get(source.codePointAt(0)!) : undefined;
    if (!proto) continue;
    let folded = "";
    for (const p of basic(String.fromCodePoint(...proto))) folded += foldChar(p, depth + 1);
    candidates.push(folded);
  }
  const found = candidates.find(isAsciiAlnum);
  if (found !== undefined) return found;
  if (HAND[lower] !== undefined) return HAND[lower];
  return candidates.find((s) => s !== "" && s !== ch) ?? lower;
}

/** The folded form of one code point (its NFKD pieces folded one by one). */
function fold(c: number): string {
  const own = String.fromCodePoint(c);
  if (HAND[own] !== undefined) return HAND[own];
  // When NFKD does not give a Latin letter, prefer the confusable prototype of
  // the character as written: NFKD first would turn "ϲ" (lunate sigma, drawn
  // as c) into "σ". When it does, trust it: "ⓛ" is l, though confusables.txt
  // says it looks like a circled I.
  const decomposed = own.normalize("NFKD").replace(/\p{M}/gu, "");
  if (prototypes.has(c) && !/^[A-Za-z0-9]+$/.test(decomposed)) {
    const direct = foldChar(own);
    if (isAsciiAlnum(direct)) return direct;
  }
  let pieces = String.fromCodePoint(c).normalize("NFKD");
  // "⒜" → "(a)", "⒈" → "1.": keep the letter, not the decoration.
  if (/[\p{L}\p{N}]/u.test(pieces)) pieces = pieces.replace(/[^\p{L}\p{N}\p{M}]/gu, "");
  let out = "";
  for (const ch of pieces) {
    const p = ch.codePointAt(0)!;
    if (dropped(p)) continue;
    out += foldChar(ch);
  }
  return out;
}

// Negative circled / negative squared / regional-indicator letters have no
// decomposition but read as Latin letters.
const SPECIAL_LETTER_BLOCKS: Array<[number, number]> = [
  [0x1f150, 0x1f169],
  [0x1f170, 0x1f189],
  [0x1f1e6, 0x1f1ff],
];

// Classes; must match src/text/normalize/fold.ts.
const WORD = 0, SEPARATOR = 1, SYMBOL = 2, INVISIBLE = 3, ATTACHED = 4, UPPER = 8;

const classes = new Uint8Array(MAX);
const foldList: Array<[number, number[]]> = [];
let foldCount = 0;
for (let c = 0; c < MAX; c++) {
  if (c >= 0xd800 && c <= 0xdfff) {
    classes[c] = SEPARATOR;
    continue;
  }
  const cat = category[c];
  if (isMark(c) || emojiModifier.has(c) || (c >= 0xfe00 && c <= 0xfe0f) || (c >= 0xe0100 && c <= 0xe01ef) || (c >= 0xe0020 && c <= 0xe007f)) {
    classes[c] = ATTACHED;
    continue;
  }
  // Controls other than line and field breaks draw nothing (or a box a reader
  // looks through): like format characters they vanish, so "vorn\u0001axle"
  // reads as one word in text and in terms alike (issue 10, defect 7).
  if (ignorable.has(c) || isInvisibleControl(c)) {
    classes[c] = INVISIBLE;
    continue;
  }
  let folded: string;
  const special = SPECIAL_LETTER_BLOCKS.find(([a, b]) => c >= a && c <= b);
  if (special) folded = String.fromCharCode(0x61 + c - special[0]);
  else folded = fold(c);
  const own = String.fromCodePoint(c);
  let cls: number;
  if (special) cls = WORD | UPPER;
  else if (folded !== "" && /^[\p{L}\p{N}\p{Mc}]+$/u.test(folded)) {
    const decomposed = own.normalize("NFKD");
    cls = WORD | (decomposed !== decomposed.toLowerCase() || cat === "Lu" || cat === "Lt" ? UPPER : 0);
  } else if (pictographic.has(c) || cat === "So" || cat === "Cn" && c >= 0x1f000 && c < 0x1fb00) cls = SYMBOL;
  else if (cat === "Cn" || cat === "Co") cls = WORD;
  else cls = SEPARATOR;
  // A whitespace control stays a separator; other C0/C1 controls too.
  classes[c] = cls;
  // Hangul syllables stay whole: NFKD would spell each as 2-3 jamo, and text
  // is written with the syllables.
  const isHangulSyllable = c >= 0xac00 && c <= 0xd7a3;
  // Separators keep their class but fold to ASCII when NFKC says so ("＄" → "$"),
  // so leetspeak sees them.
  const isFoldedSeparator = cls === SEPARATOR && /^[\x21-\x7e]$/.test(folded);
  if (((cls & 7) === WORD || isFoldedSeparator) && folded !== own && folded !== "" && !isHangulSyllable) {
    foldList.push([c, [...folded].map((ch) => ch.codePointAt(0)!)]);
    foldCount++;
  }
}

// Compress: a run of consecutive code points folding to consecutive single
// code points ("𝐚𝐛𝐜" → "abc") is written once as "start:out*length".
const folds: string[] = [];
for (let i = 0; i < foldList.length; ) {
  const [c, out] = foldList[i];
  let n = 1;
  if (out.length === 1) {
    while (
      i + n < foldList.length &&
      foldList[i + n][0] === c + n &&
      foldList[i + n][1].length === 1 &&
      foldList[i + n][1][0] === out[0] + n
    ) n++;
  }
  folds.push(c.toString(36) + ":" + out.map((x) => x.toString(36)).join(".") + (n > 1 ? "*" + n.toString(36) : ""));
  i += n;
}

// Run-length encode the class table: "class*count" pairs in base 36.
const runs: string[] = [];
for (let c = 0; c < MAX; ) {
  let e = c;
  while (e + 1 < MAX && classes[e + 1] === classes[c]) e++;
  runs.push(classes[c].toString(36) + (e - c + 1).toString(36));
  c = e + 1;
}

// Strong right-to-left code points (bidi classes R and AL) for visual reordering.
const rtl: string[] = [];
for (let c = 0; c < MAX; ) {
  const isRtl = (x: number) => bidi[x] === "R" || bidi[x] === "AL";
  if (!isRtl(c)) {
    c++;
    continue;
  }
  let e = c;
  while (e + 1 < MAX && isRtl(e + 1)) e++;
  rtl.push(c.toString(36) + "-" + e.toString(36));
  c = e + 1;
}

const source = `// GENERATED by scripts/generate-text-fold-table.ts; do not edit by hand.
//
// Sources (Unicode License v3, https://www.unicode.org/license.txt,
// © Unicode, Inc.):
//   confusables.txt (Unicode Security Mechanisms, UTS #39) version ${confusablesVersion}, dated ${confusablesDate}
//     (taken from Debian 12's ICU 72.1 source package, icu/source/data/unidata/)
//   Unicode Character Database ${ucdVersion} (Debian 12 package unicode-data):
//     UnicodeData.txt, DerivedCoreProperties.txt, emoji/emoji-data.txt
//   NFKD from Node ${process.versions.node} (ICU ${process.versions.icu}, Unicode ${process.versions.unicode})
//
// ${foldCount} folds, ${runs.length} class runs, ${rtl.length} right-to-left ranges.

/** Versions of the data this table was generated from. */
export const FOLD_TABLE_SOURCES = {
  confusables: "${confusablesVersion}",
  unicodeData: "${ucdVersion}",
  nodeUnicode: "${process.versions.unicode}",
} as const;

/** "cp:out.out|..." in base 36: code points whose fold is not themselves; "cp:out*n" is n consecutive code points folding to n consecutive ones. */
export const FOLDS = "${folds.join("|")}";

/** Run-length classes over U+0000..U+10FFFF: one class digit then the run length, base 36, comma-separated. */
export const CLASS_RUNS = "${runs.join(",")}";

/** Ranges "start-end" (base 36) of strong right-to-left code points (bidi classes R, AL). */
export const RTL_RANGES = "${rtl.join(",")}";
`;
writeFileSync(outPath, source);
console.log(`wrote ${outPath}: ${foldCount} folds, ${runs.length} runs, ${rtl.length} rtl ranges, ${source.length} bytes`);
