/**
 * Time for the simulator. Timestamps are always real epoch milliseconds (so `x-ratelimit-reset` and
 * `retry-after` can be obeyed by a client using its own clock); only durations are shrunk by the time
 * scale, so with `timeScale: 360` a one-hour rate-limit window lasts ten real seconds.
 */
export interface Clock {
  readonly timeScale: number;
  /** Real time, epoch milliseconds. */
  now(): number;
  /** Real milliseconds that a duration of `simulatedSeconds` lasts under the time scale. */
  durationMs(simulatedSeconds: number): number;
}

export class ScaledClock implements Clock {
  constructor(
    readonly timeScale = 1,
    private readonly source: () => number = Date.now,
  ) {
    if (!Number.isFinite(timeScale) || timeScale <= 0) {
      throw new Error(`timeScale must be a positive number, got ${timeScale}`);
    }
  }

  now(): number {
    return this.source();
  }

  durationMs(simulatedSeconds: number): number {
    return (simulatedSeconds * 1000) / this.timeScale;
  }
}

/** A clock that only moves when told to: for unit tests of time-dependent rules. */
export class ManualClock implements Clock {
  constructor(
    private current = Date.UTC(2025, 0, 1),
    readonly timeScale = 1,
  ) {}

  now(): number {
    return this.current;
  }

  durationMs(simulatedSeconds: number): number {
    return (simulatedSeconds * 1000) / this.timeScale;
  }

  advance(ms: number): void {
    this.current += ms;
  }

  set(epochMs: number): void {
    this.current = epochMs;
  }
}

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
