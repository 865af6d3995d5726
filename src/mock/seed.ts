/** Seed validation shared by every way a seed arrives (a file, the MSW handlers): what is wrong, naming the field. */
import type { AnyVariant } from './types.js';

/** Undefined when the seed matches the variant's seed schema; otherwise one sentence naming the field and the fix. */
export function seedProblem(variant: AnyVariant, seed: unknown): string | undefined {
  if (variant.seedValidator(seed)) return undefined;
  const error = variant.seedValidator.errors?.[0];
  const field = error?.instancePath.split('/').slice(1).join('.') || '(root)';
  const extra = error?.keyword === 'additionalProperties' ? ` '${String(error.params['additionalProperty'])}'` : '';
  const schema = `${variant.name[0]!.toUpperCase()}${variant.name.slice(1)}Seed`;
  return `field ${field} ${error?.message ?? 'is invalid'}${extra}. Try fixing it against the ${schema} schema in openapi/mock-admin.yaml.`;
}
