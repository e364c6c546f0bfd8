import { type KeyObject, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { World } from '../../core/world/world';
import type { RepositoryPermission, SimUser } from '../../core/world/world-model';

/** A GitHub App the simulated GitHub knows (the operator's main app, additional apps #1–#10). */
export interface GithubAppSeed {
  slug: string;
  name?: string;
  /** repository permissions it asks for (default contents, issues, pull requests, metadata: read) */
  permissions?: Record<string, 'read' | 'write'>;
  /** where GitHub sends the browser after an installation (the app's "Setup URL") */
  setupUrl?: string;
}

export interface GithubAppsOptions {
  apps?: GithubAppSeed[];
  /** lifetime of installation tokens, real seconds (GitHub: 3600); tests shorten it to force renewals */
  installationTokenSeconds?: number;
}

export interface SimGithubApp {
  id: number;
  slug: string;
  name: string;
  permissions: Record<string, 'read' | 'write'>;
  /** PKCS#8 PEM: what the operator downloads and gives RepoVault */
  privateKeyPem: string;
  publicKey: KeyObject;
  setupUrl: string | null;
  bot: SimUser;
}

export interface SimInstallation {
  id: number;
  appId: number;
  account: { id: number; login: string; type: 'Organization' | 'User' };
  createdAt: string;
  suspendedAt: string | null;
}

/** An installation request: a member without the rights asked an owner to approve the app. */
export interface SimInstallationRequest {
  appId: number;
  account: string;
  requester: string;
  at: string;
}

export interface GithubAppStats {
  /** installation tokens minted, per installation id */
  tokensMinted: Record<string, number>;
  /** JWTs refused (bad signature, wrong issuer, expired, too long-lived) */
  jwtRefusals: number;
  requests: SimInstallationRequest[];
}

const DEFAULT_PERMISSIONS: Record<string, 'read' | 'write'> = { contents: 'read', issues: 'read', pull_requests: 'read', metadata: 'read' };

/**
 * GitHub Apps in the simulated GitHub: key pairs (the private key handed to tests as the operator
 * would download it), installations on organizations and users, installation requests that need an
 * owner's approval, and installation tokens (`ghs_…`) with a configurable lifetime that act for the
 * installation (their own budget identity) and are refused once expired.
 */
export class GithubApps {
  private readonly apps = new Map<string, SimGithubApp>();
  private readonly installations = new Map<number, SimInstallation>();
  private readonly requests: SimInstallationRequest[] = [];
  private readonly minted = new Map<number, number>();
  /** every installation token handed out (tests look for them where they must not be) */
  readonly issuedTokens: string[] = [];
  private nextAppId = 1_000_001;
  private nextInstallationId = 40_000_001;
  private tokenSeconds: number;
  jwtRefusals = 0;

  constructor(private readonly world: World, options: GithubAppsOptions = {}) {
    this.tokenSeconds = options.installationTokenSeconds ?? 3600;
    for (const seed of options.apps ?? []) this.add(seed);
  }

  add(seed: GithubAppSeed): SimGithubApp {
    const slug = seed.slug.toLowerCase();
    if (this.apps.has(slug)) throw new Error(`GitHub App ${seed.slug} defined twice`);
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const id = this.nextAppId++;
    const app: SimGithubApp = {
      id,
      slug,
      name: seed.name ?? seed.slug,
      permissions: { ...(seed.permissions ?? DEFAULT_PERMISSIONS) },
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKey: createPublicKey(publicKey.export({ type: 'spki', format: 'pem' })),
      setupUrl: seed.setupUrl ?? null,
      bot: { id: 90_000_000 + id, login: `${slug}[bot]`, name: seed.name ?? seed.slug, email: `${id}+${slug}[bot]@users.noreply.github.com`, createdAt: new Date(0).toISOString() },
    };
    this.apps.set(slug, app);
    return app;
  }

  app(slug: string): SimGithubApp | undefined {
    return this.apps.get(slug.toLowerCase());
  }

  appByIssuer(issuer: string): SimGithubApp | undefined {
    return [...this.apps.values()].find((a) => String(a.id) === issuer);
  }

  list(): SimGithubApp[] {
    return [...this.apps.values()];
  }

  setSetupUrl(slug: string, url: string): void {
    const app = this.app(slug);
    if (!app) throw new Error(`No GitHub App ${slug}`);
    app.setupUrl = url;
  }

  configure(options: { installationTokenSeconds?: number }): void {
    if (options.installationTokenSeconds !== undefined) this.tokenSeconds = options.installationTokenSeconds;
  }

  /** Accounts a user may install on without anyone's approval: their own, and organizations they own. */
  canInstallWithoutApproval(user: SimUser, account: string): boolean {
    if (account.toLowerCase() === user.login.toLowerCase()) return true;
    return this.world.organization(account)?.members.get(user.id) === 'admin';
  }

  /** The accounts a user is offered on the installation page: their own and their organizations. */
  accountsOf(user: SimUser): { login: string; needsApproval: boolean }[] {
    const orgs = this.world.organizations().filter((o) => o.members.has(user.id));
    return [{ login: user.login, needsApproval: false }, ...orgs.map((o) => ({ login: o.login, needsApproval: o.members.get(user.id) !== 'admin' }))];
  }

  /** Installs the app on an account (an existing installation is kept, as GitHub does). */
  install(app: SimGithubApp, accountLogin: string): SimInstallation {
    const existing = [...this.installations.values()].find((i) => i.appId === app.id && i.account.login.toLowerCase() === accountLogin.toLowerCase());
    if (existing) return existing;
    const org = this.world.organization(accountLogin);
    const user = org ? undefined : this.world.user(accountLogin);
    if (!org && !user) throw new Error(`No account ${accountLogin}`);
    const installation: SimInstallation = {
      id: this.nextInstallationId++,
      appId: app.id,
      account: org ? { id: org.id, login: org.login, type: 'Organization' } : { id: user?.id ?? 0, login: user?.login ?? accountLogin, type: 'User' },
      createdAt: new Date().toISOString(),
      suspendedAt: null,
    };
    this.installations.set(installation.id, installation);
    return installation;
  }

  request(app: SimGithubApp, account: string, requester: string): void {
    this.requests.push({ appId: app.id, account, requester, at: new Date().toISOString() });
  }

  installation(id: number): SimInstallation | undefined {
    return this.installations.get(id);
  }

  installationsOf(app: SimGithubApp): SimInstallation[] {
    return [...this.installations.values()].filter((i) => i.appId === app.id);
  }

  /** A new installation token (`ghs_…`), registered with the API until it expires. */
  mintToken(app: SimGithubApp, installation: SimInstallation): { token: string; expiresAt: string } {
    // GitHub gives whole seconds
    const expiresAtMs = Math.floor(Date.now() / 1000) * 1000 + this.tokenSeconds * 1000;
    const token = `ghs_${randomBytes(27).toString('base64url').replace(/[-_]/g, 'x').slice(0, 36)}`;
    const contents: RepositoryPermission = app.permissions['contents'] === 'write' ? 'write' : 'read';
    const account = installation.account.login.toLowerCase();
    this.world.issueCredential({
      name: `installation-${installation.id}-token`,
      provider: 'github',
      kind: 'installation',
      value: token,
      userId: app.bot.id,
      scopes: [],
      organizations: [account],
      repositories: 'all',
      permission: contents,
      expiresAtMs,
      installation: { installationId: installation.id, account, contents },
      actor: app.bot,
    });
    this.minted.set(installation.id, (this.minted.get(installation.id) ?? 0) + 1);
    this.issuedTokens.push(token);
    return { token, expiresAt: new Date(expiresAtMs).toISOString().replace(/\.\d{3}Z$/, 'Z') };
  }

  stats(): GithubAppStats {
    return { tokensMinted: Object.fromEntries([...this.minted].map(([id, n]) => [String(id), n])), jwtRefusals: this.jwtRefusals, requests: [...this.requests] };
  }
}
