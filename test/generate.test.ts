/**
 * The generated validators enforce the specs: each page's own examples pass, malformed input fails.
 * Table-driven: `given` an input, `want` the validator's verdict. Every generated file says where it comes from.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { operations as dify } from '../generated/dify/validators.js';
import { operations as leadlex } from '../generated/leadlex/validators.js';
import { schemas as admin } from '../generated/mock-admin/validators.js';
import { operations as oneflow } from '../generated/oneflow/validators.js';
import { operations as tavus } from '../generated/tavus/validators.js';
import { operations as velt } from '../generated/velt/validators.js';
import { generateAll } from '../src/designers/generate.js';
import { TombstoneError } from '../src/errors.js';
import type { OperationValidators } from '../src/openapi/model.js';
import { type GeneratedFixture, generateFixture } from './support/generated.js';

interface Case {
  name: string;
  validator: ValidateFunction;
  given: unknown;
  want: boolean;
}

const DATASET = '5f2d8c1e-3b4a-4c6d-8e9f-0a1b2c3d4e5f';
const DOCUMENT = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';

// biome-ignore format: a table, one case per line
const cases: Case[] = [
  // LeadLex: the page's path, query and headers.
  { name: 'leadlex path: the page example doc_01HY1', validator: leadlex.deleteDocument.request.path, given: { id: 'doc_01HY1' }, want: true },
  { name: 'leadlex path: empty id', validator: leadlex.deleteDocument.request.path, given: { id: '' }, want: false },
  { name: 'leadlex query: hard=true (string, coerced)', validator: leadlex.deleteDocument.request.query, given: { hard: 'true' }, want: true },
  { name: 'leadlex query: hard=yes', validator: leadlex.deleteDocument.request.query, given: { hard: 'yes' }, want: false },
  { name: 'leadlex query: hard repeated', validator: leadlex.deleteDocument.request.query, given: { hard: ['true', 'false'] }, want: false },
  { name: 'leadlex headers: Idempotency-Key UUID', validator: leadlex.deleteDocument.request.headers, given: { 'idempotency-key': '9b2f3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d' }, want: true },
  { name: 'leadlex headers: Idempotency-Key not a UUID', validator: leadlex.deleteDocument.request.headers, given: { 'idempotency-key': 'retry-1' }, want: false },
  { name: 'leadlex 204 headers: the page example X-Request-ID', validator: leadlex.deleteDocument.responses['204'].headers, given: { 'x-request-id': 'req_01HY1K0E7V8Q0YXH7DSTX5B3CA', 'x-ratelimit-limit': '600', 'x-ratelimit-remaining': '599', 'x-ratelimit-reset': '1767225600' }, want: true },
  { name: 'leadlex 204 headers: X-Request-ID missing', validator: leadlex.deleteDocument.responses['204'].headers, given: { 'x-ratelimit-limit': '600', 'x-ratelimit-remaining': '599', 'x-ratelimit-reset': '1767225600' }, want: false },
  { name: 'leadlex 404 body: designed envelope', validator: leadlex.deleteDocument.responses['404'].body, given: { error: { code: 'not_found', message: 'Document not found', request_id: 'req_01HY1K0E7V8Q0YXH7DSTX5B3CA' } }, want: true },
  { name: 'leadlex 404 body: unknown code', validator: leadlex.deleteDocument.responses['404'].body, given: { error: { code: 'gone', message: 'x', request_id: 'req_01HY1K0E7V8Q0YXH7DSTX5B3CA' } }, want: false },
  { name: 'leadlex 404 body: extra property', validator: leadlex.deleteDocument.responses['404'].body, given: { error: { code: 'not_found', message: 'x', request_id: 'req_01HY1K0E7V8Q0YXH7DSTX5B3CA' }, debug: true }, want: false },
  // Dify: format uuid is enforced (ajv-formats).
  { name: 'dify path: UUIDs', validator: dify.deleteDocument.request.path, given: { dataset_id: DATASET, document_id: DOCUMENT }, want: true },
  { name: 'dify path: document_id not a UUID', validator: dify.deleteDocument.request.path, given: { dataset_id: DATASET, document_id: 'doc_01HY1' }, want: false },
  { name: 'dify path: __proto__ as an id', validator: dify.deleteDocument.request.path, given: { dataset_id: DATASET, document_id: '__proto__' }, want: false },
  { name: 'dify 400 body: the page example document_indexing', validator: dify.deleteDocument.responses['400'].body, given: { status: 400, code: 'document_indexing', message: 'Cannot delete document during indexing.' }, want: true },
  { name: 'dify 403 body: the page example archived_document_immutable', validator: dify.deleteDocument.responses['403'].body, given: { status: 403, code: 'archived_document_immutable', message: 'The archived document is not editable.' }, want: true },
  { name: 'dify 404 body: status as a string', validator: dify.deleteDocument.responses['404'].body, given: { status: '404', code: 'not_found', message: 'Document Not Exists.' }, want: false },
  // Tavus.
  { name: 'tavus 401 body: the page example', validator: tavus.deleteDocument.responses['401'].body, given: { message: 'Invalid access token' }, want: true },
  { name: 'tavus 404 body: message missing', validator: tavus.deleteDocument.responses['404'].body, given: {}, want: false },
  // Velt: the page's request and both responses.
  { name: 'velt body: the page example request', validator: velt.deleteDocuments.request.body, given: { data: { organizationId: 'yourOrganizationId', documentIds: ['yourDocumentId1', 'yourDocumentId2'] } }, want: true },
  { name: 'velt body: documentIds not an array', validator: velt.deleteDocuments.request.body, given: { data: { organizationId: 'o', documentIds: 'd' } }, want: false },
  { name: 'velt body: organizationId missing', validator: velt.deleteDocuments.request.body, given: { data: { documentIds: ['d'] } }, want: false },
  { name: 'velt body: no documentIds', validator: velt.deleteDocuments.request.body, given: { data: { organizationId: 'o', documentIds: [] } }, want: false },
  { name: 'velt body: 10,001 documentIds', validator: velt.deleteDocuments.request.body, given: { data: { organizationId: 'o', documentIds: Array.from({ length: 10_001 }, (_, i) => `d${i}`) } }, want: false },
  { name: 'velt body: __proto__ key (JSON.parse makes it own)', validator: velt.deleteDocuments.request.body, given: JSON.parse('{"data":{"organizationId":"o","documentIds":["d"]},"__proto__":{"x":1}}'), want: false },
  { name: 'velt 200 body: the page success response', validator: velt.deleteDocuments.responses['200'].body, given: { result: { status: 'success', message: 'Document(s) deleted successfully.', data: { yourDocumentId1: { success: true, id: '6737987049068973', message: 'Deleted Successfully' }, yourDocumentId2: { success: true, id: '2131443384150904', message: 'Document does not exist' } } } }, want: true },
  { name: 'velt 400 body: the page failure response', validator: velt.deleteDocuments.responses['400'].body, given: { error: { message: 'ERROR_MESSAGE', status: 'INVALID_ARGUMENT' } }, want: true },
  { name: 'velt 200 body: per-document id not numeric', validator: velt.deleteDocuments.responses['200'].body, given: { result: { status: 'success', message: 'm', data: { a: { success: true, id: 'abc', message: 'Deleted Successfully' } } } }, want: false },
  // 1Flow.
  { name: 'oneflow body: the page example request', validator: oneflow.deleteDocument.request.body, given: { docId: 'your-document-id' }, want: true },
  { name: 'oneflow body: docId a number', validator: oneflow.deleteDocument.request.body, given: { docId: 42 }, want: false },
  { name: 'oneflow body: docId missing', validator: oneflow.deleteDocument.request.body, given: {}, want: false },
  { name: 'oneflow path: webhook id with a slash', validator: oneflow.deleteDocument.request.path, given: { webhookId: 'abc/..' }, want: false },
  { name: 'oneflow 200 body: the page success response', validator: oneflow.deleteDocument.responses['200'].body, given: { success: true, message: 'Document deleted successfully', documentId: 'doc_abc123xyz' }, want: true },
  { name: 'oneflow 400 body: the page error response', validator: oneflow.deleteDocument.responses['400'].body, given: { error: 'Missing or invalid docId in request body' }, want: true },
  { name: 'oneflow 200 body: success false', validator: oneflow.deleteDocument.responses['200'].body, given: { success: false, message: 'm', documentId: 'd' }, want: false },
  // Seed schemas (mock-admin).
  { name: 'seed: leadlex key without the wbk_ prefix', validator: admin.LeadlexSeed, given: { workspaces: [{ id: 'w', keys: [{ key: 'sk_1', permissions: [] }], documents: [] }] }, want: false },
  { name: 'seed: dify document id not a UUID', validator: admin.DifySeed, given: { accounts: [{ id: 'a', apiKeys: [], datasets: [{ id: DATASET, documents: [{ id: 'x', indexingStatus: 'completed' }] }] }] }, want: false },
];

describe('generated validators', () => {
  test.each(cases)('$name', ({ validator, given, want }) => {
    expect(validator(structuredClone(given))).toBe(want);
  });
});

describe('generated/', () => {
  const files = readdirSync('generated', { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));

  test.each(files)('%s starts with a header naming its generator and "Do not edit"', (file) => {
    const [first] = readFileSync(file, 'utf8').split('\n', 1);
    expect(first).toMatch(/^\/\/ Generated by \S.* from openapi\/[\w-]+\.yaml via `npm run generate`\. Do not edit\.$/);
  });

  test.each(files.filter((file) => file.endsWith('definition.js')))('%s records the sha256 of its sources', (file) => {
    const spec = path.basename(path.dirname(file));
    const second = readFileSync(file, 'utf8').split('\n', 2)[1];
    expect(second).toMatch(new RegExp(`^// Sources: sha256 [0-9a-f]{64} of openapi/${spec}\\.yaml$`));
  });
});

/**
 * `exclusiveMinimum`/`exclusiveMaximum` in both forms: OpenAPI 3.0's boolean, which modifies `minimum`/`maximum`
 * (ajv rejects it as it is), and OpenAPI 3.1's number, the bound itself. Two fixture specs say the same bounds each
 * way (test/fixtures/exclusive-bounds/openapi/); both must generate and validate alike.
 */
describe('exclusive bounds', () => {
  const SPECS = ['bounds-30', 'bounds-31'] as const;
  let fixture: GeneratedFixture;
  const generated: Record<string, { getThing: OperationValidators; types: string }> = {};

  beforeAll(async () => {
    fixture = await generateFixture('test/fixtures/exclusive-bounds', 'tombstone-bounds-');
    for (const spec of SPECS) {
      const { operations } = await fixture.load(spec, 'validators.js');
      const types = readFileSync(path.join(fixture.dir, 'generated', spec, 'types.ts'), 'utf8');
      generated[spec] = { getThing: operations.getThing, types };
    }
  }, 60_000);

  afterAll(() => fixture.remove());

  type Part = (v: OperationValidators) => ValidateFunction | undefined;
  const pathParams: Part = (v) => v.request.path;
  const query: Part = (v) => v.request.query;
  const body: Part = (v) => v.responses['200']?.body;
  // biome-ignore format: a table, one case per line
  const bounds = SPECS.flatMap((spec) => [
    { name: `${spec} path: n=0, the excluded minimum`, spec, part: pathParams, given: { n: '0' }, want: false },
    { name: `${spec} path: n=1`, spec, part: pathParams, given: { n: '1' }, want: true },
    { name: `${spec} query: limit=1, an inclusive minimum`, spec, part: query, given: { limit: '1' }, want: true },
    { name: `${spec} query: limit=0`, spec, part: query, given: { limit: '0' }, want: false },
    { name: `${spec} query: limit=99`, spec, part: query, given: { limit: '99' }, want: true },
    { name: `${spec} query: limit=100, the excluded maximum`, spec, part: query, given: { limit: '100' }, want: false },
    { name: `${spec} 200 body: price 9.99`, spec, part: body, given: { price: 9.99 }, want: true },
    { name: `${spec} 200 body: price 10, the excluded maximum`, spec, part: body, given: { price: 10 }, want: false },
  ]);

  test.each(bounds)('$name', ({ spec, part, given, want }) => {
    expect(part(generated[spec]!.getThing)!(structuredClone(given))).toBe(want);
  });

  test.each(SPECS)('%s: the types keep the bounded values numbers', (spec) => {
    const { types } = generated[spec]!;
    expect(types).toMatch(/path: \{\s*n: number;\s*\}/);
    expect(types).toMatch(/limit\?: number;/);
    expect(types).toMatch(/price: number;/);
  });
});

/**
 * A schema ajv refuses (other than 3.0's boolean exclusive bounds, which generate translates) is one
 * `[tombstone]` line naming the spec file, the JSON pointer of the schema or keyword, and ajv's message, wherever
 * the schema sits: a component, a parameter (inline or `$ref`'d), a request body, a response header.
 */
describe('a schema ajv refuses', () => {
  const spec = (change: (s: any) => void) => {
    const s = {
      openapi: '3.0.3',
      info: { title: 'Broken', version: '1.0.0' },
      paths: {
        '/things/{n}': {
          get: {
            operationId: 'getThing',
            parameters: [
              { name: 'n', in: 'path', required: true, schema: { type: 'integer' } },
              { name: 'q', in: 'query', schema: { type: 'string' } },
              { $ref: '#/components/parameters/Limit' },
            ],
            responses: {
              '200': {
                description: 'The thing.',
                headers: { 'X-Count': { schema: { type: 'integer' } } },
                content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
              },
            },
          },
        },
        '/things': {
          post: {
            operationId: 'createThing',
            requestBody: {
              content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string' } } } } },
            },
            responses: { '204': { description: 'Made.' } },
          },
        },
      },
      components: {
        parameters: { Limit: { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1 } } },
        schemas: { Thing: { type: 'object', properties: { price: { type: 'number' } } } },
      },
    };
    change(s);
    return s;
  };
  const thing = '#/paths/~1things~1{n}/get';
  // biome-ignore format: a table, one case per line
  const cases = [
    { name: 'a property with required: true', given: spec((s) => { s.components.schemas.Thing.properties.price.required = true; }), want: '#/components/schemas/Thing/properties/price/required: ajv refuses this schema: must be array.' },
    { name: 'a query parameter of type intger', given: spec((s) => { s.paths['/things/{n}'].get.parameters[1].schema.type = 'intger'; }), want: `${thing}/parameters/1/schema/type: ajv refuses this schema: must be equal to one of the allowed values (array, boolean, integer, null, number, object, string).` },
    { name: "a $ref'd parameter's minimum as a string", given: spec((s) => { s.components.parameters.Limit.schema.minimum = '1'; }), want: '#/components/parameters/Limit/schema/minimum: ajv refuses this schema: must be number.' },
    { name: 'a request body with an unknown keyword', given: spec((s) => { s.paths['/things'].post.requestBody.content['application/json'].schema.properties.name.minLenght = 1; }), want: '#/paths/~1things/post/requestBody/content/application~1json/schema/properties/name/minLenght: ajv refuses this schema: strict mode: unknown keyword: "minLenght".' },
    { name: 'a component with an unknown keyword', given: spec((s) => { s.components.schemas.Thing.properties.price.maximun = 10; }), want: '#/components/schemas/Thing/properties/price/maximun: ajv refuses this schema: strict mode: unknown keyword: "maximun".' },
    { name: 'a response header of an unknown format', given: spec((s) => { s.paths['/things/{n}'].get.responses['200'].headers['X-Count'].schema.format = 'nope'; }), want: `${thing}/responses/200/headers/X-Count/schema: ajv refuses this schema: unknown format "nope" ignored in schema at path "#/properties/x-count".` },
  ];

  test.each(cases)('$name', async ({ given, want }) => {
    const root = await mkdtemp(path.join(tmpdir(), 'tombstone-broken-'));
    try {
      await mkdir(path.join(root, 'openapi'));
      await writeFile(path.join(root, 'openapi', 'broken.yaml'), JSON.stringify(given));
      const error = await generateAll(root).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(TombstoneError);
      const file = path.relative(process.cwd(), path.join(root, 'openapi', 'broken.yaml'));
      expect((error as Error).message).toBe(
        `[tombstone] ${file}${want} Fix the schema there (an OpenAPI Schema Object: ` +
          'https://spec.openapis.org/oas/v3.0.3#schema-object), then run `npm run generate` again.',
      );
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
