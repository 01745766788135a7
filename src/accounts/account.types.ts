// Domain types of accounts: users, roles, the reader of a request, sessions — what callers see, never the rows.
export const ROLES = ['reader', 'author', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

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

export const isStaff = (role: Role): boolean => role !== 'reader';
