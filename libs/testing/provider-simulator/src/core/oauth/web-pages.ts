import type { IncomingMessage, ServerResponse } from 'node:http';
import { headerValue, readBody, send, sendJson } from '../http-io';

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** A form field the page sends back unchanged (the original request's parameters). */
export function hiddenFields(params: URLSearchParams, names: readonly string[]): string {
  return names
    .filter((name) => params.get(name) !== null)
    .map((name) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(params.get(name) ?? '')}">`)
    .join('\n');
}

/** A provider's web page: plain HTML, no scripts, a look of its own per provider. */
export function sendPage(res: ServerResponse, status: number, page: { provider: string; title: string; body: string }): void {
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(page.title)} · ${escapeHtml(page.provider)}</title>
<style>
body{font-family:system-ui,sans-serif;background:#f6f8fa;margin:0}
header{background:#24292f;color:#fff;padding:.8rem 1.5rem;font-weight:600}
main{max-width:28rem;margin:2.5rem auto;background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:1.5rem}
h1{font-size:1.25rem;margin-top:0}label{display:block;margin:.8rem 0 .3rem;font-weight:600}
input[type=text],select{width:100%;padding:.4rem;box-sizing:border-box}
ul{padding-left:1.2rem}.actions{margin-top:1.2rem;display:flex;gap:.6rem}
button{padding:.5rem 1rem;border-radius:6px;border:1px solid #1f883d;background:#1f883d;color:#fff;font-weight:600;cursor:pointer}
button.secondary{background:#f6f8fa;color:#24292f;border-color:#d0d7de}.error{color:#cf222e}.note{color:#57606a;font-size:.9rem}
</style></head>
<body><header>${escapeHtml(page.provider)}</header><main>
${page.body}
</main></body></html>
`;
  send(res, status, Buffer.from(html), {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:",
  });
}

export function sendErrorPage(res: ServerResponse, provider: string, status: number, message: string): void {
  sendPage(res, status, { provider, title: 'Error', body: `<h1>Something went wrong</h1><p class="error" id="page-error">${escapeHtml(message)}</p>` });
}

export function redirect(res: ServerResponse, location: string): void {
  send(res, 302, undefined, { location, 'cache-control': 'no-store' });
}

/** A form or query body: `application/x-www-form-urlencoded` or JSON, as token endpoints accept. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const raw = (await readBody(req, 64 * 1024)).toString('utf8');
  if (/json/i.test(headerValue(req, 'content-type') ?? '')) {
    const parsed = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    return new URLSearchParams(Object.entries(parsed).filter(([, v]) => v !== undefined && v !== null).map(([k, v]): [string, string] => [k, String(v)]));
  }
  return new URLSearchParams(raw);
}

/** Token endpoint answers: JSON for everyone, GitHub's urlencoded form unless JSON was asked for. */
export function sendTokenAnswer(res: ServerResponse, status: number, body: Record<string, unknown>, form: 'json' | 'urlencoded'): void {
  if (form === 'json') {
    sendJson(res, status, body, { 'cache-control': 'no-store', pragma: 'no-cache' });
    return;
  }
  const text = new URLSearchParams(Object.entries(body).map(([k, v]): [string, string] => [k, String(v)])).toString();
  send(res, status, Buffer.from(text), { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'cache-control': 'no-store' });
}
