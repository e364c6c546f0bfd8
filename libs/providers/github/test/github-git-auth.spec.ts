import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { type RunningSimulator, demoSeed, startSimulator } from '@repovault/testing/provider-simulator';
import { githubGitAuthorization } from '../src';

const run = promisify(execFile);

describe('githubGitAuthorization', () => {
  it('is Basic x-access-token:<token>', () => {
    const header = githubGitAuthorization('ghp_abc123');
    expect(header).toBe(`Basic ${Buffer.from('x-access-token:ghp_abc123').toString('base64')}`);
    expect(Buffer.from(header.slice('Basic '.length), 'base64').toString()).toBe('x-access-token:ghp_abc123');
  });

  describe('against the simulator', () => {
    let sim: RunningSimulator;
    beforeAll(async () => {
      sim = await startSimulator({ seed: demoSeed() });
    }, 60_000);
    afterAll(() => sim?.close());

    it('lets git read a private repository with the token in a header, not in the URL', async () => {
      const url = `${sim.github.baseUrl}/acme/repo-0003.git`; // private
      const env = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', HOME: '/nonexistent' };
      const header = `http.extraHeader=Authorization: ${githubGitAuthorization(sim.tokens['bob'] ?? '')}`;
      const { stdout } = await run('git', ['-c', header, 'ls-remote', url, 'refs/heads/*'], { env });
      expect(stdout).toMatch(/refs\/heads\/main/);
      await expect(run('git', ['ls-remote', url], { env })).rejects.toThrow();
    });
  });
});
