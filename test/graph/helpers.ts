/** Shared loaders for the graph tests: fixtures, the packaged catalogue, generated systems. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { loadModelText } from '../../src/model/load.js';
import { resolveModel, type ResolvedModel } from '../../src/model/resolve.js';
import type { ModelFile } from '../../src/model/schema.js';
import { hasErrors } from '../../src/model/diagnostics.js';
import { loadCatalogue } from '../../src/io/catalogue.js';
import type { Catalogue } from '../../src/catalogue/load.js';

export const catalogue: Catalogue = loadCatalogue().catalogue;

/** Load and resolve a YAML fixture under test/graph/fixtures (it must load without errors). */
export function fixture(name: string): ResolvedModel {
  const text = readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
  return fromText(text);
}

export function fromText(text: string): ResolvedModel {
  const result = loadModelText(text);
  expect(hasErrors(result.diagnostics), JSON.stringify(result.diagnostics)).toBe(false);
  if (!result.model) throw new Error('no model');
  return resolveModel(result.model);
}

/** Resolve a model object directly (generated models are valid by construction). */
export function resolve(model: ModelFile): ResolvedModel {
  return resolveModel(structuredClone(model));
}
