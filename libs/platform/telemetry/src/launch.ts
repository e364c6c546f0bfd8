import { type ConfigOf, type ConfigSchema, loadConfigOrExit } from '@repovault/platform/config';
import { type Telemetry, startTelemetry } from './telemetry';

interface TelemetryFields {
  OTEL_EXPORTER_OTLP_ENDPOINT: string | undefined;
  OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' | 'http/json' | 'grpc';
}

/**
 * A service's main: validated config first (exit naming any bad variable), then OpenTelemetry,
 * and only then the application code, loaded by `load` so instrumentation can patch its modules.
 */
export function launchService<S extends ConfigSchema>(
  service: string,
  schema: S,
  load: () => { bootstrap(config: ConfigOf<S>, telemetry: Telemetry): Promise<unknown> },
): void {
  const config = loadConfigOrExit(service, schema);
  const fields = config as unknown as TelemetryFields;
  const telemetry = startTelemetry({ service, otlpEndpoint: fields.OTEL_EXPORTER_OTLP_ENDPOINT, protocol: fields.OTEL_EXPORTER_OTLP_PROTOCOL });
  load()
    .bootstrap(config, telemetry)
    .catch((error: unknown) => {
      process.stderr.write(`${service} failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    });
}
