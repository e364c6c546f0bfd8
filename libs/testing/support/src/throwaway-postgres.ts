import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitUntil } from './ports';

/**
 * A PostgreSQL server of a test's own (initdb as the postgres user, since initdb refuses root),
 * for outage tests that must never touch the shared instance.
 */
export class ThrowawayPostgres {
  private constructor(readonly dataDir: string, readonly port: number, private readonly bin: string) {}

  static async create(): Promise<ThrowawayPostgres> {
    const versions = readdirSync('/usr/lib/postgresql').sort();
    const bin = join('/usr/lib/postgresql', versions[versions.length - 1] ?? '15', 'bin');
    const root = mkdtempSync(join(tmpdir(), 'rv-pg-'));
    chmodSync(root, 0o777);
    const dataDir = join(root, 'data');
    const port = await freePort();
    asPostgres(join(bin, 'initdb'), ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    const pg = new ThrowawayPostgres(dataDir, port, bin);
    await pg.start();
    return pg;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/repovault`;
  }

  async start(): Promise<void> {
    asPostgres(join(this.bin, 'pg_ctl'), ['-D', this.dataDir, '-w', '-t', '30', '-l', join(this.dataDir, '..', 'log'),
      '-o', `-p ${this.port} -k ${join(this.dataDir, '..')} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
    await waitUntil(() => spawnSync(join(this.bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(this.port)]).status === 0, { what: 'throwaway postgres' });
  }

  stop(): void {
    asPostgres(join(this.bin, 'pg_ctl'), ['-D', this.dataDir, '-w', '-m', 'immediate', 'stop']);
  }

  destroy(): void {
    if (existsSync(join(this.dataDir, 'postmaster.pid'))) {
      try {
        this.stop();
      } catch {
        // already down
      }
    }
    rmSync(join(this.dataDir, '..'), { recursive: true, force: true });
  }
}

function asPostgres(command: string, args: string[]): void {
  execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'pipe' });
}
