import { ConfigValueError, readFileValue } from '@repovault/platform/config';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

/** A JSON/YAML document the operator points a variable at, and where relative paths inside it start. */
export interface OperatorDocument {
  value: unknown;
  /** directory relative `…File` paths resolve against (the document's own, or the working directory) */
  baseDir: string;
}

/**
 * The variable holds the path of a JSON/YAML file (as API.md documents), or — through its `_FILE`
 * variant, the Kubernetes way — the document itself: text with a line break or starting with `{`/`[`
 * is a document, anything else a path.
 */
export function readOperatorDocument(raw: string): OperatorDocument {
  const text = raw.trim();
  const inline = /\n/.test(text) || text.startsWith('{') || text.startsWith('[');
  const source = inline ? text : readFileValue(text);
  let value: unknown;
  try {
    value = parseYaml(source);
  } catch (error) {
    throw new ConfigValueError(`${inline ? 'the document' : text} is not valid JSON/YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  return { value, baseDir: inline ? process.cwd() : dirname(resolve(text)) };
}

/** Reads a field of an object the document holds, with the path in every message. */
export class DocumentReader {
  constructor(private readonly value: Record<string, unknown>, readonly path: string, private readonly baseDir: string) {}

  static object(value: unknown, path: string, baseDir: string): DocumentReader {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigValueError(`${path} must be an object`);
    return new DocumentReader(value as Record<string, unknown>, path, baseDir);
  }

  has(key: string): boolean {
    return this.value[key] !== undefined && this.value[key] !== null;
  }

  string(key: string, pattern?: RegExp, hint?: string): string {
    const v = this.value[key];
    if (typeof v !== 'string' || v.trim() === '') throw new ConfigValueError(`${this.path}.${key} must be a non-empty string`);
    if (pattern && !pattern.test(v)) throw new ConfigValueError(`${this.path}.${key} ${hint ?? `must match ${pattern}`} (got "${v}")`);
    return v.trim();
  }

  optionalString(key: string): string | undefined {
    return this.has(key) ? this.string(key) : undefined;
  }

  integer(key: string, min: number, max: number): number {
    const v = this.value[key];
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) throw new ConfigValueError(`${this.path}.${key} must be an integer between ${min} and ${max}`);
    return n;
  }

  /**
   * A secret given inline (`key`) or, preferably, as a file (`keyFile`, relative to the document):
   * the config lib's `<NAME>` / `<NAME>_FILE` convention, one or the other.
   */
  secret(key: string): string {
    const fileKey = `${key}File`;
    if (this.has(key) && this.has(fileKey)) throw new ConfigValueError(`${this.path}: set either ${key} or ${fileKey}, not both`);
    if (this.has(fileKey)) {
      const file = this.string(fileKey);
      try {
        return readFileValue(isAbsolute(file) ? file : resolve(this.baseDir, file));
      } catch (error) {
        throw new ConfigValueError(`${this.path}.${fileKey}: ${(error as Error).message}`);
      }
    }
    if (this.has(key)) return this.string(key);
    throw new ConfigValueError(`${this.path}.${fileKey} (or ${key}) is required`);
  }

  child(key: string): DocumentReader {
    return DocumentReader.object(this.value[key], `${this.path}.${key}`, this.baseDir);
  }

  list(key: string): unknown[] {
    const v = this.value[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw new ConfigValueError(`${this.path}.${key} must be a list`);
    return v;
  }

  unknownKeys(allowed: readonly string[]): void {
    const extra = Object.keys(this.value).filter((k) => !allowed.includes(k));
    if (extra.length > 0) throw new ConfigValueError(`${this.path} has unknown field${extra.length > 1 ? 's' : ''} ${extra.join(', ')} (allowed: ${allowed.join(', ')})`);
  }
}
