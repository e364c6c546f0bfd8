import type { BrowserFlowResult } from '@repovault/contracts/internal-api';
import type { Response } from 'express';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/**
 * The page a browser lands on after a provider's consent or installation page. It says what
 * happened and which authorization or installation to use next; it runs no script, loads nothing,
 * and sends no referrer (the query carried a code and a state).
 */
export function sendBrowserFlowPage(res: Response, result: BrowserFlowResult): void {
  const id = result.id ? `<p>Reference: <code id="flow-id">${escapeHtml(result.id)}</code></p>` : '';
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>RepoVault: ${escapeHtml(result.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem}h1{font-size:1.4rem}.ok{color:#17603a}.refused{color:#9b1c1c}code{background:#f2f2f2;padding:.1rem .3rem}</style></head>
<body>
<h1 class="${result.ok ? 'ok' : 'refused'}" id="flow-status" data-ok="${result.ok}">${escapeHtml(result.title)}</h1>
<p id="flow-detail">${escapeHtml(result.detail)}</p>
${id}
<p>You can close this window.</p>
</body>
</html>
`;
  res
    .status(result.ok ? 200 : 400)
    .set({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
    })
    .send(html);
}
