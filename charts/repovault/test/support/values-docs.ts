import { type Node, isMap, isScalar, isSeq, parseDocument } from 'yaml';

export interface DocumentedValue {
  /** e.g. workers.pools[].autoscaling.maxReplicas */
  path: string;
  description: string;
  /** the default as YAML flow text */
  defaultValue: string;
}

/**
 * The values.yaml keys and their `# --` comments. A key is documented by its own comment; keys
 * under a documented key (e.g. the fields of a resources block) are covered by it. Returns the
 * documented keys and the leaves that no comment covers.
 */
export function documentedValues(source: string): { documented: DocumentedValue[]; undocumented: string[] } {
  const doc = parseDocument(source);
  const documented: DocumentedValue[] = [];
  const undocumented: string[] = [];
  const walk = (node: unknown, path: string, covered: boolean) => {
    if (isMap(node)) {
      node.items.forEach((pair, index) => {
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        const childPath = path ? `${path}.${key}` : key;
        const comment = (isScalar(pair.key) ? pair.key.commentBefore : undefined) ?? (index === 0 ? node.commentBefore : undefined) ?? '';
        const description = comment.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('--')).map((l) => l.replace(/^--\s*/, '')).join(' ');
        if (description) documented.push({ path: childPath, description, defaultValue: flow(pair.value as Node) });
        const value = pair.value;
        if (isMap(value) && value.items.length > 0) walk(value, childPath, covered || !!description);
        else if (isSeq(value) && value.items.some((i) => isMap(i))) walk(value, childPath, covered || !!description);
        else if (!description && !covered) undocumented.push(childPath);
      });
    } else if (isSeq(node)) {
      for (const item of node.items) walk(item, `${path}[]`, covered);
    }
  };
  walk(doc.contents, '', false);
  const seen = new Set<string>();
  return { documented: documented.filter((d) => (seen.has(d.path) ? false : (seen.add(d.path), true))), undocumented: [...new Set(undocumented)] };
}

function flow(node: Node | null): string {
  if (node === null) return '';
  if (isMap(node) || isSeq(node)) {
    const json = JSON.stringify(node.toJSON());
    return json.length > 60 ? (isMap(node) ? '{…}' : '[…]') : json;
  }
  return JSON.stringify(isScalar(node) ? node.value : null);
}
