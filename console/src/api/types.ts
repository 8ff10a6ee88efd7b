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
