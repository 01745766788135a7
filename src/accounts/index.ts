// Public face of accounts: readers and staff, sessions, passwords, mail links, throttling. No web framework in here.
export { ROLES, STAFF_ROLES, isStaffRole, type Role, type User, type Reader, type SessionInfo } from './account.types.ts';
export type { AccountNotice } from './account.notices.ts';
export { FieldProblems, normalizeEmail } from './account-input.rules.ts';
export {
  MIN_PASSWORD_LENGTH, STANDARD_HASHING, TEST_HASHING, atLeastStandard, passwordProblem, type PasswordHashing,
} from './password.rules.ts';
export { HashGate, HashingBusyError, HASHING_BUSY, DEFAULT_HASH_GATE, type HashGateOptions } from './hash-gate.ts';
export { findUserById, isUniqueViolation, listUsers } from './user.queries.ts';
export {
  createSession, resolveSession, listSessions, endSession, endOtherSessions, endSessionByToken, pruneExpiredSessions,
  PERSISTENT_SESSION_MS, type NewSession, type ResolvedSession,
} from './session.queries.ts';
export { TOKEN_LIFETIME_MS } from './account-token.queries.ts';
export { THROTTLES, pruneThrottleEvents, type ThrottleRule } from './throttle.queries.ts';
export {
  register, verifyEmail, requestVerificationMail, logIn, requestPasswordReset, checkResetToken, resetPassword,
  ThrottledError, WRONG_LOGIN, type RegisterInput, type LoginInput, type Requester,
} from './account.service.ts';
export {
  updateProfile, requestEmailChange, pendingEmailChange, confirmEmailChange, changePassword, exportUserData, deleteAccount,
  createUser, generatePassword, isRole,
} from './account-settings.service.ts';
export { listStaff, listRoleChanges, setUserRole, type RoleChange } from './staff-roles.service.ts';
