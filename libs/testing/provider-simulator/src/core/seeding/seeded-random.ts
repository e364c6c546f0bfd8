import { createHash } from 'node:crypto';

/** Derives a stable sub-seed, so each repository's content depends only on the seed and its name. */
export function deriveSeed(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `length` base-62 characters drawn from a hash of the parts: stable fake secrets. */
export function base62FromSeed(length: number, ...parts: string[]): string {
  let out = '';
  let counter = 0;
  while (out.length < length) {
    const digest = createHash('sha512').update(`${parts.join('\u0000')}\u0000${counter++}`).digest();
    for (const byte of digest) {
      // 248 = 4 * 62: rejecting the top bytes keeps the characters uniform.
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

/** sfc32 seeded from a hash of the seed string: fast, small, and identical on every platform. */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: string) {
    const digest = createHash('sha256').update(seed).digest();
    this.a = digest.readUInt32LE(0);
    this.b = digest.readUInt32LE(4);
    this.c = digest.readUInt32LE(8);
    this.d = digest.readUInt32LE(12);
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)];
  }

  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i += 4) {
      const value = this.nextUint32();
      for (let j = 0; j < 4 && i + j < length; j++) out[i + j] = (value >>> (8 * j)) & 0xff;
    }
    return out;
  }

  words(count: number): string {
    const out: string[] = [];
    for (let i = 0; i < count; i++) out.push(this.pick(WORDS));
    return out.join(' ');
  }
}

const WORDS = [
  'backup', 'restore', 'mirror', 'branch', 'commit', 'release', 'token', 'budget', 'window', 'retry',
  'archive', 'snapshot', 'manifest', 'bundle', 'worker', 'queue', 'schedule', 'retention', 'storage',
  'index', 'cache', 'header', 'payload', 'review', 'label', 'milestone', 'asset', 'pointer', 'object',
  'network', 'latency', 'pool', 'lease', 'claim', 'proxy', 'config', 'vault', 'secret', 'rotate', 'audit',
] as const;
