/** The tables the policy service may see. */
export interface PolicyTables {
  counters: { name: string; value: number | string };
  policy_sets: {
    id: string;
    version: number;
    /** The validated policy set as JSON; never changed once written. */
    content: string;
    created_at: string;
    created_by: string;
    /** 1 for the one active version, else 0. */
    active: number;
  };
}
