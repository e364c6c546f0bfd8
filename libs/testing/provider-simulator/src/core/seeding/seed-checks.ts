import type { SeedPartValidators } from './seed-config';

type Obj = Record<string, unknown>;

export interface SeedChecks {
  object(value: unknown, path: string): Obj;
  array(value: unknown, path: string): unknown[];
  string(value: unknown, path: string): string;
  strings(value: unknown, path: string): string[];
  count(value: unknown, path: string): number;
  login(value: unknown, path: string): string;
  oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T;
  optional<T>(value: unknown, path: string, check: (v: unknown, p: string) => T): T | undefined;
}

/** The small value checks every provider part needs, throwing the seed config's own error. */
export function checker(v: SeedPartValidators): SeedChecks {
  const c: SeedChecks = {
    object(value, path) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw v.fail(`${path}: expected an object`);
      return value as Obj;
    },
    array(value, path) {
      if (!Array.isArray(value)) throw v.fail(`${path}: expected a list`);
      return value;
    },
    string(value, path) {
      if (typeof value !== 'string' || value.length === 0) throw v.fail(`${path}: expected a non-empty string`);
      return value;
    },
    strings(value, path) {
      return c.array(value, path).map((x, i) => c.string(x, `${path}[${i}]`));
    },
    count(value, path) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw v.fail(`${path}: expected a whole number >= 0`);
      return value;
    },
    login(value, path) {
      const s = c.string(value, path);
      if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(s)) throw v.fail(`${path}: "${s}" is not a valid login`);
      return s;
    },
    oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
      if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) throw v.fail(`${path}: expected one of ${allowed.join(', ')}`);
      return value as T;
    },
    optional(value, path, check) {
      return value === undefined || value === null ? undefined : check(value, path);
    },
  };
  return c;
}
