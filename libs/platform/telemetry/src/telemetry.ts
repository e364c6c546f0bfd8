import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { OTLPTraceExporter as OtlpHttpExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { NodeSDK, resources, tracing } from '@opentelemetry/sdk-node';

export interface TelemetryOptions {
  service: string;
  /** OTLP/HTTP base endpoint; when absent spans are created (so context propagates) but not exported */
  otlpEndpoint?: string;
  protocol: 'http/protobuf' | 'http/json' | 'grpc';
  /** extra processors (tests use an in-memory exporter) */
  spanProcessors?: tracing.SpanProcessor[];
}

export interface Telemetry {
  shutdown(): Promise<void>;
}

/**
 * Starts OpenTelemetry. Call it before anything that should be instrumented is loaded
 * (first thing in main.ts), so http, undici, pg and ioredis are patched.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  const spanProcessors: tracing.SpanProcessor[] = [...(options.spanProcessors ?? [])];
  if (options.otlpEndpoint) {
    const url = `${options.otlpEndpoint.replace(/\/$/, '')}/v1/traces`;
    // grpc needs another exporter package; OTLP over HTTP is what collectors accept by default
    const exporter = options.protocol === 'http/json' ? new OtlpHttpExporter({ url }) : new OtlpProtoExporter({ url });
    spanProcessors.push(new tracing.BatchSpanProcessor(exporter, { scheduledDelayMillis: 500 }));
  }
  const sdk = new NodeSDK({
    resource: resources.resourceFromAttributes({ 'service.name': options.service }),
    spanProcessors,
    // no metrics or logs pipelines: metrics are served by /metrics (Prometheus), logs go to stdout
    metricReaders: [],
    logRecordProcessors: [],
    // only what the services use: the full auto-instrumentation bundle costs ~15 MB per process
    instrumentations: [
      new HttpInstrumentation({
        // health probes and scrapes would drown the traces
        ignoreIncomingRequestHook: (request) => /^\/(health|metrics)/.test(request.url ?? ''),
      }),
      new UndiciInstrumentation(),
      new ExpressInstrumentation(),
      new PgInstrumentation(),
      new IORedisInstrumentation(),
    ],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
