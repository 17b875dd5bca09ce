/**
 * Shared selectors for rules, so a typical rule is a short loop. Everything here reads the resolved
 * model only; nothing allocates per edge more than needed, nothing recurses over the graph.
 */
import type { ElementKind } from '../../model/kinds.js';
import { EDGE_TYPE_INDEX, isRecord, type EdgeType } from '../../model/references.js';
import type { ResolvedModel } from '../../model/resolve.js';
import type { Evidence } from '../../engine/types.js';
import { ControlIndex } from '../../engine/run.js';
import type { SideEffectName } from '../../model/schema.js';

export type Spec = Readonly<Record<string, unknown>>;

export interface El {
  readonly i: number;
  readonly id: string;
  readonly spec: Spec;
}

/**
 * A per-model memo of a per-element selector: one WeakMap lookup by model, then an array slot per
 * element. Rules stay pure (the model is never changed; results are shared and must not be mutated)
 * and the memo dies with the model.
 */
export function elementMemo<T>(): (m: ResolvedModel, i: number, compute: () => T) => T {
  const cache = new WeakMap<ResolvedModel, (T | undefined)[]>();
  return (m, i, compute) => {
    let table = cache.get(m);
    if (table === undefined) {
      table = new Array<T | undefined>(m.graph.size);
      cache.set(m, table);
    }
    let v = table[i];
    if (v === undefined) {
      v = compute();
      table[i] = v;
    }
    return v;
  };
}

/** The shared empty list returned by memoised selectors (frozen: a caller that mutates it fails loudly). */
const EMPTY: readonly never[] = Object.freeze([]);

/**
 * The form of a list kept in a memo: the shared empty list, or an exact-size copy (a list grown by
 * push or filter keeps spare capacity, and memos keep thousands of small lists alive for a whole run).
 */
export function compact<T>(xs: T[]): T[] {
  return xs.length === 0 ? (EMPTY as unknown as T[]) : xs.slice();
}

/** Elements of a kind, in document order (built once per model and kind: the list is shared, do not mutate it). */
export function elements(m: ResolvedModel, kind: ElementKind): El[] {
  let byKind = elementsCache.get(m);
  if (byKind === undefined) {
    byKind = new Map();
    elementsCache.set(m, byKind);
  }
  let out = byKind.get(kind);
  if (out === undefined) {
    out = [];
    for (const i of m.ofKind(kind)) out.push({ i, id: m.graph.ids[i] ?? '', spec: m.graph.specs[i] ?? {} });
    byKind.set(kind, out);
  }
  return out;
}
const elementsCache = new WeakMap<ResolvedModel, Map<ElementKind, El[]>>();

export function el(m: ResolvedModel, i: number): El {
  return { i, id: m.graph.ids[i] ?? '', spec: m.graph.specs[i] ?? {} };
}

/** JSON pointer to an attribute of element i. */
export function pointer(m: ResolvedModel, i: number, path: readonly (string | number)[] = []): string {
  const g = m.graph;
  let res = `/${escapeSegment(g.sections[i] ?? '')}/${String(g.sectionIndex[i] ?? 0)}`;
  for (const p of path) res += `/${typeof p === 'number' ? String(p) : escapeSegment(p)}`;
  return res;
}

/** A JSON pointer segment: "~" becomes "~0", "/" becomes "~1" (most segments have neither). */
function escapeSegment(s: string): string {
  return s.includes('~') || s.includes('/') ? s.replace(/~/g, '~0').replace(/\//g, '~1') : s;
}

function attributeName(path: readonly (string | number)[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? p : `.${p}`;
  return s;
}

/** Evidence that element i has `value` at `path`. */
export function has(m: ResolvedModel, i: number, path: readonly (string | number)[], value?: unknown, note?: string): Evidence {
  const e: { -readonly [K in keyof Evidence]: Evidence[K] } = { element: m.graph.ids[i] ?? '', pointer: pointer(m, i, path), attribute: attributeName(path) };
  if (value !== undefined) e.value = value;
  if (note !== undefined) e.note = note;
  return e;
}

/** Evidence that element i does not declare `path` (the pointer is the element itself). */
export function lacks(m: ResolvedModel, i: number, path: readonly (string | number)[], note = 'not declared'): Evidence {
  return { element: m.graph.ids[i] ?? '', pointer: pointer(m, i), attribute: attributeName(path), note };
}

/** Read a nested value from a spec. */
export function get(spec: Spec, path: readonly (string | number)[]): unknown {
  let cur: unknown = spec;
  for (const p of path) {
    if (Array.isArray(cur) && typeof p === 'number') cur = cur[p];
    else if (isRecord(cur) && typeof p === 'string' && Object.hasOwn(cur, p)) cur = cur[p];
    else return undefined;
  }
  return cur;
}

export function str(spec: Spec, key: string): string | undefined {
  const v = spec[key];
  return typeof v === 'string' ? v : undefined;
}

export function bool(spec: Spec, key: string): boolean | undefined {
  const v = spec[key];
  return typeof v === 'boolean' ? v : undefined;
}

export function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Lists shorter than this are scanned; longer ones get a position map, memoised per model. */
const POSITION_SCAN = 16;
const positionCache = new WeakMap<ResolvedModel, WeakMap<readonly unknown[], Map<string, number>>>();

/**
 * Position of `id` in the string entries of list `v` (a list inside the model of m), as
 * `strings(v).indexOf(id)`: -1 when absent or when v is not a list. Long lists (a hub's
 * delegatesTo) are indexed once per model.
 */
export function positionIn(m: ResolvedModel, v: unknown, id: string): number {
  if (!Array.isArray(v)) return -1;
  const list = v as readonly unknown[];
  if (list.length < POSITION_SCAN) return strings(list).indexOf(id);
  let byList = positionCache.get(m);
  if (byList === undefined) {
    byList = new WeakMap();
    positionCache.set(m, byList);
  }
  let map = byList.get(list);
  if (map === undefined) {
    map = new Map();
    let k = 0;
    for (const x of list) {
      if (typeof x !== 'string') continue;
      if (!map.has(x)) map.set(x, k);
      k++;
    }
    byList.set(list, map);
  }
  return map.get(id) ?? -1;
}

/** Targets of out-edges of a type from i (in edge order). */
export function out(m: ResolvedModel, i: number, type: EdgeType): number[] {
  const g = m.graph;
  const t = EDGE_TYPE_INDEX[type];
  const res: number[] = [];
  for (let k = g.outOffsets[i] ?? 0; k < (g.outOffsets[i + 1] ?? 0); k++) {
    const e = g.outEdges[k] ?? 0;
    if (g.edgeType[e] === t) res.push(g.edgeDst[e] ?? 0);
  }
  return res;
}

/** Sources of in-edges of a type into i. */
export function into(m: ResolvedModel, i: number, type: EdgeType): number[] {
  const g = m.graph;
  const t = EDGE_TYPE_INDEX[type];
  const res: number[] = [];
  for (let k = g.inOffsets[i] ?? 0; k < (g.inOffsets[i + 1] ?? 0); k++) {
    const e = g.inEdges[k] ?? 0;
    if (g.edgeType[e] === t) res.push(g.edgeSrc[e] ?? 0);
  }
  return res;
}

/**
 * Sources of in-edges of a type into i, memoised per model and type: for selectors that ask the
 * same high in-degree element (a tool many agents hold, a memory many agents read) again and again.
 * The list is shared: do not mutate it.
 */
export function intoShared(m: ResolvedModel, i: number, type: EdgeType): number[] {
  let memo = intoMemos.get(type);
  if (memo === undefined) {
    memo = elementMemo<number[]>();
    intoMemos.set(type, memo);
  }
  return memo(m, i, () => compact(into(m, i, type)));
}
const intoMemos = new Map<EdgeType, (m: ResolvedModel, i: number, compute: () => number[]) => number[]>();

/** Targets of out-edges of a type from i, memoised per model and type (see intoShared). Shared list: do not mutate. */
export function outShared(m: ResolvedModel, i: number, type: EdgeType): number[] {
  let memo = outMemos.get(type);
  if (memo === undefined) {
    memo = elementMemo<number[]>();
    outMemos.set(type, memo);
  }
  return memo(m, i, () => compact(out(m, i, type)));
}
const outMemos = new Map<EdgeType, (m: ResolvedModel, i: number, compute: () => number[]) => number[]>();

/** Channel edges out of / into i, with the channel element. */
export function channelsFrom(m: ResolvedModel, i: number): { to: number; channel: number }[] {
  const g = m.graph;
  const t = EDGE_TYPE_INDEX.channel;
  const res: { to: number; channel: number }[] = [];
  for (let k = g.outOffsets[i] ?? 0; k < (g.outOffsets[i + 1] ?? 0); k++) {
    const e = g.outEdges[k] ?? 0;
    if (g.edgeType[e] === t) res.push({ to: g.edgeDst[e] ?? 0, channel: g.edgeVia[e] ?? -1 });
  }
  return res;
}

export function channelsInto(m: ResolvedModel, i: number): { from: number; channel: number }[] {
  const g = m.graph;
  const t = EDGE_TYPE_INDEX.channel;
  const res: { from: number; channel: number }[] = [];
  for (let k = g.inOffsets[i] ?? 0; k < (g.inOffsets[i + 1] ?? 0); k++) {
    const e = g.inEdges[k] ?? 0;
    if (g.edgeType[e] === t) res.push({ from: g.edgeSrc[e] ?? 0, channel: g.edgeVia[e] ?? -1 });
  }
  return res;
}

export interface Grant {
  /** Tool or MCP server element index. */
  readonly tool: number;
  /** Position of the grant in the agent's tools list. */
  readonly index: number;
  /** The grant as written: an id string or an object. */
  readonly grant: unknown;
  readonly scopes: string[];
  /** The MCP tools the grant is limited to, by name (empty when it names none). Shared: do not mutate. */
  readonly named: readonly string[];
  /** Side effects the agent can cause through this grant. */
  readonly sideEffects: SideEffectName[];
  readonly approver?: string;
}

/** Side effects a tool or MCP server declares (its own plus its listed tools'), sorted. */
export function toolSideEffects(spec: Spec): SideEffectName[] {
  const set = new Set<SideEffectName>(strings(spec['sideEffects']) as SideEffectName[]);
  const tools = spec['tools'];
  if (Array.isArray(tools)) for (const t of tools) if (isRecord(t)) for (const s of strings(t['sideEffects'])) set.add(s as SideEffectName);
  return [...set].sort();
}

/** Per-model memo of grants(): every rule asks for the same agents' grants. */
const grantsMemo = elementMemo<Grant[]>();
/** Per-model memo of a tool's own side effects (toolSideEffects of its spec) and default scopes. */
const toolEffectsMemo = elementMemo<SideEffectName[]>();
const toolScopesMemo = elementMemo<string[]>();
const toolsByNameMemo = elementMemo<Map<string, SideEffectName[]>>();

/** Side effects of the tools an MCP server lists, by tool name (String of the name, as grants name them). */
function effectsByToolName(m: ResolvedModel, server: number, tools: readonly unknown[]): Map<string, SideEffectName[]> {
  return toolsByNameMemo(m, server, () => {
    const map = new Map<string, SideEffectName[]>();
    for (const t of tools) {
      if (!isRecord(t)) continue;
      const key = String(t['name']);
      const list = map.get(key) ?? [];
      for (const s of strings(t['sideEffects'])) list.push(s as SideEffectName);
      map.set(key, list);
    }
    return map;
  });
}

/**
 * The tools granted to an agent, with effective scopes and side effects. Computed once per model and
 * agent; the list and its grants are shared between callers and must not be mutated.
 */
export function grants(m: ResolvedModel, agent: number): Grant[] {
  return grantsMemo(m, agent, () => compact(computeGrants(m, agent)));
}

function computeGrants(m: ResolvedModel, agent: number): Grant[] {
  const spec = m.graph.specs[agent] ?? {};
  const list = spec['tools'];
  if (!Array.isArray(list)) return [];
  const res: Grant[] = [];
  for (let k = 0; k < list.length; k++) {
    const g: unknown = list[k];
    const obj = isRecord(g) ? g : undefined;
    const ref = typeof g === 'string' ? g : obj !== undefined && typeof obj['ref'] === 'string' ? obj['ref'] : undefined;
    if (ref === undefined) continue;
    const tool = m.indexOf(ref);
    if (tool < 0) continue;
    const toolSpec = m.graph.specs[tool] ?? {};
    const grantEffects = obj !== undefined && Array.isArray(obj['sideEffects']) ? compact(strings(obj['sideEffects'])) : NONE;
    let effects = grantEffects.length > 0 ? (grantEffects as SideEffectName[]) : toolEffectsMemo(m, tool, () => compact(toolSideEffects(toolSpec)));
    // A grant limited to named MCP tools only carries those tools' side effects.
    const named = obj !== undefined && Array.isArray(obj['tools']) ? compact(strings(obj['tools'])) : NONE;
    if (grantEffects.length === 0 && named.length > 0 && Array.isArray(toolSpec['tools'])) {
      const byName = effectsByToolName(m, tool, toolSpec['tools']);
      const set = new Set<SideEffectName>();
      for (const n of named) for (const s of byName.get(n) ?? NONE) set.add(s as SideEffectName);
      effects = [...set].sort();
    }
    const scopes = obj !== undefined && Array.isArray(obj['scopes']) ? compact(strings(obj['scopes'])) : toolScopesMemo(m, tool, () => compact(strings(toolSpec['scopes'])));
    const approver = obj !== undefined && typeof obj['approval'] === 'string' ? obj['approval'] : undefined;
    res.push(approver === undefined ? { tool, index: k, grant: g, scopes, named, sideEffects: effects } : { tool, index: k, grant: g, scopes, named, sideEffects: effects, approver });
  }
  return res;
}
/** A shared empty list (never mutated). */
const NONE: readonly string[] = [];

/** Side effects that cannot be undone or that move value: they need the strongest guard. */
export const IRREVERSIBLE: readonly SideEffectName[] = ['payment', 'blockchain-transaction', 'delete', 'execute-code', 'send-message', 'system-config'];

export function kindOf(m: ResolvedModel, i: number): ElementKind {
  return m.kindOf(i);
}

/** Is element i a source of untrusted content (as declared)? */
export function isUntrustedSource(m: ResolvedModel, i: number): boolean {
  const k = m.kindOf(i);
  const s = m.graph.specs[i] ?? {};
  const trust = str(s, 'trust');
  if (k === 'human') return trust === 'untrusted' || str(s, 'role') === 'public' || (trust === undefined && (str(s, 'role') === 'customer'));
  if (k === 'external-system') return trust === 'untrusted' || (trust === undefined && ['website', 'email'].includes(str(s, 'type') ?? ''));
  if (k === 'entry-point') return trust !== 'trusted';
  if (k === 'agent') return str(s, 'origin') === 'external' || str(s, 'origin') === 'third-party';
  if (k === 'tool' || k === 'mcp-server') {
    const type = str(s, 'type') ?? '';
    if (type === 'browser' || type === 'search') return true;
    // An email tool returns outside content only when it reads mail; a send-only notifier does not.
    if (type === 'email') {
      const effects = toolSideEffects(s);
      return effects.length === 0 || effects.includes('read');
    }
    return false;
  }
  return false;
}

/**
 * Ways untrusted content reaches agent `a`, as evidence: entry points that target it, channels from
 * untrusted parties, tools that fetch outside content, memories that ingest untrusted sources.
 */
export function untrustedInputs(m: ResolvedModel, a: number): { from: number; evidence: Evidence }[] {
  return inputsMemo(m, a, () => compact(computeUntrustedInputs(m, a)));
}
/** Per-model memo of untrustedInputs (several rules ask for every agent): the list is shared, do not mutate it. */
const inputsMemo = elementMemo<{ from: number; evidence: Evidence }[]>();

function computeUntrustedInputs(m: ResolvedModel, a: number): { from: number; evidence: Evidence }[] {
  const res: { from: number; evidence: Evidence }[] = [];
  for (const ep of into(m, a, 'entry')) {
    if (isUntrustedSource(m, ep)) res.push({ from: ep, evidence: has(m, ep, ['target'], m.graph.ids[a], 'untrusted input enters here') });
  }
  for (const c of channelsInto(m, a)) {
    if (isUntrustedSource(m, c.from) && c.channel >= 0) res.push({ from: c.from, evidence: has(m, c.channel, ['from'], m.graph.ids[c.from], 'untrusted party sends to the agent') });
  }
  for (const g of grants(m, a)) {
    if (isUntrustedSource(m, g.tool)) res.push({ from: g.tool, evidence: has(m, a, ['tools', g.index], m.graph.ids[g.tool], 'tool returns outside content') });
  }
  for (const mem of out(m, a, 'reads')) {
    for (const src of out(m, mem, 'ingests')) {
      if (isUntrustedSource(m, src)) res.push({ from: src, evidence: has(m, mem, ['ingests'], m.graph.ids[src], 'memory the agent reads ingests untrusted content') });
    }
  }
  return res;
}

const SENSITIVITY = ['public', 'internal', 'confidential', 'restricted'];
export function sensitivityRank(v: unknown): number {
  return typeof v === 'string' ? SENSITIVITY.indexOf(v) : -1;
}

/** Do elements a and b sit in different trust boundaries (as declared)? Unknown when either has none. */
export function crossesBoundary(m: ResolvedModel, a: number, b: number): boolean | undefined {
  const ba = effectiveBoundary(m, a);
  const bb = effectiveBoundary(m, b);
  if (ba < 0 || bb < 0) return ba === bb ? undefined : true;
  return ba !== bb;
}

/** An element's boundary, or its deployment's boundary. */
export function effectiveBoundary(m: ResolvedModel, i: number): number {
  const g = m.graph;
  const b = g.boundary[i] ?? -1;
  if (b >= 0) return b;
  let d = g.deployment[i] ?? -1;
  for (let guard = 0; d >= 0 && guard < g.size; guard++) {
    const db = g.boundary[d] ?? -1;
    if (db >= 0) return db;
    d = g.parent[d] ?? -1;
  }
  return -1;
}

/** Elements covered by observability of a type (or any type when none is given). */
export function observedBy(m: ResolvedModel, i: number, types?: readonly string[]): number[] {
  return out(m, i, 'observed-by').filter((o) => !types || types.includes(str(m.graph.specs[o] ?? {}, 'type') ?? ''));
}

export function isRemoteTransport(spec: Spec): boolean {
  const t = str(spec, 'transport');
  return t === 'http' || t === 'sse' || t === 'streamable-http' || t === 'websocket' || (t === undefined && typeof spec['url'] === 'string');
}

/** A package version is pinned when it is exact (1.2.3, with optional pre-release), not a range or tag. */
export { isExactVersion } from '../../model/launch.js';

/** The engine's ControlIndex for a model (which controls apply to an element), built once per model. */
const controlIndexCache = new WeakMap<ResolvedModel, ControlIndex>();
export function controlIndex(m: ResolvedModel): ControlIndex {
  let idx = controlIndexCache.get(m);
  if (idx === undefined) {
    idx = new ControlIndex(m);
    controlIndexCache.set(m, idx);
  }
  return idx;
}

/**
 * Ids of the controls applying to element i (as the engine computes them) whose pattern is one of
 * `defences`: the controls that decide a finding's status when i is among its involved elements.
 * Lets a rule keep a long `also` list bounded while still naming one element per such control, so
 * the finding's status, mitigatedBy and partialControls stay as they would be with the full list.
 */
export function defendingControls(m: ResolvedModel, i: number, defences: readonly string[]): number[] {
  if (!anyDefendingControl(m, defences)) return [];
  const res: number[] = [];
  for (const c of controlIndex(m).controlsOf(i)) {
    const pattern = (m.graph.specs[c] ?? {})['pattern'];
    if (typeof pattern === 'string' && defences.includes(pattern)) res.push(c);
  }
  return res;
}

/** Does the model declare any control with a pattern in `defences`? (memoised per model and list) */
function anyDefendingControl(m: ResolvedModel, defences: readonly string[]): boolean {
  let byList = anyControlCache.get(m);
  if (byList === undefined) {
    byList = new WeakMap();
    anyControlCache.set(m, byList);
  }
  let v = byList.get(defences);
  if (v === undefined) {
    v = false;
    for (const c of m.ofKind('control')) {
      const pattern = (m.graph.specs[c] ?? {})['pattern'];
      if (typeof pattern === 'string' && defences.includes(pattern)) v = true;
    }
    byList.set(defences, v);
  }
  return v;
}
const anyControlCache = new WeakMap<ResolvedModel, WeakMap<readonly string[], boolean>>();

/**
 * A bounded `also` list for a finding at `at` that would name many elements: the first `max` of
 * `candidates` (in their order), plus, for each control with a pattern in `defences` that covers a
 * left-out candidate and neither `at` nor a kept one, the first candidate it covers. The engine
 * derives status, mitigatedBy and partialControls from the controls of the involved elements, so
 * they come out as with the full list. `memo` (one array per rule run) caches defendingControls by element.
 */
export function boundedAlso(
  m: ResolvedModel,
  at: number,
  candidates: readonly number[],
  defences: readonly string[],
  max: number,
  memo: (number[] | undefined)[],
): number[] {
  const controlsOf = (x: number): number[] => {
    let v = memo[x];
    if (v === undefined) {
      v = defendingControls(m, x, defences);
      memo[x] = v;
    }
    return v;
  };
  const kept: number[] = [];
  const covered = new Set<number>(controlsOf(at));
  let k = 0;
  for (; k < candidates.length && kept.length < max; k++) {
    const x = candidates[k] ?? -1;
    if (x === at || kept.includes(x)) continue;
    kept.push(x);
    for (const c of controlsOf(x)) covered.add(c);
  }
  // A repeated candidate, or at itself, has its controls covered already: no need to track what was seen.
  for (; k < candidates.length; k++) {
    const x = candidates[k] ?? -1;
    const cs = controlsOf(x);
    if (cs.length === 0 || cs.every((c) => covered.has(c))) continue;
    kept.push(x);
    for (const c of cs) covered.add(c);
  }
  return kept;
}
