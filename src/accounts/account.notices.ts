// What an account operation wants a person to be told by mail; the web layer turns these into mails.
export type AccountNotice =
  | { kind: 'verify-email'; to: string; token: string }
  /** someone registered with an address that already has an account: its owner hears of it instead */
  | { kind: 'already-registered'; to: string }
  | { kind: 'reset-password'; to: string; token: string }
  | { kind: 'confirm-new-email'; to: string; token: string }
  | { kind: 'email-change-requested'; to: string; newEmail: string }
  /** the new address of an email change already belongs to another account */
  | { kind: 'email-taken'; to: string }
  | { kind: 'password-changed'; to: string };
