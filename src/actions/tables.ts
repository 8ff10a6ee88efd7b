/** The tables the action service may see (migration 0008). Times are ISO-8601 text. */
export interface ActionTables {
  counters: { name: string; value: number | string };
  actions: {
    id: string;
    /** Position in the feed (`GET /v1/actions?after=`), from the global counter. */
    seq: number | string;
    kind: string;
    account_id: string;
    target_type: string;
    target_id: string;
    case_id: string | null;
    decision_id: string | null;
    /** The action this one undoes (`content.release` undoes a hold). */
    reverses: string | null;
    /** Unique: the same key twice is the same action, emitted once. */
    idempotency_key: string;
    /** Who caused it: `system` for policies, `user:…` for reviewers. */
    actor: string;
    reason: string;
    /** JSON object: policy ids, help resources, the reviewer's category. */
    details: string;
    /** When the event that led to it arrived, for time-to-action. */
    event_received_at: string | null;
    created_at: string;
    /** First successful webhook delivery. */
    delivered_at: string | null;
  };
}
