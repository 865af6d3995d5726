/**
 * `tombstone proxy`: a validating proxy in front of a real server. Every exchange is checked; violations come back
 * in a `Tombstone-Violations` header and a line each on stderr. Runs until SIGINT or SIGTERM, then exits 0.
 */

import { startProxy, VIOLATIONS_HEADER } from '../../contract/proxy.js';
import { UsageError } from '../../errors.js';
import { contracts } from '../../specs.js';
import { parse } from './args.js';

export const usage = `proxy        Forward to a real server and check every exchange against a variant's spec.
               --variant <name>  --target <url>: where the variant is served (as contract's --base-url)
               --port <n> (default: any free port)  --base-path <path>  --allow-header <pattern>  --strict-headers
               Violations: a ${VIOLATIONS_HEADER} response header (JSON) and one line each on stderr`;

export async function run(args: string[]): Promise<number> {
  const { values } = parse(args, {
    variant: { type: 'string' },
    target: { type: 'string' },
    port: { type: 'string' },
    'base-path': { type: 'string' },
    'allow-header': { type: 'string', multiple: true },
    'strict-headers': { type: 'boolean', default: false },
  });
  const variant = values.variant;
  if (!variant || !contracts[variant]) {
    throw new UsageError(
      `--variant must be one of ${Object.keys(contracts).join(', ')}${variant ? `, got '${variant}'` : ''}`,
    );
  }
  const target = values.target;
  if (!target || !URL.canParse(target) || !['http:', 'https:'].includes(new URL(target).protocol)) {
    throw new UsageError(
      `--target must be an http(s) URL such as http://localhost:4010/${variant}${target ? `, got '${target}'` : ''}`,
    );
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be a port number (0-65535), got '${values.port}'`);
  const proxy = await startProxy({
    variant,
    target,
    port,
    strictHeaders: values['strict-headers'],
    ...(values['base-path'] !== undefined ? { basePath: values['base-path'] } : {}),
    ...(values['allow-header'] ? { allowHeaders: values['allow-header'] } : {}),
  });
  console.log(
    `tombstone proxy: listening on ${proxy.origin}, forwarding to ${target}, checking against openapi/${variant}.yaml`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await proxy.close();
  return 0;
}
