/**
 * What-if: add declared controls to a model without editing its file, to see how much risk they
 * remove. Pure: returns a new model; the original is not changed.
 */
import type { ModelFile } from '../model/schema.js';

export interface WhatIfAdd {
  readonly pattern: string;
  readonly element: string;
}

const SPEC = /^add:([a-z][a-z0-9-]{0,63})@([A-Za-z_][A-Za-z0-9_.-]{0,127})$/;

/** Parse `add:<pattern>@<element>`; undefined when malformed. */
export function parseWhatIf(text: string): WhatIfAdd | undefined {
  const m = SPEC.exec(text.trim());
  return m?.[1] && m[2] ? { pattern: m[1], element: m[2] } : undefined;
}

/** The model with one implemented control per addition (ids what-if-1, what-if-2, … that do not clash). */
export function applyWhatIf(model: ModelFile, adds: readonly WhatIfAdd[]): ModelFile {
  const used = new Set<string>();
  for (const section of Object.values(model as unknown as Record<string, unknown>)) {
    if (!Array.isArray(section)) continue;
    for (const el of section) if (el && typeof el === 'object' && typeof (el as { id?: unknown }).id === 'string') used.add((el as { id: string }).id);
  }
  const controls = [...(model.controls ?? [])];
  let n = 0;
  for (const add of adds) {
    let id: string;
    do id = `what-if-${++n}`;
    while (used.has(id));
    used.add(id);
    controls.push({ id, pattern: add.pattern, appliesTo: [add.element], status: 'implemented', description: 'added by --what-if' });
  }
  return { ...model, controls };
}
