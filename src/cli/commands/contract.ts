/**
 * `tombstone contract`: checks a live server against a variant's spec, for CI ("does staging honour the
 * contract?"). Exit 0 when every check passes (or is skipped, unless --fail-on-skip), 1 on any failure, 2 on a
 * usage error, 3 when the server cannot be reached or prepared (a TargetError).
 */
import { writeFile } from 'node:fs/promises';
import type { CredentialName, Credentials, InputName, Scope, ScopeName } from '../../contract/plans.js';
import { INPUTS, otherInput } from '../../contract/plans.js';
import { hasInputs, type Tenant } from '../../contract/prepare.js';
import { REPORTERS, type ReporterName, reporters } from '../../contract/reporters.js';
import { CHECKS, type ContractOptions, checkNames, runContract } from '../../contract/runner.js';
import { UsageError } from '../../errors.js';
import { contracts } from '../../specs.js';
import { parse } from './args.js';

const PLACEHOLDERS: Record<InputName, string> = {
  apiKey: 'key',
  authToken: 'token',
  secret: 'secret',
  dataset: 'uuid',
  organization: 'id',
  webhook: 'id',
  documents: 'id',
};
const described = (name: InputName) => `${INPUTS[name].flag} <${PLACEHOLDERS[name]}> (${INPUTS[name].env}`;

export const usage = `contract     Check a live server against a variant's spec: every operation, every check.
               --variant <name>  --base-url <url>: where the variant is served, e.g. http://localhost:4010/leadlex
               --base-path <path>: between the base URL and the spec's paths (default: the spec's server path,
                 e.g. /functions/v1/api-gateway for leadlex, /v1 for dify; '' for prism mock)
               Against tombstone's mock nothing more is needed: two tenants with documents are added through /_mock.
               Against any other server (each flag or its environment variable; what is missing skips checks):
                 ${described('apiKey')}; leadlex, dify, tavus, velt)  ${described('authToken')}; velt)
                 ${described('webhook')}) + ${described('secret')}; oneflow)
                 ${described('dataset')}; dify)  ${described('organization')}; velt)
                 ${described('documents')}, comma-separated): a document the runner may DELETE;
                   repeatable; use_after_free, idempotency, per_item_results, unknown_parent_resource and
                   negative_data_rejection take one each
                 a second tenant for object_level_authorization: the same flags with --other- (--other-api-key,
                   --other-document, ...; ${otherInput('apiKey').env}, ...)
               --control-url <url> (TOMBSTONE_CONTROL_URL): tombstone's control API, when a proxy stands in front
               --stateless: a schema-driven mock (prism mock): skip the checks that need server state
               --checks <a,b> / --exclude-checks <a,b>: run only / leave out these checks
               --fail-on-skip: a check that could not be prepared fails the run
               --allow-header <pattern>: accept this undocumented response header (repeatable; x-amz-*)
               --strict-headers: do not tolerate standard and infrastructure headers the spec does not document
               --reporter text|junit|json[:<file>]: repeatable; without a file to stdout (one at most; default text)
               --output <file>: the file of the one junit or json reporter given without one
               Exit codes: 0 passed, 1 a check failed, 2 usage error, 3 the server could not be reached or prepared`;

const VALUES = ['apiKey', 'authToken', 'secret', 'dataset', 'organization', 'webhook'] as const;

const flagName = (name: InputName, other: boolean) => (other ? otherInput(name) : INPUTS[name]).flag.slice(2);

const INPUT_OPTIONS = Object.fromEntries(
  [false, true].flatMap((other) => [
    ...VALUES.map((name) => [flagName(name, other), { type: 'string' as const }]),
    [flagName('documents', other), { type: 'string' as const, multiple: true as const }],
  ]),
) as Record<string, { type: 'string'; multiple?: true }>;

export async function run(args: string[]): Promise<number> {
  const { values } = parse(args, {
    variant: { type: 'string' },
    'base-url': { type: 'string' },
    'base-path': { type: 'string' },
    ...INPUT_OPTIONS,
    'control-url': { type: 'string' },
    stateless: { type: 'boolean', default: false },
    'allow-header': { type: 'string', multiple: true },
    'strict-headers': { type: 'boolean', default: false },
    reporter: { type: 'string', multiple: true },
    output: { type: 'string' },
    checks: { type: 'string', multiple: true },
    'exclude-checks': { type: 'string', multiple: true },
    'fail-on-skip': { type: 'boolean', default: false },
  });
  const all = values as Record<string, unknown>;
  const text = (name: string) => all[name] as string | undefined;
  const variant = text('variant');
  const contract = variant ? contracts[variant] : undefined;
  if (!variant || !contract) {
    throw new UsageError(
      `--variant must be one of ${Object.keys(contracts).join(', ')}${variant ? `, got '${variant}'` : ''}`,
    );
  }
  const baseUrl = text('base-url');
  if (!baseUrl || !isHttpUrl(baseUrl)) {
    throw new UsageError(
      `--base-url must be an http(s) URL such as http://localhost:4010/${variant}` +
        (baseUrl ? `, got '${baseUrl}'` : ''),
    );
  }
  const outputs = reporterOutputs((values.reporter as string[] | undefined) ?? ['text'], text('output'));

  const options: ContractOptions = {
    variant,
    baseUrl,
    stateless: values.stateless as boolean,
    strictHeaders: values['strict-headers'] as boolean,
    failOnSkip: values['fail-on-skip'] as boolean,
  };
  if (text('base-path') !== undefined) options.basePath = text('base-path')!;
  const controlUrl = text('control-url') ?? process.env['TOMBSTONE_CONTROL_URL'];
  if (controlUrl !== undefined) options.controlUrl = controlUrl;
  if (values['allow-header']) options.allowHeaders = values['allow-header'] as string[];
  if (values.checks) options.checks = checkNames(list(values.checks as string[]), '--checks');
  if (values['exclude-checks'])
    options.excludeChecks = checkNames(list(values['exclude-checks'] as string[]), '--exclude-checks');
  if (options.checks?.every((c) => options.excludeChecks?.includes(c))) {
    throw new UsageError(`--checks and --exclude-checks leave no check to run; the checks are ${CHECKS.join(', ')}`);
  }
  const used = new Set<string>([...Object.values(contract.credentials), ...Object.keys(contract.scope)]);
  Object.assign(options, tenantInputs(all, variant, used, false));
  const other = tenantInputs(all, variant, used, true);
  if (Object.keys(other).length > 0) options.other = other;
  if (options.controlUrl && hasInputs(options)) {
    throw new UsageError("--control-url prepares its own tenants on tombstone's mock: give it no credentials or IDs");
  }

  const report = await runContract(options);
  const toStdout = outputs.find((o) => o.file === undefined)?.reporter ?? 'text';
  if (toStdout !== 'text') for (const warning of report.warnings) console.error(`[tombstone] warning: ${warning}`);
  console.log(reporters[toStdout](report).trimEnd());
  for (const { reporter, file } of outputs) if (file !== undefined) await writeFile(file, reporters[reporter](report));
  return report.ok ? 0 : 1;
}

/** `--reporter <name>[:<file>]` (Schemathesis's and vitest's style); `--output <file>` for one given without a file. */
function reporterOutputs(specs: string[], output: string | undefined): { reporter: ReporterName; file?: string }[] {
  const outputs = specs.map((spec) => {
    const [name, ...rest] = spec.split(':');
    if (!(REPORTERS as readonly string[]).includes(name!)) {
      throw new UsageError(`--reporter must be one of ${REPORTERS.join(', ')}, optionally with :<file>, got '${spec}'`);
    }
    return { reporter: name as ReporterName, ...(rest.length > 0 ? { file: rest.join(':') } : {}) };
  });
  const unfiled = outputs.filter((o) => o.file === undefined);
  if (output !== undefined) {
    const machine = unfiled.filter((o) => o.reporter !== 'text');
    if (machine.length !== 1)
      throw new UsageError('--output <file> needs exactly one --reporter junit or json given without a file');
    machine[0]!.file = output;
  } else if (unfiled.length > 1) {
    throw new UsageError(
      `only one reporter can write to stdout; give the others a file, e.g. --reporter ${unfiled[1]!.reporter}:report`,
    );
  }
  return outputs;
}

/** A tenant's inputs from its flags or environment variables (`--other-` and `TOMBSTONE_OTHER_` for the second). */
function tenantInputs(
  values: Record<string, unknown>,
  variant: string,
  used: Set<string>,
  other: boolean,
): Partial<Tenant> {
  const input = (name: InputName) => (other ? otherInput(name) : INPUTS[name]);
  const tenant: Partial<Tenant> = {};
  const scope: Scope = {};
  const credentials: Credentials = {};
  for (const name of VALUES) {
    const flag = values[flagName(name, other)] as string | undefined;
    if (flag !== undefined && !used.has(name)) throw new UsageError(`${input(name).flag} does not apply to ${variant}`);
    const value = flag ?? (used.has(name) ? process.env[input(name).env] : undefined);
    if (value === undefined || value === '') continue;
    if (name in contracts[variant]!.scope) scope[name as ScopeName] = value;
    else credentials[name as CredentialName] = value;
  }
  if (Object.keys(scope).length > 0) tenant.scope = scope;
  if (Object.keys(credentials).length > 0) tenant.credentials = credentials;
  const documents =
    (values[flagName('documents', other)] as string[] | undefined) ??
    process.env[input('documents').env]?.split(',').filter(Boolean);
  if (documents?.length) tenant.documents = documents;
  const missing = Object.keys(contracts[variant]!.scope).filter(
    (name) => !(name in (tenant.scope ?? {})),
  ) as ScopeName[];
  if (tenant.documents && missing.length > 0) {
    throw new UsageError(
      `${input('documents').flag} needs ${missing.map((m) => input(m).flag).join(' and ')} too: ` +
        'where the documents live',
    );
  }
  return tenant;
}

/** Comma-separated values of a repeatable flag. */
function list(values: string[]): string[] {
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

function isHttpUrl(text: string): boolean {
  return URL.canParse(text) && ['http:', 'https:'].includes(new URL(text).protocol);
}
