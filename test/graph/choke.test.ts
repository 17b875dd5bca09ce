/** Choke points: dominators on a diamond and against brute force, chain crossings, control suggestions. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateSystem, TOPOLOGIES } from '../../bench/gen.js';
import { analyseCrossLayer } from '../../src/graph/index.js';
import { buildPropagation, type PropagationGraph } from '../../src/graph/propagation.js';
import { dominators } from '../../src/graph/choke.js';
import { catalogue, fixture, resolve } from './helpers.js';

/** Can `target` be reached from any entry source without passing through `removed`? */
function reachableWithout(graph: PropagationGraph, removed: number, target: number): boolean {
  const seen = new Uint8Array(graph.nodeCount);
  const queue: number[] = [];
  for (const s of graph.entrySources) if (s !== removed) {
    seen[s] = 1;
    queue.push(s);
  }
  for (let h = 0; h < queue.length; h++) {
    const u = queue[h]!;
    if (u === target) return true;
    for (let e = graph.offsets[u]!; e < graph.offsets[u + 1]!; e++) {
      const w = graph.targets[e]!;
      if (w === removed || seen[w] === 1) continue;
      seen[w] = 1;
      queue.push(w);
    }
  }
  return false;
}

describe('choke points', () => {
  it('on a diamond, the fork and the join dominate the crown jewel; the branches do not', () => {
    const m = fixture('diamond.yaml');
    const r = analyseCrossLayer(m, catalogue);
    const dom = (id: string) => r.dominatedJewels[m.indexOf(id)];
    expect(['e', 'a', 'b', 'c', 'd', 'vault_tool'].map(dom)).toEqual([1, 1, 0, 0, 1, 0]);
    expect(r.view.chokePoints.dominators.map((d) => [d.id, d.crownJewels])).toEqual([
      ['a', ['vault_tool']],
      ['d', ['vault_tool']],
      ['e', ['vault_tool']],
    ]);
    // Two chains, one through each branch; a, d, e and the jewel are on both.
    expect(r.view.chains.map((c) => c.steps.map((s) => s.to).join('>'))).toEqual(['a>b>d>vault_tool', 'a>c>d>vault_tool']);
    expect(r.view.chokePoints.crossings.map((x) => [x.id, x.chains])).toEqual([
      ['a', 2],
      ['d', 2],
      ['e', 2],
      ['vault_tool', 2],
      ['b', 1],
      ['c', 1],
    ]);
  });

  it('dominators agree with brute force (remove the node, is the jewel still reachable?)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 1e6 }), fc.constantFrom(...TOPOLOGIES), (agents, seed, topology) => {
        const graph = buildPropagation(resolve(generateSystem({ agents, seed, topology })), catalogue);
        const d = dominators(graph);
        for (const j of graph.crownJewels) {
          if ((d.idom[j] ?? -1) < 0) {
            expect(reachableWithout(graph, -1, j)).toBe(false);
            continue;
          }
          const chain = new Set<number>();
          for (let x = d.idom[j]!; x !== d.root; x = d.idom[x]!) chain.add(x);
          for (let v = 0; v < graph.nodeCount; v++) {
            if (v === j) continue;
            expect(chain.has(v), `node ${v} dominates jewel ${j}`).toBe(!reachableWithout(graph, v, j));
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('suggests the controls that weaken the most chains, with alternatives', () => {
    const m = fixture('diamond.yaml');
    const view = analyseCrossLayer(m, catalogue).view;
    const first = view.suggestions[0]!;
    // Steps into a (T6), d (X-excessive-agency-chained-authorization) and vault_tool (T2) are on both chains.
    expect(first.chains).toEqual([1, 2]);
    expect(['a', 'd', 'vault_tool']).toContain(first.element);
    expect(first.crownJewels).toEqual(['vault_tool']);
    expect(first.reduction).toBeLessThan(1);
    expect(catalogue.patterns.get(first.pattern)?.mitigates.some((t) => first.threats.includes(t))).toBe(true);
    // One entry per (element, chains): the rest are alternatives.
    const keys = view.suggestions.map((s) => `${s.element}|${s.chains.join(',')}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const s of view.suggestions) for (const alt of s.alternatives) expect(catalogue.patterns.has(alt)).toBe(true);
  });

  it('does not suggest a pattern already implemented on the step', () => {
    const m = fixture('known-chain.yaml');
    const before = analyseCrossLayer(m, catalogue).view.suggestions;
    const top = before[0]!;
    const graph = buildPropagation(m, catalogue);
    expect(graph.patternIds).toContain(top.pattern);
    const withControl = resolve({
      ...(m.model as object),
      controls: [{ id: 'added', pattern: top.pattern, appliesTo: [top.element], status: 'implemented' }],
    } as typeof m.model);
    const after = analyseCrossLayer(withControl, catalogue).view.suggestions;
    expect(after.some((s) => s.pattern === top.pattern && s.element === top.element)).toBe(false);
    expect(after.flatMap((s) => s.alternatives.map((a) => `${a}@${s.element}`))).not.toContain(`${top.pattern}@${top.element}`);
  });
});
