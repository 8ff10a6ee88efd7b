import type { Evidence } from "./evidence.js";
import type { AdvertSignal, AdvertSignalName } from "./types.js";

/** Log-odds of a text with no evidence at all. */
const BIAS = -4.0;

/** Each signal's total is clamped to this (a floor for the mitigating ones). */
const CAPS: Readonly<Record<AdvertSignalName, number>> = {
  price: 1.4,
  "menu-language": 1.5,
  "media-goods": 1.6,
  "minor-age": 2.2,
  "adult-age": -3.0,
  "off-platform-contact": 2.0,
  "file-host": 1.5,
  "payment-handle": 1.4,
  "backup-account": 1.5,
  obfuscation: 1.2,
  "lexicon-age-claim": 2.5,
  "lexicon-coded-term": 2.5,
  "lexicon-solicitation": 1.8,
  "emoji-code": 2.0,
  "lexicon-other": 1.0,
  "benign-context": -2.4,
  combination: 6.0,
};

const TITLES: Readonly<Record<AdvertSignalName, string>> = {
  price: "Prices",
  "menu-language": "Menu or sales language",
  "media-goods": "Media offered as goods",
  "minor-age": "Claimed age under 18",
  "adult-age": "Stated adult age",
  "off-platform-contact": "Contact moved off the platform",
  "file-host": "File host",
  "payment-handle": "Payment handle",
  "backup-account": "Backup or replacement account",
  obfuscation: "Filter evasion",
  "lexicon-age-claim": "Lexicon age-claim terms",
  "lexicon-coded-term": "Lexicon coded terms",
  "lexicon-solicitation": "Lexicon solicitation terms",
  "emoji-code": "Emoji codes",
  "lexicon-other": "Other lexicon terms",
  "benign-context": "Ordinary-commerce context",
  combination: "Combination",
};

const MAX_SPANS = 20;
const MAX_EXAMPLES = 3;

interface Piece {
  weight: number;
  label: string;
  start: number;
  end: number;
}

/**
 * Folds evidence into one signal per name. Overlapping pieces of a signal
 * merge (the heavier label wins); the pieces then add with diminishing
 * returns (1, 1/2, 1/4, ... of each next-heaviest), clamped by the signal's cap.
 * `benign-context` counts each cue family once.
 */
export function foldSignals(evidence: readonly Evidence[], original: string): Map<AdvertSignalName, AdvertSignal> {
  const byName = new Map<AdvertSignalName, Piece[]>();
  for (const e of evidence) {
    let list = byName.get(e.signal);
    if (list === undefined) byName.set(e.signal, (list = []));
    list.push({ weight: e.weight, label: e.label, start: e.start, end: e.end });
  }
  const out = new Map<AdvertSignalName, AdvertSignal>();
  for (const [name, pieces] of byName) {
    const merged = mergeOverlaps(pieces);
    const weights = name === "benign-context" ? strongestPerLabel(merged) : merged.map((p) => p.weight);
    weights.sort((a, b) => Math.abs(b) - Math.abs(a));
    let total = 0;
    for (let i = 0; i < weights.length && i < 30; i++) total += weights[i] * 0.5 ** i;
    const cap = CAPS[name];
    total = cap < 0 ? Math.max(cap, total) : Math.min(cap, total);
    out.set(name, {
      name,
      weight: round(total),
      explanation: explain(name, merged, original),
      spans: merged.slice(0, MAX_SPANS).map((p) => ({ start: p.start, end: p.end, text: original.slice(p.start, p.end) })),
    });
  }
  return out;
}

function mergeOverlaps(pieces: Piece[]): Piece[] {
  pieces.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Piece[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    if (last !== undefined && p.start < last.end) {
      if (Math.abs(p.weight) > Math.abs(last.weight)) {
        last.weight = p.weight;
        last.label = p.label;
      }
      if (p.end > last.end) last.end = p.end;
    } else out.push({ ...p });
  }
  return out;
}

function strongestPerLabel(pieces: readonly Piece[]): number[] {
  const best = new Map<string, number>();
  for (const p of pieces) if (Math.abs(p.weight) > Math.abs(best.get(p.label) ?? 0)) best.set(p.label, p.weight);
  return [...best.values()];
}

function explain(name: AdvertSignalName, pieces: readonly Piece[], original: string): string {
  const byLabel = new Map<string, string[]>();
  for (const p of pieces) {
    let list = byLabel.get(p.label);
    if (list === undefined) byLabel.set(p.label, (list = []));
    if (list.length < MAX_EXAMPLES) list.push(JSON.stringify(clip(original.slice(p.start, p.end))));
    else if (list.length === MAX_EXAMPLES) list.push("...");
  }
  const parts = [...byLabel].map(([label, examples]) => `${label} (${examples.join(", ")})`);
  return `${TITLES[name]}: ${parts.join("; ")}.`;
}

function clip(s: string): string {
  return s.length <= 40 ? s : `${s.slice(0, 37)}...`;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * Signals that measure one thing from several angles share a cap, so that a
 * long, ordinary price list with a PayPal link cannot add up to an advert on
 * its own: only the interaction terms get a text far past the bias.
 */
const DIMENSIONS: ReadonlyArray<readonly [cap: number, what: string, names: readonly AdvertSignalName[]]> = [
  [2.5, "commerce", ["price", "menu-language", "payment-handle"]],
  [2.5, "contact", ["off-platform-contact", "file-host"]],
];

/** Scales the signals of an over-full dimension down to its cap, saying so in each explanation. */
export function capDimensions(signals: Map<AdvertSignalName, AdvertSignal>): void {
  for (const [cap, what, names] of DIMENSIONS) {
    let sum = 0;
    for (const n of names) sum += Math.max(0, signals.get(n)?.weight ?? 0);
    if (sum <= cap) continue;
    const factor = cap / sum;
    for (const n of names) {
      const s = signals.get(n);
      if (s === undefined || s.weight <= 0) continue;
      signals.set(n, { ...s, weight: round(s.weight * factor), explanation: `${s.explanation} Scaled by ${factor.toFixed(2)}: the ${what} signals share a cap of ${cap}.` });
    }
  }
}

/** What each family of evidence contributes to the interaction terms. */
interface Presence {
  /** Media or a menu for sale. */
  material: boolean;
  /** A price or a payment handle. */
  money: boolean;
  age: boolean;
  contact: boolean;
  coded: boolean;
}

function weightOf(signals: Map<AdvertSignalName, AdvertSignal>, name: AdvertSignalName): number {
  return signals.get(name)?.weight ?? 0;
}

/**
 * The interaction terms: a minor age next to goods for sale, money or contact
 * elsewhere weighs far more than each alone, and all three together most.
 * Returns the `combination` signal, or undefined when no term applies.
 */
export function combination(signals: Map<AdvertSignalName, AdvertSignal>, isTrade: boolean): AdvertSignal | undefined {
  const w = (n: AdvertSignalName) => weightOf(signals, n);
  const has: Presence = {
    material: w("media-goods") >= 0.9 || w("menu-language") >= 1.0,
    money: w("price") >= 0.5 || w("payment-handle") >= 0.6,
    age: w("minor-age") >= 0.9 || w("lexicon-age-claim") > 0,
    contact: w("off-platform-contact") >= 0.5 || w("file-host") > 0 || w("backup-account") >= 1.0,
    coded: w("lexicon-coded-term") > 0 || w("lexicon-solicitation") > 0 || w("emoji-code") > 0,
  };
  const terms: Array<[number, string]> = [];
  if (has.age && has.material) terms.push([2.0, "a claimed minor age with media or a menu for sale"]);
  else if (has.age && has.money) terms.push([0.5, "a claimed minor age with a price or payment"]);
  if (has.age && has.contact) terms.push([0.8, "a claimed minor age with contact elsewhere"]);
  if (has.age && has.material && has.contact) terms.push([1.5, "media or a menu for sale, a minor age and off-platform contact together"]);
  else if (has.age && has.money && has.contact) terms.push([0.5, "a price, a minor age and off-platform contact together"]);
  if (has.coded && (has.material || has.contact)) terms.push([1.2, "lexicon terms alongside goods for sale or contact elsewhere"]);
  if (w("media-goods") >= 0.9 && (has.money || isTrade) && has.contact) terms.push([0.8, "media for sale or trade, delivered off the platform"]);
  if (terms.length === 0) return undefined;
  let total = 0;
  for (const [x] of terms) total += x;
  return {
    name: "combination",
    weight: round(Math.min(CAPS.combination, total)),
    explanation: `Combination: ${terms.map(([x, why]) => `${why} (+${x})`).join("; ")}.`,
    spans: [],
  };
}

/** The logistic of the bias plus every signal weight. */
export function logistic(signals: Iterable<AdvertSignal>): number {
  let z = BIAS;
  for (const s of signals) z += s.weight;
  return 1 / (1 + Math.exp(-z));
}
