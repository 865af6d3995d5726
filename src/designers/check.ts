/**
 * The gate CI runs before the tests (`tombstone check`): generated/ matches the specs, Redocly lint is clean,
 * Biome finds nothing to format or lint, and TypeScript type-checks — like fastify's `git diff --quiet` on
 * regenerated files, but naming every file.
 */
import { exec, listSpecs, SPEC_DIR } from '../project.js';
import { drift } from './generate.js';

export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
}

export async function check(root: string): Promise<CheckResult[]> {
  // Every spec in openapi/, by path: redocly.yaml's `apis` only adds rules for some (matched by their root).
  const specs = (await listSpecs(root)).map((name) => `${SPEC_DIR}/${name}.yaml`);
  const [files, lint, style, types] = await Promise.all([
    drift(root),
    exec(root, 'redocly', ['lint', ...specs, '--format', 'summary', '--max-problems', '1000']),
    // What it looks at is biome.jsonc's `files.includes`.
    exec(root, 'biome', ['ci', '--colors=off']),
    exec(root, 'tsc', ['--noEmit', '-p', 'tsconfig.json']),
  ]);
  const drifted = `differs from what openapi/ produces: ${files.join(', ')}. Run \`npm run generate\`.`;
  return [
    { name: 'generated', ok: files.length === 0, detail: files.length === 0 ? 'generated/ matches openapi/' : drifted },
    // Zero errors and zero warnings: redocly exits 0 on warnings, so look for any reported problem.
    {
      name: 'lint',
      ok: lint.code === 0 && !/warning/i.test(lint.output.replace(/Deprecation warning[^\n]*/g, '')),
      detail: lint.output.trim(),
    },
    {
      name: 'format+lint',
      ok: style.code === 0,
      detail: `${style.output.trim()}\nRun \`npm run format\` to fix what it can.`,
    },
    { name: 'types', ok: types.code === 0, detail: types.output.trim() || 'tsc --noEmit: no errors' },
  ];
}
