// Browser script of article pages: fills in the reader's personal header bits and unlocks Plus text for entitled readers.
import { decryptPremiumPayload } from './premium-cipher.ts';
import { showOfferVariant } from './offer-variant.ts';
import { showInstitutionNote } from './institution-note.ts';
import { startInsights } from './beacon.ts';

interface MeterInfo { limit: number; used: number; remaining?: number }
interface UnlockAnswer { granted?: boolean; key?: string; reason?: string; message?: string; resend?: string; error?: { message?: string }; meter?: MeterInfo; institution?: { name?: unknown }; need?: string; signedIn?: boolean }
interface MeAnswer { user?: null | { displayName?: string }; csrfToken?: string }

const UNLOCKED = 'Artikel freigeschaltet';
const DECRYPT_FAILED = 'Der Artikel konnte nicht entschlüsselt werden. Bitte laden Sie die Seite neu.';
const UNLOCK_FAILED = 'Der Artikel konnte gerade nicht freigeschaltet werden. Bitte laden Sie die Seite neu.';

const doc = document;
const find = (selector: string, root: ParentNode = doc): HTMLElement | null => root.querySelector<HTMLElement>(selector);

function setText(selector: string, text: string): void {
  doc.querySelectorAll<HTMLElement>(selector).forEach((element) => { element.textContent = text; });
}

async function getJson<T>(url: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(url, { ...init, credentials: 'same-origin', headers: { accept: 'application/json', ...init.headers } });
  return (await response.json()) as T;
}

function meterText(meter: MeterInfo): string {
  const left = meter.remaining ?? Math.max(0, meter.limit - meter.used);
  return left > 0 ? `Noch ${left} Plus-Artikel frei in diesem Monat` : 'Das war Ihr letzter freier Plus-Artikel in diesem Monat';
}

async function fillPersonal(): Promise<void> {
  try {
    const me = await getJson<MeAnswer>('/api/me');
    if (me.csrfToken && !find('meta[name=csrf-token]')) {
      // Later scripts (forms, editor) read the token here; the cached page cannot carry a personal one.
      const meta = doc.createElement('meta');
      meta.name = 'csrf-token';
      meta.content = me.csrfToken;
      doc.head.append(meta);
    }
    if (!me.user) return;
    setText('[data-account-link]', me.user.displayName || 'Mein Konto');
    doc.documentElement.dataset.loggedIn = '1';
  } catch {
    // The personal bits are a courtesy: the page stays usable without them.
  }
}

/**
 * The address is not confirmed yet: a button that posts to the account route sending the mail again. The CSRF
 * token comes from /api/me (read when the button is pressed, so the parallel request has long answered).
 */
function offerResend(premium: HTMLElement, action: string): void {
  const form = doc.createElement('form');
  form.method = 'post';
  form.action = action;
  const token = doc.createElement('input');
  token.type = 'hidden';
  token.name = '_csrf';
  const button = doc.createElement('button');
  button.type = 'submit';
  button.className = 'button';
  button.textContent = 'Bestätigungsmail erneut senden';
  form.append(token, button);
  form.addEventListener('submit', () => { token.value = find('meta[name=csrf-token]')?.getAttribute('content') ?? ''; });
  find('[data-paywall-message]', premium)?.after(form);
}

/** Resolves with the server's answer (the insights read a denial from it), or null when there was nothing to unlock. */
async function unlock(premium: HTMLElement): Promise<UnlockAnswer | null> {
  const { unlockUrl, keyId = '' } = premium.dataset;
  const text = find('.premium-text', premium);
  const payload = find('#premium-ciphertext', premium) as HTMLTemplateElement | null;
  if (!unlockUrl || !text || !payload) return null;
  // Announcements go through one status region that exists before anything changes, so screen readers
  // hear a short sentence instead of having the whole article read out from a live region.
  const status = doc.createElement('p');
  status.className = 'visually-hidden';
  status.setAttribute('role', 'status');
  premium.append(status);

  let answer: UnlockAnswer;
  try {
    answer = await getJson<UnlockAnswer>(unlockUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-klartext-csrf': find('meta[name=csrf-token]')?.getAttribute('content') || '1',
      },
      // Gift links read `?geschenk=TOKEN`; the page itself is the same for everyone, only the script passes the token on.
      body: JSON.stringify({ keyId, gift: new URLSearchParams(location.search).get('geschenk') ?? undefined }),
    });
  } catch {
    answer = { message: UNLOCK_FAILED };
  }
  if (answer.granted !== true || !answer.key) {
    // Denials carry `message`; errors (unknown article, changed text: reload) carry `error.message`.
    const message = answer.message ?? answer.error?.message;
    if (message) setText('[data-paywall-message]', message);
    if (answer.resend?.startsWith('/')) offerResend(premium, answer.resend);
    return answer;
  }

  let html: string | null;
  try {
    // The page's own key id is the additional data: a key for another version of the text cannot open it.
    const plain = JSON.parse(await decryptPremiumPayload(payload.content.textContent ?? '', answer.key, keyId)) as { html?: unknown };
    if (typeof plain.html !== 'string') throw new Error('no html');
    html = plain.html;
  } catch {
    html = null;
  }
  for (const selector of ['.premium-decoy', '.premium-note', '.paywall-box']) find(selector, premium)?.remove();
  text.removeAttribute('aria-live');
  if (html !== null) {
    // Safe as HTML: the server escaped it, and GCM proved the server produced it.
    text.innerHTML = html;
    premium.classList.add('premium--unlocked');
    if (answer.meter) setText('[data-meter-status]', meterText(answer.meter));
    if (answer.reason === 'institution') showInstitutionNote(premium, answer.institution?.name);
    // Only readers who may read everything can give an article away.
    if (answer.reason === 'subscriber' || answer.reason === 'staff') doc.querySelectorAll<HTMLElement>('[data-gift-action]').forEach((element) => { element.hidden = false; });
  } else {
    const error = doc.createElement('p');
    error.className = 'premium-error';
    error.textContent = DECRYPT_FAILED;
    text.replaceChildren(error);
    premium.classList.add('premium--failed');
  }
  text.hidden = false;
  status.textContent = html === null ? DECRYPT_FAILED : UNLOCKED;
  return answer;
}

function start(): void {
  const premium = doc.getElementById('premium');
  // first: the offer box's variant of a running experiment, which the beacon and the attribution entry name
  if (premium) showOfferVariant(premium);
  // the cancellation receipt's print button: without script it stays hidden and the page is printed from the browser menu
  doc.querySelectorAll<HTMLElement>('[data-print]').forEach((button) => { button.hidden = false; button.addEventListener('click', () => window.print()); });
  const insights = startInsights(doc);
  // a denial (granted: false) is a paywall impression; an error answer is not
  void Promise.all([fillPersonal(), premium && unlock(premium).then((answer) => insights.unlocked(premium, answer?.granted === false ? answer : null))]);
}

if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', start, { once: true });
else start();
