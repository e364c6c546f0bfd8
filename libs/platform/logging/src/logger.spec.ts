import { Writable } from 'node:stream';
import { createLogger } from './logger';
import { secretScrubber } from './secret-scrubber';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('writes JSON with the service name and scrubs registered secrets everywhere', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ service: 'svc', level: 'info', destination });
    const secret = 'registered-secret-value-123';
    secretScrubber.register(secret);
    logger.info({ detail: `calling with ${secret}`, headers: { authorization: 'Bearer zzz' } }, `message ${secret}`);
    logger.error({ err: new Error(`failed for ${secret}`) }, 'boom');
    const text = lines.join('');
    expect(text).not.toContain(secret);
    expect(text).not.toContain('zzz');
    const first = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(first).toMatchObject({ service: 'svc', level: 'info' });
  });
});
