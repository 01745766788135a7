// The checkout page for a guest: log in or register right here, then the order continues on the same page (no dead end).
import { MIN_PASSWORD_LENGTH } from '../../accounts/index.ts';
import type { CheckoutQuote, Offer } from '../../billing/index.ts';
import { Checkbox, CsrfField, ErrorSummary, Field, Notice, type FormState } from '../ui/form.view.tsx';
import { attributionQuery, queryOf, type OrderAttribution } from './billing-area.ts';
import { CheckoutHeader, OfferAside, OrderSummary } from './checkout.view.tsx';

const LABELS: Record<string, string> = {
  email: 'E-Mail-Adresse', password: 'Passwort', newEmail: 'E-Mail-Adresse', newPassword: 'Passwort',
  acceptTerms: 'Nutzungsbedingungen', acceptPrivacy: 'Datenschutz',
};

export interface CheckoutAuthView {
  offer: Offer;
  quote: CheckoutQuote;
  csrf: string;
  next: string;
  login: FormState;
  register: FormState;
  /** after a registration for an address that already has an account: the mail went out, log in instead */
  registeredNotice?: string;
  /** the checked attribution, carried through login or registration to the order form */
  attribution?: OrderAttribution;
}

export function CheckoutAuthPage(v: CheckoutAuthView) {
  const query = queryOf({ next: v.next, monate: v.quote.giftMonths, ...(v.attribution ? attributionQuery(v.attribution) : {}) });
  const base = `/abo/bestellen/${v.offer.slug}`;
  return (
    <div class="checkout">
      <CheckoutHeader offer={v.offer} step={1} />
      <div class="checkout__grid">
        <div class="checkout__main">
          <p class="checkout__lead">Für Ihr Abo brauchen Sie ein Konto bei uns – damit lesen Sie Plus auf allen Geräten und verwalten oder kündigen Ihr Abo jederzeit selbst.</p>
          <div class="checkout__auth">
            <section class="checkout__panel" aria-labelledby="login-title">
              <h2 id="login-title">Ich habe schon ein Konto</h2>
              <ErrorSummary form={v.login} labels={LABELS} />
              <form method="post" action={`${base}/anmelden${query}`} class="form" novalidate>
                <CsrfField token={v.csrf} />
                <Field form={v.login} name="email" label="E-Mail-Adresse" type="email" autocomplete="username" required />
                <Field form={v.login} name="password" label="Passwort" type="password" autocomplete="current-password" required />
                <button class="button button--large form__submit" type="submit">Anmelden und weiter</button>
              </form>
              <p class="auth__aside"><a href="/passwort-vergessen">Passwort vergessen?</a></p>
            </section>
            <section class="checkout__panel" aria-labelledby="register-title">
              <h2 id="register-title">Ich bin neu hier</h2>
              {v.registeredNotice && <Notice kind="info">{v.registeredNotice}</Notice>}
              <ErrorSummary form={v.register} labels={LABELS} />
              <form method="post" action={`${base}/registrieren${query}`} class="form" novalidate>
                <CsrfField token={v.csrf} />
                <Field form={v.register} name="newEmail" label="E-Mail-Adresse" type="email" autocomplete="email" required />
                <Field form={v.register} name="newPassword" label="Passwort wählen" type="password" autocomplete="new-password" required minlength={MIN_PASSWORD_LENGTH}
                  hint={`Mindestens ${MIN_PASSWORD_LENGTH} Zeichen.`} />
                <Checkbox form={v.register} name="acceptTerms">Ich akzeptiere die <a href="/agb">Nutzungsbedingungen</a>.</Checkbox>
                <Checkbox form={v.register} name="acceptPrivacy">Ich habe die <a href="/datenschutz">Datenschutzerklärung</a> gelesen.</Checkbox>
                <Checkbox form={v.register} name="newsletter">Newsletter mit den wichtigsten Nachrichten (freiwillig, jederzeit abbestellbar).</Checkbox>
                <button class="button button--large form__submit" type="submit">Konto anlegen und weiter</button>
              </form>
              <p class="auth__aside">Sie können sofort bestellen. Den Link zur Bestätigung Ihrer Adresse schicken wir Ihnen per E-Mail.</p>
            </section>
          </div>
          <OrderSummary offer={v.offer} quote={v.quote} method="sepa" />
        </div>
        <OfferAside offer={v.offer} />
      </div>
    </div>
  );
}
