/**
 * Every API call the console makes, as one table of method + path template.
 * `test/http/console-api.test.ts` checks each entry against the server's
 * generated `/openapi.json`, so a renamed or removed route fails a test
 * instead of a moderator's screen. This file imports nothing, so the Node
 * test can load it as it is.
 */
export const endpoints = {
  login: { method: "POST", path: "/v1/session" },
  whoAmI: { method: "GET", path: "/v1/session" },
  logout: { method: "DELETE", path: "/v1/session" },
  listCases: { method: "GET", path: "/v1/cases" },
  getCase: { method: "GET", path: "/v1/cases/{id}" },
  claimCase: { method: "POST", path: "/v1/cases/{id}/claim" },
  releaseCase: { method: "POST", path: "/v1/cases/{id}/release" },
  decideCase: { method: "POST", path: "/v1/cases/{id}/decision" },
  claimNext: { method: "POST", path: "/v1/cases/next" },
  decideMany: { method: "POST", path: "/v1/cases/decisions" },
  networkAccount: { method: "GET", path: "/v1/network/accounts/{id}" },
  networkClusters: { method: "GET", path: "/v1/network/clusters" },
  // Served by the console API work (media previews, reveals, preferences); see consoleApiEndpoints.
  caseContent: { method: "GET", path: "/v1/cases/{id}/content" },
  mediaPreview: { method: "GET", path: "/v1/media/preview/{contentId}" },
  recordReveal: { method: "POST", path: "/v1/console/reveals" },
  getPreferences: { method: "GET", path: "/v1/me/preferences" },
  putPreferences: { method: "PUT", path: "/v1/me/preferences" },
  // The admin screens and the dashboard (console/src/admin/, console/src/dashboard/).
  dashboard: { method: "GET", path: "/v1/stats/dashboard" },
  policyHits: { method: "GET", path: "/v1/stats/policies" },
  listBanks: { method: "GET", path: "/v1/banks" },
  createBank: { method: "POST", path: "/v1/banks" },
  bankEntries: { method: "GET", path: "/v1/banks/{bank}/entries" },
  listLexicons: { method: "GET", path: "/v1/lexicons" },
  getLexicon: { method: "GET", path: "/v1/lexicons/{name}" },
  putLexicon: { method: "PUT", path: "/v1/lexicons/{name}" },
  testLexicon: { method: "POST", path: "/v1/lexicons/test" },
  tryLexicon: { method: "POST", path: "/v1/lexicons/{name}/try" },
  activePolicies: { method: "GET", path: "/v1/policies" },
  putPolicies: { method: "PUT", path: "/v1/policies" },
  validatePolicies: { method: "POST", path: "/v1/policies/validate" },
  listKeys: { method: "GET", path: "/v1/keys" },
  createKey: { method: "POST", path: "/v1/keys" },
  revokeKey: { method: "DELETE", path: "/v1/keys/{id}" },
  listUsers: { method: "GET", path: "/v1/users" },
  createUser: { method: "POST", path: "/v1/users" },
  updateUser: { method: "PATCH", path: "/v1/users/{user}" },
  deadJobs: { method: "GET", path: "/v1/jobs/dead" },
  retryJob: { method: "POST", path: "/v1/jobs/{id}/retry" },
  auditList: { method: "GET", path: "/v1/audit" },
  auditVerify: { method: "GET", path: "/v1/audit/verify" },
  // CyberTipline reports (src/server/routes/reports.ts): child-safety reviewers and admins only.
  caseReports: { method: "GET", path: "/v1/cases/{id}/reports" },
  listReports: { method: "GET", path: "/v1/reports" },
  getReport: { method: "GET", path: "/v1/reports/{id}" },
  reportXml: { method: "GET", path: "/v1/reports/{id}/xml" },
  retryReport: { method: "POST", path: "/v1/reports/{id}/retry" },
} as const satisfies Record<string, Endpoint>;

/**
 * Endpoints built beside the console on another branch (media previews,
 * reveals, preferences). The console degrades without them (no preview,
 * default preferences, a reveal that cannot be recorded is refused), and the
 * OpenAPI check reports them as awaited until the server has them.
 */
export const consoleApiEndpoints: readonly EndpointName[] = ["caseContent", "mediaPreview", "recordReveal", "getPreferences", "putPreferences"];

export interface Endpoint {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** OpenAPI path template: `{name}` for a path parameter. */
  path: string;
}

export type EndpointName = keyof typeof endpoints;

/**
 * The response fields the console reads, per endpoint, as JSON pointers into
 * the 200 response's schema (`/cases/items/priority`). The test resolves each
 * pointer in the OpenAPI document, so a field the server stopped sending fails
 * there, not on screen.
 */
const summaryFields = ["id", "accountId", "platformId", "state", "priority", "restricted", "reportRequested", "decisionCount", "openedAt", "ageSeconds", "claimedBy", "claimExpiresAt", "escalated", "decidedAt", "decidedBy", "outcome", "outcomeCategory", "note"];

const reportFields = ["id", "caseId", "accountId", "platformId", "category", "state", "environment", "ncmecReportId", "progress", "attempts", "restarts", "lastError", "lastErrorCode", "hint", "createdAt", "updatedAt", "finishedAt", "lostSubmits", "notice"];

export const fieldsRead: Partial<Record<EndpointName, readonly string[]>> = {
  login: ["/user/id", "/user/username", "/user/role", "/csrfToken", "/expiresAt"],
  whoAmI: ["/user/id", "/user/username", "/user/role", "/csrfToken", "/expiresAt"],
  listCases: [...summaryFields.map((f) => `/cases/items/${f}`), "/counts/total", "/counts/byState/open", "/counts/byState/claimed", "/counts/byState/escalated", "/counts/byPriority/urgent", "/counts/byPriority/low"],
  claimNext: summaryFields.map((f) => `/case/${f}`),
  claimCase: summaryFields.map((f) => `/${f}`),
  getCase: [
    ...summaryFields.map((f) => `/${f}`),
    ...["id", "handle", "displayName", "bio", "ageBand", "ageSource", "earlierHandles", "updatedAt"].map((f) => `/account/${f}`),
    ...summaryFields.map((f) => `/accountCases/items/${f}`),
    ...["id", "eventId", "policyVersion", "kinds", "reviewPriority", "decisions", "shadow", "signals", "texts/items/field", "texts/items/text", "createdAt"].map((f) => `/decisions/items/${f}`),
    ...["id", "kind", "target/type", "target/id", "actor", "reason", "createdAt", "deliveredAt", "reverses"].map((f) => `/actions/items/${f}`),
    ...["at", "actor", "kind", "details"].map((f) => `/history/items/${f}`),
  ],
  decideCase: ["/case/id", "/case/state", "/actions/items/kind"],
  decideMany: ["/results/items/caseId", "/results/items/ok", "/results/items/message"],
  networkAccount: ["/account", "/platformId", "/score", "/role", "/cluster", "/explanation", "/isMinor", "/links/items/account", "/links/items/strength", "/links/items/explanations", "/neighbourhood/follows/items/account", "/neighbourhood/follows/items/score", "/neighbourhood/follows/items/mutual", "/neighbourhood/followedBy/items/account", "/neighbourhood/followedBy/items/score"],
  networkClusters: ["/clusters/items/id", "/clusters/items/size", "/clusters/items/seeds", "/clusters/items/members/items/account", "/clusters/items/members/items/score"],
  caseContent: ["/previewSource", "/content/items/contentId", "/content/items/kind", "/content/items/field", "/content/items/eventId"],
  getPreferences: ["/blurMedia", "/greyscaleMedia"],
  caseReports: reportFields.map((f) => `/reports/items/${f}`),
  listReports: reportFields.map((f) => `/reports/items/${f}`),
  getReport: [...reportFields.map((f) => `/${f}`), "/files/items/position", "/files/items/fileName", "/files/items/state", "/files/items/ncmecFileId", "/abandonedNcmecReportIds"],
  retryReport: ["/id", "/state"],
};
