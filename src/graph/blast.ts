/**
 * Blast radius: for every element, which elements fall if it is compromised, counted by layer and by
 * crown jewel. Reachability ignores probabilities (a path of any likelihood counts).
 *
 * Method: strongly connected components (iterative Tarjan), then reachability sets as bitsets over
 * the condensation DAG, successors first. Columns are elements (a read node shares its element's
 * column), grouped into 14 segments (crown jewels first, then the rest, each by layer) padded to whole
 * 32-bit words, so per-layer and crown-jewel counts are popcounts over word ranges. Columns are
 * processed in blocks sized so the rows of one block fit in `blockBytes`: memory stays bounded at any
 * size. A component that nothing reaches needs no stored row (it is counted from a scratch row, or,
 * with one successor, from that successor's counts). `workLimit` caps word operations: when a model is
 * so large that the full closure would exceed it, the remaining blocks are skipped, `complete` is
 * false and counts are lower bounds (crown-jewel columns come first, so they are covered first).
 */
import { countingGroups, IntBuffer, popcount32 } from './buffers.js';
import type { PropagationGraph } from './propagation.js';
import { stronglyConnected } from './scc.js';

export interface BlastOptions {
  /** Memory for one block of rows (default 32 MiB). */
  readonly blockBytes?: number;
  /** Word operations at most (default 4e9). */
  readonly workLimit?: number;
}

export interface BlastResult {
  /** Elements reachable from each element (itself excluded). */
  readonly reach: Int32Array;
  /** Crown-jewel elements reachable from each element (itself excluded). */
  readonly jewels: Int32Array;
  /** Reachable elements per layer: byLayer[element * 7 + layer]. */
  readonly byLayer: Int32Array;
  /** Component of each node. */
  readonly comp: Int32Array;
  readonly components: number;
  /** Columns (elements that some step can reach). */
  readonly columns: number;
  readonly blocks: number;
  readonly work: number;
  /** False when workLimit cut the computation: counts are then lower bounds. */
  readonly complete: boolean;
}

const SEGMENTS = 14;

/** Segment of an element column: crown jewels first (0-6), then the rest (7-13), each by layer. */
function segOf(jewelElement: Uint8Array, layers: Uint8Array, e: number): number {
  return (jewelElement[e] === 1 ? 0 : 7) + (layers[e] ?? 0);
}

interface Columns {
  /** Column of each element, -1 when no step reaches it. */
  readonly col: Int32Array;
  /** Segment of each 32-bit word. */
  readonly wordSeg: Uint8Array;
  /** Words per row. */
  readonly W: number;
  readonly columns: number;
}

/** Columns: elements some step reaches, by segment (jewel first, then layer), padded to words. */
function assignColumns(graph: PropagationGraph, layers: Uint8Array, jewelElement: Uint8Array): Columns {
  const n = graph.elementCount;
  const N = graph.nodeCount;
  const { inOffsets, nodeElement } = graph;
  const reachable = new Uint8Array(n);
  for (let v = 0; v < N; v++) if ((inOffsets[v + 1] ?? 0) > (inOffsets[v] ?? 0)) reachable[nodeElement[v] ?? 0] = 1;
  const segSize = new Int32Array(SEGMENTS);
  let columns = 0;
  for (let e = 0; e < n; e++) {
    if (reachable[e] !== 1) continue;
    const s = segOf(jewelElement, layers, e);
    segSize[s] = (segSize[s] ?? 0) + 1;
    columns++;
  }
  const segStart = new Int32Array(SEGMENTS + 1);
  for (let s = 0; s < SEGMENTS; s++) segStart[s + 1] = (segStart[s] ?? 0) + Math.ceil((segSize[s] ?? 0) / 32) * 32;
  const W = (segStart[SEGMENTS] ?? 0) >>> 5;
  const wordSeg = new Uint8Array(W);
  for (let s = 0; s < SEGMENTS; s++) for (let w = (segStart[s] ?? 0) >>> 5; w < (segStart[s + 1] ?? 0) >>> 5; w++) wordSeg[w] = s;
  const col = new Int32Array(n).fill(-1);
  const fill = segStart.slice(0, SEGMENTS);
  for (let e = 0; e < n; e++) {
    if (reachable[e] !== 1) continue;
    const s = segOf(jewelElement, layers, e);
    col[e] = fill[s] ?? 0;
    fill[s] = (fill[s] ?? 0) + 1;
  }
  return { col, wordSeg, W, columns };
}

interface Condensation {
  readonly comp: Int32Array;
  readonly C: number;
  readonly memberOffsets: Int32Array;
  readonly members: Int32Array;
  readonly succOffsets: Int32Array;
  readonly succ: Int32Array;
  readonly predCount: Int32Array;
  readonly hasReadMember: Uint8Array | null;
}

/** Condensation: members, distinct successors, predecessor counts, components with a read node. */
function condense(graph: PropagationGraph): Condensation {
  const n = graph.elementCount;
  const N = graph.nodeCount;
  const { offsets, targets, readNode } = graph;
  const { comp, count: C } = stronglyConnected(N, offsets, targets);
  // Members of each component (CSR by component).
  const { offsets: memberOffsets, order: members } = countingGroups(C, comp, N);
  const succOffsets = new Int32Array(C + 1);
  const succList = new IntBuffer(Math.max(16, C));
  const predCount = new Int32Array(C);
  const stamp = new Int32Array(C).fill(-1);
  let hasReadMember: Uint8Array | null = null;
  for (let c = 0; c < C; c++) {
    for (let k = memberOffsets[c] ?? 0; k < (memberOffsets[c + 1] ?? 0); k++) {
      const v = members[k] ?? 0;
      if (v < n && (readNode[v] ?? -1) >= 0) {
        hasReadMember ??= new Uint8Array(C);
        hasReadMember[c] = 1;
      }
      for (let e = offsets[v] ?? 0; e < (offsets[v + 1] ?? 0); e++) {
        const d = comp[targets[e] ?? 0] ?? 0;
        if (d === c || stamp[d] === c) continue;
        stamp[d] = c;
        succList.push(d);
        predCount[d] = (predCount[d] ?? 0) + 1;
      }
    }
    succOffsets[c + 1] = succList.length;
  }
  return { comp, C, memberOffsets, members, succOffsets, succ: succList.toArray(), predCount, hasReadMember };
}

interface Modes {
  /** 0 stored row (something reaches it), 1 scratch row, 2 = successor's counts + own, 3 = own only. */
  readonly mode: Uint8Array;
  readonly slot: Int32Array;
  readonly stored: number;
  readonly perWordWork: number;
}

function planModes(k: Condensation): Modes {
  const { C, succOffsets, predCount, hasReadMember } = k;
  const mode = new Uint8Array(C);
  const slot = new Int32Array(C).fill(-1);
  let stored = 0;
  let perWordWork = 0;
  for (let c = 0; c < C; c++) {
    const outs = (succOffsets[c + 1] ?? 0) - (succOffsets[c] ?? 0);
    if ((predCount[c] ?? 0) > 0) {
      mode[c] = 0;
      slot[c] = stored++;
    } else if (outs === 0) mode[c] = 3;
    else if (outs === 1 && hasReadMember?.[c] !== 1) mode[c] = 2;
    else mode[c] = 1;
    if (mode[c] === 0 || mode[c] === 1) perWordWork += outs + 1;
  }
  return { mode, slot, stored, perWordWork };
}

/** The closure over one block of words [w0, w1): every component with a row, successors first. */
class BlockCloser {
  readonly counts: Int32Array;
  readonly rows: Int32Array;
  readonly scratch: Int32Array;
  constructor(
    private readonly k: Condensation,
    private readonly m: Modes,
    private readonly cols: Columns,
    private readonly nodeElement: Int32Array,
    readonly wb: number,
  ) {
    this.counts = new Int32Array(k.C * SEGMENTS);
    this.rows = new Int32Array(m.stored * wb);
    this.scratch = new Int32Array(wb);
  }

  block(w0: number, w1: number): void {
    const { C } = this.k;
    const mode = this.m.mode;
    for (let c = 0; c < C; c++) {
      const md = mode[c];
      if (md === 2 || md === 3) continue;
      this.component(c, md === 0, w0, w1);
    }
  }

  private component(c: number, storedRow: boolean, w0: number, w1: number): void {
    const bw = w1 - w0;
    const wb = this.wb;
    const base = storedRow ? (this.m.slot[c] ?? 0) * wb : 0;
    const row = storedRow ? this.rows : this.scratch;
    row.fill(0, base, base + bw);
    this.ownColumns(c, row, base, w0, w1);
    this.orSuccessors(c, row, base, bw);
    this.countRow(c, row, base, w0, bw);
  }

  private ownColumns(c: number, row: Int32Array, base: number, w0: number, w1: number): void {
    const { memberOffsets, members } = this.k;
    const col = this.cols.col;
    const nodeElement = this.nodeElement;
    for (let k = memberOffsets[c] ?? 0; k < (memberOffsets[c + 1] ?? 0); k++) {
      const cc = col[nodeElement[members[k] ?? 0] ?? 0] ?? -1;
      if (cc < 0) continue;
      const w = cc >>> 5;
      if (w >= w0 && w < w1) row[base + w - w0] = (row[base + w - w0] ?? 0) | (1 << (cc & 31));
    }
  }

  private orSuccessors(c: number, row: Int32Array, base: number, bw: number): void {
    const { succOffsets, succ } = this.k;
    const slot = this.m.slot;
    const rows = this.rows;
    const wb = this.wb;
    for (let k = succOffsets[c] ?? 0; k < (succOffsets[c + 1] ?? 0); k++) {
      const sb = (slot[succ[k] ?? 0] ?? 0) * wb;
      for (let i = 0; i < bw; i++) row[base + i] = (row[base + i] ?? 0) | (rows[sb + i] ?? 0);
    }
  }

  private countRow(c: number, row: Int32Array, base: number, w0: number, bw: number): void {
    const counts = this.counts;
    const wordSeg = this.cols.wordSeg;
    const cb = c * SEGMENTS;
    for (let i = 0; i < bw; i++) {
      const x = row[base + i] ?? 0;
      if (x !== 0) {
        const s = cb + (wordSeg[w0 + i] ?? 0);
        counts[s] = (counts[s] ?? 0) + popcount32(x);
      }
    }
  }
}

function coveredCol(col: Int32Array, covered: number, e: number): boolean {
  const cc = col[e] ?? -1;
  return cc >= 0 && cc >>> 5 < covered;
}

/** Components counted without a row: own columns, plus their only successor's counts. */
function countRowless(k: Condensation, m: Modes, counts: Int32Array, nodeElement: Int32Array, col: Int32Array, covered: number, layers: Uint8Array, jewelElement: Uint8Array): void {
  const { C, succ, succOffsets, memberOffsets, members } = k;
  const mode = m.mode;
  for (let c = 0; c < C; c++) {
    const md = mode[c];
    if (md !== 2 && md !== 3) continue;
    const cb = c * SEGMENTS;
    if (md === 2) {
      const d = succ[succOffsets[c] ?? 0] ?? 0;
      for (let s = 0; s < SEGMENTS; s++) counts[cb + s] = counts[d * SEGMENTS + s] ?? 0;
    }
    for (let j = memberOffsets[c] ?? 0; j < (memberOffsets[c + 1] ?? 0); j++) {
      const e = nodeElement[members[j] ?? 0] ?? 0;
      if (!coveredCol(col, covered, e)) continue;
      const s = cb + segOf(jewelElement, layers, e);
      counts[s] = (counts[s] ?? 0) + 1;
    }
  }
}

/** Per-element totals from the component counts, the element itself excluded. */
function elementCounts(n: number, comp: Int32Array, counts: Int32Array, col: Int32Array, covered: number, layers: Uint8Array, jewelElement: Uint8Array): { reach: Int32Array; jewels: Int32Array; byLayer: Int32Array } {
  const reach = new Int32Array(n);
  const jewels = new Int32Array(n);
  const byLayer = new Int32Array(n * 7);
  for (let e = 0; e < n; e++) {
    const cb = (comp[e] ?? 0) * SEGMENTS;
    const self = coveredCol(col, covered, e) ? 1 : 0;
    let total = 0;
    let jw = 0;
    for (let l = 0; l < 7; l++) {
      const j = counts[cb + l] ?? 0;
      const o = counts[cb + 7 + l] ?? 0;
      jw += j;
      total += j + o;
      byLayer[e * 7 + l] = j + o - (self === 1 && layers[e] === l ? 1 : 0);
    }
    reach[e] = total - self;
    jewels[e] = jw - (self === 1 && jewelElement[e] === 1 ? 1 : 0);
  }
  return { reach, jewels, byLayer };
}

/**
 * @param layers layer index per element (0 = L1)
 * @param jewelElement 1 for crown-jewel elements
 */
export function blastRadius(graph: PropagationGraph, layers: Uint8Array, jewelElement: Uint8Array, options: BlastOptions = {}): BlastResult {
  const blockBytes = Math.max(64, options.blockBytes ?? 32 * 1024 * 1024);
  const workLimit = Math.max(0, options.workLimit ?? 4e9);
  const cols = assignColumns(graph, layers, jewelElement);
  const W = cols.W;
  const k = condense(graph);
  const m = planModes(k);
  const wb = Math.max(1, Math.min(W, Math.floor(blockBytes / 4 / Math.max(1, m.stored + 1))));
  const closer = new BlockCloser(k, m, cols, graph.nodeElement, wb);
  let work = 0;
  let blocks = 0;
  let covered = 0; // words processed
  for (let w0 = 0; w0 < W; w0 += wb) {
    const w1 = Math.min(W, w0 + wb);
    const bw = w1 - w0;
    if (blocks > 0 && work + m.perWordWork * bw > workLimit) break;
    blocks++;
    work += m.perWordWork * bw;
    closer.block(w0, w1);
    covered = w1;
  }
  const complete = covered === W;
  const counts = closer.counts;
  countRowless(k, m, counts, graph.nodeElement, cols.col, covered, layers, jewelElement);
  const { reach, jewels, byLayer } = elementCounts(graph.elementCount, k.comp, counts, cols.col, covered, layers, jewelElement);
  return { reach, jewels, byLayer, comp: k.comp, components: k.C, columns: cols.columns, blocks, work, complete };
}

export interface Cascade {
  /** The node the cascade starts from. */
  readonly root: number;
  /** Nodes in breadth-first order (root first). */
  readonly nodes: Int32Array;
  /** Edge that first reached each node (-1 for the root). */
  readonly edges: Int32Array;
  /** Steps from the root. */
  readonly depth: Int32Array;
  /** The limit stopped the walk before every reachable node was listed. */
  readonly truncated: boolean;
}

/**
 * The cascade from one node, breadth first: who falls at step 1, step 2, ... and by which step. A read
 * node is skipped when its element has already fallen (read access adds nothing to control).
 */
export function cascadeFrom(graph: PropagationGraph, root: number, limit = 500): Cascade {
  const N = graph.nodeCount;
  const { offsets, targets, nodeElement, nodeAccess } = graph;
  const seen = new Uint8Array(N);
  const nodes: number[] = [root];
  const edges: number[] = [-1];
  const depth: number[] = [0];
  seen[root] = 1;
  let truncated = false;
  for (let head = 0; head < nodes.length; head++) {
    const u = nodes[head] ?? 0;
    const du = depth[head] ?? 0;
    for (let e = offsets[u] ?? 0; e < (offsets[u + 1] ?? 0); e++) {
      const w = targets[e] ?? 0;
      if (seen[w] === 1) continue;
      if (nodeAccess[w] === 1 && seen[nodeElement[w] ?? 0] === 1) continue;
      if (nodes.length - 1 >= limit) {
        truncated = true;
        break;
      }
      seen[w] = 1;
      nodes.push(w);
      edges.push(e);
      depth.push(du + 1);
    }
    if (truncated) break;
  }
  return { root, nodes: Int32Array.from(nodes), edges: Int32Array.from(edges), depth: Int32Array.from(depth), truncated };
}
