import pino, { type DestinationStream, type Logger } from 'pino';
import { secretScrubber } from './secret-scrubber';

export type { Logger } from 'pino';

export interface LoggerOptions {
  service: string;
  level: string;
  destination?: DestinationStream;
}

/** JSON logs with pino; every object and message passes the secret scrubber first. */
export function createLogger({ service, level, destination }: LoggerOptions): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => secretScrubber.scrubValue(object) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg) => (typeof arg === 'string' ? secretScrubber.scrub(arg) : arg));
          return method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
      serializers: { err: (error: unknown) => secretScrubber.scrubValue(error) },
    },
    destination ?? pino.destination({ sync: false }),
  );
}
