/** diffModels and its renderers, in-process over the pull-request fixture and small models. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadModelText } from '../../src/model/load.js';
import { resolveModel } from '../../src/model/resolve.js';
import { analyse } from '../../src/engine/analyse.js';
import { RULES } from '../../src/rules/index.js';
import { loadCatalogue } from '../../src/io/catalogue.js';
import { diffModels, sideOf, stepKey, renderDiffJson, renderDiffMarkdown, renderDiffText, MD_SECTION_LIMIT, type DiffSide, type ModelDiff } from '../../src/diff/index.js';
import { ACCESS_READ, buildPropagation } from '../../src/graph/index.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/pr-change/${name}`, import.meta.url), 'utf8');

function side(label: string, text: string): DiffSide {
  const res = loadModelText(text, { file: label });
  if (!res.model) throw new Error(JSON.stringify(res.diagnostics));
  const resolved = resolveModel(res.model);
  return sideOf(label, resolved, analyse(resolved, loadCatalogue().catalogue, RULES).analysis);
}

describe('diffModels on the pull-request fixture', () => {
  const before = side('before.yaml', fixture('before.yaml'));
  const after = side('after.yaml', fixture('after.yaml'));
  const d = diffModels(before, after);

  it('lists the added agent, shell tool and boundary with kind and layer', () => {
    expect(d.elements.added).toEqual([
      { id: 'ops_agent', kind: 'agent', layer: 'L3' },
      { id: 'ops_shell', kind: 'tool', layer: 'L3' },
      { id: 'ops_zone', kind: 'boundary', layer: 'L6' },
    ]);
    expect(d.elements.removed).toEqual([]);
  });

  it('lists new findings by id (highest residual first) and the new chain to the shell', () => {
    const ids = d.findings.new.map((f) => f.id);
    expect(ids).toContain('code-execution-without-sandbox@ops_shell');
    expect(ids).toContain('delegation-escalates-privilege@support_agent');
    for (let i = 1; i < d.findings.new.length; i++) expect(d.findings.new[i - 1]!.residual).toBeGreaterThanOrEqual(d.findings.new[i]!.residual);
    expect(d.findings.gone).toEqual([]);
    expect(d.chains.new.map((c) => c.path.join(' > '))).toContain('chat > support_agent > ops_agent > ops_shell');
    expect(d.chains.gone).toEqual([]);
    expect(d.totals.after.residualTotal).toBeGreaterThan(d.totals.before.residualTotal);
    expect(d.unchanged).toBe(false);
  });

  it('the reverse change shows the same things as gone', () => {
    const r = diffModels(after, before);
    expect(r.elements.removed.map((e) => e.id)).toEqual(d.elements.added.map((e) => e.id));
    expect(r.findings.gone.map((f) => f.id).sort()).toEqual(d.findings.new.map((f) => f.id).sort());
    expect(r.chains.gone.map((c) => c.path.join(' > ')).sort()).toEqual(d.chains.new.map((c) => c.path.join(' > ')).sort());
  });

  it('a model against itself is unchanged, and rendering is byte-identical across runs', () => {
    const same = diffModels(before, side('before.yaml', fixture('before.yaml')));
    expect(same.unchanged).toBe(true);
    expect(renderDiffText(same)).toContain('No change');
    const again = diffModels(side('before.yaml', fixture('before.yaml')), side('after.yaml', fixture('after.yaml')));
    expect(renderDiffJson(again)).toBe(renderDiffJson(d));
    expect(renderDiffMarkdown(again)).toBe(renderDiffMarkdown(d));
  });
});

describe('controls', () => {
  const model = (ctl: string) => `version: "1.0"
system: { name: s }
agents:
  - id: a
    tools: [t]
tools:
  - id: t
    type: shell
    controls: [${ctl}]
controls:
  - id: sandbox
    pattern: code-sandbox
    status: implemented
  - id: approval
    pattern: human-approval
    status: implemented
`;
  it('reports a removed control and one downgraded from implemented to planned', () => {
    const before = side('b.yaml', model('sandbox, approval'));
    const afterText = model('approval').replace('  - id: sandbox\n    pattern: code-sandbox\n    status: implemented\n', '').replace('pattern: human-approval\n    status: implemented', 'pattern: human-approval\n    status: planned');
    const d = diffModels(before, side('a.yaml', afterText));
    expect(d.controls.removed).toEqual([{ id: 'sandbox', pattern: 'code-sandbox', status: 'implemented' }]);
    expect(d.controls.weakened).toEqual([{ id: 'approval', pattern: 'human-approval', before: 'implemented', after: 'planned' }]);
    expect(d.elements.removed.map((e) => e.id)).toEqual(['sandbox']);
    expect(renderDiffText(d)).toMatch(/Controls removed \(1\):\n {2}- sandbox {2}code-sandbox {2}\(implemented\)/);
  });
});

describe('renderers keep untrusted text inert', () => {
  const hostile = 'evil|`x`</sub><script>alert(1)</script>[a](javascript:x)\u001b[31m\u202e';
  const diff: ModelDiff = {
    schemaVersion: 1,
    before: { label: hostile, system: 's' },
    after: { label: 'HEAD:m.yaml', system: 's' },
    elements: { added: [{ id: hostile, kind: 'agent', layer: 'L3' }], removed: [] },
    findings: {
      new: Array.from({ length: MD_SECTION_LIMIT + 10 }, (_, i) => ({ id: `r@e${String(i).padStart(3, '0')}`, rule: 'r', element: hostile, layer: 'L3', severity: 'high', status: 'open', residual: 5, band: 'medium' as const })),
      gone: [],
      changed: [],
    },
    chains: { new: [{ path: [hostile, 'b'], probability: 0.5, target: 'b', targetKind: 'tool' }], gone: [], rose: [], fell: [], note: 'n' },
    controls: { removed: [], weakened: [] },
    totals: {
      before: { findings: 0, open: 0, residualTotal: 0, byResidualBand: { low: 0, medium: 0, high: 0, critical: 0 }, chains: 0, elements: 0 },
      after: { findings: 60, open: 60, residualTotal: 300, byResidualBand: { low: 0, medium: 60, high: 0, critical: 0 }, chains: 1, elements: 1 },
    },
    unchanged: false,
  };

  it('Markdown: no raw HTML, no table-breaking pipe, no control characters; long sections are capped', () => {
    const md = renderDiffMarkdown(diff);
    expect(md).toContain('<script>'); // present, but only inside code spans, where GitHub shows it literally:
    const outsideCode = md.replace(/(`+)[\s\S]*?(?<!`)\1(?!`)/g, '');
    expect(outsideCode).not.toContain('<script>');
    expect(outsideCode).not.toContain('javascript:');
    expect(outsideCode).not.toContain('</sub><');
    expect(md).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u202e]/); // eslint-disable-line no-control-regex
    // Every table row keeps its column count: escaped pipes do not split cells.
    for (const line of md.split('\n').filter((l) => l.startsWith('| `r@e'))) expect(line.replace(/\\\|/g, '').split('|').length).toBe(7);
    expect(md.split('\n').filter((l) => l.startsWith('| `r@e')).length).toBe(MD_SECTION_LIMIT);
    expect(md).toContain('… and 10 more');
    expect(md.startsWith('<!-- maestro-tm:diff -->\n')).toBe(true);
  });

  it('text: control and bidi characters are shown as escapes', () => {
    const text = renderDiffText(diff);
    expect(text).not.toMatch(/[\u001b\u202e]/); // eslint-disable-line no-control-regex
    expect(text).toContain('\\u001b[31m');
  });
});

describe('chains that only change rank', () => {
  const cat = loadCatalogue().catalogue;
  /** A side analysed with the top `k` chains, with (or without) the steps its model allows, as the CLI builds it. */
  function sideK(label: string, text: string, k: number, withSteps: boolean): DiffSide {
    const res = loadModelText(text, { file: label });
    if (!res.model) throw new Error(JSON.stringify(res.diagnostics));
    const resolved = resolveModel(res.model);
    const analysis = analyse(resolved, cat, RULES, { crossLayer: { k } }).analysis;
    if (!withSteps) return sideOf(label, resolved, analysis);
    const g = buildPropagation(resolved, cat);
    const ids = resolved.graph.ids;
    const steps = new Set<string>();
    for (let e = 0; e < g.edgeCount; e++) {
      const v = g.targets[e] ?? 0;
      steps.add(stepKey(ids[g.nodeElement[g.sources[e] ?? 0] ?? 0] ?? '', ids[g.nodeElement[v] ?? 0] ?? '', g.nodeAccess[v] === ACCESS_READ ? 'read' : 'control'));
    }
    return sideOf(label, resolved, analysis, steps);
  }

  // Two equally likely chains; after, an approval on the payment tool lowers one, so the top chain changes.
  const BEFORE = [
    'version: "1.0"',
    'system: { name: rank }',
    'entryPoints: [{ id: chat, type: user-input, trust: untrusted, target: helper }]',
    'agents: [{ id: helper, models: [llm], tools: [pay_tool, wipe_tool] }]',
    'models: [{ id: llm, provider: p }]',
    'tools:',
    '  - { id: pay_tool, sideEffects: [payment] }',
    '  - { id: wipe_tool, sideEffects: [delete] }',
    '',
  ].join('\n');
  const AFTER = BEFORE.replace('{ id: pay_tool, sideEffects: [payment] }', '{ id: pay_tool, sideEffects: [payment], controls: [ctl_approval] }') + 'controls: [{ id: ctl_approval, pattern: human-approval, status: implemented }]\n';
  const paths = (cs: readonly { path: readonly string[] }[]) => cs.map((c) => c.path.join(' > '));

  it('a chain a control pushes out of the top K is listed as fallen, not gone, and the one taking its place as risen, not new', () => {
    const d = diffModels(sideK('before.yaml', BEFORE, 1, true), sideK('after.yaml', AFTER, 1, true));
    expect(paths(d.chains.fell)).toEqual(['chat > helper > pay_tool']);
    expect(paths(d.chains.rose)).toEqual(['chat > helper > wipe_tool']);
    expect(d.chains.new).toEqual([]);
    expect(d.chains.gone).toEqual([]);
    expect(d.unchanged).toBe(false);
    expect(renderDiffText(d)).toContain('out of the top ranks (still possible)');
    expect(renderDiffMarkdown(d)).toContain('now in the top ranks (possible before too)');
    // Without the steps of each side (a library caller that did not compute them), the old reading stays.
    const blind = diffModels(sideK('before.yaml', BEFORE, 1, false), sideK('after.yaml', AFTER, 1, false));
    expect(paths(blind.chains.gone)).toEqual(['chat > helper > pay_tool']);
    expect(paths(blind.chains.new)).toEqual(['chat > helper > wipe_tool']);
    expect(blind.chains.note).toContain('can appear or go because its rank changed');
  });

  it('a chain through an element that did not exist is still new, and gone in the reverse diff', () => {
    const d = diffModels(sideK('b', fixture('before.yaml'), 10, true), sideK('a', fixture('after.yaml'), 10, true));
    expect(paths(d.chains.new)).toContain('chat > support_agent > ops_agent > ops_shell');
    expect(d.chains.rose).toEqual([]);
    const r = diffModels(sideK('a', fixture('after.yaml'), 10, true), sideK('b', fixture('before.yaml'), 10, true));
    expect(paths(r.chains.gone)).toEqual(paths(d.chains.new));
    expect(r.chains.fell).toEqual([]);
  });
});
