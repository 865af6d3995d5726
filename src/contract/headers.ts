/**
 * Which undocumented response headers the runner tolerates. OpenAPI lets a response carry headers its spec does
 * not list; a real server behind a proxy or CDN always does. By default the runner tolerates the standard HTTP
 * fields (RFC 9110, RFC 9111) and what common proxies, CDNs and gateways add, and lists every one it met in the
 * report; `--allow-header <pattern>` adds names (`x-amz-*`), `--strict-headers` tolerates none of these (the mock's
 * own suite runs so: tombstone sends nothing it does not document).
 */

/** Standard fields a server, cache or proxy may add to any response (RFC 9110, RFC 9111), and security headers. */
const STANDARD = [
  'accept-ranges',
  'age',
  'alt-svc',
  'cache-control',
  'content-encoding',
  'content-language',
  'content-location',
  'etag',
  'expires',
  'last-modified',
  'pragma',
  'server',
  'server-timing',
  'strict-transport-security',
  'via',
  'warning',
  'x-content-type-options',
  'x-frame-options',
  'x-xss-protection',
  'referrer-policy',
  'content-security-policy',
  'permissions-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'nel',
  'report-to',
  'reporting-endpoints',
  'x-request-id',
  'x-correlation-id',
  'traceparent',
  'tracestate',
];

/** What common CDNs, load balancers and gateways add (Cloudflare, CloudFront, Fastly, Akamai, Vercel, Envoy, Kong). */
const INFRASTRUCTURE = [
  'cf-*',
  'x-cache',
  'x-cache-hits',
  'x-served-by',
  'x-timer',
  'x-amz-cf-*',
  'x-amzn-*',
  'x-amz-apigw-id',
  'fastly-*',
  'x-fastly-*',
  'akamai-*',
  'x-akamai-*',
  'x-vercel-*',
  'x-envoy-*',
  'x-kong-*',
  'x-cloud-trace-context',
  'x-forwarded-*',
  'x-real-ip',
  'x-edge-*',
  'x-azure-ref',
  'x-msedge-ref',
  'x-iinfo',
  'x-cdn',
];

/** A case-insensitive matcher for header-name patterns where `*` stands for any run of characters. */
export function headerMatcher(patterns: string[]): (name: string) => boolean {
  if (patterns.length === 0) return () => false;
  const escaped = patterns.map((p) =>
    p
      .toLowerCase()
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*'),
  );
  const regex = new RegExp(`^(?:${escaped.join('|')})$`);
  return (name) => regex.test(name.toLowerCase());
}

export const isInfrastructureHeader = headerMatcher([...STANDARD, ...INFRASTRUCTURE]);
