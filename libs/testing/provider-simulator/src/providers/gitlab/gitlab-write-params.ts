import { headerValue, readBody } from '../../core/http-io';
import type { GitlabRouteContext } from './gitlab-rest-types';

/** A request parameter that is missing or malformed: GitLab (Grape) answers 400 `{ "error": "<name> is missing" }`. */
export class GitlabParamError extends Error {}

/**
 * The parameters of a write, as GitLab's API reads them: the query string merged with a JSON or
 * form-encoded body (the body wins).
 */
export class GitlabWriteParams {
  private constructor(private readonly values: Record<string, unknown>) {}

  static async read(ctx: GitlabRouteContext): Promise<GitlabWriteParams> {
    const values: Record<string, unknown> = Object.fromEntries(ctx.url.searchParams.entries());
    const type = headerValue(ctx.req, 'content-type') ?? '';
    if (/multipart\/form-data/i.test(type)) return new GitlabWriteParams(values);
    const raw = (await readBody(ctx.req)).toString('utf8');
    if (raw.trim() === '') return new GitlabWriteParams(values);
    if (/json/i.test(type) || raw.trimStart().startsWith('{')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        throw new GitlabParamError('the request body is not valid JSON');
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new GitlabParamError('the request body must be a JSON object');
      return new GitlabWriteParams({ ...values, ...(parsed as Record<string, unknown>) });
    }
    return new GitlabWriteParams({ ...values, ...Object.fromEntries(new URLSearchParams(raw).entries()) });
  }

  has(name: string): boolean {
    return this.values[name] !== undefined && this.values[name] !== null;
  }

  /** A required non-empty string. */
  string(name: string): string {
    const value = this.optionalString(name);
    if (value === undefined || value.trim() === '') throw new GitlabParamError(`${name} is missing`);
    return value;
  }

  optionalString(name: string): string | undefined {
    const value = this.values[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw new GitlabParamError(`${name} is invalid`);
  }

  optionalInteger(name: string): number | undefined {
    const value = this.values[name];
    if (value === undefined || value === null || value === '') return undefined;
    const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isInteger(n)) throw new GitlabParamError(`${name} is invalid`);
    return n;
  }

  optionalBoolean(name: string): boolean | undefined {
    const value = this.values[name];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    throw new GitlabParamError(`${name} is invalid`);
  }

  /** An ISO 8601 instant or `YYYY-MM-DD` date, normalised to ISO. */
  optionalTime(name: string): string | undefined {
    const value = this.optionalString(name);
    if (value === undefined || value === '') return undefined;
    const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
    if (Number.isNaN(ms)) throw new GitlabParamError(`${name} is invalid`);
    return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /** Label names: a comma-separated string or an array, as GitLab takes them. */
  labels(name: string): string[] | undefined {
    const value = this.values[name];
    if (value === undefined || value === null) return undefined;
    const list = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(',') : null;
    if (list === null) throw new GitlabParamError(`${name} is invalid`);
    return [...new Set(list.map((l) => l.trim()).filter((l) => l.length > 0))];
  }

  integers(name: string): number[] | undefined {
    const value = this.values[name];
    if (value === undefined || value === null) return undefined;
    const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',').filter(Boolean) : [value];
    return list.map((v) => {
      const n = typeof v === 'number' ? v : Number(v);
      if (!Number.isInteger(n)) throw new GitlabParamError(`${name} is invalid`);
      return n;
    });
  }

  /** A nested object parameter (JSON bodies: `position`, `assets`). */
  object(name: string): Record<string, unknown> | undefined {
    const value = this.values[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) throw new GitlabParamError(`${name} is invalid`);
    return value as Record<string, unknown>;
  }
}
