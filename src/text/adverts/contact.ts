import { findAll, vocabularyOf, type AdvertText, type Evidence } from "./evidence.js";

// Links read on the folded view, where "t.me/x", "t . me / x", "t(.)me/x" and look-alike letters all read "t me x".
const TELEGRAM_LINK = /\b(?:t ?me|telegram ?me|telegram ?dog|tg ?me) ?(?:joinchat |\+)?[a-z0-9_@][a-z0-9_]{2,}/gu;
const TELEGRAM_RAW = /\bt\.me\/[\w+]{3,64}/giu;
const DISCORD_INVITE = /\bdiscord(?: ?gg| com invite| app com invite) [a-z0-9]{2,}/gu;
const WHATSAPP_LINK = /\b(?:wa ?me|chat whatsapp com|api whatsapp com) ?[a-z0-9+]{3,}/gu;
const SIGNAL_LINK = /\bsignal (?:me|group) [a-z0-9#]/gu;
const FILE_LINK = /\b(?:mega ?nz|mega ?io|dropbox ?com|drive ?google ?com|docs ?google ?com|mediafire ?com|terabox ?com|gofile ?io|pcloud ?link|icedrive ?net|anonfiles ?com|1fichier ?com|send ?cm|krakenfiles ?com)\b/gu;
// On the raw text: ids that look like nothing else.
const SESSION_ID = /\b05[0-9a-fA-F]{64}\b/gu;
const DISCORD_TAG = /\b[\w.]{2,32}#\d{4}\b/gu;
const PHONE = /(?<![\w+])\+?\d[\d ().-]{7,16}\d(?!\d)/gu;
const WHATSAPP_WORD = /\b(?:whats ?app|wa|signal|telegram|tg)\b/iu;
const HANDLE = /@[A-Za-z0-9_.]{3,30}/gu;

/**
 * `off-platform-contact`: a move to another channel. Invite links
 * (t.me, discord.gg, wa.me), messaging apps named (Telegram, Wickr, Session,
 * Kik, Snapchat, Discord, WhatsApp), a Session id, a Discord tag, a phone
 * number (stronger next to "WhatsApp"), and a handle right after an app name.
 *
 * `file-host`: a file-hosting service named or linked (MEGA, Dropbox, Google Drive, ...).
 */
export function contactEvidence(text: AdvertText, out: Evidence[]): void {
  const o = text.original;
  const apps: Array<readonly [number, number]> = [];
  for (const { hit, kind } of vocabularyOf(text, "contact")) {
    const weight = kind === "private" ? 1.2 : kind === "social" ? 0.6 : 0.4;
    const label = kind === "private" ? "an encrypted or anonymous messenger" : kind === "social" ? "a messaging app" : "an invitation to talk elsewhere";
    out.push({ signal: "off-platform-contact", weight, start: hit.start, end: hit.end, label });
    if (kind !== "invite") apps.push([hit.start, hit.end]);
  }
  findAll(text.folded, o, TELEGRAM_LINK, () => ({ signal: "off-platform-contact", weight: 1.5, label: "a Telegram link" }), out);
  findAll(text.raw, o, TELEGRAM_RAW, () => ({ signal: "off-platform-contact", weight: 1.5, label: "a Telegram link" }), out);
  findAll(text.folded, o, DISCORD_INVITE, () => ({ signal: "off-platform-contact", weight: 1.0, label: "a Discord invite" }), out);
  findAll(text.folded, o, WHATSAPP_LINK, () => ({ signal: "off-platform-contact", weight: 1.2, label: "a WhatsApp link" }), out);
  findAll(text.folded, o, SIGNAL_LINK, () => ({ signal: "off-platform-contact", weight: 1.2, label: "a Signal link" }), out);
  findAll(text.raw, o, SESSION_ID, () => ({ signal: "off-platform-contact", weight: 1.5, label: "a Session messenger id" }), out);
  findAll(text.raw, o, DISCORD_TAG, () => ({ signal: "off-platform-contact", weight: 0.6, label: "a Discord tag" }), out);
  findAll(text.raw, o, PHONE, (m) => {
    const before = o.slice(Math.max(0, m.index - 24), m.index);
    return WHATSAPP_WORD.test(before)
      ? { signal: "off-platform-contact", weight: 1.2, label: "a messenger phone number" }
      : { signal: "off-platform-contact", weight: 0.2, label: "a phone number" };
  }, out);
  // A handle is ordinary on a social platform; next to an app name it is an address elsewhere.
  findAll(text.raw, o, HANDLE, (m) => {
    for (const [, end] of apps) if (m.index >= end && m.index - end <= 16) return { signal: "off-platform-contact", weight: 0.3, label: "a handle on another app" };
    return undefined;
  }, out);

  for (const { hit } of vocabularyOf(text, "file-host")) out.push({ signal: "file-host", weight: 1.0, start: hit.start, end: hit.end, label: "a file host named" });
  findAll(text.folded, o, FILE_LINK, () => ({ signal: "file-host", weight: 1.3, label: "a file-host link" }), out);
}
