// The form for a new offer experiment: a name and two to four variants of the Plus box (headline, copy, offer, share), problems at their fields.
import { BODY_MAX, HEADLINE_MAX, NAME_MAX, VARIANT_KEYS, variantField, type VariantKey } from '../../analytics/index.ts';
import { CsrfField, ErrorSummary, Field, TextAreaField, type FormState } from '../ui/form.view.tsx';
import { EXPERIMENTS_PATH } from './experiments.view.tsx';
import { PublisherFrame } from './publisher-frame.view.tsx';

/** Labels for the error summary, which links each problem to its field. */
export const EXPERIMENT_LABELS: Record<string, string> = {
  name: 'Name', shares: 'Anteile', variants: 'Varianten',
  ...Object.fromEntries(VARIANT_KEYS.flatMap((k) => [
    [variantField('headline', k), `Überschrift (Variante ${k})`], [variantField('body', k), `Text (Variante ${k})`],
    [variantField('offer', k), `Angebot (Variante ${k})`], [variantField('share', k), `Anteil (Variante ${k})`],
  ])),
};

export interface OfferChoice { id: string; label: string }

function OfferSelect({ form, name, label, offers, featured }: { form: FormState; name: string; label: string; offers: OfferChoice[]; featured: string }) {
  const error = form.problems[name];
  return (
    <div class={error ? 'field field--error' : 'field'}>
      <label for={`f-${name}`}>{label}</label>
      {error && <p class="field__error" id={`${name}-error`}>{error}</p>}
      <select id={`f-${name}`} name={name} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${name}-error` : undefined}>
        <option value="" selected={!form.values[name]}>Hervorgehobenes Angebot ({featured})</option>
        {offers.map((o) => <option value={o.id} selected={form.values[name] === o.id}>{o.label}</option>)}
      </select>
    </div>
  );
}

function ShareField({ form, name, label }: { form: FormState; name: string; label: string }) {
  const error = form.problems[name];
  return (
    <div class={error ? 'field field--error experiments__share' : 'field experiments__share'}>
      <label for={`f-${name}`}>{label}</label>
      {error && <p class="field__error" id={`${name}-error`}>{error}</p>}
      <span class="experiments__share-input"><input id={`f-${name}`} name={name} type="text" inputmode="numeric" pattern="[0-9]*" value={form.values[name] ?? ''}
        aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${name}-error` : undefined} />{'\u00a0%'}</span>
    </div>
  );
}

function VariantFields({ form, k, offers, featured }: { form: FormState; k: VariantKey; offers: OfferChoice[]; featured: string }) {
  const optional = k === 'C' || k === 'D';
  return (
    <fieldset class="experiments__fieldset">
      <legend><span class="experiments__key">{k}</span> {k === 'A' ? 'Kontrolle' : `Variante ${k}`}{optional ? ' (optional)' : ''}</legend>
      {k === 'A' && <p class="field__hint">Was Leserinnen und Leser ohne JavaScript sehen, und der Maßstab für alle anderen Varianten.</p>}
      {optional && <p class="field__hint">Leer lassen, wenn Sie weniger Varianten vergleichen.</p>}
      <Field form={form} name={variantField('headline', k)} label="Überschrift" hint={`höchstens ${HEADLINE_MAX} Zeichen`} />
      <TextAreaField form={form} name={variantField('body', k)} label="Text unter der Überschrift" hint={`optional, höchstens ${BODY_MAX} Zeichen`} maxlength={BODY_MAX} />
      <OfferSelect form={form} name={variantField('offer', k)} label="Beworbenes Angebot" offers={offers} featured={featured} />
      <ShareField form={form} name={variantField('share', k)} label="Anteil an den Seitenaufrufen" />
    </fieldset>
  );
}

export function ExperimentFormPage({ form, offers, featured, csrf }: { form: FormState; offers: OfferChoice[]; featured: string; csrf: string }) {
  const groupProblem = form.problems.shares ?? form.problems.variants;
  return (
    <PublisherFrame title="Neues Experiment" active={EXPERIMENTS_PATH}
      meta="Ein Experiment vergleicht zwei bis vier Varianten der Angebotsbox auf Plus-Artikeln. Es startet erst, wenn Sie es auf der nächsten Seite starten.">
      <p class="publisher__tools"><a href={EXPERIMENTS_PATH}>← Alle Experimente</a></p>
      <ErrorSummary form={form} labels={EXPERIMENT_LABELS} />
      <form class="form experiments__form" method="post" action={EXPERIMENTS_PATH}>
        <CsrfField token={csrf} />
        <Field form={form} name="name" label="Name des Experiments" hint={`nur für Sie sichtbar, höchstens ${NAME_MAX} Zeichen, z. B. „Überschrift mit Preis“`} required />
        <div id="f-shares" class={groupProblem ? 'experiments__group field--error' : 'experiments__group'}>
          <p class="field__hint">{'Die Anteile sind ganze Prozent und ergeben zusammen 100\u00a0%.'}</p>
          {form.problems.variants && <p class="field__error" id="variants-error">{form.problems.variants}</p>}
          {form.problems.shares && <p class="field__error" id="shares-error">{form.problems.shares}</p>}
        </div>
        <div class="experiments__fieldsets">
          {VARIANT_KEYS.map((k) => <VariantFields form={form} k={k} offers={offers} featured={featured} />)}
        </div>
        <button class="button" type="submit">Experiment anlegen</button>
      </form>
    </PublisherFrame>
  );
}
