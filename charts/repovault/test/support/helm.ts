import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { helmPath, workspaceRoot } from './helm-binary';

export const CHART_DIR = join(workspaceRoot(), 'charts', 'repovault');
export const RELEASE = 'rv';
export const NAMESPACE = 'backups';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export function valuesFile(name: string): string {
  return join(CHART_DIR, 'ci', name);
}

export function helm(args: string[]): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(helmPath(), args, { encoding: 'utf8', cwd: CHART_DIR, maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** `helm template` of the chart with these values files, --set flags and other flags; the objects it renders. */
export function render(valuesFiles: string[] = [], set: string[] = [], extra: string[] = []): K8sObject[] {
  const args = ['template', RELEASE, CHART_DIR, '--namespace', NAMESPACE, ...extra, ...valuesFiles.flatMap((f) => ['-f', f]), ...set.flatMap((s) => ['--set', s])];
  const out = execFileSync(helmPath(), args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return parseAllDocuments(out)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`helm rendered invalid YAML: ${doc.errors[0]?.message}`);
      return doc.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null);
}

/** The error helm gives for values it refuses (schema or template `fail`). */
export function renderError(valuesFiles: string[] = [], set: string[] = [], extra: string[] = []): string {
  const result = helm(['template', RELEASE, CHART_DIR, '--namespace', NAMESPACE, ...extra, ...valuesFiles.flatMap((f) => ['-f', f]), ...set.flatMap((s) => ['--set', s])]);
  if (result.status === 0) throw new Error('helm rendered values it should refuse');
  return result.stderr;
}

export function ofKind<T = K8sObject>(objects: K8sObject[], kind: string): (K8sObject & T)[] {
  return objects.filter((o) => o.kind === kind) as (K8sObject & T)[];
}

export function named(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found;
}
