import { APP_NAMES } from '@repovault/testing/support';
import { readFileSync } from 'node:fs';
import { type StackUnderTest, startStack } from '../support/stack-harness';

describe('the stack as processes', () => {
  let sut: StackUnderTest;
  beforeAll(async () => {
    sut = await startStack();
  });
  afterAll(async () => {
    await sut.stop();
  });

  it('serves /health/live, /health/ready and /metrics on every service', async () => {
    for (const app of APP_NAMES) {
      const url = sut.stack.urlOf(app);
      expect((await fetch(`${url}/health/live`)).status).toBe(200);
      const ready = await fetch(`${url}/health/ready`);
      expect({ app, status: ready.status }).toEqual({ app, status: 200 });
      const checks = ((await ready.json()) as { checks: Record<string, unknown> }).checks;
      expect(Object.keys(checks)).toContain('postgresql');
      if (app !== 'api-gateway') expect(Object.keys(checks)).toContain('redis');
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toContain('process_resident_memory_bytes');
      expect(metrics).toContain('http_request_duration_seconds');
    }
  });

  it('keeps internal routes off the gateway and behind service tokens', async () => {
    expect((await fetch(`${sut.stack.gatewayUrl}/internal/organizations`)).status).toBe(404);
    const org = sut.stack.urlOf('org-service');
    const anonymous = await fetch(`${org}/internal/organizations`);
    expect([401, 403, 404]).toContain(anonymous.status);
    expect(anonymous.status).not.toBe(200);
  });

  it('logs JSON lines with the service name', async () => {
    const { data } = await sut.operator.POST('/v1/tenants', { body: { name: 'log-check' } });
    expect(data?.apiKey).toBeDefined();
    const gatewayLog = sut.stack.processes.find((p) => p.app === 'api-gateway')?.log ?? '';
    await new Promise((r) => setTimeout(r, 300));
    const lines = readFileSync(gatewayLog, 'utf8').split('\n').filter((l) => l.startsWith('{'));
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ service: 'api-gateway' });
    expect(readFileSync(gatewayLog, 'utf8')).not.toContain(data?.apiKey ?? 'missing');
    expect(readFileSync(gatewayLog, 'utf8')).not.toContain(sut.adminToken);
  });

  it('stops a worker gracefully on SIGTERM', async () => {
    const worker = sut.stack.workers()[0];
    if (!worker) throw new Error('no worker');
    const exited = new Promise<number | null>((resolve) => worker.child.once('exit', (code) => resolve(code)));
    worker.child.kill('SIGTERM');
    const started = Date.now();
    expect(await exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
