import { planNumbers } from '../src';

describe('planNumbers', () => {
  it('numbers the items to create in source order after the base, skipping what stays out', () => {
    const planned = planNumbers([
      { sourceNumber: 3, create: true },
      { sourceNumber: 1, create: true },
      { sourceNumber: 2, create: false }, // a pull request that cannot be restored
      { sourceNumber: 5, create: true },
    ], 0);
    expect([...planned]).toEqual([[1, 1], [3, 2], [5, 3]]);
  });

  it('continues after the target\'s highest number and keeps items an overwrite finds present', () => {
    const planned = planNumbers([
      { sourceNumber: 1, create: false, presentAs: 1 },
      { sourceNumber: 2, create: true },
      { sourceNumber: 4, create: true, presentAs: 4 },
      { sourceNumber: 6, create: true },
    ], 9);
    expect([...planned]).toEqual([[1, 1], [2, 10], [4, 4], [6, 11]]);
  });
});
