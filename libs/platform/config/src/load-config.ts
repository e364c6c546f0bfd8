import { ConfigValueError, readFileValue, type ConfigField } from './config-fields';

export type ConfigSchema = Readonly<Record<string, ConfigField<unknown>>>;
export type ConfigOf<S extends ConfigSchema> = { readonly [K in keyof S]: S[K] extends ConfigField<infer T> ? T : never };

export type Environment = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** `REPOVAULT_ENV=production` turns development defaults (keys, tokens) into errors. */
export function isProduction(source: Environment): boolean {
  return (source['REPOVAULT_ENV'] ?? source['NODE_ENV']) === 'production';
}

/**
 * Builds a typed config object from environment variables named by the schema's keys.
 * Collects every problem before failing, each message naming its variable.
 */
export function loadConfig<S extends ConfigSchema>(schema: S, source: Environment = process.env): ConfigOf<S> {
  const production = isProduction(source);
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(schema)) {
    const direct = source[name];
    const fileName = `${name}_FILE`;
    const file = spec.secret ? source[fileName] : undefined;
    try {
      if (direct !== undefined && file !== undefined) {
        throw new ConfigValueError(`set either ${name} or ${fileName}, not both`);
      }
      if (file !== undefined) {
        out[name] = spec.parse(readFileValue(file));
      } else if (direct !== undefined && direct !== '') {
        out[name] = spec.parse(direct);
      } else if (spec.fallback) {
        const value = spec.fallback({ production });
        if (value === undefined && !spec.isOptional) throw new ConfigValueError(required(spec, fileName, production));
        out[name] = value;
      } else if (spec.isOptional) {
        out[name] = undefined;
      } else {
        throw new ConfigValueError(required(spec, fileName, production));
      }
    } catch (error) {
      if (!(error instanceof ConfigValueError)) throw error;
      problems.push(`${name} ${error.message} — ${spec.description}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(out) as ConfigOf<S>;
}

function required(spec: ConfigField<unknown>, fileName: string, production: boolean): string {
  const how = spec.secret ? `is required (or ${fileName})` : 'is required';
  return production ? `${how} in production` : how;
}

/** Loads config or stops the process with a message naming every bad variable. */
export function loadConfigOrExit<S extends ConfigSchema>(service: string, schema: S, source: Environment = process.env): ConfigOf<S> {
  try {
    return loadConfig(schema, source);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${service}: cannot start. ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

/** The config with secrets replaced, for start-up logs. */
export function describeConfig<S extends ConfigSchema>(schema: S, config: ConfigOf<S>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(schema)) {
    const value = (config as Record<string, unknown>)[name];
    out[name] = spec.secret && value !== undefined ? '[secret]' : value instanceof Map ? Object.fromEntries([...value.keys()].map((k) => [k, '…'])) : value;
  }
  return out;
}

/** Names of the fields that took their default (neither the variable nor its _FILE was set). */
export function defaultedFields(schema: ConfigSchema, source: Environment = process.env): string[] {
  return Object.entries(schema)
    .filter(([name, spec]) => (source[name] === undefined || source[name] === '') && !(spec.secret && source[`${name}_FILE`] !== undefined))
    .map(([name]) => name);
}
