/**
 * Every operation has a mock handler, so spec and server cannot drift apart: an operation added to a spec fails
 * lint until the server implements it.
 *
 * Options (paths relative to the spec file, like a `$ref`; `{spec}` is the spec's file name without extension):
 * - `registry`: the module (or list of modules) that registers the API's handlers with openapi-backend; one of
 *   them must register each operationId, as `register('<operationId>', …)` or as a `<operationId>:` key of the
 *   object given to `register`.
 * - `handlerModule` (optional): the module that implements one operation (`{operationId}` is replaced); it must
 *   exist and export a function or const named after the operationId.
 *
 * The check reads source text, so it is fast enough for an editor. It is not the last word: the server refuses
 * to start with an operation that has no registered handler (src/core/runtime.ts), and the tests start it.
 * https://github.com/openapistack/openapi-backend#registering-handlers-for-operations
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export default function OperationHasHandler({ registry, handlerModule } = {}) {
  const sources = new Map();
  const read = (file) => {
    if (!sources.has(file)) sources.set(file, existsSync(file) ? readFileSync(file, 'utf8') : undefined);
    return sources.get(file);
  };
  return {
    Operation: {
      enter(operation, ctx) {
        const id = operation.operationId;
        if (!registry || !id) return;
        const specFile = ctx.location.source.absoluteRef;
        const resolve = (template) =>
          path.resolve(
            path.dirname(specFile),
            template
              .replaceAll('{spec}', path.basename(specFile, path.extname(specFile)))
              .replaceAll('{operationId}', id),
          );
        const report = (message) => ctx.report({ message, location: ctx.location.child('operationId') });
        const name = escapeRegExp(id);

        const registryFiles = [registry].flat().map(resolve);
        const missingFiles = registryFiles.filter((file) => read(file) === undefined);
        const registered = new RegExp(`\\.register\\(\\s*['"\`]${name}['"\`]|[{,\\s]['"]?${name}['"]?\\s*:`);
        if (missingFiles.length > 0) {
          report(`No mock handler registry for this spec: ${missingFiles.map(relative).join(', ')} not found.`);
        } else if (!registryFiles.some((file) => registered.test(read(file)))) {
          report(
            `Operation ${id} has no mock handler: ` +
              `${registryFiles.map(relative).join(' or ')} does not register '${id}'.`,
          );
        }

        if (!handlerModule) return;
        const moduleFile = resolve(handlerModule);
        const moduleSource = read(moduleFile);
        const exported = new RegExp(`export\\s+(async\\s+)?(function\\*?\\s+|const\\s+|let\\s+)${name}\\b`);
        if (moduleSource === undefined) {
          report(`Operation ${id} has no mock handler module: ${relative(moduleFile)} not found.`);
        } else if (!exported.test(moduleSource)) {
          report(`Operation ${id}'s handler module ${relative(moduleFile)} does not export '${id}'.`);
        }
      },
    },
  };
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function relative(file) {
  return path.relative(process.cwd(), file);
}
