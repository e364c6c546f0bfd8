import { APP_NAMES, appEntry } from '@repovault/testing/support';
import { spawnSync } from 'node:child_process';

const cases: [string, string, RegExp][] = [
  ['REPOVAULT_HTTP_PORT', 'eighty', /REPOVAULT_HTTP_PORT must be an integer \(got "eighty"\)/],
  ['DATABASE_URL', 'mysql://db/x', /DATABASE_URL must use postgres or postgresql, not mysql/],
  ['REDIS_URL', 'not a url', /REDIS_URL must be a URL/],
  ['LOG_LEVEL', 'loud', /LOG_LEVEL must be one of/],
];

describe('a malformed required variable', () => {
  it.each(APP_NAMES.flatMap((app) => cases.map(([name, value, message]) => [app, name, value, message] as const)))(
    'stops %s when %s=%s, naming it',
    (app, name, value, message) => {
      if (app === 'api-gateway' && name === 'REDIS_URL') return; // the gateway has no Redis
      const variable = app === 'api-gateway' && name === 'REPOVAULT_HTTP_PORT' ? 'REPOVAULT_GATEWAY_PORT' : name;
      const result = spawnSync(process.execPath, [appEntry(app, 'main')], {
        env: { PATH: process.env['PATH'] ?? '', [variable]: value },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(result.status).toBe(78);
      expect(result.stderr).toMatch(new RegExp(message.source.replace('REPOVAULT_HTTP_PORT', variable)));
      expect(result.stderr).toContain(`${app}: cannot start`);
    },
  );

  it('refuses development secrets in production, naming each missing one', () => {
    const result = spawnSync(process.execPath, [appEntry('credential-service', 'main')], {
      env: { PATH: process.env['PATH'] ?? '', REPOVAULT_ENV: 'production' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toMatch(/REPOVAULT_SERVICE_TOKEN is required \(or REPOVAULT_SERVICE_TOKEN_FILE\) in production/);
    expect(result.stderr).toMatch(/REPOVAULT_PEER_TOKENS is required/);
  });
});
