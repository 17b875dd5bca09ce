/** Helpers for the OTM and Threat Dragon import tests: section counts and order-free comparison. */
import { KIND_TABLE } from '../../src/model/kinds.js';
import type { ModelFile } from '../../src/model/schema.js';

/** Number of elements in each non-empty section. */
export function sectionCounts(m: ModelFile | undefined): Record<string, number> {
  const data = (m ?? {}) as Record<string, unknown>;
  const out: Record<string, number> = {};
  for (const row of KIND_TABLE) {
    const l = data[row.section];
    if (Array.isArray(l) && l.length > 0) out[row.section] = l.length;
  }
  return out;
}

/** Deep copy with object keys sorted, so two models compare as data whatever their key order. */
export function normalise(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalise);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = normalise((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}
