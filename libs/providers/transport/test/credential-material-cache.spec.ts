import type { CredentialMaterial } from '@repovault/contracts/internal-api';
import { CredentialMaterialCache } from '../src';

function material(secret: string, renewAt?: number, expiresAt?: number): CredentialMaterial {
  return {
    credentialId: 'c', organizationId: 'o', provider: 'github', apiBaseUrl: 'https://api.github.com', method: renewAt === undefined ? 'token' : 'oauth',
    username: null, email: null, secret, identityKey: 'github:api.github.com:user:1', tokenKind: null,
    renewAt: renewAt === undefined ? null : new Date(renewAt).toISOString(),
    expiresAt: expiresAt === undefined ? null : new Date(expiresAt).toISOString(),
  };
}

describe('CredentialMaterialCache', () => {
  let now = 1_000_000;
  const clock = () => now;

  it('fetches a long-lived secret once per scope and credential', async () => {
    const load = jest.fn(async () => material('ghp_static'));
    const cache = new CredentialMaterialCache(load, clock);
    await Promise.all([cache.get('t', 'run-1', 'c'), cache.get('t', 'run-1', 'c')]);
    now += 24 * 3_600_000;
    await cache.get('t', 'run-1', 'c');
    expect(load).toHaveBeenCalledTimes(1);
    cache.close();
  });

  it('fetches a short-lived secret again once its renewAt passed, callers sharing that one fetch', async () => {
    let issued = 0;
    const load = jest.fn(async () => {
      issued++;
      return material(`token-${issued}`, now + 45_000, now + 60_000);
    });
    const cache = new CredentialMaterialCache(load, clock);
    expect((await cache.get('t', 'run-1', 'c')).secret).toBe('token-1');
    now += 44_000;
    expect((await cache.get('t', 'run-1', 'c')).secret).toBe('token-1');
    now += 2_000;
    const renewed = await Promise.all([cache.get('t', 'run-1', 'c'), cache.get('t', 'run-1', 'c'), cache.get('t', 'run-1', 'c')]);
    expect(renewed.map((m) => m.secret)).toEqual(['token-2', 'token-2', 'token-2']);
    expect(load).toHaveBeenCalledTimes(2);
    cache.close();
  });

  it('without renewAt, renews half a minute before expiresAt', async () => {
    let issued = 0;
    const load = jest.fn(async () => material(`token-${++issued}`, undefined, now + 120_000));
    const cache = new CredentialMaterialCache(async () => ({ ...(await load()), renewAt: null, method: 'github-app' as const }), clock);
    await cache.get('t', 's', 'c');
    now += 89_000;
    expect((await cache.get('t', 's', 'c')).secret).toBe('token-1');
    now += 2_000;
    expect((await cache.get('t', 's', 'c')).secret).toBe('token-2');
    cache.close();
  });

  it('forgets a failed fetch so the next caller tries again', async () => {
    const load = jest.fn().mockRejectedValueOnce(new Error('credential-service down')).mockResolvedValueOnce(material('ghp_ok'));
    const cache = new CredentialMaterialCache(load, clock);
    await expect(cache.get('t', 's', 'c')).rejects.toThrow('down');
    expect((await cache.get('t', 's', 'c')).secret).toBe('ghp_ok');
    cache.close();
  });
});
