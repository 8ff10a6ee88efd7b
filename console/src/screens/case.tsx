import { useEffect, useState } from "react";
import { AccountName } from "../components/account-name";
import { claimCase, claimNext, decideCase, getCase, releaseCase } from "../api/cases";
import { ApiError } from "../api/http";
import type { DecisionExtra, ReviewerDecision } from "../api/types";
import { actorName, formatAge, PriorityBadge, RestrictedBadge, stateText } from "../components/badges";
import { CaseAccount } from "../components/case-account";
import { CaseHistory } from "../components/case-history";
import { CaseReports } from "../components/case-reports";
import { DecisionBar, type DialogKind } from "../components/decision-bar";
import { MediaPanel } from "../components/media-panel";
import { SignalList } from "../components/signal-list";
import { useAsync } from "../components/use-async";
import { startRestrictedWork } from "../restricted-timer";
import { reportReaders, reviewers, type ScreenProps } from "../routes";
import { Link, navigate, useLocation } from "../router";
import { formatDuration, useHasRole, useNow, useSession } from "../session";
import { useShortcuts } from "../shortcuts";

export default function CaseScreen({ params }: ScreenProps) {
  const id = params.id!;
  const { session } = useSession();
  const { search } = useLocation();
  const me = `user:${session.user.id}`;
  const canReview = useHasRole(reviewers);
  const canSeeNetwork = session.user.role === "child_safety_reviewer";
  const canSeeReports = useHasRole(reportReaders);
  const loaded = useAsync(() => getCase(id), [id]);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: "info" | "error"; text: string } | null>(null);
  const [dialog, setDialog] = useState<DialogKind>(null);
  const now = useNow(1000);
  const detail = loaded.value;

  // Time on restricted cases is counted while one is on screen.
  const isRestricted = detail?.restricted === true;
  useEffect(() => (isRestricted ? startRestrictedWork() : undefined), [isRestricted]);

  const isDecided = detail?.state === "decided";
  const heldByMe = detail?.state === "claimed" && detail.claimedBy === me;
  const heldByOther = detail?.state === "claimed" && detail.claimedBy !== me;
  const mayDecide = canReview && !!detail && !isDecided && !heldByOther;

  const act = async (what: () => Promise<string>) => {
    setBusy(true);
    setMessage(null);
    try {
      setMessage({ kind: "info", text: await what() });
    } catch (error) {
      setMessage({ kind: "error", text: error instanceof ApiError ? error.message : String(error) });
    } finally {
      setBusy(false);
      loaded.reload();
    }
  };
  const claim = () => act(async () => ((await claimCase(id)), "Claimed: nobody else can decide this case while you hold it."));
  const release = () => act(async () => ((await releaseCase(id)), "Released to the queue."));
  const decide = (decision: ReviewerDecision, extra: DecisionExtra) =>
    act(async () => {
      // Deciding a case nobody holds claims it first: the server requires the claim, the reviewer need not think of it.
      if (!heldByMe) await claimCase(id);
      const result = await decideCase(id, decision, extra);
      setDialog(null);
      const sent = result.actions.length;
      return decision === "escalate"
        ? "Escalated: the case is back in the queue as urgent. Press n for the next case."
        : `Decided: ${decision}${extra.category ? ` (${[extra.category, extra.industryClassification].filter(Boolean).join(", ")})` : ""}, ${sent} action${sent === 1 ? "" : "s"} sent to the platform. Press n for the next case.`;
    });
  const next = () =>
    act(async () => {
      const filters = Object.fromEntries(search) as Record<string, string>;
      const claimed = await claimNext(filters);
      if (!claimed) return "Nothing free to claim: the queue is clear.";
      navigate(`/cases/${encodeURIComponent(claimed.id)}${search.size ? `?${search}` : ""}`);
      return "";
    });

  useShortcuts([
    { key: "n", label: "next case", run: () => void next(), disabled: !canReview || busy },
    { key: "a", label: "claim", run: () => void claim(), disabled: !mayDecide || heldByMe || busy },
    { key: "c", label: "confirm…", run: () => setDialog("confirm"), disabled: !mayDecide || busy },
    { key: "d", label: "dismiss", run: () => void decide("dismiss", {}), disabled: !mayDecide || busy },
    { key: "e", label: "escalate", run: () => void decide("escalate", {}), disabled: !mayDecide || busy },
    { key: "s", label: "safeguard…", run: () => setDialog("safeguard"), disabled: !mayDecide || busy },
    { key: "q", label: "queue", run: () => navigate("/") },
    { key: "?", label: "all shortcuts", run: () => navigate("/shortcuts") },
  ]);

  if (loaded.status === "error" && !detail) {
    const notFound = loaded.error instanceof ApiError && loaded.error.status === 404;
    return (
      <section className="empty" data-testid="case-missing">
        <h1>{notFound ? "No such case" : "The case could not be loaded"}</h1>
        <p>{notFound ? `There is no case "${id}" that you may see.` : loaded.error.message}</p>
        <Link to="/">Back to the queue</Link>
      </section>
    );
  }
  if (!detail) return <p className="muted">Loading the case…</p>;

  const claimLeftMs = detail.claimExpiresAt ? Date.parse(detail.claimExpiresAt) - now : 0;
  return (
    <article aria-labelledby="case-title" data-testid="case-screen" data-case-id={detail.id}>
      <header className="toolbar case-head">
        <h1 id="case-title">
          Case for <AccountName id={detail.accountId} platformId={detail.platformId} />
        </h1>
        <PriorityBadge priority={detail.priority} />
        {detail.restricted && <RestrictedBadge />}
        <span data-testid="case-state">{stateText(detail, session.user.id)}</span>
        {detail.state === "claimed" && detail.claimExpiresAt && (
          <span className={claimLeftMs < 2 * 60_000 ? "badge urgent" : "muted"} data-testid="claim-expiry">
            {actorName(detail.claimedBy, session.user.id) === "you" ? "your" : "their"} claim ends in {formatDuration(claimLeftMs)} (at{" "}
            {new Date(detail.claimExpiresAt).toLocaleTimeString()})
          </span>
        )}
        <span className="muted small">
          opened {formatAge(detail.ageSeconds)} ago · {detail.decisionCount} automated decision{detail.decisionCount === 1 ? "" : "s"}
          {detail.reportRequested ? " · a CyberTipline report was requested" : ""}
        </span>
        <span className="spacer" />
        {canReview && !isDecided && !heldByMe && !heldByOther && (
          <button type="button" onClick={() => void claim()} disabled={busy} data-testid="claim">
            Claim <kbd>a</kbd>
          </button>
        )}
        {heldByMe && (
          <button type="button" onClick={() => void release()} disabled={busy} data-testid="release">
            Release
          </button>
        )}
        {canReview && (
          <button type="button" onClick={() => void next()} disabled={busy} data-testid="next-case">
            Next case <kbd>n</kbd>
          </button>
        )}
      </header>
      {message?.text && (
        <p className={`banner ${message.kind}`} role={message.kind === "error" ? "alert" : "status"} data-testid="case-message">
          {message.text}
        </p>
      )}
      {heldByOther && <p className="banner warn">Someone else holds this case; you can read it but not decide it until they release it or the claim ends.</p>}
      {isDecided && (
        <p className="banner info" data-testid="case-decided">
          Decided {detail.outcome}
          {detail.outcomeCategory ? ` (${detail.outcomeCategory})` : ""} by {actorName(detail.decidedBy, session.user.id)} at {new Date(detail.decidedAt!).toLocaleString()}
          {detail.note ? `: ${detail.note}` : ""}.
        </p>
      )}
      <div className="grid2">
        <div>
          <MediaPanel caseId={detail.id} canReveal={canReview} />
          <section className="panel" aria-labelledby="why-title">
            <h2 id="why-title">Why this case is here</h2>
            {detail.decisions.map((d) => (
              <div key={d.id} className="decision" data-testid="automated-decision">
                <h3>
                  Event <code>{d.eventId}</code> <span className="muted small">{new Date(d.createdAt).toLocaleString()} · policy set v{d.policyVersion}</span>
                </h3>
                <ul className="policy-decisions">
                  {d.decisions.map((p, i) => (
                    <li key={i} data-testid="policy-decision">
                      <strong>{p.decision}</strong>
                      {p.priority ? ` (${p.priority})` : ""} by policy <code>{p.policyId}</code>: {p.explanation}
                    </li>
                  ))}
                  {d.shadow.map((p, i) => (
                    <li key={`s${i}`} className="muted">
                      shadow policy <code>{p.policyId}</code> would have decided {p.decision}: {p.explanation}
                    </li>
                  ))}
                </ul>
                <SignalList decision={d} canSeeNetwork={canSeeNetwork} />
              </div>
            ))}
          </section>
        </div>
        <div>
          {canReview && <DecisionBar key={detail.id} detail={detail} enabled={mayDecide} busy={busy} dialog={dialog} setDialog={setDialog} onDecide={(d, e) => void decide(d, e)} />}
          <CaseAccount detail={detail} myId={session.user.id} canSeeNetwork={canSeeNetwork} />
          {/* Keyed on the state too: deciding the case may open a report. */}
          {canSeeReports && <CaseReports key={`${detail.id}:${detail.state}`} caseId={detail.id} />}
          <CaseHistory detail={detail} myId={session.user.id} />
        </div>
      </div>
    </article>
  );
}
