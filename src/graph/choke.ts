/**
 * Choke points: where one defence cuts the most attack paths.
 * (a) chain crossings: how many of the top-K chains pass through each element;
 * (b) dominators: with a virtual super-source feeding every entry source, a node d dominates a crown
 *     jewel j when every path from any entry source to j passes through d. Iterative Semi-NCA
 *     (semidominators with path compression, then nearest common ancestors) on a depth-first
 *     numbering computed with an explicit stack: one pass, where Cooper-Harvey-Kennedy iterated
 *     over the whole graph three or four times on the benchmark models;
 * (c) control suggestions: (pattern, element) pairs implied by chain steps (the pattern mitigates the
 *     step's threat and would sit on the step's target), with the chains they weaken, the jewels they
 *     protect and how much chain likelihood they remove.
 */
import { compareStrings } from './buffers.js';
import type { Chain } from './chains.js';
import type { PropagationGraph } from './propagation.js';
import { STEP_KINDS } from './semantics.js';

/** Number of chains crossing each element (an element counts once per chain; ends included). */
export function chainCounts(graph: PropagationGraph, chains: readonly Chain[]): Int32Array {
  const counts = new Int32Array(graph.elementCount);
  const stamp = new Int32Array(graph.elementCount).fill(-1);
  const nodeElement = graph.nodeElement;
  for (let ci = 0; ci < chains.length; ci++) {
    const chain = chains[ci];
    if (!chain) continue;
    for (const v of chain.nodes) {
      const e = nodeElement[v] ?? 0;
      if (stamp[e] === ci) continue;
      stamp[e] = ci;
      counts[e] = (counts[e] ?? 0) + 1;
    }
  }
  return counts;
}

export interface Dominators {
  /** Index of the virtual super-source (= nodeCount). */
  readonly root: number;
  /** Immediate dominator of each node (root for nodes only the super-source dominates), -1 if unreachable. Length nodeCount + 1. */
  readonly idom: Int32Array;
  /** Nodes reachable from an entry source, in reverse post-order (root first). */
  readonly rpo: Int32Array;
  /** Crown-jewel nodes each node strictly dominates. Length nodeCount + 1. */
  readonly jewelCount: Int32Array;
}

interface DfsNumbering {
  /** Preorder number of each node (super-source included), -1 when unreachable. */
  readonly pre: Int32Array;
  /** Node of each preorder number. */
  readonly vertex: Int32Array;
  /** Preorder number of each preorder number's depth-first parent. */
  readonly parent: Int32Array;
  /** Nodes reachable from an entry source, in reverse post-order (root first). */
  readonly rpo: Int32Array;
  /** Nodes numbered. */
  readonly nc: number;
}

/**
 * One iterative depth-first search from the super-source gives both numberings: preorder (for the
 * semidominators) and reverse post-order (the order the result lists). Successors of the
 * super-source are the entry sources; of a node, its out-edges' targets, in edge order.
 */
function dfsNumbering(graph: PropagationGraph): DfsNumbering {
  const N = graph.nodeCount;
  const S = N;
  const { offsets, targets, entrySources } = graph;
  const entryCount = entrySources.length;
  const pre = new Int32Array(N + 1).fill(-1);
  const vertex = new Int32Array(N + 1);
  const parent = new Int32Array(N + 1);
  const post = new Int32Array(N + 1);
  let pc = 0;
  let nc = 0;
  const stackNode = new Int32Array(N + 1);
  const stackCur = new Int32Array(N + 1);
  let sp = 0;
  pre[S] = nc;
  vertex[nc] = S;
  parent[nc++] = 0;
  stackNode[0] = S;
  stackCur[sp++] = 0;
  while (sp > 0) {
    const v = stackNode[sp - 1] ?? 0;
    const k = stackCur[sp - 1] ?? 0;
    const end = v === S ? entryCount : (offsets[v + 1] ?? 0);
    if (k < end) {
      stackCur[sp - 1] = k + 1;
      const w = v === S ? (entrySources[k] ?? 0) : (targets[k] ?? 0);
      if (pre[w] !== -1) continue;
      pre[w] = nc;
      vertex[nc] = w;
      parent[nc++] = pre[v] ?? 0;
      stackNode[sp] = w;
      stackCur[sp++] = w === S ? 0 : (offsets[w] ?? 0);
    } else {
      post[pc++] = v;
      sp--;
    }
  }
  const rpo = new Int32Array(pc);
  for (let i = 0; i < pc; i++) rpo[i] = post[pc - 1 - i] ?? 0;
  return { pre, vertex, parent, rpo, nc };
}

/**
 * Semi-NCA (Georgiadis; Lengauer-Tarjan semidominators, then nearest common ancestors on the
 * partial tree): one pass over the in-edges in reverse preorder with iterative path compression,
 * then one pass in preorder. Works on preorder numbers; the dominator tree is unique, so the result
 * is the same as any other dominance algorithm's.
 */
class SemiNca {
  readonly semi: Int32Array;
  private readonly label: Int32Array;
  private readonly anc: Int32Array;
  private readonly path: Int32Array;
  constructor(nc: number) {
    this.semi = new Int32Array(nc);
    this.label = new Int32Array(nc);
    this.anc = new Int32Array(nc).fill(-1);
    this.path = new Int32Array(nc);
    for (let i = 0; i < nc; i++) {
      this.semi[i] = i;
      this.label[i] = i;
    }
  }

  /** The vertex of least semidominator on the forest path above x (x itself when x is a root). */
  evaluate(x: number): number {
    const { anc, semi, label, path } = this;
    if (anc[x] === -1) return x;
    // Collect the path up to the child of the forest root, then compress it top-down.
    let len = 0;
    let y = x;
    while ((anc[anc[y] ?? 0] ?? -1) !== -1) {
      path[len++] = y;
      y = anc[y] ?? 0;
    }
    for (let k = len - 1; k >= 0; k--) {
      const z = path[k] ?? 0;
      const a = anc[z] ?? 0;
      if ((semi[label[a] ?? 0] ?? 0) < (semi[label[z] ?? 0] ?? 0)) label[z] = label[a] ?? 0;
      anc[z] = anc[a] ?? -1;
    }
    return label[x] ?? x;
  }

  /** Semidominators, in reverse preorder. */
  semidominators(graph: PropagationGraph, dfs: DfsNumbering): void {
    const { inOffsets, inEdges, sources, isEntry } = graph;
    const { pre, vertex, parent, nc } = dfs;
    const { semi, anc } = this;
    for (let i = nc - 1; i >= 1; i--) {
      const w = vertex[i] ?? 0;
      let s = semi[i] ?? i;
      if (isEntry[w] === 1) s = 0; // the super-source (preorder 0) is a predecessor of every entry source
      const end = inOffsets[w + 1] ?? 0;
      for (let k = inOffsets[w] ?? 0; k < end; k++) {
        const v = pre[sources[inEdges[k] ?? 0] ?? 0] ?? -1;
        if (v < 0) continue;
        const u = semi[this.evaluate(v)] ?? v;
        if (u < s) s = u;
      }
      semi[i] = s;
      anc[i] = parent[i] ?? 0;
    }
  }
}

/** Immediate dominators from the semidominators (nearest common ancestors), by node. */
function immediateDominators(N: number, dfs: DfsNumbering, semi: Int32Array): Int32Array {
  const { vertex, parent, nc } = dfs;
  const S = N;
  const idomNum = new Int32Array(nc);
  for (let i = 1; i < nc; i++) {
    let d = parent[i] ?? 0;
    const s = semi[i] ?? 0;
    while (d > s) d = idomNum[d] ?? 0;
    idomNum[i] = d;
  }
  const idom = new Int32Array(N + 1).fill(-1);
  idom[S] = S;
  for (let i = 1; i < nc; i++) idom[vertex[i] ?? 0] = vertex[idomNum[i] ?? 0] ?? S;
  return idom;
}

/** Jewels in each dominator subtree (children come after parents in RPO). */
function subtreeJewels(N: number, rpo: Int32Array, idom: Int32Array, isJewel: Uint8Array): Int32Array {
  const S = N;
  const pc = rpo.length;
  const total = new Int32Array(N + 1);
  const jewelCount = new Int32Array(N + 1);
  for (let i = pc - 1; i >= 1; i--) {
    const v = rpo[i] ?? 0;
    const own = isJewel[v] === 1 ? 1 : 0;
    total[v] = (total[v] ?? 0) + own;
    jewelCount[v] = (total[v] ?? 0) - own;
    const d = idom[v] ?? S;
    total[d] = (total[d] ?? 0) + (total[v] ?? 0);
  }
  jewelCount[S] = total[S] ?? 0;
  return jewelCount;
}

export function dominators(graph: PropagationGraph): Dominators {
  const N = graph.nodeCount;
  const dfs = dfsNumbering(graph);
  const sn = new SemiNca(dfs.nc);
  sn.semidominators(graph, dfs);
  const idom = immediateDominators(N, dfs, sn.semi);
  const jewelCount = subtreeJewels(N, dfs.rpo, idom, graph.isJewel);
  return { root: N, idom, rpo: dfs.rpo, jewelCount };
}

/** Children lists of the dominator tree (CSR), built once per Dominators object. */
const childLists = new WeakMap<Dominators, { start: Int32Array; children: Int32Array }>();

function dominatorChildren(N: number, dom: Dominators): { start: Int32Array; children: Int32Array } {
  const cached = childLists.get(dom);
  if (cached) return cached;
  const start = new Int32Array(N + 2);
  for (const v of dom.rpo) if (v !== dom.root) start[(dom.idom[v] ?? 0) + 1] = (start[(dom.idom[v] ?? 0) + 1] ?? 0) + 1;
  for (let i = 0; i <= N; i++) start[i + 1] = (start[i + 1] ?? 0) + (start[i] ?? 0);
  const children = new Int32Array(dom.rpo.length);
  const fill = start.slice(0, N + 1);
  for (const v of dom.rpo) {
    if (v === dom.root) continue;
    const p = dom.idom[v] ?? 0;
    const at = fill[p] ?? 0;
    children[at] = v;
    fill[p] = at + 1;
  }
  const lists = { start, children };
  childLists.set(dom, lists);
  return lists;
}

/** Crown-jewel nodes strictly dominated by node d, in dominator-tree order, at most `limit`. */
export function dominatedJewels(graph: PropagationGraph, dom: Dominators, d: number, limit = 50): number[] {
  const { start: childCount, children } = dominatorChildren(graph.nodeCount, dom);
  const out: number[] = [];
  const stack: number[] = [d];
  while (stack.length > 0 && out.length < limit) {
    const v = stack.pop() ?? 0;
    if (v !== d && graph.isJewel[v] === 1) out.push(v);
    for (let k = (childCount[v + 1] ?? 0) - 1; k >= (childCount[v] ?? 0); k--) stack.push(children[k] ?? 0);
  }
  return out.sort((a, b) => a - b);
}

export interface Suggestion {
  /** Pattern index into graph.patternIds. */
  readonly pattern: number;
  /** Element the control would protect (the step target). */
  readonly element: number;
  /** Indexes of the chains it weakens. */
  readonly chains: number[];
  /** Crown-jewel elements at the end of those chains. */
  readonly jewels: number[];
  /** Threats of the steps it mitigates. */
  readonly threats: string[];
  /** Sum over those chains of (probability now − probability with the control). */
  readonly likelihoodRemoved: number;
}

/**
 * Controls to add first: for each chain step, each catalogue pattern that mitigates the step's threat
 * and is not already fully in place on it, placed on the step's target. Ranked by chains weakened,
 * then likelihood removed, then jewels protected, then pattern and element id.
 */
export function suggestControls(graph: PropagationGraph, chains: readonly Chain[], ids: readonly string[]): Suggestion[] {
  const P = graph.patternIds.length;
  const n = graph.elementCount;
  interface Acc {
    pattern: number;
    element: number;
    chains: number[];
    jewels: Set<number>;
    threats: Set<string>;
    removed: number;
    chainFactor: number;
  }
  const acc = new Map<number, Acc>();
  for (let ci = 0; ci < chains.length; ci++) {
    const chain = chains[ci];
    if (!chain) continue;
    const touched: Acc[] = [];
    const jewel = graph.nodeElement[chain.nodes[chain.nodes.length - 1] ?? 0] ?? 0;
    for (const e of chain.edges) {
      const kind = graph.kinds[e] ?? 0;
      const target = graph.nodeElement[graph.targets[e] ?? 0] ?? 0;
      for (let p = 0; p < P; p++) {
        if (graph.mitigates[kind * P + p] !== 1) continue;
        const reduction = graph.patternReduction[p] ?? 1;
        let current = 1;
        for (let k = graph.controlOffsets[e] ?? 0; k < (graph.controlOffsets[e + 1] ?? 0); k++) if (graph.controlPatterns[k] === p) current = graph.controlFactors[k] ?? 1;
        if (current <= reduction) continue;
        const key = p * n + target;
        let a = acc.get(key);
        if (!a) {
          a = { pattern: p, element: target, chains: [], jewels: new Set(), threats: new Set(), removed: 0, chainFactor: 1 };
          acc.set(key, a);
        }
        if (a.chains[a.chains.length - 1] !== ci) {
          a.chains.push(ci);
          a.chainFactor = 1;
          touched.push(a);
        }
        a.chainFactor *= reduction / current;
        a.jewels.add(jewel);
        a.threats.add(STEP_KINDS[kind]?.threat ?? '');
      }
    }
    for (const a of touched) a.removed += chain.probability * (1 - a.chainFactor);
  }
  const list: Suggestion[] = [...acc.values()].map((a) => ({
    pattern: a.pattern,
    element: a.element,
    chains: a.chains,
    jewels: [...a.jewels].sort((x, y) => x - y),
    threats: [...a.threats].sort(compareStrings),
    likelihoodRemoved: a.removed,
  }));
  list.sort(
    (a, b) =>
      b.chains.length - a.chains.length ||
      b.likelihoodRemoved - a.likelihoodRemoved ||
      b.jewels.length - a.jewels.length ||
      compareStrings(graph.patternIds[a.pattern] ?? '', graph.patternIds[b.pattern] ?? '') ||
      compareStrings(ids[a.element] ?? '', ids[b.element] ?? ''),
  );
  return list;
}
