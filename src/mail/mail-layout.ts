// One frame for every mail: a heading, paragraphs and at most one button, as plain text and as simple HTML.
import type { OutgoingMail } from './mailer.ts';
import { escapeHtml as esc } from '../html-escape.ts';

export interface MailContent {
  to: string;
  subject: string;
  siteName: string;
  greeting?: string;
  paragraphs: string[];
  action?: { label: string; url: string; note?: string };
  closing?: string[];
}


export function composeMail(m: MailContent): OutgoingMail {
  const greeting = m.greeting ?? 'Guten Tag,';
  const closing = m.closing ?? ['Viele Grüße', `Ihr Team von ${m.siteName}`];
  const text = [
    greeting, '',
    ...m.paragraphs.flatMap((p) => [p, '']),
    ...(m.action ? [`${m.action.label}:`, m.action.url, '', ...(m.action.note ? [m.action.note, ''] : [])] : []),
    ...closing, '',
    '--',
    `Diese Mail wurde automatisch von ${m.siteName} verschickt.`,
  ].join('\n');
  const p = (s: string) => `<p style="margin:0 0 16px;font:16px/1.55 Georgia,serif;color:#1a1d21">${esc(s)}</p>`;
  const html = `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>${esc(m.subject)}</title></head>
<body style="margin:0;padding:0;background:#f4f1ea">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f1ea"><tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="560" cellpadding="0" cellspacing="0" style="max-width:560px;width:100%;background:#ffffff;border-top:6px solid #12355b">
<tr><td style="padding:22px 28px 8px;font:700 24px/1.2 Georgia,serif;color:#1a1d21;border-bottom:1px solid #ddd6c8">${esc(m.siteName)}</td></tr>
<tr><td style="padding:22px 28px 8px">
${p(greeting)}
${m.paragraphs.map(p).join('\n')}
${m.action ? `<p style="margin:8px 0 20px"><a href="${esc(m.action.url)}" style="display:inline-block;background:#12355b;color:#ffffff;text-decoration:none;font:600 16px/1.2 Arial,sans-serif;padding:12px 20px;border-radius:4px">${esc(m.action.label)}</a></p>
<p style="margin:0 0 16px;font:13px/1.5 Arial,sans-serif;color:#4a5058">Falls der Knopf nicht funktioniert, kopieren Sie diese Adresse in Ihren Browser:<br><a href="${esc(m.action.url)}" style="color:#0b4f8a;word-break:break-all">${esc(m.action.url)}</a></p>
${m.action.note ? p(m.action.note) : ''}` : ''}
${p(closing.join('\n')).replace(/\n/g, '<br>')}
</td></tr>
<tr><td style="padding:12px 28px 20px;font:12px/1.5 Arial,sans-serif;color:#4a5058;border-top:1px solid #ddd6c8">Diese Mail wurde automatisch von ${esc(m.siteName)} verschickt.</td></tr>
</table></td></tr></table></body></html>`;
  return { to: m.to, subject: m.subject, text, html };
}
