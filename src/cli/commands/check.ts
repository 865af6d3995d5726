/**
 * `tombstone check`: the gate CI runs before the tests. Fails (exit 1) when generated/ has drifted from the
 * specs, when Redocly lint or Biome (format and lint of the code) reports anything, or when TypeScript does not
 * type-check — like fastify's `git diff --quiet` on regenerated files, but naming every file.
 */

import { exec } from '../../project.js';
import { parse } from './args.js';
import { drift } from './generate.js';

export const usage = `check        The CI gate: generated/ matches openapi/, lint is clean, TypeScript type-checks (exit 1 if not)`;

export async function run(args: string[]): Promise<number> {
  parse(args, {});
  const results = await check(process.cwd());
  for (const r of results)
    console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name}${r.ok ? '' : `\n${r.detail.replace(/^/gm, '     ')}`}`);
  return results.every((r) => r.ok) ? 0 : 1;
}

export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
}

export async function check(root: string): Promise<CheckResult[]> {
  const [files, lint, style, types] = await Promise.all([
    drift(root),
    exec(root, 'redocly', ['lint', '--format', 'summary', '--max-problems', '1000']),
    // Which files: biome.jsonc's `files.includes`.
    exec(root, 'biome', ['ci', '--colors=off']),
    exec(root, 'tsc', ['--noEmit', '-p', 'tsconfig.json']),
  ]);
  return [
    {
      name: 'generated',
      ok: files.length === 0,
      detail:
        files.length === 0
          ? 'generated/ matches openapi/'
          : `differs from what openapi/ produces: ${files.join(', ')}. Run \`npm run generate\`.`,
    },
    // Zero errors and zero warnings: redocly exits 0 on warnings, so look for any reported problem.
    {
      name: 'lint',
      ok: lint.code === 0 && !/warning/i.test(lint.output.replace(/Deprecation warning[^\n]*/g, '')),
      detail: lint.output.trim(),
    },
    { name: 'format+lint', ok: style.code === 0, detail: `${style.output.trim()}\nRun \`npm run format\` to fix.` },
    { name: 'types', ok: types.code === 0, detail: types.output.trim() || 'tsc --noEmit: no errors' },
  ];
}
