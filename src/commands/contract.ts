/**
 * `tombstone contract`: checks a live server against a variant's spec, for CI ("does staging honour the
 * contract?"). Exit 0 when every check passes or is skipped, 1 on any failure, 2 on a usage error.
 */
import { writeFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { INPUTS, plans, type CredentialName, type ScopeName } from '../contract/plans.js';
import { hasInputs } from '../contract/prepare.js';
import { junitReport, textReport } from '../contract/reporters.js';
import { runContract, type ContractOptions } from '../contract/runner.js';
import { parse } from '../cli/commands/args.js';

export const usage = `contract     Check a live server against a variant's spec (exit 1 on any failure).
               --variant <name>  --base-url <url>: where the variant is served, e.g. http://localhost:4010/leadlex
               --base-path <path>: between the base URL and the spec's paths (default: the spec's server path,
                 e.g. /functions/v1/api-gateway for leadlex, /v1 for dify; '' for prism mock)
               Against tombstone's mock nothing more is needed: a tenant and documents are added through /_mock.
               Against any other server (each flag or its environment variable; what is missing skips checks):
                 ${INPUTS.apiKey.flag} <key> (${INPUTS.apiKey.env}; leadlex, dify, tavus, velt)  ${INPUTS.authToken.flag} <token> (${INPUTS.authToken.env}; velt)
                 ${INPUTS.webhook.flag} <id> (${INPUTS.webhook.env}) + ${INPUTS.secret.flag} <secret> (${INPUTS.secret.env}; oneflow)
                 ${INPUTS.dataset.flag} <uuid> (${INPUTS.dataset.env}; dify)  ${INPUTS.organization.flag} <id> (${INPUTS.organization.env}; velt)
                 ${INPUTS.documents.flag} <id> (${INPUTS.documents.env}, comma-separated): a document the runner may DELETE;
                   repeatable: use_after_free, idempotency (leadlex) and negative_data_rejection take one each
               --control-url <url> (TOMBSTONE_CONTROL_URL): tombstone's control API, when a proxy stands in front
               --stateless: a schema-driven mock (prism mock): skip the checks that need server state
               --allow-header <name>: accept this undocumented response header (repeatable; e.g. a gateway's)
               --reporter text|junit (default text)  --output <file>: where junit XML goes (the summary still prints)`;

const VALUES = ['apiKey', 'authToken', 'secret', 'dataset', 'organization', 'webhook'] as const;

export async function run(args: string[]): Promise<number> {
  const { values } = parse(args, {
    variant: { type: 'string' },
    'base-url': { type: 'string' },
    'base-path': { type: 'string' },
    'api-key': { type: 'string' },
    'auth-token': { type: 'string' },
    secret: { type: 'string' },
    webhook: { type: 'string' },
    dataset: { type: 'string' },
    organization: { type: 'string' },
    document: { type: 'string', multiple: true },
    'control-url': { type: 'string' },
    stateless: { type: 'boolean', default: false },
    'allow-header': { type: 'string', multiple: true },
    reporter: { type: 'string', default: 'text' },
    output: { type: 'string' },
  });
  const variant = values.variant;
  const plan = variant ? plans[variant] : undefined;
  if (!variant || !plan) throw new UsageError(`--variant must be one of ${Object.keys(plans).join(', ')}${variant ? `, got '${variant}'` : ''}`);
  const baseUrl = values['base-url'];
  if (!baseUrl || !isHttpUrl(baseUrl)) throw new UsageError(`--base-url must be an http(s) URL such as http://localhost:4010/${variant}${baseUrl ? `, got '${baseUrl}'` : ''}`);
  if (values.reporter !== 'text' && values.reporter !== 'junit') throw new UsageError(`--reporter must be text or junit, got '${values.reporter}'`);
  if (values.reporter === 'junit' && !values.output) throw new UsageError('--reporter junit needs --output <file>');

  const options: ContractOptions = { variant, baseUrl, stateless: values.stateless, credentials: {}, scope: {} };
  if (values['base-path'] !== undefined) options.basePath = values['base-path'];
  const controlUrl = values['control-url'] ?? process.env['TOMBSTONE_CONTROL_URL'];
  if (controlUrl !== undefined) options.controlUrl = controlUrl;
  if (values['allow-header']) options.allowHeaders = values['allow-header'];
  const used = new Set<string>([...Object.values(plan.credentials), ...Object.keys(plan.scope)]);
  for (const name of VALUES) {
    const flag = values[INPUTS[name].flag.slice(2) as keyof typeof values] as string | undefined;
    if (flag !== undefined && !used.has(name)) throw new UsageError(`${INPUTS[name].flag} does not apply to ${variant}`);
    const value = flag ?? (used.has(name) ? process.env[INPUTS[name].env] : undefined);
    if (value === undefined || value === '') continue;
    if (name in plan.scope) options.scope![name as ScopeName] = value;
    else options.credentials![name as CredentialName] = value;
  }
  const documents = values.document ?? process.env[INPUTS.documents.env]?.split(',').filter(Boolean);
  if (documents?.length) options.documents = documents;
  const missing = Object.keys(plan.scope).filter((name) => !(name in options.scope!)) as ScopeName[];
  if (options.documents && missing.length > 0) {
    throw new UsageError(`${INPUTS.documents.flag} needs ${missing.map((m) => INPUTS[m].flag).join(' and ')} too: where the documents live`);
  }
  if (options.controlUrl && hasInputs(options)) {
    throw new UsageError('--control-url prepares its own tenant on tombstone\'s mock: give it no credentials or IDs');
  }

  const report = await runContract(options);
  console.log(textReport(report));
  if (values.reporter === 'junit') await writeFile(values.output!, junitReport(report));
  return report.ok ? 0 : 1;
}

function isHttpUrl(text: string): boolean {
  return URL.canParse(text) && ['http:', 'https:'].includes(new URL(text).protocol);
}
