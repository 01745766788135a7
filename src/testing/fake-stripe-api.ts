// For tests: an in-process stand-in for the few Stripe API endpoints Klartext calls (recording every request), and signed webhook bodies.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

export type FormValue = string | FormValue[] | { [key: string]: FormValue };

export interface RecordedStripeRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  idempotencyKey: string | null;
  /** the form body decoded the way Stripe reads it: `a[b][0]=x` becomes { a: { b: ['x'] } } */
  params: Record<string, FormValue>;
}

export interface FakeStripe {
  port: number;
  /** settings for createStripeGateway that point the SDK at this fake */
  connection: { host: string; port: number; protocol: 'http' };
  requests: RecordedStripeRequest[];
  /** what the fake made, in order; a replayed idempotent request adds nothing */
  created: { coupons: Record<string, unknown>[]; checkoutSessions: Record<string, unknown>[]; portalSessions: Record<string, unknown>[] };
  /** subscription changes we asked for: updates (cancel_at_period_end) and cancellations, by Stripe subscription id */
  subscriptionChanges: { id: string; change: 'update' | 'cancel'; params: Record<string, FormValue> }[];
  close(): Promise<void>;
}

interface StoredResponse { path: string; rawBody: string; status: number; body: unknown }

/** Top-level parameters each endpoint accepts in the SDK's API version; like Stripe, anything else is refused. */
const ACCEPTED: Record<string, Set<string>> = {
  '/v1/checkout/sessions': new Set(('adaptive_pricing after_expiration allow_promotion_codes allowed_payment_method_types automatic_tax billing_address_collection '
    + 'branding_settings cancel_url client_reference_id consent_collection currency custom_fields custom_text customer customer_account customer_creation '
    + 'customer_email customer_update discounts excluded_payment_method_types expand expires_at integration_identifier invoice_creation line_items locale '
    + 'managed_payments metadata mode name_collection optional_items origin_context payment_intent_data payment_method_collection payment_method_configuration '
    + 'payment_method_data payment_method_options permissions phone_number_collection redirect_on_completion return_url saved_payment_method_options '
    + 'setup_intent_data shipping_address_collection shipping_options submit_type subscription_data success_url tax_id_collection ui_mode wallet_options').split(' ')),
  '/v1/coupons': new Set('amount_off applies_to currency currency_options duration duration_in_months expand id max_redemptions metadata name percent_off redeem_by'.split(' ')),
  '/v1/billing_portal/sessions': new Set('after_expiration configuration customer customer_account expand flow_data locale on_behalf_of return_url'.split(' ')),
};

/** `options.secretKey`: the only key accepted; without it any test-mode key is. */
export async function startFakeStripe(options: { secretKey?: string } = {}): Promise<FakeStripe> {
  const requests: RecordedStripeRequest[] = [];
  const created: FakeStripe['created'] = { coupons: [], checkoutSessions: [], portalSessions: [] };
  const byIdempotencyKey = new Map<string, StoredResponse>();
  const coupons = new Map<string, Record<string, unknown>>();
  const portalConfiguration = `bpc_${token(24)}`;

  const subscriptionChanges: FakeStripe['subscriptionChanges'] = [];
  function handle(path: string, params: Record<string, FormValue>, method = 'POST'): { status: number; body: unknown } {
    const sub = /^\/v1\/subscriptions\/(sub_[A-Za-z0-9]+)$/.exec(path);
    if (sub) {
      const unknownParam = Object.keys(params).find((k) => !['cancel_at_period_end', 'expand', 'metadata', 'invoice_now', 'prorate', 'cancellation_details'].includes(k));
      if (unknownParam) return stripeError(400, 'invalid_request_error', `Received unknown parameter: ${unknownParam}`, unknownParam, 'parameter_unknown');
      const change = method === 'DELETE' ? 'cancel' : 'update';
      subscriptionChanges.push({ id: sub[1]!, change, params });
      return { status: 200, body: { id: sub[1], object: 'subscription', status: change === 'cancel' ? 'canceled' : 'active', cancel_at_period_end: params.cancel_at_period_end === 'true' } };
    }
    const accepted = ACCEPTED[path];
    if (!accepted) return stripeError(404, 'invalid_request_error', `Unrecognized request URL (POST: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`);
    const unknown = Object.keys(params).find((k) => !accepted.has(k));
    if (unknown) return stripeError(400, 'invalid_request_error', `Received unknown parameter: ${unknown}`, unknown, 'parameter_unknown');
    const now = Math.floor(Date.now() / 1000);
    if (path === '/v1/coupons') {
      const amountOff = int(params.amount_off);
      if (amountOff === null && params.percent_off === undefined) return stripeError(400, 'invalid_request_error', 'Must provide either `amount_off` or `percent_off`.');
      if (amountOff !== null && typeof params.currency !== 'string') return stripeError(400, 'invalid_request_error', 'You must pass currency when passing amount_off', 'currency', 'parameter_missing');
      if (params.duration === 'repeating' && int(params.duration_in_months) === null) return stripeError(400, 'invalid_request_error', 'You must pass duration_in_months when duration is repeating', 'duration_in_months', 'parameter_missing');
      const coupon = {
        id: typeof params.id === 'string' ? params.id : token(8),
        object: 'coupon',
        amount_off: amountOff,
        created: now,
        currency: params.currency ?? null,
        duration: params.duration ?? 'once',
        duration_in_months: int(params.duration_in_months),
        livemode: false,
        max_redemptions: int(params.max_redemptions),
        metadata: params.metadata ?? {},
        name: params.name ?? null,
        percent_off: params.percent_off !== undefined ? Number(params.percent_off) : null,
        redeem_by: int(params.redeem_by),
        times_redeemed: 0,
        valid: true,
      };
      coupons.set(coupon.id, coupon);
      created.coupons.push(coupon);
      return { status: 200, body: coupon };
    }
    if (path === '/v1/checkout/sessions') {
      if (typeof params.mode !== 'string') return stripeError(400, 'invalid_request_error', 'Missing required param: mode.', 'mode', 'parameter_missing');
      const lineItems = Array.isArray(params.line_items) ? params.line_items as Record<string, FormValue>[] : [];
      if (params.mode !== 'setup' && lineItems.length === 0) return stripeError(400, 'invalid_request_error', 'You must provide line_items when mode is subscription or payment.', 'line_items', 'parameter_missing');
      const discounts = Array.isArray(params.discounts) ? params.discounts as Record<string, FormValue>[] : [];
      let amountDiscount = 0;
      for (const d of discounts) {
        const coupon = typeof d.coupon === 'string' ? coupons.get(d.coupon) : undefined;
        if (!coupon) return stripeError(400, 'invalid_request_error', `No such coupon: '${String(d.coupon)}'`, 'discounts[0][coupon]', 'resource_missing');
        amountDiscount += Number(coupon.amount_off ?? 0);
      }
      const subtotal = lineItems.reduce((sum, item) => {
        const priceData = (item.price_data ?? {}) as Record<string, FormValue>;
        return sum + (int(priceData.unit_amount) ?? 0) * (int(item.quantity) ?? 1);
      }, 0);
      const firstPrice = (lineItems[0]?.price_data ?? {}) as Record<string, FormValue>;
      const discount = Math.min(amountDiscount, subtotal);
      const id = `cs_test_${token(58)}`;
      const allowed = Array.isArray(params.allowed_payment_method_types) ? params.allowed_payment_method_types : null;
      const session = {
        id,
        object: 'checkout.session',
        allow_promotion_codes: null,
        allowed_payment_method_types: allowed,
        amount_subtotal: subtotal,
        amount_total: subtotal - discount,
        automatic_tax: { enabled: false, liability: null, provider: null, status: null },
        billing_address_collection: null,
        cancel_url: params.cancel_url ?? null,
        client_reference_id: params.client_reference_id ?? null,
        client_secret: null,
        created: now,
        currency: firstPrice.currency ?? params.currency ?? null,
        customer: params.customer ?? null,
        customer_creation: params.mode === 'payment' ? 'if_required' : null,
        customer_details: null,
        customer_email: params.customer_email ?? null,
        discounts: discounts.map((d) => ({ coupon: d.coupon ?? null, promotion_code: d.promotion_code ?? null })),
        expires_at: now + 24 * 3600,
        invoice: null,
        livemode: false,
        locale: params.locale ?? null,
        metadata: params.metadata ?? {},
        mode: params.mode,
        payment_intent: null,
        payment_link: null,
        payment_method_collection: params.payment_method_collection ?? 'always',
        payment_method_types: allowed ?? ['card'],
        payment_status: 'unpaid',
        setup_intent: null,
        status: 'open',
        submit_type: null,
        subscription: null,
        success_url: params.success_url ?? null,
        total_details: { amount_discount: discount, amount_shipping: 0, amount_tax: 0 },
        ui_mode: params.ui_mode ?? 'hosted',
        url: `https://checkout.stripe.com/c/pay/${id}`,
      };
      created.checkoutSessions.push(session);
      return { status: 200, body: session };
    }
    if (typeof params.customer !== 'string') return stripeError(400, 'invalid_request_error', 'Missing required param: customer.', 'customer', 'parameter_missing');
    if (!params.customer.startsWith('cus_')) return stripeError(400, 'invalid_request_error', `No such customer: '${params.customer}'`, 'customer', 'resource_missing');
    const portal = {
      id: `bps_${token(24)}`,
      object: 'billing_portal.session',
      configuration: portalConfiguration,
      created: now,
      customer: params.customer,
      customer_account: null,
      flow: null,
      livemode: false,
      locale: params.locale ?? null,
      on_behalf_of: null,
      return_url: params.return_url ?? null,
      url: `https://billing.stripe.com/p/session/test_${token(48)}`,
    };
    created.portalSessions.push(portal);
    return { status: 200, body: portal };
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const path = (req.url ?? '/').split('?')[0]!;
      const idempotencyKey = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
      const params = decodeForm(rawBody);
      requests.push({ method: req.method ?? 'GET', path, headers: req.headers, idempotencyKey, params });
      const headers: Record<string, string> = {
        'Content-Type': 'application/json',
        'Request-Id': `req_${token(14)}`,
        'Stripe-Version': typeof req.headers['stripe-version'] === 'string' ? req.headers['stripe-version'] : '',
      };
      const send = (reply: { status: number; body: unknown }) => {
        res.writeHead(reply.status, headers);
        res.end(JSON.stringify(reply.body, null, 2));
      };

      const auth = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!auth) return send(stripeError(401, 'invalid_request_error', 'You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth.'));
      if (options.secretKey !== undefined ? auth !== options.secretKey : !/^(sk|rk)_test_/.test(auth)) {
        return send(stripeError(401, 'invalid_request_error', `Invalid API Key provided: ${auth.slice(0, 8)}${'*'.repeat(Math.max(auth.length - 12, 0))}${auth.slice(-4)}`));
      }
      if (req.method !== 'POST' && !(req.method === 'DELETE' && path.startsWith('/v1/subscriptions/'))) return send(stripeError(404, 'invalid_request_error', `Unrecognized request URL (${req.method}: ${path}).`));

      if (idempotencyKey !== null) {
        headers['Idempotency-Key'] = idempotencyKey;
        const earlier = byIdempotencyKey.get(idempotencyKey);
        if (earlier) {
          if (earlier.path !== path || earlier.rawBody !== rawBody) {
            return send(stripeError(400, 'idempotency_error', `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`));
          }
          headers['Idempotent-Replayed'] = 'true';
          return send(earlier);
        }
      }
      const reply = handle(path, params, req.method ?? 'POST');
      // Stripe keeps the outcome of a key unless the request failed on its side (5xx), which the fake never does.
      if (idempotencyKey !== null) byIdempotencyKey.set(idempotencyKey, { path, rawBody, ...reply });
      send(reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    connection: { host: '127.0.0.1', port, protocol: 'http' },
    requests,
    created,
    subscriptionChanges,
    close: () => new Promise<void>((resolve) => {
      // the SDK keeps connections alive; without this close would wait for them to time out
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/**
 * A webhook delivery as Stripe sends it: the pretty-printed JSON body and its `Stripe-Signature` header.
 * A string is signed as it is (for bodies that are no JSON); `signedAt` dates the signature, for replays.
 */
export function signedStripeEvent(event: object | string, webhookSecret: string, signedAt: Date = new Date()): { body: string; header: string } {
  const body = typeof event === 'string' ? event : JSON.stringify(event, null, 2);
  const header = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: webhookSecret, timestamp: Math.floor(signedAt.getTime() / 1000) });
  return { body, header };
}

/** Decodes a Stripe form body (qs style, indexed arrays) into nested objects and arrays. */
export function decodeForm(raw: string): Record<string, FormValue> {
  const root: Record<string, FormValue> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const path = key.split(/[[\]]+/).filter((part) => part !== '');
    let node: Record<string, FormValue> | FormValue[] = root;
    path.forEach((part, i) => {
      const last = i === path.length - 1;
      const container = node as Record<string, FormValue>;
      if (last) {
        container[part] = value;
        return;
      }
      const nextIsIndex = /^\d+$/.test(path[i + 1]!);
      container[part] ??= nextIsIndex ? [] : {};
      node = container[part] as Record<string, FormValue> | FormValue[];
    });
  }
  return root;
}

function stripeError(status: number, type: string, message: string, param?: string, code?: string): { status: number; body: unknown } {
  return { status, body: { error: { type, message, ...(param ? { param } : {}), ...(code ? { code } : {}) } } };
}

function int(value: FormValue | undefined): number | null {
  return typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : null;
}

function token(length: number): string {
  return randomBytes(length).toString('base64url').replace(/[-_]/g, 'x').slice(0, length);
}
