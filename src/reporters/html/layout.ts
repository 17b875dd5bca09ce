/**
 * The system graph of the HTML report: which nodes to draw (clustering big systems), then their
 * positions from ELK's layered algorithm, run in Node at report time.
 *
 * ELK is fast up to a couple of hundred nodes and runs out of memory in the thousands, so it never
 * sees more than `budget` nodes: above `threshold` visible elements, elements are grouped per trust
 * boundary and kind ("42 tools"), then per top-level boundary and kind, then per kind, whichever
 * first fits; elements on attack chains and hubs (a model or server many elements use) stay
 * single. Edges between groups are merged with a count. Everything is ordered by element index or
 * sorted keys, and ELK's output is copied field by field (it adds a run-dependent `$H`) and
 * rounded, so the same model gives the same picture byte for byte.
 */
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import { EDGE_TYPES } from '../../model/references.js';
import { ELEMENT_KINDS } from '../../model/kinds.js';
import type { ModelGraph } from '../../model/resolve.js';

/** Element kinds drawn as nodes of the system graph (the rest are structure: boundaries become frames). */
export const GRAPH_KINDS: readonly string[] = ['entry-point', 'human', 'external-system', 'agent', 'model', 'tool', 'mcp-server', 'memory', 'dependency'];

/** Edge types drawn: data and control flow. Placement, controls and monitoring are left out. */
export const GRAPH_EDGES: readonly string[] = [
  'uses-model',
  'invokes',
  'reads',
  'writes',
  'delegates',
  'accepts-from',
  'approved-by',
  'channel',
  'depends-on',
  'trained-on',
  'accesses',
  'written-by',
  'ingests',
  'entry',
  'entry-source',
  'spawns',
];

export interface ClusterOptions {
  /** Above this many visible elements, group them (default 150). */
  readonly threshold?: number;
  /** Most nodes handed to ELK when grouping (default 80). */
  readonly budget?: number;
  /**
   * Most edges handed to ELK after merging (default 500 when every element is drawn, 150 when
   * grouped: ELK's time grows fast with edges); the ones merging the fewest links are left out and counted.
   */
  readonly edgeBudget?: number;
  /** Elements to keep as single nodes when grouping (attack-chain elements), by id, in priority order. */
  readonly keep?: readonly string[];
  /** At most this many kept or hub elements stay single (default 40). */
  readonly keepMax?: number;
  /** Draw trust boundaries as frames (default: only when every element is drawn; groups name their boundary instead). */
  readonly frames?: boolean;
}

export type ClusterLevel = 'elements' | 'boundary-kind' | 'zone-kind' | 'kind';

export interface GraphNode {
  /** Stable synthetic id (n0, n1, ...): model ids never reach ELK or the markup as ids. */
  readonly id: string;
  readonly kind: string;
  /** Element id, or a group label such as "42 tools". */
  readonly label: string;
  /** Second line: the kind, or where the group sits. */
  readonly sub: string;
  /** Elements in the node (1 for an element). */
  readonly count: number;
  /** The element ids (first few, for the tooltip). */
  readonly members: readonly string[];
  /** Element index of the first member (ordering). */
  readonly first: number;
  /** Distinct neighbours in the full graph, for a hub shown single. */
  readonly links: number;
  readonly hub: boolean;
  /** Frame (boundary) id the node is drawn in, or null. */
  readonly frame: string | null;
}

export interface GraphEdge {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  /** Element-level edges merged into this one. */
  readonly count: number;
  readonly types: readonly string[];
}

export interface GraphFrame {
  readonly id: string;
  /** The boundary's element id. */
  readonly boundary: string;
  readonly label: string;
  readonly parent: string | null;
}

export interface ClusteredGraph {
  readonly level: ClusterLevel;
  /** Elements of the drawn kinds in the model. */
  readonly visible: number;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly frames: readonly GraphFrame[];
  /** Merged edges left out to stay within the edge budget. */
  readonly hiddenEdges: number;
  /** Node index (n<index>) of each element, -1 when not drawn. */
  readonly nodeOf: Int32Array;
}

const KIND_PLURAL: Readonly<Record<string, string>> = {
  'entry-point': 'entry points',
  human: 'humans',
  'external-system': 'external systems',
  agent: 'agents',
  model: 'models',
  tool: 'tools',
  'mcp-server': 'MCP servers',
  memory: 'memories',
  dependency: 'dependencies',
};

/** Choose the nodes, frames and merged edges to draw. Linear in the graph, iterative. */
export function clusterGraph(g: ModelGraph, options: ClusterOptions = {}): ClusteredGraph {
  const threshold = options.threshold ?? 150;
  const budget = Math.max(options.budget ?? 80, 20);
  const keepMax = options.keepMax ?? 40;
  const kindOk = new Uint8Array(ELEMENT_KINDS.length);
  for (const k of GRAPH_KINDS) {
    const i = ELEMENT_KINDS.indexOf(k as (typeof ELEMENT_KINDS)[number]);
    if (i >= 0) kindOk[i] = 1;
  }
  const edgeOk = new Uint8Array(EDGE_TYPES.length);
  for (const t of GRAPH_EDGES) {
    const i = EDGE_TYPES.indexOf(t as (typeof EDGE_TYPES)[number]);
    if (i >= 0) edgeOk[i] = 1;
  }
  const shown = new Uint8Array(g.size);
  let visible = 0;
  for (let i = 0; i < g.size; i++) {
    if (kindOk[g.kinds[i] ?? 0] === 1) {
      shown[i] = 1;
      visible++;
    }
  }
  // Degree (distinct drawn neighbours) for hubs: stamp array instead of a Set per node.
  const degree = new Int32Array(g.size);
  const stamp = new Int32Array(g.size).fill(-1);
  for (let i = 0; i < g.size; i++) {
    if (shown[i] !== 1) continue;
    let d = 0;
    const visit = (j: number) => {
      if (j !== i && shown[j] === 1 && stamp[j] !== i) {
        stamp[j] = i;
        d++;
      }
    };
    for (let p = g.outOffsets[i] ?? 0; p < (g.outOffsets[i + 1] ?? 0); p++) {
      const e = g.outEdges[p] ?? 0;
      if (edgeOk[g.edgeType[e] ?? 0] === 1) visit(g.edgeDst[e] ?? 0);
    }
    for (let p = g.inOffsets[i] ?? 0; p < (g.inOffsets[i + 1] ?? 0); p++) {
      const e = g.inEdges[p] ?? 0;
      if (edgeOk[g.edgeType[e] ?? 0] === 1) visit(g.edgeSrc[e] ?? 0);
    }
    degree[i] = d;
  }

  // Depth of each boundary (1 for a root) and its ancestor at a given depth, iteratively.
  const depthOf = (b: number): number => {
    let d = 1;
    let cur = b;
    for (let guard = 0; guard < g.size; guard++) {
      const p = g.parent[cur] ?? -1;
      if (p < 0 || p === cur) break;
      cur = p;
      d++;
    }
    return d;
  };
  const ancestorAt = (b: number, depth: number): number => {
    let cur = b;
    for (let d = depthOf(b); d > depth && cur >= 0; d--) cur = g.parent[cur] ?? -1;
    return cur;
  };
  let maxDepth = 0;
  for (let i = 0; i < g.size; i++) {
    const b = g.boundary[i] ?? -1;
    if (shown[i] === 1 && b >= 0) maxDepth = Math.max(maxDepth, depthOf(b));
  }

  // Coarser and coarser: exact boundary, then the enclosing boundary at depth maxDepth-1 ... 1, then kind alone.
  const levels: { level: ClusterLevel; depth: number }[] = [];
  if (visible <= threshold) levels.push({ level: 'elements', depth: 0 });
  else {
    levels.push({ level: 'boundary-kind', depth: maxDepth });
    for (let d = maxDepth - 1; d >= 1; d--) levels.push({ level: 'zone-kind', depth: d });
    levels.push({ level: 'kind', depth: 0 });
  }
  // Single elements when grouping: chain elements first, then the biggest hubs.
  const single = new Uint8Array(g.size);
  if (levels[0]?.level !== 'elements') {
    let kept = 0;
    const index = new Map<string, number>();
    for (let i = 0; i < g.size; i++) index.set(g.ids[i] ?? '', i);
    for (const id of options.keep ?? []) {
      if (kept >= keepMax) break;
      const i = index.get(id);
      if (i !== undefined && shown[i] === 1 && single[i] !== 1) {
        single[i] = 1;
        kept++;
      }
    }
    const hubMin = Math.max(20, Math.ceil(visible / 20));
    const hubs: number[] = [];
    for (let i = 0; i < g.size; i++) if (shown[i] === 1 && single[i] !== 1 && (degree[i] ?? 0) >= hubMin) hubs.push(i);
    hubs.sort((a, b) => (degree[b] ?? 0) - (degree[a] ?? 0) || a - b);
    for (const i of hubs) {
      if (kept >= keepMax) break;
      single[i] = 1;
      kept++;
    }
  }

  let chosen: { level: ClusterLevel; nodeOf: Int32Array; nodes: GraphNode[]; frames: GraphFrame[] } | undefined;
  for (const { level, depth } of levels) {
    const attempt = buildNodes(g, level, shown, single, degree, (b) => (level === 'zone-kind' ? ancestorAt(b, depth) : b), options.frames ?? level === 'elements');
    chosen = attempt;
    if (attempt.nodes.length <= budget) break;
  }
  if (!chosen) throw new Error('unreachable: no clustering level');

  // Merge edges between drawn nodes.
  const merged = new Map<string, { from: number; to: number; count: number; types: Set<string> }>();
  for (let e = 0; e < g.edgeCount; e++) {
    if (edgeOk[g.edgeType[e] ?? 0] !== 1) continue;
    const a = chosen.nodeOf[g.edgeSrc[e] ?? 0] ?? -1;
    const b = chosen.nodeOf[g.edgeDst[e] ?? 0] ?? -1;
    if (a < 0 || b < 0 || a === b) continue;
    const key = `${a}>${b}`;
    const type = EDGE_TYPES[g.edgeType[e] ?? 0] ?? 'edge';
    const m = merged.get(key);
    if (m) {
      m.count++;
      m.types.add(type);
    } else merged.set(key, { from: a, to: b, count: 1, types: new Set([type]) });
  }
  const edgeBudget = options.edgeBudget ?? (chosen.level === 'elements' ? 500 : 150);
  const all = [...merged.values()].sort((x, y) => y.count - x.count || x.from - y.from || x.to - y.to);
  const keptEdges = all.slice(0, edgeBudget).sort((x, y) => x.from - y.from || x.to - y.to);
  const edges: GraphEdge[] = keptEdges.map((m, i) => ({
    id: `e${i}`,
    from: `n${m.from}`,
    to: `n${m.to}`,
    count: m.count,
    types: [...m.types].sort(),
  }));
  return { level: chosen.level, visible, nodes: chosen.nodes, edges, frames: chosen.frames, hiddenEdges: all.length - keptEdges.length, nodeOf: chosen.nodeOf };
}

function buildNodes(
  g: ModelGraph,
  level: ClusterLevel,
  shown: Uint8Array,
  single: Uint8Array,
  degree: Int32Array,
  zoneOf: (b: number) => number,
  withFrames: boolean,
): { level: ClusterLevel; nodeOf: Int32Array; nodes: GraphNode[]; frames: GraphFrame[] } {
  const nodeOf = new Int32Array(g.size).fill(-1);
  // Frame (boundary element index) for an element at this level, or -1.
  const zone = (i: number): number => {
    const b = g.boundary[i] ?? -1;
    if (b < 0 || level === 'kind') return -1;
    return zoneOf(b);
  };
  const frameOf = (i: number): number => (withFrames ? zone(i) : -1);
  // Group members by key, in element order.
  const groups = new Map<string, number[]>();
  const order: string[] = [];
  for (let i = 0; i < g.size; i++) {
    if (shown[i] !== 1) continue;
    const key = level === 'elements' || single[i] === 1 ? `#${i}` : `${zone(i)}|${g.kinds[i] ?? 0}`;
    const list = groups.get(key);
    if (list) list.push(i);
    else {
      groups.set(key, [i]);
      order.push(key);
    }
  }
  const nodes: GraphNode[] = [];
  const usedFrames = new Set<number>();
  const hubMin = 20;
  for (const key of order) {
    const members = groups.get(key) ?? [];
    const first = members[0];
    if (first === undefined) continue;
    const kind = ELEMENT_KINDS[g.kinds[first] ?? 0] ?? 'agent';
    const f = frameOf(first);
    if (f >= 0) usedFrames.add(f);
    const n = nodes.length;
    for (const m of members) nodeOf[m] = n;
    const deg = degree[first] ?? 0;
    if (members.length === 1) {
      nodes.push({
        id: `n${n}`,
        kind,
        label: g.ids[first] ?? '',
        sub: deg >= hubMin ? `${kind} · ${deg} links` : kind,
        count: 1,
        members: [g.ids[first] ?? ''],
        first,
        links: deg,
        hub: deg >= hubMin,
        frame: f >= 0 ? `f${f}` : null,
      });
    } else {
      nodes.push({
        id: `n${n}`,
        kind,
        label: `${members.length} ${KIND_PLURAL[kind] ?? kind}`,
        sub: zone(first) >= 0 ? `in ${g.ids[zone(first)] ?? ''}` : level === 'kind' ? 'grouped by kind' : 'in no boundary',
        count: members.length,
        members: members.slice(0, 20).map((m) => g.ids[m] ?? ''),
        first,
        links: deg,
        hub: false,
        frame: f >= 0 ? `f${f}` : null,
      });
    }
  }
  // Frames: every used boundary and its ancestors (at the zone level only roots are used).
  const frameSet = new Set<number>();
  for (const b of usedFrames) {
    let cur = b;
    for (let guard = 0; guard < g.size && cur >= 0 && !frameSet.has(cur); guard++) {
      frameSet.add(cur);
      const p = g.parent[cur] ?? -1;
      cur = p === cur ? -1 : p;
    }
  }
  const frames: GraphFrame[] = [...frameSet]
    .sort((a, b) => a - b)
    .map((b) => {
      const p = g.parent[b] ?? -1;
      const parent = p >= 0 && frameSet.has(p) && p !== b ? `f${p}` : null;
      const spec = g.specs[b];
      const name = spec && typeof spec['name'] === 'string' ? spec['name'] : '';
      return { id: `f${b}`, boundary: g.ids[b] ?? '', label: name !== '' ? name : (g.ids[b] ?? ''), parent };
    });
  return { level, nodeOf, nodes, frames };
}

/** Laid-out geometry, integers only. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface LaidOutGraph {
  readonly graph: ClusteredGraph;
  readonly width: number;
  readonly height: number;
  readonly nodes: ReadonlyMap<string, Box>;
  readonly frames: ReadonlyMap<string, Box>;
  /** Polyline points per edge id (start, bends, end). */
  readonly edges: ReadonlyMap<string, readonly (readonly [number, number])[]>;
}

/** Node size from its text (the SVG uses 12px and 10px sans-serif; ~7 px a character is generous). */
export function nodeSize(n: GraphNode): { width: number; height: number } {
  const chars = Math.max(Math.min(n.label.length, 28), Math.min(n.sub.length, 34) * 0.85);
  return { width: Math.round(Math.max(90, Math.min(240, 20 + chars * 7))), height: 40 };
}

const r = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v) : 0);

/** Run ELK (layered, left to right, orthogonal edges, boundaries as nested frames). */
export async function layoutGraph(c: ClusteredGraph): Promise<LaidOutGraph> {
  const frameChildren = new Map<string | null, ElkNode[]>();
  const push = (parent: string | null, n: ElkNode) => {
    const list = frameChildren.get(parent);
    if (list) list.push(n);
    else frameChildren.set(parent, [n]);
  };
  const frameNodes = new Map<string, ElkNode>();
  for (const f of c.frames) {
    const node: ElkNode = { id: f.id, layoutOptions: { 'elk.padding': '[top=26,left=12,bottom=12,right=12]' } };
    frameNodes.set(f.id, node);
  }
  for (const f of c.frames) {
    const node = frameNodes.get(f.id);
    if (node) push(f.parent, node);
  }
  for (const n of c.nodes) push(n.frame, { id: n.id, ...nodeSize(n) });
  for (const [id, node] of frameNodes) node.children = frameChildren.get(id) ?? [];
  const edges: ElkExtendedEdge[] = c.edges.map((e) => ({ id: e.id, sources: [e.from], targets: [e.to] }));
  const root: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      // Orthogonal edges read well between single elements; between groups, straight lines stay short.
      'elk.edgeRouting': c.level === 'elements' ? 'ORTHOGONAL' : 'POLYLINE',
      'elk.json.shapeCoords': 'ROOT',
      'elk.json.edgeCoords': 'ROOT',
      'elk.randomSeed': '1',
      'elk.spacing.nodeNode': '18',
      'elk.layered.spacing.nodeNodeBetweenLayers': '44',
      'elk.padding': '[top=12,left=12,bottom=12,right=12]',
    },
    children: frameChildren.get(null) ?? [],
    edges,
  };
  // elkjs is CommonJS: under NodeNext the default import is module.exports, whose `default` is the constructor.
  const elk = new ELK.default();
  const out = await elk.layout(root);
  const nodes = new Map<string, Box>();
  const frames = new Map<string, Box>();
  // Walk the result iteratively, copying only geometry.
  const stack: ElkNode[] = [...(out.children ?? [])];
  while (stack.length > 0) {
    const n = stack.pop();
    if (!n) break;
    const box = { x: r(n.x), y: r(n.y), width: r(n.width), height: r(n.height) };
    if (frameNodes.has(n.id)) frames.set(n.id, box);
    else nodes.set(n.id, box);
    for (const ch of n.children ?? []) stack.push(ch);
  }
  const edgePts = new Map<string, (readonly [number, number])[]>();
  const collect = (list: readonly ElkExtendedEdge[] | undefined) => {
    for (const e of list ?? []) {
      const pts: (readonly [number, number])[] = [];
      for (const s of e.sections ?? []) {
        pts.push([r(s.startPoint.x), r(s.startPoint.y)]);
        for (const b of s.bendPoints ?? []) pts.push([r(b.x), r(b.y)]);
        pts.push([r(s.endPoint.x), r(s.endPoint.y)]);
      }
      if (pts.length >= 2) edgePts.set(e.id, pts);
    }
  };
  // With INCLUDE_CHILDREN, ELK may move edges into the frame that contains both ends.
  const estack: ElkNode[] = [out];
  while (estack.length > 0) {
    const n = estack.pop();
    if (!n) break;
    collect(n.edges);
    for (const ch of n.children ?? []) estack.push(ch);
  }
  // Sorted maps: emission order never depends on ELK's traversal.
  const sortById = <T>(m: Map<string, T>) => new Map([...m].sort((a, b) => cmpId(a[0], b[0])));
  return { graph: c, width: r(out.width), height: r(out.height), nodes: sortById(nodes), frames: sortById(frames), edges: sortById(edgePts) };
}

/** n2 < n10: synthetic ids compare by number. */
function cmpId(a: string, b: string): number {
  const na = Number(a.slice(1));
  const nb = Number(b.slice(1));
  return a[0] === b[0] && Number.isFinite(na) && Number.isFinite(nb) ? na - nb : a < b ? -1 : a > b ? 1 : 0;
}
