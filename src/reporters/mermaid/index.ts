/**
 * Mermaid diagrams: the system (elements grouped by MAESTRO layer, their relations) and one
 * diagram per top attack chain, as fenced ```mermaid blocks in one Markdown file. A Mermaid file
 * holds a single diagram; a Markdown file holds several, renders on GitHub, and mermaid-cli
 * renders every block of it.
 *
 * Safety: node and subgraph ids are generated (n0, n1, ..., layer_L1, g0, ...), never taken from the
 * model. Model text appears only inside quoted labels, where every character outside a small safe
 * set is written as a Mermaid entity code (#quot; #35; #60; ...), so it cannot close the label,
 * open a directive (%%{...}%%), start a statement (click, style, classDef), form a link, or close
 * the Markdown fence. The words `click` and `javascript` are broken by an entity as well, so they
 * never appear literally. The diagram source holds no `click`, link or `%%{` directive at all.
 *
 * Large systems: above MAX_NODES elements (or MAX_EDGES relations), the system diagram shows one
 * node per element kind per layer with counts, and relations between groups with counts, so hubs
 * (one model or server used by hundreds of agents) collapse into single edges.
 */
import type { Reporter, ReportContext } from '../index.js';
import type { Analysis } from '../../engine/analyse.js';
import type { ChainView } from '../../graph/index.js';
import { LAYERS } from '../../model/layers.js';
import { resolveModel } from '../../model/resolve.js';
import { EDGE_TYPES, type EdgeType } from '../../model/references.js';
import { ELEMENT_KINDS, type ElementKind } from '../../model/kinds.js';
import { mdText, neutralise } from '../_escape.js';
import { listElements } from '../otm/elements.js';

export const MAX_NODES = 150;
export const MAX_EDGES = 600;
const LABEL_MAX = 80;

/** Kinds drawn as nodes; the others (boundaries, deployments, controls, ...) are structure, not flow. */
const NODE_KINDS: ReadonlySet<ElementKind> = new Set<ElementKind>(['agent', 'model', 'tool', 'mcp-server', 'memory', 'human', 'external-system', 'dependency', 'entry-point']);

/** Relations drawn, with their label; `reverse` draws the edge target → source (the way data moves). */
export const EDGE_LABELS: Partial<Record<EdgeType, { readonly label: string; readonly reverse?: boolean }>> = {
  'uses-model': { label: 'uses model' },
  invokes: { label: 'invokes' },
  reads: { label: 'reads', reverse: true },
  writes: { label: 'writes' },
  delegates: { label: 'delegates to' },
  spawns: { label: 'spawns' },
  channel: { label: 'channel' },
  accesses: { label: 'accesses' },
  'trained-on': { label: 'trained on', reverse: true },
  ingests: { label: 'ingested by', reverse: true },
  entry: { label: 'input to' },
  'entry-source': { label: 'input from', reverse: true },
  'depends-on': { label: 'depends on' },
};

const PLURAL: Record<ElementKind, string> = {
  agent: 'agents',
  model: 'models',
  tool: 'tools',
  'mcp-server': 'MCP servers',
  memory: 'memories',
  channel: 'channels',
  human: 'humans',
  'external-system': 'external systems',
  dependency: 'dependencies',
  boundary: 'boundaries',
  deployment: 'deployments',
  observability: 'observability',
  control: 'controls',
  lifecycle: 'lifecycle processes',
  asset: 'assets',
  'entry-point': 'entry points',
};

const SAFE = /[A-Za-z0-9 _.,()/-]/;

/**
 * Text for inside a quoted Mermaid label: neutralised, shortened, every character outside
 * [A-Za-z0-9 _.,()/-] as a decimal entity code, and `click` / `javascript` broken by an entity.
 */
export function mermaidText(value: string, max = LABEL_MAX): string {
  let s = neutralise(value.replace(/\s+/g, ' ').trim());
  if (s.length > max) s = `${s.slice(0, max - 1)}…`;
  let out = '';
  for (const ch of s) out += SAFE.test(ch) ? ch : `#${ch.codePointAt(0) ?? 63};`;
  return out.replace(/(c)(lick)|(j)(avascript)/gi, (_m, c: string | undefined, lick: string | undefined, j: string | undefined, rest: string | undefined) => {
    const first = c ?? j ?? '';
    return `#${first.charCodeAt(0)};${lick ?? rest ?? ''}`;
  });
}

/**
 * Markdown text around the diagrams: mdText, plus `%` and the words `click` / `javascript` as HTML
 * entities, so no Mermaid directive or statement can be read out of the file by a tool that scans it.
 */
function mdSafe(value: string, max: number): string {
  return mdText(value, max)
    .replace(/%/g, '&#37;')
    .replace(/(c)(?=lick)|(j)(?=avascript)/gi, (ch: string) => `&#${ch.charCodeAt(0)};`);
}

function shape(kind: string, label: string): string {
  switch (kind) {
    case 'memory':
      return `[("${label}")]`;
    case 'human':
    case 'external-system':
    case 'entry-point':
      return `(["${label}"])`;
    case 'tool':
    case 'mcp-server':
      return `[["${label}"]]`;
    case 'model':
      return `{{"${label}"}}`;
    default:
      return `["${label}"]`;
  }
}

interface Diagram {
  readonly lines: string[];
  readonly note: string;
}

function systemDiagram(ctx: ReportContext): Diagram {
  const rm = resolveModel(ctx.model);
  const g = rm.graph;
  const drawn: number[] = [];
  for (let i = 0; i < g.size; i++) if (NODE_KINDS.has(rm.kindOf(i))) drawn.push(i);
  const isDrawn = new Uint8Array(g.size);
  for (const i of drawn) isDrawn[i] = 1;
  // Relations between drawn elements, deduplicated by (from, to, label).
  const edges: { from: number; to: number; label: string }[] = [];
  const seenEdge = new Set<string>();
  for (let e = 0; e < g.edgeCount; e++) {
    const type = EDGE_TYPES[g.edgeType[e] ?? 0];
    const spec = type ? EDGE_LABELS[type] : undefined;
    if (!spec) continue;
    let from = g.edgeSrc[e] ?? -1;
    let to = g.edgeDst[e] ?? -1;
    if (from < 0 || to < 0 || !isDrawn[from] || !isDrawn[to] || from === to) continue;
    if (spec.reverse) [from, to] = [to, from];
    const via = g.edgeVia[e] ?? -1;
    const label = type === 'channel' && via >= 0 ? `channel ${g.ids[via] ?? ''}` : spec.label;
    const key = `${from} ${to} ${label}`;
    if (seenEdge.has(key)) continue;
    seenEdge.add(key);
    edges.push({ from, to, label });
  }
  const lines = ['flowchart LR'];
  if (drawn.length <= MAX_NODES && edges.length <= MAX_EDGES) {
    const nodeId = new Int32Array(g.size).fill(-1);
    drawn.forEach((el, n) => (nodeId[el] = n));
    for (let li = 0; li < LAYERS.length; li++) {
      const layer = LAYERS[li];
      if (!layer) continue;
      const members = drawn.filter((el) => g.layers[el] === li);
      if (members.length === 0) continue;
      lines.push(`  subgraph layer_${layer.id}["${mermaidText(`${layer.id} ${layer.name}`)}"]`);
      for (const el of members) {
        const spec = g.specs[el] ?? {};
        const name = typeof spec['name'] === 'string' && spec['name'].trim() !== '' ? spec['name'] : (g.ids[el] ?? '');
        const kind = rm.kindOf(el);
        lines.push(`    n${nodeId[el] ?? 0}${shape(kind, `${mermaidText(name)}<br/>${mermaidText(`${kind} ${g.ids[el] ?? ''}`)}`)}`);
      }
      lines.push('  end');
    }
    for (const e of edges) lines.push(`  n${nodeId[e.from] ?? 0} -->|"${mermaidText(e.label)}"| n${nodeId[e.to] ?? 0}`);
    return { lines, note: `${drawn.length} elements and ${edges.length} relations, grouped by MAESTRO layer. Boundaries, deployments, controls, observability, lifecycle and assets are not drawn.` };
  }
  // Clustered: one node per (layer, kind), relations aggregated with counts.
  const groupOf = new Int32Array(g.size).fill(-1);
  const groups: { layer: number; kind: ElementKind; count: number }[] = [];
  const groupKey = new Map<number, number>();
  for (const el of drawn) {
    const key = (g.layers[el] ?? 0) * ELEMENT_KINDS.length + (g.kinds[el] ?? 0);
    let gi = groupKey.get(key);
    if (gi === undefined) {
      gi = groups.length;
      groupKey.set(key, gi);
      groups.push({ layer: g.layers[el] ?? 0, kind: rm.kindOf(el), count: 0 });
    }
    const grp = groups[gi];
    if (grp) grp.count++;
    groupOf[el] = gi;
  }
  const agg = new Map<string, { from: number; to: number; label: string; count: number }>();
  for (const e of edges) {
    const label = e.label.startsWith('channel ') ? 'channel' : e.label;
    const from = groupOf[e.from] ?? 0;
    const to = groupOf[e.to] ?? 0;
    const key = `${from} ${to} ${label}`;
    const cur = agg.get(key);
    if (cur) cur.count++;
    else agg.set(key, { from, to, label, count: 1 });
  }
  for (let li = 0; li < LAYERS.length; li++) {
    const layer = LAYERS[li];
    if (!layer) continue;
    const members = groups.map((grp, gi) => ({ grp, gi })).filter((x) => x.grp.layer === li);
    if (members.length === 0) continue;
    lines.push(`  subgraph layer_${layer.id}["${mermaidText(`${layer.id} ${layer.name}`)}"]`);
    for (const { grp, gi } of members) lines.push(`    g${gi}${shape(grp.kind, `${grp.count} ${grp.count === 1 ? grp.kind : PLURAL[grp.kind]}`)}`);
    lines.push('  end');
  }
  const aggList = [...agg.values()].sort((x, y) => x.from - y.from || x.to - y.to || (x.label < y.label ? -1 : x.label > y.label ? 1 : 0));
  for (const e of aggList) lines.push(`  g${e.from} -->|"${mermaidText(`${e.label} ×${e.count}`)}"| g${e.to}`);
  return {
    lines,
    note: `${drawn.length} elements and ${edges.length} relations: too many to draw one by one, so elements are grouped by kind and layer, and relations between groups are counted.`,
  };
}

function chainDiagram(c: ChainView, kinds: ReadonlyMap<string, string>): string[] {
  const lines = ['flowchart LR'];
  const ids = new Map<string, number>();
  const node = (id: string): string => {
    let n = ids.get(id);
    if (n === undefined) {
      n = ids.size;
      ids.set(id, n);
      const kind = kinds.get(id) ?? '';
      lines.push(`  c${n}${shape(kind, mermaidText(kind ? `${id} (${kind})` : id))}`);
    }
    return `c${n}`;
  };
  node(c.source.id);
  for (const st of c.steps) {
    const from = node(st.from);
    const to = node(st.to);
    const head = mermaidText(`${st.layer} ${st.threat} ${st.threatName}`);
    const tail = mermaidText(`ATLAS ${st.atlas.id}, ${st.access === 'read' ? 'reads' : 'takes control'}, p ${st.probability.toFixed(2)}${st.via ? `, via ${st.via}` : ''}`);
    lines.push(`  ${from} -->|"${head}<br/>${tail}"| ${to}`);
  }
  lines.push('  classDef entry stroke:#b45309,stroke-width:3px', '  classDef jewel stroke:#b91c1c,stroke-width:3px');
  lines.push(`  class ${node(c.source.id)} entry`, `  class ${node(c.target.id)} jewel`);
  return lines;
}

export function renderMermaid(a: Analysis, ctx: ReportContext): string {
  const out: string[] = [];
  out.push(`# Diagrams: ${mdSafe(a.system.name, 200)}`, '');
  out.push('Mermaid diagrams generated by maestro-tm. Each fenced block is one diagram (GitHub renders them; `mmdc -i` renders them all).', '');
  const sys = systemDiagram(ctx);
  out.push('## System', '', sys.note, '', '```mermaid', ...sys.lines, '```', '');
  const chains = a.crossLayer.chains;
  const kinds = new Map<string, string>(listElements(ctx.model).map((e) => [e.id, e.kind]));
  out.push('## Attack chains', '');
  if (chains.length === 0) out.push('No attack path from an entry point reaches a crown jewel in this model.', '');
  for (const c of chains) {
    out.push(`### Chain ${c.rank}: ${mdSafe(c.source.id, 80)} to ${mdSafe(c.target.id, 80)} (likelihood ${c.probability.toFixed(3)})`, '');
    out.push(`Entry: ${mdSafe(c.source.reason, 200)}. Target: ${mdSafe(c.target.reasons.join('; '), 300)}.`, '');
    out.push('```mermaid', ...chainDiagram(c, kinds), '```', '');
  }
  return out.join('\n');
}

export const mermaidReporter: Reporter = {
  id: 'mermaid',
  extension: '.mermaid.md',
  description: 'Mermaid diagrams (system by layer, each top attack chain) in Markdown fences',
  render: (a, ctx) => renderMermaid(a, ctx),
};
