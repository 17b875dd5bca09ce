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
import { countingGroups, FloatBuffer, IntBuffer } from './buffers.js';
import { CONDITION_BIT, ControlLookup, ENTRY_KINDS, approverOf, conditionMasks, entryReason, findCrownJewels, grantApprovals, str, type GrantApprovals } from './facts.js';
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

/**
 * The semantics table compiled to integers, once per process: for (edge type, direction, from kind,
 * to kind), the step kinds that may follow, in priority order, already filtered by the kinds at both
 * ends; per step kind, whether it is a read, its base probability and its condition (side and bit).
 */
interface StepTable {
  /** Candidate list of slot (t * 3 + d) * nk * nk + ku * nk + kv: list[start[slot] .. start[slot + 1]). */
  readonly start: Int32Array;
  readonly list: Uint8Array;
  readonly isRead: Uint8Array;
  readonly probability: Float64Array;
  /** 0: no condition, 1: on the step's source, 2: on its target. */
  readonly condOn: Uint8Array;
  readonly condBit: Uint8Array;
  /** needed[c * nk + kind] = 1 when condition c (bit 1 << c) is asked of elements of that kind. */
  readonly needed: Uint8Array;
  /** has[t * 3 + d] = 1 when some step kind follows edge type t in direction d (else no slot of it has a row). */
  readonly has: Uint8Array;
}

let stepTable: StepTable | undefined;

function compileSteps(): StepTable {
  if (stepTable) return stepTable;
  const K = STEP_KINDS.length;
  const nk = ELEMENT_KINDS.length;
  const isRead = new Uint8Array(K);
  const probability = new Float64Array(K);
  const condOn = new Uint8Array(K);
  const condBit = new Uint8Array(K);
  const fromOk = new Uint8Array(K * nk);
  const toOk = new Uint8Array(K * nk);
  const needed = new Uint8Array(8 * nk);
  for (let k = 0; k < K; k++) {
    const row = STEP_KINDS[k];
    if (!row) continue;
    isRead[k] = row.access === 'read' ? 1 : 0;
    probability[k] = row.probability;
    for (const kind of row.from) fromOk[k * nk + KIND_INDEX[kind]] = 1;
    for (const kind of row.to) toOk[k * nk + KIND_INDEX[kind]] = 1;
    if (row.when) {
      const bit = CONDITION_BIT[row.when.is];
      condOn[k] = row.when.on === 'from' ? 1 : 2;
      condBit[k] = bit;
      const c = Math.round(Math.log2(bit));
      for (const kind of row.when.on === 'from' ? row.from : row.to) needed[c * nk + KIND_INDEX[kind]] = 1;
    }
  }
  const slots = EDGE_TYPES.length * DIRECTIONS.length * nk * nk;
  const start = new Int32Array(slots + 1);
  const has = new Uint8Array(EDGE_TYPES.length * DIRECTIONS.length);
  const list: number[] = [];
  for (let t = 0; t < EDGE_TYPES.length; t++) {
    for (let d = 0; d < DIRECTIONS.length; d++) {
      const rows = stepKindsFor(EDGE_TYPES[t] ?? 'channel', DIRECTIONS[d] ?? 'forward');
      if (rows.length > 0) has[t * DIRECTIONS.length + d] = 1;
      for (let ku = 0; ku < nk; ku++) {
        for (let kv = 0; kv < nk; kv++) {
          const slot = (t * DIRECTIONS.length + d) * nk * nk + ku * nk + kv;
          start[slot] = list.length;
          for (const k of rows) if (fromOk[k * nk + ku] === 1 && toOk[k * nk + kv] === 1) list.push(k);
        }
      }
    }
  }
  start[slots] = list.length;
  stepTable = { start, list: Uint8Array.from(list), isRead, probability, condOn, condBit, needed, has };
  return stepTable;
}

export function buildPropagation(resolved: ResolvedModel, catalogue: Catalogue): PropagationGraph {
  const g = resolved.graph;
  const n = g.size;
  const K = STEP_KINDS.length;
  const nk = ELEMENT_KINDS.length;
  const table = compileSteps();

  // 1. Per-element facts, once: side effects (bits), crown jewels, entry sources, condition masks.
  const effects = new Int16Array(n).fill(-1);
  const jewels = findCrownJewels(resolved, effects);
  const jewelReasons = jewels.reasons;
  const entryReasons = entryReasonsOf(resolved, effects);
  const cond = conditionMasks(resolved, jewels.read, table.needed, nk, effects);
  const { readNode, nodeElement, nodeAccess } = readNodes(n, jewels.read);
  const N = nodeElement.length;

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
  const approvalFactor = approvalPattern >= 0 ? (patternReduction[approvalPattern] ?? 1) : 1;


  // Controls per element (computed on first use) and their combination per step: see StepDeriver.
  const lookup = new ControlLookup(resolved);
  const controlPattern = new Int32Array(n).fill(-1);
  const controlFactor = new Float64Array(n);
  const anyControl = declaredControls(resolved, patternIndex, patternReduction, controlPattern, controlFactor) || approvalPattern >= 0;

  // 3. Entry points: their channel, and the channels they describe (not counted twice).
  const entries = entryEdges(resolved);
  const approvals = grantApprovals(resolved);

  // 4. Candidate steps from every model edge, in each direction a step kind follows.
  const deriver = new StepDeriver(resolved, table, cond, readNode, { P, mitigates, approvalPattern, approvalFactor, anyControl, lookup, controlPattern, controlFactor });
  deriveSteps(deriver, resolved, entries, approvals, table.has);
  const { cu, cv, ck, cvia, cp, cCtlEnd, cCtlEl, cCtlPat, cCtlF } = deriver;

  // 5. Group by (source, target), keep the most likely step between two nodes, lay out the CSR.
  const steps = groupSteps(N, deriver.count, cu, cv, ck, cp, cvia, cCtlEnd, cCtlEl.data, cCtlPat.data, cCtlF.data);
  const { edgeCount: E, offsets, sources, targets, kinds, probability, via, controlOffsets, controlElements, controlPatterns, controlFactors } = steps;
  const { offsets: inOffsets, order: inOrder } = countingGroups(N, targets, E);

  // 6. Entry sources and crown jewels as nodes.
  const { isEntry, isJewel, entrySources, crownJewels } = entryAndJewelNodes(n, N, entryReasons, jewels.control);

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
    controlElements,
    controlPatterns,
    controlFactors,
    patternIds,
    patternReduction,
    mitigates,
    inOffsets,
    inEdges: inOrder,
    isEntry,
    isJewel,
    entrySources,
    crownJewels,
    entryReasons,
    jewelReasons,
  };
}

/** Why each element is an entry source (undefined if it is not). */
function entryReasonsOf(resolved: ResolvedModel, effects: Int16Array): (string | undefined)[] {
  const n = resolved.graph.size;
  const kinds = resolved.graph.kinds;
  const out: (string | undefined)[] = new Array<string | undefined>(n).fill(undefined);
  for (let i = 0; i < n; i++) if (ENTRY_KIND[kinds[i] ?? 0] === 1) out[i] = entryReason(resolved, i, effects[i] ?? -1);
  return out;
}

/** 1 for the element kinds `entryReason` can name an entry source (the others are never one). */
const ENTRY_KIND = Uint8Array.from(ELEMENT_KINDS, (k) => (ENTRY_KINDS.has(k) ? 1 : 0));

/** One read node per element with `read[i] = 1`, numbered n, n+1, ... in element order. */
function readNodes(n: number, read: Uint8Array): { readNode: Int32Array; nodeElement: Int32Array; nodeAccess: Uint8Array } {
  const readNode = new Int32Array(n).fill(-1);
  let readCount = 0;
  for (let i = 0; i < n; i++) if (read[i] === 1) readNode[i] = n + readCount++;
  const N = n + readCount;
  const nodeElement = new Int32Array(N);
  const nodeAccess = new Uint8Array(N);
  for (let i = 0; i < n; i++) {
    nodeElement[i] = i;
    const r = readNode[i] ?? -1;
    if (r >= 0) {
      nodeElement[r] = i;
      nodeAccess[r] = ACCESS_READ;
    }
  }
  return { readNode, nodeElement, nodeAccess };
}

/** Pattern and factor of each declared control that lowers anything (else pattern -1); true if any. */
function declaredControls(
  resolved: ResolvedModel,
  patternIndex: ReadonlyMap<string, number>,
  patternReduction: Float64Array,
  controlPattern: Int32Array,
  controlFactor: Float64Array,
): boolean {
  const specs = resolved.graph.specs;
  let any = false;
  for (const c of resolved.ofKind('control')) {
    const spec = specs[c];
    const p = patternIndex.get(str(spec, 'pattern') ?? '');
    if (p === undefined) continue;
    const f = statusFactor(patternReduction[p] ?? 1, spec?.['status']);
    if (f >= 1) continue;
    controlPattern[c] = p;
    controlFactor[c] = f;
    any = true;
  }
  return any;
}

/** The entry points' edges, per entry point (-1 when absent), and the entry points by the channel they name. */
interface EntryEdges {
  readonly entryVia: Int32Array;
  readonly entrySource: Int32Array;
  readonly entryTarget: Int32Array;
  readonly anyEntryVia: boolean;
  /** Entry points (with a source and a target) naming channel c: byVia[byViaStart[c] .. byViaStart[c + 1]), element order. */
  readonly byViaStart: Int32Array;
  readonly byVia: Int32Array;
}

function entryEdges(resolved: ResolvedModel): EntryEdges {
  const g = resolved.graph;
  const n = g.size;
  const T = EDGE_TYPE_INDEX;
  const entryViaType = T['entry-via'];
  const entrySourceType = T['entry-source'];
  const entryType = T.entry;
  const { edgeType, edgeSrc, edgeDst } = g;
  const E0 = g.edgeCount;
  const entryVia = new Int32Array(n).fill(-1);
  const entrySource = new Int32Array(n).fill(-1);
  const entryTarget = new Int32Array(n).fill(-1);
  let anyEntryVia = false;
  for (let e = 0; e < E0; e++) {
    const t = edgeType[e];
    if (t !== entryViaType && t !== entrySourceType && t !== entryType) continue;
    const s = edgeSrc[e] ?? 0;
    const d = edgeDst[e] ?? 0;
    if (t === entryViaType && entryVia[s] === -1) {
      entryVia[s] = d;
      anyEntryVia = true;
    } else if (t === entrySourceType && entrySource[s] === -1) entrySource[s] = d;
    else if (t === entryType && entryTarget[s] === -1) entryTarget[s] = d;
  }
  const byViaStart = new Int32Array(anyEntryVia ? n + 1 : 1);
  const byVia = new Int32Array(anyEntryVia ? n : 0);
  if (anyEntryVia) {
    for (let i = 0; i < n; i++) {
      const c = entryVia[i] ?? -1;
      if (c >= 0 && (entrySource[i] ?? -1) >= 0 && (entryTarget[i] ?? -1) >= 0) byViaStart[c + 1] = (byViaStart[c + 1] ?? 0) + 1;
    }
    for (let c = 0; c < n; c++) byViaStart[c + 1] = (byViaStart[c + 1] ?? 0) + (byViaStart[c] ?? 0);
    const fill = byViaStart.slice(0, n);
    for (let i = 0; i < n; i++) {
      const c = entryVia[i] ?? -1;
      if (c < 0 || (entrySource[i] ?? -1) < 0 || (entryTarget[i] ?? -1) < 0) continue;
      const at = fill[c] ?? 0;
      byVia[at] = i;
      fill[c] = at + 1;
    }
  }
  return { entryVia, entrySource, entryTarget, anyEntryVia, byViaStart, byVia };
}

/** True when an entry point from s to d names channel c (its input is counted once, as the entry step). */
function covered(en: EntryEdges, s: number, c: number, d: number): boolean {
  if (!en.anyEntryVia || c < 0) return false;
  const { byViaStart, byVia, entrySource, entryTarget } = en;
  const end = byViaStart[c + 1] ?? 0;
  for (let k = byViaStart[c] ?? 0; k < end; k++) {
    const i = byVia[k] ?? 0;
    if (entrySource[i] === s && entryTarget[i] === d) return true;
  }
  return false;
}

interface ControlSetup {
  readonly P: number;
  readonly mitigates: Uint8Array;
  readonly approvalPattern: number;
  readonly approvalFactor: number;
  readonly anyControl: boolean;
  readonly lookup: ControlLookup;
  readonly controlPattern: Int32Array;
  readonly controlFactor: Float64Array;
}

/**
 * Derives the candidate steps into parallel typed buffers (source, target, kind, channel, probability)
 * plus the controls that lowered each one. A class with methods rather than closures made per call:
 * V8 then optimises the hot methods once for the process and reuses the code on every later build.
 */
class StepDeriver {
  // Candidate steps. Sized for the usual 1.1-1.3 candidates per model edge, so the buffers rarely grow
  // (a growth copies every buffer and, at 10,000 agents, adds megabytes of garbage).
  // Plain typed arrays with one capacity check per step (not one per buffer and value).
  cu: Int32Array;
  cv: Int32Array;
  ck: Int32Array;
  cvia: Int32Array;
  cp: Float64Array;
  /** End of each candidate's controls in cCtlEl/cCtlPat/cCtlF. */
  cCtlEnd: Int32Array;
  /** Candidates so far. */
  count = 0;
  readonly cCtlEl: IntBuffer;
  readonly cCtlPat: IntBuffer;
  readonly cCtlF: FloatBuffer;

  private readonly gk: Uint8Array;
  private readonly nk: number;
  private readonly start: Int32Array;
  private readonly list: Uint8Array;
  private readonly isRead: Uint8Array;
  private readonly prob: Float64Array;
  private readonly condOn: Uint8Array;
  private readonly condBit: Uint8Array;
  private readonly cond: Uint8Array;
  private readonly readNode: Int32Array;

  private readonly P: number;
  private readonly mitigates: Uint8Array;
  private readonly approvalPattern: number;
  private readonly approvalFactor: number;
  private readonly anyControl: boolean;
  private readonly lookup: ControlLookup;
  private readonly mayHave: Uint8Array;
  private readonly controlPattern: Int32Array;
  private readonly controlFactor: Float64Array;

  // Controls per element, computed on first use into flat typed arrays: (pattern, factor, control),
  // the best control per pattern, sorted by pattern. ctlStart = -1: not computed yet.
  private readonly ctlStart: Int32Array;
  private readonly ctlCount: Int32Array;
  private readonly ctlP = new IntBuffer(64);
  private readonly ctlFac = new FloatBuffer(64);
  private readonly ctlC = new IntBuffer(64);
  private readonly pStamp: Int32Array;
  private readonly pBest: Int32Array;
  private readonly controlsBuf = new IntBuffer(16);
  private readonly found = new IntBuffer(16);

  // Per-call scratch for combining the controls of source, target and channel (each pattern once):
  // after `combine`, touched.data[0 .. touched.length) holds the patterns in order, bestF/bestC their
  // factor and control.
  private readonly stamp: Int32Array;
  private readonly bestF: Float64Array;
  private readonly bestC: Int32Array;
  private readonly touched = new IntBuffer(16);
  private token = 0;

  constructor(resolved: ResolvedModel, table: StepTable, cond: Uint8Array, readNode: Int32Array, setup: ControlSetup) {
    const g = resolved.graph;
    const n = g.size;
    const E0 = g.edgeCount;
    const capacity = E0 + (E0 >> 1) + 16;
    this.cu = new Int32Array(capacity);
    this.cv = new Int32Array(capacity);
    this.ck = new Int32Array(capacity);
    this.cvia = new Int32Array(capacity);
    this.cp = new Float64Array(capacity);
    this.cCtlEnd = new Int32Array(capacity);
    this.cCtlEl = new IntBuffer(E0 + 16);
    this.cCtlPat = new IntBuffer(E0 + 16);
    this.cCtlF = new FloatBuffer(E0 + 16);
    this.gk = g.kinds;
    this.nk = ELEMENT_KINDS.length;
    this.start = table.start;
    this.list = table.list;
    this.isRead = table.isRead;
    this.prob = table.probability;
    this.condOn = table.condOn;
    this.condBit = table.condBit;
    this.cond = cond;
    this.readNode = readNode;
    this.P = setup.P;
    this.mitigates = setup.mitigates;
    this.approvalPattern = setup.approvalPattern;
    this.approvalFactor = setup.approvalFactor;
    this.anyControl = setup.anyControl;
    this.lookup = setup.lookup;
    this.mayHave = setup.lookup.mayHave;
    this.controlPattern = setup.controlPattern;
    this.controlFactor = setup.controlFactor;
    this.ctlStart = new Int32Array(n).fill(-1);
    this.ctlCount = new Int32Array(n);
    this.pStamp = new Int32Array(setup.P).fill(-1);
    this.pBest = new Int32Array(setup.P);
    this.stamp = new Int32Array(setup.P).fill(-1);
    this.bestF = new Float64Array(setup.P);
    this.bestC = new Int32Array(setup.P);
  }

  /**
   * The step of model edge slot `base` from u to v: at most one control step and one read step per
   * model edge and direction, the first matching row of each.
   */
  tryStep(base: number, u: number, v: number, via: number, approver: number): void {
    if (u === v || u < 0 || v < 0) return;
    const slot = base + (this.gk[u] ?? 0) * this.nk + (this.gk[v] ?? 0);
    const first = this.start[slot] ?? 0;
    const end = this.start[slot + 1] ?? 0;
    if (first === end) return;
    const { list, isRead: readRow, condOn, condBit, cond } = this;
    let doneControl = false;
    let doneRead = false;
    for (let q = first; q < end; q++) {
      const k = list[q] ?? 0;
      const isRead = readRow[k] === 1;
      if (isRead ? doneRead : doneControl) continue;
      const on = condOn[k] ?? 0;
      if (on !== 0 && ((cond[on === 1 ? u : v] ?? 0) & (condBit[k] ?? 0)) === 0) continue;
      const target = isRead ? (this.readNode[v] ?? -1) : v;
      if (target < 0) continue;
      this.emit(k, u, v, target, via, approver);
      if (isRead) doneRead = true;
      else doneControl = true;
      if (doneRead && doneControl) return;
    }
  }

  private emit(k: number, u: number, v: number, target: number, via: number, approver: number): void {
    const factor = this.combine(k, u, v, via, approver);
    const at = this.count;
    if (at === this.cu.length) this.grow();
    this.cu[at] = u;
    this.cv[at] = target;
    this.ck[at] = k;
    this.cvia[at] = via;
    this.cp[at] = (this.prob[k] ?? 0) * factor;
    const touched = this.touched;
    if (touched.length > 0) this.emitControls();
    this.cCtlEnd[at] = this.cCtlEl.length;
    this.count = at + 1;
  }

  private emitControls(): void {
    const touched = this.touched;
    for (let i = 0; i < touched.length; i++) {
      const p = touched.data[i] ?? 0;
      this.cCtlEl.push(this.bestC[p] ?? -1);
      this.cCtlPat.push(p);
      this.cCtlF.push(this.bestF[p] ?? 1);
    }
  }

  private grow(): void {
    const size = this.cu.length * 2;
    this.cu = grownInt(this.cu, size);
    this.cv = grownInt(this.cv, size);
    this.ck = grownInt(this.ck, size);
    this.cvia = grownInt(this.cvia, size);
    this.cCtlEnd = grownInt(this.cCtlEnd, size);
    const cp = new Float64Array(size);
    cp.set(this.cp);
    this.cp = cp;
  }

  /** Product of the best factor of each distinct pattern on a, b, c (and a grant approval) that mitigates the kind's threat. */
  private combine(kind: number, a: number, b: number, c: number, approver: number): number {
    this.token++;
    const touched = this.touched;
    touched.length = 0;
    if (!this.anyControl) return 1;
    const mayHave = this.mayHave;
    const approval = approver >= 0 && this.approvalPattern >= 0;
    if (mayHave[a] !== 1 && mayHave[b] !== 1 && (c < 0 || mayHave[c] !== 1) && !approval) return 1;
    const row = kind * this.P;
    this.considerElement(row, a);
    if (b !== a) this.considerElement(row, b);
    if (c !== a && c !== b) this.considerElement(row, c);
    if (approval) this.consider(row, this.approvalPattern, this.approvalFactor, approver);
    const m = touched.length;
    if (m === 0) return 1;
    const list = touched.data;
    // Patterns in ascending order (insertion sort: a handful of entries).
    for (let i = 1; i < m; i++) {
      const x = list[i] ?? 0;
      let j = i - 1;
      while (j >= 0 && (list[j] ?? 0) > x) {
        list[j + 1] = list[j] ?? 0;
        j--;
      }
      list[j + 1] = x;
    }
    let factor = 1;
    for (let i = 0; i < m; i++) factor *= this.bestF[list[i] ?? 0] ?? 1;
    return factor;
  }

  private considerElement(row: number, x: number): void {
    if (x < 0 || this.mayHave[x] !== 1) return;
    if ((this.ctlStart[x] ?? -1) < 0) this.ensureControls(x);
    const start = this.ctlStart[x] ?? 0;
    const end = start + (this.ctlCount[x] ?? 0);
    const { ctlP, ctlFac, ctlC } = this;
    for (let k = start; k < end; k++) this.consider(row, ctlP.data[k] ?? 0, ctlFac.data[k] ?? 1, ctlC.data[k] ?? 0);
  }

  private consider(row: number, p: number, f: number, ctl: number): void {
    if (this.mitigates[row + p] !== 1) return;
    const { stamp, bestF, bestC } = this;
    if (stamp[p] !== this.token) {
      stamp[p] = this.token;
      bestF[p] = f;
      bestC[p] = ctl;
      this.touched.push(p);
    } else if (f < (bestF[p] ?? 1) || (f === bestF[p] && ctl < (bestC[p] ?? 0))) {
      bestF[p] = f;
      bestC[p] = ctl;
    }
  }

  private ensureControls(x: number): void {
    const { ctlP, controlPattern, controlFactor, pStamp, pBest, found } = this;
    this.ctlStart[x] = ctlP.length;
    const count = this.lookup.collect(x, this.controlsBuf);
    if (count === 0) return;
    found.length = 0;
    const controls = this.controlsBuf.data;
    for (let k = 0; k < count; k++) {
      const c = controls[k] ?? 0;
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
    this.ctlCount[x] = list.length;
    for (const p of list) {
      const c = pBest[p] ?? 0;
      ctlP.push(p);
      this.ctlFac.push(controlFactor[c] ?? 1);
      this.ctlC.push(c);
    }
  }
}

function grownInt(a: Int32Array, size: number): Int32Array {
  const next = new Int32Array(size);
  next.set(a);
  return next;
}

/** Candidate steps from every model edge, in each direction a step kind follows, in edge order. */
function deriveSteps(d: StepDeriver, resolved: ResolvedModel, en: EntryEdges, approvals: GrantApprovals, has: Uint8Array): void {
  const g = resolved.graph;
  const T = EDGE_TYPE_INDEX;
  const entryType = T.entry;
  const channelType = T.channel;
  const invokesType = T.invokes;
  const channelKind = KIND_INDEX.channel;
  const { edgeType, edgeSrc, edgeDst, edgeVia, kinds: gk, specs } = g;
  const entryVia = en.entryVia;
  const E0 = g.edgeCount;
  const D = DIRECTIONS.length;
  const nk = ELEMENT_KINDS.length;
  const nk2 = nk * nk;
  for (let e = 0; e < E0; e++) {
    const t = edgeType[e] ?? 0;
    const hasForward = has[t * D] === 1;
    const hasReverse = has[t * D + 1] === 1;
    const hasVia = has[t * D + 2] === 1;
    if (!hasForward && !hasReverse && !hasVia) continue; // containment, ownership, observation: no step
    const s = edgeSrc[e] ?? 0;
    let dst = edgeDst[e] ?? 0;
    let via = edgeVia[e] ?? -1;
    if (t === entryType) {
      via = entryVia[s] ?? -1;
      if (gk[dst] === channelKind) {
        // Input that enters on a channel reaches the channel's receiver.
        via = dst;
        dst = resolved.indexOf(str(specs[dst], 'to') ?? '');
        if (dst < 0) continue;
      }
    }
    const base = t * D * nk2;
    if (hasForward && (t !== channelType || !covered(en, s, via, dst))) d.tryStep(base, s, dst, via, t === invokesType ? approverOf(approvals, s, dst) : -1);
    if (hasReverse) d.tryStep(base + nk2, dst, s, via, -1);
    if (via >= 0 && hasVia) {
      d.tryStep(base + 2 * nk2, s, via, via, -1);
      d.tryStep(base + 2 * nk2, dst, via, via, -1);
    }
  }
}

/** Entry-source and crown-jewel flags per node, and each list ascending (read nodes are all jewels). */
function entryAndJewelNodes(n: number, N: number, entryReasons: readonly (string | undefined)[], jewelControl: Uint8Array) {
  const isEntry = new Uint8Array(N);
  const isJewel = new Uint8Array(N);
  let entryTotal = 0;
  let jewelTotal = 0;
  for (let i = 0; i < n; i++) {
    if (entryReasons[i] !== undefined) {
      isEntry[i] = 1;
      entryTotal++;
    }
    if (jewelControl[i] === 1) isJewel[i] = 1;
  }
  for (let r = n; r < N; r++) isJewel[r] = 1;
  for (let v = 0; v < N; v++) if (isJewel[v] === 1) jewelTotal++;
  const entrySources = new Int32Array(entryTotal);
  const crownJewels = new Int32Array(jewelTotal);
  for (let v = 0, a = 0, b = 0; v < N; v++) {
    if (isEntry[v] === 1) entrySources[a++] = v;
    if (isJewel[v] === 1) crownJewels[b++] = v;
  }
  return { isEntry, isJewel, entrySources, crownJewels };
}

/**
 * The candidate steps grouped by (source, target): a stable counting sort by source, then per source
 * the distinct targets in ascending order; between two nodes the most likely step is kept (ties: lower
 * step kind index, then the earlier candidate). Returns the edges, source-major, with their controls.
 */
function groupSteps(
  N: number,
  M: number,
  candU: Int32Array,
  candV: Int32Array,
  candK: Int32Array,
  candP: Float64Array,
  candVia: Int32Array,
  ctlEnds: Int32Array,
  ctlEl: Int32Array,
  ctlPat: Int32Array,
  ctlF: Float64Array,
) {
  const order = countingGroups(N, candU, M).order;
  const best = new Int32Array(N).fill(-1);
  let vs = new Int32Array(64);
  const kept = new Int32Array(M);
  let E = 0;
  const offsets = new Int32Array(N + 1);
  for (let i = 0; i < M; ) {
    const u = candU[order[i] ?? 0] ?? 0;
    let m = 0;
    let j = i;
    for (; j < M; j++) {
      const c = order[j] ?? 0;
      if (candU[c] !== u) break;
      const v = candV[c] ?? 0;
      const b = best[v] ?? -1;
      if (b < 0) {
        best[v] = c;
        if (m === vs.length) {
          const next = new Int32Array(m * 2);
          next.set(vs);
          vs = next;
        }
        vs[m++] = v;
      } else {
        const pc = candP[c] ?? 0;
        const pb = candP[b] ?? 0;
        if (pc > pb || (pc === pb && (candK[c] ?? 0) < (candK[b] ?? 0))) best[v] = c;
      }
    }
    if (m > 32) vs.subarray(0, m).sort();
    else {
      for (let a = 1; a < m; a++) {
        const x = vs[a] ?? 0;
        let b = a - 1;
        while (b >= 0 && (vs[b] ?? 0) > x) {
          vs[b + 1] = vs[b] ?? 0;
          b--;
        }
        vs[b + 1] = x;
      }
    }
    for (let a = 0; a < m; a++) {
      const v = vs[a] ?? 0;
      kept[E++] = best[v] ?? 0;
      best[v] = -1;
    }
    offsets[u + 1] = m;
    i = j;
  }
  for (let u = 0; u < N; u++) offsets[u + 1] = (offsets[u + 1] ?? 0) + (offsets[u] ?? 0);
  return layOutSteps(E, kept, offsets, candU, candV, candK, candP, candVia, ctlEnds, ctlEl, ctlPat, ctlF);
}

/** The kept candidates as edge arrays, with their controls (a function of its own: V8 optimises each loop nest apart). */
function layOutSteps(
  E: number,
  kept: Int32Array,
  offsets: Int32Array,
  candU: Int32Array,
  candV: Int32Array,
  candK: Int32Array,
  candP: Float64Array,
  candVia: Int32Array,
  ctlEnds: Int32Array,
  ctlEl: Int32Array,
  ctlPat: Int32Array,
  ctlF: Float64Array,
) {
  const sources = new Int32Array(E);
  const targets = new Int32Array(E);
  const kinds = new Uint8Array(E);
  const probability = new Float64Array(E);
  const via = new Int32Array(E);
  const controlOffsets = new Int32Array(E + 1);
  let total = 0;
  for (let e = 0; e < E; e++) {
    const c = kept[e] ?? 0;
    total += (ctlEnds[c] ?? 0) - (c > 0 ? (ctlEnds[c - 1] ?? 0) : 0);
    controlOffsets[e + 1] = total;
  }
  const controlElements = new Int32Array(total);
  const controlPatterns = new Int32Array(total);
  const controlFactors = new Float64Array(total);
  for (let e = 0; e < E; e++) {
    const c = kept[e] ?? 0;
    sources[e] = candU[c] ?? 0;
    targets[e] = candV[c] ?? 0;
    kinds[e] = candK[c] ?? 0;
    probability[e] = candP[c] ?? 0;
    via[e] = candVia[c] ?? -1;
    const from = c > 0 ? (ctlEnds[c - 1] ?? 0) : 0;
    const end = ctlEnds[c] ?? 0;
    if (end === from) continue;
    let o = controlOffsets[e] ?? 0;
    for (let k = from; k < end; k++, o++) {
      controlElements[o] = ctlEl[k] ?? 0;
      controlPatterns[o] = ctlPat[k] ?? 0;
      controlFactors[o] = ctlF[k] ?? 1;
    }
  }
  return { edgeCount: E, offsets, sources, targets, kinds, probability, via, controlOffsets, controlElements, controlPatterns, controlFactors };
}
