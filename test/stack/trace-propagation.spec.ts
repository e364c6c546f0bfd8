import { LOCAL_REDIS, deleteRedisPrefix, freePort, startOtlpReceiver, uniqueQueuePrefix, workspaceRoot } from '@repovault/testing/support';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

interface OtlpExport {
  resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: { name: string; traceId: string }[] }[] }[];
}

describe('trace context', () => {
  it('crosses internal HTTP calls and BullMQ jobs, and spans are exported over OTLP', async () => {
    const prefix = uniqueQueuePrefix('trace');
    const root = workspaceRoot();
    const receiver = await startOtlpReceiver();
    try {
      const child = spawn(
        process.execPath,
        ['-r', '@swc-node/register', join(root, 'test/fixtures/trace-propagation-probe.ts'), LOCAL_REDIS, prefix, String(await freePort()), receiver.url],
        { cwd: root, env: { PATH: process.env['PATH'] ?? '', SWC_NODE_PROJECT: join(root, 'tsconfig.base.json') } },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const ids = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { root?: string; http?: string; job?: string };
      expect(ids.root).toMatch(/^[0-9a-f]{32}$/);
      expect(ids.http).toBe(ids.root);
      expect(ids.job).toBe(ids.root);
      const spans = receiver.bodies.map((b) => JSON.parse(b) as OtlpExport).flatMap((e) => e.resourceSpans ?? []);
      const services = spans.flatMap((r) => r.resource.attributes.filter((a) => a.key === 'service.name').map((a) => a.value.stringValue));
      expect(services).toContain('probe');
      const traceIds = new Set(spans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((x) => x.traceId))));
      expect(traceIds.has(ids.root ?? '')).toBe(true);
    } finally {
      await receiver.close();
      await deleteRedisPrefix(prefix);
    }
  });
});
