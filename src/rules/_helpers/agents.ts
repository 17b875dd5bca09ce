/**
 * Selectors for L3 (agent framework) rules: autonomy, human gates on side effects, the three legs
 * of the lethal trifecta, agent-to-agent reachability and MCP tool names. Reads the resolved model
 * only; every graph walk is iterative with an explicit queue and a visited set.
 */
import type { ResolvedModel } from '../../model/resolve.js';
import { isRecord } from '../../model/references.js';
import type { Evidence } from '../../engine/types.js';
import type { SideEffectName } from '../../model/schema.js';
import {
  IRREVERSIBLE,
  grants,
  has,
  into,
  intoShared,
  isUntrustedSource,
  compact,
  elementMemo,
  out,
  outShared,
  positionIn,
  channelsFrom,
  channelsInto,
  sensitivityRank,
  str,
  strings,
  type Grant,
  type Spec,
} from './index.js';

export const AUTONOMY_LEVELS = ['none', 'assistive', 'supervised', 'conditional', 'full'] as const;

/** Rank of the declared autonomy (none 0 .. full 4), or -1 when not declared. */
export function autonomyRank(spec: Spec): number {
  const v = str(spec, 'autonomy');
  return v === undefined ? -1 : (AUTONOMY_LEVELS as readonly string[]).indexOf(v);
}

/** The agent acts on its own (conditional or full autonomy, as declared). */
export function isAutonomous(spec: Spec): boolean {
  return autonomyRank(spec) >= 3;
}

/** A human takes or reviews every step (none, assistive, supervised): the agent never acts alone. */
export function isHumanDriven(spec: Spec): boolean {
  const r = autonomyRank(spec);
  return r >= 0 && r <= 2;
}

/** Side effects that change the world: everything irreversible plus plain writes. */
export const PRIVILEGED: readonly SideEffectName[] = [...IRREVERSIBLE, 'write'];
/** Side effects through which data can leave the system. */
export const EGRESS: readonly SideEffectName[] = ['network-egress', 'send-message'];
/** Side effects that move value. */
export const MONEY: readonly SideEffectName[] = ['payment', 'blockchain-transaction'];

export function isIrreversible(e: SideEffectName): boolean {
  return IRREVERSIBLE.includes(e);
}

/** Words in an approval's action text that name a side effect (matched against whole words). */
const EFFECT_WORDS: Readonly<Record<SideEffectName, readonly string[]>> = {
  read: ['read', 'reads', 'view'],
  write: ['write', 'writes', 'edit', 'edits', 'update', 'updates', 'modify', 'create', 'commit', 'commits'],
  delete: ['delete', 'deletes', 'deletion', 'remove', 'removal', 'drop', 'purge', 'erase'],
  'execute-code': ['execute', 'execution', 'exec', 'run', 'code', 'shell', 'command', 'commands', 'script', 'scripts'],
  'network-egress': ['egress', 'fetch', 'upload', 'request', 'requests'],
  'send-message': ['send', 'sends', 'message', 'messages', 'email', 'emails', 'mail', 'reply', 'replies', 'notify', 'notification', 'publish', 'post', 'comment'],
  payment: ['payment', 'payments', 'pay', 'pays', 'refund', 'refunds', 'transfer', 'transfers', 'payout', 'payouts', 'purchase', 'purchases', 'reimbursement', 'reimbursements', 'spend'],
  'blockchain-transaction': ['blockchain', 'transaction', 'transactions', 'transfer', 'transfers', 'on-chain', 'onchain', 'swap', 'swaps', 'trade', 'trades'],
  'credential-access': ['credential', 'credentials', 'secret', 'secrets'],
  'system-config': ['config', 'configuration', 'settings', 'deploy', 'deployment', 'infrastructure'],
};
const CATCH_ALL = new Set(['*', 'all', 'any', 'all actions', 'any action', 'everything', 'every action', 'all tools', 'every tool call', 'all tool calls']);

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().split(/[^a-z0-9-]+/).filter((w) => w !== ''));
}

/** Names an approval may use for a granted tool: its id, display name and the MCP tool names it carries. */
function grantNames(m: ResolvedModel, g: Grant): readonly string[] {
  const hit = grantNamesCache.get(g);
  if (hit !== undefined) return hit;
  const spec = m.graph.specs[g.tool] ?? {};
  const names = [m.graph.ids[g.tool] ?? ''];
  const display = str(spec, 'name');
  if (display !== undefined) names.push(display);
  names.push(...mcpToolNames(m, g));
  const res = names.map((n) => n.toLowerCase()).filter((n) => n.length >= 3);
  grantNamesCache.set(g, res);
  return res;
}
/** Memo of grantNames per grant object (grants are cached per model, see grants()). */
const grantNamesCache = new WeakMap<Grant, readonly string[]>();

/** Every name of every grant of agent a (deduplicated), memoised per model. */
const allNamesMemo = elementMemo<readonly string[]>();
function allGrantNames(m: ResolvedModel, a: number): readonly string[] {
  return allNamesMemo(m, a, () => {
    const set = new Set<string>();
    for (const other of grants(m, a)) for (const n of grantNames(m, other)) set.add(n);
    return [...set];
  });
}

/** A human gate on one side effect of one grant. */
export interface Gate {
  readonly evidence: Evidence;
  /** before (or not stated), after, sampled. */
  readonly mode: string;
  /** The human, or -1 when the gate is the agent's own autonomy level. */
  readonly approver: number;
}

/** A Gate whose evidence is built on first use: gates are computed for every holding and cited for few. */
class LazyGate implements Gate {
  private built: Evidence | undefined;
  constructor(
    private readonly m: ResolvedModel,
    private readonly at: number,
    private readonly path: (string | number)[],
    private readonly value: unknown,
    private readonly note: string,
    readonly mode: string,
    readonly approver: number,
  ) {}

  get evidence(): Evidence {
    this.built ??= has(this.m, this.at, this.path, this.value, this.note);
    return this.built;
  }
}

/** Is the gate strong enough for an action that cannot be undone (a human decides before it happens)? */
export function isBlocking(g: Gate): boolean {
  return g.mode === 'before';
}

/**
 * The human gate on side effect `effect` of grant `g` held by agent `a`, or undefined. Gates, in
 * order: the agent's declared autonomy is none/assistive/supervised; the grant names an approver;
 * an approvals entry whose action names the tool (id, name or MCP tool name); an approvals entry
 * whose action names the side effect in words, or is a catch-all. An entry that names a tool
 * applies to that tool only.
 */
export function gateFor(m: ResolvedModel, a: number, g: Grant, effect: SideEffectName): Gate | undefined {
  const spec = m.graph.specs[a] ?? {};
  if (isHumanDriven(spec)) return humanGate(m, a, () => new LazyGate(m, a, ['autonomy'], spec['autonomy'], 'a human takes or reviews each step', 'before', -1));
  const slot = grantSlot(m, a, g);
  if (g.approver !== undefined) {
    const approver = g.approver;
    slot.approverGate ??= new LazyGate(m, a, ['tools', g.index, 'approval'], approver, 'each call waits for this human', 'before', m.indexOf(approver));
    return slot.approverGate;
  }
  const list = spec['approvals'];
  if (!Array.isArray(list)) return undefined;
  // Scanning the approvals is the costly case: memoise it per agent, grant and effect.
  if (slot.gates.has(effect)) return slot.gates.get(effect);
  const gate = scanApprovals(m, a, list, g, effect);
  slot.gates.set(effect, gate);
  return gate;
}
/** The gate of a human-driven agent: the same for all its grants and side effects. */
const humanGate = elementMemo<Gate>();

/** Per agent and grant position: memoised gates and holdings (grants are shared per model, see grants()). */
interface GrantSlot {
  readonly grant: Grant;
  approverGate?: Gate;
  readonly gates: Map<SideEffectName, Gate | undefined>;
  readonly holdings: Map<SideEffectName, Holding>;
}
const grantSlots = elementMemo<(GrantSlot | undefined)[]>();
function grantSlot(m: ResolvedModel, a: number, g: Grant): GrantSlot {
  const table = grantSlots(m, a, () => []);
  let slot = table[g.index];
  if (slot?.grant !== g) {
    slot = { grant: g, gates: new Map(), holdings: new Map() };
    table[g.index] = slot;
  }
  return slot;
}

function scanApprovals(m: ResolvedModel, a: number, list: readonly unknown[], g: Grant, effect: SideEffectName): Gate | undefined {
  const mine = grantNames(m, g);
  const allNames = allGrantNames(m, a);
  let byWords: Gate | undefined;
  for (let k = 0; k < list.length; k++) {
    const entry: unknown = list[k];
    if (!isRecord(entry) || typeof entry['action'] !== 'string') continue;
    const written = entry['action'];
    const action = written.toLowerCase().trim();
    const gate = (): Gate => {
      const mode = typeof entry['mode'] === 'string' ? entry['mode'] : 'before';
      const approver = typeof entry['approver'] === 'string' ? m.indexOf(entry['approver']) : -1;
      return new LazyGate(m, a, ['approvals', k, 'action'], written, `approval (${mode})`, mode, approver);
    };
    const namesAny = allNames.some((n) => action.includes(n));
    if (namesAny) {
      if (mine.some((n) => action.includes(n))) return gate();
      continue;
    }
    if (byWords !== undefined) continue;
    if (CATCH_ALL.has(action) || (effect.includes('-') && (action.includes(effect) || action.includes(effect.replace('-', ' '))))) byWords = gate();
    else {
      const w = words(action);
      if (EFFECT_WORDS[effect].some((x) => w.has(x))) byWords = gate();
    }
  }
  return byWords;
}

export interface Holding {
  readonly grant: Grant;
  readonly effect: SideEffectName;
  readonly gate?: Gate;
}

/**
 * Every (grant, side effect) pair of an agent restricted to `effects`, with its human gate if any.
 * Memoised per model, agent and `effects` list (pass a constant list such as IRREVERSIBLE): the
 * result is shared, do not mutate it.
 */
export function holdings(m: ResolvedModel, a: number, effects: readonly SideEffectName[]): Holding[] {
  let memo = holdingsMemo.get(effects);
  if (memo === undefined) {
    memo = elementMemo<Holding[]>();
    holdingsMemo.set(effects, memo);
  }
  return memo(m, a, () => {
    const res: Holding[] = [];
    for (const g of grants(m, a)) {
      let slot: GrantSlot | undefined;
      for (const e of g.sideEffects) {
        if (!effects.includes(e)) continue;
        // One Holding per agent, grant and effect, shared by the lists of every `effects`.
        slot ??= grantSlot(m, a, g);
        let h = slot.holdings.get(e);
        if (h === undefined) {
          const gate = gateFor(m, a, g, e);
          h = gate === undefined ? { grant: g, effect: e } : { grant: g, effect: e, gate };
          slot.holdings.set(e, h);
        }
        res.push(h);
      }
    }
    return compact(res);
  });
}
const holdingsMemo = new WeakMap<readonly SideEffectName[], (m: ResolvedModel, i: number, compute: () => Holding[]) => Holding[]>();

/** Holdings with no gate, or (when `blockingOnly`) with a gate that only reviews after the fact. Memoised like holdings. */
export function ungated(m: ResolvedModel, a: number, effects: readonly SideEffectName[], blockingOnly = false): Holding[] {
  const memos = ungatedMemo.get(effects) ?? [elementMemo<Holding[]>(), elementMemo<Holding[]>()];
  ungatedMemo.set(effects, memos);
  return memos[blockingOnly ? 1 : 0](m, a, () => compact(holdings(m, a, effects).filter((h) => h.gate === undefined || (blockingOnly && !isBlocking(h.gate)))));
}
const ungatedMemo = new WeakMap<readonly SideEffectName[], [(m: ResolvedModel, i: number, compute: () => Holding[]) => Holding[], (m: ResolvedModel, i: number, compute: () => Holding[]) => Holding[]]>();

/** Evidence for a holding: the grant, the side effect, and the weak gate when there is one. */
export function holdingEvidence(m: ResolvedModel, a: number, h: Holding): Evidence[] {
  const ev: Evidence[] = [has(m, a, ['tools', h.grant.index], m.graph.ids[h.grant.tool], `grants side effect ${h.effect}`)];
  if (h.gate !== undefined && !isBlocking(h.gate)) ev.push({ ...h.gate.evidence, note: `approval only ${h.gate.mode === 'after' ? 'after the action' : 'on a sample'}: it cannot stop an irreversible action` });
  return ev;
}

/** Side effects an agent holds through its grants. */
export function effectsOf(m: ResolvedModel, a: number): Set<SideEffectName> {
  const set = new Set<SideEffectName>();
  for (const g of grants(m, a)) for (const e of g.sideEffects) set.add(e);
  return set;
}

/** The MCP tool names a grant gives access to: the grant's named tools, else all the server lists (shared list: do not mutate). */
export function mcpToolNames(m: ResolvedModel, g: Grant): readonly string[] {
  if (m.kindOf(g.tool) !== 'mcp-server') return NO_NAMES;
  if (g.named.length > 0) return g.named;
  return serverToolNames(m, g.tool, () => {
    const list = (m.graph.specs[g.tool] ?? {})['tools'];
    const res: string[] = [];
    if (Array.isArray(list)) for (const t of list) if (isRecord(t) && typeof t['name'] === 'string') res.push(t['name']);
    return res;
  });
}
const NO_NAMES: readonly string[] = [];
/** Memo of the tool names an MCP server lists, per model and server. */
const serverToolNames = elementMemo<readonly string[]>();

export interface Leg {
  readonly from: number;
  readonly evidence: Evidence;
  /** The leg involves restricted data or a crown jewel. */
  readonly severe?: boolean;
}

const SENSITIVE_ASSET_TYPES = new Set(['pii', 'credential']);

/** A Leg whose evidence is built on first use: legs are computed for every agent and cited for few. */
class LazyLeg implements Leg {
  private built: Evidence | undefined;
  constructor(
    private readonly m: ResolvedModel,
    readonly from: number,
    readonly severe: boolean,
    private readonly at: number,
    private readonly path: (string | number)[],
    private readonly value: unknown,
    private readonly note: string,
  ) {}

  get evidence(): Evidence {
    this.built ??= has(this.m, this.at, this.path, this.value, this.note);
    return this.built;
  }
}

/** The pii/credential (or confidential+) assets located in `holder`, memoised per model (many agents hold one tool). */
const assetsMemo = elementMemo<{ asset: number; severe: boolean; path: (string | number)[]; type: string }[]>();
function sensitiveAssets(m: ResolvedModel, holder: number): { asset: number; severe: boolean; path: (string | number)[]; type: string }[] {
  return assetsMemo(m, holder, () => {
    const res: { asset: number; severe: boolean; path: (string | number)[]; type: string }[] = [];
    for (const asset of out(m, holder, 'holds')) {
      const s = m.graph.specs[asset] ?? {};
      const rank = sensitivityRank(s['sensitivity']);
      if (!SENSITIVE_ASSET_TYPES.has(str(s, 'type') ?? '') && rank < 2) continue;
      const pos = positionIn(m, s['locatedIn'], m.graph.ids[holder] ?? '');
      res.push({ asset, severe: rank === 3 || s['crownJewel'] === true, path: pos >= 0 ? ['locatedIn', pos] : ['locatedIn'], type: str(s, 'type') ?? 'asset' });
    }
    return res;
  });
}

/**
 * Leg 1 of the trifecta: private data agent `a` can read. Memories it reads with sensitivity
 * confidential or restricted; memories and external systems its tools access with such
 * sensitivity; pii/credential (or confidential+) assets located in the agent, in what it reads, or
 * in its tools; and grants with the credential-access side effect. Memoised per model (shared list).
 */
export function sensitiveReads(m: ResolvedModel, a: number): Leg[] {
  return readsMemo(m, a, () => compact(computeSensitiveReads(m, a)));
}
const readsMemo = elementMemo<Leg[]>();

function computeSensitiveReads(m: ResolvedModel, a: number): Leg[] {
  const res: Leg[] = [];
  const seen = new Set<number>();
  // Notes are built only for the stores and tools that give a leg (most give none).
  const addAssets = (holder: number, how: () => string) => {
    const assets = sensitiveAssets(m, holder);
    if (assets.length === 0) return;
    const note = how();
    for (const x of assets) res.push(new LazyLeg(m, x.asset, x.severe, x.asset, x.path, m.graph.ids[holder], `${x.type} ${note}`));
  };
  const addStore = (x: number, how: () => string) => {
    if (seen.has(x)) return;
    seen.add(x);
    const s = m.graph.specs[x] ?? {};
    const rank = sensitivityRank(s['sensitivity']);
    let note: string | undefined;
    if (rank >= 2) {
      note = how();
      res.push(new LazyLeg(m, x, rank === 3, x, ['sensitivity'], s['sensitivity'], note));
    }
    addAssets(x, () => note ?? how());
  };
  addAssets(a, () => 'held by the agent itself');
  const aid = m.graph.ids[a] ?? '';
  for (const mem of out(m, a, 'reads')) addStore(mem, () => `the agent ${aid} reads it`);
  for (const g of grants(m, a)) {
    const toolId = m.graph.ids[g.tool] ?? '';
    if (!seen.has(g.tool)) {
      seen.add(g.tool);
      addAssets(g.tool, () => `reachable through the granted tool ${toolId}`);
    }
    for (const x of outShared(m, g.tool, 'accesses')) {
      const k = m.kindOf(x);
      if (k === 'memory' || k === 'external-system') addStore(x, () => `the granted tool ${toolId} accesses it`);
    }
    if (g.sideEffects.includes('credential-access')) res.push(new LazyLeg(m, g.tool, false, a, ['tools', g.index], toolId, 'grants side effect credential-access'));
  }
  return res;
}

/**
 * Leg 3 of the trifecta: ways agent `a` can send data out. Grants with network-egress or
 * send-message, and channels from the agent to an untrusted external system. Memoised per model (shared list).
 */
export function egressPaths(m: ResolvedModel, a: number): Leg[] {
  return egressMemo(m, a, () => compact(computeEgressPaths(m, a)));
}
const egressMemo = elementMemo<Leg[]>();

function computeEgressPaths(m: ResolvedModel, a: number): Leg[] {
  const res: Leg[] = [];
  for (const g of grants(m, a)) {
    const e = g.sideEffects.find((x) => EGRESS.includes(x));
    if (e !== undefined) res.push(new LazyLeg(m, g.tool, false, a, ['tools', g.index], m.graph.ids[g.tool], `can send data out: ${e}`));
  }
  for (const c of channelsFrom(m, a)) {
    if (c.channel < 0 || m.kindOf(c.to) !== 'external-system' || !isUntrustedSource(m, c.to)) continue;
    res.push(new LazyLeg(m, c.to, false, c.channel, ['to'], m.graph.ids[c.to], 'channel to an untrusted external system'));
  }
  return res;
}

/** How two agents are joined, for reachability. */
export interface AgentLink {
  readonly to: number;
  readonly evidence: Evidence;
}

/**
 * Agents joined to agent `a` in either direction: delegation, channels between agents, and a
 * memory one writes and the other reads. Direction is ignored on purpose: results flow back along
 * a delegation, and instructions flow forward.
 */
export function agentLinks(m: ResolvedModel, a: number): AgentLink[] {
  const res: AgentLink[] = [];
  const isAgent = (x: number) => m.kindOf(x) === 'agent';
  const aid = m.graph.ids[a] ?? '';
  const ids = m.graph.ids;
  for (const b of out(m, a, 'delegates')) res.push(new LazyLink(m, b, a, 'delegatesTo', ids[b], 'delegates to'));
  for (const b of into(m, a, 'delegates')) res.push(new LazyLink(m, b, b, 'delegatesTo', aid, 'delegates to'));
  for (const c of channelsFrom(m, a)) if (isAgent(c.to) && c.channel >= 0) res.push(new LazyLink(m, c.to, c.channel, 'to', ids[c.to], 'channel between agents'));
  for (const c of channelsInto(m, a)) if (isAgent(c.from) && c.channel >= 0) res.push(new LazyLink(m, c.from, c.channel, 'from', ids[c.from], 'channel between agents'));
  for (const mem of out(m, a, 'writes')) {
    for (const b of intoShared(m, mem, 'reads')) if (b !== a) res.push(new LazyLink(m, b, mem, 'id', ids[mem], () => `written by ${aid}, read by ${ids[b] ?? ''}`));
  }
  for (const mem of out(m, a, 'reads')) {
    for (const b of intoShared(m, mem, 'writes')) if (b !== a) res.push(new LazyLink(m, b, mem, 'id', ids[mem], () => `written by ${ids[b] ?? ''}, read by ${aid}`));
  }
  return res;
}

/** An AgentLink whose evidence is built on first use: walks touch many links and cite few. */
class LazyLink implements AgentLink {
  private built: Evidence | undefined;
  constructor(
    private readonly m: ResolvedModel,
    readonly to: number,
    private readonly at: number,
    private readonly key: string,
    private readonly value: string | undefined,
    private readonly note: string | (() => string),
  ) {}

  get evidence(): Evidence {
    this.built ??= has(this.m, this.at, [this.key], this.value, typeof this.note === 'string' ? this.note : this.note());
    return this.built;
  }
}

/** Position of `id` in a string list field of a spec, for a pointer (-1 when absent); pass the model to memoise long lists. */
export function indexIn(spec: Spec, key: string, id: string, m?: ResolvedModel): number {
  return m === undefined ? strings(spec[key]).indexOf(id) : positionIn(m, spec[key], id);
}

/** Is agent i run by another party (origin external or third-party)? */
export function isOutsideAgent(m: ResolvedModel, i: number): boolean {
  const o = str(m.graph.specs[i] ?? {}, 'origin');
  return m.kindOf(i) === 'agent' && (o === 'external' || o === 'third-party');
}

/**
 * Strongly connected components of the delegation graph over `agents` (iterative Kosaraju: one
 * depth-first pass for finishing order, one over reversed edges). Components come out in
 * topological order of the condensation: a component is listed before the ones it delegates to.
 */
export function delegationComponents(m: ResolvedModel, agents: readonly number[]): { comp: Map<number, number>; comps: number[][] } {
  const order: number[] = [];
  const done = new Set<number>();
  for (const s of agents) {
    if (done.has(s)) continue;
    done.add(s);
    const stack: { at: number; next: number; succ: number[] }[] = [{ at: s, next: 0, succ: out(m, s, 'delegates') }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top === undefined) break;
      const nxt = top.succ[top.next];
      if (nxt === undefined) {
        order.push(top.at);
        stack.pop();
        continue;
      }
      top.next++;
      if (done.has(nxt)) continue;
      done.add(nxt);
      stack.push({ at: nxt, next: 0, succ: out(m, nxt, 'delegates') });
    }
  }
  const comp = new Map<number, number>();
  const comps: number[][] = [];
  for (let k = order.length - 1; k >= 0; k--) {
    const root = order[k];
    if (root === undefined || comp.has(root)) continue;
    const members: number[] = [];
    const stack = [root];
    comp.set(root, comps.length);
    while (stack.length > 0) {
      const x = stack.pop();
      if (x === undefined) break;
      members.push(x);
      for (const p of into(m, x, 'delegates')) {
        if (comp.has(p)) continue;
        comp.set(p, comps.length);
        stack.push(p);
      }
    }
    comps.push(members.sort((a, b) => a - b));
  }
  return { comp, comps };
}

const ALL_EFFECTS: readonly SideEffectName[] = [
  'read',
  'write',
  'delete',
  'execute-code',
  'network-egress',
  'send-message',
  'payment',
  'blockchain-transaction',
  'credential-access',
  'system-config',
];

export function effectMask(list: Iterable<SideEffectName>): number {
  let mask = 0;
  for (const e of list) {
    const k = ALL_EFFECTS.indexOf(e);
    if (k >= 0) mask |= 1 << k;
  }
  return mask;
}

export function maskEffects(mask: number): SideEffectName[] {
  return ALL_EFFECTS.filter((_, k) => (mask & (1 << k)) !== 0);
}

/** Links of a delegation path kept in evidence: the first and last few. */
const PATH_KEEP = 3;

/**
 * What agents can reach through delegation, computed once per model: for every agent, the
 * irreversible side effects it holds with no human approval before the action, and the union of
 * those held by every agent it can reach by delegatesTo (any number of hops; linear time through
 * the component condensation). `nearest` then names, breadth-first, the closest delegate holding
 * each effect of a mask, with the delegation path as evidence.
 */
export class DelegationIndex {
  private readonly ownCache = new Map<number, Holding[]>();
  private readonly below = new Map<number, number>();
  constructor(private readonly m: ResolvedModel) {
    const agents = [...m.ofKind('agent')];
    const { comp, comps } = delegationComponents(m, agents);
    const all = new Array<number>(comps.length).fill(0);
    for (let c = comps.length - 1; c >= 0; c--) {
      const members = comps[c] ?? [];
      let mask = 0;
      for (const x of members) mask |= this.ownMask(x);
      let succ = 0;
      for (const x of members) {
        for (const y of out(m, x, 'delegates')) {
          const d = comp.get(y) ?? -1;
          if (d !== c && d >= 0) succ |= all[d] ?? 0;
        }
      }
      all[c] = mask | succ;
      for (const x of members) this.below.set(x, members.length > 1 ? mask | succ : succ);
    }
  }

  /** Ungated irreversible holdings of agent a (approval after the fact or on a sample counts as none). */
  open(a: number): Holding[] {
    let h = this.ownCache.get(a);
    if (h === undefined) {
      h = ungated(this.m, a, IRREVERSIBLE, true);
      this.ownCache.set(a, h);
    }
    return h;
  }

  ownMask(a: number): number {
    let mask = this.maskCache.get(a);
    if (mask === undefined) {
      mask = effectMask(this.open(a).map((h) => h.effect));
      this.maskCache.set(a, mask);
    }
    return mask;
  }
  private readonly maskCache = new Map<number, number>();

  /** Delegates of x (memoised: nearest() walks the same agents again and again). */
  private delegatesOf(x: number): number[] {
    let list = this.succCache.get(x);
    if (list === undefined) {
      list = out(this.m, x, 'delegates');
      this.succCache.set(x, list);
    }
    return list;
  }
  private readonly succCache = new Map<number, number[]>();

  /** Effects held ungated by agents reachable from a through delegation. */
  downstream(a: number): number {
    return this.below.get(a) ?? 0;
  }

  /** The nearest delegates that together hold every effect of `mask`, with evidence. */
  nearest(a: number, mask: number): { delegate: number; effects: number; evidence: Evidence[] }[] {
    const m = this.m;
    const res: { delegate: number; effects: number; evidence: Evidence[] }[] = [];
    let left = mask;
    const prev = new Map<number, number>([[a, -1]]);
    const queue = [a];
    for (let head = 0; head < queue.length && left !== 0; head++) {
      const x = queue[head] ?? -1;
      // Everything x leads to holds none of the effects still sought: those agents can be neither
      // a hit nor on the way to one, so the walk need not enter them (hits and paths are unchanged).
      if ((this.downstream(x) & left) === 0) continue;
      for (const y of this.delegatesOf(x)) {
        if (prev.has(y)) continue;
        prev.set(y, x);
        queue.push(y);
        const hit = this.ownMask(y) & left;
        if (hit === 0) continue;
        left &= ~hit;
        // The hops back to a, then evidence for the kept ones only (the first and last few).
        const hops: number[] = [];
        for (let cur = y, guard = 0; cur !== a && guard <= prev.size; guard++) {
          const p = prev.get(cur) ?? -1;
          if (p < 0) break;
          hops.push(cur);
          cur = p;
        }
        hops.reverse();
        const picked = hops.length <= 2 * PATH_KEEP ? hops : [...hops.slice(0, PATH_KEEP), ...hops.slice(-PATH_KEEP)];
        const kept = picked.map((cur) => {
          const p = prev.get(cur) ?? -1;
          const id = m.graph.ids[cur] ?? '';
          const k = indexIn(m.graph.specs[p] ?? {}, 'delegatesTo', id, m);
          return has(m, p, k >= 0 ? ['delegatesTo', k] : ['delegatesTo'], id, 'delegates to');
        });
        if (kept.length < hops.length) {
          const first = kept[PATH_KEEP];
          if (first !== undefined) kept[PATH_KEEP] = { ...first, note: `delegates to (after ${String(hops.length - 2 * PATH_KEEP)} more hops)` };
        }
        const holdingEv = this.open(y)
          .filter((h) => (effectMask([h.effect]) & hit) !== 0)
          .flatMap((h) => holdingEvidence(m, y, h));
        res.push({ delegate: y, effects: hit, evidence: [...kept, ...holdingEv] });
        if (left === 0) break;
      }
    }
    return res;
  }
}

const delegationIndexCache = new WeakMap<ResolvedModel, DelegationIndex>();
/** The DelegationIndex of a model, built once and shared by the rules that need it. */
export function delegationIndex(m: ResolvedModel): DelegationIndex {
  let idx = delegationIndexCache.get(m);
  if (idx === undefined) {
    idx = new DelegationIndex(m);
    delegationIndexCache.set(m, idx);
  }
  return idx;
}

/** Ids of elements for a message, at most `max` of them, then "and N more". */
export function idList(m: ResolvedModel, xs: Iterable<number>, max = 6): string {
  const all = [...xs];
  const shown = all.slice(0, max).map((x) => m.graph.ids[x] ?? '');
  return all.length > max ? `${shown.join(', ')} and ${String(all.length - max)} more` : shown.join(', ');
}

/** At most `max` evidence items; when more exist, a last item on element `at` says how many were left out. */
export function capEvidence(m: ResolvedModel, at: number, list: readonly Evidence[], max = 24): Evidence[] {
  if (list.length <= max) return [...list];
  return [...list.slice(0, max), has(m, at, [], undefined, `${String(list.length - max)} more facts of the same kind not listed`)];
}

/**
 * Evidence gathered for capEvidence without building what the cap drops: `add` takes a builder that
 * runs only while fewer than `max` items are kept, and everything is counted. `done` returns exactly
 * what capEvidence(m, at, all, max) returns for the full list.
 */
export class CappedEvidence {
  private readonly kept: Evidence[] = [];
  private total = 0;
  constructor(private readonly max = 24) {}

  add(make: () => Evidence): void {
    this.total++;
    if (this.kept.length < this.max) this.kept.push(make());
  }

  addAll(list: readonly Evidence[]): void {
    for (const e of list) this.add(() => e);
  }

  done(m: ResolvedModel, at: number): Evidence[] {
    if (this.total <= this.max) return this.kept;
    return [...this.kept, has(m, at, [], undefined, `${String(this.total - this.max)} more facts of the same kind not listed`)];
  }
}

/** Who holds each tool or MCP server, and with which side effects: computed once per model. */
export interface ToolUses {
  /** Tools in the order grants first name them (agents in document order, then grant order). */
  readonly order: readonly number[];
  /** Agents holding tool t (each once, in document order), or undefined when none. */
  readonly holders: readonly (readonly number[] | undefined)[];
  /** Union of the side effects granted on tool t, as an effectMask. */
  readonly effects: Int32Array;
}
const toolUsesCache = new WeakMap<ResolvedModel, ToolUses>();
export function toolUses(m: ResolvedModel): ToolUses {
  let uses = toolUsesCache.get(m);
  if (uses === undefined) {
    const order: number[] = [];
    const holders: (number[] | undefined)[] = [];
    const effects = new Int32Array(m.graph.size);
    for (const a of m.ofKind('agent')) {
      for (const g of grants(m, a)) {
        let list = holders[g.tool];
        if (list === undefined) {
          list = [];
          holders[g.tool] = list;
          order.push(g.tool);
        }
        // Agents are visited in order, so a repeated grant of one tool by one agent is the last entry.
        if (list[list.length - 1] !== a) list.push(a);
        effects[g.tool] = (effects[g.tool] ?? 0) | effectMask(g.sideEffects);
      }
    }
    uses = { order, holders, effects };
    toolUsesCache.set(m, uses);
  }
  return uses;
}
