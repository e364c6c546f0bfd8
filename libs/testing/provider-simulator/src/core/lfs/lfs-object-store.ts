import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const OID_PATTERN = /^[0-9a-f]{64}$/;

export class LfsObjectMismatchError extends Error {}

/** LFS objects on disk, per repository (as hosting providers scope them), addressed by sha256 oid. */
export class LfsObjectStore {
  constructor(private readonly root: string) {}

  path(repositoryId: number, oid: string): string {
    if (!OID_PATTERN.test(oid)) throw new Error(`invalid LFS oid ${oid}`);
    return join(this.repositoryDir(repositoryId), oid.slice(0, 2), oid.slice(2, 4), oid);
  }

  /** Size in bytes when stored, otherwise undefined. */
  async size(repositoryId: number, oid: string): Promise<number | undefined> {
    try {
      return (await stat(this.path(repositoryId, oid))).size;
    } catch {
      return undefined;
    }
  }

  async put(repositoryId: number, content: Buffer): Promise<string> {
    const oid = createHash('sha256').update(content).digest('hex');
    const target = this.path(repositoryId, oid);
    await mkdir(join(target, '..'), { recursive: true });
    await writeFile(target, content);
    return oid;
  }

  /** Stores an upload only when its content really hashes to `oid` and has the announced size. */
  async putVerified(repositoryId: number, oid: string, expectedSize: number | undefined, content: AsyncIterable<Buffer | string>): Promise<void> {
    const target = this.path(repositoryId, oid);
    await mkdir(join(target, '..'), { recursive: true });
    const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of content) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      hash.update(buffer);
      chunks.push(buffer);
      size += buffer.length;
    }
    const actual = hash.digest('hex');
    if (actual !== oid || (expectedSize !== undefined && expectedSize !== size)) {
      throw new LfsObjectMismatchError(`uploaded content is ${actual} (${size} bytes), expected ${oid}`);
    }
    await writeFile(temporary, Buffer.concat(chunks));
    await rename(temporary, target);
  }

  read(repositoryId: number, oid: string): ReadStream {
    return createReadStream(this.path(repositoryId, oid));
  }

  async list(repositoryId: number): Promise<string[]> {
    const out: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        if (entry.isDirectory()) await walk(join(dir, entry.name));
        else if (OID_PATTERN.test(entry.name)) out.push(entry.name);
      }
    };
    await walk(this.repositoryDir(repositoryId));
    return out.sort();
  }

  async removeRepository(repositoryId: number): Promise<void> {
    await rm(this.repositoryDir(repositoryId), { recursive: true, force: true });
  }

  private repositoryDir(repositoryId: number): string {
    return join(this.root, String(repositoryId));
  }
}
