// @ts-check
/**
 * Seeded generator of synthetic multi-agent systems for the benchmarks (see bench/README.md and
 * /work/shared/BENCHMARKS.md, "Synthetic MAS generator"). Plain JavaScript so Node 20 runs it as is;
 * types come from JSDoc and from the schema, so `tsc --checkJs` checks every generated field against
 * the model format at compile time.
 *
 * Deterministic: every random draw comes from one mulberry32 stream seeded by `seed` (never
 * Math.random), and draws happen in a fixed order, so the same options give byte-identical JSON.
 * Every generated system loads with zero diagnostics (no errors, no warnings).
 */
import { stringify } from 'yaml';

/**
 * @typedef {import('../src/model/schema.js').ModelFile} ModelFile
 * @typedef {import('../src/model/schema.js').AgentSpec} AgentSpec
 * @typedef {import('../src/model/schema.js').ModelSpec} ModelSpec
 * @typedef {import('../src/model/schema.js').ToolSpec} ToolSpec
 * @typedef {import('../src/model/schema.js').McpServerSpec} McpServerSpec
 * @typedef {import('../src/model/schema.js').MemorySpec} MemorySpec
 * @typedef {import('../src/model/schema.js').ChannelSpec} ChannelSpec
 * @typedef {import('../src/model/schema.js').HumanSpec} HumanSpec
 * @typedef {import('../src/model/schema.js').ExternalSystemSpec} ExternalSystemSpec
 * @typedef {import('../src/model/schema.js').DependencySpec} DependencySpec
 * @typedef {import('../src/model/schema.js').BoundarySpec} BoundarySpec
 * @typedef {import('../src/model/schema.js').DeploymentSpec} DeploymentSpec
 * @typedef {import('../src/model/schema.js').ObservabilitySpec} ObservabilitySpec
 * @typedef {import('../src/model/schema.js').ControlSpec} ControlSpec
 * @typedef {import('../src/model/schema.js').LifecycleSpec} LifecycleSpec
 * @typedef {import('../src/model/schema.js').AssetSpec} AssetSpec
 * @typedef {import('../src/model/schema.js').EntryPointSpec} EntryPointSpec
 * @typedef {import('../src/model/schema.js').ToolGrantSpec} ToolGrantSpec
 * @typedef {import('../src/model/schema.js').SideEffectName} SideEffectName
 */

/**
 * Shapes of the agent-to-agent channel graph.
 * - tree: orchestrator-worker fan-out of 4 to 8 per level (CrewAI/LangGraph supervisors).
 * - pipeline: a chain, each agent hands over to the next.
 * - small-world: Watts-Strogatz ring lattice, k = 4, rewiring p = 0.1.
 * - scale-free: Barabasi-Albert preferential attachment, m = 2.
 * - hub: one coordinator talks to every agent, and every agent uses the same model and MCP server.
 * - dag: MacNet-like random DAG, each agent fed by 1 to 3 recent predecessors.
 * @typedef {'tree' | 'pipeline' | 'small-world' | 'scale-free' | 'hub' | 'dag'} Topology
 */

/** @type {readonly Topology[]} */
export const TOPOLOGIES = ['tree', 'pipeline', 'small-world', 'scale-free', 'hub', 'dag'];

/**
 * @typedef {object} GenerateOptions
 * @property {number} agents Number of agents (at least 1).
 * @property {number} [seed] PRNG seed (default 1).
 * @property {Topology} [topology] Agent-to-agent channel shape (default 'tree').
 */

// ---------------------------------------------------------------------------------------------------------------------
// Deterministic randomness

/**
 * mulberry32: a tiny 32-bit PRNG built on Math.imul. Returns floats in [0, 1).
 * @param {number} seed
 * @returns {() => number}
 */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  /** @param {number} seed */
  constructor(seed) {
    this.next = mulberry32(seed);
  }
  /** Integer in [lo, hi], both inclusive. @param {number} lo @param {number} hi */
  int(lo, hi) {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  /** @param {number} p */
  chance(p) {
    return this.next() < p;
  }
  /** @template T @param {readonly T[]} arr @returns {T} */
  pick(arr) {
    return at(arr, Math.floor(this.next() * arr.length));
  }
  /**
   * Up to k distinct items of arr (order of first draw). Rejection sampling for small k, a partial
   * shuffle of the indexes when k is a large share of the list.
   * @template T @param {readonly T[]} arr @param {number} k @returns {T[]}
   */
  sample(arr, k) {
    const n = arr.length;
    const want = Math.min(k, n);
    if (want <= 0) return [];
    if (want * 4 < n) {
      /** @type {Set<number>} */
      const seen = new Set();
      /** @type {T[]} */
      const out = [];
      while (out.length < want) {
        const i = Math.floor(this.next() * n);
        if (seen.has(i)) continue;
        seen.add(i);
        out.push(at(arr, i));
      }
      return out;
    }
    const idx = Array.from({ length: n }, (_, i) => i);
    /** @type {T[]} */
    const out = [];
    for (let i = 0; i < want; i++) {
      const j = i + Math.floor(this.next() * (n - i));
      const tmp = at(idx, j);
      idx[j] = at(idx, i);
      idx[i] = tmp;
      out.push(at(arr, tmp));
    }
    return out;
  }
  /** Standard normal draw (Box-Muller). */
  normal() {
    const u = 1 - this.next(); // (0, 1]
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  /**
   * Log-normal integer with the given median; sigma from the p95 (p95 = median * e^(1.645 sigma)).
   * @param {number} median @param {number} p95 @param {number} min @param {number} max
   */
  logNormal(median, p95, min, max) {
    const sigma = Math.log(p95 / median) / 1.6449;
    const x = Math.round(median * Math.exp(sigma * this.normal()));
    return Math.max(min, Math.min(max, x));
  }
}

/**
 * Checked index: the generator only indexes inside bounds, this turns a bug into an exception.
 * @template T @param {readonly T[]} arr @param {number} i @returns {T}
 */
function at(arr, i) {
  const v = arr[i];
  if (v === undefined) throw new RangeError(`generator bug: index ${i} outside 0..${arr.length - 1}`);
  return v;
}

// ---------------------------------------------------------------------------------------------------------------------
// Text

const WORDS = (
  'agent orchestrates customer requests invoices refunds ledger reconciles documents summarises tickets escalates ' +
  'policy checks compliance reviews contracts extracts entities fetches market data drafts replies schedules meetings ' +
  'monitors alerts triages incidents queries warehouse builds reports translates messages validates payments ' +
  'retrieves context embeddings ranks results plans tasks delegates workers verifies outputs records decisions ' +
  'reads shared memory writes notes calls tools through the gateway with scoped credentials under human review ' +
  'for the finance team on behalf of the support desk across regions using retrieval augmented generation'
).split(' ');

/**
 * ASCII prose of a length in [min, max] (never ends in a space, no invisible characters).
 * @param {Rng} rng @param {number} min @param {number} max
 */
function prose(rng, min, max) {
  const target = rng.int(min, max);
  let s = '';
  while (s.length < target) s += (s ? ' ' : '') + rng.pick(WORDS);
  if (s.length > max) s = s.slice(0, max).trimEnd();
  if (s.length < min) s += 'x'.repeat(min - s.length);
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A description of 50 to 300 characters. @param {Rng} rng */
function description(rng) {
  return prose(rng, 50, 300);
}

/** @param {number} i @param {number} width */
function pad(i, width) {
  return String(i).padStart(width, '0');
}

// ---------------------------------------------------------------------------------------------------------------------
// Enumerations drawn from (kept in sync with schema.ts by the type checker)

/** @type {readonly SideEffectName[]} */
const SIDE_EFFECTS = ['read', 'write', 'delete', 'execute-code', 'network-egress', 'send-message', 'payment', 'blockchain-transaction', 'credential-access', 'system-config'];
/** @type {readonly SideEffectName[]} */
const COMMON_EFFECTS = ['read', 'read', 'read', 'write', 'network-egress', 'send-message'];
/** @type {readonly NonNullable<AgentSpec['autonomy']>[]} */
const AUTONOMY = ['assistive', 'supervised', 'supervised', 'conditional', 'conditional', 'full'];
const FRAMEWORKS = ['CrewAI', 'LangGraph', 'OpenAI Agents SDK', 'AutoGen', 'Semantic Kernel', 'ElizaOS'];
const PROVIDERS = /** @type {const} */ ([
  ['openai', 'gpt-4o'],
  ['anthropic', 'claude-sonnet'],
  ['google', 'gemini-pro'],
  ['meta', 'llama-3-70b'],
  ['mistral', 'mistral-large'],
  ['local', 'qwen-2.5-32b'],
]);
/** @type {readonly NonNullable<ChannelSpec['authentication']>[]} */
const CHANNEL_AUTH = ['none', 'api-key', 'oauth', 'mtls', 'signed-token', 'agent-card', 'unknown'];
/** @type {readonly NonNullable<ChannelSpec['encryption']>[]} */
const CHANNEL_ENC = ['none', 'tls', 'tls', 'tls', 'mtls', 'end-to-end'];
/** @type {readonly NonNullable<ChannelSpec['sensitivity']>[]} */
const SENSITIVITY = ['public', 'internal', 'internal', 'confidential', 'restricted'];
/** @type {readonly NonNullable<McpServerSpec['transport']>[]} */
const TRANSPORTS = ['stdio', 'stdio', 'http', 'sse', 'streamable-http', 'websocket'];
/** @type {readonly NonNullable<McpServerSpec['auth']>[]} */
const SERVER_AUTH = ['none', 'none', 'api-key', 'oauth', 'mtls'];
/** @type {readonly NonNullable<NonNullable<McpServerSpec['publisher']>['trust']>[]} */
const PUBLISHER_TRUST = ['first-party', 'vendor', 'community', 'community', 'unknown'];
/** @type {readonly NonNullable<ToolSpec['type']>[]} */
const TOOL_TYPES = ['function', 'api', 'browser', 'code-interpreter', 'shell', 'filesystem', 'database', 'email', 'payment', 'wallet', 'search', 'other'];
/** @type {readonly MemorySpec['type'][]} */
const MEMORY_TYPES = ['vector-store', 'rag-corpus', 'shared-scratchpad', 'episodic', 'long-term', 'short-term', 'knowledge-graph', 'cache'];
/** @type {readonly MemorySpec['type'][]} */
const STORE_TYPES = ['database', 'database', 'file-store', 'ledger'];
/** @type {readonly NonNullable<MemorySpec['isolation']>[]} */
const ISOLATION = ['per-user', 'per-tenant', 'per-agent', 'shared', 'shared'];
/** @type {readonly NonNullable<HumanSpec['role']>[]} */
const HUMAN_ROLES = ['user', 'operator', 'approver', 'administrator', 'developer', 'customer', 'public'];
/** @type {readonly NonNullable<HumanSpec['trust']>[]} */
const TRUST = ['trusted', 'authenticated', 'partner', 'untrusted'];
/** @type {readonly NonNullable<ExternalSystemSpec['type']>[]} */
const EXTERNAL_TYPES = ['api', 'website', 'email', 'saas', 'payment-provider', 'blockchain', 'identity-provider', 'storage', 'agent', 'other'];
/** @type {readonly NonNullable<BoundarySpec['type']>[]} */
const BOUNDARY_TYPES = ['network', 'process', 'container', 'host', 'organisation', 'tenant', 'cloud-account', 'trust-zone'];
/** @type {readonly NonNullable<DeploymentSpec['sandbox']>[]} */
const SANDBOX = ['none', 'process', 'container', 'container', 'gvisor', 'vm', 'wasm'];
/** @type {readonly NonNullable<DeploymentSpec['secrets']>[]} */
const SECRETS = ['vault', 'vault', 'kms', 'env', 'env', 'file', 'hardcoded', 'unknown'];
/** @type {readonly NonNullable<AgentSpec['identity']>['type'][]} */
const IDENTITY_TYPES = ['none', 'shared', 'api-key', 'service-account', 'workload-identity', 'user-delegated', 'did'];
/** @type {readonly NonNullable<NonNullable<AgentSpec['identity']>['credentials']>[number]['storage'][]} */
const CRED_STORAGE = ['vault', 'kms', 'hsm', 'env', 'file', 'hardcoded', 'unknown'];
/** @type {readonly NonNullable<ObservabilitySpec['type']>[]} */
const OBS_TYPES = ['logs', 'traces', 'metrics', 'audit-log', 'inter-agent-monitoring', 'anomaly-detection', 'evaluation', 'alerting'];
const CONTROL_PATTERNS = ['human-approval', 'least-privilege', 'input-sanitisation', 'output-filtering', 'rate-limiting', 'memory-provenance', 'tool-pinning', 'sandboxing', 'mutual-auth', 'audit-logging', 'secret-vaulting', 'kill-switch'];
/** @type {readonly LifecycleSpec['process'][]} */
const LIFECYCLE = ['update', 'retrain', 'fine-tune', 'prompt-change', 'tool-update', 'scale', 'decommission', 'rollback', 'onboarding'];
/** @type {readonly NonNullable<AssetSpec['type']>[]} */
const ASSET_TYPES = ['data', 'pii', 'funds', 'credential', 'model-weights', 'action', 'service', 'reputation'];
const SCOPES = ['files:read', 'files:write', 'mail:send', 'crm:read', 'crm:write', 'payments:create', 'repo:read', 'repo:write', 'calendar:write', 'db:query'];
const VERBS = ['get', 'list', 'search', 'create', 'update', 'delete', 'send', 'run', 'query', 'fetch', 'sync', 'approve'];
const NOUNS = ['file', 'issue', 'record', 'message', 'invoice', 'customer', 'report', 'page', 'order', 'ticket', 'event', 'secret', 'row', 'branch'];

// ---------------------------------------------------------------------------------------------------------------------
// Agent-to-agent edges per topology

/**
 * Directed agent-to-agent edges [from, to] for a topology. `bidirectional` says how channels are declared.
 * @param {Rng} rng @param {number} n @param {Topology} topology
 * @returns {{ edges: [number, number][], bidirectional: boolean }}
 */
function agentEdges(rng, n, topology) {
  /** @type {[number, number][]} */
  const edges = [];
  switch (topology) {
    case 'tree': {
      // Breadth-first orchestrator-worker tree: each orchestrator gets 4 to 8 workers.
      let head = 0;
      let next = 1;
      while (next < n) {
        const parent = head++;
        const fanOut = rng.int(4, 8);
        for (let k = 0; k < fanOut && next < n; k++) edges.push([parent, next++]);
      }
      return { edges, bidirectional: true };
    }
    case 'pipeline':
      for (let i = 0; i + 1 < n; i++) edges.push([i, i + 1]);
      return { edges, bidirectional: false };
    case 'small-world': {
      // Watts-Strogatz: ring lattice with k = 4 (2 neighbours each side), each edge rewired with p = 0.1.
      const k2 = Math.min(2, Math.floor((n - 1) / 2));
      /** @type {Set<number>} */
      const have = new Set();
      const key = (/** @type {number} */ a, /** @type {number} */ b) => (a < b ? a * n + b : b * n + a);
      for (let i = 0; i < n; i++) {
        for (let j = 1; j <= k2; j++) {
          let t = (i + j) % n;
          if (rng.chance(0.1)) {
            for (let tries = 0; tries < 8; tries++) {
              const c = rng.int(0, n - 1);
              if (c !== i && !have.has(key(i, c))) {
                t = c;
                break;
              }
            }
          }
          if (t === i || have.has(key(i, t))) continue;
          have.add(key(i, t));
          edges.push([i, t]);
        }
      }
      return { edges, bidirectional: true };
    }
    case 'scale-free': {
      // Barabasi-Albert, m = 2: start from a triangle; each new agent links to 2 agents chosen by degree.
      const m = 2;
      const m0 = Math.min(n, m + 1);
      /** @type {number[]} */
      const ends = [];
      for (let i = 0; i < m0; i++) {
        for (let j = i + 1; j < m0; j++) {
          edges.push([i, j]);
          ends.push(i, j);
        }
      }
      for (let v = m0; v < n; v++) {
        /** @type {Set<number>} */
        const chosen = new Set();
        while (chosen.size < m) chosen.add(rng.pick(ends));
        for (const t of chosen) {
          edges.push([v, t]);
          ends.push(v, t);
        }
      }
      return { edges, bidirectional: true };
    }
    case 'hub':
      for (let i = 1; i < n; i++) edges.push([0, i]);
      return { edges, bidirectional: true };
    case 'dag':
      // MacNet-like: each agent is fed by 1 to 3 distinct agents among the 16 before it.
      for (let v = 1; v < n; v++) {
        const lo = Math.max(0, v - 16);
        /** @type {Set<number>} */
        const from = new Set();
        const want = Math.min(v - lo, rng.int(1, 3));
        while (from.size < want) from.add(rng.int(lo, v - 1));
        for (const u of [...from].sort((a, b) => a - b)) edges.push([u, v]);
      }
      return { edges, bidirectional: false };
    default:
      throw new TypeError(`unknown topology ${JSON.stringify(topology)}; use one of ${TOPOLOGIES.join(', ')}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// The generator

/**
 * Generate a synthetic multi-agent system. The result is plain data (JSON-safe, no shared objects,
 * so YAML output has no aliases) that validates against the schema with zero diagnostics.
 * @param {GenerateOptions} options
 * @returns {ModelFile}
 */
export function generateSystem({ agents: agentCount, seed = 1, topology = 'tree' }) {
  if (!Number.isInteger(agentCount) || agentCount < 1) throw new RangeError('agents must be an integer >= 1');
  if (!TOPOLOGIES.includes(topology)) throw new TypeError(`unknown topology ${JSON.stringify(topology)}; use one of ${TOPOLOGIES.join(', ')}`);
  const A = agentCount;
  const rng = new Rng(seed);
  const hub = topology === 'hub';

  // Counts (BENCHMARKS.md "Synthetic MAS generator").
  const nModels = Math.min(8, Math.max(1, Math.ceil(A / 50)));
  const nServers = Math.max(1, Math.round(A / 2));
  const nTools = Math.max(1, Math.round(A / 4));
  const nMemories = Math.max(1, Math.ceil(A / 10));
  const nStores = Math.max(1, Math.ceil(A / 5));
  const nHumans = Math.max(2, Math.ceil(A / 25));
  const nExternal = Math.max(2, Math.ceil(A / 10));
  const nDeps = Math.min(24, 4 + Math.ceil(A / 100));
  const nBoundaries = Math.max(1, Math.round(Math.sqrt(A)));
  const nHosts = Math.max(1, Math.ceil(A / 100));
  const nContainers = Math.max(1, Math.ceil(A / 10));
  const nObs = Math.max(2, Math.ceil(A / 250));
  const nControls = Math.min(CONTROL_PATTERNS.length, 3 + Math.ceil(Math.log2(A + 1)));
  const nLifecycle = Math.min(LIFECYCLE.length, 3 + Math.ceil(Math.log10(A + 1)));
  const nAssets = Math.max(1, Math.ceil(A / 20));
  const nEntries = Math.max(1, Math.ceil(A / 20));

  const w = String(Math.max(A, nServers, nStores) - 1).length;
  const agentIds = Array.from({ length: A }, (_, i) => `agent-${pad(i, w)}`);
  const modelIds = Array.from({ length: nModels }, (_, i) => `model-${i}`);
  const serverIds = Array.from({ length: nServers }, (_, i) => `mcp-${pad(i, w)}`);
  const toolIds = Array.from({ length: nTools }, (_, i) => `tool-${pad(i, w)}`);
  const memoryIds = Array.from({ length: nMemories }, (_, i) => `memory-${pad(i, w)}`);
  const storeIds = Array.from({ length: nStores }, (_, i) => `store-${pad(i, w)}`);
  const humanIds = Array.from({ length: nHumans }, (_, i) => `human-${pad(i, w)}`);
  const externalIds = Array.from({ length: nExternal }, (_, i) => `ext-${pad(i, w)}`);
  const depIds = Array.from({ length: nDeps }, (_, i) => `dep-${i}`);
  const boundaryIds = Array.from({ length: nBoundaries }, (_, i) => `zone-${pad(i, w)}`);
  const hostIds = Array.from({ length: nHosts }, (_, i) => `host-${pad(i, w)}`);
  const containerIds = Array.from({ length: nContainers }, (_, i) => `pod-${pad(i, w)}`);
  const controlIds = Array.from({ length: nControls }, (_, i) => `control-${i}`);
  const dataIds = [...memoryIds, ...storeIds];
  const approverIds = humanIds.filter((_, i) => i % 2 === 0);

  // Trust boundaries: a forest rooted at zone-0, nesting depth at most 4 (a root has depth 1).
  /** @type {BoundarySpec[]} */
  const boundaries = [];
  /** @type {number[]} */
  const depth = [];
  for (let i = 0; i < nBoundaries; i++) {
    /** @type {BoundarySpec} */
    const b = { id: at(boundaryIds, i), name: `Zone ${i}`, description: description(rng), type: rng.pick(BOUNDARY_TYPES), trust: rng.pick(TRUST) };
    let d = 1;
    if (i > 0) {
      // Parent among earlier boundaries that are not yet at depth 4 (tries, then the root).
      let p = 0;
      for (let tries = 0; tries < 8; tries++) {
        const c = rng.int(0, i - 1);
        if (at(depth, c) < 4) {
          p = c;
          break;
        }
      }
      b.parent = at(boundaryIds, p);
      d = at(depth, p) + 1;
    }
    depth.push(d);
    boundaries.push(b);
  }
  /** Block-assign element i of n to a boundary (neighbours share zones), with 20% drawn at random. */
  const zoneOf = (/** @type {number} */ i, /** @type {number} */ n) =>
    rng.chance(0.2) ? rng.pick(boundaryIds) : at(boundaryIds, Math.floor((i * nBoundaries) / n));

  // Deployments: hosts in zones, containers on hosts.
  /** @type {DeploymentSpec[]} */
  const deployments = [];
  for (let i = 0; i < nHosts; i++) {
    deployments.push({
      id: at(hostIds, i),
      description: description(rng),
      boundary: zoneOf(i, nHosts),
      runtime: rng.pick(/** @type {const} */ (['kubernetes', 'vm', 'managed-service', 'on-premise'])),
      sandbox: rng.pick(SANDBOX),
      networkExposure: rng.pick(/** @type {const} */ (['private', 'internal', 'internal', 'internet'])),
      egress: rng.pick(/** @type {const} */ (['open', 'restricted', 'restricted', 'none'])),
      secrets: rng.pick(SECRETS),
      multiTenant: rng.chance(0.3),
      region: rng.pick(['eu-west-1', 'us-east-1', 'ap-south-1']),
    });
  }
  for (let i = 0; i < nContainers; i++) {
    const host = Math.floor((i * nHosts) / nContainers);
    deployments.push({
      id: at(containerIds, i),
      description: description(rng),
      parent: at(hostIds, host),
      runtime: 'container',
      sandbox: rng.pick(SANDBOX),
      egress: rng.pick(/** @type {const} */ (['open', 'restricted', 'none'])),
      secrets: rng.pick(SECRETS),
      scaling: { auto: rng.chance(0.6), min: 1, max: rng.int(1, 20) },
    });
  }

  // Models.
  /** @type {ModelSpec[]} */
  const models = [];
  for (let i = 0; i < nModels; i++) {
    const [provider, name] = at(PROVIDERS, i % PROVIDERS.length);
    /** @type {ModelSpec} */
    const m = {
      id: at(modelIds, i),
      name: `${provider} ${name}`,
      description: description(rng),
      provider,
      model: name,
      hosting: provider === 'local' ? 'self-hosted' : 'hosted-api',
      pinned: rng.chance(0.5),
      guardrails: rng.sample(['prompt-shield', 'pii-filter', 'toxicity-filter', 'jailbreak-classifier'], rng.int(0, 2)),
    };
    if (m.pinned) m.version = `2025-0${rng.int(1, 9)}-01`;
    if (rng.chance(0.2)) {
      m.fineTuned = true;
      m.trainingData = [rng.pick(storeIds)];
    }
    models.push(m);
  }

  // Dependencies: frameworks first, then plugins and registries.
  /** @type {DependencySpec[]} */
  const dependencies = [];
  for (let i = 0; i < nDeps; i++) {
    const framework = i < FRAMEWORKS.length;
    /** @type {DependencySpec} */
    const d = {
      id: at(depIds, i),
      name: framework ? at(FRAMEWORKS, i) : `plugin-${i}`,
      description: description(rng),
      type: framework ? 'framework' : rng.pick(/** @type {const} */ (['plugin', 'marketplace', 'package-registry', 'library', 'model-hub', 'agent-registry'])),
      publisher: { trust: rng.pick(PUBLISHER_TRUST), verified: rng.chance(0.5) },
      pinned: rng.chance(0.6),
    };
    d.package = { name: `pkg-${i}`, registry: rng.pick(/** @type {const} */ (['npm', 'pypi'])), version: d.pinned ? `1.${rng.int(0, 20)}.${rng.int(0, 9)}` : '^1.0.0' };
    dependencies.push(d);
  }
  const frameworkCount = Math.min(FRAMEWORKS.length, nDeps);

  // Memories (shared) and data stores, both in the memories section.
  /** @type {MemorySpec[]} */
  const memories = [];
  for (let i = 0; i < nMemories + nStores; i++) {
    const isStore = i >= nMemories;
    const local = isStore ? i - nMemories : i;
    /** @type {MemorySpec} */
    const m = {
      id: at(dataIds, i),
      description: description(rng),
      type: rng.pick(isStore ? STORE_TYPES : MEMORY_TYPES),
      sensitivity: rng.pick(SENSITIVITY),
      persistence: isStore || rng.chance(0.7) ? 'persistent' : 'session',
      isolation: rng.pick(ISOLATION),
      encryptedAtRest: rng.chance(0.7),
      boundary: zoneOf(local, isStore ? nStores : nMemories),
      deployment: rng.pick(containerIds),
    };
    if (rng.chance(0.5)) m.provenance = { tracked: rng.chance(0.6), signed: rng.chance(0.2) };
    if (rng.chance(0.3)) m.retentionDays = rng.int(7, 3650);
    if (rng.chance(0.3)) m.ingests = [rng.pick(externalIds)];
    if (rng.chance(0.1)) m.writers = [rng.pick(humanIds)];
    memories.push(m);
  }

  // MCP servers: a few tools each (log-normal, median 4, p95 24, max 200).
  /** @type {McpServerSpec[]} */
  const mcpServers = [];
  /** @type {string[][]} */
  const serverToolNames = [];
  for (let i = 0; i < nServers; i++) {
    const count = rng.logNormal(4, 24, 1, 200);
    /** @type {Set<string>} */
    const names = new Set();
    while (names.size < count) names.add(`${rng.pick(VERBS)}_${rng.pick(NOUNS)}${names.size >= 20 ? `_${names.size}` : ''}`);
    const toolNames = [...names];
    serverToolNames.push(toolNames);
    const transport = rng.pick(TRANSPORTS);
    /** @type {McpServerSpec} */
    const s = {
      id: at(serverIds, i),
      name: `MCP server ${i}`,
      description: description(rng),
      transport,
      publisher: { name: `publisher-${rng.int(0, 99)}`, trust: rng.pick(PUBLISHER_TRUST), verified: rng.chance(0.4) },
      auth: transport === 'stdio' ? 'none' : rng.pick(SERVER_AUTH),
      sideEffects: rng.sample(SIDE_EFFECTS, rng.int(1, 3)),
      tools: toolNames.map((name) => ({
        name,
        description: prose(rng, 20, 120),
        sideEffects: [rng.pick(COMMON_EFFECTS)],
      })),
      boundary: zoneOf(i, nServers),
      deployment: rng.pick(containerIds),
    };
    if (transport === 'stdio') {
      s.command = 'npx';
      s.args = ['-y', `mcp-server-${i}`];
      s.package = { name: `mcp-server-${i}`, registry: 'npm' };
      if (rng.chance(0.5)) {
        s.package.version = `0.${rng.int(1, 30)}.${rng.int(0, 9)}`;
        if (rng.chance(0.5)) s.package.integrity = `sha512-${pad(rng.int(0, 999999999), 9)}`;
      }
    } else {
      s.url = `https://mcp-${i}.example.com/mcp`;
    }
    if (rng.chance(0.3)) s.signature = { signed: true, verified: rng.chance(0.5), method: 'sigstore' };
    if (rng.chance(0.2)) s.lock = { hash: `sha256-${pad(rng.int(0, 999999999), 9)}` };
    if (rng.chance(0.5)) s.scopes = rng.sample(SCOPES, rng.int(1, 3));
    if (rng.chance(0.4)) s.accesses = rng.sample(dataIds, rng.int(1, 2));
    if (rng.chance(0.2)) s.dependsOn = [rng.pick(depIds)];
    mcpServers.push(s);
  }

  // Stand-alone tools.
  /** @type {ToolSpec[]} */
  const tools = [];
  for (let i = 0; i < nTools; i++) {
    /** @type {ToolSpec} */
    const t = {
      id: at(toolIds, i),
      description: description(rng),
      type: rng.pick(TOOL_TYPES),
      transport: 'in-process',
      sideEffects: rng.sample(SIDE_EFFECTS, rng.int(1, 3)),
      boundary: zoneOf(i, nTools),
    };
    if (rng.chance(0.5)) t.accesses = [rng.chance(0.5) ? rng.pick(dataIds) : rng.pick(externalIds)];
    if (rng.chance(0.3)) t.permissions = rng.sample(['fs:read', 'fs:write', 'net:outbound', 'proc:spawn'], rng.int(1, 2));
    tools.push(t);
  }

  // Humans and external systems.
  /** @type {HumanSpec[]} */
  const humans = [];
  for (let i = 0; i < nHumans; i++) {
    humans.push({
      id: at(humanIds, i),
      name: `Person ${i}`,
      description: description(rng),
      role: i % 2 === 0 ? 'approver' : rng.pick(HUMAN_ROLES),
      trust: rng.pick(TRUST),
      boundary: zoneOf(i, nHumans),
    });
  }
  /** @type {ExternalSystemSpec[]} */
  const externalSystems = [];
  for (let i = 0; i < nExternal; i++) {
    externalSystems.push({
      id: at(externalIds, i),
      description: description(rng),
      type: rng.pick(EXTERNAL_TYPES),
      url: `https://api-${i}.example.net`,
      trust: rng.pick(TRUST),
      sensitivity: rng.pick(SENSITIVITY),
    });
  }

  // Agent-to-agent structure.
  const { edges, bidirectional } = agentEdges(rng, A, topology);
  /** @type {number[][]} */
  const delegates = Array.from({ length: A }, () => []);
  /** @type {number[][]} */
  const accepts = Array.from({ length: A }, () => []);
  const tracksAccepts = topology === 'tree' || topology === 'pipeline';
  // anchor[i]: the first lower-numbered neighbour of agent i (its parent, predecessor or first link).
  const anchor = new Int32Array(A).fill(-1);
  for (const [f, t] of edges) {
    at(delegates, f).push(t);
    if (tracksAccepts) at(accepts, t).push(f);
    const [lo, hi] = f < t ? [f, t] : [t, f];
    if (anchor[hi] === -1) anchor[hi] = lo;
  }
  // Agents sit in their anchor's zone 80% of the time, so about 20% of agent channels cross a boundary.
  /** @type {string[]} */
  const agentZone = [];
  for (let i = 0; i < A; i++) {
    const anc = anchor[i] ?? -1;
    agentZone.push(anc >= 0 && rng.chance(0.8) ? at(agentZone, anc) : anc >= 0 ? rng.pick(boundaryIds) : zoneOf(i, A));
  }

  // Agents.
  /** @type {AgentSpec[]} */
  const agents = [];
  for (let i = 0; i < A; i++) {
    const orchestrator = at(delegates, i).length > 0;
    /** @type {(string | ToolGrantSpec)[]} */
    const grants = [];
    const servers = rng.sample(serverIds, rng.int(2, 8));
    if (hub && !servers.includes(at(serverIds, 0))) servers[0] = at(serverIds, 0);
    for (const sid of servers) {
      if (rng.chance(0.5)) {
        grants.push(sid);
        continue;
      }
      const names = at(serverToolNames, Number(sid.slice(4)));
      /** @type {ToolGrantSpec} */
      const g = { ref: sid, tools: rng.sample(names, rng.int(1, names.length)) };
      if (rng.chance(0.4)) g.scopes = rng.sample(SCOPES, rng.int(1, 2));
      if (rng.chance(0.2)) g.sideEffects = [rng.pick(COMMON_EFFECTS)];
      if (rng.chance(0.15)) g.approval = rng.pick(approverIds);
      grants.push(g);
    }
    for (const tid of rng.sample(toolIds, rng.int(0, 3))) grants.push(tid);

    /** @type {AgentSpec} */
    const a = {
      id: at(agentIds, i),
      name: `Agent ${i}`,
      description: description(rng),
      role: orchestrator ? 'orchestrator' : rng.pick(['researcher', 'writer', 'reviewer', 'executor', 'analyst', 'support']),
      goals: Array.from({ length: rng.int(1, 3) }, () => prose(rng, 20, 80)),
      autonomy: rng.pick(AUTONOMY),
      origin: rng.chance(0.9) ? 'first-party' : 'third-party',
      framework: at(FRAMEWORKS, i % frameworkCount),
      models: [hub ? at(modelIds, 0) : at(modelIds, i % nModels)],
      tools: grants,
      memory: { reads: rng.sample(dataIds, rng.int(1, 3)), writes: rng.sample(dataIds, rng.int(0, 2)) },
      identity: {
        type: rng.pick(IDENTITY_TYPES),
        perAgent: rng.chance(0.5),
        credentials: [
          {
            type: rng.pick(/** @type {const} */ (['api-key', 'oauth-token', 'private-key', 'session-token'])),
            storage: rng.pick(CRED_STORAGE),
            rotation: rng.pick(/** @type {const} */ (['never', 'manual', 'automatic'])),
            scope: rng.pick(/** @type {const} */ (['narrow', 'broad', 'admin'])),
          },
        ],
      },
      prompt: { source: rng.pick(/** @type {const} */ (['inline', 'repository', 'remote', 'generated'])), versioned: rng.chance(0.6), reviewed: rng.chance(0.4) },
      budgets: { maxIterations: rng.int(5, 50), maxToolCalls: rng.int(10, 200), timeoutSeconds: rng.int(30, 900) },
      boundary: at(agentZone, i),
      deployment: at(containerIds, Math.floor((i * nContainers) / A)),
      dependsOn: [at(depIds, i % frameworkCount)],
      owner: `team-${i % 17}`,
    };
    if (at(delegates, i).length > 0) a.delegatesTo = at(delegates, i).map((j) => at(agentIds, j));
    if (at(accepts, i).length > 0) a.acceptsFrom = at(accepts, i).map((j) => at(agentIds, j));
    if (rng.chance(0.25)) a.approvals = [{ action: rng.pick(['payment', 'send-message', 'delete', 'deploy']), approver: rng.pick(approverIds), mode: rng.pick(/** @type {const} */ (['before', 'after', 'sampled'])) }];
    if (rng.chance(0.05)) a.canSpawnAgents = true;
    if (rng.chance(0.03)) a.canModifySelf = true;
    if (rng.chance(0.3)) a.controls = [rng.pick(controlIds)];
    if (rng.chance(0.3)) a.tags = rng.sample(['prod', 'pilot', 'pii', 'finance', 'support', 'internal'], rng.int(1, 2));
    agents.push(a);
  }

  // Channels: the agent topology, then humans into agents and agents out to external systems.
  /** @type {ChannelSpec[]} */
  const channels = [];
  const cw = String(edges.length + nHumans + nExternal).length;
  /** @param {string} from @param {string} to @param {ChannelSpec['protocol']} protocol @param {boolean} both */
  const channel = (from, to, protocol, both) => {
    /** @type {ChannelSpec} */
    const c = {
      id: `ch-${pad(channels.length, cw)}`,
      from,
      to,
      authentication: rng.pick(CHANNEL_AUTH),
      encryption: rng.pick(CHANNEL_ENC),
      signing: rng.chance(0.2),
      direction: both ? 'bidirectional' : 'one-way',
      sensitivity: rng.pick(SENSITIVITY),
    };
    if (protocol !== undefined) c.protocol = protocol;
    if (rng.chance(0.3)) c.description = description(rng);
    if (rng.chance(0.4)) c.data = rng.sample(['tasks', 'results', 'customer records', 'documents', 'credentials', 'payment orders'], rng.int(1, 2));
    channels.push(c);
    return c.id;
  };
  for (const [f, t] of edges) channel(at(agentIds, f), at(agentIds, t), rng.pick(/** @type {const} */ (['a2a', 'a2a', 'http', 'grpc', 'message-queue', 'function-call'])), bidirectional);
  /** @type {string[]} */
  const humanChannels = [];
  for (let i = 0; i < nHumans; i++) humanChannels.push(channel(at(humanIds, i), rng.chance(0.5) ? at(agentIds, 0) : rng.pick(agentIds), 'http', true));
  /** @type {string[]} */
  const externalChannels = [];
  for (let i = 0; i < nExternal; i++) externalChannels.push(channel(rng.pick(agentIds), at(externalIds, i), rng.pick(/** @type {const} */ (['http', 'websocket', 'email'])), true));

  // Observability: audit logs and traces, each covering a slice of the agents and tools.
  /** @type {ObservabilitySpec[]} */
  const observability = [];
  for (let i = 0; i < nObs; i++) {
    const lo = Math.floor((i * A) / nObs);
    const hi = Math.floor(((i + 1) * A) / nObs);
    observability.push({
      id: `obs-${i}`,
      description: description(rng),
      type: rng.pick(OBS_TYPES),
      covers: agentIds.slice(lo, hi),
      captures: rng.sample(/** @type {const} */ (['prompts', 'responses', 'tool-calls', 'messages', 'decisions', 'approvals', 'memory-writes', 'costs', 'errors']), rng.int(2, 5)),
      tamperEvident: rng.chance(0.3),
      retentionDays: rng.int(30, 400),
    });
  }

  // Controls.
  /** @type {ControlSpec[]} */
  const controls = [];
  for (let i = 0; i < nControls; i++) {
    /** @type {ControlSpec} */
    const c = {
      id: at(controlIds, i),
      description: description(rng),
      pattern: at(CONTROL_PATTERNS, i),
      status: rng.pick(/** @type {const} */ (['implemented', 'implemented', 'partial', 'planned'])),
      appliesTo: [...rng.sample(serverIds, rng.int(1, 10)), ...rng.sample(dataIds, rng.int(0, 5))],
    };
    if (rng.chance(0.5)) c.evidence = prose(rng, 30, 100);
    controls.push(c);
  }

  // Lifecycle processes.
  /** @type {LifecycleSpec[]} */
  const lifecycle = [];
  for (let i = 0; i < nLifecycle; i++) {
    lifecycle.push({
      id: `process-${i}`,
      description: description(rng),
      process: at(LIFECYCLE, i),
      targets: [...rng.sample(agentIds, rng.int(1, 20)), rng.pick(modelIds)],
      approval: rng.chance(0.6),
      staged: rng.chance(0.4),
      evaluated: rng.chance(0.4),
      automated: rng.chance(0.5),
    });
  }

  // Assets, located in data stores and memories.
  /** @type {AssetSpec[]} */
  const assets = [];
  for (let i = 0; i < nAssets; i++) {
    assets.push({
      id: `asset-${pad(i, w)}`,
      description: description(rng),
      type: rng.pick(ASSET_TYPES),
      sensitivity: rng.pick(SENSITIVITY),
      crownJewel: rng.chance(0.2),
      locatedIn: rng.sample(dataIds, rng.int(1, 3)),
    });
  }

  // Entry points: untrusted input arriving at agents from humans and external systems.
  /** @type {EntryPointSpec[]} */
  const entryPoints = [];
  for (let i = 0; i < nEntries; i++) {
    const fromHuman = rng.chance(0.5);
    /** @type {EntryPointSpec} */
    const e = {
      id: `entry-${pad(i, w)}`,
      description: description(rng),
      target: rng.pick(agentIds),
      source: fromHuman ? rng.pick(humanIds) : rng.pick(externalIds),
      type: rng.pick(/** @type {const} */ (['user-input', 'document', 'web-content', 'email', 'api', 'file-upload'])),
      trust: rng.pick(TRUST),
    };
    if (rng.chance(0.5)) e.via = fromHuman ? rng.pick(humanChannels) : rng.pick(externalChannels);
    entryPoints.push(e);
  }

  return {
    version: '1.0',
    system: {
      name: `Synthetic ${topology} system, ${A} agents (seed ${seed})`,
      description: description(rng),
      criticality: rng.pick(/** @type {const} */ (['low', 'medium', 'high', 'critical'])),
      dataSensitivity: rng.pick(SENSITIVITY),
      regulations: rng.sample(['GDPR', 'PCI-DSS', 'SOX', 'HIPAA', 'EU AI Act'], rng.int(0, 3)),
      owners: ['platform-team'],
      domain: 'synthetic',
    },
    agents,
    models,
    tools,
    mcpServers,
    memories,
    channels,
    humans,
    externalSystems,
    dependencies,
    boundaries,
    deployments,
    observability,
    controls,
    lifecycle,
    assets,
    entryPoints,
  };
}

/**
 * Number of elements (entries of every element section), as the loader counts them.
 * @param {ModelFile} model
 */
export function countElements(model) {
  let n = 0;
  for (const [key, value] of Object.entries(model)) if (key !== 'system' && Array.isArray(value)) n += value.length;
  return n;
}

/**
 * Share of agent-to-agent channels whose two ends sit in different trust boundaries.
 * @param {ModelFile} model
 */
export function crossBoundaryShare(model) {
  /** @type {Map<string, string | undefined>} */
  const zone = new Map();
  for (const a of model.agents ?? []) zone.set(a.id, a.boundary);
  let agentChannels = 0;
  let crossing = 0;
  for (const c of model.channels ?? []) {
    if (!zone.has(c.from) || !zone.has(c.to)) continue;
    agentChannels++;
    if (zone.get(c.from) !== zone.get(c.to)) crossing++;
  }
  return agentChannels === 0 ? 0 : crossing / agentChannels;
}

/**
 * The native YAML form. Aliases are off: the model is plain data and the loader caps alias expansion.
 * @param {unknown} obj
 */
export function toYaml(obj) {
  return stringify(obj, { aliasDuplicateObjects: false });
}

/**
 * The native JSON form, indented like a file a person or tool would write.
 * @param {unknown} obj
 */
export function toJson(obj) {
  return JSON.stringify(obj, null, 2) + '\n';
}
