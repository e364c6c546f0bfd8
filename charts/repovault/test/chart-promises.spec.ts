import type { IContainer } from 'kubernetes-models/v1';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHART_DIR, type K8sObject, NAMESPACE, RELEASE, named, ofKind, render, valuesFile } from './support/helm';
import { type Workload, deployments, environmentOf, selects, workloads } from './support/workloads';

const PREFIX = `${RELEASE}-repovault`;
const SERVICES = ['api-gateway', 'org-service', 'credential-service', 'plan-service'];
const PORTS: Record<string, number> = { 'api-gateway': 3000, 'org-service': 3101, 'credential-service': 3102, 'plan-service': 3103 };
const SECRET_NAMES = ['DATABASE_URL', 'REDIS_URL', 'REPOVAULT_VAULT_KEYS', 'REPOVAULT_ADMIN_TOKEN', 'REPOVAULT_IDENTITY_HASH_KEY', 'REPOVAULT_PEER_TOKENS', 'REPOVAULT_SERVICE_TOKEN'];

interface PoolValues { name: string; concurrency: number; autoscaling: { enabled: boolean; minReplicas: number; maxReplicas: number } }
const keda = valuesFile('production-keda-values.yaml');
const hpa = valuesFile('production-hpa-values.yaml');
const poolsOf = (file: string): PoolValues[] => (parse(readFileSync(file, 'utf8')) as { workers: { pools: PoolValues[] } }).workers.pools;
const defaults = parse(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')) as { workers: { terminationGracePeriodSeconds: number; jobLockSeconds: number } };

const appContainers = (w: Workload): IContainer[] => w.pod.containers;

describe('what the chart promises', () => {
  const variants: [string, K8sObject[]][] = [];
  beforeAll(() => {
    variants.push(['default', render()], ['keda', render([keda])], ['hpa', render([hpa])]);
  });
  const each = (check: (objects: K8sObject[], label: string) => void) => {
    for (const [label, objects] of variants) check(objects, label);
  };

  it('runs one Deployment per service and one worker Deployment per pool, each with a Service and a PodDisruptionBudget that select its pods', () => {
    each((objects, label) => {
      const pools = label === 'default' ? ['default'] : poolsOf(label === 'keda' ? keda : hpa).map((p) => p.name);
      const expected = [...SERVICES, ...pools.map((p) => `worker-${p}`)].map((c) => `${PREFIX}-${c}`).sort();
      const deployed = deployments(objects);
      expect({ label, names: deployed.map((d) => d.name).sort() }).toEqual({ label, names: expected });
      for (const deployment of deployed) {
        const service = ofKind<{ spec: { selector: Record<string, string> } }>(objects, 'Service').find((s) => s.metadata.name === deployment.name);
        const budget = ofKind<{ spec: { selector: { matchLabels: Record<string, string> }; maxUnavailable: number } }>(objects, 'PodDisruptionBudget').find((p) => p.metadata.name === deployment.name);
        expect({ deployment: deployment.name, service: selects(service?.spec.selector, deployment.podLabels), budget: selects(budget?.spec.selector.matchLabels, deployment.podLabels) })
          .toEqual({ deployment: deployment.name, service: true, budget: true });
        expect(budget?.spec.maxUnavailable).toBeGreaterThanOrEqual(1); // never blocks a node drain
      }
    });
  });

  it('serves each pool with its own queue: the worker is told its pool and concurrency, and uses the token bound to that pool', () => {
    each((objects, label) => {
      const pools = label === 'default' ? [{ name: 'default', concurrency: 8 }] : poolsOf(label === 'keda' ? keda : hpa);
      for (const pool of pools) {
        const worker = deployments(objects).find((d) => d.name === `${PREFIX}-worker-${pool.name}`);
        const container = worker?.pod.containers[0];
        if (!worker || !container) throw new Error(`no worker for pool ${pool.name}`);
        const env = environmentOf(objects, container);
        expect({ pool: env['REPOVAULT_WORKER_POOL'], concurrency: env['REPOVAULT_WORKER_CONCURRENCY'] }).toEqual({ pool: pool.name, concurrency: String(pool.concurrency) });
        const tokenFile = env['REPOVAULT_SERVICE_TOKEN_FILE'] ?? '';
        const item = projectedItems(worker).find((i) => tokenFile.endsWith(`/${i.path}`));
        expect(item?.key).toBe(`service-token-backup-worker-${pool.name}`);
      }
      // plan-service reports every pool's scaling figures
      const plan = deployments(objects).find((d) => d.name === `${PREFIX}-plan-service`)?.pod.containers[0];
      if (!plan) throw new Error('no plan-service');
      expect(environmentOf(objects, plan)['REPOVAULT_WORKER_POOLS']).toBe(pools.map((p) => `${p.name}=${p.concurrency}`).join(','));
    });
  });

  it('restarts every service when a pool is added: they must learn its worker token from peer-tokens', () => {
    const pool = '{"name":"eu","concurrency":4,"replicas":1,"autoscaling":{"enabled":false,"minReplicas":1,"maxReplicas":1},"resources":{"requests":{"cpu":"1","memory":"1Gi"},"limits":{"memory":"2Gi"}}}';
    const before = deployments(render());
    const after = deployments(render([], [], ['--set-json', `workers.pools=[${JSON.stringify({ ...JSON.parse(pool), name: 'default' })},${pool}]`]));
    for (const service of SERVICES) {
      const annotations = (w: Workload[]) => JSON.stringify(w.find((d) => d.name === `${PREFIX}-${service}`)?.podAnnotations);
      expect({ service, changed: annotations(before) !== annotations(after) }).toEqual({ service, changed: true });
    }
  });

  it('probes every service and worker on /health/live and /health/ready at its http port', () => {
    each((objects) => {
      for (const deployment of deployments(objects)) {
        for (const container of appContainers(deployment)) {
          const port = container.ports?.find((p) => p.name === 'http')?.containerPort;
          const name = container.name;
          expect({ name, port: typeof port }).toEqual({ name, port: 'number' });
          expect({ name, live: container.livenessProbe?.httpGet, ready: container.readinessProbe?.httpGet, startup: container.startupProbe?.httpGet }).toEqual({
            name, live: { path: '/health/live', port: 'http' }, ready: { path: '/health/ready', port: 'http' }, startup: { path: '/health/live', port: 'http' },
          });
        }
      }
      for (const service of SERVICES) {
        const deployment = deployments(objects).find((d) => d.name === `${PREFIX}-${service}`);
        expect(deployment?.pod.containers[0]?.ports?.[0]?.containerPort).toBe(PORTS[service]);
      }
    });
  });

  it('gives every container resource requests and a memory limit', () => {
    each((objects) => {
      for (const workload of workloads(objects)) {
        for (const container of workload.containers) {
          const resources = container.resources as { requests?: Record<string, unknown>; limits?: Record<string, unknown> } | undefined;
          expect({ container: `${workload.name}/${container.name}`, cpu: !!resources?.requests?.['cpu'], memory: !!resources?.requests?.['memory'], limit: !!resources?.limits?.['memory'] })
            .toEqual({ container: `${workload.name}/${container.name}`, cpu: true, memory: true, limit: true });
        }
      }
    });
  });

  it('runs every pod as a non-root user with no privilege escalation, a read-only root file system and no capabilities', () => {
    each((objects) => {
      for (const workload of workloads(objects)) {
        expect({ workload: workload.name, nonRoot: workload.pod.securityContext?.runAsNonRoot, uid: workload.pod.securityContext?.runAsUser, token: workload.pod.automountServiceAccountToken })
          .toEqual({ workload: workload.name, nonRoot: true, uid: 1000, token: false });
        for (const container of workload.containers) {
          const context = container.securityContext;
          expect({ container: container.name, escalation: context?.allowPrivilegeEscalation, readOnly: context?.readOnlyRootFilesystem, drop: context?.capabilities?.drop })
            .toEqual({ container: container.name, escalation: false, readOnly: true, drop: ['ALL'] });
        }
      }
    });
  });

  it('hands secrets over only as files from existing Secrets (<NAME>_FILE), never as values or in ConfigMaps', () => {
    each((objects, label) => {
      for (const workload of workloads(objects)) {
        const items = projectedItems(workload);
        for (const container of workload.containers) {
          const env = environmentOf(objects, container);
          for (const name of SECRET_NAMES) expect({ container: container.name, [name]: env[name] }).toEqual({ container: container.name, [name]: undefined });
          for (const [name, path] of Object.entries(env).filter(([n]) => n.endsWith('_FILE'))) {
            expect({ name, path }).toEqual({ name, path: expect.stringMatching(/^\/run\/secrets\/repovault\/[a-z-]+$/) });
            expect(items.some((i) => path.endsWith(`/${i.path}`))).toBe(true);
            const mount = container.volumeMounts?.find((m) => m.name === 'secrets');
            expect(mount).toMatchObject({ mountPath: '/run/secrets/repovault', readOnly: true });
          }
        }
        // the Secrets are the operator's: the chart renders none
        expect(ofKind(objects, 'Secret')).toEqual([]);
        for (const item of items) expect(item.secret).toMatch(label === 'hpa' ? /^repovault-prod$/ : /^repovault(-postgres|-redis)?$/);
      }
      for (const configMap of ofKind<{ data: Record<string, string> }>(objects, 'ConfigMap')) {
        for (const name of SECRET_NAMES) expect(configMap.data[name]).toBeUndefined();
      }
    });
    const keda = variants.find(([l]) => l === 'keda')?.[1] ?? [];
    const gateway = workloads(keda).find((w) => w.name === `${PREFIX}-api-gateway`);
    expect(gateway && projectedItems(gateway)).toEqual(expect.arrayContaining([
      { secret: 'repovault-postgres', key: 'uri', path: 'database-url' },
      { secret: 'repovault', key: 'admin-token', path: 'repovault-admin-token' },
      { secret: 'repovault', key: 'service-token-api-gateway', path: 'repovault-service-token' },
    ]));
  });

  it('migrates in a Helm hook Job before install and upgrade, checking Redis first; the services never migrate', () => {
    each((objects) => {
      const [job, ...others] = ofKind<{ spec: { template: { spec: { restartPolicy: string } } } }>(objects, 'Job');
      expect(others).toEqual([]);
      expect(job?.metadata.annotations).toMatchObject({ 'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded' });
      const steps = workloads(objects).find((w) => w.kind === 'Job')?.containers.map((c) => (c.command ?? []).join(' '));
      expect(steps).toEqual([
        'node dist/apps/plan-service/src/check-redis.js',
        ...['api-gateway', 'org-service', 'credential-service', 'plan-service', 'backup-worker'].map((app) => `node dist/apps/${app}/src/migrate.js`),
      ]);
      for (const container of workloads(objects).find((w) => w.kind === 'Job')?.containers ?? []) {
        const app = /dist\/apps\/([a-z-]+)\//.exec((container.command ?? []).join(' '))?.[1];
        expect(container.image).toMatch(new RegExp(`/${app}:[\\w.-]+$`));
      }
      // the services run the image's default command (main.js): none of them migrates
      for (const deployment of deployments(objects)) for (const container of deployment.containers) expect(container.command).toBeUndefined();
    });
  });

  it('gives workers a termination grace period beyond the longest job step, and the rest a short one', () => {
    each((objects, label) => {
      for (const deployment of deployments(objects)) {
        const grace = deployment.pod.terminationGracePeriodSeconds;
        if (deployment.name.includes('-worker-')) {
          expect(grace).toBe(label === 'keda' ? 7200 : defaults.workers.terminationGracePeriodSeconds);
          expect(grace).toBeGreaterThan(defaults.workers.jobLockSeconds * 10);
        } else {
          expect(grace).toBe(60);
        }
      }
    });
  });

  describe('worker autoscaling', () => {
    it('with KEDA: a ScaledObject per autoscaled pool on plan-service\'s runnable-backlog metric, no HPA, and no fixed replicas to fight', () => {
      const objects = variants.find(([l]) => l === 'keda')?.[1] ?? [];
      expect(ofKind(objects, 'HorizontalPodAutoscaler')).toEqual([]);
      const scaled = ofKind<{ spec: ScaledObjectSpec }>(objects, 'ScaledObject');
      const pools = poolsOf(keda);
      expect(scaled.map((s) => s.metadata.name).sort()).toEqual(pools.filter((p) => p.autoscaling.enabled).map((p) => `${PREFIX}-worker-${p.name}`).sort());
      for (const pool of pools) {
        const deployment = deployments(objects).find((d) => d.name === `${PREFIX}-worker-${pool.name}`);
        const object = scaled.find((s) => s.metadata.name === `${PREFIX}-worker-${pool.name}`);
        if (!pool.autoscaling.enabled) {
          expect(object).toBeUndefined();
          expect(deployment?.replicas).toBeGreaterThanOrEqual(1);
          continue;
        }
        expect(deployment?.replicas).toBeUndefined();
        expect(object?.spec).toMatchObject({
          scaleTargetRef: { kind: 'Deployment', name: deployment?.name },
          minReplicaCount: pool.autoscaling.minReplicas,
          maxReplicaCount: pool.autoscaling.maxReplicas,
          triggers: [{
            type: 'metrics-api', metricType: 'AverageValue',
            metadata: { format: 'json', valueLocation: 'desiredWorkers', targetValue: '1', url: `http://${PREFIX}-plan-service.${NAMESPACE}.svc:3103/scaling/pools/${pool.name}?concurrency=${pool.concurrency}` },
          }],
        });
        named(objects, 'Service', `${PREFIX}-plan-service`);
      }
    });

    it('with the HPA: an autoscaling/v2 HPA per autoscaled pool on the pool\'s desired-workers external metric, no ScaledObject', () => {
      const objects = variants.find(([l]) => l === 'hpa')?.[1] ?? [];
      expect(ofKind(objects, 'ScaledObject')).toEqual([]);
      const autoscalers = ofKind<{ spec: HpaSpec }>(objects, 'HorizontalPodAutoscaler');
      const pools = poolsOf(hpa);
      expect(autoscalers).toHaveLength(pools.length);
      for (const pool of pools) {
        const object = autoscalers.find((a) => a.metadata.name === `${PREFIX}-worker-${pool.name}`);
        expect(object?.spec).toEqual({
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: `${PREFIX}-worker-${pool.name}` },
          minReplicas: pool.autoscaling.minReplicas,
          maxReplicas: pool.autoscaling.maxReplicas,
          metrics: [{ type: 'External', external: { metric: { name: 'repovault_pool_desired_workers', selector: { matchLabels: { pool: pool.name } } }, target: { type: 'AverageValue', averageValue: '1' } } }],
          behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
        });
      }
    });

    it('with neither (the default): fixed replicas and no autoscaler', () => {
      const objects = variants.find(([l]) => l === 'default')?.[1] ?? [];
      expect([...ofKind(objects, 'ScaledObject'), ...ofKind(objects, 'HorizontalPodAutoscaler')]).toEqual([]);
      expect(deployments(objects).find((d) => d.name === `${PREFIX}-worker-default`)?.replicas).toBe(2);
    });
  });

  it('keeps internal routes inside: a default-deny policy, internal services reachable only from the release\'s pods (and metricsFrom), workers only for metrics', () => {
    each((objects, label) => {
      const policies = ofKind<{ spec: NetworkPolicySpec }>(objects, 'NetworkPolicy');
      const release = { 'app.kubernetes.io/name': 'repovault', 'app.kubernetes.io/instance': RELEASE };
      const deny = policies.find((p) => p.metadata.name === `${PREFIX}-default-deny`);
      expect(deny?.spec).toEqual({ podSelector: { matchLabels: release }, policyTypes: ['Ingress'] });
      for (const workload of workloads(objects)) expect(selects(deny?.spec.podSelector.matchLabels, workload.podLabels)).toBe(true);

      for (const service of ['org-service', 'credential-service', 'plan-service']) {
        const pod = deployments(objects).find((d) => d.name === `${PREFIX}-${service}`);
        const admitting = policies.filter((p) => p.spec.podSelector.matchLabels && selects(p.spec.podSelector.matchLabels, pod?.podLabels ?? {}) && p.spec.ingress);
        const peers = admitting.flatMap((p) => p.spec.ingress ?? []).flatMap((rule) => rule.from ?? [{ anyone: true }]);
        expect(peers).toEqual([
          { podSelector: { matchLabels: release } },
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'keda' } } },
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
        ]);
      }
      const gateway = policies.find((p) => p.metadata.name === `${PREFIX}-api-gateway`);
      expect(gateway?.spec.ingress?.[0]?.from).toEqual(label === 'keda' ? [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }] : undefined);
      const workers = policies.find((p) => p.metadata.name === `${PREFIX}-workers`);
      expect(workers?.spec.ingress?.[0]?.from).toHaveLength(2);
      for (const worker of deployments(objects).filter((d) => d.name.includes('-worker-'))) {
        expect(worker.podLabels['repovault.io/pool']).toBeDefined();
        expect(worker.podLabels['app.kubernetes.io/instance']).toBe(RELEASE);
      }
    });
  });

  it('puts the snapshot store on one ReadWriteMany volume shared by plan-service and every worker, at STORAGE_DIR', () => {
    each((objects, label) => {
      const claims = ofKind<{ spec: { accessModes: string[] } }>(objects, 'PersistentVolumeClaim');
      const claimName = label === 'hpa' ? 'repovault-snapshots' : `${PREFIX}-snapshots`;
      if (label === 'hpa') expect(claims).toEqual([]);
      else expect(claims.map((c) => ({ name: c.metadata.name, modes: c.spec.accessModes, keep: c.metadata.annotations?.['helm.sh/resource-policy'] }))).toEqual([{ name: claimName, modes: ['ReadWriteMany'], keep: 'keep' }]);
      const users = deployments(objects).filter((d) => d.pod.volumes?.some((v) => v.persistentVolumeClaim?.claimName === claimName)).map((d) => d.name);
      expect(users.sort()).toEqual(deployments(objects).filter((d) => d.name.includes('-worker-') || d.name.endsWith('-plan-service')).map((d) => d.name).sort());
      for (const name of users) {
        const deployment = deployments(objects).find((d) => d.name === name);
        const container = deployment?.pod.containers[0];
        if (!container) throw new Error(name);
        expect(container.volumeMounts?.find((m) => m.name === 'snapshots')?.mountPath).toBe(environmentOf(objects, container)['STORAGE_DIR']);
      }
    });
  });
});

interface ScaledObjectSpec { scaleTargetRef: unknown; minReplicaCount: number; maxReplicaCount: number; triggers: unknown[] }
interface HpaSpec { scaleTargetRef: unknown; minReplicas: number; maxReplicas: number; metrics: unknown[]; behavior: unknown }
interface NetworkPolicySpec { podSelector: { matchLabels?: Record<string, string> }; policyTypes: string[]; ingress?: { from?: Record<string, unknown>[] }[] }

function projectedItems(workload: Workload): { secret: string; key: string; path: string }[] {
  const volume = workload.pod.volumes?.find((v) => v.name === 'secrets');
  return (volume?.projected?.sources ?? []).flatMap((source) => (source.secret?.items ?? []).map((item) => ({ secret: source.secret?.name ?? '', key: item.key, path: item.path })));
}
