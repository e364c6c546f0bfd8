import type { IContainer, IPodSpec } from 'kubernetes-models/v1';
import { type K8sObject, ofKind } from './helm';

export interface Workload {
  kind: 'Deployment' | 'Job';
  name: string;
  labels: Record<string, string>;
  podLabels: Record<string, string>;
  podAnnotations: Record<string, string>;
  replicas: number | undefined;
  pod: IPodSpec;
  /** init containers and containers */
  containers: IContainer[];
}

/** The pods the chart runs: every Deployment's and Job's pod template. */
export function workloads(objects: K8sObject[]): Workload[] {
  return [...ofKind(objects, 'Deployment'), ...ofKind(objects, 'Job')].map((o) => {
    const spec = o['spec'] as { replicas?: number; template: { metadata: { labels: Record<string, string>; annotations?: Record<string, string> }; spec: IPodSpec } };
    return {
      kind: o.kind as Workload['kind'],
      name: o.metadata.name,
      labels: o.metadata.labels ?? {},
      podLabels: spec.template.metadata.labels,
      podAnnotations: spec.template.metadata.annotations ?? {},
      replicas: spec.replicas,
      pod: spec.template.spec,
      containers: [...(spec.template.spec.initContainers ?? []), ...spec.template.spec.containers],
    };
  });
}

export function deployments(objects: K8sObject[]): Workload[] {
  return workloads(objects).filter((w) => w.kind === 'Deployment');
}

/** What a container's environment holds: its ConfigMaps (envFrom) and its own env entries. */
export function environmentOf(objects: K8sObject[], container: IContainer): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const name = source.configMapRef?.name;
    const configMap = ofKind<{ data: Record<string, string> }>(objects, 'ConfigMap').find((c) => c.metadata.name === name);
    if (!configMap) throw new Error(`container ${container.name} reads the ConfigMap ${name}, which the chart does not render`);
    Object.assign(env, configMap.data);
  }
  for (const entry of container.env ?? []) {
    if (entry.valueFrom) throw new Error(`container ${container.name}: ${entry.name} comes from valueFrom; secrets must be files`);
    env[entry.name] = entry.value ?? '';
  }
  return env;
}

export function selects(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  return !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
}
