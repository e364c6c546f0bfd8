/** A Git LFS object as a pointer names it. */
export interface LfsObjectRef {
  /** sha256 of the content, 64 lowercase hex digits. */
  oid: string;
  size: number;
}

/** Per the spec, pointer files are smaller than 1024 bytes. */
export const LFS_POINTER_MAX_BYTES = 1024;
/** The shortest possible pointer (legacy version URL, `oid sha256:<64>`, `size 0`); smaller blobs are not read. */
export const LFS_POINTER_MIN_BYTES = 'version https://hawser.github.com/spec/v1\noid sha256:\nsize 0\n'.length + 64;

const VERSIONS = new Set(['https://git-lfs.github.com/spec/v1', 'https://hawser.github.com/spec/v1']);
const LINE = /^([a-z0-9.-]+) ([^\n]*)$/;
const OID = /^sha256:([0-9a-f]{64})$/;
const SIZE = /^(0|[1-9][0-9]*)$/;

/**
 * Parses a blob as a Git LFS pointer (https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md):
 * UTF-8 `key value` lines each ending in a newline, `version` first, keys unique, an `oid sha256:`
 * of 64 hex digits and a decimal `size`. Anything else is an ordinary file: undefined.
 */
export function parseLfsPointer(content: Buffer): LfsObjectRef | undefined {
  if (content.length < LFS_POINTER_MIN_BYTES || content.length >= LFS_POINTER_MAX_BYTES) return undefined;
  if (content[content.length - 1] !== 0x0a) return undefined;
  const text = content.toString('utf8');
  if (text.includes('\r') || text.includes('\uFFFD')) return undefined;
  const lines = text.slice(0, -1).split('\n');
  const values = new Map<string, string>();
  for (const [index, line] of lines.entries()) {
    const match = LINE.exec(line);
    if (!match || values.has(match[1])) return undefined;
    if (index === 0 && match[1] !== 'version') return undefined;
    values.set(match[1], match[2]);
  }
  const version = values.get('version');
  const oid = OID.exec(values.get('oid') ?? '');
  const size = values.get('size') ?? '';
  if (version === undefined || !VERSIONS.has(version) || !oid || !SIZE.test(size)) return undefined;
  const bytes = Number(size);
  if (!Number.isSafeInteger(bytes)) return undefined;
  return { oid: oid[1], size: bytes };
}
