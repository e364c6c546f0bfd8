import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PinoNestLogger, createLogger } from '@repovault/platform/logging';
import { httpObserver } from './metrics/http-observer.middleware';
import { ProblemDetailsFilter } from './problems/problem-details.filter';
import { createValidationPipe } from './problems/validation';
import { assertEveryRouteDeclaresAccess } from './route-access-check';
import { ServiceRuntime } from './service-runtime';

export interface BootstrapOptions {
  runtime: ServiceRuntime;
  host: string;
  port: number;
  /** extra set-up before listening (e.g. the gateway's OpenAPI document) */
  configure?: (app: INestApplication) => void | Promise<void>;
}

/** Creates the Nest app with the platform's logging, errors, validation, metrics and route checks. */
export async function createServiceApp(rootModule: unknown, runtime: ServiceRuntime): Promise<INestApplication> {
  const app = await NestFactory.create(rootModule as never, { logger: new PinoNestLogger(runtime.logger), bufferLogs: true });
  app.use(httpObserver(runtime.metrics, runtime.logger));
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalPipes(createValidationPipe());
  const express = app.getHttpAdapter().getInstance() as { disable(setting: string): void; set(setting: string, value: unknown): void };
  express.disable('x-powered-by');
  return app;
}

/** Starts a service: checks every route declares its access, then listens. */
export async function bootstrapService(rootModule: unknown, options: BootstrapOptions): Promise<INestApplication> {
  const app = await createServiceApp(rootModule, options.runtime);
  await options.configure?.(app);
  await app.init();
  assertEveryRouteDeclaresAccess(app);
  await app.listen(options.port, options.host);
  options.runtime.logger.info({ url: `http://${options.host}:${options.port}` }, `${options.runtime.service} listening`);
  exitGracefullyOnSignals(app, options.runtime);
  return app;
}

export interface ServiceProcessOptions {
  service: ServiceRuntime['service'];
  logLevel: string;
  host: string;
  port: number;
  telemetry: { shutdown(): Promise<void> };
  rootModule: (runtime: ServiceRuntime) => unknown;
  configure?: (app: INestApplication) => void | Promise<void>;
}

/** The whole start of a service process: runtime, logger, telemetry flush on shutdown, listen. */
export async function runServiceProcess(options: ServiceProcessOptions): Promise<INestApplication> {
  const runtime = new ServiceRuntime(options.service, createLogger({ service: options.service, level: options.logLevel }));
  runtime.onShutdown(() => options.telemetry.shutdown());
  return bootstrapService(options.rootModule(runtime), { runtime, host: options.host, port: options.port, configure: options.configure });
}

/**
 * SIGTERM/SIGINT: stop taking work, let active jobs and requests finish (Nest closes the HTTP server,
 * BullMQ workers and connections), flush telemetry and logs, then exit 0.
 */
function exitGracefullyOnSignals(app: INestApplication, runtime: ServiceRuntime): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    runtime.logger.info({ signal }, 'shutting down');
    app
      .close()
      .then(() => {
        runtime.logger.info('shutdown complete');
        runtime.logger.flush();
        process.exit(0);
      })
      .catch((error: unknown) => {
        runtime.logger.error({ err: error }, 'shutdown failed');
        runtime.logger.flush();
        process.exit(1);
      });
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
