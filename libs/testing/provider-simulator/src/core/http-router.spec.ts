import { HttpRouter } from './http-router';

describe('HttpRouter', () => {
  const router = new HttpRouter<string>()
    .add('GET', '/repos/{owner}/{repo}/issues/{issue_number}', 'issue')
    .add('GET', '/repos/{owner}/{repo}/issues/comments', 'comments')
    .add('GET', '/repos/{owner}/{repo}/releases/{release_id}/assets', 'assets')
    .add('GET', '/repos/{owner}/{repo}/releases/assets/{asset_id}', 'asset')
    .add('POST', '/repos/{owner}/{repo}/issues/{issue_number}', 'post-issue');

  it('prefers literal segments over parameters whatever the registration order', () => {
    expect(router.match('GET', '/repos/a/b/issues/comments')?.route.handler).toBe('comments');
    expect(router.match('GET', '/repos/a/b/issues/12')).toMatchObject({ route: { handler: 'issue' }, params: { owner: 'a', repo: 'b', issue_number: '12' } });
    expect(router.match('GET', '/repos/a/b/releases/assets/7')?.params).toEqual({ owner: 'a', repo: 'b', asset_id: '7' });
    expect(router.match('GET', '/repos/a/b/releases/7/assets')?.params).toEqual({ owner: 'a', repo: 'b', release_id: '7' });
  });

  it('matches on method, decodes parameters and ignores trailing slashes', () => {
    expect(router.match('POST', '/repos/a/b/issues/3')?.route.handler).toBe('post-issue');
    expect(router.match('DELETE', '/repos/a/b/issues/3')).toBeUndefined();
    expect(router.match('GET', '/repos/my%20org/b/issues/3/')?.params.owner).toBe('my org');
    expect(router.match('GET', '/repos/a/b')).toBeUndefined();
  });

  it('exposes its route table and refuses duplicates', () => {
    expect(router.routes()).toContainEqual({ method: 'GET', template: '/repos/{owner}/{repo}/issues/comments' });
    expect(() => router.add('GET', '/repos/{owner}/{repo}/issues/comments', 'again')).toThrow(/twice/);
  });
});
