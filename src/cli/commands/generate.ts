/**
 * `tombstone generate [--check]`: writes generated/ from openapi/ in the working directory, or with `--check`
 * (like openapi-typescript's) only reports which generated files differ from what the specs produce.
 */
import { parse } from './args.js';

export const usage = `generate     Write generated/ from openapi/, in the current directory.
               --check: write nothing; exit 1 naming every file that differs from what the specs produce`;

export async function run(args: string[]): Promise<number> {
  const { values } = parse(args, { check: { type: 'boolean', default: false } });
  const { drift, writeGenerated } = await import('../../designers/generate.js');
  if (!values.check) {
    console.log(`Wrote ${await writeGenerated(process.cwd())} files to generated/.`);
    return 0;
  }
  const files = await drift(process.cwd());
  if (files.length === 0) {
    console.log('generated/ is up to date with openapi/.');
    return 0;
  }
  const list = files.map((f) => `  ${f}`).join('\n');
  console.error(`generated/ has drifted from openapi/:\n${list}\nRun \`npm run generate\` and commit the result.`);
  return 1;
}
