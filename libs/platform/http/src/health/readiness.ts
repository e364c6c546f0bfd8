/** A dependency the service needs to do its work. */
export interface ReadinessCheck {
  /** shown in /health/ready, e.g. "postgresql", "redis" */
  readonly name: string;
  /** resolves when reachable; rejects (or times out) when not */
  check(): Promise<void>;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { status: 'up' | 'down'; error?: string }>;
}

const CHECK_TIMEOUT_MS = 2_000;

export class ReadinessRegistry {
  private readonly checks: ReadinessCheck[] = [];

  add(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  names(): string[] {
    return this.checks.map((c) => c.name);
  }

  async evaluate(): Promise<ReadinessReport> {
    const results = await Promise.all(
      this.checks.map(async (c) => {
        try {
          await withTimeout(c.check(), CHECK_TIMEOUT_MS, `${c.name} did not answer within ${CHECK_TIMEOUT_MS} ms`);
          return [c.name, { status: 'up' as const }] as const;
        } catch (error) {
          return [c.name, { status: 'down' as const, error: error instanceof Error ? error.message : String(error) }] as const;
        }
      }),
    );
    const checks = Object.fromEntries(results);
    return { ready: results.every(([, r]) => r.status === 'up'), checks };
  }

  /** Waits until every dependency answers (used by workers before they resume). */
  async waitUntilReady(options: { signal?: AbortSignal; intervalMs?: number; onWait?: (report: ReadinessReport) => void } = {}): Promise<void> {
    for (;;) {
      const report = await this.evaluate();
      if (report.ready) return;
      options.onWait?.(report);
      if (options.signal?.aborted) throw new Error('aborted while waiting for dependencies');
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 1_000));
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
