/**
 * Third-party files (JSON with comments, YAML) → a small tree that keeps every value's line, column
 * and JSON pointer. Importers walk this tree instead of plain data, so each warning and each imported
 * element can name the exact place in the file it came from.
 *
 * Safety: nesting depth is checked before any parser runs; YAML aliases are never expanded (an alias
 * becomes a warning and a null); tags are not resolved; objects are lists of entries, never plain
 * objects keyed by third-party text, so keys such as __proto__ are inert. Never throws.
 */
import { LineCounter, parseDocument, isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { diag, quote, toPointer, type Diagnostic } from '../model/diagnostics.js';
import { checkNestingDepth, LineIndex } from '../model/parse.js';
import type { ImportFileReport } from './types.js';

export interface Pos {
  readonly line: number;
  readonly column: number;
}

interface PBase {
  readonly pos: Pos;
  /** JSON pointer of this value in the file. */
  readonly pointer: string;
}
export interface PObject extends PBase {
  readonly t: 'object';
  readonly entries: PEntry[];
}
export interface PEntry {
  readonly key: string;
  readonly keyPos: Pos;
  readonly value: PNode;
}
export interface PArray extends PBase {
  readonly t: 'array';
  readonly items: PNode[];
}
export interface PScalar extends PBase {
  readonly t: 'string' | 'number' | 'boolean' | 'null';
  readonly value: string | number | boolean | null;
}
export type PNode = PObject | PArray | PScalar;

export interface SourceLimits {
  /** Deepest nesting accepted. */
  readonly maxDepth: number;
  /** Most values (maps, lists, scalars) in one file. */
  readonly maxNodes: number;
}

export const SOURCE_LIMITS: SourceLimits = { maxDepth: 64, maxNodes: 1_000_000 };

export interface ParsedTree {
  readonly format: 'json' | 'yaml';
  readonly root: PNode;
}

/**
 * One input file of an importer parsed as a tree (YAML by its extension, else JSON), its diagnostics
 * added to `diagnostics`; on a syntax error the file is reported refused and undefined returned.
 */
export function parseInputTree(text: string, file: string, diagnostics: Diagnostic[], files: ImportFileReport[]): PNode | undefined {
  const parsed = parseTreeText(text, file, /\.ya?ml$/i.test(file) ? 'yaml' : 'json');
  diagnostics.push(...parsed.diagnostics);
  if (!parsed.tree || parsed.diagnostics.some((d) => d.severity === 'error')) {
    files.push({ file, status: 'refused', elements: 0 });
    return undefined;
  }
  return parsed.tree.root;
}

/** Parse JSON (comments and trailing commas allowed, as editors write them) or YAML. */
export function parseTreeText(text: string, file: string, format: 'json' | 'yaml', limits: SourceLimits = SOURCE_LIMITS): { tree?: ParsedTree; diagnostics: Diagnostic[] } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const withFile = (ds: Diagnostic[]) => ds.map((d) => ({ ...d, file }));
  if (body.trim() === '') return { diagnostics: withFile([diag('E_IMPORT_EMPTY', 'the file is empty', { hint: 'name a configuration file with content', line: 1, column: 1 })]) };
  const nul = body.indexOf('\u0000');
  if (nul >= 0) return { diagnostics: withFile([diag('E_ENCODING', 'NUL character in the text', { hint: 'this looks like a binary file, not a configuration', ...new LineIndex(body).pos(nul) })]) };
  try {
    const depth = checkNestingDepth(body, format, limits.maxDepth);
    if (depth) return { diagnostics: withFile([depth]) };
    const r = format === 'json' ? fromJson(body, limits) : fromYaml(body, limits);
    return { ...(r.root ? { tree: { format, root: r.root } } : {}), diagnostics: withFile(r.diagnostics) };
  } catch (err) {
    // Anything a parser throws (a RangeError from deep recursion included) is a diagnostic, never a crash.
    const name = err instanceof Error ? err.name : 'Error';
    return { diagnostics: withFile([diag('E_PARSE_FAILED', `the ${format.toUpperCase()} parser failed (${name})`, { hint: 'the file is malformed or adversarial', line: 1, column: 1 })]) };
  }
}

function nodeLimit(limits: SourceLimits): Diagnostic {
  return diag('E_LIMIT_NODES', `the file holds more than the limit of ${limits.maxNodes} values`, { hint: 'a configuration never needs this many values; is this the right file?', line: 1, column: 1 });
}

// ---------------------------------------------------------------------------------------------------------------------
// JSON with comments

function fromJson(text: string, limits: SourceLimits): { root?: PNode; diagnostics: Diagnostic[] } {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  const lines = new LineIndex(text);
  if (errors.length > 0 || !tree) {
    const shown = errors.slice(0, 3).map((e) =>
      diag('E_IMPORT_SYNTAX', `not valid JSON: ${printParseErrorCode(e.error)}`, {
        hint: 'fix the JSON at this position (comments and trailing commas are accepted)',
        ...lines.pos(e.offset),
      }),
    );
    return { diagnostics: shown.length ? shown : [diag('E_IMPORT_SYNTAX', 'not valid JSON', { hint: 'fix the JSON', line: 1, column: 1 })] };
  }
  const diagnostics: Diagnostic[] = [];
  let count = 0;
  const convert = (n: JsonNode, pointer: string): PNode => {
    const pos = lines.pos(n.offset);
    switch (n.type) {
      case 'object':
        return { t: 'object', entries: [], pos, pointer };
      case 'array':
        return { t: 'array', items: [], pos, pointer };
      case 'string':
        return { t: 'string', value: String(n.value), pos, pointer };
      case 'number':
        return { t: 'number', value: Number(n.value), pos, pointer };
      case 'boolean':
        return { t: 'boolean', value: n.value === true, pos, pointer };
      default:
        return { t: 'null', value: null, pos, pointer };
    }
  };
  const root = convert(tree, '');
  // Iterative fill: each frame pairs a jsonc node with the tree node built for it.
  const stack: { src: JsonNode; dst: PNode }[] = [{ src: tree, dst: root }];
  while (stack.length > 0) {
    const top = stack.pop();
    if (!top) break;
    if (++count > limits.maxNodes) return { diagnostics: [nodeLimit(limits)] };
    const { src, dst } = top;
    if (dst.t === 'object') {
      const seen = new Map<string, number>();
      for (const prop of src.children ?? []) {
        const [k, v] = prop.children ?? [];
        if (!k || !v) continue;
        const key = String(k.value);
        const child = convert(v, `${dst.pointer}${toPointer([key])}`);
        const entry: PEntry = { key, keyPos: lines.pos(k.offset), value: child };
        const prev = seen.get(key);
        if (prev !== undefined) {
          const first = dst.entries[prev];
          diagnostics.push(
            diag('W_IMPORT_DUPLICATE_KEY', `duplicate key ${quote(key)}${first ? ` (first at line ${first.keyPos.line})` : ''}: the last one is used, as JSON readers do`, {
              hint: 'remove one of them',
              ...entry.keyPos,
              pointer: child.pointer,
            }),
          );
          dst.entries[prev] = entry;
        } else {
          seen.set(key, dst.entries.length);
          dst.entries.push(entry);
        }
        stack.push({ src: v, dst: child });
      }
    } else if (dst.t === 'array') {
      (src.children ?? []).forEach((c, i) => {
        const child = convert(c, `${dst.pointer}/${i}`);
        dst.items.push(child);
        stack.push({ src: c, dst: child });
      });
    }
  }
  return { root, diagnostics };
}

// ---------------------------------------------------------------------------------------------------------------------
// YAML

const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

function fromYaml(text: string, limits: SourceLimits): { root?: PNode; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    schema: 'core',
    resolveKnownTags: false,
    customTags: [],
    uniqueKeys: false,
    merge: false,
    prettyErrors: false,
    keepSourceTokens: false,
    strict: true,
    logLevel: 'silent',
  });
  const at = (offset: number | undefined): Pos => {
    const lp = lineCounter.linePos(offset ?? 0);
    return { line: lp.line, column: lp.col };
  };
  if (doc.errors.length > 0) {
    return {
      diagnostics: doc.errors.slice(0, 3).map((e) => diag('E_IMPORT_SYNTAX', `not valid YAML: ${e.message.split('\n')[0] ?? ''}`, { hint: 'fix the YAML at this position', ...at(e.pos[0]) })),
    };
  }
  const diagnostics: Diagnostic[] = [];
  const offsetOf = (n: unknown): number | undefined => (n as { range?: number[] } | null)?.range?.[0];
  const convert = (n: unknown, pointer: string): PNode => {
    const pos = at(offsetOf(n));
    const tag = (n as { tag?: string } | null)?.tag;
    if (tag !== undefined && tag !== '' && !CORE_TAGS.has(tag)) {
      diagnostics.push(diag('W_IMPORT_TAG', `the YAML tag ${quote(tag)} is ignored; the value is read as plain text`, { hint: 'tags are never resolved in imported files', ...pos, pointer }));
    }
    if (isAlias(n)) {
      diagnostics.push(diag('W_IMPORT_ALIAS', `the YAML alias *${n.source} is not expanded in imported files; read as empty`, { hint: 'write the value out in full', ...pos, pointer }));
      return { t: 'null', value: null, pos, pointer };
    }
    if (isMap(n)) return { t: 'object', entries: [], pos, pointer };
    if (isSeq(n)) return { t: 'array', items: [], pos, pointer };
    if (isScalar(n)) {
      const v: unknown = n.value;
      if (typeof v === 'string') return { t: 'string', value: v, pos, pointer };
      if (typeof v === 'number') return Number.isFinite(v) ? { t: 'number', value: v, pos, pointer } : { t: 'string', value: String(v), pos, pointer };
      if (typeof v === 'boolean') return { t: 'boolean', value: v, pos, pointer };
      if (typeof v === 'bigint') return { t: 'string', value: v.toString(), pos, pointer };
      return { t: 'null', value: null, pos, pointer };
    }
    return { t: 'null', value: null, pos, pointer };
  };
  if (doc.contents === null) return { diagnostics: [diag('E_IMPORT_EMPTY', 'the file holds no YAML document', { hint: 'name a configuration file with content', line: 1, column: 1 })] };
  const root = convert(doc.contents, '');
  const stack: { src: unknown; dst: PNode }[] = [{ src: doc.contents, dst: root }];
  let count = 0;
  while (stack.length > 0) {
    const top = stack.pop();
    if (!top) break;
    if (++count > limits.maxNodes) return { diagnostics: [nodeLimit(limits)] };
    const { src, dst } = top;
    if (dst.t === 'object' && isMap(src)) {
      const seen = new Map<string, number>();
      for (const pair of src.items) {
        if (!isPair(pair)) continue;
        const k: unknown = pair.key;
        if (!isScalar(k) || (typeof k.value !== 'string' && typeof k.value !== 'number' && typeof k.value !== 'boolean')) {
          diagnostics.push(diag('W_IMPORT_KEY', 'a mapping key that is not plain text is skipped', { hint: 'use text keys', ...at(offsetOf(k)), pointer: dst.pointer }));
          continue;
        }
        const key = String(k.value);
        const child = convert(pair.value, `${dst.pointer}${toPointer([key])}`);
        const entry: PEntry = { key, keyPos: at(offsetOf(k)), value: child };
        const prev = seen.get(key);
        if (prev !== undefined) {
          diagnostics.push(diag('W_IMPORT_DUPLICATE_KEY', `duplicate key ${quote(key)}: the last one is used`, { hint: 'remove one of them', ...entry.keyPos, pointer: child.pointer }));
          dst.entries[prev] = entry;
        } else {
          seen.set(key, dst.entries.length);
          dst.entries.push(entry);
        }
        if (pair.value !== null && pair.value !== undefined) stack.push({ src: pair.value, dst: child });
      }
    } else if (dst.t === 'array' && isSeq(src)) {
      src.items.forEach((item, i) => {
        const child = convert(item, `${dst.pointer}/${i}`);
        dst.items.push(child);
        stack.push({ src: item, dst: child });
      });
    }
  }
  return { root, diagnostics };
}

// ---------------------------------------------------------------------------------------------------------------------
// Reading helpers for importers

export function entry(o: PNode | undefined, key: string): PEntry | undefined {
  return o?.t === 'object' ? o.entries.find((e) => e.key === key) : undefined;
}

export function child(o: PNode | undefined, key: string): PNode | undefined {
  return entry(o, key)?.value;
}

export function str(n: PNode | undefined): string | undefined {
  return n?.t === 'string' && typeof n.value === 'string' ? n.value : undefined;
}

/** A scalar as text (numbers and booleans too), else undefined. */
export function text(n: PNode | undefined): string | undefined {
  if (n === undefined || n.t === 'object' || n.t === 'array' || n.t === 'null') return undefined;
  return String(n.value);
}

/** The scalar value of a node (undefined for maps, lists and absent nodes). */
export function scalar(n: PNode | undefined): string | number | boolean | null | undefined {
  return n === undefined || n.t === 'object' || n.t === 'array' ? undefined : n.value;
}

export function describeNode(n: PNode | undefined): string {
  if (n === undefined) return 'nothing';
  switch (n.t) {
    case 'object':
      return 'a mapping';
    case 'array':
      return 'a list';
    case 'null':
      return 'null';
    case 'string':
      return `the text ${quote(n.value, 40)}`;
    default:
      return `${n.t} ${String(n.value)}`;
  }
}
