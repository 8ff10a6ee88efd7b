/** The tables the enforcement service may see (migration 0008; `events` from 0007 and 0019, read only). */
export interface EnforcementTables {
  accounts: {
    id: string;
    /** The platform's age band (`under_13`, `13_15`, `16_17`, `18_plus`, `unknown`). */
    age_band: string | null;
    /** `declared` or `estimated`. */
    age_source: string | null;
    /** When the platform's event carrying this age band happened (newer wins). */
    updated_at: string;
  };
  decisions: {
    id: string;
    event_id: string;
    account_id: string;
    policy_version: number;
    /** JSON array of the enforced decision kinds, strictest first. */
    kinds: string;
    review_priority: string | null;
    /** JSON array of `PolicyDecision` (enforced). */
    decisions: string;
    /** JSON array of `PolicyDecision` that shadow policies would have made. */
    shadow: string;
    /** JSON array of the policy `Signal`s evaluated; decisions cite them by index. */
    signals: string;
    case_id: string | null;
    created_at: string;
  };
  events: {
    /** Unique within its platform (`platform_id`, '' for the default one; migration 0019). */
    id: string;
    platform_id: string;
    type: string;
    subject_id: string | null;
    actor_id: string | null;
    occurred_at: string;
  };
}
