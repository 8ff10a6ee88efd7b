import { compileLexicon, type CompiledLexicon } from "../text/index.js";
import type { ContactService } from "./types.js";

/** An off-platform contact found in a text, normalised so that two spellings of one contact are equal. */
export interface Contact {
  kind: "payment" | "offsite-handle" | "link";
  /**
   * `service:handle` for a known service ("telegram:quietbird_77", "cashapp:mossyfunds"),
   * `email:…`, `phone:digits`, `crypto:address`, or for any other link its host and path
   * without scheme, "www.", tracking parameters or fragment ("shop.example/mossy").
   */
  value: string;
}

/**
 * Services recognised out of the box: the messengers, social apps and payment apps that
 * adverts move buyers to. Operators add their own with the linker's `services` option.
 */
export const BUILT_IN_SERVICES: readonly ContactService[] = [
  { name: "telegram", kind: "offsite-handle", words: ["telegram", "telegrm", "tg", "tele"], hosts: ["t.me", "telegram.me", "telegram.dog"] },
  { name: "whatsapp", kind: "offsite-handle", words: ["whatsapp", "whats app", "wa", "watsapp"], hosts: ["wa.me"] },
  { name: "signal", kind: "offsite-handle", words: ["signal"], hosts: [] },
  { name: "session", kind: "offsite-handle", words: ["session", "session id"], hosts: [] },
  { name: "wickr", kind: "offsite-handle", words: ["wickr", "wickr me"], hosts: [] },
  { name: "threema", kind: "offsite-handle", words: ["threema"], hosts: ["threema.id"] },
  { name: "kik", kind: "offsite-handle", words: ["kik"], hosts: ["kik.me"] },
  { name: "snapchat", kind: "offsite-handle", words: ["snapchat", "snap", "sc"], hosts: ["snapchat.com/add"] },
  { name: "discord", kind: "offsite-handle", words: ["discord"], hosts: ["discord.gg", "discord.com/invite", "discordapp.com/invite"] },
  { name: "instagram", kind: "offsite-handle", words: ["instagram", "insta", "ig"], hosts: ["instagram.com"] },
  { name: "tiktok", kind: "offsite-handle", words: ["tiktok"], hosts: ["tiktok.com"] },
  { name: "cashapp", kind: "payment", words: ["cashapp", "cash app"], hosts: ["cash.app", "cash.me"] },
  { name: "paypal", kind: "payment", words: ["paypal", "pp"], hosts: ["paypal.me", "paypal.com/paypalme"] },
  { name: "venmo", kind: "payment", words: ["venmo"], hosts: ["venmo.com", "account.venmo.com/u"] },
  { name: "kofi", kind: "payment", words: ["kofi", "ko fi"], hosts: ["ko-fi.com"] },
];

/** Options of {@link extractContacts}. */
export interface ContactOptions {
  /** Services beyond {@link BUILT_IN_SERVICES}. */
  services?: readonly ContactService[];
}

// After an app name: an optional separator word or sign, an optional "@", then the handle.
const AFTER_WORD = /^[\s\p{Cf}]*(?:(?:[:=>~\-–—➡→]+|\bis\b|\bat\b|\bon\b|\bid\b|\bme\b)[\s\p{Cf}]*)*([@＠]?)[\s\p{Cf}]*((?:[\p{L}\p{N}_.+-]|\p{Cf})+)/u;
const MAX_TEXT_CHARS = 100_000;
const PHONE_VALUE = /^\+?[\d\s().-]{8,18}\d/u;
const INVISIBLE = /[\p{Cf}\p{Mn}]/gu;
// "t(.)me", "t[.]me", "t . me", "t dot me": dots written so that filters miss the link.
const OBFUSCATED_DOT = /([\p{L}\p{N}])[ \t]*(?:[([{][ \t]*(?:\.|dot)[ \t]*[)\]}]|[ \t]\.[ \t]|[ \t]+dot[ \t]+)[ \t]*(?=[\p{L}\p{N}])/giu;
const COMMON_TLDS = "com|net|org|io|me|gg|app|co|xyz|info|link|ly|to|cc|tv|uk|de|fr|es|it|nl|ru|br|jp|ca|au|us|biz|site|online|store|shop|page|dev|club|live|example";
const URL = new RegExp(
  `(?<![\\p{L}\\p{N}_@.＠-])(?:(https?:\\/\\/)|www\\.)?((?:[a-z0-9-]+\\.)+(?:[a-z]{2,24}))((?:\\/[^\\s<>"'\\]\\)]*)?(?:\\?[^\\s<>"'\\]\\)#]*)?)`,
  "giu",
);
const COMMON_TLD = new RegExp(`^(?:${COMMON_TLDS})$`, "u");
const CASHTAG = /(?<![\p{L}\p{N}_$])\$([A-Za-z][A-Za-z0-9_-]{2,19})\b/gu;
const NOT_CASHTAGS = new Set(["usd", "eur", "gbp", "cad", "aud", "btc", "eth", "usdt"]);
const EMAIL = /(?<![\p{L}\p{N}_.+-])([A-Za-z0-9._%+-]{1,64})@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24})\b/gu;
const CRYPTO = /\b(bc1[a-z0-9]{25,60}|[13][a-km-zA-HJ-NP-Z1-9]{25,34}|0x[a-fA-F0-9]{40}|T[1-9A-HJ-NP-Za-km-z]{33})\b/gu;
const SESSION_ID = /\b(05[0-9a-fA-F]{64})\b/gu;
const DISCORD_TAG = /(?<![\w.])([\w.]{2,32}#\d{4})\b/gu;
const PHONE = /(?<![\w+])(\+\d[\d ().-]{7,16}\d)(?!\d)/gu;
// Query parameters that say where a click came from, not where it goes.
const TRACKING_PARAM = /^(?:utm_.*|fbclid|gclid|dclid|msclkid|igshid|igsh|si|ref|ref_src|ref_url|source|s|t|feature|mc_cid|mc_eid|_ga|_gl|share|shared|app)$/u;

const compiledWords = new WeakMap<readonly ContactService[], { lexicon: CompiledLexicon; services: readonly ContactService[] }>();
const NO_EXTRA: readonly ContactService[] = [];

function serviceWords(extra: readonly ContactService[]): { lexicon: CompiledLexicon; services: readonly ContactService[] } {
  let entry = compiledWords.get(extra);
  if (entry === undefined) {
    const services = [...BUILT_IN_SERVICES, ...extra];
    const entries = services.flatMap((s, i) => s.words.map((term) => ({ term, category: String(i), severity: "review" as const })));
    entry = { lexicon: compileLexicon({ entries }, { maxChars: Number.MAX_SAFE_INTEGER }), services };
    compiledWords.set(extra, entry);
  }
  return entry;
}

/**
 * The off-platform contacts in `text`, normalised: links to a known service
 * and "app name: handle" become the same `service:handle` ("t.me/QuietBird_77",
 * "telegram: @quietbird_77" and "tg quietbird_77" are all
 * `telegram:quietbird_77`); cashtags and cash-app links become `cashapp:name`;
 * other links lose scheme, "www.", tracking parameters and fragment; case is
 * folded everywhere. App names are read by the text matcher, so "t3legram" or
 * look-alike letters still count; "t(.)me/x" and "t dot me/x" read as links.
 *
 * @example
 * ```ts
 * extractContacts("menu on t(.)me/QuietBird_77 · pay $MossyFunds");
 * // [{ kind: "offsite-handle", value: "telegram:quietbird_77" }, { kind: "payment", value: "cashapp:mossyfunds" }]
 * ```
 *
 * Values are deduplicated, in order of first appearance. Only the first
 * 100,000 UTF-16 code units are read.
 */
export function extractContacts(text: string, options: ContactOptions = {}): Contact[] {
  if (text.length > MAX_TEXT_CHARS) text = text.slice(0, MAX_TEXT_CHARS);
  const out = new Map<string, Contact>();
  const add = (kind: Contact["kind"], value: string): void => {
    if (!out.has(value)) out.set(value, { kind, value });
  };
  const { lexicon, services } = serviceWords(options.services ?? NO_EXTRA);

  // "telegram: @x", "tg x_77", "whatsapp +1 555 …": a handle right after an app name.
  for (const hit of lexicon.match(text)) {
    const service = services[Number(hit.category)];
    // Part of a link ("chirp.example/x", "site.example/tg"): the link pattern reads those.
    if (/^[.\/][\p{L}\p{N}]/u.test(text.slice(hit.end, hit.end + 2)) || /[.\/]$/u.test(text.slice(Math.max(0, hit.start - 1), hit.start))) continue;
    const after = AFTER_WORD.exec(text.slice(hit.end, hit.end + 64));
    if (after === null) continue;
    if (service.name === "whatsapp" || service.name === "signal") {
      const phone = PHONE_VALUE.exec(text.slice(hit.end, hit.end + 64).replace(/^[\s:=>~\-–—➡→]*/u, ""));
      if (phone !== null) add(service.kind, `${service.name}:${phone[0].replace(/\D/gu, "")}`);
      if (service.name === "whatsapp") continue;
    }
    const hasAt = after[1] !== "";
    const handle = cleanHandle(after[2]);
    const separated = /[:=>~\-–—➡→]|\b(?:is|at|on|id|me)\b/u.test(text.slice(hit.end, hit.end + after.index + after[0].length - after[2].length));
    // "snap pics" is not a handle; "snap: pics", "snap @pics" and "snap pics_77" are.
    if (handle.length >= 3 && (hasAt || separated || /[_.\d]/u.test(handle))) add(service.kind, `${service.name}:${handle}`);
  }

  const clean = text.normalize("NFKC").replace(INVISIBLE, "").replace(OBFUSCATED_DOT, "$1.");
  URL.lastIndex = 0;
  for (let m = URL.exec(clean); m !== null; m = URL.exec(clean)) {
    const contact = linkContact(m[1] !== undefined || m[0].toLowerCase().startsWith("www."), m[2], m[3] ?? "", services);
    if (contact !== undefined) add(contact.kind, contact.value);
  }
  for (const m of clean.matchAll(EMAIL)) add("offsite-handle", `email:${m[1].toLowerCase().replace(/\+.*$/u, "")}@${m[2].toLowerCase()}`);
  for (const m of clean.matchAll(CASHTAG)) if (!NOT_CASHTAGS.has(m[1].toLowerCase())) add("payment", `cashapp:${m[1].toLowerCase()}`);
  for (const m of clean.matchAll(CRYPTO)) add("payment", `crypto:${/^(?:0x|bc1)/iu.test(m[1]) ? m[1].toLowerCase() : m[1]}`);
  for (const m of clean.matchAll(SESSION_ID)) add("offsite-handle", `session:${m[1].toLowerCase()}`);
  for (const m of clean.matchAll(DISCORD_TAG)) add("offsite-handle", `discord:${m[1].toLowerCase()}`);
  for (const m of clean.matchAll(PHONE)) {
    const digits = m[1].replace(/\D/gu, "");
    if (!out.has(`whatsapp:${digits}`) && !out.has(`signal:${digits}`)) add("offsite-handle", `phone:${digits}`);
  }
  return [...out.values()];
}

function cleanHandle(written: string): string {
  return written.replace(INVISIBLE, "").replace(/[.\-+]+$/u, "").replace(/^[@＠$.\-+]+/u, "").toLowerCase();
}

function linkContact(hasScheme: boolean, rawHost: string, rest: string, services: readonly ContactService[]): Contact | undefined {
  const host = rawHost.toLowerCase().replace(/^(?:www|m|mobile)\./u, "");
  const tld = host.slice(host.lastIndexOf(".") + 1);
  const hashAt = rest.indexOf("#");
  const withoutFragment = hashAt >= 0 ? rest.slice(0, hashAt) : rest;
  const queryAt = withoutFragment.indexOf("?");
  const path = (queryAt >= 0 ? withoutFragment.slice(0, queryAt) : withoutFragment).replace(/[.,!;:]+$/u, "").toLowerCase();
  const segments = path.split("/").filter((s) => s.length > 0);

  for (const service of services) {
    for (const serviceHost of service.hosts) {
      const [sHost, ...sPath] = serviceHost.split("/");
      if (host !== sHost || sPath.some((p, i) => segments[i] !== p)) continue;
      const handle = cleanHandle(segments[sPath.length] ?? "");
      if (handle.length < 2) return undefined;
      return { kind: service.kind, value: `${service.name}:${service.name === "whatsapp" ? handle.replace(/\D/gu, "") : handle}` };
    }
  }
  // Without a scheme, "name.word" is too often a sentence with a missing space; only common TLDs count.
  if (!hasScheme && !COMMON_TLD.test(tld)) return undefined;
  const query = queryAt >= 0 ? withoutFragment.slice(queryAt + 1) : "";
  const kept = query
    .split("&")
    .filter((pair) => pair.length > 0 && !TRACKING_PARAM.test(pair.split("=")[0].toLowerCase()))
    .map((pair) => pair.toLowerCase())
    .sort();
  return { kind: "link", value: `${host}${segments.length > 0 ? `/${segments.join("/")}` : ""}${kept.length > 0 ? `?${kept.join("&")}` : ""}` };
}
