/**
 * Selectors for the L4 (deployment), L6 (security and compliance) and L7 (ecosystem) rules:
 * channels between agents, credentials, dependencies, deployments and the trust graph among agents.
 * Every walk is iterative (explicit stack or queue), keeps a visited set and is bounded by the model size.
 */
import type { ResolvedModel } from '../../model/resolve.js';
import { isRecord } from '../../model/references.js';
import type { Evidence } from '../../engine/types.js';
import type { SideEffectName } from '../../model/schema.js';
import { IRREVERSIBLE, channelsFrom, channelsInto, effectiveBoundary, grants, has, into, lacks, out, str, strings, type Grant, type Spec } from './index.js';

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

/** Grants of agent a whose side effects include an irreversible one, with the effects found. */
export function irreversibleGrants(m: ResolvedModel, a: number): { grant: Grant; effects: SideEffectName[] }[] {
  const res: { grant: Grant; effects: SideEffectName[] }[] = [];
  for (const g of grants(m, a)) {
    const effects = g.sideEffects.filter((e) => IRREVERSIBLE.includes(e));
    if (effects.length > 0) res.push({ grant: g, effects });
  }
  return res;
}

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
 * channel counts once: replies are not new tasks).
 */
export function handoffTargets(m: ResolvedModel, a: number): number[] {
  const res = new Set<number>();
  for (const b of out(m, a, 'delegates')) res.add(b);
  for (const b of into(m, a, 'accepts-from')) res.add(b);
  for (const c of channelsFrom(m, a)) {
    if (c.channel < 0 || !isAgentLike(m, c.to)) continue;
    if (channelEnds(m, c.channel).from === a) res.add(c.to);
  }
  res.delete(a);
  return [...res].sort((x, y) => x - y);
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
  const del = strings(sa['delegatesTo']).indexOf(idB);
  if (del >= 0) return has(m, a, ['delegatesTo', del], idB, note ?? 'hands tasks to');
  const acc = strings(sb['acceptsFrom']).indexOf(idA);
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
  const k = strings((m.graph.specs[user] ?? {})['dependsOn']).indexOf(depId);
  if (k >= 0) return has(m, user, ['dependsOn', k], depId, note);
  const u = strings((m.graph.specs[dep] ?? {})['usedBy']).indexOf(userId);
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
