/** The tables the users service may see. */
export interface UserTables {
  users: {
    id: string;
    /** Lower case, unique: what a person types to log in. */
    username: string;
    /** `scrypt$…` (see password.ts): parameters, salt and hash in one string. */
    password_hash: string;
    role: string;
    created_at: string;
    updated_at: string;
    disabled_at: string | null;
  };
  sessions: {
    /** SHA-256 (hex) of the cookie's token: a database reader cannot replay a session. */
    id: string;
    user_id: string;
    created_at: string;
    /** Absolute end, however active the session is. */
    expires_at: string;
    /** Written at most once a minute; with the idle limit it ends forgotten sessions. */
    last_seen_at: string;
  };
}

/** Failed logins, for the login limiter (migration 0015). */
export interface LoginFailureTables {
  login_failures: {
    id: string;
    /** Which limit: "user" (address and username) or "address". */
    scope: string;
    /** SHA-256 (hex) of the limited key: no address or username is stored. */
    key_hash: string;
    /** Epoch milliseconds (reads back as a string on PostgreSQL). */
    failed_at: number | string;
  };
}
