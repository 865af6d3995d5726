/**
 * Routes a path to an operation from a table built once per variant at start-up, from the spec's operations
 * (src/openapi/model.ts). openapi-backend's own router re-derives every operation and compiles a RegExp per
 * template on every request; this matcher walks the path once and compares segments in place, allocating
 * nothing but the parameters.
 */
import type { OperationModel } from '../openapi/model.js';

interface Route {
  segments: (string | { param: string })[];
  /** Upper-case method → operation. */
  methods: Map<string, OperationModel>;
  /** The methods the path has, HEAD wherever GET (RFC 9110, 9.1), sorted: a 405's `Allow`. */
  allow: string[];
}

export type Match =
  | { kind: 'operation'; operation: OperationModel; params: Record<string, string> }
  | { kind: 'methodNotAllowed'; allow: string[] }
  | { kind: 'notFound' };

export class RouteTable {
  private readonly bySegmentCount = new Map<number, Route[]>();

  /**
   * @param operations the API's operations, from src/openapi/model.ts
   * @param basePath the path of the spec's server below the mount point, e.g. `/v1` for Dify.
   */
  constructor(operations: OperationModel[], basePath: string) {
    const routes = new Map<string, Route>();
    for (const operation of operations) {
      const template = `${basePath}${operation.path}`;
      let route = routes.get(template);
      if (!route) {
        const segments = template
          .split('/')
          .slice(1)
          .map((s) => {
            const param = /^\{(.+)\}$/.exec(s);
            return param ? { param: param[1]! } : s;
          });
        route = { segments, methods: new Map(), allow: [] };
        routes.set(template, route);
        const list = this.bySegmentCount.get(segments.length) ?? [];
        list.push(route);
        this.bySegmentCount.set(segments.length, list);
      }
      route.methods.set(operation.method.toUpperCase(), operation);
    }
    // Literal segments win over parameters (OpenAPI 3.0.3, Paths Object: concrete paths match first).
    for (const list of this.bySegmentCount.values()) {
      list.sort((a, b) => literalCount(b) - literalCount(a));
      for (const route of list) {
        const methods = new Set(route.methods.keys());
        if (methods.has('GET')) methods.add('HEAD');
        route.allow = [...methods].sort();
      }
    }
  }

  /** A HEAD request is served by the path's GET (RFC 9110, 9.1: HEAD wherever GET); the adapters send no body. */
  match(method: string, path: string): Match {
    for (const route of this.bySegmentCount.get(segmentCount(path)) ?? []) {
      const params = matchSegments(route, path);
      if (!params) continue;
      const operation = route.methods.get(method) ?? (method === 'HEAD' ? route.methods.get('GET') : undefined);
      if (operation) return { kind: 'operation', operation, params };
      return { kind: 'methodNotAllowed', allow: route.allow };
    }
    return { kind: 'notFound' };
  }

  /** The methods `path` has, or undefined when no route has it. */
  methodsAt(path: string): string[] | undefined {
    return this.bySegmentCount.get(segmentCount(path))?.find((route) => matchSegments(route, path))?.allow;
  }
}

function literalCount(route: Route): number {
  return route.segments.filter((s) => typeof s === 'string').length;
}

/** The number of `/`-separated segments after the leading one: what `path.split('/').length - 1` counts. */
function segmentCount(path: string): number {
  let count = 0;
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) count++;
  return count;
}

/** Matches the path's segments (after the first `/`) against the route's, in place. */
function matchSegments(route: Route, path: string): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  let start = path.indexOf('/') + 1;
  for (const segment of route.segments) {
    const slash = path.indexOf('/', start);
    const end = slash < 0 ? path.length : slash;
    if (typeof segment === 'string') {
      if (end - start !== segment.length || !path.startsWith(segment, start)) return undefined;
    } else {
      if (end === start) return undefined;
      // Decode after splitting, so an encoded slash stays inside its parameter and never reaches another route.
      const raw = path.slice(start, end);
      if (!raw.includes('%')) params[segment.param] = raw;
      else {
        try {
          params[segment.param] = decodeURIComponent(raw);
        } catch {
          return undefined;
        }
      }
    }
    start = end + 1;
  }
  return params;
}
