import { env } from './config-fields';
import type { ServiceName } from '@repovault/contracts/jobs';

const SERVICE_KEY = /^(api-gateway|org-service|credential-service|plan-service|backup-worker)(:[a-z0-9-]+)?$/;

/** Development-only internal token of a service; production requires real ones. */
export function developmentServiceToken(service: ServiceName, pool?: string): string {
  return `dev-internal-token-${service}${pool ? `-${pool}` : ''}`;
}

export const DEFAULT_PORTS: Readonly<Record<ServiceName, number>> = {
  'api-gateway': 3000,
  'org-service': 3101,
  'credential-service': 3102,
  'plan-service': 3103,
  'backup-worker': 3104,
};

const devOnly = <T>(value: T) => ({ production }: { production: boolean }) => (production ? undefined : value);

/** Fields every service has. */
export function baseFields(service: ServiceName) {
  return {
    REPOVAULT_ENV: env.oneOf('development, test or production', ['development', 'test', 'production'] as const).default('development'),
    LOG_LEVEL: env.oneOf('log level', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const).default('info'),
    REPOVAULT_HTTP_HOST: env.string('address the service listens on').default('127.0.0.1'),
    REPOVAULT_SERVICE_TOKEN: env.string(`this service's own token for internal calls`).asSecret().default(devOnly(developmentServiceToken(service))),
    OTEL_EXPORTER_OTLP_ENDPOINT: env.url('OTLP/HTTP endpoint; traces are exported only when set', ['http', 'https']).optional(),
    OTEL_EXPORTER_OTLP_PROTOCOL: env.oneOf('OTLP protocol', ['http/protobuf', 'http/json', 'grpc'] as const).default('http/protobuf'),
  };
}

export const databaseFields = {
  DATABASE_URL: env.url('PostgreSQL connection URL', ['postgres', 'postgresql']).asSecret().default('postgres://postgres@127.0.0.1:5432/repovault'),
};

export const redisFields = {
  REDIS_URL: env.url('Redis connection URL', ['redis', 'rediss']).asSecret().default('redis://127.0.0.1:6379'),
  REPOVAULT_QUEUE_PREFIX: env.custom('BullMQ key prefix (lets several stacks share one Redis)', (raw) => {
    if (!/^[a-zA-Z0-9_.-]{1,40}$/.test(raw)) throw new Error('must be 1-40 letters, digits, _ . or -');
    return raw;
  }).default('repovault'),
};

/** Where an internal service listens. */
export function httpPortField(service: Exclude<ServiceName, 'api-gateway'>) {
  return { REPOVAULT_HTTP_PORT: env.port(`${service} internal HTTP port`).default(DEFAULT_PORTS[service]) };
}

/** The gateway's port has its own public name. */
export const gatewayPortField = {
  REPOVAULT_GATEWAY_PORT: env.port('public API port').default(DEFAULT_PORTS['api-gateway']),
};

export const internalUrlFields = {
  REPOVAULT_ORG_SERVICE_URL: env.url('internal base URL of org-service', ['http', 'https']).default(`http://127.0.0.1:${DEFAULT_PORTS['org-service']}`),
  REPOVAULT_CREDENTIAL_SERVICE_URL: env.url('internal base URL of credential-service', ['http', 'https']).default(`http://127.0.0.1:${DEFAULT_PORTS['credential-service']}`),
  REPOVAULT_PLAN_SERVICE_URL: env.url('internal base URL of plan-service', ['http', 'https']).default(`http://127.0.0.1:${DEFAULT_PORTS['plan-service']}`),
};

/**
 * Tokens of the services allowed to call this one: `service=token` (worker tokens may carry a pool:
 * `backup-worker:eu=token`). Development defaults accept every service's development token.
 */
export const peerTokensField = {
  REPOVAULT_PEER_TOKENS: env
    .keyValueList('tokens of the services allowed to call this one, service=token comma-separated', SERVICE_KEY)
    .asSecret()
    .default(devOnly(new Map(
      (['api-gateway', 'org-service', 'credential-service', 'plan-service', 'backup-worker'] as ServiceName[]).map(
        (s) => [s, developmentServiceToken(s)] as [string, string],
      ),
    ))),
};
