import { randomBytes } from 'node:crypto';
import { EnvelopeCipher } from './envelope-cipher';
import { VaultKeyring, parseVaultKeys } from './vault-keyring';

const k = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;

describe('EnvelopeCipher', () => {
  it('round-trips a value and stores no plaintext', () => {
    const cipher = new EnvelopeCipher(new VaultKeyring(parseVaultKeys(k('a'))));
    const sealed = cipher.encrypt('ghp_supersecret', 'tenant/secret');
    expect(sealed.keyId).toBe('a');
    expect(sealed.ciphertext.toString('latin1')).not.toContain('supersecret');
    expect(cipher.decrypt(sealed, 'tenant/secret')).toBe('ghp_supersecret');
  });

  it('refuses a ciphertext moved to another row', () => {
    const cipher = new EnvelopeCipher(new VaultKeyring(parseVaultKeys(k('a'))));
    const sealed = cipher.encrypt('value', 'tenant/one');
    expect(() => cipher.decrypt(sealed, 'tenant/two')).toThrow();
  });

  it('re-wraps under a new active key; the old key can then go', () => {
    const old = k('old');
    const next = k('new');
    const before = new EnvelopeCipher(new VaultKeyring(parseVaultKeys(old)));
    const sealed = before.encrypt('value', 'b');
    const during = new EnvelopeCipher(new VaultKeyring(parseVaultKeys(`${next},${old}`)));
    const rewrapped = during.rewrap(sealed, 'b');
    expect(rewrapped.keyId).toBe('new');
    const after = new EnvelopeCipher(new VaultKeyring(parseVaultKeys(next)));
    expect(after.decrypt(rewrapped, 'b')).toBe('value');
    expect(() => after.decrypt(sealed, 'b')).toThrow(/"old" is not configured/);
  });

  it('validates the key list', () => {
    expect(() => parseVaultKeys('nokey')).toThrow(/id:base64key/);
    expect(() => parseVaultKeys(`a:${Buffer.alloc(16).toString('base64')}`)).toThrow(/32 bytes/);
    expect(() => parseVaultKeys(`${k('a')},${k('a')}`)).toThrow(/twice/);
  });
});
