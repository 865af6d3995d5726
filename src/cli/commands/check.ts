/** `tombstone check`: the CI gate over the project in the working directory (src/designers/check.ts). */
import { parse } from './args.js';

export const usage = `check        The CI gate: generated/ matches openapi/, lint and format are clean, TypeScript
               type-checks (exit 1 if not). Works on the project in the current directory.`;

export async function run(args: string[]): Promise<number> {
  parse(args, {});
  const { check } = await import('../../designers/check.js');
  const results = await check(process.cwd());
  for (const r of results) {
    console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name}${r.ok ? '' : `\n${r.detail.replace(/^/gm, '     ')}`}`);
  }
  return results.every((r) => r.ok) ? 0 : 1;
}
