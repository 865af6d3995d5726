/**
 * Every variant tombstone serves, by name: a sixth variant is its folder and one more line here (see README).
 * The mock, the MSW handlers, the landing page, the control API and the tests all take the variants from here.
 */
import type { AnyVariant } from '../mock/types.js';
import { dify } from './dify/index.js';
import { leadlex } from './leadlex/index.js';
import { oneflow } from './oneflow/index.js';
import { tavus } from './tavus/index.js';
import { velt } from './velt/index.js';

export const variants = { leadlex, dify, tavus, velt, oneflow } as const satisfies Record<string, AnyVariant>;

export type VariantName = keyof typeof variants;

export const variantNames = Object.keys(variants) as VariantName[];

/** The variant of this name, or undefined. */
export function findVariant(name: string): AnyVariant | undefined {
  return Object.hasOwn(variants, name) ? variants[name as VariantName] : undefined;
}
