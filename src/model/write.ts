/**
 * Write a model back to text without losing what the user wrote: comments, key order, formatting and
 * unknown fields. Edits are applied to the parsed document (YAML) or as text edits (JSON), never by
 * re-serialising the plain data. An unedited model writes back byte for byte.
 */
import { parseDocument, isScalar, type Document } from 'yaml';
import { modify, applyEdits } from 'jsonc-parser';
import type { ParsedSource, SourceFormat } from './parse.js';

export type ModelPath = readonly (string | number)[];

export interface ModelEditor {
  readonly format: SourceFormat;
  /** Set a value (creating maps along the way). */
  set(path: ModelPath, value: unknown): void;
  /** Remove a key or list item. */
  remove(path: ModelPath): void;
  /** Append an item to a list (creating the list when missing). */
  append(path: ModelPath, value: unknown): void;
  /** true once an edit was made. */
  readonly changed: boolean;
  /** The text: the original bytes when nothing changed. */
  toString(): string;
}

const YAML_OPTIONS = { schema: 'core', resolveKnownTags: false, uniqueKeys: true, merge: false, keepSourceTokens: false } as const;

/** An editor over a loaded source. The source itself is not modified. */
export function editModel(source: Pick<ParsedSource, 'format' | 'text'>): ModelEditor {
  return source.format === 'json' ? jsonEditor(source.text) : yamlEditor(source.text);
}

/** Serialise a loaded source back to text (identical to the input when unedited). */
export function writeModel(source: Pick<ParsedSource, 'format' | 'text'>): string {
  return editModel(source).toString();
}

function yamlEditor(text: string): ModelEditor {
  let doc: Document.Parsed | undefined;
  let changed = false;
  const get = (): Document.Parsed => (doc ??= parseDocument(text, YAML_OPTIONS));
  return {
    format: 'yaml',
    get changed() {
      return changed;
    },
    set(path, value) {
      const d = get();
      const existing: unknown = d.getIn(path, true);
      if (isScalar(existing) && (value === null || ['string', 'number', 'boolean'].includes(typeof value))) {
        existing.value = value; // keeps the node's comments and style
      } else {
        d.setIn(path, d.createNode(value));
      }
      changed = true;
    },
    remove(path) {
      get().deleteIn(path);
      changed = true;
    },
    append(path, value) {
      const d = get();
      const list: unknown = d.getIn(path, true);
      if (list && typeof list === 'object' && 'items' in list && Array.isArray((list as { items: unknown[] }).items)) {
        (list as { items: unknown[] }).items.push(d.createNode(value));
      } else {
        d.setIn(path, d.createNode([value]));
      }
      changed = true;
    },
    toString() {
      return changed && doc ? doc.toString({ lineWidth: 0 }) : text;
    },
  };
}

function jsonEditor(initial: string): ModelEditor {
  let text = initial;
  let changed = false;
  const indent = /\n( +|\t)"/.exec(initial)?.[1] ?? '  ';
  const fmt = { formattingOptions: { insertSpaces: !indent.startsWith('\t'), tabSize: indent.startsWith('\t') ? 1 : indent.length, eol: '\n' } };
  return {
    format: 'json',
    get changed() {
      return changed;
    },
    set(path, value) {
      text = applyEdits(text, modify(text, [...path], value, fmt));
      changed = true;
    },
    remove(path) {
      text = applyEdits(text, modify(text, [...path], undefined, fmt));
      changed = true;
    },
    append(path, value) {
      text = applyEdits(text, modify(text, [...path, -1], value, { ...fmt, isArrayInsertion: true }));
      changed = true;
    },
    toString() {
      return text;
    },
  };
}
