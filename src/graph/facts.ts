/**
 * What the graph layer reads from element specs: entry sources (where attacks start), crown jewels
 * (what attackers want), the conditions of semantics.ts, and which declared controls protect an
 * element. Pure, iterative; reads the resolved model only.
 */
import { EDGE_TYPE_INDEX, isRecord } from '../model/references.js';
import { KIND_INDEX, type ResolvedModel } from '../model/resolve.js';
import { IntBuffer } from './buffers.js';
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

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Side effects of a tool or MCP server: its own plus those of the tools it lists. */
export function sideEffectsOf(spec: Spec | undefined): Set<string> {
  const set = new Set<string>(strings(spec?.['sideEffects']));
  const tools = spec?.['tools'];
  if (Array.isArray(tools)) for (const t of tools) if (isRecord(t)) for (const s of strings(t['sideEffects'])) set.add(s);
  return set;
}

const EXACT_VERSION = /^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/;

function returnsOutsideContent(spec: Spec | undefined): boolean {
  const type = str(spec, 'type');
  if (type === 'browser' || type === 'search') return true;
  if (type === 'email') {
    const effects = sideEffectsOf(spec);
    return effects.size === 0 || effects.has('read');
  }
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
  else if (pkg && pinned !== true && !EXACT_VERSION.test(str(pkg, 'version') ?? '') && str(pkg, 'integrity') === undefined && obj(spec, 'lock') === undefined) {
    reasons.push('package version not pinned');
  }
  if (obj(spec, 'signature')?.['signed'] === false) reasons.push('unsigned');
  return reasons;
}

/** Why element i is an entry source (where an attacker starts), or undefined. */
export function entryReason(m: ResolvedModel, i: number): string | undefined {
  const spec = m.graph.specs[i];
  const kind = m.kindOf(i);
  const trust = str(spec, 'trust');
  switch (kind) {
    case 'entry-point': {
      if (trust === 'trusted') return undefined;
      const type = str(spec, 'type') ?? 'input';
      return trust === 'untrusted' ? `untrusted ${type} entry point` : `${type} entry point not marked trusted (trust: ${trust ?? 'not declared'})`;
    }
    case 'human': {
      const role = str(spec, 'role');
      if (trust === 'untrusted') return 'untrusted person';
      if (role === 'public') return 'member of the public';
      if (trust === undefined && role === 'customer') return 'customer (trust not declared)';
      return undefined;
    }
    case 'external-system': {
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
      if (returnsOutsideContent(spec)) reasons.unshift(`returns outside content (${str(spec, 'type') ?? 'tool'})`);
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

const EFFECT_REASONS: readonly (readonly [string, string])[] = [
  ['payment', 'can make payments'],
  ['blockchain-transaction', 'can sign on-chain transactions'],
  ['execute-code', 'can execute code'],
  ['delete', 'can delete data'],
  ['send-message', 'can send messages out (data export)'],
  ['network-egress', 'can send data out of the system (data export)'],
];

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
 * the value).
 */
export function findCrownJewels(m: ResolvedModel): CrownJewels {
  const g = m.graph;
  const reasons: (string[] | undefined)[] = new Array<string[] | undefined>(g.size).fill(undefined);
  const control = new Uint8Array(g.size);
  const read = new Uint8Array(g.size);
  const add = (i: number, reason: string) => {
    const list = reasons[i];
    if (list) {
      if (!list.includes(reason)) list.push(reason);
    } else reasons[i] = [reason];
  };
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
    if (spec?.['crownJewel'] === true) add(holder, `holds crown-jewel asset ${id}`);
    else if (sensitivity === 'restricted' || sensitivity === 'confidential') add(holder, `holds ${sensitivity} asset ${id}`);
    else continue;
    if (type === 'funds' || type === 'action') integrity[holder] = 1;
  }
  for (let i = 0; i < g.size; i++) {
    const kind = m.kindOf(i);
    const spec = g.specs[i];
    if (kind === 'tool' || kind === 'mcp-server') {
      const effects = sideEffectsOf(spec);
      for (const [effect, reason] of EFFECT_REASONS) if (effects.has(effect)) add(i, reason);
    } else if ((kind === 'memory' || kind === 'external-system') && str(spec, 'sensitivity') === 'restricted') {
      add(i, kind === 'memory' ? 'stores restricted data' : 'restricted outside system');
    }
    if (reasons[i] === undefined) continue;
    if (kind === 'memory' || kind === 'channel') {
      read[i] = 1;
      if (kind === 'memory' && integrity[i] === 1) control[i] = 1;
    } else control[i] = 1;
  }
  return { reasons, control, read };
}

/** Evaluate a named condition of semantics.ts on element i. `jewel` tells crown jewels. */
export function meetsCondition(m: ResolvedModel, i: number, condition: Condition, jewel: (i: number) => boolean): boolean {
  const spec = m.graph.specs[i];
  switch (condition) {
    case 'external-agent': {
      const origin = str(spec, 'origin');
      return m.kindOf(i) === 'agent' && (origin === 'external' || origin === 'third-party');
    }
    case 'outside-content':
      return returnsOutsideContent(spec);
    case 'rag-store': {
      const type = str(spec, 'type');
      return m.kindOf(i) === 'memory' && (type === 'rag-corpus' || type === 'vector-store' || type === 'knowledge-graph');
    }
    case 'executes-code':
      return sideEffectsOf(spec).has('execute-code');
    case 'crown-jewel':
      return jewel(i);
  }
}

/**
 * Declared controls per element, as engine/run.ts attaches them: the element's own, those of every
 * boundary, deployment and parent it sits in (transitively), and system-wide ones (a control that
 * names no element). Allocation-free per call: `forEach` visits each control once.
 */
export class ControlLookup {
  private readonly systemWide: number[] = [];
  private readonly seenEl: Int32Array;
  private readonly seenCtl: Int32Array;
  private readonly stack = new IntBuffer(64);
  private token = 0;
  private readonly protectedBy = EDGE_TYPE_INDEX['protected-by'];
  constructor(private readonly m: ResolvedModel) {
    const g = m.graph;
    this.seenEl = new Int32Array(g.size);
    this.seenCtl = new Int32Array(g.size);
    const controlKind = KIND_INDEX.control;
    for (let c = 0; c < g.size; c++) {
      if (g.kinds[c] !== controlKind) continue;
      const applies = g.specs[c]?.['appliesTo'];
      const hasTargets = Array.isArray(applies) && applies.length > 0;
      if (!hasTargets && (g.inOffsets[c + 1] ?? 0) - (g.inOffsets[c] ?? 0) === 0) this.systemWide.push(c);
    }
  }

  /** Control element indexes applying to element i, written to `out` from 0; returns how many. */
  collect(i: number, out: IntBuffer): number {
    const g = this.m.graph;
    const t = ++this.token;
    out.length = 0;
    for (const c of this.systemWide) {
      this.seenCtl[c] = t;
      out.push(c);
    }
    const stack = this.stack;
    stack.length = 0;
    stack.push(i);
    while (stack.length > 0) {
      const x = stack.data[--stack.length] ?? -1;
      if (x < 0 || this.seenEl[x] === t) continue;
      this.seenEl[x] = t;
      for (let k = g.outOffsets[x] ?? 0; k < (g.outOffsets[x + 1] ?? 0); k++) {
        const e = g.outEdges[k] ?? 0;
        if (g.edgeType[e] !== this.protectedBy) continue;
        const c = g.edgeDst[e] ?? 0;
        if (this.seenCtl[c] === t) continue;
        this.seenCtl[c] = t;
        out.push(c);
      }
      stack.push(g.boundary[x] ?? -1);
      stack.push(g.deployment[x] ?? -1);
      stack.push(g.parent[x] ?? -1);
    }
    return out.length;
  }
}

/** Approvers named on an agent's tool grants: agent -> (tool index -> approver index). */
export function grantApprovers(m: ResolvedModel, agent: number): Map<number, number> | undefined {
  const list = m.graph.specs[agent]?.['tools'];
  if (!Array.isArray(list)) return undefined;
  let map: Map<number, number> | undefined;
  for (const g of list) {
    if (!isRecord(g) || typeof g['ref'] !== 'string' || typeof g['approval'] !== 'string') continue;
    const tool = m.indexOf(g['ref']);
    const approver = m.indexOf(g['approval']);
    if (tool < 0 || approver < 0) continue;
    map ??= new Map();
    if (!map.has(tool)) map.set(tool, approver);
  }
  return map;
}
