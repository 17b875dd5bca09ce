import { describe, expect, it } from 'vitest';
import { LAYERS } from './layers.js';
import { KIND_TABLE, inferLayer } from './kinds.js';

describe('MAESTRO layers', () => {
  it('holds the canonical numbers and names of the seven layers (CSA MAESTRO, OWASP MAS guide v1.0)', () => {
    // Several tools in this field get these wrong; this table is the reference.
    expect(LAYERS.map((l) => [l.id, l.number, l.name])).toEqual([
      ['L1', 1, 'Foundation Models'],
      ['L2', 2, 'Data Operations'],
      ['L3', 3, 'Agent Frameworks'],
      ['L4', 4, 'Deployment and Infrastructure'],
      ['L5', 5, 'Evaluation and Observability'],
      ['L6', 6, 'Security and Compliance'],
      ['L7', 7, 'Agent Ecosystem'],
    ]);
  });

  it('matches the reference list in ../shared when it is present', async () => {
    const { existsSync, readFileSync } = await import('node:fs');
    const path = new URL('../../../shared/reference/taxonomies.yaml', import.meta.url);
    if (!existsSync(path)) return;
    const { parse } = await import('yaml');
    const ref = parse(readFileSync(path, 'utf8')) as { maestro_layers: { id: string; name: string }[] };
    expect(ref.maestro_layers.map((l) => [l.id, l.name])).toEqual(LAYERS.map((l) => [l.id, l.name]));
  });
});

describe('kind -> layer table', () => {
  it('places every kind on a layer, one row per kind and section', () => {
    const kinds = KIND_TABLE.map((r) => r.kind);
    const sections = KIND_TABLE.map((r) => r.section);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(new Set(sections).size).toBe(sections.length);
    for (const row of KIND_TABLE) expect(row.layer).toMatch(/^L[1-7]$/);
  });

  it('infers layers from the kind, refines by type, and honours an override', () => {
    expect(inferLayer('model')).toBe('L1');
    expect(inferLayer('memory', 'vector-store')).toBe('L2');
    expect(inferLayer('agent')).toBe('L3');
    expect(inferLayer('deployment')).toBe('L4');
    expect(inferLayer('observability')).toBe('L5');
    expect(inferLayer('control')).toBe('L6');
    expect(inferLayer('dependency', 'plugin')).toBe('L7');
    expect(inferLayer('dependency', 'cloud-orchestration')).toBe('L4');
    expect(inferLayer('agent', undefined, 'L7')).toBe('L7');
    // A type name that happens to be an Object.prototype key does not confuse the table.
    expect(inferLayer('dependency', 'constructor')).toBe('L7');
  });
});
