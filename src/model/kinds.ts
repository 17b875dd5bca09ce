/**
 * Element kinds and the MAESTRO layer each one sits on. This is data, not logic: to move a kind to
 * another layer, change its row. A model can still override the layer of any single element with
 * its `layer` field. `subtypes` refine the layer by the element's `type` where one kind spans layers.
 */
import type { LayerId } from './layers.js';

export interface KindRow {
  /** The element kind, kebab-case. */
  readonly kind: string;
  /** The top-level section of the model file that lists elements of this kind. */
  readonly section: string;
  /** Default MAESTRO layer for the kind. */
  readonly layer: LayerId;
  /** Layer by the value of `subtypeField` (default `type`), where it differs from the kind's layer. */
  readonly subtypes?: Readonly<Record<string, LayerId>>;
  /** The field that selects a subtype row; `type` when absent. */
  readonly subtypeField?: string;
  /** Why the kind sits there, in one line (shown by `explain` and in the docs). */
  readonly why: string;
}

export const KIND_TABLE: readonly KindRow[] = [
  {
    kind: 'agent',
    section: 'agents',
    layer: 'L3',
    subtypeField: 'origin',
    subtypes: { external: 'L7' },
    why: 'Agents are built and run by agent frameworks; agents run by other parties are part of the ecosystem.',
  },
  { kind: 'model', section: 'models', layer: 'L1', why: 'Foundation models are the base layer agents reason with.' },
  { kind: 'tool', section: 'tools', layer: 'L3', why: 'Tool integration is part of the agent framework.' },
  { kind: 'mcp-server', section: 'mcpServers', layer: 'L3', why: 'MCP servers expose tools to the agent framework.' },
  { kind: 'memory', section: 'memories', layer: 'L2', why: 'Memories, vector stores and databases are data operations.' },
  { kind: 'channel', section: 'channels', layer: 'L7', why: 'Agent-to-agent and agent-to-party communication is the agent ecosystem.' },
  { kind: 'human', section: 'humans', layer: 'L7', why: 'Users, operators and approvers interact with agents in the ecosystem.' },
  { kind: 'external-system', section: 'externalSystems', layer: 'L7', why: 'Systems outside the model are part of the ecosystem agents act in.' },
  {
    kind: 'dependency',
    section: 'dependencies',
    layer: 'L7',
    subtypes: { 'cloud-orchestration': 'L4', framework: 'L3', library: 'L3' },
    why: 'Plugins, marketplaces, registries and bridges are the ecosystem; orchestration services are infrastructure; frameworks and libraries are L3.',
  },
  { kind: 'boundary', section: 'boundaries', layer: 'L6', why: 'Trust boundaries are a security construct.' },
  { kind: 'deployment', section: 'deployments', layer: 'L4', why: 'Hosts, containers and networks are deployment and infrastructure.' },
  { kind: 'observability', section: 'observability', layer: 'L5', why: 'Logging, monitoring and evaluation are observability.' },
  { kind: 'control', section: 'controls', layer: 'L6', why: 'Declared controls are security and compliance.' },
  { kind: 'lifecycle', section: 'lifecycle', layer: 'L4', subtypeField: 'process', subtypes: { retrain: 'L1', 'fine-tune': 'L1' }, why: 'Release, scaling and decommissioning run through deployment pipelines; retraining changes models.' },
  { kind: 'asset', section: 'assets', layer: 'L2', subtypes: { action: 'L3', funds: 'L7', 'model-weights': 'L1' }, why: 'Most assets are data; actions belong to agents, funds to the ecosystem they move in.' },
  { kind: 'entry-point', section: 'entryPoints', layer: 'L7', why: 'Input that enters from outside comes from the ecosystem.' },
];

export type ElementKind =
  | 'agent'
  | 'model'
  | 'tool'
  | 'mcp-server'
  | 'memory'
  | 'channel'
  | 'human'
  | 'external-system'
  | 'dependency'
  | 'boundary'
  | 'deployment'
  | 'observability'
  | 'control'
  | 'lifecycle'
  | 'asset'
  | 'entry-point';

export const ELEMENT_KINDS: readonly ElementKind[] = KIND_TABLE.map((r) => r.kind as ElementKind);

const byKind = new Map<string, KindRow>(KIND_TABLE.map((r) => [r.kind, r]));
const bySection = new Map<string, KindRow>(KIND_TABLE.map((r) => [r.section, r]));

export function kindRow(kind: string): KindRow | undefined {
  return byKind.get(kind);
}

export function kindOfSection(section: string): ElementKind | undefined {
  return bySection.get(section)?.kind as ElementKind | undefined;
}

/** The field whose value refines the layer of a kind (`type` unless the row says otherwise). */
export function subtypeFieldOf(kind: string): string {
  return byKind.get(kind)?.subtypeField ?? 'type';
}

/** The layer of an element: its override, else its kind's subtype row, else its kind's row. */
export function inferLayer(kind: ElementKind, type?: string, override?: LayerId): LayerId {
  if (override) return override;
  const row = byKind.get(kind);
  if (!row) return 'L3';
  if (type !== undefined && row.subtypes && Object.hasOwn(row.subtypes, type)) {
    const sub = row.subtypes[type];
    if (sub) return sub;
  }
  return row.layer;
}
