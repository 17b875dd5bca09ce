/**
 * The propagation semantics, as data: how a compromise spreads from one element to the next. Each row
 * is a step kind: the model relations it follows (edge types of src/model/references.ts and the
 * direction of travel), the element kinds at each end, an optional condition, the catalogue threat and
 * MITRE ATLAS technique the step uses, the MAESTRO layer it happens on, and a base probability.
 *
 * docs/propagation.md explains every row; test/graph/semantics.test.ts checks that every threat id is
 * in catalogue/threats, every ATLAS id and name is in catalogue/mappings/atlas.yaml, and every row is
 * in the doc. The builder (propagation.ts) never branches on a step id: to change what spreads where,
 * change a row here.
 */
import type { ElementKind } from '../model/kinds.js';
import type { LayerId } from '../model/layers.js';
import type { EdgeType } from '../model/references.js';

/**
 * How a step travels along a model edge `src -> dst` (edge types in EDGE_TYPES):
 * - `forward`: from src to dst;
 * - `reverse`: from dst to src;
 * - `via`: from either end of a channel edge to the channel element itself (its data).
 */
export type Direction = 'forward' | 'reverse' | 'via';

export interface Relation {
  readonly edge: EdgeType;
  readonly dir: Direction;
}

/**
 * Named conditions a step may require, on the element the step leaves (`from`) or enters (`to`):
 * - `external-agent`: an agent whose origin is external or third-party;
 * - `outside-content`: a tool or MCP server that returns outside content (browser, search, mail reader);
 * - `rag-store`: a memory of type rag-corpus, vector-store or knowledge-graph;
 * - `executes-code`: a tool or MCP server with the execute-code side effect;
 * - `crown-jewel`: an element whose data is a crown jewel (facts.ts `findCrownJewels`: memories and
 *   channels holding crown-jewel, confidential or restricted data).
 */
export type Condition = 'external-agent' | 'outside-content' | 'rag-store' | 'executes-code' | 'crown-jewel';

export interface StepKind {
  /** Stable id, kebab-case; part of the output. */
  readonly id: string;
  /** One line: what the step means. */
  readonly summary: string;
  readonly relations: readonly Relation[];
  readonly from: readonly ElementKind[];
  readonly to: readonly ElementKind[];
  readonly when?: { readonly on: 'from' | 'to'; readonly is: Condition };
  /**
   * `control` (default): the attacker takes over the target, which spreads further.
   * `read`: the attacker only reads the target's data; the chain ends there (a read never spreads).
   */
  readonly access?: 'control' | 'read';
  /** Catalogue threat id (catalogue/threats/<id>.yaml). */
  readonly threat: string;
  /** MITRE ATLAS technique, exactly as in catalogue/mappings/atlas.yaml. */
  readonly atlas: { readonly id: string; readonly name: string };
  readonly layer: LayerId;
  /** Likelihood that the step succeeds when its source is compromised and no control applies, in (0, 1]. */
  readonly probability: number;
}

const AGENT: readonly ElementKind[] = ['agent'];
const TOOLS: readonly ElementKind[] = ['tool', 'mcp-server'];
const PARTIES: readonly ElementKind[] = ['entry-point', 'human', 'external-system'];
const PLACED: readonly ElementKind[] = ['agent', 'model', 'tool', 'mcp-server', 'memory', 'dependency', 'deployment'];
const COMPONENTS: readonly ElementKind[] = ['agent', 'model', 'tool', 'mcp-server', 'memory', 'human', 'external-system', 'dependency'];

/**
 * The step kinds, in priority order: for one model edge and direction, the FIRST `control` row and the
 * FIRST `read` row whose relation, kinds and condition match give the steps (so specific rows come
 * before general ones). Between the same two nodes only the most likely step is kept.
 */
export const STEP_KINDS: readonly StepKind[] = [
  {
    id: 'untrusted-input',
    summary: 'Input from an entry point, a person or an outside system reaches an agent and steers it (prompt injection).',
    relations: [
      { edge: 'entry', dir: 'forward' },
      { edge: 'channel', dir: 'forward' },
    ],
    from: PARTIES,
    to: AGENT,
    threat: 'T6',
    atlas: { id: 'AML.T0051', name: 'LLM Prompt Injection' },
    layer: 'L3',
    probability: 0.8,
  },
  {
    id: 'external-agent-message',
    summary: 'An external or third-party agent sends tasks or messages that a first-party agent acts on.',
    relations: [
      { edge: 'channel', dir: 'forward' },
      { edge: 'delegates', dir: 'forward' },
      { edge: 'accepts-from', dir: 'reverse' },
    ],
    from: AGENT,
    to: AGENT,
    when: { on: 'from', is: 'external-agent' },
    threat: 'T9',
    atlas: { id: 'AML.T0073', name: 'Impersonation' },
    layer: 'L7',
    probability: 0.7,
  },
  {
    id: 'delegation',
    summary: 'A compromised agent delegates attacker-chosen tasks to an agent that trusts it, with its authority.',
    relations: [
      { edge: 'delegates', dir: 'forward' },
      { edge: 'accepts-from', dir: 'reverse' },
    ],
    from: AGENT,
    to: AGENT,
    threat: 'X-excessive-agency-chained-authorization',
    atlas: { id: 'AML.T0051.001', name: 'Indirect' },
    layer: 'L3',
    probability: 0.7,
  },
  {
    id: 'agent-message',
    summary: 'A compromised agent sends poisoned messages to a peer over a channel.',
    relations: [{ edge: 'channel', dir: 'forward' }],
    from: AGENT,
    to: AGENT,
    threat: 'T12',
    atlas: { id: 'AML.T0051.001', name: 'Indirect' },
    layer: 'L7',
    probability: 0.6,
  },
  {
    id: 'delegate-result',
    summary: 'A compromised delegate returns poisoned results that the delegating agent trusts and acts on.',
    relations: [
      { edge: 'delegates', dir: 'reverse' },
      { edge: 'accepts-from', dir: 'forward' },
    ],
    from: AGENT,
    to: AGENT,
    threat: 'X-cascading-trust-failures',
    atlas: { id: 'AML.T0051.001', name: 'Indirect' },
    layer: 'L3',
    probability: 0.4,
  },
  {
    id: 'agent-spawn',
    summary: 'A compromised agent creates agents at run time with instructions it chooses.',
    relations: [{ edge: 'spawns', dir: 'forward' }],
    from: AGENT,
    to: AGENT,
    threat: 'T13',
    atlas: { id: 'AML.T0103', name: 'Deploy AI Agent' },
    layer: 'L3',
    probability: 0.8,
  },
  {
    id: 'tool-invocation',
    summary: 'A compromised agent misuses a tool, MCP server or outside system it is allowed to call.',
    relations: [
      { edge: 'invokes', dir: 'forward' },
      { edge: 'channel', dir: 'forward' },
    ],
    from: AGENT,
    to: ['tool', 'mcp-server', 'external-system'],
    threat: 'T2',
    atlas: { id: 'AML.T0053', name: 'AI Agent Tool Invocation' },
    layer: 'L3',
    probability: 0.8,
  },
  {
    id: 'tool-output-injection',
    summary: 'A tool that returns outside content (web pages, search results, mail) carries injected instructions to the agents that call it.',
    relations: [
      { edge: 'invokes', dir: 'reverse' },
      { edge: 'channel', dir: 'forward' },
    ],
    from: TOOLS,
    to: AGENT,
    when: { on: 'from', is: 'outside-content' },
    threat: 'T6',
    atlas: { id: 'AML.T0051.001', name: 'Indirect' },
    layer: 'L3',
    probability: 0.7,
  },
  {
    id: 'rogue-mcp-server',
    summary: 'A compromised MCP server feeds harmful tool descriptions, results and instructions to every agent that uses it.',
    relations: [
      { edge: 'invokes', dir: 'reverse' },
      { edge: 'channel', dir: 'forward' },
    ],
    from: ['mcp-server'],
    to: AGENT,
    threat: 'MAS-T47',
    atlas: { id: 'AML.T0110', name: 'AI Agent Tool Poisoning' },
    layer: 'L7',
    probability: 0.7,
  },
  {
    id: 'poisoned-tool',
    summary: 'A compromised tool returns poisoned descriptions or results to every agent that calls it.',
    relations: [
      { edge: 'invokes', dir: 'reverse' },
      { edge: 'channel', dir: 'forward' },
    ],
    from: ['tool'],
    to: AGENT,
    threat: 'BV-2',
    atlas: { id: 'AML.T0110', name: 'AI Agent Tool Poisoning' },
    layer: 'L3',
    probability: 0.6,
  },
  {
    id: 'tool-access',
    summary: 'A compromised tool or MCP server uses its own access to the data stores, systems and tools it reaches.',
    relations: [
      { edge: 'accesses', dir: 'forward' },
      { edge: 'channel', dir: 'forward' },
    ],
    from: TOOLS,
    to: ['memory', 'external-system', 'tool', 'mcp-server'],
    threat: 'T2',
    atlas: { id: 'AML.T0053', name: 'AI Agent Tool Invocation' },
    layer: 'L3',
    probability: 0.7,
  },
  {
    id: 'tool-data-exposure',
    summary: 'A compromised tool or MCP server reads the crown-jewel data store it has access to (the chain ends there).',
    relations: [{ edge: 'accesses', dir: 'forward' }],
    from: TOOLS,
    to: ['memory'],
    when: { on: 'to', is: 'crown-jewel' },
    access: 'read',
    threat: 'L2-data-exfiltration',
    atlas: { id: 'AML.T0085.001', name: 'AI Agent Tools' },
    layer: 'L2',
    probability: 0.7,
  },
  {
    id: 'tool-data-poisoning',
    summary: 'A poisoned data store or outside system feeds poisoned data to the tools that read it.',
    relations: [
      { edge: 'accesses', dir: 'reverse' },
      { edge: 'channel', dir: 'forward' },
    ],
    from: ['memory', 'external-system'],
    to: TOOLS,
    threat: 'L2-data-poisoning',
    atlas: { id: 'AML.T0099', name: 'AI Agent Tool Data Poisoning' },
    layer: 'L2',
    probability: 0.5,
  },
  {
    id: 'memory-poisoning',
    summary: 'A compromised writer plants false or malicious entries in a memory it may write.',
    relations: [
      { edge: 'writes', dir: 'forward' },
      { edge: 'written-by', dir: 'reverse' },
      { edge: 'channel', dir: 'forward' },
    ],
    from: ['agent', 'human', 'external-system', 'tool', 'mcp-server'],
    to: ['memory'],
    threat: 'T1',
    atlas: { id: 'AML.T0080.000', name: 'Memory' },
    layer: 'L2',
    probability: 0.7,
  },
  {
    id: 'rag-ingestion',
    summary: 'Content from a compromised or untrusted source is ingested into a memory or retrieval corpus.',
    relations: [
      { edge: 'ingests', dir: 'reverse' },
      { edge: 'entry', dir: 'forward' },
    ],
    from: ['external-system', 'human', 'entry-point', 'agent', 'tool', 'mcp-server', 'memory', 'dependency'],
    to: ['memory'],
    threat: 'L2-compromised-rag-pipelines',
    atlas: { id: 'AML.T0070', name: 'RAG Poisoning' },
    layer: 'L2',
    probability: 0.6,
  },
  {
    id: 'poisoned-retrieval',
    summary: 'Poisoned passages in a retrieval corpus reach every agent that retrieves from it.',
    relations: [
      { edge: 'reads', dir: 'reverse' },
      { edge: 'channel', dir: 'forward' },
    ],
    from: ['memory'],
    to: AGENT,
    when: { on: 'from', is: 'rag-store' },
    threat: 'T1',
    atlas: { id: 'AML.T0070', name: 'RAG Poisoning' },
    layer: 'L2',
    probability: 0.6,
  },
  {
    id: 'poisoned-memory-read',
    summary: 'Poisoned memory reaches every agent that reads it.',
    relations: [
      { edge: 'reads', dir: 'reverse' },
      { edge: 'channel', dir: 'forward' },
    ],
    from: ['memory'],
    to: AGENT,
    threat: 'T1',
    atlas: { id: 'AML.T0080.000', name: 'Memory' },
    layer: 'L2',
    probability: 0.6,
  },
  {
    id: 'data-exposure',
    summary: 'A compromised agent reads a crown-jewel data store it has read access to (the chain ends there).',
    relations: [{ edge: 'reads', dir: 'forward' }],
    from: AGENT,
    to: ['memory'],
    when: { on: 'to', is: 'crown-jewel' },
    access: 'read',
    threat: 'L2-data-exfiltration',
    atlas: { id: 'AML.T0036', name: 'Data from Information Repositories' },
    layer: 'L2',
    probability: 0.8,
  },
  {
    id: 'channel-exposure',
    summary: 'A compromised end of a channel reads the crown-jewel data that flows over it (the chain ends there).',
    relations: [{ edge: 'channel', dir: 'via' }],
    from: COMPONENTS,
    to: ['channel'],
    when: { on: 'to', is: 'crown-jewel' },
    access: 'read',
    threat: 'X-data-leakage',
    atlas: { id: 'AML.T0025', name: 'Exfiltration via Cyber Means' },
    layer: 'L7',
    probability: 0.8,
  },
  {
    id: 'model-backdoor',
    summary: 'A compromised (backdoored or poisoned) model misleads every agent that uses it.',
    relations: [
      { edge: 'uses-model', dir: 'reverse' },
      { edge: 'channel', dir: 'forward' },
    ],
    from: ['model'],
    to: AGENT,
    threat: 'L1-backdoor-attacks',
    atlas: { id: 'AML.T0018.000', name: 'Poison AI Model' },
    layer: 'L1',
    probability: 0.5,
  },
  {
    id: 'training-data-poisoning',
    summary: 'A poisoned data source a model is trained or fine-tuned on poisons the model.',
    relations: [{ edge: 'trained-on', dir: 'reverse' }],
    from: ['memory', 'external-system'],
    to: ['model'],
    threat: 'L1-data-poisoning-training-phase',
    atlas: { id: 'AML.T0020', name: 'Poison Training Data' },
    layer: 'L1',
    probability: 0.4,
  },
  {
    id: 'supply-chain',
    summary: 'A compromised dependency (plugin, framework, library, registry, orchestration service) compromises what relies on it.',
    relations: [{ edge: 'depends-on', dir: 'reverse' }],
    from: ['dependency'],
    to: ['agent', 'model', 'tool', 'mcp-server', 'memory', 'deployment', 'dependency', 'external-system'],
    threat: 'X-supply-chain-attacks',
    atlas: { id: 'AML.T0010', name: 'AI Supply Chain Compromise' },
    layer: 'L7',
    probability: 0.6,
  },
  {
    id: 'host-takeover',
    summary: 'A compromised host or container takes over what runs on it (and containers on a host).',
    relations: [
      { edge: 'runs-on', dir: 'reverse' },
      { edge: 'parent', dir: 'reverse' },
    ],
    from: ['deployment'],
    to: PLACED,
    threat: 'L4-lateral-movement',
    atlas: { id: 'AML.T0081', name: 'Modify AI Agent Configuration' },
    layer: 'L4',
    probability: 0.6,
  },
  {
    id: 'container-escape',
    summary: 'A compromised container escapes to the host (or parent deployment) it runs inside.',
    relations: [{ edge: 'parent', dir: 'forward' }],
    from: ['deployment'],
    to: ['deployment'],
    threat: 'L4-lateral-movement',
    atlas: { id: 'AML.T0105', name: 'Escape to Host' },
    layer: 'L4',
    probability: 0.2,
  },
  {
    id: 'code-execution',
    summary: 'A compromised tool that executes code runs attacker code on the deployment it runs on.',
    relations: [{ edge: 'runs-on', dir: 'forward' }],
    from: TOOLS,
    to: ['deployment'],
    when: { on: 'from', is: 'executes-code' },
    threat: 'T11',
    atlas: { id: 'AML.T0050', name: 'Command and Scripting Interpreter' },
    layer: 'L4',
    probability: 0.5,
  },
  {
    id: 'human-manipulation',
    summary: 'A compromised agent misleads a person it talks to into harmful actions or disclosures.',
    relations: [{ edge: 'channel', dir: 'forward' }],
    from: AGENT,
    to: ['human'],
    threat: 'T15',
    atlas: { id: 'AML.T0052', name: 'Phishing' },
    layer: 'L7',
    probability: 0.3,
  },
  {
    id: 'tool-input',
    summary: 'Input from an entry point, a person or an outside system reaches a tool or MCP server directly.',
    relations: [
      { edge: 'entry', dir: 'forward' },
      { edge: 'channel', dir: 'forward' },
    ],
    from: PARTIES,
    to: TOOLS,
    threat: 'L3-input-validation-attacks',
    atlas: { id: 'AML.T0049', name: 'Exploit Public-Facing Application' },
    layer: 'L3',
    probability: 0.5,
  },
];

export type StepKindId = (typeof STEP_KINDS)[number]['id'];

/** Index of a step kind by id (the Uint8 stored per edge). */
export const STEP_KIND_INDEX: ReadonlyMap<string, number> = new Map(STEP_KINDS.map((s, i) => [s.id, i]));

/** Step kinds in priority order that follow one model edge type in one direction. */
export function stepKindsFor(edge: EdgeType, dir: Direction): number[] {
  const out: number[] = [];
  for (let i = 0; i < STEP_KINDS.length; i++) {
    const row = STEP_KINDS[i];
    if (row?.relations.some((r) => r.edge === edge && r.dir === dir)) out.push(i);
  }
  return out;
}

/**
 * How a declared control's status changes its effect (documented in docs/propagation.md):
 * implemented → the pattern's reduction; partial → its square root (half the effect on a log scale);
 * planned → no effect.
 */
export function statusFactor(reduction: number, status: unknown): number {
  if (status === 'planned') return 1;
  if (status === 'partial') return Math.sqrt(reduction);
  return reduction;
}
