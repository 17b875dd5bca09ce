/**
 * Selectors for the L4 (deployment), L6 (security and compliance) and L7 (ecosystem) rules:
 * channels between agents, credentials, dependencies, deployments and the trust graph among agents.
 * Every walk is iterative (explicit stack or queue), keeps a visited set and is bounded by the model size.
 */
import type { ResolvedModel } from '../../model/resolve.js';
import { isRecord } from '../../model/references.js';
import type { Evidence } from '../../engine/types.js';
import type { SideEffectName } from '../../model/schema.js';
import { IRREVERSIBLE, channelsFrom, channelsInto, compact, effectiveBoundary, elementMemo, grants, has, into, lacks, out, positionIn, str, strings, type Grant, type Spec } from './index.js';

/** Channel authentication values that prove the sender's identity cryptographically. */
export const STRONG_CHANNEL_AUTH: readonly string[] = ['mtls', 'signed-token', 'did'];

/** Protocols that stay inside one process or host: authentication and encryption mean little there. */
export const LOCAL_PROTOCOLS: readonly string[] = ['function-call', 'stdio'];

/** Is element i an agent, or an external system that is an agent run elsewhere? */
export function isAgentLike(m: ResolvedModel, i: number): boolean {
  const k = m.kindOf(i);
  if (k === 'agent') return true;
  return k === 'external-system' && str(m.graph.specs[i] ?? {}, 'type') === 'agent';
}

/**
 * Is element i an agent run by another party (origin external, or an external system of type agent)?
 * Third-party agents (built by a vendor, run here) are not: they sit inside the modelled system.
 */
export function isExternalAgent(m: ResolvedModel, i: number): boolean {
  const k = m.kindOf(i);
  const s = m.graph.specs[i] ?? {};
  if (k === 'agent') return str(s, 'origin') === 'external';
  return k === 'external-system' && str(s, 'type') === 'agent';
}

/** Is element i an agent the system itself runs (origin first-party, third-party, or not declared)? */
export function isOwnAgent(m: ResolvedModel, i: number): boolean {
  return m.kindOf(i) === 'agent' && str(m.graph.specs[i] ?? {}, 'origin') !== 'external';
}

/**
 * Is channel c local to one host or process: protocol function-call or stdio, or an end that is a
 * tool or MCP server started as a local process (transport stdio or in-process)?
 */
export function isLocalChannel(m: ResolvedModel, c: number): boolean {
  const protocol = str(m.graph.specs[c] ?? {}, 'protocol');
  if (protocol !== undefined && LOCAL_PROTOCOLS.includes(protocol)) return true;
  const { from, to } = channelEnds(m, c);
  for (const e of [from, to]) {
    if (e < 0) continue;
    const k = m.kindOf(e);
    const transport = str(m.graph.specs[e] ?? {}, 'transport');
    if ((k === 'tool' || k === 'mcp-server') && (transport === 'stdio' || transport === 'in-process')) return true;
  }
  return false;
}

/** Channel element indexes that connect a and b, in either direction (deduplicated, in edge order). */
export function channelsBetween(m: ResolvedModel, a: number, b: number): number[] {
  const res: number[] = [];
  for (const c of channelsFrom(m, a)) if (c.to === b && c.channel >= 0 && !res.includes(c.channel)) res.push(c.channel);
  for (const c of channelsInto(m, a)) if (c.from === b && c.channel >= 0 && !res.includes(c.channel)) res.push(c.channel);
  return res;
}

/** The declared endpoints of a channel element (from, to), or -1 when a reference does not resolve. */
export function channelEnds(m: ResolvedModel, c: number): { from: number; to: number } {
  const s = m.graph.specs[c] ?? {};
  const f = str(s, 'from');
  const t = str(s, 'to');
  return { from: f === undefined ? -1 : m.indexOf(f), to: t === undefined ? -1 : m.indexOf(t) };
}

/** Grants of agent a whose side effects include an irreversible one, with the effects found (memoised per model: shared list). */
export function irreversibleGrants(m: ResolvedModel, a: number): { grant: Grant; effects: SideEffectName[] }[] {
  return irreversibleMemo(m, a, () => {
    const res: { grant: Grant; effects: SideEffectName[] }[] = [];
    for (const g of grants(m, a)) {
      const effects = g.sideEffects.filter((e) => IRREVERSIBLE.includes(e));
      if (effects.length > 0) res.push({ grant: g, effects });
    }
    return compact(res);
  });
}
const irreversibleMemo = elementMemo<{ grant: Grant; effects: SideEffectName[] }[]>();

export interface CredentialAt {
  /** The element holding the credential. */
  readonly at: number;
  /** Path of the credential inside the element, for evidence. */
  readonly path: (string | number)[];
  readonly cred: Readonly<Record<string, unknown>>;
}

/** Credentials declared on agents (identity.credentials) and on tools and MCP servers (credentials). */
export function declaredCredentials(m: ResolvedModel): CredentialAt[] {
  const res: CredentialAt[] = [];
  for (const kind of ['agent', 'tool', 'mcp-server'] as const) {
    for (const i of m.ofKind(kind)) {
      const s = m.graph.specs[i] ?? {};
      const base: string[] = kind === 'agent' ? ['identity', 'credentials'] : ['credentials'];
      const holder: unknown = kind === 'agent' ? (isRecord(s['identity']) ? s['identity']['credentials'] : undefined) : s['credentials'];
      if (!Array.isArray(holder)) continue;
      for (let k = 0; k < holder.length; k++) {
        const c: unknown = holder[k];
        if (isRecord(c)) res.push({ at: i, path: [...base, k], cred: c });
      }
    }
  }
  return res;
}

/** Elements that rely on dependency d: its usedBy list and every element listing it in dependsOn (deduplicated). */
export function dependencyUsers(m: ResolvedModel, d: number): number[] {
  return [...new Set(into(m, d, 'depends-on'))];
}

/**
 * Elements that run on deployment d or on any deployment nested in it (children via parent), found
 * with an explicit queue over the parent edges, bounded by the model size. A nested deployment for
 * which `own` returns true governs itself (it declares the attribute in question) and is not entered.
 */
export function hostedOn(m: ResolvedModel, d: number, own?: (child: Spec) => boolean): number[] {
  const g = m.graph;
  const deployments: number[] = [d];
  const seen = new Set<number>([d]);
  for (let q = 0; q < deployments.length && q < g.size; q++) {
    const x = deployments[q] ?? -1;
    for (const child of into(m, x, 'parent')) {
      if (seen.has(child) || m.kindOf(child) !== 'deployment') continue;
      seen.add(child);
      if (own?.(g.specs[child] ?? {}) === true) continue;
      deployments.push(child);
    }
  }
  const res: number[] = [];
  const added = new Set<number>();
  for (const x of deployments) {
    for (const e of into(m, x, 'runs-on')) {
      if (!added.has(e)) {
        added.add(e);
        res.push(e);
      }
    }
  }
  return res;
}

/** Agents that rely on dependency d directly, or run on a deployment that relies on it, or use a tool that relies on it. */
export function agentsRelyingOn(m: ResolvedModel, d: number): number[] {
  const res = new Set<number>();
  for (const u of dependencyUsers(m, d)) {
    const k = m.kindOf(u);
    if (k === 'agent') res.add(u);
    else if (k === 'deployment') {
      for (const h of hostedOn(m, u)) if (m.kindOf(h) === 'agent') res.add(h);
    } else if (k === 'tool' || k === 'mcp-server') {
      for (const a of into(m, u, 'invokes')) res.add(a);
    }
  }
  return [...res].sort((a, b) => a - b);
}

/**
 * Edit distance between a and b counting insertions, deletions, substitutions and swaps of two
 * neighbouring characters as one edit each (optimal string alignment), or max + 1 as soon as it is
 * known to exceed max. Bounded and iterative.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a.length > 256 || b.length > 256) return a === b ? 0 : max + 1;
  const w = b.length + 1;
  let prev2 = new Array<number>(w).fill(0);
  let prev = new Array<number>(w);
  let cur = new Array<number>(w);
  for (let j = 0; j < w; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) v = Math.min(v, (prev2[j - 2] ?? 0) + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[b.length] ?? max + 1;
}

/**
 * Strongly connected components of a directed graph over `nodes`, by Tarjan's algorithm with an
 * explicit stack. `succ` gives the successors of a node (only those in `nodes` are followed).
 * Returns components with more than one node, each sorted, in order of their smallest node.
 */
export function cycles(nodes: readonly number[], succ: (n: number) => readonly number[]): number[][] {
  const inSet = new Set(nodes);
  const index = new Map<number, number>();
  const low = new Map<number, number>();
  const onStack = new Set<number>();
  const stack: number[] = [];
  const comps: number[][] = [];
  let counter = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: { n: number; next: readonly number[]; k: number }[] = [];
    const open = (n: number) => {
      index.set(n, counter);
      low.set(n, counter);
      counter++;
      stack.push(n);
      onStack.add(n);
      work.push({ n, next: succ(n).filter((x) => inSet.has(x)), k: 0 });
    };
    open(root);
    while (work.length > 0) {
      const top = work[work.length - 1];
      if (!top) break;
      if (top.k < top.next.length) {
        const w = top.next[top.k] ?? -1;
        top.k++;
        if (!index.has(w)) open(w);
        else if (onStack.has(w)) low.set(top.n, Math.min(low.get(top.n) ?? 0, index.get(w) ?? 0));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.n, Math.min(low.get(parent.n) ?? 0, low.get(top.n) ?? 0));
      if (low.get(top.n) === index.get(top.n)) {
        const comp: number[] = [];
        for (;;) {
          const x = stack.pop();
          if (x === undefined) break;
          onStack.delete(x);
          comp.push(x);
          if (x === top.n) break;
        }
        if (comp.length > 1) comps.push(comp.sort((a, b) => a - b));
      }
    }
  }
  return comps.sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0));
}

/**
 * Task hand-off edges among agents: delegatesTo (a -> b), acceptsFrom read backwards (b accepts from
 * a: a -> b) and channels between two agents in their declared from -> to direction (a bidirectional
 * channel counts once: replies are not new tasks). Memoised per model: the list is shared, do not mutate it.
 */
export function handoffTargets(m: ResolvedModel, a: number): number[] {
  let byNode = handoffCache.get(m);
  if (byNode === undefined) {
    byNode = new Map();
    handoffCache.set(m, byNode);
  }
  const hit = byNode.get(a);
  if (hit !== undefined) return hit;
  const res = new Set<number>();
  for (const b of out(m, a, 'delegates')) res.add(b);
  for (const b of into(m, a, 'accepts-from')) res.add(b);
  for (const c of channelsFrom(m, a)) {
    if (c.channel < 0 || !isAgentLike(m, c.to)) continue;
    if (channelEnds(m, c.channel).from === a) res.add(c.to);
  }
  res.delete(a);
  const list = [...res].sort((x, y) => x - y);
  byNode.set(a, list);
  return list;
}
const handoffCache = new WeakMap<ResolvedModel, Map<number, number[]>>();

/** Largest hand-off graph (agents and agent-like systems) for which HandoffReach keeps one reach bitset per component. */
const MAX_BITSET_NODES = 25000;

/**
 * Who can be reached from whom over task hand-offs (handoffTargets, any number of hops), computed
 * once per model: the strongly connected components of the hand-off graph over agents and agent-like
 * external systems (iterative Tarjan), then, in reverse topological order, one bitset per component
 * of every node reachable from it. `reach(a)` equals `reachable(a, handoffTargets, size)` as a set.
 * Beyond MAX_BITSET_NODES nodes the bitsets would cost too much memory: it falls back to one
 * breadth-first search per question.
 */
export class HandoffReach {
  private readonly local = new Map<number, number>();
  private readonly nodes: number[] = [];
  private readonly comp: Int32Array;
  /** Per component: its members and every node reachable from them (a bitset over local ids). */
  private readonly full: Uint32Array[] = [];
  private readonly words: number;
  private readonly bitsets: boolean;

  constructor(private readonly m: ResolvedModel) {
    for (const kind of ['agent', 'external-system'] as const) for (const i of m.ofKind(kind)) if (isAgentLike(m, i)) this.nodes.push(i);
    this.nodes.sort((x, y) => x - y);
    this.nodes.forEach((x, k) => this.local.set(x, k));
    const n = this.nodes.length;
    this.comp = new Int32Array(n).fill(-1);
    this.words = (n + 31) >>> 5;
    this.bitsets = n <= MAX_BITSET_NODES;
    if (!this.bitsets) return;
    const succ = this.nodes.map((x) => handoffTargets(m, x).map((y) => this.local.get(y) ?? -1).filter((y) => y >= 0));
    // One buffer for every component's bitset (at most one component per node): views, not n allocations.
    const store = new Uint32Array(n * this.words);
    // Iterative Tarjan: components come out in reverse topological order (successors first).
    const index = new Int32Array(n).fill(-1);
    const low = new Int32Array(n);
    const onStack = new Uint8Array(n);
    const stack: number[] = [];
    let counter = 0;
    for (let root = 0; root < n; root++) {
      if (index[root] !== -1) continue;
      const work: { v: number; k: number }[] = [{ v: root, k: 0 }];
      index[root] = low[root] = counter++;
      stack.push(root);
      onStack[root] = 1;
      while (work.length > 0) {
        const top = work[work.length - 1];
        if (top === undefined) break;
        const next = succ[top.v] ?? [];
        if (top.k < next.length) {
          const w = next[top.k] ?? 0;
          top.k++;
          if (index[w] === -1) {
            index[w] = low[w] = counter++;
            stack.push(w);
            onStack[w] = 1;
            work.push({ v: w, k: 0 });
          } else if (onStack[w] === 1) low[top.v] = Math.min(low[top.v] ?? 0, index[w] ?? 0);
          continue;
        }
        work.pop();
        const parent = work[work.length - 1];
        if (parent !== undefined) low[parent.v] = Math.min(low[parent.v] ?? 0, low[top.v] ?? 0);
        if (low[top.v] !== index[top.v]) continue;
        const c = this.full.length;
        const bits = store.subarray(c * this.words, (c + 1) * this.words);
        const members: number[] = [];
        for (;;) {
          const x = stack.pop();
          if (x === undefined) break;
          onStack[x] = 0;
          this.comp[x] = c;
          members.push(x);
          bits[x >>> 5] = (bits[x >>> 5] ?? 0) | (1 << (x & 31));
          if (x === top.v) break;
        }
        for (const x of members) {
          for (const y of succ[x] ?? []) {
            const d = this.comp[y] ?? -1;
            // Already set: y (hence all of its component's reach) came in through another successor.
            if (d === c || d < 0 || ((bits[y >>> 5] ?? 0) & (1 << (y & 31))) !== 0) continue;
            const other = this.full[d];
            if (other) for (let w = 0; w < this.words; w++) bits[w] = (bits[w] ?? 0) | (other[w] ?? 0);
          }
        }
        this.full.push(bits);
      }
    }
  }

  /** Elements reachable from a by one or more hand-offs, a itself excluded, in index order. */
  reach(a: number): number[] {
    const k = this.local.get(a);
    const bits = k === undefined ? undefined : this.full[this.comp[k] ?? -1];
    if (bits === undefined) return reachable(a, (x) => handoffTargets(this.m, x), this.m.graph.size).sort((x, y) => x - y);
    const res: number[] = [];
    for (let w = 0; w < this.words; w++) {
      let word = bits[w] ?? 0;
      while (word !== 0) {
        const low = word & -word;
        const b = (w << 5) + 31 - Math.clz32(low);
        word ^= low;
        if (b !== k) res.push(this.nodes[b] ?? -1);
      }
    }
    return res;
  }

  /** How many elements reach(a) holds. */
  count(a: number): number {
    const k = this.local.get(a);
    const bits = k === undefined ? undefined : this.full[this.comp[k] ?? -1];
    if (bits === undefined) return this.reach(a).length;
    let n = 0;
    for (let w = 0; w < this.words; w++) {
      let x = bits[w] ?? 0;
      x = x - ((x >>> 1) & 0x55555555);
      x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
      n += (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
    }
    return n - 1;
  }

  /** Does reach(a) hold an element for which `pred` is true? */
  reachesAny(a: number, pred: (x: number) => boolean): boolean {
    const k = this.local.get(a);
    const bits = k === undefined ? undefined : this.full[this.comp[k] ?? -1];
    if (bits === undefined) return this.reach(a).some(pred);
    let mask = this.masks.get(pred);
    if (mask === undefined) {
      mask = new Uint32Array(this.words);
      for (let b = 0; b < this.nodes.length; b++) if (pred(this.nodes[b] ?? -1)) mask[b >>> 5] = (mask[b >>> 5] ?? 0) | (1 << (b & 31));
      this.masks.set(pred, mask);
    }
    for (let w = 0; w < this.words; w++) {
      let v = (bits[w] ?? 0) & (mask[w] ?? 0);
      if (w === (k ?? 0) >>> 5) v &= ~(1 << ((k ?? 0) & 31));
      if (v !== 0) return true;
    }
    return false;
  }
  private readonly masks = new WeakMap<(x: number) => boolean, Uint32Array>();

  /**
   * The elements reachable from any of `starts` (each start excluded from its own reach) that are
   * not in `exclude`, in index order; and which starts reach at least one such element.
   */
  reachOutside(starts: readonly number[], exclude: ReadonlySet<number>): { escaping: number[]; reached: number[] } {
    const skip = new Uint32Array(this.words);
    let local = true;
    for (const s of starts) if (this.full[this.comp[this.local.get(s) ?? -1] ?? -1] === undefined) local = false;
    if (!local) {
      const escaping: number[] = [];
      const all = new Set<number>();
      for (const s of starts) {
        const r = this.reach(s).filter((x) => !exclude.has(x));
        if (r.length === 0) continue;
        escaping.push(s);
        for (const x of r) all.add(x);
      }
      return { escaping, reached: [...all].sort((x, y) => x - y) };
    }
    const outside: number[] = [];
    for (const x of exclude) {
      const k = this.local.get(x);
      if (k !== undefined) skip[k >>> 5] = (skip[k >>> 5] ?? 0) | (1 << (k & 31));
    }
    const union = new Uint32Array(this.words);
    const escaping: number[] = [];
    for (const s of starts) {
      const k = this.local.get(s) ?? -1;
      const bits = this.full[this.comp[k] ?? -1];
      if (bits === undefined) continue;
      let any = false;
      for (let w = 0; w < this.words; w++) {
        let v = (bits[w] ?? 0) & ~(skip[w] ?? 0);
        if (w === k >>> 5 && !exclude.has(s)) v &= ~(1 << (k & 31));
        if (v !== 0) {
          any = true;
          union[w] = (union[w] ?? 0) | v;
        }
      }
      if (any) escaping.push(s);
    }
    for (let w = 0; w < this.words; w++) {
      let word = union[w] ?? 0;
      while (word !== 0) {
        const low = word & -word;
        outside.push(this.nodes[(w << 5) + 31 - Math.clz32(low)] ?? -1);
        word ^= low;
      }
    }
    return { escaping, reached: outside };
  }
}

const handoffReachCache = new WeakMap<ResolvedModel, HandoffReach>();
/** The HandoffReach of a model, built once and shared. */
export function handoffReach(m: ResolvedModel): HandoffReach {
  let r = handoffReachCache.get(m);
  if (r === undefined) {
    r = new HandoffReach(m);
    handoffReachCache.set(m, r);
  }
  return r;
}

/** Elements reachable from start by `succ`, breadth first, excluding start; at most `limit` nodes visited. */
export function reachable(start: number, succ: (n: number) => readonly number[], limit: number): number[] {
  const seen = new Set<number>([start]);
  const queue: number[] = [start];
  const res: number[] = [];
  for (let q = 0; q < queue.length && seen.size <= limit; q++) {
    const x = queue[q] ?? -1;
    for (const y of succ(x)) {
      if (seen.has(y)) continue;
      seen.add(y);
      queue.push(y);
      res.push(y);
    }
  }
  return res;
}

/** A human-readable list of ids, at most `max` shown. */
export function idList(m: ResolvedModel, list: readonly number[], max = 5): string {
  const ids = list.slice(0, max).map((i) => m.graph.ids[i] ?? '');
  return list.length > max ? `${ids.join(', ')} and ${list.length - max} more` : ids.join(', ');
}

/** A package reference as written on a dependency, tool or MCP server. */
export function packageOf(spec: Spec): { name: string; registry?: string; version?: string } | undefined {
  const p = spec['package'];
  if (!isRecord(p) || typeof p['name'] !== 'string') return undefined;
  const res: { name: string; registry?: string; version?: string } = { name: p['name'] };
  if (typeof p['registry'] === 'string') res.registry = p['registry'];
  if (typeof p['version'] === 'string') res.version = p['version'];
  return res;
}

/** Publisher trust and verification as declared. */
export function publisherOf(spec: Spec): { trust?: string; verified?: boolean; name?: string } | undefined {
  const p = spec['publisher'];
  if (!isRecord(p)) return undefined;
  const res: { trust?: string; verified?: boolean; name?: string } = {};
  if (typeof p['trust'] === 'string') res.trust = p['trust'];
  if (typeof p['verified'] === 'boolean') res.verified = p['verified'];
  if (typeof p['name'] === 'string') res.name = p['name'];
  return res;
}

/** Dependency types that are artefacts the system installs (as opposed to services it calls). */
export const ARTEFACT_DEPENDENCY_TYPES: readonly string[] = ['plugin', 'framework', 'library', 'other'];

/** The marketplace a dependency comes from: a marketplace-type dependency it depends on, or -2 when its package registry is "marketplace"; -1 when neither. */
export function marketplaceOf(m: ResolvedModel, d: number): number {
  for (const x of out(m, d, 'depends-on')) if (str(m.graph.specs[x] ?? {}, 'type') === 'marketplace') return x;
  const p = packageOf(m.graph.specs[d] ?? {});
  return p?.registry === 'marketplace' ? -2 : -1;
}

/** Evidence for the value of a top-level attribute of element i, or for its absence. */
export function attr(m: ResolvedModel, i: number, key: string, note?: string): Evidence {
  const v = (m.graph.specs[i] ?? {})[key];
  return v === undefined ? lacks(m, i, [key], note === undefined ? 'not declared' : `not declared: ${note}`) : has(m, i, [key], v, note);
}

/** Evidence of where element i sits (its boundary, or its deployment's), for boundary-crossing findings. */
export function placement(m: ResolvedModel, i: number): Evidence {
  const s = m.graph.specs[i] ?? {};
  const b = effectiveBoundary(m, i);
  const bid = b >= 0 ? (m.graph.ids[b] ?? '') : undefined;
  if (typeof s['boundary'] === 'string') return has(m, i, ['boundary'], s['boundary']);
  if (typeof s['deployment'] === 'string') return has(m, i, ['deployment'], s['deployment'], bid === undefined ? 'no boundary declared' : `inside boundary ${bid}`);
  if (isExternalAgent(m, i)) {
    const k = m.kindOf(i);
    return k === 'agent' ? has(m, i, ['origin'], s['origin'], 'run by another party') : has(m, i, ['type'], 'agent', 'an agent run by another party');
  }
  return lacks(m, i, ['boundary']);
}

/** Evidence that a hand-off a -> b is declared: a delegatesTo entry, an acceptsFrom entry on b, or a channel. */
export function handoffEvidence(m: ResolvedModel, a: number, b: number, note?: string): Evidence | undefined {
  const sa = m.graph.specs[a] ?? {};
  const sb = m.graph.specs[b] ?? {};
  const idA = m.graph.ids[a] ?? '';
  const idB = m.graph.ids[b] ?? '';
  const del = positionIn(m, sa['delegatesTo'], idB);
  if (del >= 0) return has(m, a, ['delegatesTo', del], idB, note ?? 'hands tasks to');
  const acc = positionIn(m, sb['acceptsFrom'], idA);
  if (acc >= 0) return has(m, b, ['acceptsFrom', acc], idA, note ?? 'accepts tasks from');
  for (const c of channelsFrom(m, a)) {
    if (c.to === b && c.channel >= 0 && channelEnds(m, c.channel).from === a) return has(m, c.channel, ['from'], idA, note ?? `channel to ${idB}`);
  }
  return undefined;
}

/** Names of regulations declared for the system. */
export function regulations(m: ResolvedModel): string[] {
  const sys = (m.model as unknown as Record<string, unknown>)['system'];
  return isRecord(sys) ? strings(sys['regulations']) : [];
}

/** Evidence that `user` relies on dependency `dep`: its dependsOn entry, or the dependency's usedBy entry. */
export function usageEvidence(m: ResolvedModel, user: number, dep: number, note = 'relies on it'): Evidence {
  const depId = m.graph.ids[dep] ?? '';
  const userId = m.graph.ids[user] ?? '';
  const k = positionIn(m, (m.graph.specs[user] ?? {})['dependsOn'], depId);
  if (k >= 0) return has(m, user, ['dependsOn', k], depId, note);
  const u = positionIn(m, (m.graph.specs[dep] ?? {})['usedBy'], userId);
  if (u >= 0) return has(m, dep, ['usedBy', u], userId, note);
  return has(m, user, [], depId, note);
}

/**
 * For an artefact (plugin-like dependency, tool or MCP server) installed from a marketplace whose
 * publisher is neither verified nor first-party: the marketplace (see marketplaceOf); else undefined.
 * dependency-marketplace-unverified-publisher flags these; dependency-unknown-publisher leaves them to it.
 */
export function fromMarketplaceUnverified(m: ResolvedModel, i: number): number | undefined {
  const spec = m.graph.specs[i] ?? {};
  const k = m.kindOf(i);
  if (k === 'dependency' && !ARTEFACT_DEPENDENCY_TYPES.includes(String(spec['type']))) return undefined;
  if (k !== 'dependency' && k !== 'tool' && k !== 'mcp-server') return undefined;
  const market = marketplaceOf(m, i);
  if (market === -1) return undefined;
  const pub = publisherOf(spec);
  if (pub?.verified === true || pub?.trust === 'first-party') return undefined;
  return market;
}
