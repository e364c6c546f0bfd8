import { UnsafeRemoteError } from './git-errors';
import { assertSafeRemoteUrl, scrubText } from './redaction';

describe('scrubText', () => {
  it('removes URL credentials, tokens and signed query parameters', () => {
    const text = [
      "fatal: unable to access 'https://x-access-token:s3cr3t-value@github.com/acme/web.git/': 403",
      'remote: token ghp_0123456789abcdefghijklmnopqrstuvwxyzAB is bad',
      'fetch https://oauth2:glpat-abcdefghijklmnopqrst@gitlab.example/a/b.git',
      'GET https://bucket.s3.example/obj?X-Amz-Signature=deadbeef&X-Amz-Credential=AKIA/1',
      'https://only-user@bitbucket.example/x.git',
    ].join('\n');
    const out = scrubText(text);
    for (const secret of ['s3cr3t-value', 'ghp_0123456789', 'glpat-abcdefghijklmnopqrst', 'deadbeef', 'AKIA', 'only-user']) expect(out).not.toContain(secret);
    expect(out).toContain('https://[redacted]@github.com/acme/web.git/');
    expect(out).toContain('X-Amz-Signature=[redacted]');
  });

  it('leaves ordinary git output alone', () => {
    const text = "fatal: repository 'http://127.0.0.1:4000/github/acme/web.wiki.git/' not found";
    expect(scrubText(text)).toBe(text);
  });
});

describe('assertSafeRemoteUrl', () => {
  it('accepts credential-free http(s) remotes', () => {
    expect(assertSafeRemoteUrl('http://127.0.0.1:4000/github/acme/web.git').pathname).toBe('/github/acme/web.git');
    expect(assertSafeRemoteUrl('https://github.com/acme/web.git').host).toBe('github.com');
  });

  it.each([
    ['credentials', 'https://x-access-token:ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/a/b.git'],
    ['a user name', 'https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/a/b.git'],
    ['a query', 'https://github.com/a/b.git?private_token=abcdef'],
    ['a fragment', 'https://github.com/a/b.git#x'],
    ['ssh', 'ssh://git@github.com/a/b.git'],
    ['ext', 'ext::sh -c touch% /tmp/x'],
    ['file', 'file:///etc'],
    ['a relative path', 'acme/web.git'],
  ])('refuses %s without repeating the URL', (_label, url) => {
    let caught: unknown;
    try {
      assertSafeRemoteUrl(url);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UnsafeRemoteError);
    expect(String(caught)).not.toContain('ghp_');
    expect(String(caught)).not.toContain('abcdef');
  });
});
