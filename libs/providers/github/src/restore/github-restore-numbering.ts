/**
 * Issue and pull request numbers of a GitHub restore. Issues and pull requests share one sequence
 * on GitHub and a repository hands out numbers in creation order, so creating the restorable items
 * in source-number order after the target's highest number predicts every new number before the
 * first write: texts can be remapped when they are created, and only an item whose prediction
 * failed (a pull request GitHub unexpectedly refused, say) costs a second write to fix references.
 */

/** One issue or pull request the restore means to create, in source order. */
export interface NumberedItem {
  sourceNumber: number;
  /** false: it stays out of the target (not restorable, or still present in an overwrite) */
  create: boolean;
  /** overwrite: the target still holds it under this number */
  presentAs?: number | null;
}

/** Source number → planned target number, for every item that will exist in the target. */
export function planNumbers(items: readonly NumberedItem[], base: number): Map<number, number> {
  const planned = new Map<number, number>();
  let next = base;
  for (const item of [...items].sort((a, b) => a.sourceNumber - b.sourceNumber)) {
    if (item.presentAs !== undefined && item.presentAs !== null) planned.set(item.sourceNumber, item.presentAs);
    else if (item.create) planned.set(item.sourceNumber, ++next);
  }
  return planned;
}
