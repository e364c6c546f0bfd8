/**
 * Bitbucket Cloud's collection conventions: `page`/`pagelen` pagination with the `next` link in the
 * body, and the `q` filter language (a subset: comparisons joined by AND / OR, strings in double
 * quotes, unquoted date-times, numbers, true, false and null).
 */

export class BitbucketQueryError extends Error {}

export const DEFAULT_PAGELEN = 10;

export interface CloudPage<T> {
  items: T[];
  body: { pagelen: number; size: number; page: number; next?: string; previous?: string };
}

/** Cuts one page out of `items` as `GET …?page=N&pagelen=M` asks; a pagelen outside 1..max is an error, as on bitbucket.org. */
export function pageOf<T>(items: T[], url: URL, maxPagelen: number): CloudPage<T> {
  const pagelen = intParam(url, 'pagelen') ?? DEFAULT_PAGELEN;
  if (pagelen < 1 || pagelen > maxPagelen) throw new BitbucketQueryError(`Invalid pagelen: must be between 1 and ${maxPagelen}`);
  const page = intParam(url, 'page') ?? 1;
  if (page < 1) throw new BitbucketQueryError('Invalid page');
  const start = (page - 1) * pagelen;
  const link = (n: number): string => {
    const target = new URL(url.toString());
    target.searchParams.set('page', String(n));
    return target.toString();
  };
  const body: CloudPage<T>['body'] = { pagelen, size: items.length, page };
  if (start + pagelen < items.length) body.next = link(page + 1);
  if (page > 1) body.previous = link(page - 1);
  return { items: items.slice(start, start + pagelen), body };
}

function intParam(url: URL, name: string): number | undefined {
  const value = url.searchParams.get(name);
  if (value === null || value === '') return undefined;
  if (!/^-?\d+$/.test(value)) throw new BitbucketQueryError(`Invalid ${name}`);
  return Number.parseInt(value, 10);
}

export type FieldValue = string | number | boolean | null;
export type FieldAccessors<T> = Record<string, (item: T) => FieldValue>;

type Token = { kind: 'word'; text: string } | { kind: 'string'; text: string } | { kind: 'op'; text: string } | { kind: 'paren'; text: '(' | ')' };

/** A predicate for the `q` parameter over the fields a collection supports; no `q`: everything. */
export function compileQuery<T>(q: string | null, fields: FieldAccessors<T>): (item: T) => boolean {
  if (q === null || q.trim() === '') return () => true;
  const tokens = tokenize(q);
  let at = 0;
  const peek = (): Token | undefined => tokens[at];
  const next = (): Token => {
    const token = tokens[at++];
    if (!token) throw new BitbucketQueryError(`Invalid query: unexpected end of "${q}"`);
    return token;
  };
  const keyword = (word: string): boolean => {
    const token = peek();
    if (token?.kind === 'word' && token.text.toUpperCase() === word) {
      at++;
      return true;
    }
    return false;
  };

  const comparison = (): ((item: T) => boolean) => {
    const first = next();
    if (first.kind === 'paren' && first.text === '(') {
      const inner = disjunction();
      const close = next();
      if (close.kind !== 'paren' || close.text !== ')') throw new BitbucketQueryError('Invalid query: missing )');
      return inner;
    }
    if (first.kind !== 'word') throw new BitbucketQueryError(`Invalid query: expected a field, got "${first.text}"`);
    const accessor = fields[first.text];
    if (!accessor) throw new BitbucketQueryError(`Invalid query: unknown field "${first.text}"`);
    const op = next();
    if (op.kind !== 'op') throw new BitbucketQueryError(`Invalid query: expected an operator after ${first.text}`);
    const literal = value(next());
    return (item) => compare(accessor(item), op.text, literal);
  };
  const conjunction = (): ((item: T) => boolean) => {
    const parts = [comparison()];
    while (keyword('AND')) parts.push(comparison());
    return (item) => parts.every((p) => p(item));
  };
  const disjunction = (): ((item: T) => boolean) => {
    const parts = [conjunction()];
    while (keyword('OR')) parts.push(conjunction());
    return (item) => parts.some((p) => p(item));
  };
  const predicate = disjunction();
  if (at !== tokens.length) throw new BitbucketQueryError(`Invalid query: unexpected "${tokens[at]?.text ?? ''}"`);
  return predicate;
}

function tokenize(q: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"') {
      let text = '';
      i++;
      while (i < q.length && q[i] !== '"') {
        if (q[i] === '\\') i++;
        text += q[i] ?? '';
        i++;
      }
      if (q[i] !== '"') throw new BitbucketQueryError('Invalid query: unterminated string');
      i++;
      tokens.push({ kind: 'string', text });
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: 'paren', text: c });
      i++;
    } else {
      const op = /^(!=|>=|<=|!~|=|>|<|~)/.exec(q.slice(i));
      if (op) {
        tokens.push({ kind: 'op', text: op[1] });
        i += op[1].length;
      } else {
        const word = /^[^\s()"=<>!~]+/.exec(q.slice(i));
        if (!word) throw new BitbucketQueryError(`Invalid query near "${q.slice(i)}"`);
        tokens.push({ kind: 'word', text: word[0] });
        i += word[0].length;
      }
    }
  }
  return tokens;
}

function value(token: Token): FieldValue {
  if (token.kind === 'string') return token.text;
  if (token.kind !== 'word') throw new BitbucketQueryError(`Invalid query: expected a value, got "${token.text}"`);
  if (token.text === 'null') return null;
  if (token.text === 'true' || token.text === 'false') return token.text === 'true';
  if (/^-?\d+(\.\d+)?$/.test(token.text)) return Number(token.text);
  if (!Number.isNaN(Date.parse(token.text))) return token.text;
  throw new BitbucketQueryError(`Invalid query: "${token.text}" is not a value`);
}

function compare(actual: FieldValue, op: string, expected: FieldValue): boolean {
  if (op === '~' || op === '!~') {
    const contains = typeof actual === 'string' && typeof expected === 'string' && actual.toLowerCase().includes(expected.toLowerCase());
    return op === '~' ? contains : !contains;
  }
  let a: FieldValue = actual;
  let b: FieldValue = expected;
  // Date-times compare as instants (an unquoted literal without offset is UTC).
  if (typeof a === 'string' && typeof b === 'string' && isDateTime(a) && isDateTime(b)) {
    a = Date.parse(a);
    b = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(b) ? b : `${b}Z`);
  }
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    default: {
      if (a === null || b === null) return false;
      const order = a < b ? -1 : a > b ? 1 : 0;
      return op === '>' ? order > 0 : op === '>=' ? order >= 0 : op === '<' ? order < 0 : order <= 0;
    }
  }
}

function isDateTime(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}/.test(s) && !Number.isNaN(Date.parse(s));
}
