import type { PlanSchedule } from '@repovault/contracts/internal-api';
import { type FieldError, ProblemException } from '@repovault/platform/http';
import { createHash } from 'node:crypto';

export const MIN_INTERVAL_MINUTES = 5;
export const MAX_INTERVAL_MINUTES = 7 * 24 * 60;

interface CronField {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;
const CRON_FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 7, names: DAYS },
];

/**
 * Checks a standard 5-field cron expression (minute hour day-of-month month day-of-week, UTC): lists,
 * ranges, steps and month/day names. Returns what is wrong, or null. Seconds and the non-standard
 * L/W/# extensions are refused so a plan's schedule means the same to every reader.
 */
export function cronProblem(expression: string): string | null {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return `a cron expression has 5 fields (minute hour day-of-month month day-of-week), this one has ${fields.length}`;
  for (const [index, field] of CRON_FIELDS.entries()) {
    const problem = cronFieldProblem(fields[index] ?? '', field);
    if (problem) return `${field.name}: ${problem}`;
  }
  return null;
}

function cronFieldProblem(text: string, field: CronField): string | null {
  for (const item of text.split(',')) {
    const [range, step, extra] = item.split('/');
    if (extra !== undefined) return `"${item}" has more than one step`;
    if (step !== undefined && !/^\d+$/.test(step)) return `step "${step}" must be a positive number`;
    if (step !== undefined && (Number(step) < 1 || Number(step) > field.max)) return `step ${step} is out of range`;
    if (range === undefined || range === '') return `empty item in "${text}"`;
    if (range === '*' || (range === '?' && (field.name === 'day of month' || field.name === 'day of week'))) continue;
    const bounds = range.split('-');
    if (bounds.length > 2) return `"${range}" is not a value or a range`;
    const values: number[] = [];
    for (const bound of bounds) {
      const value = cronValue(bound, field);
      if (value === null) return `"${bound}" is not a valid ${field.name} (${field.min}-${field.max}${field.names ? ` or ${field.names[0]}-${field.names[field.names.length - 1]}` : ''})`;
      values.push(value);
    }
    if (values.length === 2 && (values[0] ?? 0) > (values[1] ?? 0)) return `range "${range}" goes backwards`;
  }
  return null;
}

function cronValue(text: string, field: CronField): number | null {
  if (/^\d{1,2}$/.test(text)) {
    const value = Number(text);
    return value >= field.min && value <= field.max ? value : null;
  }
  const index = field.names?.indexOf(text.toUpperCase() as never) ?? -1;
  if (index < 0) return null;
  return field === CRON_FIELDS[3] ? index + 1 : index;
}

export interface ScheduleInput {
  hours?: number[];
  intervalMinutes?: number;
  cron?: string;
}

/** `{ hours }`, `{ intervalMinutes }`, `{ cron }` — exactly one — or null for manual runs only. */
export function planScheduleFrom(body: ScheduleInput | null): PlanSchedule {
  if (body === null) return null;
  const given = (['hours', 'intervalMinutes', 'cron'] as const).filter((key) => body[key] !== undefined);
  if (given.length !== 1) {
    const message = given.length === 0 ? 'give one of hours, intervalMinutes or cron (or null for manual runs only)' : `give only one of ${given.join(', ')}`;
    throw ProblemException.badRequest(`schedule: ${message}.`, [{ field: 'schedule', message }]);
  }
  if (body.hours !== undefined) return { hours: [...new Set(body.hours)].sort((a, b) => a - b) };
  if (body.intervalMinutes !== undefined) return { intervalMinutes: body.intervalMinutes };
  const cron = (body.cron ?? '').trim().replace(/\s+/g, ' ');
  const problem = cronProblem(cron);
  if (problem) {
    const errors: FieldError[] = [{ field: 'schedule.cron', message: problem }];
    throw ProblemException.badRequest(`schedule.cron is not a valid cron expression: ${problem}.`, errors);
  }
  return { cron };
}

export type ScheduleRepeat = { every: number } | { pattern: string; tz: string };

/** BullMQ job-scheduler options: a UTC cron for hours of the day and for cron, `every` for an interval. */
export function scheduleRepeat(schedule: NonNullable<PlanSchedule>): ScheduleRepeat {
  if ('hours' in schedule) return { pattern: `0 ${schedule.hours.join(',')} * * *`, tz: 'UTC' };
  if ('intervalMinutes' in schedule) return { every: schedule.intervalMinutes * 60_000 };
  return { pattern: schedule.cron, tz: 'UTC' };
}

/** The default plan's hour: stable per organization and spread over the day, so organizations do not all start at once. */
export function defaultPlanHour(organizationId: string): number {
  return createHash('sha256').update(organizationId).digest().readUInt32BE(0) % 24;
}

export function schedulerIdOf(planId: string): string {
  return `plan-${planId}`;
}
