// Row types of every table: the Database type Kysely checks all SQL against.
// Times are ISO-8601 UTC strings, booleans are 0/1, ids are opaque strings — the same on SQLite and PostgreSQL.
import type { Generated } from 'kysely';

export interface SectionRow { id: string; slug: string; name: string; position: number; description: string }
export interface AuthorRow {
  id: string; slug: string; name: string; bio: string;
  /** the staff account behind the byline, if any (migration 010) */
  user_id: string | null;
}
export interface ImageRow {
  id: string; file: string; width: number; height: number; sha256: string; created_at: string;
  /** the uploaded file's name ('' for images from before the media library) */
  original_name: Generated<string>;
  /** MIME type of the source as its content showed ('' when unknown) */
  source_type: Generated<string>;
  /** focal point, 0..1 from the left and from the top: where crops keep the picture */
  focal_x: Generated<number>;
  focal_y: Generated<number>;
  /** library defaults the editor takes over */
  caption: Generated<string>;
  credit: Generated<string>;
  uploaded_by: string | null;
  /** JSON: file extension → widths on disk */
  variants: Generated<string>;
}

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
  /** 1: readers may see it (from published_at on); 0: a draft never published, or unpublished */
  live: Generated<number>;
  seo_title: Generated<string>;
  seo_description: Generated<string>;
}
export interface ArticleDraftRow {
  article_id: string;
  doc_json: string;
  version: number;
  state: 'draft' | 'review' | 'scheduled' | 'published' | 'unpublished';
  scheduled_at: string | null;
  published_version: number | null;
  created_by: string | null;
  updated_by: string | null;
  created_at: string;
  updated_at: string;
}
export interface ArticleRevisionRow { id: string; article_id: string; version: number; doc_json: string; kind: string; saved_by: string | null; saved_at: string }
export interface EditorialAuditRow { id: string; article_id: string; action: string; actor_id: string | null; detail_json: Generated<string>; at: string }
export interface ArticleAuthorRow { article_id: string; author_id: string; position: number }

/** One change of a user's role (migration 010): who, from what to what, by which admin (null: command line). */
export interface StaffRoleChangeRow { id: string; user_id: string; from_role: string; to_role: string; actor_id: string | null; at: string }

export interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  role: 'reader' | 'author' | 'editor' | 'admin' | 'publisher';
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
export type SubscriptionState = 'pending' | 'intro' | 'active' | 'past_due' | 'dunning' | 'ended';
/** A contract: paid (recurring offer), gift (prepaid, ends by itself) or comp (free, granted by an admin). */
export interface SubscriptionRow {
  id: string;
  number: string;
  user_id: string | null;
  offer_id: string | null;
  kind: 'paid' | 'gift' | 'comp';
  provider: 'sepa' | 'stripe' | 'none';
  state: SubscriptionState;
  starts_at: string;
  /** what the paywall reads: entitled while now < access_until; written by the state machine on every transition */
  access_until: string | null;
  current_period_start: string | null;
  current_period_end: string | null;
  min_term_end: string | null;
  periods_paid: number;
  offer_name: string;
  intro_price_cents: number | null;
  intro_months: number;
  price_cents: number;
  period: string;
  min_term_months: number;
  notice_months: number;
  gift_months: number | null;
  cancel_requested_at: string | null;
  cancel_effective_at: string | null;
  past_due_since: string | null;
  dunning_attempts: number;
  next_dunning_at: string | null;
  reminder_sent_at: string | null;
  ended_at: string | null;
  end_reason: string | null;
  holder_name: string;
  buyer_email: string;
  order_key: string | null;
  /** sha256 of the code a gift's recipient redeems; the code itself is only in the buyer's mail */
  gift_code_hash: string | null;
  external_ref: string | null;
  external_customer: string | null;
  external_version: number;
  created_at: string;
  updated_at: string;
  /** the last Plus article whose paywall the reader saw within 7 days before ordering (migration 013) */
  attributed_article_id: string | null;
  /** the offer-box variant the reader was shown when ordering */
  experiment_variant_id: string | null;
}
export interface OfferRow {
  id: string; slug: string; name: string; description: string; kind: 'recurring' | 'gift';
  intro_price_cents: number | null; intro_months: number; price_cents: number; period: 'month' | 'year';
  min_term_months: number; notice_months: number; gift_months: string; payment_methods: string;
  active: number; position: number; created_at: string; updated_at: string;
}
export interface SubscriptionEventRow {
  id: string; subscription_id: string; at: string; event: string; from_state: string | null; to_state: string; cause: string; actor: string; seq: number;
}
export interface SepaMandateRow {
  id: string; subscription_id: string; reference: string; holder_sealed: string; iban_sealed: string; iban_masked: string;
  bic: string | null; signed_on: string; first_collected_at: string | null; revoked_at: string | null; created_at: string;
}
export interface SepaBatchRow { id: string; message_id: string; run_on: string; count: number; control_sum_cents: number; file: string; created_at: string }
export interface ChargeRow {
  id: string; subscription_id: string; kind: 'intro' | 'regular' | 'gift' | 'refund'; amount_cents: number;
  period_start: string; period_end: string; due_on: string;
  state: 'pending' | 'submitted' | 'paid' | 'failed' | 'returned' | 'refunded';
  provider: string; sequence_type: string | null; end_to_end_id: string; batch_id: string | null; external_id: string | null;
  return_reason: string | null; created_at: string; updated_at: string;
}
export interface InvoiceCounterRow { year: number; last: number }
export interface InvoiceRow {
  id: string; number: string; year: number; seq: number; charge_id: string; subscription_id: string; subscription_number: string;
  user_id: string | null; buyer_name: string; buyer_email: string; issued_on: string; service_from: string; service_to: string;
  description: string; gross_cents: number; net_cents: number; vat_cents: number; vat_rate_permille: number; payment_note: string; created_at: string;
}
export interface CancellationRow {
  id: string; number: string; received_at: string; name: string; email: string; contract_hint: string;
  kind: 'ordinary' | 'extraordinary'; reason: string; preferred_date: string | null; subscription_id: string | null; user_id: string | null;
  effective_at: string | null; state: 'applied' | 'queued' | 'done'; handled_by: string | null; submit_key: string | null; created_at: string;
}
export interface PaymentEventRow { id: string; provider: string; type: string; received_at: string; outcome: string }
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

/** A content change (src/content/content-changes.ts): the surrogate keys of the pages it touched, read by every process's feed. */
export interface ContentChangeRow {
  /** given by the database, ever growing, never reused */
  seq: Generated<number>;
  /** surrogate keys, space-separated */
  keys: string;
  at: string;
  /** 1 once a process took on telling the CDN (KLARTEXT_PURGE_URL): one purge per change, whichever process sees it first */
  purge_claimed: number;
}

/** Insights (migration 013): raw events without a person in them, and their daily rollups. */
export interface AnalyticsEventRow {
  at: string; day: string; kind: string;
  article_id: string | null; offer_id: string | null; variant_id: string | null; institution_id: string | null; detail: string | null;
}
export interface AnalyticsDailyRow {
  day: string; kind: string; article_id: string; offer_id: string; variant_id: string; institution_id: string; detail: string; section_id: string; count: number;
}
export interface AnalyticsRollupDayRow { day: string; rolled_up_at: string; final: number }
/** Insight summaries (migration 015): site-wide sums per day, and per article, section (as rolled up) and month. */
export interface AnalyticsDayTotalRow { day: string; kind: string; detail: string; attributed: number; count: number }
export interface AnalyticsArticleMonthRow {
  month: string; article_id: string; section_id: string; views: number; paywalls: number; clicks: number; checkouts: number; orders: number; registrations: number;
}
export interface ExperimentRow { id: string; name: string; state: 'draft' | 'running' | 'ended'; created_by: string | null; created_at: string; started_at: string | null; ended_at: string | null }
export interface ExperimentVariantRow { id: string; experiment_id: string; key: string; headline: string; body: string; offer_id: string | null; share: number; position: number }
export interface InstitutionRow {
  id: string; name: string; kind: 'school' | 'library' | 'company' | 'other'; seats: number | null; ends_on: string;
  created_at: string; updated_at: string; revoked_at: string | null;
}
export interface InstitutionNetworkRow { id: string; institution_id: string; cidr: string }
export interface InstitutionDomainRow { domain: string; institution_id: string }
export interface InstitutionMemberRow { institution_id: string; user_id: string; claimed_at: string; last_used_at: string }

export interface Database {
  sections: SectionRow;
  authors: AuthorRow;
  images: ImageRow;
  articles: ArticleRow;
  article_authors: ArticleAuthorRow;
  article_drafts: ArticleDraftRow;
  article_revisions: ArticleRevisionRow;
  editorial_audit: EditorialAuditRow;
  users: UserRow;
  sessions: SessionRow;
  account_tokens: AccountTokenRow;
  throttle_events: ThrottleEventRow;
  mail_outbox: MailOutboxRow;
  content_keys: ContentKeyRow;
  subscriptions: SubscriptionRow;
  offers: OfferRow;
  subscription_events: SubscriptionEventRow;
  sepa_mandates: SepaMandateRow;
  sepa_batches: SepaBatchRow;
  charges: ChargeRow;
  invoice_counters: InvoiceCounterRow;
  invoices: InvoiceRow;
  cancellations: CancellationRow;
  payment_events: PaymentEventRow;
  meter_unlocks: MeterUnlockRow;
  meter_address_unlocks: MeterAddressUnlockRow;
  gift_links: GiftLinkRow;
  search_documents: SearchDocumentRow;
  /** SQLite only: the FTS5 rowid of an article's search document */
  search_rowids: { article_id: string; doc_rowid: number };
  jobs: JobRow;
  content_changes: ContentChangeRow;
  staff_role_changes: StaffRoleChangeRow;
  analytics_events: AnalyticsEventRow;
  analytics_daily: AnalyticsDailyRow;
  analytics_rollup_days: AnalyticsRollupDayRow;
  analytics_day_totals: AnalyticsDayTotalRow;
  analytics_article_months: AnalyticsArticleMonthRow;
  experiments: ExperimentRow;
  experiment_variants: ExperimentVariantRow;
  institutions: InstitutionRow;
  institution_networks: InstitutionNetworkRow;
  institution_domains: InstitutionDomainRow;
  institution_members: InstitutionMemberRow;
}
