// The editor page: the boot data for the editor script (src/client/editor/) and the shell it works in — meta fields,
// toolbar, body, side panels and dialogs, labelled for keyboard and screen readers. The script fills in the rest.
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import type { EditorBootData } from './editor-contract.ts';

/** JSON inside <script>: `<` escaped so no text of the article can close the element. */
export const scriptJson = (data: unknown): string => JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

export const STATE_LABELS: Record<EditorBootData['state'], string> = {
  draft: 'Entwurf', review: 'In Prüfung', scheduled: 'Geplant', published: 'Veröffentlicht', unpublished: 'Zurückgezogen',
};

const ACCESS = [
  { value: 'free', label: 'Frei', hint: 'für alle' },
  { value: 'registered', label: 'Registriert', hint: 'mit Konto' },
  { value: 'plus', label: 'Plus', hint: 'für Abonnenten' },
] as const;

function Icon({ d }: { d: string }) {
  return <svg class="nr-ed-icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false"><path d={d} fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" /></svg>;
}

const ICONS = {
  link: 'M10 14a4 4 0 0 0 5.66 0l3-3a4 4 0 0 0-5.66-5.66l-1 1M14 10a4 4 0 0 0-5.66 0l-3 3a4 4 0 0 0 5.66 5.66l1-1',
  image: 'M4 5h16v14H4zM4 16l5-5 4 4 3-3 4 4M15.5 8.5h.01',
  library: 'M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z',
  paywall: 'M3 12h4M17 12h4M9 12h6M12 6v3M12 15v3',
  undo: 'M9 14 4 9l5-5M4 9h10a6 6 0 0 1 0 12h-3',
  redo: 'M15 14l5-5-5-5M20 9H10a6 6 0 0 0 0 12h3',
  keyboard: 'M3 7h18v10H3zM7 11h.01M11 11h.01M15 11h.01M8 14h8',
};

/** A toolbar button; `keys` in aria-keyshortcuts notation where there is one fixed shortcut. */
function ToolButton({ cmd, label, shortcut, keys, children, pressable = true }: { cmd: string; label: string; shortcut?: string; keys?: string; children: Child; pressable?: boolean }) {
  return (
    <button type="button" class="nr-ed-tool" data-cmd={cmd} aria-pressed={pressable ? 'false' : undefined} aria-label={label} title={shortcut ? `${label} (${shortcut})` : label} aria-keyshortcuts={keys}>
      {children}
    </button>
  );
}

function Counter({ id, limit }: { id: string; limit: number }) {
  return <span class="nr-ed-count" id={id} data-limit={limit} aria-live="off"></span>;
}

export function EditorPage({ boot, scriptUrl, actions }: { boot: EditorBootData; scriptUrl?: string; actions?: Child }) {
  const d = boot.doc;
  const slugFixed = boot.state === 'published' || boot.state === 'unpublished';
  return (
    <div class="nr-ed" id="kt-editor" data-access={d.access} aria-busy="true">
      <script type="application/json" id="kt-editor-data">{raw(scriptJson(boot))}</script>
      <noscript><p class="nr-ed-alert">Der Editor braucht JavaScript. Ohne JavaScript können Sie den Artikel nicht bearbeiten.</p></noscript>

      {/* sticky: where the article stands, what became of the typing, and the page's workflow forms (actions) */}
      <div class="nr-ed-bar">
        <div class="nr-ed-bar__status">
          <span class={`nr-ed-chip nr-ed-chip--${boot.state}`} id="nr-ed-state">{STATE_LABELS[boot.state]}</span>
          <span class="nr-ed-save" id="nr-ed-save" role="status" aria-live="polite" data-kind="saved">Version {boot.version}</span>
        </div>
        <div class="nr-ed-bar__actions">
          <a class="nr-ed-barlink" href={boot.urls.preview} target="_blank" rel="noopener">Vorschau in neuem Tab</a>
          {actions}
        </div>
      </div>
      <div class="nr-ed-alert" id="nr-ed-alert" role="alert" hidden></div>
      <p class="visually-hidden" id="nr-ed-live" aria-live="polite"></p>

      <div class="nr-ed-layout">
        <div class="nr-ed-main">
          <div class="nr-ed-field nr-ed-field--kicker">
            <label for="nr-ed-kicker">Dachzeile</label>
            <input id="nr-ed-kicker" data-field="kicker" type="text" maxlength={80} value={d.kicker} autocomplete="off" placeholder="z. B. Stadtrat" />
          </div>
          <div class="nr-ed-field nr-ed-field--headline">
            <label for="nr-ed-headline">Überschrift</label>
            <textarea id="nr-ed-headline" data-field="headline" rows={1} maxlength={300} placeholder="Überschrift des Artikels">{d.headline}</textarea>
          </div>
          <div class="nr-ed-field nr-ed-field--teaser">
            <label for="nr-ed-teaser">Vorspann</label>
            <textarea id="nr-ed-teaser" data-field="teaser" rows={2} maxlength={1000} placeholder="Zwei, drei Sätze, die in den Artikel führen">{d.teaser}</textarea>
          </div>

          <div class="nr-ed-toolbar" role="toolbar" aria-label="Text bearbeiten" aria-controls="nr-ed-body">
            <div class="nr-ed-toolbar__group" role="group" aria-label="Blockart">
              <ToolButton cmd="block:paragraph" label="Absatz" shortcut="Strg+Umschalt+0" keys="Control+Shift+0">Absatz</ToolButton>
              <ToolButton cmd="block:subheading" label="Zwischentitel" shortcut="Strg+Umschalt+1" keys="Control+Shift+1">Zwischentitel</ToolButton>
              <ToolButton cmd="block:question" label="Frage" shortcut="Alt+0" keys="Alt+0">Frage</ToolButton>
              <ToolButton cmd="block:answer" label="Antwort" shortcut="Alt+1…9">Antwort</ToolButton>
              <ToolButton cmd="block:quote" label="Zitat" shortcut="Strg+Umschalt+4" keys="Control+Shift+4">Zitat</ToolButton>
            </div>
            <div class="nr-ed-toolbar__group" role="group" aria-label="Auszeichnung">
              <ToolButton cmd="mark:bold" label="Fett" shortcut="Strg+B" keys="Control+B"><b>F</b></ToolButton>
              <ToolButton cmd="mark:italic" label="Kursiv" shortcut="Strg+I" keys="Control+I"><i>K</i></ToolButton>
              <ToolButton cmd="link" label="Link" shortcut="Strg+K" keys="Control+K"><Icon d={ICONS.link} /></ToolButton>
            </div>
            <div class="nr-ed-toolbar__group" role="group" aria-label="Einfügen">
              <ToolButton cmd="upload" label="Bild hochladen" pressable={false}><Icon d={ICONS.image} /><span class="nr-ed-tool__text">Bild</span></ToolButton>
              <ToolButton cmd="library" label="Bild aus der Mediathek" pressable={false}><Icon d={ICONS.library} /><span class="nr-ed-tool__text">Mediathek</span></ToolButton>
              <ToolButton cmd="paywall" label="Paywall hinter diesen Block setzen" shortcut="Alt+P" keys="Alt+P" pressable={false}><Icon d={ICONS.paywall} /><span class="nr-ed-tool__text">Paywall</span></ToolButton>
            </div>
            <div class="nr-ed-toolbar__group nr-ed-toolbar__group--end" role="group" aria-label="Verlauf">
              <ToolButton cmd="undo" label="Rückgängig" shortcut="Strg+Z" keys="Control+Z" pressable={false}><Icon d={ICONS.undo} /></ToolButton>
              <ToolButton cmd="redo" label="Wiederholen" shortcut="Strg+Umschalt+Z" keys="Control+Shift+Z" pressable={false}><Icon d={ICONS.redo} /></ToolButton>
              <ToolButton cmd="help" label="Tastenkürzel" pressable={false}><Icon d={ICONS.keyboard} /></ToolButton>
            </div>
          </div>
          <div class="nr-ed-speakerbar" id="nr-ed-speakerbar" role="group" aria-label="Wer spricht: Frage oder Antwort von" hidden></div>
          <div class="nr-ed-body" id="nr-ed-body" data-placeholder="Der Editor wird geladen …"></div>
        </div>

        <aside class="nr-ed-side" id="nr-ed-side" aria-label="Artikeldaten">
          <section class="nr-ed-panel" aria-labelledby="nr-ed-h-place">
            <h2 id="nr-ed-h-place">Einordnung</h2>
            <div class="nr-ed-field">
              <label for="nr-ed-section">Ressort</label>
              <select id="nr-ed-section" data-field="section">
                <option value="">– Ressort wählen –</option>
                {boot.sections.map((s) => <option value={s.slug} selected={s.slug === d.section}>{s.name}</option>)}
              </select>
            </div>
            <div class="nr-ed-field">
              <span class="nr-ed-label" id="nr-ed-authors-label">Autorinnen und Autoren</span>
              <ul class="nr-ed-chips" id="nr-ed-authors" aria-labelledby="nr-ed-authors-label"></ul>
              <label class="visually-hidden" for="nr-ed-author-add">Autorin oder Autor hinzufügen</label>
              <select id="nr-ed-author-add">
                <option value="">+ Autorin/Autor hinzufügen</option>
                {boot.authors.map((a) => <option value={a.slug}>{a.name}</option>)}
              </select>
            </div>
            <fieldset class="nr-ed-field nr-ed-access">
              <legend>Zugang</legend>
              <div class="nr-ed-seg">
                {ACCESS.map((a) => (
                  <label class={`nr-ed-seg__opt nr-ed-seg__opt--${a.value}`}>
                    <input type="radio" name="nr-ed-access" value={a.value} checked={d.access === a.value} />
                    <span>{a.label}<small>{a.hint}</small></span>
                  </label>
                ))}
              </div>
              <p class="nr-ed-hint" id="nr-ed-paywall-info"></p>
            </fieldset>
          </section>

          <section class="nr-ed-panel" aria-labelledby="nr-ed-h-lead">
            <h2 id="nr-ed-h-lead">Aufmacherbild</h2>
            <div class="nr-ed-lead" id="nr-ed-lead">
              <div class="nr-ed-lead__drop" id="nr-ed-lead-drop">
                <div class="nr-ed-lead__img" id="nr-ed-lead-img"></div>
                <p class="nr-ed-lead__empty">Bild hierher ziehen</p>
              </div>
              <div class="nr-ed-lead__buttons">
                <button type="button" class="nr-ed-btn nr-ed-btn--small" id="nr-ed-lead-upload">Hochladen …</button>
                <button type="button" class="nr-ed-btn nr-ed-btn--small" id="nr-ed-lead-library">Mediathek …</button>
                <button type="button" class="nr-ed-btn nr-ed-btn--small nr-ed-btn--quiet" id="nr-ed-lead-remove">Entfernen</button>
              </div>
              <div class="nr-ed-field">
                <label for="nr-ed-lead-caption">Bildunterschrift</label>
                <input id="nr-ed-lead-caption" data-field="image.caption" type="text" maxlength={500} value={d.image?.caption ?? ''} />
              </div>
              <div class="nr-ed-field">
                <label for="nr-ed-lead-credit">Bildnachweis</label>
                <input id="nr-ed-lead-credit" data-field="image.credit" type="text" maxlength={200} value={d.image?.credit ?? ''} placeholder="Foto: …" />
              </div>
            </div>
          </section>

          <section class="nr-ed-panel" aria-labelledby="nr-ed-h-speakers">
            <h2 id="nr-ed-h-speakers">Interview</h2>
            <p class="nr-ed-hint">Gesprächspartner für Antworten: <kbd>Alt</kbd>+<kbd>1</kbd>…<kbd>9</kbd> setzt die Person, <kbd>Alt</kbd>+<kbd>0</kbd> macht eine Frage, <kbd>Enter</kbd> am Ende wechselt zwischen Frage und Antwort.</p>
            <ol class="nr-ed-speakers" id="nr-ed-speakers"></ol>
            <div class="nr-ed-inline">
              <label class="visually-hidden" for="nr-ed-speaker-new">Neue Person</label>
              <input id="nr-ed-speaker-new" type="text" maxlength={100} placeholder="Name der Person" autocomplete="off" />
              <button type="button" class="nr-ed-btn nr-ed-btn--small" id="nr-ed-speaker-add">Hinzufügen</button>
            </div>
          </section>

          <section class="nr-ed-panel" aria-labelledby="nr-ed-h-seo">
            <h2 id="nr-ed-h-seo">Suchmaschinen</h2>
            <div class="nr-ed-field">
              <label for="nr-ed-slug">Adresse (URL)</label>
              <div class="nr-ed-prefixed"><span aria-hidden="true">/artikel/</span><input id="nr-ed-slug" data-field="slug" type="text" maxlength={120} value={d.slug} readonly={slugFixed} aria-describedby="nr-ed-slug-hint" autocomplete="off" spellcheck={false} /></div>
              <p class="nr-ed-hint" id="nr-ed-slug-hint">{slugFixed ? 'Die Adresse bleibt fest, seit der Artikel veröffentlicht wurde.' : 'Kleinbuchstaben, Ziffern und Bindestriche; wird aus der Überschrift vorgeschlagen.'}</p>
            </div>
            <div class="nr-ed-field">
              <div class="nr-ed-labelrow"><label for="nr-ed-seo-title">SEO-Titel</label><Counter id="nr-ed-seo-title-count" limit={60} /></div>
              <input id="nr-ed-seo-title" data-field="seoTitle" type="text" maxlength={200} value={d.seoTitle} aria-describedby="nr-ed-seo-title-count" />
            </div>
            <div class="nr-ed-field">
              <div class="nr-ed-labelrow"><label for="nr-ed-seo-desc">SEO-Beschreibung</label><Counter id="nr-ed-seo-desc-count" limit={160} /></div>
              <textarea id="nr-ed-seo-desc" data-field="seoDescription" rows={3} maxlength={400} aria-describedby="nr-ed-seo-desc-count">{d.seoDescription}</textarea>
            </div>
            <figure class="nr-ed-serp" aria-label="Vorschau im Suchergebnis">
              <figcaption>So etwa erscheint der Artikel bei Google</figcaption>
              <div class="nr-ed-serp__url" id="nr-ed-serp-url"></div>
              <div class="nr-ed-serp__title" id="nr-ed-serp-title"></div>
              <div class="nr-ed-serp__desc" id="nr-ed-serp-desc"></div>
            </figure>
          </section>
        </aside>
      </div>

      <input type="file" id="nr-ed-file" accept="image/jpeg,image/png,image/webp" hidden />

      <dialog class="nr-ed-dialog nr-ed-dialog--wide" id="nr-ed-media-dialog" aria-labelledby="nr-ed-media-title">
        <form method="dialog" class="nr-ed-dialog__head">
          <h2 id="nr-ed-media-title">Mediathek</h2>
          <button class="nr-ed-iconbtn" value="cancel" aria-label="Schließen">×</button>
        </form>
        <div class="nr-ed-inline">
          <label class="visually-hidden" for="nr-ed-media-q">Bilder suchen</label>
          <input id="nr-ed-media-q" type="search" placeholder="Bildunterschrift, Nachweis, Dateiname …" autocomplete="off" />
        </div>
        <p class="nr-ed-hint" id="nr-ed-media-status" role="status"></p>
        <ul class="nr-ed-media-grid" id="nr-ed-media-list"></ul>
      </dialog>

      <dialog class="nr-ed-dialog" id="nr-ed-link-dialog" aria-labelledby="nr-ed-link-title">
        <form method="dialog" id="nr-ed-link-form">
          <h2 id="nr-ed-link-title">Link</h2>
          <div class="nr-ed-field">
            <label for="nr-ed-link-url">Adresse</label>
            <input id="nr-ed-link-url" type="text" inputmode="url" placeholder="https://… oder /artikel/…" autocomplete="off" aria-describedby="nr-ed-link-error" />
            <p class="nr-ed-error" id="nr-ed-link-error"></p>
          </div>
          <div class="nr-ed-dialog__buttons">
            <button class="nr-ed-btn nr-ed-btn--quiet" value="remove" id="nr-ed-link-remove">Link entfernen</button>
            <button class="nr-ed-btn nr-ed-btn--ghost" value="cancel" formnovalidate>Abbrechen</button>
            <button class="nr-ed-btn" value="ok" id="nr-ed-link-ok">Übernehmen</button>
          </div>
        </form>
      </dialog>

      <dialog class="nr-ed-dialog nr-ed-dialog--full" id="nr-ed-conflict-dialog" aria-labelledby="nr-ed-conflict-title"></dialog>
      <dialog class="nr-ed-dialog" id="nr-ed-restore-dialog" aria-labelledby="nr-ed-restore-title"></dialog>

      <dialog class="nr-ed-dialog" id="nr-ed-help-dialog" aria-labelledby="nr-ed-help-title">
        <form method="dialog" class="nr-ed-dialog__head">
          <h2 id="nr-ed-help-title">Tastenkürzel</h2>
          <button class="nr-ed-iconbtn" value="cancel" aria-label="Schließen">×</button>
        </form>
        <dl class="nr-ed-keys">
          <dt><kbd>Strg</kbd>+<kbd>B</kbd> / <kbd>I</kbd> / <kbd>K</kbd></dt><dd>Fett, kursiv, Link</dd>
          <dt><kbd>Strg</kbd>+<kbd>Umschalt</kbd>+<kbd>0</kbd>…<kbd>4</kbd></dt><dd>Absatz, Zwischentitel, Frage, Antwort, Zitat</dd>
          <dt><kbd>Alt</kbd>+<kbd>1</kbd>…<kbd>9</kbd></dt><dd>Antwort von Gesprächspartner 1–9</dd>
          <dt><kbd>Alt</kbd>+<kbd>0</kbd></dt><dd>Frage</dd>
          <dt><kbd>Alt</kbd>+<kbd>Enter</kbd></dt><dd>Frage ↔ Antwort</dd>
          <dt><kbd>Enter</kbd> am Ende</dt><dd>nach einer Frage: Antwort; nach einer Antwort: nächste Frage</dd>
          <dt><kbd>Alt</kbd>+<kbd>↑</kbd> / <kbd>↓</kbd></dt><dd>Block (oder die markierte Paywall) verschieben</dd>
          <dt><kbd>Alt</kbd>+<kbd>P</kbd></dt><dd>Paywall hinter den aktuellen Block setzen</dd>
          <dt><kbd>Strg</kbd>+<kbd>S</kbd></dt><dd>Sofort speichern</dd>
          <dt><kbd>**fett**</kbd> <kbd>*kursiv*</kbd> <kbd>## </kbd> <kbd>&gt; </kbd></dt><dd>Schreibweisen, die sofort umgesetzt werden</dd>
        </dl>
      </dialog>
      {scriptUrl ? <script type="module" src={scriptUrl} /> : null}
    </div>
  );
}
