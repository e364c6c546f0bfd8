import { parseLfsPointer } from './lfs-pointer';

const OID = 'a'.repeat(63) + 'f';
const pointer = (text: string): Buffer => Buffer.from(text, 'utf8');
const valid = `version https://git-lfs.github.com/spec/v1\noid sha256:${OID}\nsize 12345\n`;

describe('parseLfsPointer', () => {
  it('reads a pointer as the spec writes it', () => {
    expect(parseLfsPointer(pointer(valid))).toEqual({ oid: OID, size: 12345 });
    const shortest = `version https://hawser.github.com/spec/v1\noid sha256:${OID}\nsize 7\n`;
    expect(parseLfsPointer(pointer(shortest))).toEqual({ oid: OID, size: 7 });
  });

  it('accepts extension keys and the legacy hawser version', () => {
    const withExtension = `version https://git-lfs.github.com/spec/v1\next-0-foo sha256:${'b'.repeat(64)}\noid sha256:${OID}\nsize 0\n`;
    expect(parseLfsPointer(pointer(withExtension))).toEqual({ oid: OID, size: 0 });
    expect(parseLfsPointer(pointer(valid.replace('git-lfs.github.com', 'hawser.github.com')))).toEqual({ oid: OID, size: 12345 });
  });

  it.each([
    ['an unknown version', valid.replace('spec/v1', 'spec/v2')],
    ['version not first', `oid sha256:${OID}\nversion https://git-lfs.github.com/spec/v1\nsize 1\n`],
    ['no size', `version https://git-lfs.github.com/spec/v1\next-0-foo sha256:${OID}\noid sha256:${OID}\n`],
    ['a negative size', valid.replace('size 12345', 'size -1')],
    ['a size with a leading zero', valid.replace('size 12345', 'size 012')],
    ['an upper-case oid', valid.replace(OID, OID.toUpperCase())],
    ['a short oid', valid.replace(OID, OID.slice(1))],
    ['another hash', valid.replace('sha256:', 'sha1:')],
    ['CRLF line ends', valid.replace(/\n/g, '\r\n')],
    ['no final newline', valid.slice(0, -1)],
    ['a duplicate key', `${valid}size 1\n`],
    ['an empty line', valid.replace('\nsize', '\n\nsize')],
    ['ordinary text', `${'hello world, this is not a pointer. '.repeat(5)}\n`],
    ['1024 bytes or more', `${valid}x-pad ${'p'.repeat(1024)}\n`],
  ])('refuses %s', (_label, text) => {
    expect(parseLfsPointer(pointer(text))).toBeUndefined();
  });
});
