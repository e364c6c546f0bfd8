import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpRouter } from './http-router';
import { readJson, sendJson, send } from './http-io';
import type { SimulatorStats } from './identity-stats';
import type { RepositorySeed } from './seeding/seed-config';
import { SeedConfigError } from './seeding/seed-config-validation';
import { MutationError } from './seeding/repository-mutations';
import { UnknownEntityError } from './world/world';

/** What the test hooks can do; implemented by the running simulator, reachable in-process and over HTTP. */
export interface SimulatorControl {
  stats(): SimulatorStats;
  reset(): void;
  info(): unknown;
  listRepositories(owner: string): string[];
  repository(owner: string, name: string): unknown;
  addCommits(owner: string, repo: string, options: { branch: string; count: number }): Promise<void>;
  forcePush(owner: string, repo: string, options: { branch: string }): Promise<{ oldSha: string; newSha: string }>;
  addIssueComment(owner: string, repo: string, issueNumber: number, body: string): void;
  addRepository(owner: string, spec: RepositorySeed): Promise<void>;
  deleteRepository(owner: string, repo: string): void;
}

interface HookContext {
  params: Record<string, string>;
  body: Record<string, unknown>;
}

type Hook = (context: HookContext) => Promise<{ status: number; body?: unknown }>;

/**
 * `/__sim/*`: stats, reset and upstream changes for tests running in another process. Not part
 * of any provider's API, unauthenticated (the simulator only listens on loopback).
 */
export class SimHooks {
  private readonly router = new HttpRouter<Hook>();

  constructor(private readonly control: SimulatorControl) {
    const c = control;
    this.router
      .add('GET', '/__sim/stats', async () => ({ status: 200, body: c.stats() }))
      .add('POST', '/__sim/reset', async () => {
        c.reset();
        return { status: 204 };
      })
      .add('GET', '/__sim/info', async () => ({ status: 200, body: c.info() }))
      .add('GET', '/__sim/repos/{owner}', async ({ params }) => ({ status: 200, body: c.listRepositories(params.owner) }))
      .add('POST', '/__sim/repos/{owner}', async ({ params, body }) => {
        await c.addRepository(params.owner, body as unknown as RepositorySeed);
        return { status: 201, body: c.repository(params.owner, String(body.name)) };
      })
      .add('GET', '/__sim/repos/{owner}/{repo}', async ({ params }) => ({ status: 200, body: c.repository(params.owner, params.repo) }))
      .add('DELETE', '/__sim/repos/{owner}/{repo}', async ({ params }) => {
        c.deleteRepository(params.owner, params.repo);
        return { status: 204 };
      })
      .add('POST', '/__sim/repos/{owner}/{repo}/commits', async ({ params, body }) => {
        await c.addCommits(params.owner, params.repo, { branch: requireString(body, 'branch'), count: requireCount(body, 'count') });
        return { status: 201, body: c.repository(params.owner, params.repo) };
      })
      .add('POST', '/__sim/repos/{owner}/{repo}/force-push', async ({ params, body }) => ({
        status: 200,
        body: await c.forcePush(params.owner, params.repo, { branch: requireString(body, 'branch') }),
      }))
      .add('POST', '/__sim/repos/{owner}/{repo}/issues/{issue_number}/comments', async ({ params, body }) => {
        c.addIssueComment(params.owner, params.repo, Number(params.issue_number), requireString(body, 'body'));
        return { status: 201 };
      });
  }

  routes(): Array<{ method: string; template: string }> {
    return this.router.routes();
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    const match = this.router.match(req.method ?? 'GET', path);
    if (!match) {
      sendJson(res, 404, { message: `No simulator hook ${req.method ?? ''} ${path}` });
      return;
    }
    try {
      const raw = req.method === 'GET' || req.method === 'DELETE' ? {} : await readJson(req);
      const body = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
      const result = await match.route.handler({ params: match.params, body });
      if (result.body === undefined) send(res, result.status, undefined);
      else sendJson(res, result.status, result.body);
    } catch (error) {
      const status = error instanceof UnknownEntityError ? 404 : error instanceof MutationError || error instanceof SeedConfigError || error instanceof SyntaxError ? 422 : 500;
      sendJson(res, status, { message: error instanceof Error ? error.message : String(error) });
    }
  }
}

function requireString(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (typeof value !== 'string' || value.length === 0) throw new MutationError(`"${key}" must be a non-empty string`);
  return value;
}

function requireCount(body: Record<string, unknown>, key: string): number {
  const value = body[key] ?? 1;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new MutationError(`"${key}" must be a whole number >= 1`);
  return value;
}
