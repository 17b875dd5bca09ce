/**
 * What the graph layer reads from element specs: entry sources (where attacks start), crown jewels
 * (what attackers want), the conditions of semantics.ts, and which declared controls protect an
 * element. Pure, iterative; reads the resolved model only.
 */
import { EDGE_TYPE_INDEX, isRecord } from '../model/references.js';
import { KIND_INDEX, type ResolvedModel } from '../model/resolve.js';
import { IntBuffer } from './buffers.js';
import { isExactVersion } from '../model/launch.js';
import type { Condition } from './semantics.js';

export type Spec = Readonly<Record<string, unknown>>;

export function str(spec: Spec | undefined, key: string): string | undefined {
  const v = spec?.[key];
  return typeof v === 'string' ? v : undefined;
}

function obj(spec: Spec | undefined, key: string): Spec | undefined {
  const v = spec?.[key];
  return isRecord(v) ? v : undefined;
}

/**
 * The side effects the graph layer branches on, as bits (one integer per element instead of a Set of
 * strings): EFFECT_BIT[name], plus EFFECT_ANY when the element lists any side effect at all.
 */
export const EFFECT_BIT: Readonly<Record<string, number>> = {
  payment: 1,
  'blockchain-transaction': 2,
  'execute-code': 4,
  delete: 8,
  'send-message': 16,
  'network-egress': 32,
  read: 64,
};
export const EFFECT_ANY = 128;

/** EFFECT_BIT as a Map: one hash lookup per side-effect string. */
const EFFECT_BIT_MAP: ReadonlyMap<string, number> = new Map(Object.entries(EFFECT_BIT));

function effectListBits(v: unknown): number {
  if (!Array.isArray(v)) return 0;
  const list = v as unknown[];
  let bits = 0;
  for (let i = 0; i < list.length; i++) {
    const x = list[i];
    if (typeof x !== 'string') continue;
    bits |= EFFECT_ANY | (EFFECT_BIT_MAP.get(x) ?? 0);
  }
  return bits;
}

/** The side effects of a tool or MCP server (its own and those of the tools it lists) as bits. */
export function sideEffectBits(spec: Spec | undefined): number {
  let bits = effectListBits(spec?.['sideEffects']);
  const tools = spec?.['tools'];
  if (!Array.isArray(tools)) return bits;
  const list = tools as unknown[];
  for (let i = 0; i < list.length; i++) {
    const t = list[i];
    if (isRecord(t)) bits |= effectListBits(t['sideEffects']);
  }
  return bits;
}


function returnsOutsideContent(spec: Spec | undefined, effects: number): boolean {
  const type = str(spec, 'type');
  if (type === 'browser' || type === 'search') return true;
  if (type === 'email') return (effects & EFFECT_ANY) === 0 || (effects & (EFFECT_BIT['read'] ?? 0)) !== 0;
  return false;
}

/** Supply-chain weaknesses of a tool, MCP server or dependency, as reasons. */
function supplyChainReasons(spec: Spec | undefined, isDependency: boolean): string[] {
  const reasons: string[] = [];
  const publisher = obj(spec, 'publisher');
  const trust = str(publisher, 'trust');
  if ((trust === 'unknown' || trust === 'community') && publisher?.['verified'] !== true) reasons.push(`published by an unverified ${trust} publisher`);
  const pkg = obj(spec, 'package');
  const pinned = spec?.['pinned'];
  if (isDependency && pinned === false) reasons.push('not pinned');
  else if (pkg && pinned !== true && !isExactVersion(str(pkg, 'version')) && str(pkg, 'integrity') === undefined && obj(spec, 'lock') === undefined) {
    reasons.push('package version not pinned');
  }
  if (obj(spec, 'signature')?.['signed'] === false) reasons.push('unsigned');
  return reasons;
}

/** The element kinds `entryReason` may name an entry source; it returns undefined for every other kind. */
export const ENTRY_KINDS: ReadonlySet<string> = new Set(['entry-point', 'human', 'external-system', 'agent', 'tool', 'mcp-server', 'dependency']);

/**
 * Why element i is an entry source (where an attacker starts), or undefined. `effects` is the
 * element's `sideEffectBits` when the caller has it (-1: computed here when needed).
 */
export function entryReason(m: ResolvedModel, i: number, effects = -1): string | undefined {
  const spec = m.graph.specs[i];
  switch (m.kindOf(i)) {
    case 'entry-point': {
      const trust = str(spec, 'trust');
      if (trust === 'trusted') return undefined;
      const type = str(spec, 'type') ?? 'input';
      return trust === 'untrusted' ? `untrusted ${type} entry point` : `${type} entry point not marked trusted (trust: ${trust ?? 'not declared'})`;
    }
    case 'human': {
      const trust = str(spec, 'trust');
      const role = str(spec, 'role');
      if (trust === 'untrusted') return 'untrusted person';
      if (role === 'public') return 'member of the public';
      if (trust === undefined && role === 'customer') return 'customer (trust not declared)';
      return undefined;
    }
    case 'external-system': {
      const trust = str(spec, 'trust');
      const type = str(spec, 'type');
      if (trust === 'untrusted') return 'untrusted outside system';
      if (trust === undefined && (type === 'website' || type === 'email')) return `${type} outside system (trust not declared)`;
      return undefined;
    }
    case 'agent': {
      const origin = str(spec, 'origin');
      return origin === 'external' ? 'external agent' : origin === 'third-party' ? 'third-party agent' : undefined;
    }
    case 'tool':
    case 'mcp-server': {
      const reasons = supplyChainReasons(spec, false);
      if (returnsOutsideContent(spec, effects >= 0 ? effects : sideEffectBits(spec))) reasons.unshift(`returns outside content (${str(spec, 'type') ?? 'tool'})`);
      return reasons.length > 0 ? reasons.join('; ') : undefined;
    }
    case 'dependency': {
      const reasons = supplyChainReasons(spec, true);
      return reasons.length > 0 ? `dependency ${reasons.join('; ')}` : undefined;
    }
    default:
      return undefined;
  }
}

const EFFECT_REASONS: readonly (readonly [number, string])[] = [
  [EFFECT_BIT['payment'] ?? 0, 'can make payments'],
  [EFFECT_BIT['blockchain-transaction'] ?? 0, 'can sign on-chain transactions'],
  [EFFECT_BIT['execute-code'] ?? 0, 'can execute code'],
  [EFFECT_BIT['delete'] ?? 0, 'can delete data'],
  [EFFECT_BIT['send-message'] ?? 0, 'can send messages out (data export)'],
  [EFFECT_BIT['network-egress'] ?? 0, 'can send data out of the system (data export)'],
];

/** Every side-effect bit that makes a crown jewel. */
const EFFECT_JEWEL_BITS = EFFECT_REASONS.reduce((bits, [bit]) => bits | bit, 0);

function addReason(reasons: (string[] | undefined)[], i: number, reason: string): void {
  const list = reasons[i];
  if (list) {
    if (!list.includes(reason)) list.push(reason);
  } else reasons[i] = [reason];
}

function effectReasons(reasons: (string[] | undefined)[], i: number, bits: number): void {
  for (let k = 0; k < EFFECT_REASONS.length; k++) {
    const row = EFFECT_REASONS[k];
    if (row && (bits & row[0]) !== 0) addReason(reasons, i, row[1]);
  }
}

export interface CrownJewels {
  /** Why each element is a crown jewel (undefined when it is not). */
  readonly reasons: (string[] | undefined)[];
  /** 1 when taking the element over reaches the jewel (its control node is a crown jewel). */
  readonly control: Uint8Array;
  /** 1 when reading the element's data reaches the jewel (it gets a read node): memories and channels. */
  readonly read: Uint8Array;
}

/**
 * Crown jewels: elements holding a crown-jewel, confidential or restricted asset; tools and MCP
 * servers with irreversible side effects; memories and outside systems marked restricted. A memory or
 * channel is a jewel for its data, so it is reached by READING it (a poisoned write is not a breach of
 * its data); a memory holding funds or an action is also reached by taking it over (tampering moves
 * the value). `effects` (optional) is each element's `sideEffectBits`, -1 where not computed.
 */
export function findCrownJewels(m: ResolvedModel, effects?: Int16Array): CrownJewels {
  const g = m.graph;
  const reasons: (string[] | undefined)[] = new Array<string[] | undefined>(g.size).fill(undefined);
  const control = new Uint8Array(g.size);
  const read = new Uint8Array(g.size);
  const holdsEdge = EDGE_TYPE_INDEX.holds;
  const integrity = new Uint8Array(g.size);
  for (let e = 0; e < g.edgeCount; e++) {
    if (g.edgeType[e] !== holdsEdge) continue;
    const holder = g.edgeSrc[e] ?? 0;
    const asset = g.edgeDst[e] ?? 0;
    const spec = g.specs[asset];
    const sensitivity = str(spec, 'sensitivity');
    const id = g.ids[asset] ?? '';
    const type = str(spec, 'type');
    if (spec?.['crownJewel'] === true) addReason(reasons, holder, `holds crown-jewel asset ${id}`);
    else if (sensitivity === 'restricted' || sensitivity === 'confidential') addReason(reasons, holder, `holds ${sensitivity} asset ${id}`);
    else continue;
    if (type === 'funds' || type === 'action') integrity[holder] = 1;
  }
  const K = KIND_INDEX;
  for (let i = 0; i < g.size; i++) {
    const kind = g.kinds[i];
    if (kind === K.tool || kind === K['mcp-server']) {
      const bits = effects && (effects[i] ?? -1) >= 0 ? (effects[i] ?? 0) : sideEffectBits(g.specs[i]);
      if (effects) effects[i] = bits;
      if ((bits & EFFECT_JEWEL_BITS) !== 0) effectReasons(reasons, i, bits);
    } else if ((kind === K.memory || kind === K['external-system']) && str(g.specs[i], 'sensitivity') === 'restricted') {
      addReason(reasons, i, kind === K.memory ? 'stores restricted data' : 'restricted outside system');
    }
    if (reasons[i] === undefined) continue;
    if (kind === K.memory || kind === K.channel) {
      read[i] = 1;
      if (kind === K.memory && integrity[i] === 1) control[i] = 1;
    } else control[i] = 1;
  }
  return { reasons, control, read };
}

/** Bit of each named condition in the per-element masks of `conditionMasks`. */
export const CONDITION_BIT: Readonly<Record<Condition, number>> = {
  'external-agent': 1,
  'outside-content': 2,
  'rag-store': 4,
  'executes-code': 8,
  'crown-jewel': 16,
};

/**
 * The named conditions of semantics.ts as one bit mask per element, evaluated once per element.
 * `needed[c * kinds + kind]` = 1 when condition c is ever asked of an element of that kind (the others
 * are left 0: never read). `effects` caches `sideEffectBits` (-1 = not computed yet).
 */
export function conditionMasks(m: ResolvedModel, jewelRead: Uint8Array, needed: Uint8Array, kindCount: number, effects: Int16Array): Uint8Array {
  const g = m.graph;
  const out = new Uint8Array(g.size);
  const B = CONDITION_BIT;
  const idx = (c: Condition) => Math.log2(B[c]);
  const need = (c: Condition, kind: number) => needed[idx(c) * kindCount + kind] === 1;
  const agent = KIND_INDEX.agent;
  const memory = KIND_INDEX.memory;
  // Per kind: which conditions to evaluate (a small table, so the element loop does no string work
  // for kinds no condition applies to).
  const perKind = new Uint8Array(kindCount);
  for (let k = 0; k < kindCount; k++) {
    let bits = 0;
    for (const c of Object.keys(B) as Condition[]) if (need(c, k)) bits |= B[c];
    perKind[k] = bits;
  }
  for (let i = 0; i < g.size; i++) {
    const kind = g.kinds[i] ?? 0;
    const want = perKind[kind] ?? 0;
    if (want === 0) continue;
    const spec = g.specs[i];
    let bits = 0;
    if ((want & B['external-agent']) !== 0 && kind === agent) {
      const origin = str(spec, 'origin');
      if (origin === 'external' || origin === 'third-party') bits |= B['external-agent'];
    }
    if ((want & (B['outside-content'] | B['executes-code'])) !== 0) {
      let fx = effects[i] ?? -1;
      if (fx < 0) {
        fx = sideEffectBits(spec);
        effects[i] = fx;
      }
      if ((want & B['outside-content']) !== 0 && returnsOutsideContent(spec, fx)) bits |= B['outside-content'];
      if ((want & B['executes-code']) !== 0 && (fx & (EFFECT_BIT['execute-code'] ?? 0)) !== 0) bits |= B['executes-code'];
    }
    if ((want & B['rag-store']) !== 0 && kind === memory) {
      const type = str(spec, 'type');
      if (type === 'rag-corpus' || type === 'vector-store' || type === 'knowledge-graph') bits |= B['rag-store'];
    }
    if ((want & B['crown-jewel']) !== 0 && jewelRead[i] === 1) bits |= B['crown-jewel'];
    out[i] = bits;
  }
  return out;
}

/**
 * Declared controls per element, as engine/run.ts attaches them: the element's own, those of every
 * boundary, deployment and parent it sits in (transitively), and system-wide ones (a control that
 * names no element). Allocation-free per call.
 */
export class ControlLookup {
  private readonly systemWide: number[] = [];
  private readonly seenEl: Int32Array;
  private readonly seenCtl: Int32Array;
  private readonly stack = new IntBuffer(64);
  private token = 0;
  private readonly protectedBy = EDGE_TYPE_INDEX['protected-by'];
  /** 0 when `collect` is sure to find no control for the element (nothing on it or its containers). */
  readonly mayHave: Uint8Array;
  constructor(private readonly m: ResolvedModel) {
    const g = m.graph;
    const n = g.size;
    this.seenEl = new Int32Array(n);
    this.seenCtl = new Int32Array(n);
    const controlKind = KIND_INDEX.control;
    for (let c = 0; c < n; c++) {
      if (g.kinds[c] !== controlKind) continue;
      const applies = g.specs[c]?.['appliesTo'];
      const hasTargets = Array.isArray(applies) && applies.length > 0;
      if (!hasTargets && (g.inOffsets[c + 1] ?? 0) - (g.inOffsets[c] ?? 0) === 0) this.systemWide.push(c);
    }
    this.mayHave = new Uint8Array(n);
    if (this.systemWide.length > 0) {
      this.mayHave.fill(1);
      return;
    }
    // Elements with a control of their own, then every element whose containment chain meets one.
    const own = new Uint8Array(n);
    for (let e = 0; e < g.edgeCount; e++) if (g.edgeType[e] === this.protectedBy) own[g.edgeSrc[e] ?? 0] = 1;
    if (containmentMayHave(n, own, g.boundary, g.deployment, g.parent, this.mayHave)) return;
    // A containment cycle (the loader reports it; the analysis still terminates): one search per element.
    const stack = this.stack;
    for (let i = 0; i < n; i++) {
      const t = ++this.token;
      stack.length = 0;
      stack.push(i);
      while (stack.length > 0) {
        const x = stack.data[--stack.length] ?? -1;
        if (x < 0 || this.seenEl[x] === t) continue;
        this.seenEl[x] = t;
        if (own[x] === 1) {
          this.mayHave[i] = 1;
          break;
        }
        stack.push(g.boundary[x] ?? -1);
        stack.push(g.deployment[x] ?? -1);
        stack.push(g.parent[x] ?? -1);
      }
    }
  }

  /** Control element indexes applying to element i, written to `out` from 0; returns how many. */
  collect(i: number, out: IntBuffer): number {
    const g = this.m.graph;
    const { outOffsets, outEdges, edgeType, edgeDst, boundary, deployment, parent } = g;
    const seenEl = this.seenEl;
    const seenCtl = this.seenCtl;
    const protectedBy = this.protectedBy;
    const t = ++this.token;
    out.length = 0;
    for (const c of this.systemWide) {
      seenCtl[c] = t;
      out.push(c);
    }
    const stack = this.stack;
    stack.length = 0;
    stack.push(i);
    while (stack.length > 0) {
      const x = stack.data[--stack.length] ?? -1;
      if (x < 0 || seenEl[x] === t) continue;
      seenEl[x] = t;
      const end = outOffsets[x + 1] ?? 0;
      for (let k = outOffsets[x] ?? 0; k < end; k++) {
        const e = outEdges[k] ?? 0;
        if (edgeType[e] !== protectedBy) continue;
        const c = edgeDst[e] ?? 0;
        if (seenCtl[c] === t) continue;
        seenCtl[c] = t;
        out.push(c);
      }
      stack.push(boundary[x] ?? -1);
      stack.push(deployment[x] ?? -1);
      stack.push(parent[x] ?? -1);
    }
    return out.length;
  }
}

/**
 * mayHave[i] = 1 when element i or anything its containment pointers (boundary, deployment, parent)
 * lead to, transitively, has a control of its own: one iterative post-order pass, each element
 * settled once from its containers. Returns false (mayHave left partial) when the pointers form a
 * cycle, where the caller falls back to one search per element.
 */
export function containmentMayHave(n: number, own: Uint8Array, boundary: Int32Array, deployment: Int32Array, parent: Int32Array, mayHave: Uint8Array): boolean {
  const state = new Uint8Array(n); // 0 new, 1 on the stack, 2 settled
  const stack = new Int32Array(n);
  for (let root = 0; root < n; root++) {
    if (state[root] !== 0) continue;
    let sp = 0;
    stack[sp++] = root;
    state[root] = 1;
    while (sp > 0) {
      const x = stack[sp - 1] ?? 0;
      const b = boundary[x] ?? -1;
      const d = deployment[x] ?? -1;
      const p = parent[x] ?? -1;
      // Descend into the first container not settled yet.
      let next = -1;
      if (b >= 0 && state[b] !== 2) next = b;
      else if (d >= 0 && state[d] !== 2) next = d;
      else if (p >= 0 && state[p] !== 2) next = p;
      if (next >= 0) {
        if (state[next] === 1) return false; // a cycle
        state[next] = 1;
        stack[sp++] = next;
        continue;
      }
      mayHave[x] = own[x] === 1 || (b >= 0 && mayHave[b] === 1) || (d >= 0 && mayHave[d] === 1) || (p >= 0 && mayHave[p] === 1) ? 1 : 0;
      state[x] = 2;
      sp--;
    }
  }
  return true;
}

/**
 * Approvers named on the agents' tool grants, flat: for agent a, pairs (tool, approver) at
 * approvalTool/approvalBy[approvalStart[a] .. approvalStart[a+1]), in grant order (the first grant of
 * a tool wins). Only grants that name an approval do any string work.
 */
export interface GrantApprovals {
  readonly approvalStart: Int32Array;
  readonly approvalTool: Int32Array;
  readonly approvalBy: Int32Array;
}

export function grantApprovals(m: ResolvedModel): GrantApprovals {
  const g = m.graph;
  const n = g.size;
  const approvalStart = new Int32Array(n + 1);
  const tools = new IntBuffer(16);
  const by = new IntBuffer(16);
  const agent = KIND_INDEX.agent;
  // A grant's approval that names an element is an approved-by edge of the agent (resolveModel), so
  // agents without one have no grant to read.
  const approved = new Uint8Array(n);
  const approvedBy = EDGE_TYPE_INDEX['approved-by'];
  for (let e = 0; e < g.edgeCount; e++) if (g.edgeType[e] === approvedBy) approved[g.edgeSrc[e] ?? 0] = 1;
  for (let a = 0; a < n; a++) {
    approvalStart[a] = tools.length;
    if (g.kinds[a] !== agent || approved[a] !== 1) continue;
    const list = g.specs[a]?.['tools'];
    if (!Array.isArray(list)) continue;
    const first = tools.length;
    for (const grant of list as unknown[]) {
      if (!isRecord(grant)) continue;
      const ref = grant['ref'];
      const approval = grant['approval'];
      if (typeof ref !== 'string' || typeof approval !== 'string') continue;
      const tool = m.indexOf(ref);
      const approver = m.indexOf(approval);
      if (tool < 0 || approver < 0) continue;
      let dup = false;
      for (let k = first; k < tools.length; k++) if (tools.data[k] === tool) dup = true;
      if (dup) continue;
      tools.push(tool);
      by.push(approver);
    }
  }
  approvalStart[n] = tools.length;
  return { approvalStart, approvalTool: tools.toArray(), approvalBy: by.toArray() };
}

/** The approver of agent a's grant of tool t, or -1. */
export function approverOf(ap: GrantApprovals, a: number, t: number): number {
  const end = ap.approvalStart[a + 1] ?? 0;
  for (let k = ap.approvalStart[a] ?? 0; k < end; k++) if (ap.approvalTool[k] === t) return ap.approvalBy[k] ?? -1;
  return -1;
}
