import type { Clock } from './clock';

let lastWriteMs = 0;

/**
 * When an API write happens, with milliseconds as providers keep them, and strictly after the
 * previous write of this process: records created one after the other list in that order even when
 * listings sort by creation time.
 */
export function writeInstant(clock: Clock): string {
  lastWriteMs = Math.max(clock.now(), lastWriteMs + 1);
  return new Date(lastWriteMs).toISOString();
}
