/**
 * The rules of tombstone's lint plugin (src/designers/lint/), each run alone on a fixture that breaks it and one that keeps it,
 * through @redocly/openapi-core's `lint` with the plugin loaded as redocly.yaml loads it.
 */
import path from 'node:path';
import { createConfig, lint, loadConfig } from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';

const FIXTURES = 'test/fixtures/lint';
const HANDLERS = `${FIXTURES}/operation-has-handler`;
const VARIANT_HANDLERS = {
  registry: '../src/variants/{spec}/index.ts',
  handlerModule: '../src/variants/{spec}/{operationId}.ts',
};

interface Case {
  rule: string;
  options?: Record<string, unknown>;
  given: string;
  /** Each problem as `<JSON pointer>: <message>`. */
  want: string[];
}

const cases: Case[] = [
  { rule: 'auth-failure-documented', given: 'auth-failure-documented/documented.yaml', want: [] },
  {
    rule: 'auth-failure-documented',
    given: 'auth-failure-documented/undocumented.yaml',
    want: [
      '#/paths/~1documents~1{id}/delete/responses: Operation is secured (apiKey) but documents no 401 response for a refused caller.',
      '#/paths/~1optional~1{id}/delete/responses: Operation is secured (apiKey) but documents no 401 response for a refused caller.',
      '#/paths/~1scoped~1{id}/delete/responses: Operation is secured (oauth) but documents no 403 response for a refused caller.',
    ],
  },
  { rule: 'error-response-documented', given: 'error-response-documented/documented.yaml', want: [] },
  {
    rule: 'error-response-documented',
    given: 'error-response-documented/undocumented.yaml',
    want: [
      '#/paths/~1documents~1{id}/delete/responses/401: 401 response must document an application/json body.',
      '#/paths/~1documents~1{id}/delete/responses/404/content/application~1json: 404 response must have at least one named example.',
      '#/paths/~1documents~1{id}/delete/responses/500/content/application~1json: 500 response must have a schema.',
    ],
  },
  { rule: 'assumption-has-reason', given: 'assumption-has-reason/reasoned.yaml', want: [] },
  {
    rule: 'assumption-has-reason',
    given: 'assumption-has-reason/unreasoned.yaml',
    want: [
      '#/paths/~1documents~1{id}/delete/parameters/0/x-assumption: x-assumption must be a sentence giving the reason (at least 20 characters).',
      '#/paths/~1documents~1{id}/delete/x-assumption: x-assumption must be a sentence giving the reason (at least 20 characters).',
    ],
  },
  {
    rule: 'operation-has-handler',
    options: VARIANT_HANDLERS,
    given: 'operation-has-handler/openapi/implemented.yaml',
    want: [],
  },
  {
    rule: 'operation-has-handler',
    options: VARIANT_HANDLERS,
    given: 'operation-has-handler/openapi/unregistered.yaml',
    want: [
      `#/paths/~1pets~1{id}/delete/operationId: Operation deletePet has no mock handler: ${HANDLERS}/src/variants/unregistered/index.ts does not register 'deletePet'.`,
    ],
  },
  {
    rule: 'operation-has-handler',
    options: VARIANT_HANDLERS,
    given: 'operation-has-handler/openapi/no-module.yaml',
    want: [
      `#/paths/~1pets~1{id}/delete/operationId: Operation deletePet has no mock handler module: ${HANDLERS}/src/variants/no-module/deletePet.ts not found.`,
    ],
  },
  {
    rule: 'operation-has-handler',
    options: VARIANT_HANDLERS,
    given: 'operation-has-handler/openapi/unexported.yaml',
    want: [
      `#/paths/~1pets~1{id}/delete/operationId: Operation deletePet's handler module ${HANDLERS}/src/variants/unexported/deletePet.ts does not export 'deletePet'.`,
    ],
  },
  {
    rule: 'operation-has-handler',
    options: { registry: VARIANT_HANDLERS.registry },
    given: 'operation-has-handler/openapi/no-registry.yaml',
    want: [
      `#/paths/~1pets~1{id}/delete/operationId: No mock handler registry for this spec: ${HANDLERS}/src/variants/no-registry/index.ts not found.`,
    ],
  },
  {
    rule: 'operation-has-handler',
    options: { registry: '../src/admin.ts' },
    given: 'operation-has-handler/openapi/admin.yaml',
    want: [
      `#/paths/~1reset/post/operationId: Operation resetState has no mock handler: ${HANDLERS}/src/admin.ts does not register 'resetState'.`,
    ],
  },
];

async function problems(
  rule: string,
  options: Record<string, unknown> | undefined,
  fixture: string,
): Promise<string[]> {
  const config = await createConfig(
    {
      plugins: ['src/designers/lint/tombstone.js'],
      extends: [],
      rules: { [`tombstone/${rule}`]: { severity: 'error', ...options } },
    },
    { configPath: path.resolve('redocly.yaml') },
  );
  const found = await lint({ ref: path.join(FIXTURES, fixture), config });
  return found.map((p) => `${p.location[0]?.pointer}: ${p.message}`).sort();
}

describe('lint rules', () => {
  it.each(cases)('$rule on $given', async ({ rule, options, given, want }) => {
    expect(await problems(rule, options, given)).toEqual(want);
  });

  it('redocly.yaml enables every rule of the plugin', async () => {
    const { default: plugin } = await import('../src/designers/lint/tombstone.js');
    const config = await loadConfig({ configPath: 'redocly.yaml' });
    const enabled = Object.entries(config.styleguide.rules.oas3_0)
      .filter(
        ([id, setting]) =>
          id.startsWith('tombstone/') && (typeof setting === 'string' ? setting : setting?.severity) === 'error',
      )
      .map(([id]) => id);
    expect(enabled.sort()).toEqual(
      Object.keys(plugin().rules.oas3)
        .map((id) => `tombstone/${id}`)
        .sort(),
    );
  });
});
