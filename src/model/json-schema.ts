/**
 * The published JSON Schema, generated from the zod schema (the single source of truth).
 * `npm run gen` writes it to schema/maestro-model.schema.json; a test fails when the file is stale.
 */
import { z } from 'zod';
import { ModelFile, MODEL_MAJOR_VERSION, MODEL_MINOR_VERSION } from './schema.js';

export const SCHEMA_ID = 'urn:maestro-tm:schema:model:1';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function buildJsonSchema(): Record<string, Json> {
  const generated = z.toJSONSchema(ModelFile, { target: 'draft-2020-12', unrepresentable: 'throw', io: 'input' }) as Record<string, Json>;
  // Extension fields: any key starting with "x-" is allowed on every object (zod strict objects
  // would otherwise forbid them). Iterative walk: no recursion over the schema tree.
  const stack: Json[] = [generated];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      for (const item of node) stack.push(item);
      continue;
    }
    if (node['type'] === 'object' && node['additionalProperties'] === false) {
      node['patternProperties'] = { '^x-': {} };
    }
    for (const key of Object.keys(node)) stack.push(node[key] ?? null);
  }
  const { $schema, ...rest } = generated;
  return {
    $schema: $schema ?? 'https://json-schema.org/draft/2020-12/schema',
    $id: SCHEMA_ID,
    title: `maestro-tm model, format version ${MODEL_MAJOR_VERSION}.${MODEL_MINOR_VERSION}`,
    ...rest,
  };
}

/** The schema as committed: stable key order from zod, two-space indent, trailing newline. */
export function renderJsonSchema(): string {
  return JSON.stringify(buildJsonSchema(), null, 2) + '\n';
}
