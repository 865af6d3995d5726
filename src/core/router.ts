/**
 * Routes a path to an operation from a table built once per variant at start-up, from the operations
 * openapi-backend parsed. openapi-backend's own router re-derives every operation and compiles a RegExp per
 * template on every request; this matcher only splits the path and compares segments.
 */
import type { OpenAPIBackend } from 'openapi-backend';
import type { Operation } from 'openapi-backend';

interface Route {
  segments: (string | { param: string })[];
  /** Upper-case method → operation. */
  methods: Map<string, Operation>;
}

export type Match =
  | { kind: 'operation'; operation: Operation; params: Record<string, string> }
  | { kind: 'methodNotAllowed'; allow: string[] }
  | { kind: 'notFound' };

export class RouteTable {
  private readonly bySegmentCount = new Map<number, Route[]>();

  /** @param basePath the path of the spec's server below the mount point, e.g. `/v1` for Dify. */
  constructor(api: OpenAPIBackend, basePath: string) {
    const routes = new Map<string, Route>();
    for (const operation of api.router.getOperations()) {
      const template = `${basePath}${operation.path}`;
      let route = routes.get(template);
      if (!route) {
        const segments = template.split('/').slice(1).map((s) => {
          const param = /^\{(.+)\}$/.exec(s);
          return param ? { param: param[1]! } : s;
        });
        route = { segments, methods: new Map() };
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
    }
  }

  match(method: string, path: string): Match {
    const parts = path.split('/').slice(1);
    for (const route of this.bySegmentCount.get(parts.length) ?? []) {
      const params = matchSegments(route, parts);
      if (!params) continue;
      const operation = route.methods.get(method);
      if (operation) return { kind: 'operation', operation, params };
      return { kind: 'methodNotAllowed', allow: [...route.methods.keys()] };
    }
    return { kind: 'notFound' };
  }
}

function literalCount(route: Route): number {
  return route.segments.filter((s) => typeof s === 'string').length;
}

function matchSegments(route: Route, parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const segment = route.segments[i]!;
    const part = parts[i]!;
    if (typeof segment === 'string') {
      if (segment !== part) return undefined;
      continue;
    }
    if (part === '') return undefined;
    // Decode after splitting, so an encoded slash stays inside its parameter and never reaches another route.
    try {
      params[segment.param] = decodeURIComponent(part);
    } catch {
      return undefined;
    }
  }
  return params;
}
