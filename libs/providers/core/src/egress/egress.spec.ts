import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EgressBlockedError } from '../provider-errors';
import { isPublicAddress } from './address-policy';
import { createEgressFetch } from './egress-fetch';
import { checkBaseUrl } from './egress-policy';

describe('egress rules', () => {
  it.each([
    ['8.8.8.8', true], ['140.82.112.3', true], ['2606:4700::1111', true],
    ['127.0.0.1', false], ['10.1.2.3', false], ['172.20.0.1', false], ['192.168.1.1', false], ['169.254.169.254', false],
    ['100.64.0.1', false], ['0.0.0.0', false], ['::1', false], ['fe80::1', false], ['fd00::1', false],
    ['::ffff:127.0.0.1', false], ['::ffff:7f00:1', false], ['64:ff9b::a00:1', false], ['2002:a00:1::', false],
  ])('%s is public: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });

  it('refuses http, credentials in URLs, and private or loopback hosts when not allowed', async () => {
    const strict = { allowPrivateAddresses: false };
    await expect(checkBaseUrl('http://ghe.example.com/api/v3', strict)).rejects.toThrow(/https/);
    await expect(checkBaseUrl('https://user:pw@ghe.example.com', strict)).rejects.toThrow(/credentials/);
    await expect(checkBaseUrl('https://127.0.0.1/api/v3', strict)).rejects.toThrow(/private, loopback/);
    await expect(checkBaseUrl('https://[::1]/api/v3', strict)).rejects.toThrow(/private, loopback/);
    await expect(checkBaseUrl('https://localhost/api/v3', strict)).rejects.toThrow(/private, loopback/);
    await expect(checkBaseUrl('https://10.0.0.8', strict)).rejects.toThrow(EgressBlockedError);
    await expect(checkBaseUrl('http://127.0.0.1:9999/api/v3', { allowPrivateAddresses: true })).resolves.toBeInstanceOf(URL);
  });

  it('blocks loopback again at connect time, by IP literal and by name', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const strict = createEgressFetch({ allowPrivateAddresses: false });
      await expect(strict(`http://127.0.0.1:${port}/`)).rejects.toThrow(/not a public address/);
      const byName = strict(`http://localhost:${port}/`).then(() => 'connected', (e: Error) => `${e.message} ${String((e as { cause?: Error }).cause?.message)}`);
      expect(await byName).toMatch(/not a public address/);
      const lab = createEgressFetch({ allowPrivateAddresses: true });
      expect(await (await lab(`http://localhost:${port}/`)).text()).toBe('ok');
    } finally {
      server.close();
    }
  });
});
