/** Id spaces, each with its own start so ids of different kinds never look alike in a test failure. */
export const ID_BASES = {
  account: 1001,
  repository: 100_001,
  issue: 200_000_001,
  pull: 250_000_001,
  label: 300_000_001,
  milestone: 400_000_001,
  issueComment: 500_000_001,
  review: 600_000_001,
  reviewComment: 700_000_001,
  release: 800_000_001,
  releaseAsset: 900_000_001,
} as const;

export type IdKind = keyof typeof ID_BASES;

/** Hands out ids in call order: deterministic as long as seeding runs in config order. */
export class IdAllocator {
  private readonly next = new Map<IdKind, number>();

  allocate(kind: IdKind): number {
    const id = this.next.get(kind) ?? ID_BASES[kind];
    this.next.set(kind, id + 1);
    return id;
  }
}
