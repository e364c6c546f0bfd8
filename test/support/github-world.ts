import { type RunningSimulator, type SeedConfig, demoSeed, startSimulator } from '@repovault/testing/provider-simulator';

/**
 * The demo world with `count` repositories in acme, plus `frank`, a member whose classic token
 * lacks the repo scope.
 */
export function githubWorld(count: number): SeedConfig {
  const seed = demoSeed('repovault-tests');
  const acme = seed.organizations[0];
  if (!acme?.generate) throw new Error('demo seed changed: acme must be generated');
  acme.generate = { ...acme.generate, count };
  acme.members = [...(acme.members ?? []), 'frank'];
  seed.users.push({ login: 'frank', name: 'Frank Noscope', tokens: [{ name: 'frank', kind: 'classic', scopes: ['read:org'] }] });
  return seed;
}

export function startGithub(count: number, options: { timeScale?: number; latencyMs?: number } = {}): Promise<RunningSimulator> {
  return startSimulator({ seed: githubWorld(count), ...options });
}

export function token(sim: RunningSimulator, name: string): string {
  const value = sim.tokens[name];
  if (!value) throw new Error(`the simulator has no token named ${name}`);
  return value;
}
