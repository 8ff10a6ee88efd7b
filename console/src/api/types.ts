// The shapes the console reads from the API, written from the server's zod
// schemas (src/server/routes/*.ts); the fields read are listed per endpoint in
// endpoints.ts and checked against /openapi.json by a test.

export type Role = "admin" | "child_safety_reviewer" | "moderator" | "viewer";

export interface User {
  id: string;
  username: string;
  role: Role;
}

export interface Session {
  user: User;
  csrfToken: string;
  expiresAt: string;
}

export interface WhoAmI {
  user: User | null;
  csrfToken: string | null;
  expiresAt: string | null;
}

export type CaseState = "open" | "claimed" | "escalated" | "decided";
export type Priority = "urgent" | "high" | "normal" | "low";
export type ReviewerDecision = "confirm" | "dismiss" | "escalate" | "safeguard";
/** NCMEC's industry classification of a file (src/reports/types.ts); a confirm decision may carry one. */
export type IndustryClassification = "A1" | "A2" | "B1" | "B2";

/** What a decision may carry besides its kind (POST /v1/cases/{id}/decision). */
export interface DecisionExtra {
  category?: string;
  note?: string;
  /** Confirm only; left out when the reviewer does not classify. */
  industryClassification?: IndustryClassification;
}

export interface CaseSummary {
  id: string;
  accountId: string;
  /** The account's platform when one Lapwing serves several; absent for the default platform (docs/tenancy.md). */
  platformId?: string;
  state: CaseState;
  priority: Priority;
  restricted: boolean;
  reportRequested: boolean;
  decisionCount: number;
  openedAt: string;
  ageSeconds: number;
  claimedBy: string | null;
  claimExpiresAt: string | null;
  escalated: boolean;
  decidedAt: string | null;
  decidedBy: string | null;
  outcome: ReviewerDecision | null;
  outcomeCategory: string | null;
  note: string | null;
}

export interface CaseCounts {
  total: number;
  byState: Record<CaseState, number>;
  byPriority: Record<Priority, number>;
}

export interface TextSpan {
  start: number;
  end: number;
  text?: string;
}

/** A policy signal (src/policy/signals.ts): common fields, and the type's own (bank, term, score, …). */
export interface Signal {
  type: string;
  reason: string;
  strength?: number;
  evidence: { ids: string[]; spans?: TextSpan[] };
  [field: string]: unknown;
}

export interface PolicyDecision {
  decision: string;
  priority?: Priority;
  policyId: string;
  policyVersion: number;
  mode: string;
  matchedSignals: Array<{ index: number; type: string; reason: string }>;
  explanation: string;
}

export interface CaseDecision {
  id: string;
  eventId: string;
  policyVersion: number;
  kinds: string[];
  reviewPriority: string | null;
  decisions: PolicyDecision[];
  shadow: PolicyDecision[];
  signals: Signal[];
  texts: Array<{ field: string; text: string }>;
  createdAt: string;
}

export interface Action {
  id: string;
  kind: string;
  target: { type: string; id: string };
  actor: string;
  reason: string;
  reverses: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export interface CaseAccount {
  id: string;
  handle: string | null;
  displayName: string | null;
  bio: string | null;
  ageBand: string | null;
  ageSource: string | null;
  earlierHandles: string[];
  updatedAt: string;
}

export interface CaseDetail extends CaseSummary {
  account: CaseAccount | null;
  accountCases: CaseSummary[];
  decisions: CaseDecision[];
  actions: Action[];
  history: Array<{ at: string; actor: string; kind: string; details: Record<string, unknown> }>;
}

export interface CaseContentItem {
  contentId: string;
  kind: "media" | "post" | "comment" | "account";
  eventId: string;
  field: string;
}

export interface Preferences {
  blurMedia: boolean;
  greyscaleMedia: boolean;
}

export interface NetworkDetail {
  account: string;
  /** Absent for the default platform; neighbours are always on the account's own platform. */
  platformId?: string;
  score: number;
  cluster: number | null;
  explanation: string[];
  role: "seed" | "cleared" | "suspected" | "candidate" | "target" | "account";
  isMinor: boolean;
  links: Array<{ account: string; strength: number; explanations: string[] }>;
  neighbourhood: {
    follows: Array<{ account: string; score: number; mutual: boolean }>;
    followedBy: Array<{ account: string; score: number }>;
  };
}

export interface NetworkCluster {
  id: number;
  size: number;
  seeds: number;
  members: Array<{ account: string; platformId?: string; score: number }>;
}

/** Where a CyberTipline report is in NCMEC's flow (src/reports/service.ts, docs/reporting.md). */
export const reportStates = ["draft", "account_details_failed", "ready", "submitting", "submitted", "finishing", "finished", "failed"] as const;
export type ReportState = (typeof reportStates)[number];

export interface ReportSummary {
  id: string;
  caseId: string;
  accountId: string;
  /** Absent for the default platform. */
  platformId?: string;
  category: string;
  state: ReportState;
  environment: string;
  ncmecReportId: string | null;
  progress: string;
  attempts: number;
  restarts: number;
  lastError: string | null;
  lastErrorCode: string | null;
  /** What to do about lastError. */
  hint: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  /** Submits whose answer was lost: NCMEC may hold an unfinished report from each, which it deletes after about a day. */
  lostSubmits: Array<{ sentAt: string; deletedByAbout: string }>;
  /** A sentence for reviewers about lostSubmits. */
  notice: string | null;
}

export interface ReportDetail extends ReportSummary {
  files: Array<{ position: number; fileName: string; state: string; ncmecFileId: string | null }>;
  abandonedNcmecReportIds: string[];
}
