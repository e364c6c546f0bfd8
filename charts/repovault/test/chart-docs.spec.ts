import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHART_DIR } from './support/helm';
import { documentedValues } from './support/values-docs';

/** The chart is code: every value is documented, in values.yaml and in the README's table. */
describe('documented values', () => {
  const values = readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8');
  const readme = readFileSync(join(CHART_DIR, 'README.md'), 'utf8');
  const { documented, undocumented } = documentedValues(values);
  const valuesSection = readme.slice(readme.indexOf('\n## Values\n'), readme.indexOf('\n## ', readme.indexOf('\n## Values\n') + 1));
  const tableKeys = [...valuesSection.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);

  it('has a `# --` comment for every key of values.yaml', () => {
    expect(undocumented).toEqual([]);
    expect(documented.length).toBeGreaterThan(60);
  });

  it('lists exactly the documented keys in README.md, in the order of values.yaml', () => {
    expect(tableKeys).toEqual(documented.map((d) => d.path));
  });

  it('finds an undocumented key', () => {
    expect(documentedValues('a:\n  # -- b\n  b: 1\n  c: 2\n').undocumented).toEqual(['a.c']);
  });
});
