import type { SyncSchedule } from '@repovault/contracts/internal-api';
import { ProblemException } from '@repovault/platform/http';

export const DEFAULT_SYNC: SyncSchedule = { intervalMinutes: 360 };

/** Exactly one of `intervalMinutes` or `hours`. */
export function syncScheduleFrom(body: { intervalMinutes?: number; hours?: number[] } | undefined): SyncSchedule {
  if (!body) return DEFAULT_SYNC;
  if (body.intervalMinutes !== undefined && body.hours !== undefined) {
    throw ProblemException.badRequest('sync takes either intervalMinutes or hours, not both.', [{ field: 'sync', message: 'give intervalMinutes or hours' }]);
  }
  if (body.intervalMinutes !== undefined) return { intervalMinutes: body.intervalMinutes };
  if (body.hours !== undefined) return { hours: [...body.hours].sort((a, b) => a - b) };
  throw ProblemException.badRequest('sync needs intervalMinutes or hours.', [{ field: 'sync', message: 'give intervalMinutes or hours' }]);
}

/** BullMQ repeat options: a UTC cron for hours of the day, `every` for an interval. */
export function syncRepeat(schedule: SyncSchedule): { every: number } | { pattern: string; tz: string } {
  if ('intervalMinutes' in schedule) return { every: schedule.intervalMinutes * 60_000 };
  return { pattern: `0 ${schedule.hours.join(',')} * * *`, tz: 'UTC' };
}
