import { SecretScrubber } from './secret-scrubber';

describe('SecretScrubber', () => {
  const secret = 'opaque-Secret+Value/42==';

  it.each(['backup-bot', 'x-access-token', 'ab', 'a', 'oauth2'])('removes a registered secret in a Basic header for user %s', (user) => {
    const scrubber = new SecretScrubber();
    scrubber.register(secret);
    const header = Buffer.from(`${user}:${secret}`).toString('base64');
    // the header value alone, without its scheme, is what must not survive
    expect(scrubber.scrub(`sent ${header} upstream`)).not.toContain(header.slice(-12));
  });

  it('removes plain and URL-encoded forms', () => {
    const scrubber = new SecretScrubber();
    scrubber.register(secret);
    const out = scrubber.scrub(`a ${secret} b ${encodeURIComponent(secret)}`);
    expect(out).not.toContain(secret);
    expect(out).not.toContain(encodeURIComponent(secret));
  });

  it('removes token shapes and URL credentials it was never told about', () => {
    const scrubber = new SecretScrubber();
    const text = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789 glpat-abcdefghijklmnopqrstu https://user:pw@host/x Authorization: Bearer abc.def.ghi123';
    const out = scrubber.scrub(text);
    expect(out).not.toMatch(/ghp_|glpat-|user:pw|abc\.def/);
    expect(out).toContain('https://[redacted]@host/x');
  });

  it('redacts sensitive keys in objects', () => {
    const scrubber = new SecretScrubber();
    expect(scrubber.scrubValue({ headers: { authorization: 'x' }, nested: [{ token: 'y', ok: 1 }] })).toEqual({
      headers: { authorization: '[redacted]' },
      nested: [{ token: '[redacted]', ok: 1 }],
    });
  });
});
