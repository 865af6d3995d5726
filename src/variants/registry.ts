/** Every variant tombstone serves, by name. A sixth variant is one more entry here (see README). */
import type { VariantModule } from '../mock/types.js';
import { dify } from './dify/index.js';
import { leadlex } from './leadlex/index.js';
import { oneflow } from './oneflow/index.js';
import { tavus } from './tavus/index.js';
import { velt } from './velt/index.js';

export const variants: Record<string, VariantModule<never, never>> = {
  leadlex: leadlex as VariantModule<never, never>,
  dify: dify as VariantModule<never, never>,
  tavus: tavus as VariantModule<never, never>,
  velt: velt as VariantModule<never, never>,
  oneflow: oneflow as VariantModule<never, never>,
};

export type VariantName = keyof typeof variants;
