/** Mermaid diagrams: escaped labels, generated ids, one diagram per chain, clustering for large systems. */
import { describe, expect, it } from 'vitest';
import { generateSystem } from '../../bench/gen.js';
import { analyse } from '../../src/engine/analyse.js';
import { resolveModel } from '../../src/model/resolve.js';
import { RULES } from '../../src/rules/index.js';
import { MAX_NODES, mermaidText, renderMermaid } from '../../src/reporters/mermaid/index.js';
import type { ReportContext } from '../../src/reporters/index.js';
import { TEST_VERSION, analysed, catalogue } from './_support.js';

const blocks = (md: string): string[] => [...md.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1] ?? '');

describe('mermaidText', () => {
  it('writes every character that could end a label, open a directive or a link as an entity', () => {
    expect(mermaidText('a"b')).toBe('a#34;b');
    expect(mermaidText('%%{init: {}}%%')).toBe('#37;#37;#123;init#58; #123;#125;#125;#37;#37;');
    expect(mermaidText('<b>`x`</b>')).toBe('#60;b#62;#96;x#96;#60;/b#62;');
    expect(mermaidText('x]; click n0 call alert()')).toBe('x#93;#59; #99;lick n0 call alert()');
    expect(mermaidText('JavaScript:alert(1)')).toBe('#74;avaScript#58;alert(1)');
    expect(mermaidText('#quot;')).toBe('#35;quot#59;');
    expect(mermaidText('a\nb\u2028c')).toBe('a b c');
  });

  it('neutralises control and bidirectional characters and shortens long text', () => {
    expect(mermaidText('\u001b[31m\u202e')).toBe('#92;u001b#91;31m#92;u202e');
    const long = mermaidText('x'.repeat(500));
    expect(long.length).toBeLessThan(100);
    expect(long.endsWith('#8230;')).toBe(true);
  });
});

describe('system and chain diagrams', () => {
  const { analysis, ctx } = analysed('examples/mcp-client.yaml');
  const md = renderMermaid(analysis, ctx);
  const [system = '', ...chains] = blocks(md);

  it('draws each component once with a generated id, inside its layer', () => {
    const nodes = [...system.matchAll(/^ {4}(n\d+)\W/gm)].map((m) => m[1]);
    expect(new Set(nodes).size).toBe(nodes.length);
    for (const id of ['ide_assistant', 'coding_model', 'filesystem_server', 'workspace_repo', 'developer']) expect(system).toContain(` ${id}"`);
    // Control and boundary elements are structure, not drawn.
    for (const c of ctx.model.controls ?? []) expect(system).not.toContain(` ${c.id}"`);
    expect(system).not.toMatch(/^ {2,4}[a-z_]+[a-z]\[/m);
    expect(system).toMatch(/subgraph layer_L3\["L3 Agent Frameworks"\]/);
  });

  it('has one diagram per attack chain, entry and target marked', () => {
    expect(chains.length).toBe(analysis.crossLayer.chains.length);
    analysis.crossLayer.chains.forEach((c, i) => {
      const block = chains[i] ?? '';
      expect(block.match(/-->/g)?.length).toBe(c.steps.length);
      expect(block).toContain(`${c.source.id} (`);
      expect(block).toMatch(/class c0 entry/);
      for (const st of c.steps) expect(block).toContain(st.atlas.id);
    });
  });
});

describe('large systems', () => {
  const model = generateSystem({ agents: 300, seed: 7, topology: 'hub' });
  const { analysis } = analyse(resolveModel(model), catalogue, RULES, { crossLayer: { k: 2 } });
  const ctx: ReportContext = { catalogue, model, modelPath: 'generated.yaml', locate: () => undefined, toolVersion: TEST_VERSION };
  const md = renderMermaid(analysis, ctx);
  const system = blocks(md)[0] ?? '';

  it(`are clustered above ${MAX_NODES} elements: one node per kind and layer, relations counted`, () => {
    expect(system).not.toMatch(/^ {4}n\d+/m);
    const groups = [...system.matchAll(/^ {4}g\d+/gm)];
    expect(groups.length).toBeGreaterThan(2);
    expect(groups.length).toBeLessThan(40);
    expect(system).toMatch(/"\d+ agents"/);
    expect(system).toMatch(/#215;\d+"\|/);
    expect(md).toContain('grouped by kind and layer');
    expect(system.split('\n').length).toBeLessThan(300);
  });

  it('a small system is not clustered', () => {
    const small = generateSystem({ agents: 5, seed: 7 });
    const a = analyse(resolveModel(small), catalogue, RULES, { crossLayer: { k: 1 } }).analysis;
    const out = blocks(renderMermaid(a, { ...ctx, model: small }))[0] ?? '';
    expect(out).toMatch(/^ {4}n\d+/m);
    expect(out).not.toMatch(/^ {4}g\d+/m);
  });
});
