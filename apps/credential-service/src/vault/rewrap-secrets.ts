import type { ObjectLiteral, Repository } from 'typeorm';
import type { VaultService } from './vault.service';

/** A row sealed by the vault: password-manager secrets, OAuth tokens and authorizations. */
interface SealedEntity extends ObjectLiteral {
  id: string;
  tenantId: string;
  keyId: string | null;
  wrappedKey: Buffer | null;
  ciphertext: Buffer | null;
}

/**
 * Key rotation: re-wraps every secret's data key under the active master key, in batches, each in
 * a transaction. Values are not re-encrypted (their data keys do not change); afterwards the old
 * master key can be removed from REPOVAULT_VAULT_KEYS.
 */
export async function rewrapAllSecrets<T extends SealedEntity>(secrets: Repository<T>, vault: VaultService, batchSize = 200): Promise<{ rewrapped: number; total: number }> {
  const active = vault.keyring.active.id;
  let rewrapped = 0;
  let total = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const batch = await secrets.createQueryBuilder('s').where('s.id > :after', { after }).orderBy('s.id', 'ASC').limit(batchSize).getMany();
    if (batch.length === 0) return { rewrapped, total };
    total += batch.length;
    await secrets.manager.transaction(async (manager) => {
      for (const secret of batch) {
        if (secret.keyId === active || secret.keyId === null || secret.wrappedKey === null || secret.ciphertext === null) continue;
        const sealed = vault.rewrap({ id: secret.id, tenantId: secret.tenantId, keyId: secret.keyId, wrappedKey: secret.wrappedKey, ciphertext: secret.ciphertext });
        await manager.getRepository(secrets.target).update({ id: secret.id } as never, { keyId: sealed.keyId, wrappedKey: sealed.wrappedKey } as never);
        rewrapped++;
      }
    });
    after = batch[batch.length - 1]?.id ?? after;
  }
}
