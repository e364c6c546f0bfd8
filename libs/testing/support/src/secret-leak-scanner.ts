import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { Client } from 'pg';

export interface Leak {
  where: string;
  form: string;
}

/**
 * Looks for secrets anywhere a test can read: response bodies, log files, span exports, Redis keys
 * (job payloads) and database rows, in plain, URL-encoded, base64 and base64 `user:secret` forms.
 */
export class SecretLeakScanner {
  private readonly forms = new Map<string, string>();
  readonly leaks: Leak[] = [];

  register(secret: string, usernames: string[] = []): void {
    this.forms.set(secret, 'plain');
    this.forms.set(encodeURIComponent(secret), 'url-encoded');
    this.forms.set(Buffer.from(secret).toString('base64'), 'base64');
    this.forms.set(Buffer.from(secret).toString('hex'), 'hex');
    for (const user of ['x-access-token', 'oauth2', 'x-token-auth', 'x-bitbucket-api-token-auth', 'git', ...usernames]) {
      this.forms.set(Buffer.from(`${user}:${secret}`).toString('base64'), `base64(${user}:…)`);
    }
  }

  scanText(where: string, text: string): void {
    for (const [value, form] of this.forms) {
      if (text.includes(value)) this.leaks.push({ where, form });
    }
  }

  scanFile(path: string): void {
    this.scanText(path, readFileSync(path, 'utf8'));
  }

  /** Every string and hash value of a queue prefix (BullMQ job data, events, schedulers). */
  async scanRedis(prefix: string, url = 'redis://127.0.0.1:6379'): Promise<number> {
    const redis = new Redis(url);
    let scanned = 0;
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
        cursor = next;
        for (const key of keys) {
          const type = await redis.type(key);
          let text = '';
          if (type === 'string') text = (await redis.get(key)) ?? '';
          else if (type === 'hash') text = JSON.stringify(await redis.hgetall(key));
          else if (type === 'list') text = JSON.stringify(await redis.lrange(key, 0, -1));
          else if (type === 'zset') text = JSON.stringify(await redis.zrange(key, 0, -1));
          else if (type === 'set') text = JSON.stringify(await redis.smembers(key));
          else if (type === 'stream') text = JSON.stringify(await redis.xrange(key, '-', '+'));
          this.scanText(`redis ${key}`, text);
          scanned++;
        }
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
    return scanned;
  }

  /** Every row of every table in the given schemas, as text (bytea shows as hex). */
  async scanDatabase(url: string, schemas: string[]): Promise<number> {
    const client = new Client({ connectionString: url });
    await client.connect();
    let rows = 0;
    try {
      const tables = await client.query<{ table_schema: string; table_name: string }>(
        'SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema = ANY($1) AND table_type = $2',
        [schemas, 'BASE TABLE'],
      );
      for (const t of tables.rows) {
        const result = await client.query<{ row: string }>(`SELECT t::text AS row FROM "${t.table_schema}"."${t.table_name}" t`);
        for (const r of result.rows) this.scanText(`table ${t.table_schema}.${t.table_name}`, r.row);
        rows += result.rowCount ?? 0;
      }
    } finally {
      await client.end();
    }
    return rows;
  }
}
