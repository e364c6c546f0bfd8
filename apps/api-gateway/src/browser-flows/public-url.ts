import { ProblemException } from '@repovault/platform/http';
import type { Request } from 'express';
import type { GatewayConfig } from '../config/gateway.config';

/**
 * Where browsers reach this gateway, for the redirect targets registered with providers:
 * REPOVAULT_PUBLIC_URL, or outside production the address the caller used.
 */
export function publicBaseUrl(config: GatewayConfig, request: Request): string {
  if (config.REPOVAULT_PUBLIC_URL) return config.REPOVAULT_PUBLIC_URL.replace(/\/$/, '');
  if (config.REPOVAULT_ENV === 'production') {
    throw ProblemException.unavailable('public-url-not-configured', 'The operator has not set REPOVAULT_PUBLIC_URL, which OAuth and GitHub App callbacks need in production.');
  }
  return `${request.protocol}://${request.get('host') ?? '127.0.0.1'}`;
}
