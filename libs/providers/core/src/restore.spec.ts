import {
  type RestoreLedger, type RestoreLedgerEntry, type RestoreLedgerKind, type RestoredRef, readRestoreMarker, remapCrossReferences, restoreKindsOf,
  restoreMarker, restoreOnce, stripRestoreAttribution, withRestoreAttribution, withRestoreMarker,
} from './restore';

/** A ledger in memory: the contract is what restoreOnce relies on, not the storage. */
class MemoryLedger implements RestoreLedger {
  readonly rows = new Map<string, RestoreLedgerEntry>();
  async get(kind: RestoreLedgerKind, sourceId: string) {
    return this.rows.get(`${kind}/${sourceId}`) ?? null;
  }
  async entries(kind: RestoreLedgerKind) {
    return new Map([...this.rows.values()].filter((r) => r.kind === kind).map((r) => [r.sourceId, r]));
  }
  async begin(kind: RestoreLedgerKind, sourceId: string) {
    this.rows.set(`${kind}/${sourceId}`, { kind, sourceId, state: 'pending', targetId: null, targetNumber: null });
  }
  async complete(kind: RestoreLedgerKind, sourceId: string, created: RestoredRef) {
    this.rows.set(`${kind}/${sourceId}`, { kind, sourceId, state: 'done', targetId: created.targetId, targetNumber: created.targetNumber ?? null });
  }
}

describe('restoreOnce', () => {
  it('creates once, records it, and skips it when run again', async () => {
    const ledger = new MemoryLedger();
    const create = jest.fn(async () => ({ targetId: '900', targetNumber: 3 }));
    const find = jest.fn(async () => null);
    const first = await restoreOnce(ledger, 'issues', '12', { find, create });
    const second = await restoreOnce(ledger, 'issues', '12', { find, create });
    expect(first).toEqual({ ref: { targetId: '900', targetNumber: 3 }, created: true });
    expect(second).toEqual({ ref: { targetId: '900', targetNumber: 3 }, created: false });
    expect(create).toHaveBeenCalledTimes(1);
    expect(find).not.toHaveBeenCalled();
  });

  it('after a crash between the write and the ledger, finds the item instead of creating it again', async () => {
    const ledger = new MemoryLedger();
    await ledger.begin('issue-comments', '77'); // the killed attempt got this far, and the provider created it
    const create = jest.fn(async () => ({ targetId: 'duplicate' }));
    const result = await restoreOnce(ledger, 'issue-comments', '77', { find: async () => ({ targetId: '5001' }), create });
    expect(result).toEqual({ ref: { targetId: '5001' }, created: false });
    expect(create).not.toHaveBeenCalled();
    expect(await ledger.get('issue-comments', '77')).toMatchObject({ state: 'done', targetId: '5001' });
  });

  it('creates a pending item that the provider never received', async () => {
    const ledger = new MemoryLedger();
    await ledger.begin('labels', 'bug');
    const result = await restoreOnce(ledger, 'labels', 'bug', { find: async () => null, create: async () => ({ targetId: 'bug' }) });
    expect(result.created).toBe(true);
    expect(await ledger.get('labels', 'bug')).toMatchObject({ state: 'done', targetId: 'bug' });
  });

  it('leaves the entry pending when the create fails, so the next attempt looks before it writes', async () => {
    const ledger = new MemoryLedger();
    await expect(restoreOnce(ledger, 'issues', '1', { find: async () => null, create: async () => { throw new Error('boom'); } })).rejects.toThrow('boom');
    expect(await ledger.get('issues', '1')).toMatchObject({ state: 'pending' });
  });
});

describe('attribution and markers', () => {
  const marker = restoreMarker('7b1c0e6e-1f7e-4c55-9d39-4c1f3f0b8a11', 'issues', 'owner/repo#1 x');

  it('round-trips the original text', () => {
    const original = 'Steps:\n\n1. run it\n2. see #4';
    const restored = withRestoreAttribution(original, { author: 'alice', createdAt: '2024-03-01T10:00:00Z', original: 'acme/widgets#12' }, marker);
    expect(restored.startsWith('> **Restored by RepoVault.** Originally by `alice` on 2024-03-01T10:00:00Z (`acme/widgets#12`)\n\n')).toBe(true);
    expect(stripRestoreAttribution(restored)).toBe(original);
    expect(readRestoreMarker(restored)).toEqual({ restoreId: '7b1c0e6e-1f7e-4c55-9d39-4c1f3f0b8a11', kind: 'issues', sourceId: 'owner/repo#1 x' });
  });

  it('handles empty bodies, unknown authors and marker-only texts', () => {
    const empty = withRestoreAttribution(null, { author: null, createdAt: null }, marker);
    expect(empty).toContain('Originally by an unknown user');
    expect(stripRestoreAttribution(empty)).toBe('');
    expect(stripRestoreAttribution(withRestoreMarker('due soon', marker))).toBe('due soon');
    expect(stripRestoreAttribution(withRestoreMarker('', marker))).toBe('');
    expect(readRestoreMarker('no marker here')).toBeNull();
    expect(stripRestoreAttribution('plain text\r\n')).toBe('plain text\n');
  });
});

describe('remapCrossReferences', () => {
  const map = new Map([[1, 1], [2, 5], [12, 7]]);
  const options = {
    rules: [{ sigil: '#' as const, map: (n: number) => map.get(n) ?? null }],
    sourceFullName: 'acme/widgets',
    targetFullName: 'acme/widgets-restored',
  };
  const remap = (text: string) => remapCrossReferences(text, options);

  it('remaps bare and qualified references', () => {
    expect(remap('see #2 and #12, fixes (#1)')).toBe('see #5 and #7, fixes (#1)');
    expect(remap('dup of acme/widgets#12.')).toBe('dup of acme/widgets-restored#7.');
    expect(remap('#2 at the start')).toBe('#5 at the start');
  });

  it('qualifies references to items that were not restored', () => {
    expect(remap('see #40')).toBe('see acme/widgets#40');
    expect(remap('see acme/widgets#40')).toBe('see acme/widgets#40');
  });

  it('leaves code, URLs, entities, other repositories and words alone', () => {
    const text = [
      'inline `#2` code and &#12; entity, color#2, other/repo#2, issue-#2',
      '```',
      'echo #2',
      '```',
      'https://example.com/page#12 and <https://x.test/#2>',
      '~~~sh',
      '#12',
      '~~~',
      'after #12',
    ].join('\n');
    const expected = text.replace('after #12', 'after #7');
    expect(remap(text)).toBe(expected);
  });

  it('supports several sigils with their own numbering (GitLab issues and merge requests)', () => {
    const gitlab = remapCrossReferences('#1 vs !1 and group/proj!3', {
      rules: [{ sigil: '#', map: (n) => n + 10 }, { sigil: '!', map: (n) => (n === 3 ? 30 : n + 100) }],
      sourceFullName: 'group/proj',
      targetFullName: 'group/copy',
    });
    expect(gitlab).toBe('#11 vs !101 and group/copy!30');
  });

  it('is the identity for empty text and no rules', () => {
    expect(remapCrossReferences(null, options)).toBe('');
    expect(remapCrossReferences('#2', { ...options, rules: [] })).toBe('#2');
  });
});

describe('restoreKindsOf', () => {
  const none = { git: false, lfs: false, wiki: false, issues: false, comments: false, pullRequests: false, labels: false, milestones: false, releases: false };
  it('maps include switches to metadata kinds', () => {
    expect(restoreKindsOf({ ...none, issues: true, comments: true })).toEqual(['issues', 'issue-comments']);
    expect(restoreKindsOf({ ...none, comments: true })).toEqual([]);
    expect(restoreKindsOf({ ...none, pullRequests: true, comments: true, releases: true })).toEqual(['pull-requests', 'reviews', 'issue-comments', 'review-comments', 'releases', 'release-assets']);
  });
});
