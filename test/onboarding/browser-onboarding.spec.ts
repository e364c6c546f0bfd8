import type { RepoVaultClient } from '@repovault/contracts/public-api';
import { type RunningSimulator, startSimulator } from '@repovault/testing/provider-simulator';
import { workspaceRoot } from '@repovault/testing/support';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { defaultPlanOf, runPlan } from '../support/backup-helpers';
import { configDir, delegatedOnboardingWorld, operatorGitHubApps, operatorOAuthClients, registerOperatorClients } from '../support/delegated-onboarding';
import { type StackUnderTest, startStack } from '../support/stack-harness';

/** Debian's chromium (tools/ensure-services.sh installs it), driven by playwright-core. */
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('Onboarding in a real browser: GitHub and GitLab consent pages, the GitHub App installation page', () => {
  let sim: RunningSimulator;
  let sut: StackUnderTest;
  let client: RepoVaultClient;
  let browser: BrowserContext;
  let page: Page;
  const dir = configDir();
  const profile = mkdtempSync(join(tmpdir(), 'rv-chromium-'));
  /** screenshots of every step, kept with the test output */
  const shots = join(workspaceRoot(), 'test-output', 'browser-onboarding', new Date().toISOString().replace(/[:.]/g, '-'));
  const steps: { step: string; file: string; url: string }[] = [];

  beforeAll(async () => {
    sim = await startSimulator({ seed: delegatedOnboardingWorld(3), githubApps: { apps: [{ slug: 'repovault', name: 'RepoVault' }] } });
    sut = await startStack({
      appEnv: { 'credential-service': { REPOVAULT_OAUTH_CLIENTS: operatorOAuthClients(sim, dir, ['github', 'gitlab']), REPOVAULT_GITHUB_APPS: operatorGitHubApps(sim, dir, 0) } },
    });
    registerOperatorClients(sim, sut.stack.gatewayUrl, ['github', 'gitlab']);
    sim.githubApps.setSetupUrl('repovault', `${sut.stack.gatewayUrl}/v1/github-apps/callback`);
    client = (await sut.newTenant()).client;
    mkdirSync(shots, { recursive: true });
    // a fresh profile: no cookies, no cache, nothing from an earlier run
    browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1100, height: 800 } });
    page = await browser.newPage();
  }, 180_000);

  afterAll(async () => {
    writeFileSync(join(shots, 'steps.json'), JSON.stringify(steps, null, 2));
    process.stdout.write(`browser onboarding screenshots: ${shots}\n`);
    await browser?.close();
    await sut?.stop();
    await sim?.close();
    rmSync(profile, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  async function shot(step: string): Promise<void> {
    const file = join(shots, `${String(steps.length + 1).padStart(2, '0')}-${step}.png`);
    await page.screenshot({ path: file, fullPage: true });
    steps.push({ step, file, url: page.url() });
  }

  /** Back on RepoVault's callback page: it must say the flow succeeded, and name the authorization or installation. */
  async function finishedFlow(step: string): Promise<string> {
    await page.waitForURL((url) => url.origin === sut.stack.gatewayUrl);
    await shot(step);
    expect(await page.locator('#flow-status').getAttribute('data-ok')).toBe('true');
    return (await page.locator('#flow-id').textContent()) ?? '';
  }

  async function backUp(organizationId: string): Promise<void> {
    const run = await runPlan(client, await defaultPlanOf(client, organizationId));
    expect(run).toMatchObject({ status: 'succeeded', repositories: { total: 3, succeeded: 3, failed: 0 } });
  }

  it.each([
    ['github', 'acme', () => sim.github.baseUrl, 'GitHub'],
    ['gitlab', 'acme-group', () => sim.gitlab.baseUrl, 'GitLab'],
  ] as const)('%s OAuth: the consent page, then the organization is created and backed up', async (provider, name, baseUrl, display) => {
    const { data: started } = await client.POST('/v1/oauth/authorizations', { body: { provider, baseUrl: baseUrl() } });
    await page.goto(started?.authorizeUrl ?? '');
    await expect(page.locator('#consent-title').textContent()).resolves.toBe('Authorize RepoVault');
    expect(await page.locator('header').textContent()).toBe(display);
    await shot(`${provider}-consent-page`);
    await page.fill('#login', 'alice');
    await shot(`${provider}-consent-signed-in`);
    await page.click('#authorize');
    const authorizationId = await finishedFlow(`${provider}-authorized`);
    expect(authorizationId).toBe(started?.id);
    expect(await page.locator('#flow-detail').textContent()).toMatch(new RegExp(`${display} account "alice" authorized RepoVault`));

    const { data: organization, error } = await client.POST('/v1/organizations', { body: { provider, baseUrl: baseUrl(), name, auth: { method: 'oauth', authorizationId } } });
    expect(error).toBeUndefined();
    expect(organization).toMatchObject({ auth: { method: 'oauth', username: 'alice' }, repositoryCount: 3 });
    await backUp(organization?.id ?? '');
  });

  it('GitHub App: the installation page, then the organization is created and backed up', async () => {
    const { data: started } = await client.POST('/v1/github-apps/installations', { body: { appSlot: 'main' } });
    await page.goto(started?.installUrl ?? '');
    await shot('github-app-sign-in');
    await page.fill('#login', 'alice');
    await page.click('#sign-in');
    await page.waitForSelector('#install-beta');
    await shot('github-app-choose-account');
    // alice owns beta: no approval needed, so the page offers "Install" rather than "Request"
    expect(await page.locator('#request-beta').count()).toBe(0);
    await page.click('#install-beta');
    const flowId = await finishedFlow('github-app-installed');
    expect(flowId).toBe(started?.id);
    const { data: flow } = await client.GET('/v1/github-apps/installations/{id}', { params: { path: { id: flowId } } });
    expect(flow).toMatchObject({ status: 'installed', account: { login: 'beta' } });

    const { data: organization, error } = await client.POST('/v1/organizations', {
      body: { provider: 'github', baseUrl: sim.github.baseUrl, name: 'beta', auth: { method: 'github-app', installationId: flow?.installationId ?? 0 } },
    });
    expect(error).toBeUndefined();
    expect(organization).toMatchObject({ auth: { method: 'github-app', username: 'beta' }, repositoryCount: 2 });
    const run = await runPlan(client, await defaultPlanOf(client, organization?.id ?? ''));
    expect(run).toMatchObject({ status: 'succeeded', repositories: { total: 2, succeeded: 2, failed: 0 } });
  });

  it('the installation page asks a member without the rights to request it, and RepoVault refuses: condition 1', async () => {
    const { data: started } = await client.POST('/v1/github-apps/installations', { body: { appSlot: 'main' } });
    await page.goto(started?.installUrl ?? '');
    await page.fill('#login', 'bob');
    await page.click('#sign-in');
    await page.waitForSelector('#request-acme');
    await shot('github-app-approval-required');
    await page.click('#request-acme');
    await page.waitForURL((url) => url.origin === sut.stack.gatewayUrl);
    await shot('github-app-refused-condition-1');
    expect(await page.locator('#flow-status').getAttribute('data-ok')).toBe('false');
    expect(await page.locator('#flow-detail').textContent()).toMatch(/^Condition 1 is not met/);
  });

  it('kept a screenshot of every step', () => {
    expect(steps.map((s) => s.step)).toEqual([
      'github-consent-page', 'github-consent-signed-in', 'github-authorized',
      'gitlab-consent-page', 'gitlab-consent-signed-in', 'gitlab-authorized',
      'github-app-sign-in', 'github-app-choose-account', 'github-app-installed',
      'github-app-approval-required', 'github-app-refused-condition-1',
    ]);
  });
});
