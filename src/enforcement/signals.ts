import type { ActionTarget } from "../actions/index.js";
import { accountKeyOf, describeAccount, minorAgeBands, type EventSignal, type PlatformEvent } from "../events/index.js";
import { hashMatchSignals, textSignals, type AgeBandSignal, type Signal, type UserReportSignal } from "../policy/index.js";

const maxQuotedReason = 200;

/**
 * The account an event is about, and the content a hold or block would hide.
 * `authorOf` looks up who posted reported content; a report about content
 * Lapwing has never seen is filed under the content itself (`post:<id>`), so
 * it still reaches a reviewer.
 *
 * Account ids are per platform: `accountId` is the account's scoped key on the
 * event's platform (src/events/tenancy.ts; the bare id on the default
 * platform), and `authorOf` takes and gives scoped keys too. `content` holds
 * the platform's own content id: an action names its platform beside it.
 */
export interface Subject {
  /** The account's scoped key (the bare id on the default platform). */
  accountId: string;
  /** What a hold or block hides. */
  content: ActionTarget;
  /** False when `accountId` stands for reported content whose author is unknown. */
  isAccountKnown: boolean;
}

export async function subjectOf(event: PlatformEvent, authorOf: (contentKey: string) => Promise<string | undefined>): Promise<Subject | undefined> {
  const key = (id: string) => accountKeyOf(event, id);
  switch (event.type) {
    case "account.created":
    case "account.updated":
      return { accountId: key(event.account.id), content: { type: "account", id: event.account.id }, isAccountKnown: true };
    case "post.created":
    case "post.updated":
      return { accountId: key(event.post.author_id), content: { type: "post", id: event.post.id }, isAccountKnown: true };
    case "comment.created":
      return { accountId: key(event.comment.author_id), content: { type: "comment", id: event.comment.id }, isAccountKnown: true };
    case "report.created": {
      const target = event.report.target;
      if (target.type === "account") return { accountId: key(target.id), content: target, isAccountKnown: true };
      const author = target.author_id !== undefined ? key(target.author_id) : await authorOf(key(target.id));
      return author ? { accountId: author, content: target, isAccountKnown: true } : { accountId: key(`${target.type}:${target.id}`), content: target, isAccountKnown: false };
    }
    default:
      // Follows, interactions, deletions and the platform's own outcomes carry no detector signals yet.
      return undefined;
  }
}

/**
 * The policy signals of one event: its detector findings (text hits and
 * advert scores, hash matches) and, for a report, the report itself. Evidence
 * ids name the event and the content, so a reviewer can find both.
 */
export function eventPolicySignals(eventId: string, event: PlatformEvent, found: readonly EventSignal[], content: ActionTarget): Signal[] {
  const ids = [`event:${eventId}`, `${content.type}:${content.id}`];
  const signals: Signal[] = [];
  for (const signal of found) {
    if (signal.kind === "text") signals.push(...textSignals({ hits: signal.hits, advert: signal.advert }, signal.contentKind, [...ids, `field:${signal.field}`]));
    else if (signal.kind === "media.match") signals.push(...hashMatchSignals(signal.matches, [...ids, `field:${signal.field}`]));
  }
  if (event.type === "report.created") signals.push(reportSignal(event));
  return signals;
}

function reportSignal(event: Extract<PlatformEvent, { type: "report.created" }>): UserReportSignal {
  const { report } = event;
  const quoted = report.reason.length > maxQuotedReason ? `${report.reason.slice(0, maxQuotedReason)}…` : report.reason;
  return {
    type: "user-report",
    reportReason: report.category ?? "unspecified",
    reason: `Account ${report.reporter_id} reported ${report.target.type} ${report.target.id}${report.category ? ` for ${report.category}` : ""}${quoted.trim() ? `: "${quoted.trim()}"` : ""}`,
    evidence: { ids: [`report:${report.id}`, `${report.target.type}:${report.target.id}`] },
  };
}

/** A match against known child sexual abuse material: it makes the case restricted (docs/cases.md). */
export function isChildSexualAbuseMatch(signal: Signal): boolean {
  return signal.type === "hash-match" && signal.category === "csam";
}

/** True for the bands that mean the account holder is under 18. */
export function isMinorBand(band: string | null | undefined): boolean {
  return band !== null && band !== undefined && minorAgeBands.has(band);
}

/** The account's age band as a signal, when the platform has sent one. */
export function ageBandSignal(accountId: string, band: string | null, source: string | null): AgeBandSignal | undefined {
  if (!band || band === "unknown") return undefined;
  const isMinor = isMinorBand(band);
  return {
    type: "age-band",
    isMinor,
    basis: source ?? "declared",
    band,
    reason: `The platform ${source === "estimated" ? "estimates" : "says"} account ${describeAccount(accountId)} is ${isMinor ? "a minor" : "an adult"} (age band ${band})`,
    evidence: { ids: [`account:${accountId}`] },
  };
}
