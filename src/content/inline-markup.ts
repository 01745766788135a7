// The inline Markdown subset of the interchange format (*em*, **strong**, [text](url)) turned into escaped HTML.
import { escapeHtml } from '../html-escape.ts';

/** Only http(s), mailto and site-relative links survive; anything else (javascript:, data:) stays plain text. */
function safeHref(url: string): string | null {
  return /^(https?:\/\/|mailto:|\/(?!\/))/i.test(url.trim()) ? url.trim() : null;
}

export function renderInline(text: string): string {
  let out = '';
  const re = /\[([^\]\n]+)\]\(([^)\s]+)\)|\*\*([^*\n]+)\*\*|\*([^*\n]+)\*/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out += escapeHtml(text.slice(last, m.index));
    if (m[1] !== undefined) {
      const href = safeHref(m[2]!);
      out += href ? `<a href="${escapeHtml(href)}"${/^https?:/i.test(href) ? ' rel="noopener nofollow"' : ''}>${escapeHtml(m[1])}</a>` : escapeHtml(m[1]);
    } else if (m[3] !== undefined) out += `<strong>${escapeHtml(m[3])}</strong>`;
    else out += `<em>${escapeHtml(m[4]!)}</em>`;
    last = m.index + m[0].length;
  }
  return out + escapeHtml(text.slice(last));
}
