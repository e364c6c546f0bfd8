import { createCipheriv, createHash } from 'node:crypto';

const CHUNK = 256 * 1024;

/** Pseudo-random but reproducible bytes (AES-CTR keystream of a seed), so separate processes produce identical content. */
export function* deterministicChunks(seed: string, totalBytes: number, chunkBytes = CHUNK): Generator<Buffer> {
  const key = createHash('sha256').update(seed).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  const zeros = Buffer.alloc(chunkBytes);
  for (let sent = 0; sent < totalBytes; sent += chunkBytes) {
    yield cipher.update(zeros.subarray(0, Math.min(chunkBytes, totalBytes - sent)));
  }
}

export function deterministicBuffer(seed: string, totalBytes: number): Buffer {
  return Buffer.concat([...deterministicChunks(seed, totalBytes)]);
}
