// Row types of every table: the Database type Kysely checks all SQL against.
// Times are ISO-8601 UTC strings, booleans are 0/1, ids are opaque strings — the same on SQLite and PostgreSQL.

export interface SectionRow { id: string; slug: string; name: string; position: number; description: string }
export interface AuthorRow { id: string; slug: string; name: string; bio: string }
export interface ImageRow { id: string; file: string; width: number; height: number; sha256: string; created_at: string }

export interface ArticleRow {
  id: string;
  slug: string;
  section_id: string;
  kicker: string;
  headline: string;
  teaser: string;
  access: 'free' | 'registered' | 'plus';
  paywall_after: number;
  /** JSON array of stored blocks (interchange blocks with image ids instead of sources). */
  blocks_json: string;
  image_id: string | null;
  image_caption: string;
  image_credit: string;
  published_at: string;
  updated_at: string;
  created_at: string;
}
export interface ArticleAuthorRow { article_id: string; author_id: string; position: number }

export interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  role: 'reader' | 'author' | 'editor' | 'admin';
  display_name: string;
  email_verified_at: string | null;
  newsletter_opt_in: number;
  terms_accepted_at: string | null;
  privacy_accepted_at: string | null;
  created_at: string;
  updated_at: string;
}
export interface SessionRow {
  /** sha256 of the cookie token; the token itself is never stored. */
  id: string;
  user_id: string;
  csrf_secret: string;
  persistent: number;
  user_agent: string;
  ip: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}
export interface AccountTokenRow {
  id: string;
  user_id: string;
  kind: 'verify-email' | 'reset-password' | 'change-email';
  new_email: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}
export interface ThrottleEventRow { key: string; at: string }
export interface MailOutboxRow { id: string; recipient: string; subject: string; text_body: string; html_body: string; created_at: string }

export interface ContentKeyRow {
  /** key id, printed into the page next to the ciphertext */
  id: string;
  article_id: string;
  /** sha256 of the premium blocks this key encrypts; a new hash means a new key */
  premium_hash: string;
  wrapped_key: string;
  created_at: string;
}
export interface SubscriptionRow {
  id: string;
  user_id: string | null;
  status: 'active' | 'canceled' | 'ended';
  source: 'manual' | 'sepa' | 'stripe';
  starts_at: string;
  ends_at: string | null;
  created_at: string;
  updated_at: string;
}
export interface MeterUnlockRow { user_id: string; article_id: string; month: string; created_at: string }
/** One meter unlock by address: HMAC of the normalised address (see access/meter-address.ts), not linked to an account. */
export interface MeterAddressUnlockRow { address_hash: string; article_id: string; month: string; created_at: string }
export interface GiftLinkRow { id: string; token: string; article_id: string; user_id: string; created_at: string; expires_at: string; revoked_at: string | null }
export interface SearchDocumentRow { article_id: string; free_text: string; premium_text: string }

/** A background job (src/jobs/CONTEXT.md): queued until run_at, then held by one worker under a lease until done or failed. */
export interface JobRow {
  id: string;
  kind: string;
  /** de-duplication key, e.g. `billing-run:2026-11-28`; a second enqueue with the same key adds nothing */
  unique_key: string | null;
  payload_json: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  run_at: string;
  /** claims so far, the running one included */
  attempts: number;
  max_attempts: number;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface Database {
  sections: SectionRow;
  authors: AuthorRow;
  images: ImageRow;
  articles: ArticleRow;
  article_authors: ArticleAuthorRow;
  users: UserRow;
  sessions: SessionRow;
  account_tokens: AccountTokenRow;
  throttle_events: ThrottleEventRow;
  mail_outbox: MailOutboxRow;
  content_keys: ContentKeyRow;
  subscriptions: SubscriptionRow;
  meter_unlocks: MeterUnlockRow;
  meter_address_unlocks: MeterAddressUnlockRow;
  gift_links: GiftLinkRow;
  search_documents: SearchDocumentRow;
  jobs: JobRow;
}
