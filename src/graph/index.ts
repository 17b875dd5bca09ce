/**
 * Cross-layer analysis: propagation graph, top-K attack chains, blast radius, choke points and the
 * first controls to add. `analyseCrossLayer` returns typed arrays indexed by element (for the risk
 * layer) and `view`, a plain, JSON-serialisable, deterministic object with ids (for reports).
 * Pure: no I/O, no clock, no randomness. See docs/propagation.md.
 */
import type { Catalogue } from '../catalogue/load.js';
import { ELEMENT_KINDS } from '../model/kinds.js';
import type { LayerId } from '../model/layers.js';
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

/** 1 for the kinds of BLAST_KINDS, by kind index. */
const BLAST_KIND = Uint8Array.from(ELEMENT_KINDS, (k) => ((BLAST_KINDS as readonly string[]).includes(k) ? 1 : 0));

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

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** Highest probability among the top-K chains crossing each element, 0 if none. */
function chainMaxOf(n: number, graph: PropagationGraph, chains: readonly Chain[]): Float64Array {
  const chainMax = new Float64Array(n);
  for (const c of chains) {
    for (const v of c.nodes) {
      const e = graph.nodeElement[v] ?? 0;
      if (c.probability > (chainMax[e] ?? 0)) chainMax[e] = c.probability;
    }
  }
  return chainMax;
}

/** Best chain through each element (entry -> element -> jewel), over all paths, not only the top K. */
function exposureOf(n: number, graph: PropagationGraph, h: Float64Array, fromEntry: Float64Array): Float64Array {
  const chainExposure = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // An element is crossed by chains that take it over (its own node) or read it (its read node).
    const r = graph.readNode[i] ?? -1;
    const viaRead = r >= 0 ? (fromEntry[r] ?? 0) * (h[r] ?? 0) : 0;
    chainExposure[i] = Math.min(1, Math.max((fromEntry[i] ?? 0) * (h[i] ?? 0), viaRead));
  }
  return chainExposure;
}

function jewelElementsOf(n: number, graph: PropagationGraph): Uint8Array {
  const jewelElement = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (graph.jewelReasons[i] !== undefined) jewelElement[i] = 1;
  return jewelElement;
}

/** Crown jewels each element strictly dominates (the element nodes of dom.jewelCount). */
function dominatedOf(n: number, dom: Dominators): Int32Array {
  return dom.jewelCount.slice(0, n);
}

/** a ranks before b: higher primary, then higher secondary (when given), then lower id. */
function elementBefore(a: number, b: number, primary: Int32Array, secondary: Int32Array | null, ids: readonly string[]): boolean {
  const pa = primary[a] ?? 0;
  const pb = primary[b] ?? 0;
  if (pa !== pb) return pa > pb;
  if (secondary !== null) {
    const sa = secondary[a] ?? 0;
    const sb = secondary[b] ?? 0;
    if (sa !== sb) return sa > sb;
  }
  return compareStrings(ids[a] ?? '', ids[b] ?? '') < 0;
}

/** Bottom-up merge sort of element indexes by elementBefore (stable, as Array.prototype.sort). */
function rankElements(list: number[], primary: Int32Array, secondary: Int32Array | null, ids: readonly string[]): number[] {
  const n = list.length;
  let src = list;
  let dst: number[] = new Array<number>(n).fill(0);
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(n, lo + width);
      const hi = Math.min(n, lo + 2 * width);
      let i = lo;
      let j = mid;
      let o = lo;
      while (i < mid && j < hi) {
        const a = src[i] ?? 0;
        const b = src[j] ?? 0;
        if (elementBefore(b, a, primary, secondary, ids)) {
          dst[o++] = b;
          j++;
        } else {
          dst[o++] = a;
          i++;
        }
      }
      while (i < mid) dst[o++] = src[i++] ?? 0;
      while (j < hi) dst[o++] = src[j++] ?? 0;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  return src;
}

/** Elements with a positive count. */
function positiveElements(n: number, count: Int32Array): number[] {
  const list: number[] = [];
  for (let i = 0; i < n; i++) if ((count[i] ?? 0) > 0) list.push(i);
  return list;
}

type MutableSuggestionView = { -readonly [K in keyof SuggestionView]: SuggestionView[K] };

/** Builds the plain, id-based view objects from the integer results. */
class ViewBuilder {
  private readonly ids: readonly string[];
  readonly n: number;
  constructor(
    private readonly resolved: ResolvedModel,
    private readonly catalogue: Catalogue,
    private readonly graph: PropagationGraph,
    private readonly blast: BlastResult,
    private readonly cascadeLimit: number,
  ) {
    this.ids = resolved.graph.ids;
    this.n = resolved.graph.size;
  }

  idOf(node: number): string {
    return this.ids[this.graph.nodeElement[node] ?? 0] ?? '';
  }

  access(node: number): Access {
    return this.graph.nodeAccess[node] === ACCESS_READ ? 'read' : 'control';
  }

  stepView(e: number): StepView {
    const { graph, ids } = this;
    const kind = STEP_KINDS[graph.kinds[e] ?? 0];
    const to = graph.targets[e] ?? 0;
    const controls: { id: string; pattern: string; factor: number }[] = [];
    for (let k = graph.controlOffsets[e] ?? 0; k < (graph.controlOffsets[e + 1] ?? 0); k++) {
      controls.push({ id: ids[graph.controlElements[k] ?? 0] ?? '', pattern: graph.patternIds[graph.controlPatterns[k] ?? 0] ?? '', factor: round6(graph.controlFactors[k] ?? 1) });
    }
    const via = graph.via[e] ?? -1;
    return {
      from: this.idOf(graph.sources[e] ?? 0),
      to: this.idOf(to),
      access: this.access(to),
      stepKind: kind?.id ?? '',
      threat: kind?.threat ?? '',
      threatName: this.catalogue.threats.get(kind?.threat ?? '')?.name ?? '',
      atlas: { id: kind?.atlas.id ?? '', name: kind?.atlas.name ?? '' },
      layer: kind?.layer ?? 'L3',
      probability: round6(graph.probability[e] ?? 0),
      via: via >= 0 ? (ids[via] ?? null) : null,
      controls,
    };
  }

  chainView(c: Chain, i: number): ChainView {
    const { graph, ids, resolved } = this;
    const first = c.nodes[0] ?? 0;
    const last = c.nodes[c.nodes.length - 1] ?? 0;
    const lastEl = graph.nodeElement[last] ?? 0;
    const steps: StepView[] = [];
    for (const e of c.edges) steps.push(this.stepView(e));
    return {
      rank: i + 1,
      probability: round6(c.probability),
      source: { id: this.idOf(first), kind: resolved.kindOf(first), reason: graph.entryReasons[first] ?? '' },
      target: { id: ids[lastEl] ?? '', kind: resolved.kindOf(lastEl), access: this.access(last), reasons: [...(graph.jewelReasons[lastEl] ?? [])] },
      steps,
    };
  }

  chainViews(chains: readonly Chain[]): ChainView[] {
    const out: ChainView[] = [];
    for (let i = 0; i < chains.length; i++) {
      const c = chains[i];
      if (c) out.push(this.chainView(c, i));
    }
    return out;
  }

  /** Blast radius, ranked: reach, then crown jewels, then id. */
  blastList(): number[] {
    const list: number[] = [];
    const kinds = this.resolved.graph.kinds;
    for (let i = 0; i < this.n; i++) if (BLAST_KIND[kinds[i] ?? 0] === 1) list.push(i);
    return rankElements(list, this.blast.reach, this.blast.jewels, this.ids);
  }

  blastView(i: number, r: number): BlastView {
    const blast = this.blast;
    const L = blast.byLayer;
    const o = i * 7;
    // One literal (one object shape for every entry), in LAYER_IDS order.
    const byLayer: Record<LayerId, number> = { L1: L[o] ?? 0, L2: L[o + 1] ?? 0, L3: L[o + 2] ?? 0, L4: L[o + 3] ?? 0, L5: L[o + 4] ?? 0, L6: L[o + 5] ?? 0, L7: L[o + 6] ?? 0 };
    return { rank: r + 1, id: this.ids[i] ?? '', kind: this.resolved.kindOf(i), layer: this.resolved.layerOf(i), reach: blast.reach[i] ?? 0, crownJewels: blast.jewels[i] ?? 0, byLayer };
  }

  blastViews(blastList: readonly number[], blastTop: number): BlastView[] {
    const out: BlastView[] = [];
    const end = Math.min(blastTop, blastList.length);
    for (let r = 0; r < end; r++) out.push(this.blastView(blastList[r] ?? 0, r));
    return out;
  }

  cascade(element: number, limit: number = this.cascadeLimit): CascadeView {
    const { graph, n, ids } = this;
    if (!Number.isInteger(element) || element < 0 || element >= n) throw new RangeError(`no element ${element}`);
    const c: Cascade = cascadeFrom(graph, element, limit);
    const steps: CascadeStepView[] = [];
    for (let k = 1; k < c.nodes.length; k++) {
      const e = c.edges[k] ?? 0;
      const kind = STEP_KINDS[graph.kinds[e] ?? 0];
      const node = c.nodes[k] ?? 0;
      steps.push({
        depth: c.depth[k] ?? 0,
        from: this.idOf(graph.sources[e] ?? 0),
        to: this.idOf(node),
        access: this.access(node),
        stepKind: kind?.id ?? '',
        threat: kind?.threat ?? '',
        atlas: { id: kind?.atlas.id ?? '', name: kind?.atlas.name ?? '' },
        layer: kind?.layer ?? 'L3',
      });
    }
    return { root: ids[element] ?? '', reach: this.blast.reach[element] ?? 0, truncated: c.truncated, steps };
  }

  cascades(blastList: readonly number[], cascadeTop: number): CascadeView[] {
    const out: CascadeView[] = [];
    const end = Math.min(cascadeTop, blastList.length);
    for (let r = 0; r < end; r++) {
      const i = blastList[r] ?? 0;
      if ((this.blast.reach[i] ?? 0) > 0) out.push(this.cascade(i));
    }
    return out;
  }

  crossing(i: number, chains: readonly Chain[], chainCount: Int32Array, jewelLimit: number): CrossingView {
    const nodeElement = this.graph.nodeElement;
    const jewels = new Set<string>();
    for (const c of chains) {
      let crosses = false;
      for (const v of c.nodes) {
        if (nodeElement[v] === i) {
          crosses = true;
          break;
        }
      }
      if (!crosses) continue;
      jewels.add(this.idOf(c.nodes[c.nodes.length - 1] ?? 0));
    }
    return { id: this.ids[i] ?? '', kind: this.resolved.kindOf(i), layer: this.resolved.layerOf(i), chains: chainCount[i] ?? 0, crownJewels: [...jewels].sort(compareStrings).slice(0, jewelLimit) };
  }

  crossings(chains: readonly Chain[], chainCount: Int32Array, chokeTop: number, jewelLimit: number): CrossingView[] {
    const list = rankElements(positiveElements(this.n, chainCount), chainCount, null, this.ids);
    const out: CrossingView[] = [];
    const end = Math.min(chokeTop, list.length);
    for (let r = 0; r < end; r++) out.push(this.crossing(list[r] ?? 0, chains, chainCount, jewelLimit));
    return out;
  }

  dominatorViews(dom: Dominators, dominated: Int32Array, chokeTop: number, jewelLimit: number): DominatorView[] {
    const list = rankElements(positiveElements(this.n, dominated), dominated, null, this.ids);
    const out: DominatorView[] = [];
    const end = Math.min(chokeTop, list.length);
    for (let r = 0; r < end; r++) {
      const i = list[r] ?? 0;
      const jewels = new Set<string>();
      for (const j of dominatedJewels(this.graph, dom, i, jewelLimit)) jewels.add(this.idOf(j));
      out.push({
        id: this.ids[i] ?? '',
        kind: this.resolved.kindOf(i),
        layer: this.resolved.layerOf(i),
        crownJewelCount: dominated[i] ?? 0,
        crownJewels: [...jewels].sort(compareStrings),
      });
    }
    return out;
  }

  /**
   * Suggestions: one entry per (element, chains weakened); other patterns that would do the same job
   * on the same element are listed as alternatives of the best one.
   */
  suggestionViews(suggestions: readonly Suggestion[], suggestionTop: number): MutableSuggestionView[] {
    const { graph, ids } = this;
    const out: MutableSuggestionView[] = [];
    const byCoverage = new Map<string, { alternatives: string[] }>();
    for (const s of suggestions) {
      const pattern = graph.patternIds[s.pattern] ?? '';
      const key = `${s.element}:${s.chains.join(',')}`;
      const first = byCoverage.get(key);
      if (first) {
        first.alternatives.push(pattern);
        continue;
      }
      if (out.length >= suggestionTop) continue;
      const chainRanks: number[] = [];
      for (const c of s.chains) chainRanks.push(c + 1);
      const jewels = new Set<string>();
      for (const j of s.jewels) jewels.add(ids[j] ?? '');
      const entry = {
        rank: out.length + 1,
        pattern,
        patternName: this.catalogue.patterns.get(pattern)?.name ?? pattern,
        element: ids[s.element] ?? '',
        kind: this.resolved.kindOf(s.element),
        threats: s.threats,
        chains: chainRanks,
        crownJewels: [...jewels].sort(compareStrings),
        reduction: graph.patternReduction[s.pattern] ?? 1,
        likelihoodRemoved: round6(s.likelihoodRemoved),
        alternatives: [] as string[],
      };
      byCoverage.set(key, entry);
      out.push(entry);
    }
    return out;
  }

  entrySources(): { id: string; kind: string; layer: LayerId; reason: string }[] {
    const out: { id: string; kind: string; layer: LayerId; reason: string }[] = [];
    for (const v of this.graph.entrySources) out.push({ id: this.ids[v] ?? '', kind: this.resolved.kindOf(v), layer: this.resolved.layerOf(v), reason: this.graph.entryReasons[v] ?? '' });
    return out;
  }

  crownJewels(): { id: string; kind: string; layer: LayerId; reasons: string[] }[] {
    const out: { id: string; kind: string; layer: LayerId; reasons: string[] }[] = [];
    for (let i = 0; i < this.n; i++) {
      const reasons = this.graph.jewelReasons[i];
      if (reasons) out.push({ id: this.ids[i] ?? '', kind: this.resolved.kindOf(i), layer: this.resolved.layerOf(i), reasons: [...reasons] });
    }
    return out;
  }
}

export function analyseCrossLayer(resolved: ResolvedModel, catalogue: Catalogue, options: CrossLayerOptions = {}): CrossLayerResult {
  const g = resolved.graph;
  const n = g.size;
  const graph = buildPropagation(resolved, catalogue);
  const h = bestCompletion(graph);
  const { chains, stats } = findChains(graph, options, h);
  const chainCount = chainCounts(graph, chains);
  const chainMax = chainMaxOf(n, graph, chains);
  const chainExposure = exposureOf(n, graph, h, bestFromEntries(graph));
  const blast = blastRadius(graph, g.layers, jewelElementsOf(n, graph), options);
  const dom = dominators(graph);
  const dominated = dominatedOf(n, dom);
  const suggestions = suggestControls(graph, chains, g.ids);

  const views = new ViewBuilder(resolved, catalogue, graph, blast, options.cascadeLimit ?? 200);
  const blastList = views.blastList();
  const blastTop = options.blastTop === undefined ? blastList.length : Math.max(0, Math.floor(options.blastTop));
  const cascadeTop = Math.max(0, Math.floor(options.cascadeTop ?? 5));
  const chokeTop = Math.max(0, Math.floor(options.chokeTop ?? 20));
  const jewelLimit = Math.max(0, Math.floor(options.jewelListLimit ?? 50));
  const suggestionTop = Math.max(0, Math.floor(options.suggestionTop ?? 10));
  const crownJewels = views.crownJewels();

  const view: CrossLayerView = {
    entrySources: views.entrySources(),
    crownJewels,
    chains: views.chainViews(chains),
    chainStats: { ...stats, cutBy: [...stats.cutBy] },
    blast: views.blastViews(blastList, blastTop),
    cascades: views.cascades(blastList, cascadeTop),
    chokePoints: { crossings: views.crossings(chains, chainCount, chokeTop, jewelLimit), dominators: views.dominatorViews(dom, dominated, chokeTop, jewelLimit) },
    suggestions: views.suggestionViews(suggestions, suggestionTop),
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
    cascade: (element: number, limit?: number): CascadeView => views.cascade(element, limit),
    view,
  };
}
