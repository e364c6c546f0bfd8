import { randomUUID } from 'node:crypto';
import { newBrowserState, parseBrowserState } from './browser-state';

describe('browser round-trip states', () => {
  it('carries the flow id and a 256-bit secret, of which only a hash is kept', () => {
    const id = randomUUID();
    const { state, hash } = newBrowserState(id);
    expect(state).toMatch(new RegExp(`^${id}\\.[A-Za-z0-9_-]{43}$`));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(state).not.toContain(hash);
    expect(parseBrowserState(state)).toEqual({ flowId: id, hash });
  });

  it('gives every flow its own secret', () => {
    const id = randomUUID();
    expect(newBrowserState(id).hash).not.toBe(newBrowserState(id).hash);
  });

  it.each(['', 'not-a-state', `${randomUUID()}.short`, `${randomUUID()}.${'a'.repeat(43)}.extra`, `../${'a'.repeat(43)}`])('refuses %j', (state) => {
    expect(parseBrowserState(state)).toBeNull();
  });
});
