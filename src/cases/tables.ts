/** The tables the case service may see (migration 0008). Times are ISO-8601 text. */
export interface CaseTables {
  cases: {
    id: string;
    account_id: string;
    /** `open`, `claimed`, `escalated` or `decided`; a claim past `claim_expires_at` counts as not held. */
    state: string;
    /** 0 urgent, 1 high, 2 normal, 3 low: the queue sorts on it, then on age. */
    priority_rank: number;
    /** 1 when the case holds a child sexual abuse signal: only child-safety reviewers see it. */
    restricted: number;
    /** 1 when a policy asked for a CyberTipline report. */
    report_requested: number;
    decision_count: number;
    opened_at: string;
    updated_at: string;
    /** The claimant (`user:<id>` or `key:<id>:<name>`). */
    claimed_by: string | null;
    claim_expires_at: string | null;
    /** 1 once escalated: releasing returns it to `escalated`, not `open`. */
    escalated: number;
    decided_at: string | null;
    decided_by: string | null;
    outcome: string | null;
    outcome_category: string | null;
    note: string | null;
    /** JSON `CaseVictim` (src/safeguarding), set when a confirm or safeguard decision names the young person (migration 0014). */
    victim: string | null;
    /** JSON array of report annotations (`sextortion`, `possible_self_production`, …), set with the decision. */
    annotations: string | null;
    /** `A1`, `A2`, `B1` or `B2` (src/reports), when the reviewer gave one with a confirm decision (migration 0018). */
    industry_classification: string | null;
  };
  counters: { name: string; value: number | string };
  /** Read only (src/enforcement writes it): the queue filters on a case's signal types and policies. */
  decisions: {
    case_id: string | null;
    /** JSON array of the enforced policy decisions (`"policyId":"…"`). */
    decisions: string;
    /** JSON array of the signals evaluated (`"type":"…"`). */
    signals: string;
  };
  case_history: {
    id: string;
    seq: number | string;
    case_id: string;
    at: string;
    actor: string;
    kind: string;
    /** JSON object. */
    details: string;
  };
}
