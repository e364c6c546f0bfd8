/**
 * Seeds 1,000 small repositories (the bar: at most a minute, under 500 MB) and prints the
 * wall time and the process's peak RSS. Run: node -r @swc-node/register libs/testing/provider-simulator/src/bench/seed-bench.ts [count]
 */
import { startSimulator } from '../simulator';
import type { SeedConfig } from '../core/seeding/seed-config';

function benchSeed(count: number): SeedConfig {
  return {
    seed: 'seed-bench',
    users: [
      { login: 'owner', tokens: [{ name: 'owner' }] },
      { login: 'member', tokens: [{ name: 'member' }] },
    ],
    organizations: [
      {
        login: 'bench',
        owners: ['owner'],
        members: ['member'],
        generate: { count, namePrefix: 'repo', privateEvery: 3, lfsEvery: 10, wikiEvery: 7 },
      },
    ],
  };
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 1000);
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const started = process.hrtime.bigint();
  const sim = await startSimulator({ seed: benchSeed(count) });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  const repos = sim.listRepositories('bench').length;
  const res = await fetch(`${sim.github.baseUrl}/orgs/bench/repos?per_page=100`, { headers: { authorization: `token ${sim.tokens.owner}` } });
  await sim.close();
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(
    JSON.stringify({
      repositories: repos,
      seconds: Number(seconds.toFixed(2)),
      peakRssMb: Number(Math.max(maxRssMb, peakRss / 1024 / 1024).toFixed(1)),
      firstPageStatus: res.status,
      withinBudget: seconds <= 60 && Math.max(maxRssMb, peakRss / 1024 / 1024) < 500,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
