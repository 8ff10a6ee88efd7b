import { useMemo, useState } from "react";
import { decideMany } from "../api/cases";
import { ApiError } from "../api/http";
import { networkAccount, networkClusters } from "../api/network";
import type { NetworkDetail, ReviewerDecision } from "../api/types";
import { categories } from "../components/decision-bar";
import { ConfirmDialog } from "../components/dialog";
import { NetworkGraph, roleColours, roleNames, type GraphEdge, type GraphNode } from "../components/network-graph";
import { useAsync } from "../components/use-async";
import type { ScreenProps } from "../routes";
import { Link, navigate, useLocation } from "../router";
import { AccountName, networkPath } from "../components/account-name";
import { useShortcuts } from "../shortcuts";

/** Neighbours whose own details are fetched to colour them by role; the rest are coloured by score alone. */
const maxDetailed = 40;

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

/** Neighbours are on the account's own platform (follows never cross platforms), so one platform serves every call. */
async function loadNeighbourhood(account: string, platformId: string | undefined) {
  const focus = await networkAccount(account, platformId);
  const scores = new Map<string, number>();
  for (const f of focus.neighbourhood.follows) scores.set(f.account, f.score);
  for (const f of focus.neighbourhood.followedBy) scores.set(f.account, f.score);
  for (const l of focus.links) scores.set(l.account, Math.max(scores.get(l.account) ?? 0, 0));
  scores.delete(account);
  const ids = [...scores.keys()];
  const details = await mapLimited(ids.slice(0, maxDetailed), 6, (id) => networkAccount(id, platformId).catch(() => null));
  const byId = new Map<string, NetworkDetail>();
  details.forEach((d) => d && byId.set(d.account, d));
  return { focus, scores, byId };
}

export default function NetworkScreen({ params }: ScreenProps) {
  const account = params.account!;
  const platformId = useLocation().search.get("platform") ?? undefined;
  const data = useAsync(() => loadNeighbourhood(account, platformId), [account, platformId]);
  const clusters = useAsync(() => networkClusters(), []);
  const [selected, setSelected] = useState<{ kind: "node"; account: string } | { kind: "edge"; edge: GraphEdge } | null>(null);
  const [bulk, setBulk] = useState<{ accounts: string[]; clusterId: number } | null>(null);
  const [bulkDecision, setBulkDecision] = useState<ReviewerDecision>("escalate");
  const [bulkCategory, setBulkCategory] = useState("seller_advert");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  useShortcuts([{ key: "q", label: "queue", run: () => navigate("/") }]);

  const graph = useMemo(() => {
    if (!data.value) return null;
    const { focus, scores, byId } = data.value;
    const nodes: GraphNode[] = [{ account: focus.account, score: focus.score, role: focus.role }];
    for (const [id, score] of scores) nodes.push({ account: id, score: byId.get(id)?.score ?? score, role: byId.get(id)?.role ?? null });
    const edges: GraphEdge[] = [];
    for (const f of focus.neighbourhood.follows) {
      edges.push({ source: focus.account, target: f.account, kind: f.mutual ? "mutual" : "follows", explanation: `${focus.account} follows ${f.account}${f.mutual ? ", and is followed back" : ""}` });
    }
    const mutuals = new Set(focus.neighbourhood.follows.filter((f) => f.mutual).map((f) => f.account));
    for (const f of focus.neighbourhood.followedBy) {
      if (!mutuals.has(f.account)) edges.push({ source: f.account, target: focus.account, kind: "follows", explanation: `${f.account} follows ${focus.account}` });
    }
    for (const l of focus.links) {
      edges.push({ source: focus.account, target: l.account, kind: "link", explanation: `Ban-evasion link (strength ${l.strength.toFixed(2)}): ${l.explanations.join("; ")}` });
    }
    return { nodes, edges };
  }, [data.value]);

  const focusCluster = data.value?.focus.cluster ?? null;
  const sortedClusters = [...(clusters.value?.clusters ?? [])].sort((a, b) => Number(b.id === focusCluster) - Number(a.id === focusCluster) || b.size - a.size);
  const selectedDetail = selected?.kind === "node" ? (selected.account === account ? data.value?.focus : data.value?.byId.get(selected.account)) : undefined;

  const runBulk = async () => {
    if (!bulk) return;
    setBusy(true);
    try {
      const { results } = await decideMany(bulk.accounts, bulkDecision, { ...(bulkDecision === "confirm" ? { category: bulkCategory } : {}), platformId });
      const done = results.filter((r) => r.ok).length;
      setMessage(`Cluster ${bulk.clusterId}: ${done} of ${results.length} cases decided (${bulkDecision}).${results.length > done ? ` Skipped: ${results.filter((r) => !r.ok).map((r) => r.message).join(" ")}` : ""}`);
      setBulk(null);
    } catch (error) {
      setMessage(error instanceof ApiError ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  if (data.status === "error" && !data.value) {
    return (
      <section className="empty">
        <h1>No network view for {account}</h1>
        <p>{data.error.message}</p>
        <Link to="/">Back to the queue</Link>
      </section>
    );
  }
  return (
    <section aria-labelledby="network-title" data-testid="network-screen">
      <div className="toolbar">
        <h1 id="network-title">
          Network around <AccountName id={account} platformId={platformId} />
        </h1>
        {data.value && (
          <span>
            score {data.value.focus.score.toFixed(2)} · {roleNames[data.value.focus.role]}
            {data.value.focus.isMinor ? " · a minor: never scored through who follows it" : ""}
          </span>
        )}
        <Link to={`/?account=${encodeURIComponent(account)}${platformId === undefined ? "" : `&platform_id=${encodeURIComponent(platformId)}`}&state=open,claimed,escalated,decided`}>Cases of this account</Link>
      </div>
      {message && (
        <p className="banner info" role="status">
          {message}
        </p>
      )}
      <div className="legend small" aria-label="Legend">
        {(Object.keys(roleColours) as Array<keyof typeof roleColours>).map((role) => (
          <span key={role}>
            <span className={`swatch role-${role}`} aria-hidden="true" /> {roleNames[role]}
          </span>
        ))}
        <span>larger = higher score · arrow = follows · double arrow = mutual · red dashes = ban-evasion link · gold ring = this account</span>
      </div>
      <div className="grid2">
        <div className="panel">
          {!graph ? <p className="muted">Loading the neighbourhood…</p> : <NetworkGraph focus={account} nodes={graph.nodes} edges={graph.edges} onSelectNode={(a) => setSelected({ kind: "node", account: a })} onSelectEdge={(e) => setSelected({ kind: "edge", edge: e })} />}
        </div>
        <div>
          <section className="panel" aria-labelledby="why-title" data-testid="network-why">
            <h2 id="why-title">Why</h2>
            {!selected && data.value && (
              <>
                <p className="small muted">Click an account or a tie in the graph. This account:</p>
                <ul className="small">
                  {data.value.focus.explanation.map((line, i) => (
                    <li key={i}>{line}</li>
                  ))}
                </ul>
              </>
            )}
            {selected?.kind === "edge" && <p data-testid="edge-explanation">{selected.edge.explanation}</p>}
            {selected?.kind === "node" && (
              <>
                <h3>
                  <code>{selected.account}</code>
                </h3>
                {selectedDetail ? (
                  <>
                    <p className="small">
                      score {selectedDetail.score.toFixed(2)} · {roleNames[selectedDetail.role]}
                      {selectedDetail.cluster !== null ? ` · cluster ${selectedDetail.cluster}` : ""}
                    </p>
                    <ul className="small">
                      {selectedDetail.explanation.map((line, i) => (
                        <li key={i}>{line}</li>
                      ))}
                    </ul>
                  </>
                ) : (
                  <p className="small muted">Not loaded (only the first {maxDetailed} neighbours are).</p>
                )}
                {selected.account !== account && <Link to={networkPath(selected.account, platformId)}>Centre the graph on {selected.account}</Link>}
              </>
            )}
          </section>
          <section className="panel" aria-labelledby="clusters-title" data-testid="clusters">
            <h2 id="clusters-title">Clusters</h2>
            {clusters.status === "error" && <p className="banner error">{clusters.error.message}</p>}
            {clusters.value && sortedClusters.length === 0 && <p className="muted small">No clusters among suspected accounts yet.</p>}
            {sortedClusters.map((c) => (
              <details key={c.id} open={c.id === focusCluster} className="cluster">
                <summary>
                  Cluster {c.id}: {c.size} accounts, {c.seeds} seed{c.seeds === 1 ? "" : "s"}
                  {c.id === focusCluster ? " (this account's)" : ""}
                </summary>
                <ul className="small">
                  {c.members.map((m) => (
                    <li key={m.account}>
                      <Link to={networkPath(m.account, m.platformId)}>
                        <AccountName id={m.account} platformId={m.platformId} />
                      </Link>{" "}
                      <span className="muted">{m.score.toFixed(2)}</span>
                    </li>
                  ))}
                </ul>
                {/* One bulk decision names accounts of one platform: this account's. */}
                <button type="button" onClick={() => setBulk({ accounts: c.members.filter((m) => m.platformId === platformId).map((m) => m.account), clusterId: c.id })}>
                  Decide the cluster's cases together…
                </button>
              </details>
            ))}
          </section>
        </div>
      </div>
      {bulk && (
        <ConfirmDialog title={`Decide the open cases of cluster ${bulk.clusterId}`} confirmLabel="Decide them all" danger={bulkDecision !== "escalate"} busy={busy} onCancel={() => setBulk(null)} onConfirm={() => void runBulk()}>
          <p>One decision for the undecided cases of {bulk.accounts.length} accounts. Cases someone else holds are skipped and listed.</p>
          <label>
            Decision
            <select value={bulkDecision} onChange={(e) => setBulkDecision(e.target.value as ReviewerDecision)}>
              <option value="escalate">escalate</option>
              <option value="confirm">confirm (removes held content)</option>
              <option value="dismiss">dismiss (reverses automated actions)</option>
            </select>
          </label>
          {bulkDecision === "confirm" && (
            <label>
              Category
              <select value={bulkCategory} onChange={(e) => setBulkCategory(e.target.value)}>
                {categories.map((c) => (
                  <option key={c} value={c}>
                    {c.replace(/_/g, " ")}
                  </option>
                ))}
              </select>
            </label>
          )}
        </ConfirmDialog>
      )}
    </section>
  );
}
