import { describe, expect, it } from 'vitest';
import { loadModelText } from '../../src/model/load.js';
import { resolveModel, elementsPerLayer } from '../../src/model/resolve.js';
import { EDGE_TYPES } from '../../src/model/references.js';
import { STARTER_MODEL } from '../../src/model/starter.js';

const base = 'version: "1.0"\nsystem:\n  name: t\n';
const codes = (text: string) => loadModelText(text, { file: 'm.yaml' }).diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`);

describe('loadModelText', () => {
  it('loads the starter model with no diagnostics', () => {
    const r = loadModelText(STARTER_MODEL, { file: 'maestro.yaml' });
    expect(r.diagnostics).toEqual([]);
    expect(r.model?.system.name).toBe('My agent system');
  });

  it('reports a missing required field at the parent with a hint', () => {
    const r = loadModelText('version: "1.0"\nagents: []\n', { file: 'm.yaml' });
    expect(r.model).toBeUndefined();
    const d = r.diagnostics.find((x) => x.code === 'E_MISSING_FIELD');
    expect(d?.message).toContain('"system"');
    expect(d?.hint).toBeTruthy();
    expect(d?.file).toBe('m.yaml');
  });

  it('suggests the nearest enum value and the nearest id', () => {
    const r = loadModelText(base + 'models:\n  - id: gpt_main\nagents:\n  - id: a\n    autonomy: supervisd\n    models: [gpt_mian]\n');
    const e = r.diagnostics.find((d) => d.code === 'E_SCHEMA_ENUM');
    expect(e?.hint).toContain('"supervised"');
    expect(e?.line).toBe(8);
    const u = r.diagnostics.find((d) => d.code === 'E_UNKNOWN_REF');
    expect(u?.hint).toContain('"gpt_main"');
    expect(u?.line).toBe(9);
  });

  it('rejects a reference to the wrong kind of element', () => {
    expect(codes(base + 'humans:\n  - id: h\nagents:\n  - id: a\n    models: [h]\n')).toContain('E_REF_KIND@8:14');
  });

  it('keeps unknown fields, warns at the key, and is silent for x- fields', () => {
    const r = loadModelText(base + 'agents:\n  - id: a\n    autonmy: full\n    x-team: blue\n');
    expect(r.model).toBeDefined();
    expect((r.model?.agents?.[0] as Record<string, unknown>)['autonmy']).toBe('full');
    expect(r.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual(['W_UNKNOWN_FIELD@6:5']);
    expect(r.diagnostics[0]?.hint).toContain('"autonomy"');
  });

  it('positions JSON diagnostics too', () => {
    const r = loadModelText('{\n  "version": "1.0",\n  "system": {"name": "t"},\n  "agents": [{"id": "a", "autonomy": 7}]\n}\n', { file: 'm.json' });
    const d = r.diagnostics[0];
    expect(d?.code).toBe('E_SCHEMA_ENUM');
    expect([d?.line, d?.column]).toEqual([4, 38]);
  });

  it('rejects duplicate ids across sections, naming the first use', () => {
    const r = loadModelText(base + 'agents:\n  - id: x\ntools:\n  - id: x\n');
    const d = r.diagnostics.find((x) => x.code === 'E_DUPLICATE_ID');
    expect(d?.line).toBe(7);
    expect(d?.hint).toContain('/agents/0/id');
  });

  it('rejects cyclic deployments as well as cyclic boundaries', () => {
    expect(codes(base + 'deployments:\n  - {id: d1, parent: d2}\n  - {id: d2, parent: d1}\n').some((c) => c.startsWith('E_DEPLOYMENT_CYCLE'))).toBe(true);
  });

  it('never throws, whatever the input', () => {
    for (const text of ['', '---', '[]', '42', 'null', '{', '"', ':', '- - -', 'version: 1\nsystem: 1', '\u0000', '!!binary AAAA']) {
      const r = loadModelText(text, { file: 'm.yaml' });
      expect(r.model).toBeUndefined();
      expect(r.diagnostics.length).toBeGreaterThan(0);
      for (const d of r.diagnostics) expect(d.hint).toBeTruthy();
    }
  });
});

describe('resolveModel', () => {
  const text = `${base}models:
  - id: llm
agents:
  - id: a
    models: [llm]
    tools: [t, {ref: s, scopes: [read]}]
    memory: {reads: [mem], writes: [mem]}
    delegatesTo: [b]
    boundary: zone
  - id: b
    models: [llm]
tools:
  - id: t
mcpServers:
  - id: s
memories:
  - id: mem
    type: vector-store
channels:
  - {id: c, from: a, to: b, direction: bidirectional}
boundaries:
  - id: zone
controls:
  - {id: ctl, appliesTo: [a]}
`;

  it('numbers elements and stores typed edges in both directions', () => {
    const r = loadModelText(text);
    expect(r.diagnostics).toEqual([]);
    const res = resolveModel(r.model!);
    const g = res.graph;
    expect(g.size).toBe(9);
    const a = res.indexOf('a');
    const outTypes: string[] = [];
    for (let k = g.outOffsets[a]!; k < g.outOffsets[a + 1]!; k++) {
      const e = g.outEdges[k]!;
      outTypes.push(`${EDGE_TYPES[g.edgeType[e]!]}->${g.ids[g.edgeDst[e]!]}`);
    }
    expect(outTypes.sort()).toEqual(
      ['uses-model->llm', 'invokes->t', 'invokes->s', 'reads->mem', 'writes->mem', 'delegates->b', 'in-boundary->zone', 'channel->b', 'protected-by->ctl'].sort(),
    );
    // The bidirectional channel also goes b -> a, labelled with the channel element.
    const b = res.indexOf('b');
    let back = -1;
    for (let k = g.outOffsets[b]!; k < g.outOffsets[b + 1]!; k++) if (g.edgeDst[g.outEdges[k]!] === a) back = g.outEdges[k]!;
    expect(back).toBeGreaterThanOrEqual(0);
    expect(g.ids[g.edgeVia[back]!]).toBe('c');
    expect(g.boundary[a]).toBe(res.indexOf('zone'));
    // In-edges mirror out-edges.
    let inCount = 0;
    for (let i = 0; i < g.size; i++) inCount += g.inOffsets[i + 1]! - g.inOffsets[i]!;
    expect(inCount).toBe(g.edgeCount);
  });

  it('counts elements per layer', () => {
    const res = resolveModel(loadModelText(text).model!);
    expect(elementsPerLayer(res.graph)).toEqual([1, 1, 4, 0, 0, 2, 1]);
    expect(res.layerOf(res.indexOf('llm'))).toBe('L1');
    expect(Array.from(res.ofKind('agent')).map((i) => res.graph.ids[i])).toEqual(['a', 'b']);
  });

  it('handles a 100,000-agent pipeline without recursion', () => {
    const n = 100_000;
    const agents = Array.from({ length: n }, (_, i) => ({ id: `a${i}`, ...(i + 1 < n ? { delegatesTo: [`a${i + 1}`] } : {}) }));
    const r = loadModelText(JSON.stringify({ version: '1.0', system: { name: 'p' }, agents }), { format: 'json' });
    expect(r.diagnostics).toEqual([]);
    const res = resolveModel(r.model!);
    expect(res.graph.edgeCount).toBe(n - 1);
  });
});
