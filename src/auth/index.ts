export { createApiKeyService, type ApiKeyService, type ApiKeyInfo, type CreatedApiKey } from "./service.js";
export { apiScopes, grants, type ApiScope } from "./scopes.js";
export type { ApiKeyTables } from "./tables.js";
