import { readFileSync } from 'node:fs';

/** One environment variable: how to parse it, its default, whether it is a secret. */
export interface ConfigField<T> {
  readonly parse: (raw: string) => T;
  /** default when unset; a function so defaults may depend on the environment kind */
  readonly fallback?: (ctx: DefaultContext) => T | undefined;
  /** an optional field may stay undefined */
  readonly isOptional: boolean;
  /** secrets may also come from `<NAME>_FILE` and are redacted when the config is printed */
  readonly secret: boolean;
  readonly description: string;
}

export interface DefaultContext {
  readonly production: boolean;
}

export class ConfigValueError extends Error {}

function field<T>(parse: (raw: string) => T, description: string): FieldBuilder<T> {
  return new FieldBuilder<T>({ parse, secret: false, isOptional: false, description });
}

export class FieldBuilder<T> implements ConfigField<T> {
  constructor(private readonly spec: ConfigField<T>) {}
  get parse() { return this.spec.parse; }
  get fallback() { return this.spec.fallback; }
  get secret() { return this.spec.secret; }
  get description() { return this.spec.description; }
  get isOptional() { return this.spec.isOptional; }

  default(value: T | ((ctx: DefaultContext) => T | undefined)): FieldBuilder<T> {
    const fallback = typeof value === 'function' ? (value as (ctx: DefaultContext) => T | undefined) : () => value;
    return new FieldBuilder<T>({ ...this.spec, fallback });
  }

  optional(): FieldBuilder<T | undefined> {
    return new FieldBuilder<T | undefined>({ ...this.spec, isOptional: true });
  }

  asSecret(): FieldBuilder<T> {
    return new FieldBuilder<T>({ ...this.spec, secret: true });
  }
}

export const env = {
  string: (description: string) =>
    field((raw) => {
      if (raw.trim() === '') throw new ConfigValueError('must not be empty');
      return raw;
    }, description),

  integer: (description: string, { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = {}) =>
    field((raw) => {
      if (!/^-?\d+$/.test(raw.trim())) throw new ConfigValueError(`must be an integer (got "${raw}")`);
      const value = Number(raw.trim());
      if (value < min || value > max) throw new ConfigValueError(`must be between ${min} and ${max} (got ${value})`);
      return value;
    }, description),

  port: (description: string) => env.integer(description, { min: 1, max: 65535 }),

  boolean: (description: string) =>
    field((raw) => {
      const v = raw.trim().toLowerCase();
      if (['true', '1', 'yes'].includes(v)) return true;
      if (['false', '0', 'no'].includes(v)) return false;
      throw new ConfigValueError(`must be true or false (got "${raw}")`);
    }, description),

  url: (description: string, protocols: readonly string[]) =>
    field((raw) => {
      let url: URL;
      try {
        url = new URL(raw.trim());
      } catch {
        throw new ConfigValueError(`must be a URL (${protocols.join(' or ')})`);
      }
      if (!protocols.includes(url.protocol.replace(/:$/, ''))) {
        throw new ConfigValueError(`must use ${protocols.join(' or ')}, not ${url.protocol.replace(/:$/, '')}`);
      }
      return url.toString().replace(/\/$/, '');
    }, description),

  oneOf: <const V extends string>(description: string, values: readonly V[]) =>
    field((raw): V => {
      const v = raw.trim() as V;
      if (!values.includes(v)) throw new ConfigValueError(`must be one of ${values.join(', ')} (got "${raw}")`);
      return v;
    }, description),

  /** `a=x,b=y` pairs */
  keyValueList: (description: string, keyPattern: RegExp, separator = '=') =>
    field((raw) => {
      const out = new Map<string, string>();
      for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
        const at = part.indexOf(separator);
        if (at <= 0 || at === part.length - 1) throw new ConfigValueError(`entries must look like key${separator}value`);
        const key = part.slice(0, at);
        if (!keyPattern.test(key)) throw new ConfigValueError(`invalid key "${key}"`);
        if (out.has(key)) throw new ConfigValueError(`duplicate key "${key}"`);
        out.set(key, part.slice(at + 1));
      }
      if (out.size === 0) throw new ConfigValueError('must list at least one entry');
      return out;
    }, description),

  custom: <T>(description: string, parse: (raw: string) => T) => field(parse, description),
};

export function readFileValue(path: string): string {
  try {
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    throw new ConfigValueError(`cannot read file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}
