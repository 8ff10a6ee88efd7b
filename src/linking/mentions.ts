import { compileLexicon, type CompiledLexicon, type TextHit } from "../text/index.js";

/** What a text says the account it mentions is. */
export type MentionRole = "backup" | "main" | "mention";

/** One "@handle" in a text and the role the text gives it. */
export interface Mention {
  /** The handle as written, without "@" and without invisible characters. */
  handle: string;
  /**
   * `main`: the text names the handle as the writer's main, old or banned account ("backup of @x",
   * "if @x goes down follow here"). `backup`: as the writer's backup or new account ("my backup
   * @y", "if this gets banned follow @y"). `mention`: anything else ("follow @bigstar").
   */
  role: MentionRole;
  /** The words that gave the role, with the handle, as written ("b4ckup 0f @mossy_teacup"). */
  phrase: string;
  /** Where the "@" and handle are in the text, in UTF-16 code units. */
  start: number;
  end: number;
}

// Cue classes: where a cue stands relative to the handle, and the role it gives.
type CueClass = "pre-main" | "pre-backup" | "follow" | "ban-condition" | "post-main" | "post-backup";

/**
 * The cue phrases. They go through the text matcher, so "b4ckup 0f", "bkp4", "b a c k u p of",
 * look-alike letters and invisible characters read as written here. Terms of at most four
 * letters match whole words only ("bkp" is not found inside "bkpx").
 */
const CUES: ReadonlyArray<readonly [CueClass, readonly string[]]> = [
  ["pre-main", [
    ...["backup", "back up", "bkp", "bckp", "bkup", "bck up", "backup acc", "backup account", "backup page", "2nd acc", "2nd account", "second acc", "second account", "alt", "alt acc", "new acc", "new account", "spare acc"]
      .flatMap((w) => [`${w} of`, `${w} for`, `${w} 4`, `${w} to`]),
    "old acc", "old account", "old acct", "old page", "old one", "old one was", "old acc was", "main", "main acc", "main account", "main is",
    "my main", "my main is", "main acc is", "my main acc", "formerly", "previously", "prev acc", "used to be", "moved from", "came from",
    "real acc", "real account", "og acc", "og account", "fka", "was",
  ]],
  ["pre-backup", [
    "backup", "back up", "bkp", "bckp", "bkup", "my backup", "my backup is", "backup is", "backup acc", "backup account", "backup acc is", "backup page",
    "follow my backup", "follow backup", "new acc", "new account", "new acc is", "new page", "my new acc", "my new account", "moved to", "moving to", "now at",
    "2nd acc", "second acc", "alt acc", "my alt", "spare acc",
  ]],
  ["follow", ["follow", "follow me at", "follow me on", "go to", "find me at", "find me on", "come to", "head to", "join", "dm", "message"]],
  ["ban-condition", [
    ...["banned", "deleted", "suspended", "taken down", "removed", "nuked"].flatMap((w) => [
      `if ${w}`, `if i get ${w}`, `if im ${w}`, `if this gets ${w}`, `if this acc gets ${w}`, `if this account gets ${w}`, `in case i get ${w}`,
      `in case this gets ${w}`, `when this gets ${w}`, `if we get ${w}`,
    ]),
    "in case of ban", "if this goes down", "if i go down", "if this acc goes down", "if this page goes down",
  ]],
  ["post-main", [
    ...["banned", "deleted", "suspended", "taken down", "removed", "nuked", "hacked", "locked"].flatMap((w) => [`gets ${w}`, `got ${w}`, `was ${w}`, `is ${w}`, `goes ${w}`]),
    "goes down", "went down", "is gone", "is my main", "is the main", "is my old acc", "is my old account", "s backup", "s bkp", "s backup acc", "s backup account",
    // "@x's art account": the writer is a second account of x.
    ...["alt", "side", "second", "2nd", "other", "spare", "art", "shop", "personal", "private", "wip", "spam", "fan"].flatMap((w) => [`s ${w} acc`, `s ${w} account`, `s ${w} page`]),
    "s alt",
  ]],
  ["post-backup", ["is my backup", "is the backup", "is my bkp", "is my new acc", "is my new account", "is my alt", "is my 2nd acc", "is my second acc"]],
];

let compiledCues: CompiledLexicon | undefined;

// Compiled once on first use, immutable afterwards (like the advert vocabulary).
function cueLexicon(): CompiledLexicon {
  if (compiledCues === undefined) {
    const seen = new Set<string>();
    const entries = [];
    for (const [cls, terms] of CUES) {
      for (const term of terms) {
        if (seen.has(`${cls}\u0000${term}`)) continue;
        seen.add(`${cls}\u0000${term}`);
        entries.push({ term, category: cls, severity: "review" as const });
      }
    }
    compiledCues = compileLexicon({ entries }, { spacedMinLetters: 6, maxChars: Number.MAX_SAFE_INTEGER });
  }
  return compiledCues;
}

// "@" (or a full-width or small "@"), an optional space, then handle characters; invisible
// characters and marks may hide inside. Not after a word character: "name@host" is an e-mail.
const MENTION = /(?<![\p{L}\p{N}_.@＠﹫])[@＠﹫] ?((?:[\p{L}\p{N}_.]|[\p{Cf}\p{Mn}])+)/gu;
const INVISIBLE = /[\p{Cf}\p{Mn}]/gu;
const MAX_HANDLE_CHARS = 40;
// A cue and its handle stand in one clause.
const CLAUSE_BREAK = /[.!?;|\n,()[\]{}]/u;
const PRE_GAP_MAX = 16;
const POST_GAP_MAX = 12;
const CONDITION_GAP_MAX = 48;
// Longest cue match considered (a cue spread out letter by letter is still short).
const MAX_CUE_CHARS = 80;
// How far before a handle its cues may start: a ban condition, then "follow", then the gap.
const REACH_BEFORE = PRE_GAP_MAX + CONDITION_GAP_MAX + 2 * MAX_CUE_CHARS;
/** Only the first 100,000 UTF-16 code units of a text are read. */
const MAX_TEXT_CHARS = 100_000;

/**
 * Every "@handle" in `text`, each with the role the text gives it: `main`
 * (the writer presents itself as the backup or new account of the handle),
 * `backup` (the handle is the writer's backup or new account) or `mention`.
 * Cue words are read by the text matcher, so leetspeak, look-alike letters,
 * spread-out letters and invisible characters do not hide them.
 *
 * @example
 * ```ts
 * extractMentions("b4ckup 0f @mossy_teacup");
 * // [{ handle: "mossy_teacup", role: "main", phrase: "b4ckup 0f @mossy_teacup", start: 10, end: 23 }]
 * extractMentions("if this gets banned follow @quiet_bird");  // role "backup"
 * extractMentions("new acc, old one @x got taken down");      // role "main"
 * extractMentions("follow @bigstar");                         // role "mention"
 * ```
 *
 * ## Bounded work
 * Only the first 100,000 UTF-16 code units are read; work is linear in the text
 * (each handle looks only at the cues near it).
 *
 * ## Caveat
 * The role is what the text claims, not what is true: "2nd acc of @x, main got
 * hacked" is a `main` mention between two ordinary accounts. Deciding what a
 * claim is worth is the caller's business.
 */
export function extractMentions(text: string): Mention[] {
  if (text.length > MAX_TEXT_CHARS) text = text.slice(0, MAX_TEXT_CHARS);
  const found: Array<{ handle: string; start: number; end: number }> = [];
  MENTION.lastIndex = 0;
  for (let m = MENTION.exec(text); m !== null; m = MENTION.exec(text)) {
    let written = m[1];
    // A full stop after a handle ends the sentence; it is not part of the handle.
    while (written.endsWith(".")) written = written.slice(0, -1);
    const handle = written.replace(INVISIBLE, "");
    if (handle.length < 2 || handle.length > MAX_HANDLE_CHARS) continue;
    found.push({ handle, start: m.index, end: m.index + m[0].length - (m[1].length - written.length) });
  }
  if (found.length === 0) return [];

  // Cue words inside a handle ("@mossy_bkp") are part of the name, not a cue. Mentions are
  // sorted and disjoint, so the one a cue could overlap is found by binary search.
  const cues = cueLexicon()
    .match(text)
    .filter((hit) => hit.end - hit.start <= MAX_CUE_CHARS)
    .filter((hit) => {
      const i = lastStartingBefore(found, hit.end);
      return i < 0 || found[i].end <= hit.start;
    })
    .sort((a, b) => a.start - b.start);
  const cueStarts = cues.map((c) => c.start);

  return found.map((mention, i) => {
    const previousEnd = i > 0 ? found[i - 1].end : 0;
    const nextStart = i + 1 < found.length ? found[i + 1].start : text.length;
    // Only cues near the handle can give it a role: bounded work per mention.
    const from = lowerBound(cueStarts, mention.start - REACH_BEFORE);
    let to = from;
    while (to < cues.length && cues[to].start <= mention.end + POST_GAP_MAX) to++;
    const role = roleOf(text, mention, cues.slice(from, to), previousEnd, nextStart);
    const phrase = role === undefined ? text.slice(mention.start, mention.end) : text.slice(Math.min(role.start, mention.start), Math.max(role.end, mention.end));
    return { handle: mention.handle, role: role?.role ?? "mention", phrase, start: mention.start, end: mention.end };
  });
}

/** Index of the last span starting before `position`, or -1. */
function lastStartingBefore(spans: ReadonlyArray<{ start: number }>, position: number): number {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid].start < position) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** First index whose value is at least `value` in an ascending array. */
function lowerBound(values: readonly number[], value: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface RoleCue {
  role: "main" | "backup";
  start: number;
  end: number;
}

function roleOf(text: string, mention: { start: number; end: number }, cues: readonly TextHit[], previousEnd: number, nextStart: number): RoleCue | undefined {
  // After the handle: "@x got taken down", "@x's backup", "@x is my backup". The cue nearest the handle wins.
  let post: TextHit | undefined;
  for (const hit of cues) {
    if (hit.category !== "post-main" && hit.category !== "post-backup") continue;
    if (hit.start < mention.end || hit.end > nextStart || hit.start - mention.end > POST_GAP_MAX) continue;
    if (CLAUSE_BREAK.test(text.slice(mention.end, hit.start))) continue;
    if (post === undefined || hit.start < post.start || (hit.start === post.start && hit.end > post.end)) post = hit;
  }
  if (post !== undefined) return { role: post.category === "post-main" ? "main" : "backup", start: post.start, end: post.end };

  // Before the handle: the cue ending nearest to it, the longest of those ("backup of" over "backup").
  let pre: TextHit | undefined;
  for (const hit of cues) {
    if (hit.category === "post-main" || hit.category === "post-backup" || hit.category === "ban-condition") continue;
    if (hit.end > mention.start || hit.start < previousEnd || mention.start - hit.end > PRE_GAP_MAX) continue;
    if (CLAUSE_BREAK.test(text.slice(hit.end, mention.start))) continue;
    if (pre === undefined || hit.end > pre.end || (hit.end === pre.end && hit.start < pre.start)) pre = hit;
  }
  if (pre === undefined) return undefined;
  // "was @x" names an old account only when the clause ends there ("(was @x)"), not in "i was @x's fan".
  if (pre.term === "was" && !/^\s*(?:$|[.!?;|\n,)\]}])/u.test(text.slice(mention.end, mention.end + 4))) return undefined;
  if (pre.category === "pre-main") return { role: "main", start: pre.start, end: pre.end };
  if (pre.category === "pre-backup") return { role: "backup", start: pre.start, end: pre.end };

  // "follow @x" is an ordinary mention unless a ban is the condition: "if this gets banned follow @x".
  for (const hit of cues) {
    if (hit.category !== "ban-condition" || hit.end > pre.start || hit.start < previousEnd || pre.start - hit.end > CONDITION_GAP_MAX) continue;
    if (/[.!?;|\n]/u.test(text.slice(hit.end, pre.start))) continue;
    return { role: "backup", start: hit.start, end: pre.end };
  }
  return undefined;
}
