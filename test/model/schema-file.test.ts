import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { renderJsonSchema } from '../../src/model/json-schema.js';
import { STARTER_MODEL } from '../../src/model/starter.js';
import { renderFormatDoc } from '../../src/model/format-doc.js';

const committedPath = new URL('../../schema/maestro-model.schema.json', import.meta.url);

describe('published JSON Schema', () => {
  it('the committed schema equals the one generated from src/model/schema.ts (run `npm run gen` if this fails)', () => {
    expect(readFileSync(committedPath, 'utf8')).toBe(renderJsonSchema());
  });

  it('docs/model-format.md is current (run `npm run gen` if this fails)', () => {
    expect(readFileSync(new URL('../../docs/model-format.md', import.meta.url), 'utf8')).toBe(renderFormatDoc());
  });

  it('is a valid JSON Schema 2020-12 that accepts the starter model and x- fields, and rejects unknown enums', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(committedPath, 'utf8')) as object);
    const starter = parse(STARTER_MODEL) as Record<string, unknown>;
    expect(validate(starter), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...starter, 'x-anything': { deep: true } })).toBe(true);
    expect(validate({ ...starter, system: { name: 'x', criticality: 'apocalyptic' } })).toBe(false);
  });
});
