/**
 * Write a model back to text without losing what the user wrote: comments, key order, formatting and
 * unknown fields. Edits are applied to the parsed document (YAML) or as text edits (JSON), never by
 * re-serialising the plain data. An unedited model writes back byte for byte.
 */
import { Composer, CST, Parser, parseDocument, stringify, isScalar, type Document, type Scalar } from 'yaml';
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

const YAML_OPTIONS = { schema: 'core', resolveKnownTags: false, uniqueKeys: true, merge: false, keepSourceTokens: true } as const;

/** An editor over a loaded source. The source itself is not modified. */
export function editModel(source: Pick<ParsedSource, 'format' | 'text'>): ModelEditor {
  return source.format === 'json' ? jsonEditor(source.text) : yamlEditor(source.text);
}

/** Serialise a loaded source back to text (identical to the input when unedited). */
export function writeModel(source: Pick<ParsedSource, 'format' | 'text'>): string {
  return editModel(source).toString();
}

/**
 * YAML edits. Two ways to write back, chosen at toString():
 * - only scalar values changed: the new values are written into the source tokens (yaml's CST), so
 *   every other byte (spacing, inline comment alignment, flow lists, folded text) stays as written;
 *   the result is re-read and checked, and the next way is used if a value would not read back;
 * - structural edits (new keys, list items, removals): the Document API, which keeps comments, order
 *   and unknown fields but re-renders the layout.
 */
function yamlEditor(text: string): ModelEditor {
  let doc: Document.Parsed | undefined;
  let tokens: CST.Token[] = [];
  let changed = false;
  let structural = false;
  const scalarEdits: { path: ModelPath; node: Scalar; value: unknown }[] = [];
  const get = (): Document.Parsed => {
    if (doc) return doc;
    tokens = [...new Parser().parse(text)];
    const docs = [...new Composer(YAML_OPTIONS).compose(tokens, true)];
    doc = docs.length === 1 && docs[0] ? docs[0] : parseDocument(text, YAML_OPTIONS);
    if (docs.length !== 1) structural = true; // no single document to patch token by token
    return doc;
  };
  const viaDocument = (): string => (doc ? doc.toString({ lineWidth: 0, flowCollectionPadding: false }) : text);
  const viaTokens = (): string | undefined => {
    for (const e of scalarEdits) {
      const tok = e.node.srcToken;
      if (!tok || !CST.isScalar(tok)) return undefined;
      const v = e.value;
      const str = v === null ? 'null' : typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
      if (str === undefined) return undefined;
      // Strings keep the token's quoting style; a plain style that would read back as another type is quoted.
      const plainIsSafe = typeof v !== 'string' || stringify(v, { schema: 'core', lineWidth: 0 }).trimEnd() === v;
      CST.setScalarValue(tok, str, tok.type === 'scalar' && !plainIsSafe ? { type: 'QUOTE_DOUBLE' } : {});
    }
    const out = tokens.map((t) => CST.stringify(t)).join('');
    const check = parseDocument(out, { ...YAML_OPTIONS, keepSourceTokens: false });
    if (check.errors.length > 0) return undefined;
    for (const e of scalarEdits) if (!Object.is(check.getIn(e.path), e.value)) return undefined;
    return out;
  };
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
        scalarEdits.push({ path: [...path], node: existing, value });
      } else {
        d.setIn(path, d.createNode(value));
        structural = true;
      }
      changed = true;
    },
    remove(path) {
      get().deleteIn(path);
      structural = true;
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
      structural = true;
      changed = true;
    },
    toString() {
      if (!changed || !doc) return text;
      if (!structural) {
        const out = viaTokens();
        if (out !== undefined) return out;
      }
      return viaDocument();
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
