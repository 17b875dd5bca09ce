/**
 * Dominators (Semi-NCA in choke.ts) against the textbook definition computed independently: the
 * dominator sets of the data-flow equations Dom(v) = {v} ∪ ⋂ Dom(p) over the predecessors p of v
 * (the super-source feeding every entry source), iterated to a fixed point as bitsets; the immediate
 * dominator is the strict dominator with the largest set. Medium-sized generated systems of every
 * topology, where the small brute-force property in choke.test.ts cannot reach.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateSystem, TOPOLOGIES } from '../../bench/gen.js';
import { dominators } from '../../src/graph/choke.js';
import { buildPropagation, type PropagationGraph } from '../../src/graph/propagation.js';
import { catalogue, resolve } from './helpers.js';

function referenceIdom(graph: PropagationGraph): Int32Array {
  const N = graph.nodeCount;
  const S = N;
  const words = (N + 1 + 31) >>> 5;
  // Reachable from the super-source.
  const reach = new Uint8Array(N + 1);
  reach[S] = 1;
  const queue: number[] = [...graph.entrySources];
  for (const s of queue) reach[s] = 1;
  for (let h = 0; h < queue.length; h++) {
    const u = queue[h]!;
    for (let e = graph.offsets[u]!; e < graph.offsets[u + 1]!; e++) {
      const w = graph.targets[e]!;
      if (reach[w] === 1) continue;
      reach[w] = 1;
      queue.push(w);
    }
  }
  const dom: Uint32Array[] = [];
  for (let v = 0; v <= N; v++) dom.push(new Uint32Array(words).fill(v === S ? 0 : 0xffffffff));
  dom[S]![S >>> 5] = 1 << (S & 31);
  const next = new Uint32Array(words);
  let changed = true;
  while (changed) {
    changed = false;
    for (let v = 0; v < N; v++) {
      if (reach[v] !== 1) continue;
      next.fill(0xffffffff);
      const meet = (p: number) => {
        const d = dom[p]!;
        for (let w = 0; w < words; w++) next[w]! &= d[w]!;
      };
      if (graph.isEntry[v] === 1) meet(S);
      for (let k = graph.inOffsets[v]!; k < graph.inOffsets[v + 1]!; k++) {
        const p = graph.sources[graph.inEdges[k]!]!;
        if (reach[p] === 1) meet(p);
      }
      next[v >>> 5]! |= 1 << (v & 31);
      const cur = dom[v]!;
      for (let w = 0; w < words; w++) {
        if (cur[w] !== next[w]) {
          cur.set(next);
          changed = true;
          break;
        }
      }
    }
  }
  const size = (v: number) => {
    let c = 0;
    for (const x of dom[v]!) for (let y = x; y !== 0; y &= y - 1) c++;
    return c;
  };
  const idom = new Int32Array(N + 1).fill(-1);
  idom[S] = S;
  for (let v = 0; v < N; v++) {
    if (reach[v] !== 1) continue;
    let best = -1;
    let bestSize = -1;
    for (let d = 0; d <= N; d++) {
      if (d === v || ((dom[v]![d >>> 5]! >>> (d & 31)) & 1) === 0) continue;
      const s = size(d);
      if (s > bestSize) {
        best = d;
        bestSize = s;
      }
    }
    idom[v] = best;
  }
  return idom;
}

/** A bare propagation graph from an edge list (only what `dominators` reads). */
function bareGraph(n: number, edges: readonly (readonly [number, number])[], entries: readonly number[]): PropagationGraph {
  const list = [...new Map(edges.filter(([a, b]) => a !== b).map(([a, b]) => [`${a}>${b}`, [a, b] as const])).values()].sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const offsets = new Int32Array(n + 1);
  for (const [a] of list) offsets[a + 1]!++;
  for (let i = 0; i < n; i++) offsets[i + 1]! += offsets[i]!;
  const sources = Int32Array.from(list.map((e) => e[0]));
  const targets = Int32Array.from(list.map((e) => e[1]));
  const inOffsets = new Int32Array(n + 1);
  for (const [, b] of list) inOffsets[b + 1]!++;
  for (let i = 0; i < n; i++) inOffsets[i + 1]! += inOffsets[i]!;
  const fill = inOffsets.slice(0, n);
  const inEdges = new Int32Array(list.length);
  list.forEach(([, b], e) => (inEdges[fill[b]!++] = e));
  const isEntry = new Uint8Array(n);
  for (const s of entries) isEntry[s] = 1;
  const entrySources = Int32Array.from([...new Set(entries)].sort((a, b) => a - b));
  return { nodeCount: n, offsets, targets, sources, inOffsets, inEdges, isEntry, entrySources, isJewel: new Uint8Array(n) } as unknown as PropagationGraph;
}

describe('dominators (Semi-NCA)', () => {
  it('match the data-flow definition on random directed graphs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 40 }).chain((n) =>
          fc.tuple(
            fc.constant(n),
            fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 4 * n }),
            fc.array(fc.nat(n - 1), { minLength: 1, maxLength: 3 }),
          ),
        ),
        ([n, edges, entries]) => {
          const graph = bareGraph(n, edges, entries);
          expect(Array.from(dominators(graph).idom)).toEqual(Array.from(referenceIdom(graph)));
        },
      ),
      { numRuns: 300 },
    );
  });

  for (const topology of TOPOLOGIES) {
    it(`match the data-flow definition on ${topology} systems`, () => {
      for (const [agents, seed] of [
        [40, 3],
        [120, 11],
      ] as const) {
        const graph = buildPropagation(resolve(generateSystem({ agents, seed, topology })), catalogue);
        const d = dominators(graph);
        const ref = referenceIdom(graph);
        expect(Array.from(d.idom)).toEqual(Array.from(ref));
        // Reverse post-order: every reachable node once, the super-source first, each node after its idom.
        expect(d.rpo[0]).toBe(d.root);
        expect(d.rpo.length).toBe(ref.filter((x) => x >= 0).length);
        const at = new Int32Array(graph.nodeCount + 1).fill(-1);
        d.rpo.forEach((v, i) => (at[v] = i));
        for (const v of d.rpo) if (v !== d.root) expect(at[d.idom[v]!]!).toBeLessThan(at[v]!);
      }
    });
  }
});
