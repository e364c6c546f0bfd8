import type { IncomingMessage, ServerResponse } from 'node:http';
import { headerValue, sendJson } from '../../core/http-io';
import { escapeHtml, readForm, redirect, sendErrorPage, sendPage } from '../../core/oauth/web-pages';
import { withParams } from '../../core/oauth/oauth-authorization-server';
import type { World } from '../../core/world/world';
import { verifyAppJwt } from './github-app-jwt';
import type { GithubApps, SimGithubApp, SimInstallation } from './github-apps';

const INSTALL_PAGE = /^\/apps\/([^/]+)\/installations\/new$/;
const APP_API = /^\/app(?:\/installations(?:\/(\d+)(\/access_tokens)?)?)?$/;

/**
 * GitHub App pages and the app-authenticated API: the installation page (sign in, pick an account;
 * a member without the rights gets "Request" instead of "Install", which ends with
 * `setup_action=request` and no installation), and `/app`, `/app/installations[/{id}]`,
 * `/app/installations/{id}/access_tokens` behind the app's JWT (RS256).
 */
export class GithubAppRoutes {
  constructor(private readonly world: World, private readonly apps: GithubApps) {}

  async handle(req: IncomingMessage, res: ServerResponse, url: URL, apiPath: string | null): Promise<boolean> {
    const page = INSTALL_PAGE.exec(url.pathname);
    if (page?.[1]) {
      await this.installPage(req, res, url, decodeURIComponent(page[1]));
      return true;
    }
    const api = apiPath === null ? null : APP_API.exec(apiPath);
    if (api) {
      this.api(req, res, url, api[1] ? Number(api[1]) : null, api[2] !== undefined);
      return true;
    }
    return false;
  }

  private async installPage(req: IncomingMessage, res: ServerResponse, url: URL, slug: string): Promise<void> {
    const app = this.apps.app(slug);
    if (!app) return sendErrorPage(res, 'GitHub', 404, `There is no GitHub App named ${slug}.`);
    if (req.method === 'GET') return this.signIn(res, url.pathname, app, url.searchParams.get('state') ?? '', url.searchParams.get('login') ?? '');
    const form = await readForm(req);
    const state = form.get('state') ?? '';
    const user = this.world.user((form.get('login') ?? '').trim());
    if (!user) return this.signIn(res, url.pathname, app, state, form.get('login') ?? '', `There is no GitHub account named "${form.get('login') ?? ''}".`);
    const target = form.get('target');
    if (!target) return this.chooseAccount(res, url.pathname, app, state, user.login);
    const offered = this.apps.accountsOf(user).find((a) => a.login.toLowerCase() === target.toLowerCase());
    if (!offered) return sendErrorPage(res, 'GitHub', 403, `${user.login} cannot install apps on ${target}.`);
    if (!this.apps.canInstallWithoutApproval(user, offered.login)) {
      this.apps.request(app, offered.login, user.login);
      if (!app.setupUrl) return sendPage(res, 200, { provider: 'GitHub', title: 'Request sent', body: `<h1 id="requested">Request sent</h1><p>An owner of ${escapeHtml(offered.login)} must approve ${escapeHtml(app.name)}.</p>` });
      return redirect(res, withParams(app.setupUrl, { setup_action: 'request', state: state || null }));
    }
    const installation = this.apps.install(app, offered.login);
    if (!app.setupUrl) {
      return sendPage(res, 200, { provider: 'GitHub', title: 'Installed', body: `<h1 id="installed">Installed</h1><p>Installation <code id="installation-id">${installation.id}</code> on ${escapeHtml(offered.login)}.</p>` });
    }
    redirect(res, withParams(app.setupUrl, { installation_id: String(installation.id), setup_action: 'install', state: state || null }));
  }

  private signIn(res: ServerResponse, action: string, app: SimGithubApp, state: string, login: string, error?: string): void {
    sendPage(res, 200, {
      provider: 'GitHub',
      title: `Install ${app.name}`,
      body: `<h1 id="install-title">Install ${escapeHtml(app.name)}</h1>
${error ? `<p class="error" id="install-error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="state" value="${escapeHtml(state)}">
<label for="login">Sign in to GitHub as</label>
<input type="text" id="login" name="login" autocomplete="username" value="${escapeHtml(login)}" required>
<div class="actions"><button type="submit" id="sign-in">Continue</button></div>
</form>`,
    });
  }

  private chooseAccount(res: ServerResponse, action: string, app: SimGithubApp, state: string, login: string): void {
    const user = this.world.user(login);
    const accounts = user ? this.apps.accountsOf(user) : [];
    const permissions = Object.entries(app.permissions).map(([name, level]) => `<li>${escapeHtml(name.replace(/_/g, ' '))}: ${escapeHtml(level)}</li>`).join('');
    const forms = accounts
      .map((account) => {
        const id = account.login.toLowerCase().replace(/[^a-z0-9-]/g, '-');
        const button = account.needsApproval
          ? `<button type="submit" id="request-${escapeHtml(id)}" class="secondary">Request installation on ${escapeHtml(account.login)}</button><p class="note">You are not an owner of ${escapeHtml(account.login)}: an owner must approve the request.</p>`
          : `<button type="submit" id="install-${escapeHtml(id)}">Install on ${escapeHtml(account.login)}</button>`;
        return `<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="state" value="${escapeHtml(state)}"><input type="hidden" name="login" value="${escapeHtml(login)}"><input type="hidden" name="target" value="${escapeHtml(account.login)}">
<div class="actions">${button}</div></form>`;
      })
      .join('\n');
    sendPage(res, 200, {
      provider: 'GitHub',
      title: `Install ${app.name}`,
      body: `<h1 id="install-title">Install ${escapeHtml(app.name)}</h1><p>Signed in as <strong id="signed-in">${escapeHtml(login)}</strong>. Where do you want to install ${escapeHtml(app.name)}?</p>
<p>It asks for repository permissions:</p><ul>${permissions}</ul>${forms}`,
    });
  }

  private api(req: IncomingMessage, res: ServerResponse, url: URL, installationId: number | null, accessTokens: boolean): void {
    const bearer = /^Bearer\s+(\S+)$/i.exec(headerValue(req, 'authorization') ?? '')?.[1];
    if (!bearer) return sendJson(res, 401, { message: 'A JSON web token could not be decoded', documentation_url: 'https://docs.github.com/rest' });
    const verdict = verifyAppJwt(bearer, (issuer) => this.apps.appByIssuer(issuer)?.publicKey, Math.floor(Date.now() / 1000));
    if (!verdict.ok) {
      this.apps.jwtRefusals++;
      return sendJson(res, 401, { message: verdict.message, documentation_url: 'https://docs.github.com/rest' });
    }
    const app = this.apps.appByIssuer(verdict.issuer) as SimGithubApp;
    const web = url.origin;
    const api = `${url.origin}${url.pathname.startsWith('/api/v3') ? '/api/v3' : ''}`;
    if (installationId === null) {
      if (req.method !== 'GET') return sendJson(res, 404, { message: 'Not Found' });
      if (url.pathname.endsWith('/installations')) return sendJson(res, 200, this.apps.installationsOf(app).map((i) => installationJson(app, i, api, web)));
      return sendJson(res, 200, {
        id: app.id, slug: app.slug, node_id: `A_${app.id}`, name: app.name, html_url: `${web}/apps/${app.slug}`, permissions: app.permissions, events: [],
        owner: null, description: '', external_url: web, created_at: new Date(0).toISOString(), updated_at: new Date(0).toISOString(),
      });
    }
    const installation = this.apps.installation(installationId);
    if (!installation || installation.appId !== app.id) return sendJson(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    if (!accessTokens) return req.method === 'GET' ? sendJson(res, 200, installationJson(app, installation, api, web)) : sendJson(res, 404, { message: 'Not Found' });
    if (req.method !== 'POST') return sendJson(res, 404, { message: 'Not Found' });
    if (installation.suspendedAt) return sendJson(res, 403, { message: 'This installation has been suspended' });
    const { token, expiresAt } = this.apps.mintToken(app, installation);
    sendJson(res, 201, { token, expires_at: expiresAt, permissions: app.permissions, repository_selection: 'all' });
  }
}

function installationJson(app: SimGithubApp, installation: SimInstallation, api: string, web: string): Record<string, unknown> {
  return {
    id: installation.id,
    app_id: app.id,
    app_slug: app.slug,
    client_id: `Iv1.${app.id}`,
    target_id: installation.account.id,
    target_type: installation.account.type,
    account: { login: installation.account.login, id: installation.account.id, type: installation.account.type },
    repository_selection: 'all',
    permissions: app.permissions,
    events: [],
    access_tokens_url: `${api}/app/installations/${installation.id}/access_tokens`,
    repositories_url: `${api}/installation/repositories`,
    html_url: `${web}/organizations/${installation.account.login}/settings/installations/${installation.id}`,
    created_at: installation.createdAt,
    updated_at: installation.createdAt,
    suspended_at: installation.suspendedAt,
    suspended_by: null,
  };
}
