/**
 * What the model says about one element, as risk inputs: exposure to untrusted input, what it
 * reaches (data sensitivity, side effects, crown jewels) and the agentic factors of the agents that
 * act through it. Read once per element and cached; every walk is bounded (one hop, or a loop over
 * a CSR row), iterative, on integer indexes. Declared controls are never read here: they act only on
 * residual likelihood (score.ts), so a control is never counted twice.
 */
import { isRecord } from '../model/references.js';
import type { ResolvedModel } from '../model/resolve.js';
import type { SideEffectName } from '../model/schema.js';
import {
  grants,
  into,
  isUntrustedSource,
  out,
  channelsFrom,
  channelsInto,
  effectiveBoundary,
  str,
  toolSideEffects,
  untrustedInputs,
  type Grant,
  type Spec,
} from '../rules/_helpers/index.js';
import { gateFor, isHumanDriven, mcpToolNames } from '../rules/_helpers/agents.js';
import { CROWN_JEWEL_SCORE, EFFECT_SCORE, SENSITIVITY_SCORE, clamp, type AgenticFactorName } from './model.js';

/** A value with the plain-text basis it was computed from. */
export interface Valued {
  readonly value: number;
  readonly basis: string;
}

export interface ElementProfile {
  /** Untrusted input reaching the element, 0..10. */
  readonly exposure: Valued;
  /** Highest data sensitivity in reach, 0..10 (0 when nothing declares one). */
  readonly sensitivity: Valued;
  /** Worst side effect in reach, 0..10. */
  readonly sideEffects: Valued;
  /** Crown jewel in reach: 10 or 0. */
  readonly crownJewels: Valued;
  /** Agentic factors other than multiAgentReach (element-level, computed in score.ts). */
  readonly agentic: Readonly<Record<Exclude<AgenticFactorName, 'multiAgentReach'>, Valued>>;
  /** Agents that act through the element (itself for an agent), for the one-hop reach estimate. */
  readonly actingAgents: number;
  /** Agents one hop away that a compromise of this element reaches without the graph analysis. */
  readonly oneHopReach: Valued;
}

const EXPOSED_DIRECT = 10;
const EXPOSED_SUPPLY = 6;
const EXPOSED_INDIRECT = 6;
const EXPOSED_PERIMETER = 4;

const AUTONOMY_SCORE: Readonly<Record<string, number>> = { none: 0, assistive: 2, supervised: 4, conditional: 7, full: 10 };
const UNKNOWN = 5;
const SELF_MODIFY_BONUS = 2;

const IDENTITY_SCORE: Readonly<Record<string, number>> = {
  shared: 8,
  'user-delegated': 7,
  none: 6,
  other: 5,
  'api-key': 4,
  'service-account': 3,
  did: 2,
  'workload-identity': 2,
};
const NOT_PER_AGENT = 8;
const SPAWN_BONUS = 2;
const DELEGATES_BONUS = 1.5;
const DELEGATED_TO_BONUS = 1;
const ADMIN_CREDENTIAL_BONUS = 1;
const BROAD_CREDENTIAL_BONUS = 0.5;

const PERSISTENT_TYPES = new Set(['vector-store', 'rag-corpus', 'episodic', 'long-term', 'database', 'ledger', 'file-store', 'knowledge-graph']);
const PERSISTENT = 6;
const SESSION = 2;
const SESSION_TYPE = 3;
const SHARED = 3;
const PER_TENANT = 1.5;
const SHARING_UNKNOWN = 1;
const WRITES_BONUS = 1;

const PIN_SCORE = { pinned: 2, unknown: 5, unpinned: 8 } as const;
const NO_EVALUATION = 2;

const GATE_CREDIT: Readonly<Record<string, number>> = { before: 1, after: 0.4, sampled: 0.25 };
const OVERSIGHT_HUMAN_DRIVEN = 10;
const OVERSIGHT_APPROVALS_ONLY = 6;

const TOOL_KIND_WEIGHT = 0.7;
const TOOL_BREADTH_WEIGHT = 0.3;

const IRREVERSIBLE: readonly SideEffectName[] = ['payment', 'blockchain-transaction', 'delete', 'execute-code', 'send-message', 'system-config'];
const SENSITIVE_ASSET_TYPES = new Set(['pii', 'credential']);

interface Reach {
  sens: number;
  sensFrom: string;
  effect: number;
  effectFrom: string;
  jewel: number;
  jewelFrom: string;
}

function emptyReach(): Reach {
  return { sens: 0, sensFrom: '', effect: 0, effectFrom: '', jewel: 0, jewelFrom: '' };
}

/**
 * Keep the higher of each part. A part taken from `r` is prefixed with how it is reached:
 * `${label} ${id}: ` when an id is given, else `label` as is (built only when a part is taken).
 */
function mergeReach(into_: Reach, r: Reach, label = '', id?: string): void {
  if (r.sens <= into_.sens && r.effect <= into_.effect && r.jewel <= into_.jewel) return;
  const prefix = id !== undefined ? `${label} ${id}: ` : label;
  if (r.sens > into_.sens) {
    into_.sens = r.sens;
    into_.sensFrom = prefix + r.sensFrom;
  }
  if (r.effect > into_.effect) {
    into_.effect = r.effect;
    into_.effectFrom = prefix + r.effectFrom;
  }
  if (r.jewel > into_.jewel) {
    into_.jewel = r.jewel;
    into_.jewelFrom = prefix + r.jewelFrom;
  }
}

interface AgentFactors {
  readonly autonomy: Valued;
  readonly toolAccess: Valued;
  readonly memoryPersistence: Valued;
  readonly nonDeterminism: Valued;
  readonly identityDynamics: Valued;
  readonly humanOversight: Valued;
}

type AgentFactorName = keyof AgentFactors;
const AGENT_FACTOR_NAMES: readonly AgentFactorName[] = ['autonomy', 'toolAccess', 'memoryPersistence', 'nonDeterminism', 'identityDynamics', 'humanOversight'];
/** Index of humanOversight in AGENT_FACTOR_NAMES: the one factor where the lowest value is the worst case. */
const OVERSIGHT = AGENT_FACTOR_NAMES.indexOf('humanOversight');

export class Profiler {
  private readonly profiles = new Map<number, ElementProfile>();
  private readonly agentCache = new Map<number, AgentFactors>();
  private readonly directCache = new Map<number, Valued>();
  private readonly reachCache = new Map<number, Reach>();
  private readonly baseCache = new Map<number, Reach>();
  private readonly grantCache = new Map<number, readonly Grant[]>();
  private readonly actingCache = new Map<number, number[]>();
  private readonly memoryUsers = new Map<number, number>();
  private readonly memoryTaint = new Map<number, string>();
  private readonly effectsCache = new WeakMap<readonly SideEffectName[], Reach>();
  private readonly accessCache = new Map<number, readonly number[]>();
  private readonly systemSensitivity: number;
  /** Each agent's factor values, AGENT_FACTOR_NAMES order (agentKnown[a] = 1 once computed). */
  private readonly agentValues: Float64Array;
  private readonly agentKnown: Uint8Array;
  private readonly bestScratch = new Int32Array(AGENT_FACTOR_NAMES.length);

  constructor(private readonly m: ResolvedModel) {
    this.agentValues = new Float64Array(m.graph.size * AGENT_FACTOR_NAMES.length);
    this.agentKnown = new Uint8Array(m.graph.size);
    const sys = isRecord(m.model.system) ? (m.model.system as Spec) : {};
    this.systemSensitivity = SENSITIVITY_SCORE[str(sys, 'dataSensitivity') ?? ''] ?? 0;
  }

  /** The system.dataSensitivity score (0 when not declared). */
  get systemDataSensitivity(): number {
    return this.systemSensitivity;
  }

  /** An agent's grants (cached: several factors read them). */
  private grantsOf(a: number): readonly Grant[] {
    const hit = this.grantCache.get(a);
    if (hit) return hit;
    const gs = grants(this.m, a);
    this.grantCache.set(a, gs);
    return gs;
  }

  private id(i: number): string {
    return this.m.graph.ids[i] ?? '';
  }

  private spec(i: number): Spec {
    return this.m.graph.specs[i] ?? {};
  }

  profile(i: number): ElementProfile {
    const hit = this.profiles.get(i);
    if (hit) return hit;
    const p = i < 0 || i >= this.m.graph.size ? this.emptyProfile() : this.build(i);
    this.profiles.set(i, p);
    return p;
  }

  private emptyProfile(): ElementProfile {
    const none: Valued = { value: 0, basis: 'the element is not in the model' };
    return {
      exposure: none,
      sensitivity: none,
      sideEffects: none,
      crownJewels: none,
      agentic: { autonomy: none, toolAccess: none, memoryPersistence: none, nonDeterminism: none, identityDynamics: none, humanOversight: none },
      actingAgents: 0,
      oneHopReach: none,
    };
  }

  private build(i: number): ElementProfile {
    const isAgent = this.m.kindOf(i) === 'agent';
    const acting = this.actingAgents(i);
    // Impact reach: the element's own, plus (for a non-agent) what the agents acting through it reach.
    const reach = emptyReach();
    mergeReach(reach, this.reach(i));
    if (!isAgent) for (const a of acting) mergeReach(reach, this.reach(a), 'through agent', this.id(a));
    const sensitivity: Valued =
      reach.sens > 0
        ? { value: reach.sens, basis: reach.sensFrom }
        : { value: 0, basis: 'no data sensitivity declared in reach' };
    const sideEffects: Valued = reach.effect > 0 ? { value: reach.effect, basis: reach.effectFrom } : { value: 0, basis: 'no side effect in reach' };
    const crownJewels: Valued = reach.jewel > 0 ? { value: reach.jewel, basis: reach.jewelFrom } : { value: 0, basis: 'no crown-jewel asset in reach' };
    return {
      exposure: this.exposure(i, acting),
      sensitivity,
      sideEffects,
      crownJewels,
      agentic: this.aggregate(i, acting),
      actingAgents: acting.length,
      oneHopReach: this.oneHop(i, acting),
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Agents acting through an element

  /** Agents that use a component directly (agent, model, tool, MCP server, memory, channel). */
  private directAgents(x: number): number[] {
    const m = this.m;
    const kind = m.kindOf(x);
    const isAgent = (y: number) => m.kindOf(y) === 'agent';
    switch (kind) {
      case 'agent':
        return [x];
      case 'model':
        return into(m, x, 'uses-model');
      case 'tool':
      case 'mcp-server':
        return into(m, x, 'invokes');
      case 'memory':
        return [...into(m, x, 'reads'), ...into(m, x, 'writes'), ...out(m, x, 'written-by').filter(isAgent)];
      case 'channel': {
        const s = this.spec(x);
        return [m.indexOf(str(s, 'from') ?? ''), m.indexOf(str(s, 'to') ?? '')].filter((y) => y >= 0 && isAgent(y));
      }
      default:
        return [];
    }
  }

  /**
   * Agents acting through x, sorted and unique: an agent itself; the agents that use a model, tool,
   * MCP server, memory or channel; for anything else, the agents that use what it is attached to
   * (one hop: what depends on a dependency, runs on a deployment, sits in a boundary, is approved by
   * a human, is protected, observed or managed by it, holds an asset, is targeted by an entry point).
   */
  actingAgents(x: number): number[] {
    const hit = this.actingCache.get(x);
    if (hit) return hit;
    const m = this.m;
    const kind = m.kindOf(x);
    const set = new Set<number>(this.directAgents(x));
    const via = (list: readonly number[]) => {
      for (const y of list) for (const a of this.directAgents(y)) set.add(a);
    };
    switch (kind) {
      case 'dependency':
        via(into(m, x, 'depends-on'));
        break;
      case 'deployment': {
        via(into(m, x, 'runs-on'));
        for (const child of into(m, x, 'parent')) via(into(m, child, 'runs-on'));
        break;
      }
      case 'boundary':
        via(into(m, x, 'in-boundary'));
        break;
      case 'human':
        via(into(m, x, 'approved-by'));
        break;
      case 'external-system':
        for (const c of channelsFrom(m, x)) via([c.to]);
        for (const c of channelsInto(m, x)) via([c.from]);
        via(into(m, x, 'accesses'));
        break;
      case 'asset':
        via(into(m, x, 'holds'));
        break;
      case 'entry-point':
        via(out(m, x, 'entry'));
        break;
      case 'control':
        via(into(m, x, 'protected-by'));
        break;
      case 'observability':
        via(into(m, x, 'observed-by'));
        break;
      case 'lifecycle':
        via(into(m, x, 'managed-by'));
        break;
      default:
        break;
    }
    const list = [...set].sort((a, b) => a - b);
    this.actingCache.set(x, list);
    return list;
  }

  // ---------------------------------------------------------------------------------------------
  // Exposure

  /** Direct exposure of x: untrusted input arrives at x itself (10), or a third party controls it (6). */
  private direct(x: number): Valued {
    const hit = this.directCache.get(x);
    if (hit) return hit;
    const v = this.computeDirect(x);
    this.directCache.set(x, v);
    return v;
  }

  private computeDirect(x: number): Valued {
    const m = this.m;
    const kind = m.kindOf(x);
    const s = this.spec(x);
    const hit = (basis: string): Valued => ({ value: EXPOSED_DIRECT, basis });
    for (const ep of into(m, x, 'entry')) if (isUntrustedSource(m, ep)) return hit(`untrusted input enters through entry point ${this.id(ep)}`);
    if (kind === 'agent') {
      const first = untrustedInputs(m, x)[0];
      if (first) return hit(`${first.evidence.note ?? 'untrusted input reaches it'} (${this.id(first.from)})`);
    }
    if ((kind === 'agent' || kind === 'human' || kind === 'external-system' || kind === 'entry-point') && isUntrustedSource(m, x)) {
      return hit(kind === 'agent' ? 'the agent is run by another party' : `${this.id(x)} is an untrusted source`);
    }
    if (kind === 'memory') {
      for (const src of [...out(m, x, 'ingests'), ...out(m, x, 'written-by')]) if (isUntrustedSource(m, src)) return hit(`the memory takes content from untrusted ${this.id(src)}`);
    }
    if (kind === 'tool' || kind === 'mcp-server') {
      if (isUntrustedSource(m, x)) return hit('the tool returns outside content');
      for (const t of out(m, x, 'accesses')) if (isUntrustedSource(m, t)) return hit(`the tool reads from untrusted ${this.id(t)}`);
    }
    if (kind === 'channel') {
      const from = m.indexOf(str(s, 'from') ?? '');
      if (from >= 0 && isUntrustedSource(m, from)) return hit(`untrusted ${this.id(from)} sends on it`);
      for (const ep of into(m, x, 'entry-via')) if (isUntrustedSource(m, ep)) return hit(`untrusted input arrives on it through entry point ${this.id(ep)}`);
    }
    if (kind === 'model') {
      for (const d of out(m, x, 'trained-on')) if (isUntrustedSource(m, d)) return hit(`trained on untrusted ${this.id(d)}`);
    }
    if (kind === 'tool' || kind === 'mcp-server' || kind === 'dependency') {
      const pub = s['publisher'];
      const trust = isRecord(pub) && typeof pub['trust'] === 'string' ? pub['trust'] : undefined;
      if (trust === 'community' || trust === 'unknown') return { value: EXPOSED_SUPPLY, basis: `published by a ${trust} publisher: a third party can change what runs` };
    }
    return { value: 0, basis: '' };
  }

  /** Some agent that writes memory `mem` takes untrusted input directly: its readers are exposed through it. */
  private taintedBy(mem: number): string {
    const hit = this.memoryTaint.get(mem);
    if (hit !== undefined) return hit;
    let by = '';
    const m = this.m;
    for (const w of [...into(m, mem, 'writes'), ...out(m, mem, 'written-by')]) {
      if (m.kindOf(w) === 'agent' && this.direct(w).value >= EXPOSED_DIRECT) {
        by = this.id(w);
        break;
      }
    }
    this.memoryTaint.set(mem, by);
    return by;
  }

  private exposure(x: number, acting: readonly number[]): Valued {
    const d = this.direct(x);
    if (d.value >= EXPOSED_DIRECT) return d;
    const m = this.m;
    let indirect = '';
    if (m.kindOf(x) === 'agent') {
      const exposedAgent = (list: readonly number[]) => list.find((y) => y !== x && m.kindOf(y) === 'agent' && this.direct(y).value >= EXPOSED_DIRECT);
      const neighbours: [readonly number[], string][] = [
        [into(m, x, 'delegates'), 'delegates to it'],
        [out(m, x, 'accepts-from'), 'it accepts tasks from'],
        [out(m, x, 'delegates'), 'it delegates to (results flow back)'],
        [into(m, x, 'spawns'), 'spawns it'],
        [channelsInto(m, x).map((c) => c.from), 'sends to it'],
      ];
      for (const [list, how] of neighbours) {
        const y = exposedAgent(list);
        if (y !== undefined) {
          indirect = `agent ${this.id(y)}, which takes untrusted input, ${how}`;
          break;
        }
      }
      if (indirect === '') {
        for (const mem of out(m, x, 'reads')) {
          const by = this.taintedBy(mem);
          if (by !== '' && by !== this.id(x)) {
            indirect = `it reads memory ${this.id(mem)}, written by agent ${by}, which takes untrusted input`;
            break;
          }
        }
      }
    } else {
      const a = acting.find((y) => this.direct(y).value >= EXPOSED_DIRECT);
      if (a !== undefined) indirect = `agent ${this.id(a)}, which uses it, takes untrusted input`;
    }
    if (indirect !== '' && EXPOSED_INDIRECT >= d.value) return { value: EXPOSED_INDIRECT, basis: indirect };
    if (d.value > 0) return d;
    const perimeter = this.perimeter(x);
    if (perimeter !== '') return { value: EXPOSED_PERIMETER, basis: perimeter };
    return { value: 0, basis: 'no untrusted input declared to reach it' };
  }

  /** The element (or its deployment chain) faces the internet, or sits in an untrusted boundary. */
  private perimeter(x: number): string {
    const g = this.m.graph;
    let d = this.m.kindOf(x) === 'deployment' ? x : (g.deployment[x] ?? -1);
    for (let guard = 0; d >= 0 && guard < g.size; guard++) {
      if (str(this.spec(d), 'networkExposure') === 'internet') return `deployment ${this.id(d)} is exposed to the internet`;
      d = g.parent[d] ?? -1;
    }
    const b = effectiveBoundary(this.m, x);
    if (b >= 0 && str(this.spec(b), 'trust') === 'untrusted') return `it sits in untrusted boundary ${this.id(b)}`;
    return '';
  }

  // ---------------------------------------------------------------------------------------------
  // Impact reach

  /** Own data of x: its sensitivity and the assets it holds (cached). */
  private base(x: number): Reach {
    const hit = this.baseCache.get(x);
    if (hit) return hit;
    const r = this.computeBase(x);
    this.baseCache.set(x, r);
    return r;
  }

  private computeBase(x: number): Reach {
    const r = emptyReach();
    const s = this.spec(x);
    const own = SENSITIVITY_SCORE[str(s, 'sensitivity') ?? ''] ?? 0;
    if (own > 0) {
      r.sens = own;
      r.sensFrom = `${this.id(x)} holds ${str(s, 'sensitivity') ?? ''} data`;
    }
    const assets = this.m.kindOf(x) === 'asset' ? [x] : out(this.m, x, 'holds');
    for (const a of assets) {
      const as = this.spec(a);
      const type = str(as, 'type') ?? '';
      let sens = SENSITIVITY_SCORE[str(as, 'sensitivity') ?? ''] ?? 0;
      if (SENSITIVE_ASSET_TYPES.has(type)) sens = Math.max(sens, SENSITIVITY_SCORE['confidential'] ?? 0);
      if (sens > r.sens) {
        r.sens = sens;
        r.sensFrom = `asset ${this.id(a)} (${type || 'asset'}, ${str(as, 'sensitivity') ?? (SENSITIVE_ASSET_TYPES.has(type) ? 'confidential by type' : 'unclassified')})`;
      }
      if (as['crownJewel'] === true && CROWN_JEWEL_SCORE > r.jewel) {
        r.jewel = CROWN_JEWEL_SCORE;
        r.jewelFrom = `crown jewel ${this.id(a)}`;
      }
    }
    return r;
  }

  /** What the effects list reaches (memoised per list: grants share their tool's list). */
  private effectsReach(effects: readonly SideEffectName[]): Reach {
    const hit = this.effectsCache.get(effects);
    if (hit) return hit;
    const r = this.computeEffectsReach(effects);
    this.effectsCache.set(effects, r);
    return r;
  }

  /** What a tool accesses (memoised: many agents are granted the same tool). */
  private accesses(tool: number): readonly number[] {
    let v = this.accessCache.get(tool);
    if (v === undefined) {
      v = out(this.m, tool, 'accesses');
      this.accessCache.set(tool, v);
    }
    return v;
  }

  private computeEffectsReach(effects: readonly SideEffectName[]): Reach {
    const r = emptyReach();
    for (const e of effects) {
      const v = EFFECT_SCORE[e];
      if (v > r.effect) {
        r.effect = v;
        r.effectFrom = `can cause ${e}`;
      }
    }
    return r;
  }

  /**
   * What x reaches. Agent: itself, the memories it reads and writes, the tools it is granted (with
   * the side effects of the grants) and what those tools access. Tool or MCP server: itself, its
   * side effects and what it accesses. Model: itself and its training data. Anything else: itself.
   */
  private reach(x: number): Reach {
    const hit = this.reachCache.get(x);
    if (hit) return hit;
    const m = this.m;
    const kind = m.kindOf(x);
    const r = emptyReach();
    mergeReach(r, this.base(x));
    if (kind === 'agent') {
      for (const mem of out(m, x, 'reads')) mergeReach(r, this.base(mem), 'memory', this.id(mem));
      for (const mem of out(m, x, 'writes')) mergeReach(r, this.base(mem), 'memory', this.id(mem));
      for (const g of this.grantsOf(x)) {
        const tool = this.id(g.tool);
        mergeReach(r, this.base(g.tool), 'tool', tool);
        mergeReach(r, this.effectsReach(g.sideEffects), 'through tool', tool);
        for (const t of this.accesses(g.tool)) mergeReach(r, this.base(t), 'through tool', tool);
      }
    } else if (kind === 'tool' || kind === 'mcp-server') {
      mergeReach(r, this.effectsReach(toolSideEffects(this.spec(x))));
      for (const t of this.accesses(x)) mergeReach(r, this.base(t));
    } else if (kind === 'model') {
      for (const t of out(m, x, 'trained-on')) mergeReach(r, this.base(t), 'training data: ');
    }
    this.reachCache.set(x, r);
    return r;
  }

  // ---------------------------------------------------------------------------------------------
  // Agentic factors

  /** Worst case over the acting agents: the maximum of each factor, the minimum of oversight. */
  private aggregate(x: number, acting: readonly number[]): Record<Exclude<AgenticFactorName, 'multiAgentReach'>, Valued> {
    const res = {} as Record<AgentFactorName, Valued>;
    if (acting.length === 0) {
      for (const name of AGENT_FACTOR_NAMES) res[name] = { value: 0, basis: `no agent acts through ${this.id(x)}` };
      return res;
    }
    // One pass over the acting agents, on their factor values in a typed array: the first agent with
    // the highest value (lowest for oversight) wins.
    const best = this.bestActing(acting);
    for (let k = 0; k < AGENT_FACTOR_NAMES.length; k++) {
      const name = AGENT_FACTOR_NAMES[k] ?? 'autonomy';
      const a = best[k] ?? -1;
      if (a < 0) continue;
      const v = this.agent(a)[name];
      if (acting.length === 1 && acting[0] === x) res[name] = v;
      else {
        const lowest = name === 'humanOversight';
        const scope = acting.length === 1 ? `agent ${this.id(a)}` : `${lowest ? 'lowest' : 'highest'} of ${acting.length} agents acting through it, agent ${this.id(a)}`;
        res[name] = { value: v.value, basis: `${scope}: ${v.basis}` };
      }
    }
    return res;
  }

  /**
   * Per factor, the first of `acting` with the highest value (the lowest for humanOversight); -1 when
   * acting is empty. Returns a scratch array, valid until the next call.
   */
  private bestActing(acting: readonly number[]): Int32Array {
    const K = AGENT_FACTOR_NAMES.length;
    // Factors first (computing one may itself aggregate, reusing the scratch), then the pass.
    for (let j = 0; j < acting.length; j++) if (this.agentKnown[acting[j] ?? 0] !== 1) this.agent(acting[j] ?? 0);
    const best = this.bestScratch;
    best.fill(-1);
    const vals = this.agentValues;
    for (let j = 0; j < acting.length; j++) {
      const a = acting[j] ?? 0;
      const at = a * K;
      for (let k = 0; k < K; k++) {
        const b = best[k] ?? -1;
        const v = vals[at + k] ?? 0;
        if (b < 0 || (k === OVERSIGHT ? v < (vals[b * K + k] ?? 0) : v > (vals[b * K + k] ?? 0))) best[k] = a;
      }
    }
    return best;
  }

  private agent(a: number): AgentFactors {
    const hit = this.agentCache.get(a);
    if (hit) return hit;
    const f: AgentFactors = {
      autonomy: this.autonomy(a),
      toolAccess: this.toolAccess(a),
      memoryPersistence: this.memoryPersistence(a),
      nonDeterminism: this.nonDeterminism(a),
      identityDynamics: this.identityDynamics(a),
      humanOversight: this.humanOversight(a),
    };
    this.agentCache.set(a, f);
    const at = a * AGENT_FACTOR_NAMES.length;
    for (let k = 0; k < AGENT_FACTOR_NAMES.length; k++) this.agentValues[at + k] = f[AGENT_FACTOR_NAMES[k] ?? 'autonomy'].value;
    this.agentKnown[a] = 1;
    return f;
  }

  private autonomy(a: number): Valued {
    const s = this.spec(a);
    const level = str(s, 'autonomy');
    const base = level !== undefined ? (AUTONOMY_SCORE[level] ?? UNKNOWN) : UNKNOWN;
    const parts = [level !== undefined ? `autonomy ${level} (${base})` : `autonomy not declared (${UNKNOWN})`];
    let v = base;
    if (s['canModifySelf'] === true) {
      v += SELF_MODIFY_BONUS;
      parts.push(`can modify itself (+${SELF_MODIFY_BONUS})`);
    }
    return { value: clamp(v), basis: parts.join(', ') };
  }

  private toolAccess(a: number): Valued {
    const gs = this.grantsOf(a);
    if (gs.length === 0) return { value: 0, basis: 'no tools granted' };
    const effects = new Set<SideEffectName>();
    let tools = 0;
    let wildcard = '';
    for (const g of gs) {
      for (const e of g.sideEffects) effects.add(e);
      const names = mcpToolNames(this.m, g);
      tools += names.length > 0 ? names.length : 1;
      if (wildcard === '') {
        const w = g.scopes.find((sc) => sc === '*' || sc.endsWith(':*') || /admin/i.test(sc));
        if (w !== undefined) wildcard = `${this.id(g.tool)} scope ${w}`;
      }
    }
    let kind = 0;
    let worst = '';
    for (const e of [...effects].sort()) {
      if (EFFECT_SCORE[e] > kind) {
        kind = EFFECT_SCORE[e];
        worst = e;
      }
    }
    const breadth = wildcard !== '' ? 10 : Math.min(10, 2 * effects.size + 0.5 * tools);
    const v = TOOL_KIND_WEIGHT * kind + TOOL_BREADTH_WEIGHT * breadth;
    const parts = [
      `${gs.length} grant${gs.length === 1 ? '' : 's'}, ${tools} callable tool${tools === 1 ? '' : 's'}, ${effects.size} kind${effects.size === 1 ? '' : 's'} of side effect`,
      worst !== '' ? `worst ${worst} (${kind})` : 'no side effect declared',
    ];
    if (wildcard !== '') parts.push(`unbounded scope (${wildcard})`);
    return { value: clamp(v), basis: parts.join(', ') };
  }

  private usersOf(mem: number): number {
    const hit = this.memoryUsers.get(mem);
    if (hit !== undefined) return hit;
    const n = new Set(this.directAgents(mem)).size;
    this.memoryUsers.set(mem, n);
    return n;
  }

  private memoryPersistence(a: number): Valued {
    const m = this.m;
    const writes = new Set(out(m, a, 'writes'));
    const mems = [...new Set([...out(m, a, 'reads'), ...writes])].sort((x, y) => x - y);
    if (mems.length === 0) return { value: 0, basis: 'reads and writes no memory' };
    let best: Valued = { value: -1, basis: '' };
    for (const mem of mems) {
      const s = this.spec(mem);
      const persistence = str(s, 'persistence');
      const type = str(s, 'type') ?? '';
      const p = persistence === 'persistent' ? PERSISTENT : persistence === 'session' ? SESSION : PERSISTENT_TYPES.has(type) ? PERSISTENT : SESSION_TYPE;
      const isolation = str(s, 'isolation');
      const users = this.usersOf(mem);
      const share =
        isolation === 'shared' ? SHARED : isolation === 'per-tenant' ? PER_TENANT : isolation !== undefined ? 0 : users >= 2 ? SHARED : SHARING_UNKNOWN;
      const w = writes.has(mem) ? WRITES_BONUS : 0;
      const v = clamp(p + share + w);
      if (v > best.value) {
        const pText = persistence ?? `${type || 'memory'} (persistence not declared)`;
        const sText = isolation !== undefined ? `isolation ${isolation}` : users >= 2 ? `used by ${users} agents` : 'isolation not declared';
        best = { value: v, basis: `memory ${this.id(mem)}: ${pText}, ${sText}${w > 0 ? ', written by the agent' : ''}` };
      }
    }
    return best;
  }

  /** The agent or one of its models is covered by an evaluation, or changed through an evaluated lifecycle. */
  private evaluated(targets: readonly number[]): string {
    const m = this.m;
    for (const t of targets) {
      for (const o of out(m, t, 'observed-by')) if (str(this.spec(o), 'type') === 'evaluation') return `evaluation ${this.id(o)} covers ${this.id(t)}`;
      for (const l of out(m, t, 'managed-by')) if (this.spec(l)['evaluated'] === true) return `lifecycle ${this.id(l)} evaluates changes to ${this.id(t)}`;
    }
    return '';
  }

  private nonDeterminism(a: number): Valued {
    const models = out(this.m, a, 'uses-model');
    let base = UNKNOWN;
    let why = `no model declared (${UNKNOWN})`;
    if (models.length > 0) {
      base = -1;
      for (const x of models) {
        const pinned = this.spec(x)['pinned'];
        const v = pinned === true ? PIN_SCORE.pinned : pinned === false ? PIN_SCORE.unpinned : PIN_SCORE.unknown;
        if (v > base) {
          base = v;
          why = `model ${this.id(x)} ${pinned === true ? 'pinned' : pinned === false ? 'not pinned' : 'pinning not declared'} (${v})`;
        }
      }
    }
    const ev = this.evaluated([a, ...models]);
    const v = base + (ev === '' ? NO_EVALUATION : 0);
    return { value: clamp(v), basis: `${why}, ${ev === '' ? `no evaluation declared (+${NO_EVALUATION})` : ev}` };
  }

  private identityDynamics(a: number): Valued {
    const m = this.m;
    const s = this.spec(a);
    const identity = isRecord(s['identity']) ? (s['identity'] as Spec) : undefined;
    const type = identity !== undefined ? str(identity, 'type') : undefined;
    let v = type !== undefined ? (IDENTITY_SCORE[type] ?? UNKNOWN) : UNKNOWN;
    const parts = [type !== undefined ? `identity ${type} (${v})` : `identity not declared (${UNKNOWN})`];
    if (identity !== undefined && identity['perAgent'] === false && v < NOT_PER_AGENT) {
      v = NOT_PER_AGENT;
      parts.push(`not per agent (${NOT_PER_AGENT})`);
    }
    if (s['canSpawnAgents'] === true || out(m, a, 'spawns').length > 0) {
      v += SPAWN_BONUS;
      parts.push(`spawns agents (+${SPAWN_BONUS})`);
    }
    if (out(m, a, 'delegates').length > 0) {
      v += DELEGATES_BONUS;
      parts.push(`delegates (+${DELEGATES_BONUS})`);
    }
    if (into(m, a, 'delegates').length > 0 || out(m, a, 'accepts-from').length > 0) {
      v += DELEGATED_TO_BONUS;
      parts.push(`acts on delegated tasks (+${DELEGATED_TO_BONUS})`);
    }
    const creds = identity !== undefined && Array.isArray(identity['credentials']) ? identity['credentials'] : [];
    const scopes = creds.filter(isRecord).map((c) => c['scope']);
    if (scopes.includes('admin')) {
      v += ADMIN_CREDENTIAL_BONUS;
      parts.push(`admin credential (+${ADMIN_CREDENTIAL_BONUS})`);
    } else if (scopes.includes('broad')) {
      v += BROAD_CREDENTIAL_BONUS;
      parts.push(`broad credential (+${BROAD_CREDENTIAL_BONUS})`);
    }
    return { value: clamp(v), basis: parts.join(', ') };
  }

  private humanOversight(a: number): Valued {
    const m = this.m;
    const s = this.spec(a);
    const hs: { grant: Grant; mode: string | undefined }[] = [];
    for (const g of this.grantsOf(a)) {
      for (const e of g.sideEffects) if (IRREVERSIBLE.includes(e)) hs.push({ grant: g, mode: gateFor(m, a, g, e)?.mode });
    }
    if (hs.length === 0) {
      if (isHumanDriven(s)) return { value: OVERSIGHT_HUMAN_DRIVEN, basis: `autonomy ${str(s, 'autonomy') ?? ''}: a human takes or reviews each step` };
      const approvals = Array.isArray(s['approvals']) ? s['approvals'].length : 0;
      const granted = this.grantsOf(a).filter((g) => g.approver !== undefined).length;
      if (approvals + granted > 0) return { value: OVERSIGHT_APPROVALS_ONLY, basis: 'no irreversible action; approvals are declared' };
      return { value: 0, basis: 'no irreversible action and no human approval declared' };
    }
    let credit = 0;
    let before = 0;
    let later = 0;
    let auto = 0;
    for (const h of hs) {
      const autoApprove = isRecord(h.grant.grant) && h.grant.grant['autoApprove'] === true;
      if (autoApprove) {
        auto++;
        continue;
      }
      if (h.mode === undefined) continue;
      const c = GATE_CREDIT[h.mode] ?? 0;
      credit += c;
      if (c >= 1) before++;
      else if (c > 0) later++;
    }
    const v = (10 * credit) / hs.length;
    const parts = [`${before} of ${hs.length} irreversible action${hs.length === 1 ? '' : 's'} ${before === 1 ? 'waits' : 'wait'} for a human before acting`];
    if (later > 0) parts.push(`${later} only reviewed after or sampled`);
    if (auto > 0) parts.push(`${auto} auto-approved`);
    return { value: clamp(v), basis: parts.join(', ') };
  }

  // ---------------------------------------------------------------------------------------------
  // One-hop reach (the multiAgentReach estimate when the graph analysis gives no blast radius)

  private oneHop(x: number, acting: readonly number[]): Valued {
    const m = this.m;
    if (m.kindOf(x) !== 'agent') {
      return { value: acting.length, basis: `${acting.length} agent${acting.length === 1 ? '' : 's'} act through it` };
    }
    const near = new Set<number>();
    for (const b of out(m, x, 'delegates')) near.add(b);
    for (const b of out(m, x, 'spawns')) near.add(b);
    for (const c of channelsFrom(m, x)) if (m.kindOf(c.to) === 'agent') near.add(c.to);
    near.delete(x);
    let viaMemory = 0;
    for (const mem of out(m, x, 'writes')) {
      const readers = into(m, mem, 'reads');
      viaMemory += readers.length - (readers.includes(x) ? 1 : 0);
    }
    const total = Math.min(m.graph.size, near.size + viaMemory);
    return { value: total, basis: `${near.size} agent${near.size === 1 ? '' : 's'} it delegates to, spawns or messages, ${viaMemory} reader${viaMemory === 1 ? '' : 's'} of memory it writes` };
  }
}

