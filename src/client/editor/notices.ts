// The editor page's messages: a polite live region for screen readers and the alert box above the editor (upload
// refusals, save problems with links to the fields and blocks they name).
const live = document.getElementById('nr-ed-live')!;
let liveTimer: ReturnType<typeof setTimeout> | undefined;

export function announce(message: string): void {
  // cleared first, so the same sentence twice is read twice
  live.textContent = '';
  clearTimeout(liveTimer);
  liveTimer = setTimeout(() => { live.textContent = message; }, 30);
}

const alertBox = document.getElementById('nr-ed-alert')!;

export interface AlertItem { text: string; go?: () => void }

export function showAlert(message: string, items: AlertItem[] = []): void {
  const p = document.createElement('p');
  p.textContent = message;
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'nr-ed-iconbtn nr-ed-alert__close';
  close.textContent = '×';
  close.setAttribute('aria-label', 'Meldung schließen');
  close.addEventListener('click', () => { alertBox.hidden = true; });
  const list = document.createElement('ul');
  for (const it of items) {
    const li = document.createElement('li');
    if (it.go) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'nr-ed-linkbtn';
      b.textContent = it.text;
      b.addEventListener('click', it.go);
      li.append(b);
    } else li.textContent = it.text;
    list.append(li);
  }
  alertBox.replaceChildren(close, p, ...(items.length ? [list] : []));
  alertBox.hidden = false;
}

export const hideAlert = (): void => { alertBox.hidden = true; };
/** Whether the alert box shows a save problem (cleared once a save succeeds). */
export const alertShowsSaveProblem = (): boolean => !alertBox.hidden && !!alertBox.textContent?.includes('Nicht gespeichert');
