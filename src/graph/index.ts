/**
 * Cross-layer analysis: propagation graph, top-K attack chains, blast radius, choke points and the
 * first controls to add. `analyseCrossLayer` returns typed arrays indexed by element (for the risk
 * layer) and `view`, a plain, JSON-serialisable, deterministic object with ids (for reports).
 * Pure: no I/O, no clock, no randomness. See docs/propagation.md.
 */
import type { Catalogue } from '../catalogue/load.js';
import { LAYER_IDS, type LayerId } from '../model/layers.js';
import type { ResolvedModel } from '../model/resolve.js';
import { compareStrings } from './buffers.js';
import { blastRadius, cascadeFrom, type BlastOptions, type BlastResult, type Cascade } from './blast.js';
import { bestCompletion, bestFromEntries, findChains, type Chain, type ChainOptions, type ChainStats } from './chains.js';
import { chainCounts, dominatedJewels, dominators, suggestControls, type Dominators, type Suggestion } from './choke.js';
import { ACCESS_READ, buildPropagation, type PropagationGraph } from './propagation.js';
import { STEP_KINDS } from './semantics.js';

export { STEP_KINDS, STEP_KIND_INDEX, statusFactor, stepKindsFor, type StepKind, type StepKindId, type Relation, type Direction, type Condition } from './semantics.js';
export { buildPropagation, DEFAULT_REDUCTION, ACCESS_CONTROL, ACCESS_READ, type PropagationGraph } from './propagation.js';
export { findChains, bestCompletion, bestFromEntries, compareChains, DEFAULT_CHAIN_OPTIONS, type Chain, type ChainOptions, type ChainStats, type ChainCut } from './chains.js';
export { blastRadius, cascadeFrom, type BlastOptions, type BlastResult, type Cascade } from './blast.js';
export { chainCounts, dominators, dominatedJewels, suggestControls, type Dominators, type Suggestion } from './choke.js';
export { stronglyConnected, type Components } from './scc.js';

export interface CrossLayerOptions extends ChainOptions, BlastOptions {
  /** Cascades to include in the view, for the elements with the widest blast radius (default 5). */
  readonly cascadeTop?: number;
  /** Steps per cascade at most (default 200). */
  readonly cascadeLimit?: number;
  /** Choke points per list (default 20). */
  readonly chokeTop?: number;
  /** Control suggestions (default 10). */
  readonly suggestionTop?: number;
  /** Blast-radius entries in the view (default: all). */
  readonly blastTop?: number;
  /** Crown jewels listed per choke point (default 50). */
  readonly jewelListLimit?: number;
}

/** Kinds whose blast radius is reported. */
export const BLAST_KINDS = ['agent', 'model', 'tool', 'mcp-server', 'memory', 'dependency'] as const;

export type Access = 'control' | 'read';

export interface StepView {
  readonly from: string;
  readonly to: string;
  /** `read`: the attacker reads the target's data (the chain ends there); `control`: takes it over. */
  readonly access: Access;
  readonly stepKind: string;
  readonly threat: string;
  readonly threatName: string;
  readonly atlas: { readonly id: string; readonly name: string };
  readonly layer: LayerId;
  /** After declared controls (rounded to 6 decimals). */
  readonly probability: number;
  /** Channel the step travels on, or null. */
  readonly via: string | null;
  /** Declared controls that lowered this step (id, pattern, factor). */
  readonly controls: readonly { readonly id: string; readonly pattern: string; readonly factor: number }[];
}

export interface ChainView {
  readonly rank: number;
  readonly probability: number;
  readonly source: { readonly id: string; readonly kind: string; readonly reason: string };
  readonly target: { readonly id: string; readonly kind: string; readonly access: Access; readonly reasons: readonly string[] };
  readonly steps: readonly StepView[];
}

export interface BlastView {
  readonly rank: number;
  readonly id: string;
  readonly kind: string;
  readonly layer: LayerId;
  /** Elements that fall if this one is compromised (itself excluded). */
  readonly reach: number;
  readonly crownJewels: number;
  readonly byLayer: Readonly<Record<LayerId, number>>;
}

export interface CascadeStepView {
  readonly depth: number;
  readonly from: string;
  readonly to: string;
  readonly access: Access;
  readonly stepKind: string;
  readonly threat: string;
  readonly atlas: { readonly id: string; readonly name: string };
  readonly layer: LayerId;
}

export interface CascadeView {
  readonly root: string;
  readonly reach: number;
  readonly truncated: boolean;
  readonly steps: readonly CascadeStepView[];
}

export interface CrossingView {
  readonly id: string;
  readonly kind: string;
  readonly layer: LayerId;
  /** Top-K chains that pass through it. */
  readonly chains: number;
  readonly crownJewels: readonly string[];
}

export interface DominatorView {
  readonly id: string;
  readonly kind: string;
  readonly layer: LayerId;
  /** Crown jewels that every attack path from every entry source reaches only through this element. */
  readonly crownJewelCount: number;
  readonly crownJewels: readonly string[];
}

export interface SuggestionView {
  readonly rank: number;
  readonly pattern: string;
  readonly patternName: string;
  /** Element to put the control on. */
  readonly element: string;
  readonly kind: string;
  readonly threats: readonly string[];
  /** Ranks (1-based) of the chains it weakens. */
  readonly chains: readonly number[];
  readonly crownJewels: readonly string[];
  /** Fraction of likelihood left on each step it mitigates. */
  readonly reduction: number;
  /** Sum over the chains of the likelihood it removes (rounded to 6 decimals). */
  readonly likelihoodRemoved: number;
  /** Other patterns that mitigate the same steps on the same element (weaker or equal, by rank). */
  readonly alternatives: readonly string[];
}

export interface CrossLayerView {
  readonly entrySources: readonly { readonly id: string; readonly kind: string; readonly layer: LayerId; readonly reason: string }[];
  readonly crownJewels: readonly { readonly id: string; readonly kind: string; readonly layer: LayerId; readonly reasons: readonly string[] }[];
  readonly chains: readonly ChainView[];
  readonly chainStats: ChainStats;
  readonly blast: readonly BlastView[];
  readonly cascades: readonly CascadeView[];
  readonly chokePoints: { readonly crossings: readonly CrossingView[]; readonly dominators: readonly DominatorView[] };
  readonly suggestions: readonly SuggestionView[];
  readonly stats: {
    readonly nodes: number;
    readonly edges: number;
    readonly entrySources: number;
    readonly crownJewels: number;
    readonly components: number;
    readonly blastColumns: number;
    readonly blastBlocks: number;
    /** False when the blast work limit cut the computation (counts are then lower bounds). */
    readonly blastComplete: boolean;
  };
}

export interface CrossLayerResult {
  readonly graph: PropagationGraph;
  readonly chains: readonly Chain[];
  readonly chainStats: ChainStats;
  /** Top-K chains crossing each element (element index). */
  readonly chainCount: Int32Array;
  /** Highest probability among the top-K chains crossing each element, 0 if none. */
  readonly chainMax: Float64Array;
  /**
   * Per element: likelihood of the best chain from any entry source through it to a crown jewel,
   * over all paths (not only the top K). Never rises when a control is added: risk scoring uses it.
   */
  readonly chainExposure: Float64Array;
  /** Elements that fall if each element is compromised (element index, itself excluded). */
  readonly blastReach: Int32Array;
  /** Crown jewels that fall if each element is compromised (element index). */
  readonly blastJewels: Int32Array;
  readonly blast: BlastResult;
  readonly dominators: Dominators;
  /** Crown jewels each element strictly dominates (element index). */
  readonly dominatedJewels: Int32Array;
  readonly suggestions: readonly Suggestion[];
  /** The cascade from one element, step by step (plain data). */
  cascade(element: number, limit?: number): CascadeView;
  readonly view: CrossLayerView;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

export function analyseCrossLayer(resolved: ResolvedModel, catalogue: Catalogue, options: CrossLayerOptions = {}): CrossLayerResult {
  const g = resolved.graph;
  const ids = g.ids;
  const n = g.size;
  const graph = buildPropagation(resolved, catalogue);
  const h = bestCompletion(graph);
  const { chains, stats } = findChains(graph, options, h);
  const chainCount = chainCounts(graph, chains);
  const chainMax = new Float64Array(n);
  for (const c of chains) for (const v of c.nodes) {
    const e = graph.nodeElement[v] ?? 0;
    if (c.probability > (chainMax[e] ?? 0)) chainMax[e] = c.probability;
  }
  // Best chain through each element (entry -> element -> jewel), over all paths, not only the top K.
  const fromEntry = bestFromEntries(graph);
  const chainExposure = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // An element is crossed by chains that take it over (its own node) or read it (its read node).
    const r = graph.readNode[i] ?? -1;
    const viaRead = r >= 0 ? (fromEntry[r] ?? 0) * (h[r] ?? 0) : 0;
    chainExposure[i] = Math.min(1, Math.max((fromEntry[i] ?? 0) * (h[i] ?? 0), viaRead));
  }
  const jewelElement = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (graph.jewelReasons[i] !== undefined) jewelElement[i] = 1;
  const blast = blastRadius(graph, g.layers, jewelElement, options);
  const dom = dominators(graph);
  const dominated = new Int32Array(n);
  for (let i = 0; i < n; i++) dominated[i] = dom.jewelCount[i] ?? 0;
  const suggestions = suggestControls(graph, chains, ids);

  const idOf = (node: number) => ids[graph.nodeElement[node] ?? 0] ?? '';
  const access = (node: number): Access => (graph.nodeAccess[node] === ACCESS_READ ? 'read' : 'control');
  const layerOf = (i: number): LayerId => resolved.layerOf(i);
  const stepView = (e: number): StepView => {
    const kind = STEP_KINDS[graph.kinds[e] ?? 0];
    const to = graph.targets[e] ?? 0;
    const controls: { id: string; pattern: string; factor: number }[] = [];
    for (let k = graph.controlOffsets[e] ?? 0; k < (graph.controlOffsets[e + 1] ?? 0); k++) {
      controls.push({ id: ids[graph.controlElements[k] ?? 0] ?? '', pattern: graph.patternIds[graph.controlPatterns[k] ?? 0] ?? '', factor: round6(graph.controlFactors[k] ?? 1) });
    }
    const via = graph.via[e] ?? -1;
    return {
      from: idOf(graph.sources[e] ?? 0),
      to: idOf(to),
      access: access(to),
      stepKind: kind?.id ?? '',
      threat: kind?.threat ?? '',
      threatName: catalogue.threats.get(kind?.threat ?? '')?.name ?? '',
      atlas: { id: kind?.atlas.id ?? '', name: kind?.atlas.name ?? '' },
      layer: kind?.layer ?? 'L3',
      probability: round6(graph.probability[e] ?? 0),
      via: via >= 0 ? (ids[via] ?? null) : null,
      controls,
    };
  };

  const chainViews: ChainView[] = chains.map((c, i) => {
    const first = c.nodes[0] ?? 0;
    const last = c.nodes[c.nodes.length - 1] ?? 0;
    const lastEl = graph.nodeElement[last] ?? 0;
    return {
      rank: i + 1,
      probability: round6(c.probability),
      source: { id: idOf(first), kind: resolved.kindOf(first), reason: graph.entryReasons[first] ?? '' },
      target: { id: ids[lastEl] ?? '', kind: resolved.kindOf(lastEl), access: access(last), reasons: [...(graph.jewelReasons[lastEl] ?? [])] },
      steps: [...c.edges].map(stepView),
    };
  });

  // Blast radius, ranked: reach, then crown jewels, then id.
  const blastList: number[] = [];
  const reportKinds = new Set<string>(BLAST_KINDS);
  for (let i = 0; i < n; i++) if (reportKinds.has(resolved.kindOf(i))) blastList.push(i);
  blastList.sort((a, b) => (blast.reach[b] ?? 0) - (blast.reach[a] ?? 0) || (blast.jewels[b] ?? 0) - (blast.jewels[a] ?? 0) || compareStrings(ids[a] ?? '', ids[b] ?? ''));
  const blastTop = options.blastTop === undefined ? blastList.length : Math.max(0, Math.floor(options.blastTop));
  const blastViews: BlastView[] = blastList.slice(0, blastTop).map((i, r) => {
    const byLayer = {} as Record<LayerId, number>;
    for (let li = 0; li < LAYER_IDS.length; li++) byLayer[LAYER_IDS[li] ?? 'L1'] = blast.byLayer[i * 7 + li] ?? 0;
    return { rank: r + 1, id: ids[i] ?? '', kind: resolved.kindOf(i), layer: layerOf(i), reach: blast.reach[i] ?? 0, crownJewels: blast.jewels[i] ?? 0, byLayer };
  });

  const cascadeLimit = options.cascadeLimit ?? 200;
  const cascade = (element: number, limit = cascadeLimit): CascadeView => {
    if (!Number.isInteger(element) || element < 0 || element >= n) throw new RangeError(`no element ${element}`);
    const c: Cascade = cascadeFrom(graph, element, limit);
    const steps: CascadeStepView[] = [];
    for (let k = 1; k < c.nodes.length; k++) {
      const e = c.edges[k] ?? 0;
      const kind = STEP_KINDS[graph.kinds[e] ?? 0];
      const node = c.nodes[k] ?? 0;
      steps.push({
        depth: c.depth[k] ?? 0,
        from: idOf(graph.sources[e] ?? 0),
        to: idOf(node),
        access: access(node),
        stepKind: kind?.id ?? '',
        threat: kind?.threat ?? '',
        atlas: { id: kind?.atlas.id ?? '', name: kind?.atlas.name ?? '' },
        layer: kind?.layer ?? 'L3',
      });
    }
    return { root: ids[element] ?? '', reach: blast.reach[element] ?? 0, truncated: c.truncated, steps };
  };
  const cascadeTop = Math.max(0, Math.floor(options.cascadeTop ?? 5));
  const cascades = blastList
    .slice(0, cascadeTop)
    .filter((i) => (blast.reach[i] ?? 0) > 0)
    .map((i) => cascade(i));

  const chokeTop = Math.max(0, Math.floor(options.chokeTop ?? 20));
  const jewelLimit = Math.max(0, Math.floor(options.jewelListLimit ?? 50));
  const crossingList: number[] = [];
  for (let i = 0; i < n; i++) if ((chainCount[i] ?? 0) > 0) crossingList.push(i);
  crossingList.sort((a, b) => (chainCount[b] ?? 0) - (chainCount[a] ?? 0) || compareStrings(ids[a] ?? '', ids[b] ?? ''));
  const crossings: CrossingView[] = crossingList.slice(0, chokeTop).map((i) => {
    const jewels = new Set<string>();
    for (const c of chains) {
      if (!c.nodes.some((v) => graph.nodeElement[v] === i)) continue;
      jewels.add(idOf(c.nodes[c.nodes.length - 1] ?? 0));
    }
    return { id: ids[i] ?? '', kind: resolved.kindOf(i), layer: layerOf(i), chains: chainCount[i] ?? 0, crownJewels: [...jewels].sort(compareStrings).slice(0, jewelLimit) };
  });
  const domList: number[] = [];
  for (let i = 0; i < n; i++) if ((dominated[i] ?? 0) > 0) domList.push(i);
  domList.sort((a, b) => (dominated[b] ?? 0) - (dominated[a] ?? 0) || compareStrings(ids[a] ?? '', ids[b] ?? ''));
  const dominatorViews: DominatorView[] = domList.slice(0, chokeTop).map((i) => ({
    id: ids[i] ?? '',
    kind: resolved.kindOf(i),
    layer: layerOf(i),
    crownJewelCount: dominated[i] ?? 0,
    crownJewels: [...new Set(dominatedJewels(graph, dom, i, jewelLimit).map(idOf))].sort(compareStrings),
  }));

  // Suggestions: one entry per (element, chains weakened); other patterns that would do the same job on
  // the same element are listed as alternatives of the best one.
  const suggestionTop = Math.max(0, Math.floor(options.suggestionTop ?? 10));
  const suggestionViews: { -readonly [K in keyof SuggestionView]: SuggestionView[K] }[] = [];
  const byCoverage = new Map<string, { alternatives: string[] }>();
  for (const s of suggestions) {
    const pattern = graph.patternIds[s.pattern] ?? '';
    const key = `${s.element}:${s.chains.join(',')}`;
    const first = byCoverage.get(key);
    if (first) {
      first.alternatives.push(pattern);
      continue;
    }
    if (suggestionViews.length >= suggestionTop) continue;
    const entry = {
      rank: suggestionViews.length + 1,
      pattern,
      patternName: catalogue.patterns.get(pattern)?.name ?? pattern,
      element: ids[s.element] ?? '',
      kind: resolved.kindOf(s.element),
      threats: s.threats,
      chains: s.chains.map((c) => c + 1),
      crownJewels: [...new Set(s.jewels.map((j) => ids[j] ?? ''))].sort(compareStrings),
      reduction: graph.patternReduction[s.pattern] ?? 1,
      likelihoodRemoved: round6(s.likelihoodRemoved),
      alternatives: [] as string[],
    };
    byCoverage.set(key, entry);
    suggestionViews.push(entry);
  }

  const entrySources = [...graph.entrySources].map((v) => ({ id: ids[v] ?? '', kind: resolved.kindOf(v), layer: layerOf(v), reason: graph.entryReasons[v] ?? '' }));
  const crownJewels: { id: string; kind: string; layer: LayerId; reasons: string[] }[] = [];
  for (let i = 0; i < n; i++) {
    const reasons = graph.jewelReasons[i];
    if (reasons) crownJewels.push({ id: ids[i] ?? '', kind: resolved.kindOf(i), layer: layerOf(i), reasons: [...reasons] });
  }

  const view: CrossLayerView = {
    entrySources,
    crownJewels,
    chains: chainViews,
    chainStats: { ...stats, cutBy: [...stats.cutBy] },
    blast: blastViews,
    cascades,
    chokePoints: { crossings, dominators: dominatorViews },
    suggestions: suggestionViews,
    stats: {
      nodes: graph.nodeCount,
      edges: graph.edgeCount,
      entrySources: graph.entrySources.length,
      crownJewels: crownJewels.length,
      components: blast.components,
      blastColumns: blast.columns,
      blastBlocks: blast.blocks,
      blastComplete: blast.complete,
    },
  };

  return {
    graph,
    chains,
    chainStats: stats,
    chainCount,
    chainMax,
    chainExposure,
    blastReach: blast.reach,
    blastJewels: blast.jewels,
    blast,
    dominators: dom,
    dominatedJewels: dominated,
    suggestions,
    cascade,
    view,
  };
}
