/** One entry of a router's table: what a spec check compares against a provider's API description. */
export interface RouteInfo {
  method: string;
  /** Path template with `{name}` parameters, e.g. `/repos/{owner}/{repo}/issues`. */
  template: string;
}

export interface RouteMatch<H> {
  route: RouteInfo & { handler: H };
  params: Record<string, string>;
}

interface CompiledRoute<H> extends RouteInfo {
  handler: H;
  segments: Array<{ literal: string } | { param: string }>;
}

/**
 * A tiny method + template router. When several templates match, the one with a literal segment
 * earliest wins, so `/issues/comments` beats `/issues/{issue_number}` whatever the order of `add`.
 */
export class HttpRouter<H> {
  private readonly compiled: Array<CompiledRoute<H>> = [];

  add(method: string, template: string, handler: H): this {
    const segments = splitPath(template).map((segment) => {
      const param = /^\{([A-Za-z0-9_]+)\}$/.exec(segment);
      if (!param && /[{}]/.test(segment)) throw new Error(`Unsupported template segment "${segment}" in ${template}`);
      return param ? { param: param[1] } : { literal: segment };
    });
    const upper = method.toUpperCase();
    if (this.compiled.some((r) => r.method === upper && r.template === template)) {
      throw new Error(`Route ${upper} ${template} registered twice`);
    }
    this.compiled.push({ method: upper, template, handler, segments });
    return this;
  }

  match(method: string, path: string): RouteMatch<H> | undefined {
    const parts = splitPath(path);
    let best: { route: CompiledRoute<H>; params: Record<string, string>; score: string } | undefined;
    for (const route of this.compiled) {
      if (route.method !== method.toUpperCase() || route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let score = '';
      let ok = true;
      for (let i = 0; i < parts.length && ok; i++) {
        const segment = route.segments[i];
        if ('literal' in segment) {
          ok = segment.literal === parts[i];
          score += '1';
        } else {
          const value = safeDecode(parts[i]);
          ok = value !== undefined && value.length > 0;
          if (value !== undefined) params[segment.param] = value;
          score += '0';
        }
      }
      if (ok && (!best || score > best.score)) best = { route, params, score };
    }
    if (!best) return undefined;
    const { method: m, template, handler } = best.route;
    return { route: { method: m, template, handler }, params: best.params };
  }

  /** Whether any route has this path under another method (for a 404 vs 405 choice). */
  hasPath(path: string): boolean {
    return this.compiled.some((r) => this.match(r.method, path) !== undefined);
  }

  routes(): RouteInfo[] {
    return this.compiled.map(({ method, template }) => ({ method, template }));
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
