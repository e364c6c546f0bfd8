import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { ChecksumMismatchError } from './storage-errors';

/**
 * Passes bytes through while hashing them and fails at the end if they do not hash to the expected
 * sha256. The consumer has already seen the bytes by then, so it must treat the stream's error as
 * "discard everything you read" — the only way to verify a multi-GB object without buffering it.
 */
export function createVerifyingStream(expectedSha256: string): Transform {
  const hash = createHash('sha256');
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      const actual = hash.digest('hex');
      callback(actual === expectedSha256 ? null : new ChecksumMismatchError(expectedSha256, actual));
    },
  });
}
