import { call } from "./http";
import type { Action, CaseCounts, CaseDetail, CaseSummary, DecisionExtra, ReviewerDecision } from "./types";

export interface QueueFilters {
  state?: string;
  priority?: string;
  signal?: string;
  policy?: string;
  assignee?: string;
  restricted?: "true" | "false";
  account?: string;
  /** The platform of `account`; absent for the default platform (docs/tenancy.md). */
  platform_id?: string;
}

export function listCases(filters: QueueFilters, page: { limit?: number; offset?: number } = {}): Promise<{ cases: CaseSummary[]; counts: CaseCounts }> {
  return call("listCases", { query: { ...filters, ...page } });
}

/** Claims the next free case among the filters (not `assignee`, which claim-next ignores); null when none is free. */
export async function claimNext(filters: QueueFilters): Promise<CaseSummary | null> {
  const { state, priority, signal, policy, restricted, account } = filters;
  const body = {
    ...(state === "open" || state === "escalated" ? { state } : {}),
    ...(priority ? { priority } : {}),
    ...(signal ? { signal } : {}),
    ...(policy ? { policy } : {}),
    ...(restricted ? { restricted: restricted === "true" } : {}),
    ...(account ? { account } : {}),
  };
  return (await call<{ case: CaseSummary | null }>("claimNext", { body })).case;
}

export const getCase = (id: string) => call<CaseDetail>("getCase", { params: { id } });
export const claimCase = (id: string) => call<CaseSummary>("claimCase", { params: { id } });
export const releaseCase = (id: string) => call<CaseSummary>("releaseCase", { params: { id } });

export function decideCase(id: string, decision: ReviewerDecision, extra: DecisionExtra = {}): Promise<{ case: CaseSummary; actions: Action[] }> {
  const body = {
    decision,
    ...(extra.category ? { category: extra.category } : {}),
    ...(extra.note ? { note: extra.note } : {}),
    ...(extra.industryClassification ? { industryClassification: extra.industryClassification } : {}),
  };
  return call("decideCase", { params: { id }, body });
}

export function decideMany(accountIds: string[], decision: ReviewerDecision, extra: { category?: string; note?: string; platformId?: string } = {}) {
  return call<{ results: Array<{ caseId: string; ok: boolean; message?: string }> }>("decideMany", {
    body: { accountIds, decision, ...(extra.category ? { category: extra.category } : {}), ...(extra.note ? { note: extra.note } : {}), ...(extra.platformId !== undefined ? { platform_id: extra.platformId } : {}) },
  });
}
