import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { MasterKey, VaultKeyring } from './vault-keyring';

/** What is stored for a secret: the value under its own data key, the data key under a master key. */
export interface SealedSecret {
  keyId: string;
  wrappedKey: Buffer; // iv(12) | tag(16) | encrypted data key(32)
  ciphertext: Buffer; // iv(12) | tag(16) | encrypted value
}

const ALGORITHM = 'aes-256-gcm';

function seal(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(aad);
  const encrypted = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), encrypted]);
}

function open(key: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  const decipher = createDecipheriv(ALGORITHM, key, sealed.subarray(0, 12));
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(12, 28));
  return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
}

/**
 * AES-256-GCM envelope encryption. The additional data binds a ciphertext to its secret's id and
 * tenant, so a sealed value copied onto another row does not decrypt.
 */
export class EnvelopeCipher {
  constructor(private readonly keyring: VaultKeyring) {}

  encrypt(value: string, binding: string): SealedSecret {
    const dataKey = randomBytes(32);
    try {
      const aad = Buffer.from(binding);
      const master = this.keyring.active;
      return { keyId: master.id, wrappedKey: seal(master.key, dataKey, aad), ciphertext: seal(dataKey, Buffer.from(value, 'utf8'), aad) };
    } finally {
      dataKey.fill(0);
    }
  }

  decrypt(sealed: SealedSecret, binding: string): string {
    const aad = Buffer.from(binding);
    const dataKey = open(this.keyring.get(sealed.keyId).key, sealed.wrappedKey, aad);
    try {
      return open(dataKey, sealed.ciphertext, aad).toString('utf8');
    } finally {
      dataKey.fill(0);
    }
  }

  /** Re-wraps the data key under the active master key; the value's ciphertext is unchanged. */
  rewrap(sealed: SealedSecret, binding: string): SealedSecret {
    const aad = Buffer.from(binding);
    const dataKey = open(this.keyring.get(sealed.keyId).key, sealed.wrappedKey, aad);
    try {
      const master: MasterKey = this.keyring.active;
      return { keyId: master.id, wrappedKey: seal(master.key, dataKey, aad), ciphertext: sealed.ciphertext };
    } finally {
      dataKey.fill(0);
    }
  }
}
