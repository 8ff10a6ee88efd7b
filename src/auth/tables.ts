/** The tables the API-key service may see. */
export interface ApiKeyTables {
  api_keys: {
    id: string;
    name: string;
    secret_hash: string;
    scopes: string;
    created_at: string;
    last_used_at: string | null;
    revoked_at: string | null;
  };
}
