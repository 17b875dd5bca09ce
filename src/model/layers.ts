/**
 * The seven MAESTRO layers, as published by the Cloud Security Alliance (MAESTRO, 2025-02) and used by
 * the OWASP GenAI Security Project's Multi-Agentic System Threat Modelling Guide v1.0 (2025-04).
 * Numbers and names are facts from those sources; the one-line scopes are this project's own words.
 */
export const LAYERS = [
  { id: 'L1', number: 1, name: 'Foundation Models', scope: 'The models agents reason with: hosted or self-hosted, tuned, guarded.' },
  { id: 'L2', number: 2, name: 'Data Operations', scope: 'Memories, vector stores, RAG corpora, databases and ledgers agents read and write.' },
  { id: 'L3', number: 3, name: 'Agent Frameworks', scope: 'Agents, their tools and MCP servers, and the framework code that runs them.' },
  { id: 'L4', number: 4, name: 'Deployment and Infrastructure', scope: 'Where agents run: hosts, containers, sandboxes, networks, secrets, scaling, pipelines.' },
  { id: 'L5', number: 5, name: 'Evaluation and Observability', scope: 'Logs, traces, monitoring, anomaly detection and evaluations that watch agents.' },
  { id: 'L6', number: 6, name: 'Security and Compliance', scope: 'Controls, trust boundaries and policy; a vertical layer that cuts across the others.' },
  { id: 'L7', number: 7, name: 'Agent Ecosystem', scope: 'Users, external agents and systems, plugins, marketplaces and other parties agents deal with.' },
] as const;

export type LayerId = (typeof LAYERS)[number]['id'];
export const LAYER_IDS: readonly LayerId[] = LAYERS.map((l) => l.id);

export function layerName(id: LayerId): string {
  const found = LAYERS.find((l) => l.id === id);
  return found ? found.name : id;
}

/** Index 0..6 of a layer id, for typed-array storage. */
export function layerIndex(id: LayerId): number {
  return LAYER_IDS.indexOf(id);
}
