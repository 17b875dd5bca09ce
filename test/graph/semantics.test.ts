/** The propagation semantics table is consistent with the catalogue, ATLAS mappings, model format and docs. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { EDGE_TYPES } from '../../src/model/references.js';
import { ELEMENT_KINDS } from '../../src/model/kinds.js';
import { LAYER_IDS } from '../../src/model/layers.js';
import { STEP_KINDS, statusFactor } from '../../src/graph/semantics.js';
import { buildPropagation } from '../../src/graph/propagation.js';
import { ENTRY_KINDS, entryReason } from '../../src/graph/facts.js';
import type { ResolvedModel } from '../../src/model/resolve.js';
import { catalogue, fixture } from './helpers.js';

const atlas = parse(readFileSync(new URL('../../catalogue/mappings/atlas.yaml', import.meta.url), 'utf8')) as { techniques: { id: string; name: string }[] };
const atlasNames = new Map(atlas.techniques.map((t) => [t.id, t.name]));
const doc = readFileSync(new URL('../../docs/propagation.md', import.meta.url), 'utf8');

describe('step kinds', () => {
  it('have unique kebab-case ids', () => {
    const ids = STEP_KINDS.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9-]+$/);
    expect(STEP_KINDS.length).toBeLessThan(256); // stored as a Uint8 per edge
  });

  it.each(STEP_KINDS.map((s) => [s.id, s] as const))('%s uses a catalogue threat, an exact ATLAS technique and a layer of the threat', (_, s) => {
    const threat = catalogue.threats.get(s.threat);
    expect(threat, `threat ${s.threat}`).toBeDefined();
    expect(atlasNames.get(s.atlas.id), `ATLAS ${s.atlas.id}`).toBe(s.atlas.name);
    expect(LAYER_IDS).toContain(s.layer);
    expect(threat?.layers.includes(s.layer) || threat?.crossLayer === true).toBe(true);
    expect(s.probability).toBeGreaterThan(0);
    expect(s.probability).toBeLessThanOrEqual(1);
    expect(s.relations.length).toBeGreaterThan(0);
    for (const r of s.relations) expect(EDGE_TYPES).toContain(r.edge);
    for (const k of [...s.from, ...s.to]) expect(ELEMENT_KINDS).toContain(k);
    if (s.access === 'read') expect(s.when).toEqual({ on: 'to', is: 'crown-jewel' });
  });

  it.each(STEP_KINDS.map((s) => [s.id, s] as const))('%s is documented in docs/propagation.md with its threat, technique, layer and probability', (_, s) => {
    const row = doc.split('\n').find((line) => line.startsWith(`| \`${s.id}\` |`));
    expect(row, `no table row for ${s.id}`).toBeDefined();
    expect(row).toContain(` ${s.threat}`);
    expect(row).toContain(`${s.atlas.id} ${s.atlas.name}`);
    expect(row).toContain(`| ${s.layer} |`);
    expect(row).toContain(`| ${s.access ?? 'control'} |`);
    expect(row?.trimEnd().endsWith(`| ${s.probability} |`)).toBe(true);
  });

  it('documents no step kind that does not exist', () => {
    const ids = new Set(STEP_KINDS.map((s) => s.id));
    const table = doc.slice(doc.indexOf('## Step kinds'), doc.indexOf('### What is deliberately not a step'));
    const rows = [...table.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]);
    expect(rows.length).toBe(STEP_KINDS.length);
    for (const r of rows) expect(ids.has(r ?? '')).toBe(true);
  });

  it('every step kind is produced by the all-steps fixture', () => {
    const graph = buildPropagation(fixture('all-steps.yaml'), catalogue);
    const seen = new Set<string>();
    for (const k of graph.kinds) seen.add(STEP_KINDS[k]?.id ?? '');
    expect([...STEP_KINDS.map((s) => s.id)].filter((id) => !seen.has(id))).toEqual([]);
  });

  it('control status: implemented gives the reduction, partial its square root, planned nothing', () => {
    expect(statusFactor(0.36, 'implemented')).toBe(0.36);
    expect(statusFactor(0.36, undefined)).toBe(0.36);
    expect(statusFactor(0.36, 'partial')).toBeCloseTo(0.6, 12);
    expect(statusFactor(0.36, 'planned')).toBe(1);
  });
});

describe('entry kinds', () => {
  // buildPropagation asks entryReason only for ENTRY_KINDS: a kind entryReason learns to name must be
  // added there too, or its entry sources would silently disappear.
  const hostile = {
    trust: 'untrusted',
    role: 'public',
    origin: 'external',
    type: 'browser',
    publisher: { trust: 'unknown' },
    package: { name: 'x' },
    pinned: false,
    signature: { signed: false },
    sideEffects: ['read'],
  };
  const stub = (kind: string) => ({ graph: { specs: [hostile] }, kindOf: () => kind }) as unknown as ResolvedModel;
  it.each(ELEMENT_KINDS.map((k) => [k]))('%s', (kind) => {
    const reason = entryReason(stub(kind), 0);
    if (ENTRY_KINDS.has(kind)) expect(reason).toBeTypeOf('string');
    else expect(reason).toBeUndefined();
  });
});
