/**
 * The propagation graph: an edge u -> v means "if u is compromised, v can be compromised", by one of
 * the step kinds of semantics.ts, with a probability lowered by the declared controls that mitigate
 * the step's threat. Nodes are element indexes 0..n-1 ("control" nodes), plus one "read" node per
 * crown-jewel memory or channel: a read step (an agent reading a data store, an end of a channel
 * seeing its data) lands there, and a read node has no out-edges, so a read never spreads.
 *
 * Pure, iterative, linear in the size of the model (plus a sort of each node's out-edges).
 */
import type { Catalogue } from '../catalogue/load.js';
import { ELEMENT_KINDS } from '../model/kinds.js';
import { EDGE_TYPES, EDGE_TYPE_INDEX } from '../model/references.js';
import { KIND_INDEX, type ResolvedModel } from '../model/resolve.js';
import { FloatBuffer, IntBuffer } from './buffers.js';
import { ControlLookup, entryReason, findCrownJewels, grantApprovers, meetsCondition, str } from './facts.js';
import { STEP_KINDS, statusFactor, stepKindsFor, type Direction } from './semantics.js';

/** Reduction assumed for a catalogue pattern that declares none. */
export const DEFAULT_REDUCTION = 0.5;

export const ACCESS_CONTROL = 0;
export const ACCESS_READ = 1;

export interface PropagationGraph {
  /** Number of model elements (n); nodes 0..n-1 are the elements themselves. */
  readonly elementCount: number;
  /** n + number of read nodes. */
  readonly nodeCount: number;
  /** Element index of each node. */
  readonly nodeElement: Int32Array;
  /** ACCESS_CONTROL (0) or ACCESS_READ (1) per node. */
  readonly nodeAccess: Uint8Array;
  /** Read node of each element, or -1. */
  readonly readNode: Int32Array;

  readonly edgeCount: number;
  /** Out-edges of node u are edges offsets[u] .. offsets[u+1]) (edge ids), sorted by target node. */
  readonly offsets: Int32Array;
  readonly sources: Int32Array;
  readonly targets: Int32Array;
  /** Step kind index into STEP_KINDS. */
  readonly kinds: Uint8Array;
  /** Probability after declared controls, in (0, 1]. */
  readonly probability: Float64Array;
  /** The channel (or entry point's channel) the step travels on, else -1. */
  readonly via: Int32Array;
  /** Controls that lowered edge e: controlOffsets[e] .. controlOffsets[e+1]) into the three arrays below. */
  readonly controlOffsets: Int32Array;
  /** The control element (or, for a tool grant's approval, the approving human). */
  readonly controlElements: Int32Array;
  /** Pattern index into patternIds. */
  readonly controlPatterns: Int32Array;
  /** The factor the control applied. */
  readonly controlFactors: Float64Array;
  /** Catalogue pattern ids, sorted. */
  readonly patternIds: readonly string[];
  /** Reduction per pattern index (DEFAULT_REDUCTION when the catalogue gives none). */
  readonly patternReduction: Float64Array;
  /** mitigates[kind * patternIds.length + p] = 1 when pattern p mitigates the threat of step kind `kind`. */
  readonly mitigates: Uint8Array;

  /** In-edges of node v: inEdges[inOffsets[v] .. inOffsets[v+1]) (edge ids). */
  readonly inOffsets: Int32Array;
  readonly inEdges: Int32Array;

  /** 1 for entry-source nodes (always control nodes). */
  readonly isEntry: Uint8Array;
  /** 1 for crown-jewel nodes. */
  readonly isJewel: Uint8Array;
  /** Entry-source nodes, ascending. */
  readonly entrySources: Int32Array;
  /** Crown-jewel nodes, ascending. */
  readonly crownJewels: Int32Array;
  /** Why an element is an entry source (undefined if it is not). */
  readonly entryReasons: readonly (string | undefined)[];
  /** Why an element is a crown jewel (undefined if it is not). */
  readonly jewelReasons: readonly (readonly string[] | undefined)[];
}

const DIRECTIONS: readonly Direction[] = ['forward', 'reverse', 'via'];

export function buildPropagation(resolved: ResolvedModel, catalogue: Catalogue): PropagationGraph {
  const g = resolved.graph;
  const n = g.size;
  const K = STEP_KINDS.length;

  // 1. Crown jewels, entry sources, read nodes.
  const jewels = findCrownJewels(resolved);
  const jewelReasons = jewels.reasons;
  // The `crown-jewel` condition of read steps: the element's data is a crown jewel.
  const readJewel = (i: number) => jewels.read[i] === 1;
  const entryReasons: (string | undefined)[] = new Array<string | undefined>(n);
  for (let i = 0; i < n; i++) entryReasons[i] = entryReason(resolved, i);
  const readNode = new Int32Array(n).fill(-1);
  const channelKind = KIND_INDEX.channel;
  let readCount = 0;
  for (let i = 0; i < n; i++) if (jewels.read[i] === 1) readNode[i] = n + readCount++;
  const N = n + readCount;
  const nodeElement = new Int32Array(N);
  const nodeAccess = new Uint8Array(N);
  for (let i = 0; i < n; i++) nodeElement[i] = i;
  for (let i = 0; i < n; i++) {
    const r = readNode[i] ?? -1;
    if (r >= 0) {
      nodeElement[r] = i;
      nodeAccess[r] = ACCESS_READ;
    }
  }

  // 2. Patterns and what they mitigate.
  const patternIds = [...catalogue.patterns.keys()].sort();
  const P = patternIds.length;
  const patternIndex = new Map(patternIds.map((p, i) => [p, i]));
  const patternReduction = new Float64Array(P);
  const mitigates = new Uint8Array(K * P);
  for (let p = 0; p < P; p++) {
    const entry = catalogue.patterns.get(patternIds[p] ?? '');
    patternReduction[p] = entry?.reduction ?? DEFAULT_REDUCTION;
    const list = entry?.mitigates ?? [];
    for (let k = 0; k < K; k++) if (list.includes(STEP_KINDS[k]?.threat ?? '')) mitigates[k * P + p] = 1;
  }
  const approvalPattern = patternIndex.get('human-approval') ?? -1;

  // Controls per element, computed on first use into flat typed arrays: (pattern, factor, control),
  // the best control per pattern, sorted by pattern.
  const lookup = new ControlLookup(resolved);
  const controlPattern = new Int32Array(n).fill(-1);
  const controlFactor = new Float64Array(n);
  for (const c of resolved.ofKind('control')) {
    const spec = g.specs[c];
    const p = patternIndex.get(str(spec, 'pattern') ?? '');
    if (p === undefined) continue;
    const f = statusFactor(patternReduction[p] ?? 1, spec?.['status']);
    if (f >= 1) continue;
    controlPattern[c] = p;
    controlFactor[c] = f;
  }
  const ctlStart = new Int32Array(n).fill(-1);
  const ctlCount = new Int32Array(n);
  const ctlP = new IntBuffer(64);
  const ctlFac = new FloatBuffer(64);
  const ctlC = new IntBuffer(64);
  const pStamp = new Int32Array(P).fill(-1);
  const pBest = new Int32Array(P);
  const controlsBuf = new IntBuffer(16);
  const found = new IntBuffer(16);
  const ensureControls = (x: number) => {
    if ((ctlStart[x] ?? 0) >= 0) return;
    ctlStart[x] = ctlP.length;
    const count = lookup.collect(x, controlsBuf);
    if (count === 0) return;
    found.length = 0;
    for (let k = 0; k < count; k++) {
      const c = controlsBuf.get(k);
      const p = controlPattern[c] ?? -1;
      if (p < 0) continue;
      if (pStamp[p] !== x) {
        pStamp[p] = x;
        pBest[p] = c;
        found.push(p);
      } else {
        const prev = pBest[p] ?? 0;
        if ((controlFactor[c] ?? 1) < (controlFactor[prev] ?? 1) || (controlFactor[c] === controlFactor[prev] && c < prev)) pBest[p] = c;
      }
    }
    const list = found.data.subarray(0, found.length).sort();
    ctlCount[x] = list.length;
    for (const p of list) {
      const c = pBest[p] ?? 0;
      ctlP.push(p);
      ctlFac.push(controlFactor[c] ?? 1);
      ctlC.push(c);
    }
  };

  // Per-call scratch for combining the controls of source, target and channel (each pattern once).
  const stamp = new Int32Array(P).fill(-1);
  const bestF = new Float64Array(P);
  const bestC = new Int32Array(P);
  let token = 0;
  const touched = new IntBuffer(16);
  const consider = (kind: number, p: number, f: number, ctl: number) => {
    if (mitigates[kind * P + p] !== 1) return;
    if (stamp[p] !== token) {
      stamp[p] = token;
      bestF[p] = f;
      bestC[p] = ctl;
      touched.push(p);
    } else if (f < (bestF[p] ?? 1) || (f === bestF[p] && ctl < (bestC[p] ?? 0))) {
      bestF[p] = f;
      bestC[p] = ctl;
    }
  };
  const considerElement = (kind: number, x: number) => {
    if (x < 0) return;
    ensureControls(x);
    const start = ctlStart[x] ?? 0;
    const end = start + (ctlCount[x] ?? 0);
    for (let k = start; k < end; k++) consider(kind, ctlP.get(k), ctlFac.get(k), ctlC.get(k));
  };
  /** Product of the best factor of each distinct pattern on a, b, c (and a grant approval) that mitigates the kind's threat. */
  const combine = (kind: number, a: number, b: number, c: number, approver: number, collect?: (p: number, c: number, f: number) => void): number => {
    token++;
    touched.length = 0;
    considerElement(kind, a);
    if (b !== a) considerElement(kind, b);
    if (c !== a && c !== b) considerElement(kind, c);
    if (approver >= 0 && approvalPattern >= 0) consider(kind, approvalPattern, patternReduction[approvalPattern] ?? 1, approver);
    if (touched.length === 0) return 1;
    const list = touched.data.subarray(0, touched.length);
    if (list.length > 1) list.sort();
    let factor = 1;
    for (const p of list) {
      factor *= bestF[p] ?? 1;
      collect?.(p, bestC[p] ?? -1, bestF[p] ?? 1);
    }
    return factor;
  };

  // 3. Which step kinds follow each (edge type, direction), kind masks per row.
  const rowsFor: number[][][] = EDGE_TYPES.map((t) => DIRECTIONS.map((d) => stepKindsFor(t, d)));
  const fromMask = new Uint8Array(K * ELEMENT_KINDS.length);
  const toMask = new Uint8Array(K * ELEMENT_KINDS.length);
  for (let k = 0; k < K; k++) {
    const row = STEP_KINDS[k];
    for (const kind of row?.from ?? []) fromMask[k * ELEMENT_KINDS.length + KIND_INDEX[kind]] = 1;
    for (const kind of row?.to ?? []) toMask[k * ELEMENT_KINDS.length + KIND_INDEX[kind]] = 1;
  }

  // 4. Entry points: their channel, and the channels they describe (not counted twice).
  const T = EDGE_TYPE_INDEX;
  const entryVia = new Int32Array(n).fill(-1);
  const entrySource = new Int32Array(n).fill(-1);
  const entryTarget = new Int32Array(n).fill(-1);
  for (let e = 0; e < g.edgeCount; e++) {
    const t = g.edgeType[e];
    const s = g.edgeSrc[e] ?? 0;
    const d = g.edgeDst[e] ?? 0;
    if (t === T['entry-via'] && entryVia[s] === -1) entryVia[s] = d;
    else if (t === T['entry-source'] && entrySource[s] === -1) entrySource[s] = d;
    else if (t === T.entry && entryTarget[s] === -1) entryTarget[s] = d;
  }
  const entriesByVia = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const c = entryVia[i] ?? -1;
    if (c < 0 || (entrySource[i] ?? -1) < 0 || (entryTarget[i] ?? -1) < 0) continue;
    const list = entriesByVia.get(c);
    if (list) list.push(i);
    else entriesByVia.set(c, [i]);
  }
  const covered = (s: number, c: number, d: number) => entriesByVia.get(c)?.some((i) => entrySource[i] === s && entryTarget[i] === d) ?? false;
  const approverCache = new Map<number, Map<number, number> | undefined>();
  const approverOf = (agent: number, tool: number): number => {
    if (!approverCache.has(agent)) approverCache.set(agent, grantApprovers(resolved, agent));
    return approverCache.get(agent)?.get(tool) ?? -1;
  };

  // 5. Candidate steps from every model edge, in each direction a step kind follows.
  const cu = new IntBuffer(g.edgeCount * 2);
  const cv = new IntBuffer(g.edgeCount * 2);
  const ck = new IntBuffer(g.edgeCount * 2);
  const cvia = new IntBuffer(g.edgeCount * 2);
  const capp = new IntBuffer(g.edgeCount * 2);
  const cp = new FloatBuffer(g.edgeCount * 2);
  const nk = ELEMENT_KINDS.length;
  // At most one control step and one read step per model edge and direction: the first matching row of each.
  const tryStep = (rows: readonly number[], u: number, v: number, via: number, approver: number) => {
    if (u === v || u < 0 || v < 0) return;
    const ku = g.kinds[u] ?? 0;
    const kv = g.kinds[v] ?? 0;
    let doneControl = false;
    let doneRead = false;
    for (const k of rows) {
      const row = STEP_KINDS[k];
      const isRead = row?.access === 'read';
      if (!row || (isRead ? doneRead : doneControl) || fromMask[k * nk + ku] !== 1 || toMask[k * nk + kv] !== 1) continue;
      if (row.when && !meetsCondition(resolved, row.when.on === 'from' ? u : v, row.when.is, readJewel)) continue;
      const target = isRead ? (readNode[v] ?? -1) : v;
      if (target < 0) continue;
      const factor = combine(k, u, v, via, approver);
      cu.push(u);
      cv.push(target);
      ck.push(k);
      cvia.push(via);
      capp.push(approver);
      cp.push(row.probability * factor);
      if (isRead) doneRead = true;
      else doneControl = true;
      if (doneRead && doneControl) return;
    }
  };
  for (let e = 0; e < g.edgeCount; e++) {
    const t = g.edgeType[e] ?? 0;
    const rows = rowsFor[t];
    if (!rows) continue;
    const s = g.edgeSrc[e] ?? 0;
    let d = g.edgeDst[e] ?? 0;
    let via = g.edgeVia[e] ?? -1;
    if (t === T.entry) {
      via = entryVia[s] ?? -1;
      if (g.kinds[d] === channelKind) {
        // Input that enters on a channel reaches the channel's receiver.
        via = d;
        d = resolved.indexOf(str(g.specs[d], 'to') ?? '');
        if (d < 0) continue;
      }
    }
    const [fw, rv, vi] = rows;
    const skipForward = t === T.channel && covered(s, via, d);
    const approver = t === T.invokes ? approverOf(s, d) : -1;
    if (fw && fw.length > 0 && !skipForward) tryStep(fw, s, d, via, approver);
    if (rv && rv.length > 0) tryStep(rv, d, s, via, -1);
    if (vi && vi.length > 0 && via >= 0) {
      tryStep(vi, s, via, via, -1);
      tryStep(vi, d, via, via, -1);
    }
  }

  // 6. Group by (source, target): two stable counting sorts (by target, then by source); keep the most
  // likely step between two nodes (ties: lower step kind index, then the earlier model edge).
  const M = cu.length;
  const byTarget = countingOrder(N, cv.data, M, null);
  const order = countingOrder(N, cu.data, M, byTarget);
  const keep = new IntBuffer(M);
  for (let i = 0; i < M; ) {
    const first = order[i] ?? 0;
    const u = cu.get(first);
    const v = cv.get(first);
    let best = first;
    let j = i + 1;
    for (; j < M; j++) {
      const c = order[j] ?? 0;
      if (cu.get(c) !== u || cv.get(c) !== v) break;
      const pc = cp.get(c);
      const pb = cp.get(best);
      if (pc > pb || (pc === pb && ck.get(c) < ck.get(best))) best = c;
    }
    keep.push(best);
    i = j;
  }
  const E = keep.length;
  const sources = new Int32Array(E);
  const targets = new Int32Array(E);
  const kinds = new Uint8Array(E);
  const probability = new Float64Array(E);
  const via = new Int32Array(E);
  const offsets = new Int32Array(N + 1);
  const controlOffsets = new Int32Array(E + 1);
  const ctlEl = new IntBuffer(E);
  const ctlPat = new IntBuffer(E);
  const ctlF = new FloatBuffer(E);
  for (let e = 0; e < E; e++) {
    const c = keep.get(e);
    const u = cu.get(c);
    const v = cv.get(c);
    const k = ck.get(c);
    sources[e] = u;
    targets[e] = v;
    kinds[e] = k;
    probability[e] = cp.get(c);
    via[e] = cvia.get(c);
    offsets[u + 1] = (offsets[u + 1] ?? 0) + 1;
    combine(k, u, nodeElement[v] ?? v, cvia.get(c), capp.get(c), (p, ctl, f) => {
      ctlEl.push(ctl);
      ctlPat.push(p);
      ctlF.push(f);
    });
    controlOffsets[e + 1] = ctlEl.length;
  }
  for (let u = 0; u < N; u++) offsets[u + 1] = (offsets[u + 1] ?? 0) + (offsets[u] ?? 0);
  const inOrder = countingOrder(N, targets, E, null);
  const inOffsets = new Int32Array(N + 1);
  for (let e = 0; e < E; e++) {
    const v = targets[e] ?? 0;
    inOffsets[v + 1] = (inOffsets[v + 1] ?? 0) + 1;
  }
  for (let v = 0; v < N; v++) inOffsets[v + 1] = (inOffsets[v + 1] ?? 0) + (inOffsets[v] ?? 0);

  // 7. Entry sources and crown jewels as nodes.
  const isEntry = new Uint8Array(N);
  const isJewel = new Uint8Array(N);
  const entryList: number[] = [];
  const jewelList: number[] = [];
  for (let i = 0; i < n; i++) {
    if (entryReasons[i] !== undefined) {
      isEntry[i] = 1;
      entryList.push(i);
    }
    if (jewels.control[i] === 1) isJewel[i] = 1;
  }
  for (let r = n; r < N; r++) isJewel[r] = 1;
  for (let v = 0; v < N; v++) if (isJewel[v] === 1) jewelList.push(v);

  return {
    elementCount: n,
    nodeCount: N,
    nodeElement,
    nodeAccess,
    readNode,
    edgeCount: E,
    offsets,
    sources,
    targets,
    kinds,
    probability,
    via,
    controlOffsets,
    controlElements: ctlEl.toArray(),
    controlPatterns: ctlPat.toArray(),
    controlFactors: ctlF.toArray(),
    patternIds,
    patternReduction,
    mitigates,
    inOffsets,
    inEdges: inOrder,
    isEntry,
    isJewel,
    entrySources: Int32Array.from(entryList),
    crownJewels: Int32Array.from(jewelList),
    entryReasons,
    jewelReasons,
  };
}

/**
 * Stable counting sort of items 0..m-1 by key[item] in [0, n): returns the items in order. When
 * `within` is given, items are taken in that order (so a second pass sorts by two keys).
 */
function countingOrder(n: number, key: Int32Array, m: number, within: Int32Array | null): Int32Array {
  const count = new Int32Array(n + 1);
  for (let i = 0; i < m; i++) {
    const k = (key[i] ?? 0) + 1;
    count[k] = (count[k] ?? 0) + 1;
  }
  for (let i = 0; i < n; i++) count[i + 1] = (count[i + 1] ?? 0) + (count[i] ?? 0);
  const out = new Int32Array(m);
  for (let j = 0; j < m; j++) {
    const item = within ? (within[j] ?? 0) : j;
    const k = key[item] ?? 0;
    out[count[k] ?? 0] = item;
    count[k] = (count[k] ?? 0) + 1;
  }
  return out;
}
