import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { RepositorySeed, SeedConfig } from '@repovault/testing/provider-simulator';
import { GitRunner, type GitSpawnRecord } from '../../src';

export const REDIS_URL = 'redis://127.0.0.1:6379';

const small = (name: string, extra: Partial<RepositorySeed> = {}): RepositorySeed => ({ name, private: true, branches: 2, commitsPerBranch: 2, tags: 2, ...extra });

/** Org `acme` owned by `alice`; each test uses repositories of its own, since some tests push to them. */
export function gitLibSeed(): SeedConfig {
  return {
    seed: 'platform-git',
    users: [{ login: 'alice', tokens: [{ name: 'alice' }] }],
    organizations: [
      {
        login: 'acme',
        owners: ['alice'],
        repositories: [
          small('lfs-wiki', { lfsObjects: 4, wiki: true, branches: 2, commitsPerBranch: 3 }),
          small('moving', { branches: 3, commitsPerBranch: 15 }),
          small('seeded'),
          small('bundled'),
          small('corrupt'),
          small('secrets'),
          small('uploads'),
          small('lock-a', { branches: 1, commitsPerBranch: 1, tags: 0 }),
          small('lock-b', { branches: 1, commitsPerBranch: 1, tags: 0 }),
        ],
      },
    ],
  };
}

/** A temporary directory removed by `dispose`. */
export async function tempDir(label: string): Promise<{ path: string; dispose: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `platform-git-${label}-`));
  return { path, dispose: () => rm(path, { recursive: true, force: true }) };
}

/** A Redis client and a key prefix of this test run; `dispose` deletes every key under the prefix. */
export function testRedis(): { redis: Redis; prefix: string; dispose: () => Promise<void> } {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const prefix = `test:platform-git:${randomUUID()}:`;
  return {
    redis,
    prefix,
    dispose: async () => {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    },
  };
}

/** A runner that records every spawn (argv and environment exactly as git got them). */
export function recordingRunner(homeDir: string, overrides: Partial<ConstructorParameters<typeof GitRunner>[0]> = {}): { git: GitRunner; spawns: GitSpawnRecord[] } {
  const spawns: GitSpawnRecord[] = [];
  const git = new GitRunner({ homeDir, ...overrides, onSpawn: (s) => spawns.push(s) });
  return { git, spawns };
}

/** Every string a spawn handed to git: binary, argv, env names and values, cwd. */
export function spawnStrings(spawns: readonly GitSpawnRecord[]): string[] {
  return spawns.flatMap((s) => [s.binary, ...s.argv, ...Object.entries(s.env).flat(), s.cwd]);
}

/** The forms a token can take in text: plain, URL-encoded and inside a Basic header. */
export function tokenForms(token: string): string[] {
  return [token, encodeURIComponent(token), Buffer.from(`x-access-token:${token}`).toString('base64')];
}

export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
