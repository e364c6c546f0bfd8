import type { Logger } from '@repovault/platform/logging';
import type { NextFunction, Request, Response } from 'express';
import type { MetricsRegistry } from './metrics';

/** Records the duration histogram and one access-log line per request (paths only, never queries). */
export function httpObserver(metrics: MetricsRegistry, logger: Logger) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeTemplate(request);
      metrics.httpDuration.observe({ method: request.method, route, status: String(response.statusCode) }, seconds);
      if (route.startsWith('/health') || route === '/metrics') return;
      logger.info({ method: request.method, route, status: response.statusCode, ms: Math.round(seconds * 1000) }, 'http');
    });
    next();
  };
}

function routeTemplate(request: Request): string {
  const route = (request as Request & { route?: { path?: unknown } }).route?.path;
  // unmatched paths are collapsed so an attacker cannot blow up label cardinality
  return typeof route === 'string' ? `${request.baseUrl}${route}` : 'unmatched';
}
