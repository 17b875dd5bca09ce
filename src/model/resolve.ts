/**
 * Resolve a loaded model into the graph the analysis runs on: elements are numbers 0..n-1, edges live
 * in typed arrays (compressed sparse rows, both directions), and string ids appear only at the edges
 * of the system (`ids[i]`, `indexOf(id)`). Pure, iterative, linear in the size of the model.
 */
import { ELEMENT_KINDS, KIND_TABLE, inferLayer, subtypeFieldOf, type ElementKind } from './kinds.js';
import { LAYER_IDS, type LayerId } from './layers.js';
import { EDGE_TYPES, EDGE_TYPE_INDEX, REFERENCE_RULES, forEachReference, isRecord, type EdgeType, type RefRule } from './references.js';
import type { ModelFile } from './schema.js';

export const KIND_INDEX: Readonly<Record<ElementKind, number>> = Object.fromEntries(ELEMENT_KINDS.map((k, i) => [k, i])) as Record<
  ElementKind,
  number
>;

export interface ModelGraph {
  /** Number of elements. */
  readonly size: number;
  /** Element id by index. */
  readonly ids: readonly string[];
  /** Element kind index (into ELEMENT_KINDS) by element index. */
  readonly kinds: Uint8Array;
  /** Layer index (0 = L1 … 6 = L7) by element index. */
  readonly layers: Uint8Array;
  /** Index of the element's trust boundary, or -1. */
  readonly boundary: Int32Array;
  /** Index of the element's deployment, or -1. */
  readonly deployment: Int32Array;
  /** Index of the parent boundary/deployment (for boundaries and deployments), or -1. */
  readonly parent: Int32Array;
  /** The element as written in the model (read-only), by index. */
  readonly specs: readonly Readonly<Record<string, unknown>>[];
  /** Where each element is in the file: section and position in it. */
  readonly sections: readonly string[];
  readonly sectionIndex: Int32Array;

  readonly edgeCount: number;
  readonly edgeSrc: Int32Array;
  readonly edgeDst: Int32Array;
  /** Edge type index into EDGE_TYPES. */
  readonly edgeType: Uint8Array;
  /** For channel edges, the index of the channel element; else -1. */
  readonly edgeVia: Int32Array;
  /** Out-edges of element i are outEdges[outOffsets[i] .. outOffsets[i+1]) (edge indexes). */
  readonly outOffsets: Int32Array;
  readonly outEdges: Int32Array;
  readonly inOffsets: Int32Array;
  readonly inEdges: Int32Array;
}

export interface ResolvedModel {
  readonly model: ModelFile;
  readonly graph: ModelGraph;
  /** Element index by id. */
  indexOf(id: string): number;
  kindOf(index: number): ElementKind;
  layerOf(index: number): LayerId;
  /** Element indexes of one kind, in document order. */
  ofKind(kind: ElementKind): Int32Array;
}

const CHANNEL_KIND = ELEMENT_KINDS.indexOf('channel');
const CHANNEL_EDGE = EDGE_TYPE_INDEX.channel;

/**
 * One reference rule compiled for the resolver: the keys before the rule's '*' (head), whether there is
 * one, and the keys after it (tail, with '#ref' for a tool grant's id). `slot` marks the single-key
 * rules that also set boundary (1), deployment (2) or parent (3). Paths with more than one '*' (none
 * today) fall back to forEachReference.
 */
interface RefProgram {
  readonly rule: RefRule;
  readonly edge: number;
  readonly reverse: boolean;
  readonly head: readonly string[];
  readonly star: boolean;
  readonly tail: readonly string[];
  readonly slot: number;
  readonly fallback: boolean;
}

let programCache: (readonly RefProgram[])[] | undefined;

function referencePrograms(): (readonly RefProgram[])[] {
  if (programCache) return programCache;
  programCache = ELEMENT_KINDS.map((kind) =>
    REFERENCE_RULES[kind]
      .filter((rule) => rule.edge !== 'channel') // channel edges come from `from`/`to`, once per channel
      .map((rule) => {
        const p = rule.path;
        const stars = p.filter((x) => x === '*').length;
        const at = p.indexOf('*');
        const head = at < 0 ? [...p] : p.slice(0, at);
        const tail = at < 0 ? [] : p.slice(at + 1);
        const single = p.length === 1 ? p[0] : undefined;
        const fallback = stars > 1 || head.includes('#ref') || head.length === 0;
        return {
          rule,
          edge: EDGE_TYPE_INDEX[rule.edge],
          reverse: rule.reverse === true,
          head,
          star: at >= 0,
          tail,
          slot: single === 'boundary' ? 1 : single === 'deployment' ? 2 : single === 'parent' ? 3 : 0,
          fallback,
        };
      }),
  );
  return programCache;
}

/** Build the integer-indexed graph. The model should have loaded without errors; dangling references are skipped. */
export function resolveModel(model: ModelFile): ResolvedModel {
  const data = model as unknown as Record<string, unknown>;
  // 1. Number the elements: sections in kind-table order, elements in document order.
  const ids: string[] = [];
  const specs: Readonly<Record<string, unknown>>[] = [];
  const kindList: number[] = [];
  const layerList: number[] = [];
  const sections: string[] = [];
  const sectionIdx: number[] = [];
  const index = new Map<string, number>();
  for (const row of KIND_TABLE) {
    const list = data[row.section];
    if (!Array.isArray(list)) continue;
    const kind = row.kind as ElementKind;
    const kindIndex = KIND_INDEX[kind];
    const subtypeField = subtypeFieldOf(kind);
    const defaultLayer = LAYER_IDS.indexOf(inferLayer(kind));
    for (let i = 0; i < list.length; i++) {
      const el: unknown = list[i];
      if (!isRecord(el) || typeof el['id'] !== 'string' || index.has(el['id'])) continue;
      const n = ids.length;
      index.set(el['id'], n);
      ids.push(el['id']);
      specs.push(el);
      kindList.push(kindIndex);
      const sub = el[subtypeField];
      const layer = el['layer'];
      const override = typeof layer === 'string' && (LAYER_IDS as readonly string[]).includes(layer) ? (layer as LayerId) : undefined;
      // Most elements name neither a subtype nor a layer: their kind's layer, computed once per section.
      layerList.push(override === undefined && typeof sub !== 'string' ? defaultLayer : LAYER_IDS.indexOf(inferLayer(kind, typeof sub === 'string' ? sub : undefined, override)));
      sections.push(row.section);
      sectionIdx.push(i);
    }
  }
  const size = ids.length;
  const boundary = new Int32Array(size).fill(-1);
  const deployment = new Int32Array(size).fill(-1);
  const parent = new Int32Array(size).fill(-1);

  // 2. Collect edges in growable typed buffers.
  let cap = Math.max(16, size * 4);
  let src = new Int32Array(cap);
  let dst = new Int32Array(cap);
  let typ = new Uint8Array(cap);
  let via = new Int32Array(cap);
  let m = 0;
  const push = (s: number, d: number, t: number, v: number) => {
    if (m === cap) {
      cap *= 2;
      const s2 = new Int32Array(cap);
      s2.set(src);
      src = s2;
      const d2 = new Int32Array(cap);
      d2.set(dst);
      dst = d2;
      const t2 = new Uint8Array(cap);
      t2.set(typ);
      typ = t2;
      const v2 = new Int32Array(cap);
      v2.set(via);
      via = v2;
    }
    src[m] = s;
    dst[m] = d;
    typ[m] = t;
    via[m] = v;
    m++;
  };

  const programs = referencePrograms();
  for (let i = 0; i < size; i++) {
    const kindIndex = kindList[i] ?? 0;
    const spec = specs[i] ?? {};
    if (kindIndex === CHANNEL_KIND) {
      const f = typeof spec['from'] === 'string' ? (index.get(spec['from']) ?? -1) : -1;
      const t = typeof spec['to'] === 'string' ? (index.get(spec['to']) ?? -1) : -1;
      if (f >= 0 && t >= 0 && f !== t) {
        push(f, t, CHANNEL_EDGE, i);
        if (spec['direction'] === 'bidirectional') push(t, f, CHANNEL_EDGE, i);
      }
    }
    // The reference rules of the kind, as compiled walks (same values, same order as forEachReference).
    for (const prog of programs[kindIndex] ?? []) {
      if (prog.fallback) {
        forEachReference(ELEMENT_KINDS[kindIndex] as ElementKind, spec, (ref) => {
          if (ref.rule !== prog.rule) return;
          const target = index.get(ref.id);
          if (target === undefined || target === i) return;
          if (prog.reverse) push(target, i, prog.edge, -1);
          else push(i, target, prog.edge, -1);
        });
        continue;
      }
      let v: unknown = spec;
      for (const key of prog.head) {
        if (!isRecord(v) || !Object.hasOwn(v, key)) {
          v = undefined;
          break;
        }
        v = v[key];
      }
      if (!prog.star) {
        if (typeof v !== 'string') continue;
        const target = index.get(v);
        if (target === undefined || target === i) continue;
        if (prog.reverse) push(target, i, prog.edge, -1);
        else push(i, target, prog.edge, -1);
        if (prog.slot === 1) boundary[i] = target;
        else if (prog.slot === 2) deployment[i] = target;
        else if (prog.slot === 3) parent[i] = target;
        continue;
      }
      if (!Array.isArray(v)) continue;
      const list = v as unknown[];
      for (let k = 0; k < list.length; k++) {
        let x: unknown = list[k];
        for (const seg of prog.tail) {
          if (seg === '#ref') {
            if (typeof x === 'string') continue;
            x = isRecord(x) && Object.hasOwn(x, 'ref') ? x['ref'] : undefined;
          } else x = isRecord(x) && Object.hasOwn(x, seg) ? x[seg] : undefined;
          if (x === undefined) break;
        }
        if (typeof x !== 'string') continue;
        const target = index.get(x);
        if (target === undefined || target === i) continue;
        if (prog.reverse) push(target, i, prog.edge, -1);
        else push(i, target, prog.edge, -1);
      }
    }
  }

  // 3. Compressed sparse rows, out and in, by stable counting sort (edge order is preserved per row).
  const edgeSrc = src.slice(0, m);
  const edgeDst = dst.slice(0, m);
  const edgeType = typ.slice(0, m);
  const edgeVia = via.slice(0, m);
  const [outOffsets, outEdges] = csr(size, edgeSrc, m);
  const [inOffsets, inEdges] = csr(size, edgeDst, m);

  const kinds = Uint8Array.from(kindList);
  const layers = Uint8Array.from(layerList);
  const graph: ModelGraph = {
    size,
    ids,
    kinds,
    layers,
    boundary,
    deployment,
    parent,
    specs,
    sections,
    sectionIndex: Int32Array.from(sectionIdx),
    edgeCount: m,
    edgeSrc,
    edgeDst,
    edgeType,
    edgeVia,
    outOffsets,
    outEdges,
    inOffsets,
    inEdges,
  };
  const byKind = new Map<ElementKind, Int32Array>();
  return {
    model,
    graph,
    indexOf: (id) => index.get(id) ?? -1,
    kindOf: (i) => ELEMENT_KINDS[kinds[i] ?? 0] as ElementKind,
    layerOf: (i) => LAYER_IDS[layers[i] ?? 0] as LayerId,
    ofKind: (kind) => {
      let arr = byKind.get(kind);
      if (!arr) {
        const k = KIND_INDEX[kind];
        const list: number[] = [];
        for (let i = 0; i < size; i++) if (kinds[i] === k) list.push(i);
        arr = Int32Array.from(list);
        byKind.set(kind, arr);
      }
      return arr;
    },
  };
}

function csr(n: number, key: Int32Array, m: number): [Int32Array, Int32Array] {
  const offsets = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) {
    const k = (key[e] ?? 0) + 1;
    offsets[k] = (offsets[k] ?? 0) + 1;
  }
  for (let i = 0; i < n; i++) offsets[i + 1] = (offsets[i + 1] ?? 0) + (offsets[i] ?? 0);
  const fill = offsets.slice(0, n);
  const edges = new Int32Array(m);
  for (let e = 0; e < m; e++) {
    const k = key[e] ?? 0;
    edges[fill[k] ?? 0] = e;
    fill[k] = (fill[k] ?? 0) + 1;
  }
  return [offsets, edges];
}

export { EDGE_TYPES };
export type { EdgeType };

/** Count of elements per MAESTRO layer (index 0 = L1). */
export function elementsPerLayer(graph: ModelGraph): number[] {
  const counts = new Array<number>(LAYER_IDS.length).fill(0);
  for (let i = 0; i < graph.size; i++) {
    const l = graph.layers[i] ?? 0;
    counts[l] = (counts[l] ?? 0) + 1;
  }
  return counts;
}
