import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRepoVaultClient } from '../src';

describe('createRepoVaultClient', () => {
  it('sends the API key as a bearer token and parses problem+json errors', async () => {
    const seen: (string | undefined)[] = [];
    const server = createServer((request, response) => {
      seen.push(request.headers.authorization);
      response.writeHead(403, { 'content-type': 'application/problem+json' });
      response.end(JSON.stringify({ type: 'urn:x', title: 'Forbidden', status: 403, detail: 'no' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const client = createRepoVaultClient(`http://127.0.0.1:${port}`, { apiKey: 'rvk_test' });
      const { error, response } = await client.GET('/v1/tenant');
      expect(response.status).toBe(403);
      expect(error).toMatchObject({ status: 403, detail: 'no' });
      expect(seen).toEqual(['Bearer rvk_test']);
    } finally {
      server.close();
    }
  });
});
