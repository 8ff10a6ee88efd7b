import type { CaseDetail, TextSpan } from "../api/types";
import { networkPath } from "./account-name";
import { Link } from "../router";
import { formatAge, PriorityBadge, stateText } from "./badges";
import { HighlightedText } from "./highlighted-text";
import { fieldOf } from "./signal-list";

const ageBands: Record<string, string> = { under_13: "under 13", "13_15": "13–15", "16_17": "16–17", "18_plus": "18 or over", unknown: "unknown" };

/** The bio's matched spans, from the decisions that read this very bio (a later edit keeps its own). */
export function bioSpans(detail: CaseDetail): TextSpan[] {
  const bio = detail.account?.bio;
  if (!bio) return [];
  const spans: TextSpan[] = [];
  for (const decision of detail.decisions) {
    if (decision.texts.find((t) => t.field === "/account/bio")?.text !== bio) continue;
    for (const signal of decision.signals) if (fieldOf(signal) === "/account/bio") spans.push(...(signal.evidence.spans ?? []));
  }
  return spans;
}

/** Who the case is about: the profile as the platform describes it, and the account's earlier cases. */
export function CaseAccount({ detail, myId, canSeeNetwork }: { detail: CaseDetail; myId: string; canSeeNetwork: boolean }) {
  const account = detail.account;
  return (
    <section className="panel" aria-labelledby="account-title" data-testid="account-panel">
      <h2 id="account-title">Account</h2>
      <dl className="facts">
        <dt>id</dt>
        <dd>
          <code>{detail.accountId}</code>
        </dd>
        {detail.platformId !== undefined && (
          <>
            <dt>platform</dt>
            <dd data-testid="account-platform">{detail.platformId}</dd>
          </>
        )}
        <dt>handle</dt>
        <dd data-testid="account-handle">{account?.handle ?? <span className="muted">not sent</span>}</dd>
        <dt>display name</dt>
        <dd>{account?.displayName ?? <span className="muted">not sent</span>}</dd>
        <dt>bio</dt>
        <dd data-testid="account-bio">{account?.bio ? <HighlightedText text={account.bio} spans={bioSpans(detail)} /> : <span className="muted">none</span>}</dd>
        <dt>age band</dt>
        <dd>{account?.ageBand ? `${ageBands[account.ageBand] ?? account.ageBand} (${account.ageSource ?? "declared"})` : <span className="muted">not sent</span>}</dd>
        {account && account.earlierHandles.length > 0 && (
          <>
            <dt>earlier handles</dt>
            <dd>{account.earlierHandles.join(", ")}</dd>
          </>
        )}
      </dl>
      {canSeeNetwork && (
        <p>
          <Link to={networkPath(detail.accountId, detail.platformId)}>Network around this account</Link>
        </p>
      )}
      <h3>Earlier cases</h3>
      {detail.accountCases.length === 0 ? (
        <p className="muted small">None: this is the account's first case.</p>
      ) : (
        <ul className="small" data-testid="account-cases">
          {detail.accountCases.map((c) => (
            <li key={c.id}>
              <Link to={`/cases/${encodeURIComponent(c.id)}`}>{new Date(c.openedAt).toLocaleDateString()}</Link> <PriorityBadge priority={c.priority} /> {stateText(c, myId)}
              {c.state !== "decided" && <span className="muted"> · waiting {formatAge(c.ageSeconds)}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
