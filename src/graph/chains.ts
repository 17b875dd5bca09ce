/**
 * Top-K attack chains: the most likely simple paths from an entry source to a crown jewel, where a
 * chain's likelihood is the product of its step probabilities.
 *
 * Best-first (A*) search over simple paths. `h(v)`, the best product from v to any crown jewel
 * ignoring simplicity and depth, is an upper bound on how a path through v can end, so chains come out
 * of the queue most likely first and the search can stop after K. Successors of a node are tried
 * lazily, best first (each queue entry extends a path by its next-best out-edge), so every expansion
 * adds at most two queue entries: memory and time stay proportional to the budget even at a hub with
 * ten thousand out-edges. A chain never passes through another entry source: the chain that starts
 * there is at least as likely and is found on its own.
 *
 * Bounds: K chains, maxDepth steps per chain, `budget` expansions; `stats.cutBy` says which bound
 * stopped the search while more could have been found. Deterministic: ties break by insertion order,
 * which follows node order.
 */
import { FloatBuffer, Heap, IntBuffer, MaxPairHeap } from './buffers.js';
import { ACCESS_READ, type PropagationGraph } from './propagation.js';

export interface ChainOptions {
  /** Chains to return (default 10). */
  readonly k?: number;
  /** Steps per chain at most (default 8). */
  readonly maxDepth?: number;
  /** Path expansions at most (default 100,000). */
  readonly budget?: number;
}

export interface Chain {
  /** Product of the step probabilities. */
  readonly probability: number;
  /** Nodes from the entry source to the crown jewel (steps + 1 of them). */
  readonly nodes: Int32Array;
  /** Edge ids of the propagation graph, one per step. */
  readonly edges: Int32Array;
}

export type ChainCut = 'k' | 'depth' | 'budget';

export interface ChainStats {
  readonly k: number;
  readonly maxDepth: number;
  readonly budget: number;
  /** Path expansions performed. */
  readonly explored: number;
  /** A bound stopped the search while more chains could have been found. */
  readonly truncated: boolean;
  readonly cutBy: ChainCut[];
}

export const DEFAULT_CHAIN_OPTIONS = { k: 10, maxDepth: 8, budget: 100_000 } as const;

/**
 * h(v): the highest product of probabilities along any path from v to a crown jewel (1 at a jewel,
 * 0 when no jewel is reachable). Max-product Dijkstra backwards from the jewels; iterative.
 */
export function bestCompletion(graph: PropagationGraph): Float64Array {
  const N = graph.nodeCount;
  const h = new Float64Array(N);
  const settled = new Uint8Array(N);
  const heap = new MaxPairHeap(N + 16);
  for (const j of graph.crownJewels) {
    h[j] = 1;
    heap.push(1, j);
  }
  const { inOffsets, inEdges, sources, probability } = graph;
  while (heap.size > 0) {
    const v = heap.pop();
    if (settled[v] === 1) continue;
    settled[v] = 1;
    const hv = h[v] ?? 0;
    const end = inOffsets[v + 1] ?? 0;
    for (let k = inOffsets[v] ?? 0; k < end; k++) {
      const e = inEdges[k] ?? 0;
      const w = sources[e] ?? 0;
      if (settled[w] === 1) continue;
      const cand = (probability[e] ?? 0) * hv;
      if (cand > (h[w] ?? 0)) {
        h[w] = cand;
        heap.push(cand, w);
      }
    }
  }
  return h;
}

/**
 * g(v): the highest product of probabilities along any path from an entry source to v (1 at an entry
 * source, 0 when none reaches v). Max-product Dijkstra forwards from the entries; iterative. With
 * bestCompletion, g(v) * h(v) is the likelihood of the best chain through v: a measure that can only
 * fall when a control is added (unlike membership in the top-K, which re-ranks).
 *
 * Both searches settle each node at the exact maximum over its paths (every step multiplies by a
 * probability <= 1, and a correctly rounded product never exceeds its factor), so the order in which
 * equal keys leave the queue cannot change the result.
 */
export function bestFromEntries(graph: PropagationGraph): Float64Array {
  const N = graph.nodeCount;
  const g = new Float64Array(N);
  const settled = new Uint8Array(N);
  const heap = new MaxPairHeap(N + 16);
  for (const v of graph.entrySources) {
    g[v] = 1;
    heap.push(1, v);
  }
  const { offsets, targets, probability } = graph;
  while (heap.size > 0) {
    const v = heap.pop();
    if (settled[v] === 1) continue;
    settled[v] = 1;
    const gv = g[v] ?? 0;
    const end = offsets[v + 1] ?? 0;
    for (let e = offsets[v] ?? 0; e < end; e++) {
      const w = targets[e] ?? 0;
      if (settled[w] === 1) continue;
      const cand = (probability[e] ?? 0) * gv;
      if (cand > (g[w] ?? 0)) {
        g[w] = cand;
        heap.push(cand, w);
      }
    }
  }
  return g;
}

function positiveInt(v: number | undefined, fallback: number, max: number): number {
  if (v === undefined || !Number.isFinite(v)) return fallback;
  return Math.max(0, Math.min(max, Math.floor(v)));
}

export function findChains(graph: PropagationGraph, options: ChainOptions = {}, h: Float64Array = bestCompletion(graph)): { chains: Chain[]; stats: ChainStats } {
  const K = positiveInt(options.k, DEFAULT_CHAIN_OPTIONS.k, 1_000_000);
  const maxDepth = positiveInt(options.maxDepth, DEFAULT_CHAIN_OPTIONS.maxDepth, 255);
  const budget = positiveInt(options.budget, DEFAULT_CHAIN_OPTIONS.budget, 1e9);
  const { targets, probability, offsets, isEntry, isJewel, nodeAccess, nodeElement } = graph;

  // Out-edges worth following, best first: target can reach a jewel and is not another entry source.
  const sortedCache = new Map<number, Int32Array>();
  const sortedOut = (u: number): Int32Array => {
    let list = sortedCache.get(u);
    if (list) return list;
    const es: number[] = [];
    for (let e = offsets[u] ?? 0; e < (offsets[u + 1] ?? 0); e++) {
      const w = targets[e] ?? 0;
      if ((h[w] ?? 0) > 0 && isEntry[w] !== 1) es.push(e);
    }
    const score = (e: number) => (probability[e] ?? 0) * (h[targets[e] ?? 0] ?? 0);
    es.sort((a, b) => score(b) - score(a) || (targets[a] ?? 0) - (targets[b] ?? 0) || a - b);
    list = Int32Array.from(es);
    sortedCache.set(u, list);
    return list;
  };

  // Search items: a path prefix, stored as a parent-linked list.
  const itNode = new IntBuffer(1024);
  const itParent = new IntBuffer(1024);
  const itEdge = new IntBuffer(1024);
  const itDepth = new IntBuffer(1024);
  const itG = new FloatBuffer(1024);
  // Queue entries: extend item by its cursor-th sorted out-edge, or (cursor -1) a finished chain.
  const enItem = new IntBuffer(1024);
  const enCursor = new IntBuffer(1024);
  const enKey = new FloatBuffer(1024);
  const heap = new Heap((a, b) => {
    const ka = enKey.get(a);
    const kb = enKey.get(b);
    if (ka !== kb) return ka > kb;
    const da = enCursor.get(a) === -1;
    const db = enCursor.get(b) === -1;
    if (da !== db) return da;
    return a < b;
  }, 1024);
  const pushEntry = (item: number, cursor: number, key: number) => {
    enItem.push(item);
    enCursor.push(cursor);
    heap.push(enKey.push(key));
  };

  const onPath = (item: number, element: number): boolean => {
    for (let x = item; x >= 0; x = itParent.get(x)) if (nodeElement[itNode.get(x)] === element) return true;
    return false;
  };
  const nextCursor = (item: number, from: number): number => {
    const list = sortedOut(itNode.get(item));
    for (let c = from; c < list.length; c++) {
      const w = targets[list[c] ?? 0] ?? 0;
      if (!onPath(item, nodeElement[w] ?? -1)) return c;
    }
    return -1;
  };
  const extensionKey = (item: number, cursor: number): number => {
    const e = sortedOut(itNode.get(item))[cursor] ?? 0;
    return itG.get(item) * (probability[e] ?? 0) * (h[targets[e] ?? 0] ?? 0);
  };

  let depthCut = false;
  const createItem = (node: number, parent: number, edge: number, depth: number, gval: number) => {
    itNode.push(node);
    itParent.push(parent);
    itEdge.push(edge);
    itDepth.push(depth);
    const id = itG.push(gval);
    if (depth >= 1 && isJewel[node] === 1) pushEntry(id, -1, gval);
    if (nodeAccess[node] === ACCESS_READ) return;
    const c = nextCursor(id, 0);
    if (c < 0) return;
    if (depth < maxDepth) pushEntry(id, c, extensionKey(id, c));
    else depthCut = true;
  };

  for (const s of graph.entrySources) {
    if ((h[s] ?? 0) <= 0) continue;
    if (maxDepth > 0) createItem(s, -1, -1, 0, 1);
    else depthCut = true;
  }

  const chains: Chain[] = [];
  const cutBy: ChainCut[] = [];
  let explored = 0;
  // After K chains the search goes on only until it can tell whether a (K+1)-th exists: `k` is then
  // reported when one does (or when the budget runs out before it can tell).
  while (heap.size > 0) {
    const top = heap.pop();
    const item = enItem.get(top);
    const cursor = enCursor.get(top);
    if (cursor === -1) {
      if (chains.length >= K) {
        cutBy.push('k');
        break;
      }
      chains.push(chainOf(item));
      continue;
    }
    if (explored >= budget) {
      cutBy.push(chains.length >= K ? 'k' : 'budget');
      break;
    }
    explored++;
    const e = sortedOut(itNode.get(item))[cursor] ?? 0;
    createItem(targets[e] ?? 0, item, e, itDepth.get(item) + 1, itG.get(item) * (probability[e] ?? 0));
    const next = nextCursor(item, cursor + 1);
    if (next >= 0) pushEntry(item, next, extensionKey(item, next));
  }
  if (depthCut) cutBy.push('depth');
  cutBy.sort();

  function chainOf(item: number): Chain {
    const depth = itDepth.get(item);
    const nodes = new Int32Array(depth + 1);
    const edges = new Int32Array(depth);
    let x = item;
    for (let i = depth; i >= 0; i--) {
      nodes[i] = itNode.get(x);
      if (i > 0) edges[i - 1] = itEdge.get(x);
      x = itParent.get(x);
    }
    return { probability: itG.get(item), nodes, edges };
  }

  chains.sort(compareChains);
  return { chains, stats: { k: K, maxDepth, budget, explored, truncated: cutBy.length > 0, cutBy } };
}

/** Most likely first; ties by the node sequence (lexicographic), so the order is total. */
export function compareChains(a: Chain, b: Chain): number {
  if (a.probability !== b.probability) return b.probability - a.probability;
  const n = Math.min(a.nodes.length, b.nodes.length);
  for (let i = 0; i < n; i++) {
    const d = (a.nodes[i] ?? 0) - (b.nodes[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.nodes.length - b.nodes.length;
}
