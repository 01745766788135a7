// Domain types of accounts: users, roles, the reader of a request, sessions — what callers see, never the rows.
export const ROLES = ['reader', 'author', 'editor', 'admin', 'publisher'] as const;
export type Role = (typeof ROLES)[number];
/** Staff read every article and may give Plus articles away; the one list every access rule asks. */
export const STAFF_ROLES = ['author', 'editor', 'admin'] as const satisfies readonly Role[];
/** Takes a string, not a Role: database rows carry the role as plain text. */
export const isStaffRole = (role: string): boolean => (STAFF_ROLES as readonly string[]).includes(role);

export interface User {
  id: string;
  email: string;
  role: Role;
  displayName: string;
  emailVerified: boolean;
  newsletterOptIn: boolean;
  createdAt: string;
}

/** The logged-in person of a request, as the web layer puts it in `c.var.reader`. */
export interface Reader {
  user: { id: string; email: string; role: Role; displayName: string; emailVerified: boolean };
  sessionId: string;
}

export interface SessionInfo {
  id: string;
  userAgent: string;
  ip: string;
  persistent: boolean;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}
