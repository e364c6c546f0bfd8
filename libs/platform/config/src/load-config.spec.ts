import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, baseFields, databaseFields, env, loadConfig, peerTokensField, httpPortField, describeConfig } from './index';

const schema = { ...baseFields('org-service'), ...databaseFields, ...httpPortField('org-service'), ...peerTokensField };

describe('loadConfig', () => {
  it('runs with zero configuration in development', () => {
    const config = loadConfig(schema, {});
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/repovault');
    expect(config.REPOVAULT_HTTP_PORT).toBe(3101);
    expect(config.REPOVAULT_PEER_TOKENS.get('api-gateway')).toMatch(/^dev-/);
    expect(config.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
  });

  it('names every malformed variable', () => {
    const attempt = () => loadConfig(schema, { REPOVAULT_HTTP_PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('REPOVAULT_HTTP_PORT must be an integer (got "eighty")');
      expect(message).toContain('DATABASE_URL must use postgres or postgresql, not mysql');
      expect(message).toContain('LOG_LEVEL must be one of');
    }
  });

  it('requires real secrets in production', () => {
    expect(() => loadConfig(schema, { REPOVAULT_ENV: 'production' })).toThrow(/REPOVAULT_SERVICE_TOKEN is required \(or REPOVAULT_SERVICE_TOKEN_FILE\) in production/);
  });

  it('reads secrets from <NAME>_FILE and refuses both forms at once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'token');
    writeFileSync(file, 's3cret-token\n');
    const config = loadConfig(schema, { REPOVAULT_SERVICE_TOKEN_FILE: file });
    expect(config.REPOVAULT_SERVICE_TOKEN).toBe('s3cret-token');
    expect(() => loadConfig(schema, { REPOVAULT_SERVICE_TOKEN_FILE: file, REPOVAULT_SERVICE_TOKEN: 'x' })).toThrow(/either/);
    expect(() => loadConfig(schema, { REPOVAULT_SERVICE_TOKEN_FILE: join(dir, 'missing') })).toThrow(/cannot read file/);
  });

  it('does not read _FILE for non-secrets', () => {
    const config = loadConfig({ LOG_LEVEL: env.string('x').default('info') }, { LOG_LEVEL_FILE: '/nope' });
    expect(config.LOG_LEVEL).toBe('info');
  });

  it('redacts secrets when described', () => {
    const config = loadConfig(schema, { REPOVAULT_SERVICE_TOKEN: 'top-secret' });
    expect(JSON.stringify(describeConfig(schema, config))).not.toContain('top-secret');
  });
});
