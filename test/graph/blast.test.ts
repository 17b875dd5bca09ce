/** Blast radius: a known graph, agreement with brute-force BFS, blocks and limits, cascades, 100k pipeline. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateSystem, TOPOLOGIES } from '../../bench/gen.js';
import { analyseCrossLayer } from '../../src/graph/index.js';
import { buildPropagation, type PropagationGraph } from '../../src/graph/propagation.js';
import { blastRadius, cascadeFrom } from '../../src/graph/blast.js';
import { stronglyConnected } from '../../src/graph/scc.js';
import { resolveModel, type ResolvedModel } from '../../src/model/resolve.js';
import type { ModelFile } from '../../src/model/schema.js';
import { catalogue, fixture, resolve } from './helpers.js';

/** Reach by plain BFS from an element's node: distinct elements, itself excluded. */
function bruteReach(graph: PropagationGraph, start: number): Set<number> {
  const seen = new Uint8Array(graph.nodeCount);
  const queue = [start];
  seen[start] = 1;
  const elements = new Set<number>();
  for (let h = 0; h < queue.length; h++) {
    const u = queue[h]!;
    elements.add(graph.nodeElement[u]!);
    for (let e = graph.offsets[u]!; e < graph.offsets[u + 1]!; e++) {
      const w = graph.targets[e]!;
      if (seen[w] === 1) continue;
      seen[w] = 1;
      queue.push(w);
    }
  }
  elements.delete(start);
  return elements;
}

function jewelMask(graph: PropagationGraph): Uint8Array {
  const mask = new Uint8Array(graph.elementCount);
  for (let i = 0; i < graph.elementCount; i++) if (graph.jewelReasons[i]) mask[i] = 1;
  return mask;
}

describe('blast radius', () => {
  it('on the known-chain fixture: what falls, crown jewels and layers', () => {
    const m = fixture('known-chain.yaml');
    const r = analyseCrossLayer(m, catalogue);
    const at = (id: string) => {
      const i = m.indexOf(id);
      return [r.blastReach[i], r.blastJewels[i]];
    };
    expect(at('reader_agent')).toEqual([3, 1]); // shared_notes, payments_agent, pay_tool
    expect(at('shared_notes')).toEqual([2, 1]); // payments_agent, pay_tool
    expect(at('payments_agent')).toEqual([1, 1]); // pay_tool
    expect(at('pay_tool')).toEqual([1, 0]); // payments_agent (poisoned tool results)
    const reader = r.view.blast.find((b) => b.id === 'reader_agent')!;
    expect(reader.byLayer).toEqual({ L1: 0, L2: 1, L3: 2, L4: 0, L5: 0, L6: 0, L7: 0 });
    expect(r.view.blast.map((b) => b.id)).toEqual(['reader_agent', 'shared_notes', 'payments_agent', 'pay_tool']);
  });

  it('the cascade shows who falls at each step, and by which step kind', () => {
    const m = fixture('known-chain.yaml');
    const r = analyseCrossLayer(m, catalogue);
    const c = r.cascade(m.indexOf('reader_agent'));
    expect(c.steps.map((s) => [s.depth, s.from, s.to, s.stepKind])).toEqual([
      [1, 'reader_agent', 'shared_notes', 'memory-poisoning'],
      [2, 'shared_notes', 'payments_agent', 'poisoned-memory-read'],
      [3, 'payments_agent', 'pay_tool', 'tool-invocation'],
    ]);
    expect(c.truncated).toBe(false);
    expect(r.cascade(m.indexOf('reader_agent'), 1).truncated).toBe(true);
    expect(r.view.cascades[0]!.root).toBe('reader_agent');
  });

  it('agrees with brute-force BFS on generated systems, with any block size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 14 }), fc.integer({ min: 1, max: 1e6 }), fc.constantFrom(...TOPOLOGIES), fc.constantFrom(64, 256, 4096, 1 << 25), (agents, seed, topology, blockBytes) => {
        const m = resolve(generateSystem({ agents, seed, topology }));
        const graph = buildPropagation(m, catalogue);
        const b = blastRadius(graph, m.graph.layers, jewelMask(graph), { blockBytes });
        expect(b.complete).toBe(true);
        for (let i = 0; i < graph.elementCount; i++) {
          const reach = bruteReach(graph, i);
          expect(b.reach[i]).toBe(reach.size);
          expect(b.jewels[i]).toBe([...reach].filter((e) => graph.jewelReasons[e]).length);
          for (let l = 0; l < 7; l++) expect(b.byLayer[i * 7 + l]).toBe([...reach].filter((e) => m.graph.layers[e] === l).length);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('a work limit stops at a block boundary and says so; counts are then lower bounds', () => {
    const m = resolve(generateSystem({ agents: 30, seed: 3, topology: 'dag' }));
    const graph = buildPropagation(m, catalogue);
    const full = blastRadius(graph, m.graph.layers, jewelMask(graph));
    const cut = blastRadius(graph, m.graph.layers, jewelMask(graph), { blockBytes: 64, workLimit: 0 });
    expect(full.complete).toBe(true);
    expect(cut.complete).toBe(false);
    expect(cut.blocks).toBe(1);
    for (let i = 0; i < graph.elementCount; i++) expect(cut.reach[i]).toBeLessThanOrEqual(full.reach[i]!);
  });

  it('components come out in reverse topological order', () => {
    const m = resolve(generateSystem({ agents: 40, seed: 9, topology: 'scale-free' }));
    const graph = buildPropagation(m, catalogue);
    const { comp } = stronglyConnected(graph.nodeCount, graph.offsets, graph.targets);
    for (let e = 0; e < graph.edgeCount; e++) expect(comp[graph.sources[e]!]).toBeGreaterThanOrEqual(comp[graph.targets[e]!]!);
  });

  it('a 100,000-agent pipeline runs without a stack overflow', () => {
    const n = 100_000;
    const agents: NonNullable<ModelFile['agents']> = [];
    const channels: NonNullable<ModelFile['channels']> = [];
    for (let i = 0; i < n; i++) agents.push({ id: `a${i}` });
    for (let i = 0; i + 1 < n; i++) channels.push({ id: `c${i}`, from: `a${i}`, to: `a${i + 1}`, direction: 'one-way' });
    agents[n - 1]!.tools = ['pay'];
    const model: ModelFile = { version: '1.0', system: { name: 'pipeline' }, agents, channels, tools: [{ id: 'pay', sideEffects: ['payment'] }], entryPoints: [{ id: 'in', target: 'a0', trust: 'untrusted' }] };
    const m: ResolvedModel = resolveModel(model);
    const r = analyseCrossLayer(m, catalogue, { cascadeTop: 1, cascadeLimit: 20 });
    expect(r.blastReach[m.indexOf('a0')]).toBe(n); // a1..a99999 and the tool
    expect(r.blastJewels[m.indexOf('a0')]).toBe(1);
    expect(r.view.chains).toEqual([]); // the jewel is 100,000 steps away
    expect(r.chainStats.cutBy).toEqual(['depth']);
    expect(r.view.cascades[0]!.steps).toHaveLength(20);
    // The dominator tree is a 100,000-deep path: every agent dominates the tool.
    expect(r.dominatedJewels[m.indexOf('a50000')]).toBe(1);
    expect(cascadeFrom(r.graph, m.indexOf('a0'), 1e9).nodes.length).toBe(n + 1);
  }, 120_000);
});
