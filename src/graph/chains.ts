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
import { FloatBuffer, IntBuffer, MaxPairHeap } from './buffers.js';
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

/** a before b in a node's out-edge order: higher score, then lower target, then lower edge id. */
function edgeBefore(a: number, b: number, score: Float64Array, targets: Int32Array): boolean {
  const sa = score[a] ?? 0;
  const sb = score[b] ?? 0;
  if (sa !== sb) return sa > sb;
  const ta = targets[a] ?? 0;
  const tb = targets[b] ?? 0;
  if (ta !== tb) return ta < tb;
  return a < b;
}

/** Stable bottom-up merge sort of edge ids by edgeBefore (a strict total order: any sort agrees). */
function sortEdges(es: Int32Array, score: Float64Array, targets: Int32Array): Int32Array {
  const n = es.length;
  let src: Int32Array = es;
  let dst: Int32Array = new Int32Array(n);
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(n, lo + width);
      const hi = Math.min(n, lo + 2 * width);
      let i = lo;
      let j = mid;
      let o = lo;
      while (i < mid && j < hi) {
        const a = src[i] ?? 0;
        const b = src[j] ?? 0;
        if (edgeBefore(b, a, score, targets)) {
          dst[o++] = b;
          j++;
        } else {
          dst[o++] = a;
          i++;
        }
      }
      while (i < mid) dst[o++] = src[i++] ?? 0;
      while (j < hi) dst[o++] = src[j++] ?? 0;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  return src;
}

/**
 * The best-first search of findChains: path prefixes (items) stored as parent-linked lists in typed
 * buffers, and a binary heap of queue entries (extend an item by its cursor-th sorted out-edge, or,
 * cursor -1, a finished chain). Ordered by key, then finished chains first, then insertion order.
 */
class ChainSearch {
  readonly itNode = new IntBuffer(1024);
  readonly itParent = new IntBuffer(1024);
  readonly itEdge = new IntBuffer(1024);
  readonly itDepth = new IntBuffer(1024);
  readonly itG = new FloatBuffer(1024);
  readonly enItem = new IntBuffer(1024);
  readonly enCursor = new IntBuffer(1024);
  readonly enKey = new FloatBuffer(1024);
  private heap = new Int32Array(1024);
  heapSize = 0;
  depthCut = false;
  private readonly sortedCache = new Map<number, Int32Array>();
  private readonly score: Float64Array;
  private readonly targets: Int32Array;
  private readonly probability: Float64Array;
  private readonly offsets: Int32Array;
  private readonly isEntry: Uint8Array;
  private readonly isJewel: Uint8Array;
  private readonly nodeAccess: Uint8Array;
  private readonly nodeElement: Int32Array;

  constructor(
    graph: PropagationGraph,
    private readonly h: Float64Array,
    private readonly maxDepth: number,
  ) {
    this.targets = graph.targets;
    this.probability = graph.probability;
    this.offsets = graph.offsets;
    this.isEntry = graph.isEntry;
    this.isJewel = graph.isJewel;
    this.nodeAccess = graph.nodeAccess;
    this.nodeElement = graph.nodeElement;
    this.score = new Float64Array(graph.edgeCount);
  }

  private before(a: number, b: number): boolean {
    const ka = this.enKey.get(a);
    const kb = this.enKey.get(b);
    if (ka !== kb) return ka > kb;
    const da = this.enCursor.get(a) === -1;
    const db = this.enCursor.get(b) === -1;
    if (da !== db) return da;
    return a < b;
  }

  private heapPush(x: number): void {
    if (this.heapSize === this.heap.length) {
      const next = new Int32Array(this.heap.length * 2);
      next.set(this.heap);
      this.heap = next;
    }
    const a = this.heap;
    let i = this.heapSize++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const ph = a[p] ?? 0;
      if (!this.before(x, ph)) break;
      a[i] = ph;
      i = p;
    }
    a[i] = x;
  }

  heapPop(): number {
    const a = this.heap;
    const top = a[0] ?? 0;
    const last = a[--this.heapSize] ?? 0;
    const n = this.heapSize;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && this.before(a[r] ?? 0, a[l] ?? 0)) c = r;
      const ch = a[c] ?? 0;
      if (!this.before(ch, last)) break;
      a[i] = ch;
      i = c;
    }
    if (n > 0) a[i] = last;
    return top;
  }

  /** Out-edges worth following, best first: target can reach a jewel and is not another entry source. */
  sortedOut(u: number): Int32Array {
    const cached = this.sortedCache.get(u);
    if (cached) return cached;
    const { offsets, targets, h, isEntry, probability, score } = this;
    const start = offsets[u] ?? 0;
    const end = offsets[u + 1] ?? 0;
    let count = 0;
    for (let e = start; e < end; e++) {
      const w = targets[e] ?? 0;
      if ((h[w] ?? 0) > 0 && isEntry[w] !== 1) count++;
    }
    const es = new Int32Array(count);
    let at = 0;
    for (let e = start; e < end; e++) {
      const w = targets[e] ?? 0;
      if ((h[w] ?? 0) > 0 && isEntry[w] !== 1) {
        es[at++] = e;
        score[e] = (probability[e] ?? 0) * (h[w] ?? 0);
      }
    }
    const list = sortEdges(es, score, targets);
    this.sortedCache.set(u, list);
    return list;
  }

  pushEntry(item: number, cursor: number, key: number): void {
    this.enItem.push(item);
    this.enCursor.push(cursor);
    this.heapPush(this.enKey.push(key));
  }

  private onPath(item: number, element: number): boolean {
    const { itParent, itNode, nodeElement } = this;
    for (let x = item; x >= 0; x = itParent.get(x)) if (nodeElement[itNode.get(x)] === element) return true;
    return false;
  }

  nextCursor(item: number, from: number): number {
    const list = this.sortedOut(this.itNode.get(item));
    const { targets, nodeElement } = this;
    for (let c = from; c < list.length; c++) {
      const w = targets[list[c] ?? 0] ?? 0;
      if (!this.onPath(item, nodeElement[w] ?? -1)) return c;
    }
    return -1;
  }

  extensionKey(item: number, cursor: number): number {
    const e = this.sortedOut(this.itNode.get(item))[cursor] ?? 0;
    return this.itG.get(item) * (this.probability[e] ?? 0) * (this.h[this.targets[e] ?? 0] ?? 0);
  }

  createItem(node: number, parent: number, edge: number, depth: number, gval: number): void {
    this.itNode.push(node);
    this.itParent.push(parent);
    this.itEdge.push(edge);
    this.itDepth.push(depth);
    const id = this.itG.push(gval);
    if (depth >= 1 && this.isJewel[node] === 1) this.pushEntry(id, -1, gval);
    if (this.nodeAccess[node] === ACCESS_READ) return;
    const c = this.nextCursor(id, 0);
    if (c < 0) return;
    if (depth < this.maxDepth) this.pushEntry(id, c, this.extensionKey(id, c));
    else this.depthCut = true;
  }

  /** Extend item by its cursor-th sorted out-edge, and queue its next extension. */
  expand(item: number, cursor: number): void {
    const e = this.sortedOut(this.itNode.get(item))[cursor] ?? 0;
    this.createItem(this.targets[e] ?? 0, item, e, this.itDepth.get(item) + 1, this.itG.get(item) * (this.probability[e] ?? 0));
    const next = this.nextCursor(item, cursor + 1);
    if (next >= 0) this.pushEntry(item, next, this.extensionKey(item, next));
  }

  chainOf(item: number): Chain {
    const depth = this.itDepth.get(item);
    const nodes = new Int32Array(depth + 1);
    const edges = new Int32Array(depth);
    let x = item;
    for (let i = depth; i >= 0; i--) {
      nodes[i] = this.itNode.get(x);
      if (i > 0) edges[i - 1] = this.itEdge.get(x);
      x = this.itParent.get(x);
    }
    return { probability: this.itG.get(item), nodes, edges };
  }
}

export function findChains(graph: PropagationGraph, options: ChainOptions = {}, h: Float64Array = bestCompletion(graph)): { chains: Chain[]; stats: ChainStats } {
  const K = positiveInt(options.k, DEFAULT_CHAIN_OPTIONS.k, 1_000_000);
  const maxDepth = positiveInt(options.maxDepth, DEFAULT_CHAIN_OPTIONS.maxDepth, 255);
  const budget = positiveInt(options.budget, DEFAULT_CHAIN_OPTIONS.budget, 1e9);
  const search = new ChainSearch(graph, h, maxDepth);
  for (const s of graph.entrySources) {
    if ((h[s] ?? 0) <= 0) continue;
    if (maxDepth > 0) search.createItem(s, -1, -1, 0, 1);
    else search.depthCut = true;
  }
  const chains: Chain[] = [];
  const cutBy: ChainCut[] = [];
  const explored = runSearch(search, chains, cutBy, K, budget);
  if (search.depthCut) cutBy.push('depth');
  cutBy.sort();
  chains.sort(compareChains);
  return { chains, stats: { k: K, maxDepth, budget, explored, truncated: cutBy.length > 0, cutBy } };
}

/**
 * The search loop; returns the expansions performed. After K chains the search goes on only until it
 * can tell whether a (K+1)-th exists: `k` is then reported when one does (or when the budget runs out
 * before it can tell).
 */
function runSearch(search: ChainSearch, chains: Chain[], cutBy: ChainCut[], K: number, budget: number): number {
  let explored = 0;
  while (search.heapSize > 0) {
    const top = search.heapPop();
    const item = search.enItem.get(top);
    const cursor = search.enCursor.get(top);
    if (cursor === -1) {
      if (chains.length >= K) {
        cutBy.push('k');
        break;
      }
      chains.push(search.chainOf(item));
      continue;
    }
    if (explored >= budget) {
      cutBy.push(chains.length >= K ? 'k' : 'budget');
      break;
    }
    explored++;
    search.expand(item, cursor);
  }
  return explored;
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
