/**
 * The elements of a loaded model in file order, with where each one sits (section, index, JSON
 * pointer), its kind and its MAESTRO layer. Used by reporters that locate or list elements.
 */
import { KIND_TABLE, inferLayer, subtypeFieldOf, type ElementKind } from '../../model/kinds.js';
import type { LayerId } from '../../model/layers.js';
import { isRecord } from '../../model/references.js';
import type { ModelFile } from '../../model/schema.js';

export interface ElementEntry {
  readonly id: string;
  readonly kind: ElementKind;
  readonly layer: LayerId;
  readonly section: string;
  readonly index: number;
  /** JSON pointer of the element in the model, e.g. /agents/2. */
  readonly pointer: string;
  /** The element as written. */
  readonly spec: Readonly<Record<string, unknown>>;
}

/** Every element with a string id, sections in kind-table order, elements in document order; the first of duplicate ids wins. */
export function listElements(model: ModelFile): ElementEntry[] {
  const data = model as unknown as Record<string, unknown>;
  const out: ElementEntry[] = [];
  const seen = new Set<string>();
  for (const row of KIND_TABLE) {
    const list = Object.hasOwn(data, row.section) ? data[row.section] : undefined;
    if (!Array.isArray(list)) continue;
    const kind = row.kind as ElementKind;
    const subField = subtypeFieldOf(kind);
    for (let i = 0; i < list.length; i++) {
      const spec: unknown = list[i];
      if (!isRecord(spec) || typeof spec['id'] !== 'string' || seen.has(spec['id'])) continue;
      seen.add(spec['id']);
      const sub = spec[subField];
      const layerOverride = spec['layer'];
      out.push({
        id: spec['id'],
        kind,
        layer: inferLayer(kind, typeof sub === 'string' ? sub : undefined, typeof layerOverride === 'string' ? (layerOverride as LayerId) : undefined),
        section: row.section,
        index: i,
        pointer: `/${row.section}/${i}`,
        spec,
      });
    }
  }
  return out;
}

/**
 * The JSON pointer a finding is best located at: its first evidence pointer, else the pointer of
 * the element it is about, else '' (the whole file).
 */
export function primaryPointer(evidence: readonly { readonly pointer: string }[], element: string, pointers: ReadonlyMap<string, string>): string {
  for (const e of evidence) if (e.pointer !== '') return e.pointer;
  return pointers.get(element) ?? '';
}

/** Element id → JSON pointer. */
export function pointerIndex(model: ModelFile): Map<string, string> {
  return new Map(listElements(model).map((e) => [e.id, e.pointer]));
}
