import { Inject, Injectable } from '@nestjs/common';
import { secretScrubber } from '@repovault/platform/logging';
import { CREDENTIAL_SERVICE_CONFIG, type CredentialServiceConfig } from '../config/credential-service.config';
import { EnvelopeCipher, type SealedSecret } from './envelope-cipher';
import { VaultKeyring } from './vault-keyring';

export interface SealedRow extends SealedSecret {
  id: string;
  tenantId: string;
}

/** Seals and opens password-manager values; every value it opens is scrubbed from logs from then on. */
@Injectable()
export class VaultService {
  private readonly cipher: EnvelopeCipher;
  readonly keyring: VaultKeyring;

  constructor(@Inject(CREDENTIAL_SERVICE_CONFIG) config: Pick<CredentialServiceConfig, 'REPOVAULT_VAULT_KEYS'>) {
    this.keyring = new VaultKeyring(config.REPOVAULT_VAULT_KEYS);
    this.cipher = new EnvelopeCipher(this.keyring);
  }

  seal(tenantId: string, secretId: string, value: string): SealedSecret {
    secretScrubber.register(value);
    return this.cipher.encrypt(value, binding(tenantId, secretId));
  }

  open(row: SealedRow): string {
    const value = this.cipher.decrypt(row, binding(row.tenantId, row.id));
    secretScrubber.register(value);
    return value;
  }

  rewrap(row: SealedRow): SealedSecret {
    return this.cipher.rewrap(row, binding(row.tenantId, row.id));
  }
}

function binding(tenantId: string, secretId: string): string {
  return `repovault/secret/${tenantId}/${secretId}`;
}
