import { useEffect, useState } from "react";
import { claimNext, listCases, type QueueFilters } from "../api/cases";
import { ApiError } from "../api/http";
import type { CaseSummary } from "../api/types";
import { actorName, formatAge, PriorityBadge, RestrictedBadge, stateText } from "../components/badges";
import { useAsync } from "../components/use-async";
import { reviewers, type ScreenProps } from "../routes";
import { navigate, useLocation } from "../router";
import { formatDuration, useHasRole, useNow, useSession } from "../session";
import { useShortcuts } from "../shortcuts";

/** Signal types a case can be filtered on (src/policy/signals.ts). */
export const signalTypes = ["hash-match", "lexicon-hit", "advert-score", "user-report", "age-band", "network-score", "network.targeted", "ban-evasion-link"] as const;
const refreshMs = 15_000;
const filterKeys = ["state", "priority", "signal", "policy", "assignee", "restricted", "account", "platform_id"] as const;

function filtersFrom(search: URLSearchParams): QueueFilters {
  const filters: Record<string, string> = {};
  for (const key of filterKeys) {
    const value = search.get(key);
    if (value) filters[key] = value;
  }
  return filters as QueueFilters;
}

export default function Queue(_props: ScreenProps) {
  const { session } = useSession();
  const { search } = useLocation();
  const filters = filtersFrom(search);
  const filterText = JSON.stringify(filters);
  const canReview = useHasRole(reviewers);
  const mayRestricted = session.user.role === "child_safety_reviewer";
  const queue = useAsync(() => listCases(filters, { limit: 200 }), [filterText]);
  const [selected, setSelected] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const [claiming, setClaiming] = useState(false);
  const now = useNow(1000);

  useEffect(() => {
    const timer = setInterval(queue.reload, refreshMs);
    return () => clearInterval(timer);
  }, [queue.reload]);

  const cases = queue.value?.cases ?? [];
  const counts = queue.value?.counts;

  const setFilter = (key: (typeof filterKeys)[number], value: string) => {
    const next = new URLSearchParams(search);
    if (value) next.set(key, value);
    else next.delete(key);
    const query = next.toString();
    navigate(query ? `/?${query}` : "/", { replace: true });
    setSelected(0);
  };

  const next = async () => {
    setClaiming(true);
    setNotice(null);
    try {
      const claimed = await claimNext(filters);
      if (claimed) navigate(caseLink(claimed.id));
      else {
        setNotice("Nothing free to claim with these filters: every case is decided or held by someone.");
        queue.reload();
      }
    } catch (error) {
      setNotice(error instanceof ApiError ? error.message : String(error));
    } finally {
      setClaiming(false);
    }
  };
  // The case screen keeps the queue's filters, so its "next case" takes the next one of this view.
  const caseLink = (id: string) => `/cases/${encodeURIComponent(id)}${search.size ? `?${search}` : ""}`;
  const open = (c: CaseSummary | undefined) => c && navigate(caseLink(c.id));

  useShortcuts([
    { key: "n", label: "claim next case", run: () => void next(), disabled: !canReview || claiming },
    { key: "j", label: "down", run: () => setSelected((i) => Math.min(i + 1, Math.max(cases.length - 1, 0))) },
    { key: "k", label: "up", run: () => setSelected((i) => Math.max(i - 1, 0)) },
    { key: "o", label: "open selected", run: () => open(cases[selected]) },
    { key: "?", label: "all shortcuts", run: () => navigate("/shortcuts") },
  ]);

  return (
    <section aria-labelledby="queue-title">
      <div className="toolbar">
        <h1 id="queue-title">Review queue</h1>
        {canReview && (
          <button type="button" className="primary" onClick={() => void next()} disabled={claiming} data-testid="claim-next">
            {claiming ? "Claiming…" : "Claim next case"} <kbd>n</kbd>
          </button>
        )}
      </div>
      <form className="toolbar" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          State
          <select value={filters.state ?? ""} onChange={(e) => setFilter("state", e.target.value)} data-testid="filter-state">
            <option value="">undecided (all)</option>
            <option value="open">open</option>
            <option value="claimed">claimed</option>
            <option value="escalated">escalated</option>
            <option value="decided">decided</option>
          </select>
        </label>
        <label>
          Priority
          <select value={filters.priority ?? ""} onChange={(e) => setFilter("priority", e.target.value)}>
            <option value="">any</option>
            <option value="urgent">urgent</option>
            <option value="high">high or more</option>
            <option value="normal">normal or more</option>
          </select>
        </label>
        <label>
          Signal
          <select value={filters.signal ?? ""} onChange={(e) => setFilter("signal", e.target.value)} data-testid="filter-signal">
            <option value="">any</option>
            {signalTypes.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label>
          Policy
          <input
            defaultValue={filters.policy ?? ""}
            placeholder="policy id"
            size={18}
            onBlur={(e) => setFilter("policy", e.target.value.trim())}
            onKeyDown={(e) => e.key === "Enter" && setFilter("policy", e.currentTarget.value.trim())}
          />
        </label>
        <label>
          Assignee
          <select value={filters.assignee ?? ""} onChange={(e) => setFilter("assignee", e.target.value)}>
            <option value="">anyone</option>
            <option value="me">me</option>
            <option value="none">nobody</option>
          </select>
        </label>
        {mayRestricted && (
          <label>
            Restricted
            <select value={filters.restricted ?? ""} onChange={(e) => setFilter("restricted", e.target.value)} data-testid="filter-restricted">
              <option value="">both</option>
              <option value="true">restricted only</option>
              <option value="false">not restricted</option>
            </select>
          </label>
        )}
      </form>
      {counts && (
        <div className="counts" data-testid="queue-counts">
          <span>
            <strong>{counts.total}</strong> cases
          </span>
          <span>
            {counts.byPriority.urgent} urgent · {counts.byPriority.high} high · {counts.byPriority.normal} normal · {counts.byPriority.low} low
          </span>
          <span>
            {counts.byState.open} open · {counts.byState.claimed} claimed · {counts.byState.escalated} escalated
            {counts.byState.decided ? ` · ${counts.byState.decided} decided` : ""}
          </span>
        </div>
      )}
      {notice && (
        <p className="banner info" role="status" data-testid="queue-notice">
          {notice}
        </p>
      )}
      {queue.status === "error" && <p className="banner error">{queue.error.message}</p>}
      {queue.status === "loading" && !queue.value && <p className="muted">Loading the queue…</p>}
      {queue.value && cases.length === 0 && <p className="empty muted">No cases match. The queue is clear.</p>}
      {cases.length > 0 && (
        <table data-testid="queue-table">
          <thead>
            <tr>
              <th>Priority</th>
              <th>Account</th>
              <th>State</th>
              <th>Waiting</th>
              <th>Decisions</th>
            </tr>
          </thead>
          <tbody>
            {cases.map((c, i) => (
              <tr key={c.id} className={i === selected ? "selected clickable" : "clickable"} onClick={() => open(c)} data-testid="queue-row" aria-selected={i === selected}>
                <td>
                  <PriorityBadge priority={c.priority} /> {c.restricted && <RestrictedBadge />}
                </td>
                <td>
                  <a href={caseLink(c.id)} onClick={(e) => (e.preventDefault(), open(c))}>
                    {c.accountId}
                  </a>
                  {c.platformId !== undefined && <span className="muted small"> on {c.platformId}</span>}
                  {c.reportRequested && <span className="muted small"> · report requested</span>}
                </td>
                <td>
                  {stateText(c, session.user.id)}
                  {c.state === "claimed" && c.claimExpiresAt && (
                    <span className="muted small">
                      {" "}
                      · {actorName(c.claimedBy, session.user.id) === "you" ? "your" : "their"} claim ends in {formatDuration(Date.parse(c.claimExpiresAt) - now)}
                    </span>
                  )}
                </td>
                <td title={c.openedAt}>{formatAge(c.ageSeconds)}</td>
                <td>{c.decisionCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
