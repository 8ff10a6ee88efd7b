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
  readAudit: { method: "GET", path: "/v1/audit" },
  networkAccount: { method: "GET", path: "/v1/network/accounts/{id}" },
  networkClusters: { method: "GET", path: "/v1/network/clusters" },
} as const satisfies Record<string, Endpoint>;

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
export const fieldsRead: Partial<Record<EndpointName, readonly string[]>> = {
  login: ["/user/username", "/user/role", "/csrfToken", "/expiresAt"],
  whoAmI: ["/user/username", "/user/role", "/csrfToken", "/expiresAt"],
};
