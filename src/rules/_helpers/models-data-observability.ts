/**
 * Selectors for the L1 (foundation models), L2 (data operations) and L5 (evaluation and
 * observability) rules, and for the lifecycle rules on models and prompts. Read-only, iterative.
 */
import type { ResolvedModel } from '../../model/resolve.js';
import type { Evidence } from '../../engine/types.js';
import { IRREVERSIBLE, compact, elementMemo, get, grants, has, into, intoShared, isUntrustedSource, out, pointer, positionIn, sensitivityRank, str, strings, untrustedInputs, type Grant } from './index.js';

/** Memory types whose entries are retrieved back into a model's context by similarity or recall. */
export const RETRIEVAL_TYPES: readonly string[] = ['vector-store', 'rag-corpus', 'knowledge-graph'];
/** Memory types an agent reads back into its context: retrieval stores plus long-lived agent memory. */
export const CONTEXT_TYPES: readonly string[] = [...RETRIEVAL_TYPES, 'long-term', 'episodic', 'shared-scratchpad'];

export function idOf(m: ResolvedModel, i: number): string {
  return m.graph.ids[i] ?? '';
}

/** Position of `id` in a list attribute of element i (for evidence pointers), or -1. */
export function indexIn(m: ResolvedModel, i: number, path: readonly (string | number)[], id: string): number {
  return positionIn(m, get(m.graph.specs[i] ?? {}, path), id);
}

/** Evidence pointing at the list entry `path[k] == id` of element i, or at the list itself. */
export function listEntry(m: ResolvedModel, i: number, path: readonly (string | number)[], id: string, note?: string): Evidence {
  const k = indexIn(m, i, path, id);
  return has(m, i, k >= 0 ? [...path, k] : path, id, note);
}

/** An agent run by someone else: we cannot instrument it. */
export function isExternalAgent(m: ResolvedModel, a: number): boolean {
  return str(m.graph.specs[a] ?? {}, 'origin') === 'external';
}

/**
 * Is a source that feeds a memory (or a model's training set) untrusted? Entry points count when
 * they are declared untrusted, or declare no trust and no trusted source; other kinds follow the
 * shared `isUntrustedSource` (untrusted humans and systems, websites, e-mail, external agents).
 * An entry point marked `authenticated` or `partner` is not counted: it still deserves review, but
 * it is not anyone-on-the-internet content.
 */
export function isUntrustedFeed(m: ResolvedModel, i: number): boolean {
  if (m.kindOf(i) === 'entry-point') {
    const s = m.graph.specs[i] ?? {};
    const trust = str(s, 'trust');
    if (trust !== undefined) return trust === 'untrusted';
    const src = out(m, i, 'entry-source')[0];
    return src === undefined || isUntrustedSource(m, src);
  }
  return isUntrustedSource(m, i);
}

/** Untrusted sources feeding memory `mem`: its `ingests` list and entry points that target it. */
export function untrustedFeeds(m: ResolvedModel, mem: number): { from: number; evidence: Evidence }[] {
  const res: { from: number; evidence: Evidence }[] = [];
  const seen = new Set<number>();
  for (const src of out(m, mem, 'ingests')) {
    if (seen.has(src) || !isUntrustedFeed(m, src)) continue;
    seen.add(src);
    res.push({ from: src, evidence: listEntry(m, mem, ['ingests'], idOf(m, src), 'ingests untrusted content') });
  }
  for (const ep of into(m, mem, 'entry')) {
    if (seen.has(ep) || !isUntrustedFeed(m, ep)) continue;
    seen.add(ep);
    res.push({ from: ep, evidence: has(m, ep, ['target'], idOf(m, mem), 'untrusted input is written into the memory') });
  }
  return res;
}

/** Per-model memo of a per-element selector (results are shared: callers must not mutate them). */
function memo<T>(): (m: ResolvedModel, i: number, compute: () => T) => T {
  return elementMemo<T>();
}

export interface Source {
  readonly i: number;
  readonly evidence: Evidence;
}

const writersMemo = memo<readonly Source[]>();
/** Who writes memory `mem`: agents that declare memory.writes, and the memory's `writers`. */
export function memoryWriters(m: ResolvedModel, mem: number): readonly Source[] {
  return writersMemo(m, mem, () => compact(computeWriters(m, mem)));
}

function computeWriters(m: ResolvedModel, mem: number): Source[] {
  const res: Source[] = [];
  const seen = new Set<number>();
  const memId = idOf(m, mem);
  for (const a of into(m, mem, 'writes')) {
    if (seen.has(a)) continue;
    seen.add(a);
    res.push({ i: a, evidence: listEntry(m, a, ['memory', 'writes'], memId, 'writes the memory') });
  }
  for (const w of out(m, mem, 'written-by')) {
    if (seen.has(w)) continue;
    seen.add(w);
    res.push({ i: w, evidence: listEntry(m, mem, ['writers'], idOf(m, w), 'may write the memory') });
  }
  return res;
}

/** Agents that read memory `mem`. */
export function memoryReaders(m: ResolvedModel, mem: number): number[] {
  return [...new Set(into(m, mem, 'reads'))];
}

/**
 * Ways untrusted content reaches agent a (memoised per model): the shared `untrustedInputs`, plus tools the agent holds
 * and memories it reads that are the target of an untrusted entry point.
 */
const reachMemo = memo<readonly { from: number; evidence: Evidence }[]>();
export function untrustedReach(m: ResolvedModel, a: number): readonly { from: number; evidence: Evidence }[] {
  return reachMemo(m, a, () => compact(computeReach(m, a)));
}

function computeReach(m: ResolvedModel, a: number): { from: number; evidence: Evidence }[] {
  const res = [...untrustedInputs(m, a)];
  const seen = new Set(res.map((r) => r.from));
  const aId = idOf(m, a);
  for (const g of grants(m, a)) {
    for (const ep of intoShared(m, g.tool, 'entry')) {
      if (seen.has(ep) || !isUntrustedFeed(m, ep)) continue;
      seen.add(ep);
      res.push({ from: ep, evidence: has(m, ep, ['target'], idOf(m, g.tool), `untrusted content returned by a tool ${aId} holds`) });
    }
  }
  for (const mem of out(m, a, 'reads')) {
    for (const ep of intoShared(m, mem, 'entry')) {
      if (seen.has(ep) || !isUntrustedFeed(m, ep)) continue;
      seen.add(ep);
      res.push({ from: ep, evidence: has(m, ep, ['target'], idOf(m, mem), `untrusted content lands in a memory ${aId} reads`) });
    }
  }
  return res;
}

/** Grants of agent a that carry at least one irreversible side effect (memoised per model: shared list). */
export function irreversibleGrants(m: ResolvedModel, a: number): Grant[] {
  return irreversibleMemo(m, a, () => compact(grants(m, a).filter((g) => g.sideEffects.some((s) => IRREVERSIBLE.includes(s)))));
}
const irreversibleMemo = elementMemo<Grant[]>();

/** Grants of agent a that change something (any side effect other than read; memoised per model: shared list). */
export function actingGrants(m: ResolvedModel, a: number): Grant[] {
  return actingMemo(m, a, () => compact(grants(m, a).filter((g) => g.sideEffects.some((s) => s !== 'read'))));
}
const actingMemo = elementMemo<Grant[]>();

export function grantEvidence(m: ResolvedModel, a: number, g: Grant, note?: string): Evidence {
  return has(m, a, ['tools', g.index], idOf(m, g.tool), note ?? `side effects ${g.sideEffects.join(', ')}`);
}

/** Observability elements that name no element in `covers`: taken as watching the whole system. */
const systemWideCache = new WeakMap<ResolvedModel, number[]>();
function systemWideObservers(m: ResolvedModel): number[] {
  const hit = systemWideCache.get(m);
  if (hit) return hit;
  const res: number[] = [];
  for (const o of m.ofKind('observability')) {
    const covers = (m.graph.specs[o] ?? {})['covers'];
    if (!Array.isArray(covers) || covers.length === 0) res.push(o);
  }
  systemWideCache.set(m, res);
  return res;
}

/**
 * Observability that covers element i: named in `covers` directly, through i's boundary or
 * deployment (and their parents), or system-wide (no `covers`). Memoised per model: the list is shared.
 */
export function observersOf(m: ResolvedModel, i: number): readonly number[] {
  return observersMemo(m, i, () => computeObservers(m, i));
}
const observersMemo = memo<readonly number[]>();

function computeObservers(m: ResolvedModel, i: number): number[] {
  const g = m.graph;
  const set = new Set<number>(systemWideObservers(m));
  const visit: number[] = [i];
  const seen = new Set<number>();
  while (visit.length > 0) {
    const x = visit.pop();
    if (x === undefined || x < 0 || seen.has(x)) continue;
    seen.add(x);
    for (const o of out(m, x, 'observed-by')) set.add(o);
    visit.push(g.boundary[x] ?? -1, g.deployment[x] ?? -1, g.parent[x] ?? -1);
  }
  return [...set].sort((a, b) => a - b);
}

export interface ObsFilter {
  /** Observability types accepted (any when absent). */
  readonly types?: readonly string[];
  /** At least one of these must be in `captures` (any when absent). */
  readonly captures?: readonly string[];
  /** Only tamper-evident observability. */
  readonly tamperEvident?: boolean;
}

export function matchesObs(m: ResolvedModel, o: number, f: ObsFilter): boolean {
  const s = m.graph.specs[o] ?? {};
  if (f.types && !f.types.includes(str(s, 'type') ?? '')) return false;
  if (f.captures) {
    const caps = strings(s['captures']);
    if (!f.captures.some((c) => caps.includes(c))) return false;
  }
  if (f.tamperEvident === true && s['tamperEvident'] !== true) return false;
  return true;
}

export function observedWith(m: ResolvedModel, i: number, f: ObsFilter): number[] {
  return observersOf(m, i).filter((o) => matchesObs(m, o, f));
}

/** Evidence that no observability matching a description covers element i. */
export function notObserved(m: ResolvedModel, i: number, what: string): Evidence {
  return { element: idOf(m, i), pointer: pointer(m, i), attribute: 'observability.covers', note: `no ${what} covers it` };
}

/**
 * Is element i placed where the internet reaches it: its own deployment is internet-exposed, or its
 * own boundary is declared untrusted. Returns the evidence, or undefined.
 */
export function internetPlacement(m: ResolvedModel, i: number): Evidence | undefined {
  const g = m.graph;
  const d = g.deployment[i] ?? -1;
  if (d >= 0 && str(g.specs[d] ?? {}, 'networkExposure') === 'internet') return has(m, d, ['networkExposure'], 'internet', `${idOf(m, i)} runs here`);
  const b = g.boundary[i] ?? -1;
  if (b >= 0 && str(g.specs[b] ?? {}, 'trust') === 'untrusted') return has(m, i, ['boundary'], idOf(m, b), 'placed in an untrusted boundary');
  return undefined;
}

/** Highest declared sensitivity of memory, channel or external system i (-1 when none). */
export function sensitivityOf(m: ResolvedModel, i: number): number {
  return sensitivityRank((m.graph.specs[i] ?? {})['sensitivity']);
}

export const CONFIDENTIAL = sensitivityRank('confidential');

/** Lifecycle processes that target element i. */
export function lifecyclesOf(m: ResolvedModel, i: number): number[] {
  return [...new Set(out(m, i, 'managed-by'))];
}

/** Ids for a message: the first few, then a count of the rest. */
export function nameList(ids: readonly string[], max = 5): string {
  if (ids.length <= max) return ids.join(', ');
  return `${ids.slice(0, max).join(', ')} and ${ids.length - max} more`;
}
