import { pageRange } from './github-pagination';

describe('GitHub pagination', () => {
  const url = (query: string): URL => new URL(`http://127.0.0.1:9/api/v3/orgs/acme/repos?${query}`);

  it('defaults to 30 per page and links next and last with absolute URLs keeping the query', () => {
    const range = pageRange(95, url('type=all'));
    expect(range).toMatchObject({ start: 0, end: 30 });
    expect(range.link).toBe(
      '<http://127.0.0.1:9/api/v3/orgs/acme/repos?type=all&page=2>; rel="next", <http://127.0.0.1:9/api/v3/orgs/acme/repos?type=all&page=4>; rel="last"',
    );
  });

  it('caps per_page at 100 and gives prev/first on later pages, nothing to follow on the last', () => {
    expect(pageRange(500, url('per_page=1000')).end).toBe(100);
    const last = pageRange(250, url('per_page=100&page=3'));
    expect(last).toMatchObject({ start: 200, end: 250 });
    expect(last.link).toContain('rel="prev"');
    expect(last.link).toContain('rel="first"');
    expect(last.link).not.toContain('rel="next"');
  });

  it('has no link header when everything fits, and an empty page past the end', () => {
    expect(pageRange(10, url('per_page=30')).link).toBeUndefined();
    expect(pageRange(10, url('per_page=5&page=9'))).toMatchObject({ start: 10, end: 10 });
  });
});
