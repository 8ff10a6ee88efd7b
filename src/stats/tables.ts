/**
 * What the dashboard reads (never writes): decisions (migration 0008),
 * actions (0008), cases (0008). Blocked searches come through the search
 * gate's counter. Only the columns read are declared.
 */
export interface StatsTables {
  decisions: { id: string; created_at: string; kinds: string; decisions: string; shadow: string };
  actions: { id: string; created_at: string; event_received_at: string | null; reverses: string | null };
  cases: {
    id: string;
    state: string;
    priority_rank: number;
    restricted: number;
    escalated: number;
    claim_expires_at: string | null;
    opened_at: string;
    decided_at: string | null;
    outcome: string | null;
  };
}
