/** Seeded content is dated from here (2024-01-01T00:00:00Z), never from the wall clock. */
export const SEED_EPOCH_SECONDS = 1_704_067_200;

/** GitHub's timestamp format: ISO 8601 without milliseconds. */
export function isoSeconds(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function isoFromMs(epochMs: number): string {
  return isoSeconds(Math.floor(epochMs / 1000));
}

export function epochSecondsOf(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}
