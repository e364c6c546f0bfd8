import { workspaceRoot } from '@repovault/testing/support';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = workspaceRoot();

interface Probe {
  name: string;
  file: string;
  source: string;
  expected: RegExp | null;
}

const probes: Probe[] = [
  { name: 'an app importing another app', file: 'apps/org-service/src', source: "import { bootstrap } from '../../../api-gateway/src/bootstrap';\nexport const x = bootstrap;\n", expected: /enforce-module-boundaries/ },
  { name: 'an app importing test support outside its tests', file: 'apps/org-service/src', source: "import { freePort } from '@repovault/testing/support';\nexport const x = freePort;\n", expected: /enforce-module-boundaries.*type:app/ },
  { name: 'contracts importing anything of ours', file: 'libs/contracts/public-api/src', source: "import { env } from '@repovault/platform/config';\nexport const x = env;\n", expected: /enforce-module-boundaries.*type:contracts/ },
  { name: 'platform code importing test support', file: 'libs/platform/http/src', source: "import { freePort } from '@repovault/testing/support';\nexport const x = freePort;\n", expected: /enforce-module-boundaries/ },
  { name: 'reading process.env outside the config lib', file: 'apps/plan-service/src', source: "export const x = process.env['X'];\n", expected: /no-restricted-properties/ },
  { name: 'a floating promise', file: 'apps/plan-service/src', source: 'export function f(p: Promise<void>): void {\n  p.then(() => 1);\n}\n', expected: /no-floating-promises/ },
  { name: 'an app using its shared libs (allowed)', file: 'apps/org-service/src', source: "import { env } from '@repovault/platform/config';\nexport const x = env;\n", expected: null },
];

describe('lint really forbids what the architecture forbids', () => {
  const results = new Map<string, string[]>();

  beforeAll(() => {
    // probe files live under __lint_probe__ and only in memory: the source tree is never touched,
    // so type-checks and lint running in parallel cannot see them
    const input = probes.map((p, i) => ({ file: join(p.file, '__lint_probe__', `probe-${i}.ts`), source: p.source }));
    const run = spawnSync(process.execPath, [join(root, 'test/fixtures/lint-probes.mjs')], {
      cwd: root,
      input: JSON.stringify(input),
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '', NX_DAEMON: 'false' },
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.status !== 0) throw new Error(`lint probes failed: ${run.stderr}`);
    const reports = JSON.parse(run.stdout) as { file: string; messages: string[] }[];
    probes.forEach((p, i) => results.set(p.name, reports[i]?.messages ?? []));
  }, 120_000);

  it.each(probes.map((p) => [p.name, p] as const))('%s', (_name, probe) => {
    const messages = results.get(probe.name) ?? [];
    expect(messages.filter((m) => m.startsWith('null:'))).toEqual([]); // parse errors would hide everything
    if (probe.expected) expect(messages.join('\n')).toMatch(probe.expected);
    else expect(messages).toEqual([]);
  });
});
