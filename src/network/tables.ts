/**
 * The tables the network service may see: its own (migration 0011) and, read
 * only, what other services wrote that is evidence about accounts.
 */
export interface NetworkTables {
  graph_edges: {
    /** The platform's event id: a re-sent event is a conflict that changes nothing. */
    event_id: string;
    seq: number | string;
    /** See {@link edgeKinds}. */
    kind: string;
    src: string;
    /** An account id, or `post:<id>` / `comment:<id>` until the author is resolved. */
    dst: string;
    occurred_at: string;
  };
  network_seeds: {
    account_id: string;
    /** `seed` or `negative`. */
    polarity: string;
    reason: string;
    actor: string;
    created_at: string;
    seq: number | string;
  };
  counters: { name: string; value: number | string };
  // Read only, written by other services.
  accounts: { id: string; age_band: string | null; age_source: string | null; updated_at: string };
  decisions: { id: string; event_id: string; account_id: string; signals: string; case_id: string | null; created_at: string };
  cases: { id: string; account_id: string; state: string; outcome: string | null; outcome_category: string | null; decided_at: string | null; restricted: number };
  events: { platform_id: string; id: string; type: string; subject_id: string | null; actor_id: string | null; occurred_at: string; received_at: string; processed_at: string | null; payload: string };
  actions: { id: string; seq: number | string; kind: string; account_id: string; target_type: string; target_id: string; reverses: string | null; created_at: string };
}

/** What an edge row records. Reports are kept apart from affinity: a report is not a tie. */
export const edgeKinds = ["follow", "unfollow", "like", "share", "message", "comment", "report"] as const;
export type EdgeKind = (typeof edgeKinds)[number];
