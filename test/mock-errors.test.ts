/**
 * Errors with a home, on the mock's side: a port in use and an operation without a handler are the user's to fix
 * and say how in one line (the stale generated/ warning: test/cli.test.ts); an error thrown inside a handler is a documented
 * 500 (openapi/mock-admin.yaml, x-mock-layer internalError), logged with its stack, and the server keeps serving.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OpenAPIV3 } from 'openapi-types';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import adminDefinition from '../generated/mock-admin/definition.js';
import { schemas as adminSchemas } from '../generated/mock-admin/validators.js';
import { checkDocumentedResponse } from '../src/conformance.js';
import { TombstoneError } from '../src/errors.js';
import { createHttpServer, listen } from '../src/mock/adapter/node/index.js';
import { MockApp } from '../src/mock/app.js';
import type { AnyVariant, MockResponse } from '../src/mock/types.js';
import { variants } from '../src/variants/registry.js';
import { listen as listenEphemeral, observe } from './support/mock.js';

/** Tavus with other handlers: a test-only variant. */
const tavusWith = (handlers: AnyVariant['handlers']): AnyVariant => ({ ...variants.tavus, handlers });
const tavusSeed = variants.tavus.defaultSeed;

describe('a port in use', () => {
  let taken: ReturnType<typeof createServer>;
  let port: number;
  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    port = (taken.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => taken.close(resolve)));

  test('is a TombstoneError saying what to do', async () => {
    const app = await MockApp.create({ variants: [{ variant: variants.tavus, seed: tavusSeed }] });
    const attempt = listen(createHttpServer(app), port, '127.0.0.1');
    await expect(attempt).rejects.toThrow(TombstoneError);
    await expect(attempt).rejects.toThrow(
      `[tombstone] Port ${port} on 127.0.0.1 is in use. Try --port <n> or stop the process using it.`,
    );
  });

  test('`tombstone serve` prints that one line and exits 1', async () => {
    const child = spawn(process.execPath, ['bin/tombstone.js', 'serve', '--port', String(port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      `[tombstone] Port ${port} on 127.0.0.1 is in use. Try --port <n> or stop the process using it.`,
    ]);
  }, 30_000);
});

test('an operation without a handler names the operation, the spec and the file to create', async () => {
  const start = MockApp.create({ variants: [{ variant: tavusWith({}), seed: tavusSeed }] });
  await expect(start).rejects.toThrow(TombstoneError);
  await expect(start).rejects.toThrow(
    '[tombstone] Operation deleteDocument (DELETE /v2/documents/{document_id}) of openapi/tavus.yaml has no handler. ' +
      'Create src/variants/tavus/deleteDocument.ts exporting deleteDocument and add it to the handlers in src/variants/tavus/index.ts.',
  );
});

describe('an error thrown inside a handler', () => {
  const layer = (adminDefinition as unknown as { 'x-mock-layer': Record<string, OpenAPIV3.ResponseObject> })[
    'x-mock-layer'
  ];
  const cases = [
    {
      name: 'thrown',
      given: () => {
        throw new Error('boom');
      },
    },
    { name: 'a rejected promise', given: (): Promise<MockResponse> => Promise.reject(new Error('boom')) },
  ];
  test.each(cases)(
    '($name) is a documented 500, logged with its stack; the server keeps serving',
    async ({ given }) => {
      const app = await MockApp.create({
        variants: [{ variant: tavusWith({ deleteDocument: given }), seed: tavusSeed }],
      });
      const server = await listenEphemeral(app);
      const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
      try {
        const path = '/tavus/v2/documents/d8-5c71baca86fc';
        const res = await observe(
          await fetch(`${server.origin}${path}`, { method: 'DELETE', headers: { 'x-api-key': '<api-key>' } }),
        );
        expect(res.status).toBe(500);
        const response = layer['internalError']!;
        expect(checkDocumentedResponse(response, { body: adminSchemas.MockError }, res, 'internalError')).toEqual([]);
        expect(JSON.parse(res.body).error).toEqual({
          code: 'internal_error',
          message: `DELETE ${path} failed inside the mock: boom. The mock's log has the stack.`,
        });
        expect(logged).toHaveBeenCalledWith(
          `[tombstone] unexpected error in DELETE ${path}:`,
          expect.objectContaining({ stack: expect.stringContaining('boom') }),
        );
        expect((await fetch(`${server.origin}/_mock/health`)).status).toBe(200);
      } finally {
        logged.mockRestore();
        await server.close();
      }
    },
  );
});
