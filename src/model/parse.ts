/**
 * Text -> plain data, for YAML and JSON, with source positions and hard limits. Pure: no file I/O.
 *
 * Safety, in order: byte limits and encoding (BOM, UTF-16, invalid UTF-8, NUL); nesting depth checked
 * before any recursive parser runs; YAML with the core schema only, no custom tags, unique keys,
 * a small alias budget; JSON with duplicate-key detection (JSON.parse would silently keep the last).
 * Every error becomes a Diagnostic with a position; nothing throws out of this module.
 */
import { LineCounter, parseDocument, isMap, isSeq, isPair, isScalar, isAlias, isNode, type Document, type Node as YamlNode, type Pair, type YAMLMap } from 'yaml';
import { visit as visitJson, parseTree, printParseErrorCode, type Node as JsonNode } from 'jsonc-parser';
import { diag, quote, type Diagnostic } from './diagnostics.js';

export type SourceFormat = 'yaml' | 'json';

export interface Limits {
  /** Largest input accepted, in bytes. */
  maxBytes: number;
  /** Deepest nesting of maps and lists. */
  maxDepth: number;
  /** YAML aliases allowed (each alias expansion counts). */
  maxAliasCount: number;
  /** Largest number of values (maps, lists, scalars) in one file. */
  maxNodes: number;
  /** Longest single string, in characters. */
  maxStringLength: number;
  /** Most elements across all sections. */
  maxElements: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxBytes: 10 * 1024 * 1024,
  maxDepth: 64,
  maxAliasCount: 100,
  maxNodes: 5_000_000,
  maxStringLength: 1_000_000,
  maxElements: 200_000,
});

/** Maps a path in the data back to a line and column in the text. */
export interface SourceMap {
  locate(path: readonly (string | number)[], target?: 'value' | 'key'): { line: number; column: number } | undefined;
}

export interface ParsedSource {
  readonly format: SourceFormat;
  /** The text after BOM removal. */
  readonly text: string;
  readonly data: unknown;
  readonly map: SourceMap;
  /** The YAML document, kept for comment-preserving write-back. */
  readonly yamlDocument?: Document.Parsed;
}

export interface ParseResult {
  readonly parsed?: ParsedSource;
  readonly diagnostics: Diagnostic[];
}

/** Line starts of a text, for offset -> line:column. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  pos(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.starts[lo] ?? 0) + 1 };
  }
}

/** Offset of the first byte that is not valid UTF-8, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    if (i + need >= n) return i;
    let cp = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** Decode bytes as UTF-8 with the checks of HOSTILE-INPUTS P11. */
export function decodeModelBytes(bytes: Uint8Array, limits: Limits = DEFAULT_LIMITS): { text?: string; diagnostics: Diagnostic[] } {
  if (bytes.length > limits.maxBytes) {
    return {
      diagnostics: [
        diag('E_LIMIT_SIZE', `file is ${bytes.length} bytes, more than the limit of ${limits.maxBytes} bytes`, {
          hint: 'split the model, or raise the limit with --max-bytes if the file is trusted',
          line: 1,
          column: 1,
        }),
      ],
    };
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return {
      diagnostics: [
        diag('E_ENCODING', 'file is UTF-16 encoded (it starts with a UTF-16 byte order mark); models must be UTF-8', {
          hint: 'convert it, for example: iconv -f UTF-16 -t UTF-8 in.yaml > out.yaml',
          line: 1,
          column: 1,
        }),
      ],
    };
  }
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  const body = start === 0 ? bytes : bytes.subarray(start);
  const bad = firstInvalidUtf8(body);
  if (bad >= 0) {
    const before = new TextDecoder('utf-8').decode(body.subarray(0, bad));
    const pos = new LineIndex(before).pos(before.length);
    return {
      diagnostics: [
        diag('E_ENCODING', `invalid UTF-8 at byte offset ${bad + start} (byte 0x${(body[bad] ?? 0).toString(16).padStart(2, '0')})`, {
          hint: 'save the file as UTF-8; the byte offset shows where the bad sequence starts',
          line: pos.line,
          column: pos.column,
        }),
      ],
    };
  }
  const text = new TextDecoder('utf-8').decode(body);
  return { text, diagnostics: [] };
}

/** Guess the format from the file name, else from the first significant character. */
export function detectFormat(file: string | undefined, text: string): SourceFormat {
  if (file && /\.json$/i.test(file)) return 'json';
  if (file && /\.ya?ml$/i.test(file)) return 'yaml';
  const m = /^\s*(\S)/.exec(text);
  return m && m[1] === '{' ? 'json' : 'yaml';
}

/** Parse model text. Never throws. */
export function parseSource(input: string, format: SourceFormat, limits: Limits = DEFAULT_LIMITS): ParseResult {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  if (text.length > limits.maxBytes) {
    return {
      diagnostics: [
        diag('E_LIMIT_SIZE', `input is ${text.length} characters, more than the limit of ${limits.maxBytes}`, {
          hint: 'split the model, or raise the limit with --max-bytes if the file is trusted',
          line: 1,
          column: 1,
        }),
      ],
    };
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const p = new LineIndex(text).pos(nul);
    return {
      diagnostics: [diag('E_ENCODING', 'NUL character in the text', { hint: 'a model is a text file; remove the NUL byte (is this a binary file?)', ...p })],
    };
  }
  try {
    if (format === 'json') {
      // One pass gives both the depth check and the colon count the JSON fast path needs.
      const scan = scanJson(text, limits.maxDepth);
      if (typeof scan !== 'number') return { diagnostics: [scan] };
      return parseJson(text, limits, scan);
    }
    const depthErr = checkNestingDepth(text, format, limits.maxDepth);
    if (depthErr) return { diagnostics: [depthErr] };
    return parseYaml(text, limits);
  } catch (err) {
    // P3: anything a parser throws (RangeError from deep recursion included) is turned into a diagnostic.
    const name = err instanceof Error ? err.name : 'Error';
    return {
      diagnostics: [
        diag('E_PARSE_FAILED', `the ${format.toUpperCase()} parser failed (${name})`, {
          hint: 'the file is probably malformed or adversarial; run with --debug for details',
          line: 1,
          column: 1,
        }),
      ],
    };
  }
}

/**
 * Cheap, iterative nesting-depth scan run before any parser: counts open brackets (JSON, YAML flow
 * style) and, for YAML, indentation-based block nesting. Rejects before a recursive parser could
 * overflow the stack.
 */
export function checkNestingDepth(text: string, format: SourceFormat, maxDepth: number): Diagnostic | undefined {
  let depth = 0;
  let inString: 0 | 34 | 39 = 0;
  let lineStart = true;
  let indent = 0;
  const indents: number[] = [];
  let inComment = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      lineStart = true;
      indent = 0;
      inComment = false;
      continue;
    }
    if (inComment) continue;
    if (inString) {
      if (inString === 34 && c === 92) {
        i++;
        continue;
      }
      if (c === inString) inString = 0;
      continue;
    }
    if (format === 'yaml' && lineStart) {
      if (c === 32) {
        indent++;
        continue;
      }
      lineStart = false;
      if (c !== 35 && c !== 13 && depth === 0) {
        // Block nesting by indentation: keep a stack of indents seen on content lines.
        while (indents.length > 0 && (indents[indents.length - 1] ?? 0) > indent) indents.pop();
        if (indents.length === 0 || (indents[indents.length - 1] ?? 0) < indent) indents.push(indent);
        // "- - - x" on one line nests too.
        let j = i;
        let dashes = 0;
        while (j + 1 < text.length && text.charCodeAt(j) === 45 && text.charCodeAt(j + 1) === 32) {
          dashes++;
          j += 2;
          while (j < text.length && text.charCodeAt(j) === 32) j++;
        }
        if (indents.length + dashes > maxDepth + 1) return depthError(text, i, maxDepth);
      }
    }
    if (format === 'yaml' && c === 35 && (i === 0 || text.charCodeAt(i - 1) === 32 || text.charCodeAt(i - 1) === 9)) {
      inComment = true;
      continue;
    }
    if (c === 34 || (c === 39 && format === 'yaml')) {
      const prev = i === 0 ? 10 : text.charCodeAt(i - 1);
      // A quote opens a string only where a scalar can start (so "it's" in plain text does not).
      if (format === 'json' || prev === 32 || prev === 9 || prev === 10 || prev === 91 || prev === 123 || prev === 44) {
        inString = c;
        continue;
      }
    }
    if (c === 123 || c === 91) {
      depth++;
      if (depth + indents.length > maxDepth + 1) return depthError(text, i, maxDepth);
    } else if ((c === 125 || c === 93) && depth > 0) depth--;
  }
  return undefined;
}

/**
 * checkNestingDepth(text, 'json', maxDepth) and countJsonColons(text) in one pass: the depth
 * diagnostic when the nesting is too deep, else the number of colons outside strings.
 */
function scanJson(text: string, maxDepth: number): Diagnostic | number {
  let depth = 0;
  let colons = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 58) colons++;
    else if (c === 123 || c === 91) {
      depth++;
      if (depth > maxDepth + 1) return depthError(text, i, maxDepth);
    } else if ((c === 125 || c === 93) && depth > 0) depth--;
  }
  return colons;
}

function depthError(text: string, offset: number, maxDepth: number): Diagnostic {
  const p = new LineIndex(text).pos(offset);
  return diag('E_LIMIT_DEPTH', `nesting depth exceeds the limit of ${maxDepth}`, {
    hint: 'a model never needs this much nesting; flatten the structure (this limit protects the parser)',
    ...p,
  });
}

function parseYaml(text: string, limits: Limits): ParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    schema: 'core',
    resolveKnownTags: false,
    customTags: [],
    // Duplicate keys are found by inspectYaml in linear time; the library's check is quadratic in
    // the keys of one mapping (a 10 MB file of one big mapping would take minutes).
    uniqueKeys: false,
    merge: false,
    prettyErrors: false,
    keepSourceTokens: false,
    strict: true,
    // Never let the library write warnings to stderr: every problem is a diagnostic.
    logLevel: 'error',
  });
  const diagnostics: Diagnostic[] = [];
  const at = (offset: number | undefined) => {
    const lp = lineCounter.linePos(offset ?? 0);
    return { line: lp.line, column: lp.col };
  };
  // Keys and aliases, checked on the document tree (so with both positions, and before toJS could loop).
  const shape = inspectYaml(doc);
  for (const e of doc.errors) {
    if (e.code === 'RESOURCE_EXHAUSTION') {
      // The yaml library caught its own stack overflow: nesting the depth scan did not see (P2, P3).
      diagnostics.push(depthError(text, e.pos[0], limits.maxDepth));
      continue;
    }
    diagnostics.push(diag('E_YAML_SYNTAX', firstLine(e.message), { hint: 'fix the YAML syntax at this position', ...at(e.pos[0]) }));
  }
  for (const k of shape.duplicates) {
    const first = at(k.first);
    diagnostics.push(
      diag('E_DUPLICATE_KEY', `duplicate key ${quote(k.key)} in a mapping (first at line ${first.line}, column ${first.column})`, {
        hint: 'each key may appear once per mapping; remove or rename one',
        ...at(k.offset),
      }),
    );
  }
  for (const p of shape.problems) diagnostics.push(diag(p.code, p.message, { hint: p.hint, ...at(p.offset) }));
  for (const w of doc.warnings) {
    const isTag = w.code === 'TAG_RESOLVE_FAILED' || /tag/i.test(w.message);
    diagnostics.push(
      diag(isTag ? 'E_YAML_TAG' : 'E_YAML_SYNTAX', isTag ? `unsupported YAML tag: ${firstLine(w.message)}` : firstLine(w.message), {
        hint: isTag ? 'models use plain YAML only; remove the tag (language-specific tags such as !!python/object are never executed)' : 'fix the YAML at this position',
        ...at(w.pos[0]),
      }),
    );
  }
  // Explicit tags anywhere, even ones the core schema knows, are refused: they change types silently.
  if (diagnostics.length === 0) {
    const tagged = findTagged(doc);
    if (tagged) diagnostics.push(diag('E_YAML_TAG', `unsupported YAML tag ${JSON.stringify(tagged.tag)}`, { hint: 'models use plain YAML only; remove the tag', ...at(tagged.offset) }));
  }
  if (diagnostics.length > 0) return { diagnostics };
  if (doc.contents === null) {
    return { diagnostics: [diag('E_EMPTY', 'the file is empty', { hint: 'run `maestro-tm init` to write a starter model', line: 1, column: 1 })] };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: limits.maxAliasCount });
  } catch (err) {
    if (err instanceof ReferenceError || (err instanceof Error && /alias/i.test(err.message))) {
      const alias = findFirstAlias(doc);
      return {
        diagnostics: [
          diag('E_YAML_ALIAS', `alias expansion limit exceeded (more than ${limits.maxAliasCount} alias expansions)`, {
            hint: 'the file expands like an alias bomb; write the values out instead of nesting aliases',
            ...at(alias),
          }),
        ],
      };
    }
    throw err;
  }
  const index = new WeakMap<YAMLMap, Map<string, Pair>>();
  const map: SourceMap = {
    locate(path, target = 'value') {
      const node = yamlLocate(doc, path, target, index);
      return node === undefined ? undefined : at(node);
    },
  };
  return { parsed: { format: 'yaml', text, data, map, yamlDocument: doc }, diagnostics: [] };
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return (i >= 0 ? s.slice(0, i) : s).replace(/ at line \d+, column \d+:?$/, '');
}

function findTagged(doc: Document.Parsed): { tag: string; offset: number } | undefined {
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const n = stack.pop();
    if (!n || typeof n !== 'object') continue;
    const node = n as YamlNode & { tag?: string; range?: [number, number, number] };
    if (isPair(n)) {
      stack.push(n.value, n.key);
      continue;
    }
    if (node.tag) return { tag: node.tag, offset: node.range?.[0] ?? 0 };
    if (isMap(n) || isSeq(n)) for (let i = n.items.length - 1; i >= 0; i--) stack.push(n.items[i]);
  }
  return undefined;
}

interface YamlShape {
  /** Keys that repeat in one mapping once converted to text (as toJS converts them). */
  duplicates: { key: string; offset: number; first: number }[];
  /** Keys that are not plain text, aliases with no anchor, aliases inside their own anchor. */
  problems: { code: string; message: string; hint: string; offset: number }[];
}

/**
 * One iterative pass over the YAML tree, in document order: duplicate keys (compared as the text
 * toJS would make of them, so `1` and `"1"` collide), collection keys (toJS would stringify them
 * and warn on stderr), aliases to no anchor, and recursive aliases (`&a [*a]`), which toJS turns
 * into a cyclic object.
 */
function inspectYaml(doc: Document.Parsed): YamlShape {
  const out: YamlShape = { duplicates: [], problems: [] };
  const anchors = new Map<string, unknown>();
  const open = new Set<unknown>();
  const offsetOf = (n: unknown, fallback = 0): number => (n as { range?: number[] } | null)?.range?.[0] ?? fallback;
  const stack: { n: unknown; exit?: boolean }[] = [{ n: doc.contents }];
  while (stack.length > 0 && out.problems.length + out.duplicates.length < 50) {
    const top = stack.pop();
    if (!top) break;
    const { n } = top;
    if (top.exit) {
      open.delete(n);
      continue;
    }
    if (isAlias(n)) {
      const target = anchors.get(n.source);
      if (target === undefined) {
        out.problems.push({
          code: 'E_YAML_ALIAS',
          message: `the alias ${quote('*' + n.source)} refers to no anchor defined before it`,
          hint: `define the anchor ${quote('&' + n.source)} before using it, or write the value out`,
          offset: offsetOf(n),
        });
      } else if (open.has(target)) {
        out.problems.push({
          code: 'E_YAML_ALIAS',
          message: `the alias ${quote('*' + n.source)} is inside the value it refers to (a recursive alias)`,
          hint: 'a model is a tree; write the value out instead of referring to itself',
          offset: offsetOf(n),
        });
      }
      continue;
    }
    if (!isNode(n)) continue;
    if (n.anchor) anchors.set(n.anchor, n);
    if (!isMap(n) && !isSeq(n)) continue;
    open.add(n);
    stack.push({ n, exit: true });
    if (isSeq(n)) {
      for (let i = n.items.length - 1; i >= 0; i--) stack.push({ n: n.items[i] });
      continue;
    }
    const seen = new Map<string, number>();
    const pending: { n: unknown }[] = [];
    for (const pair of n.items) {
      let key: unknown = pair.key;
      const keyOffset = offsetOf(key, offsetOf(pair.value));
      // An alias key is checked as what it names (an unknown anchor is reported when the alias is visited).
      if (isAlias(key)) key = anchors.get(key.source) ?? null;
      if (key !== null && !isScalar(key)) {
        // Reported once, and not looked into: `? ? ? x` nests keys in keys.
        if (!out.problems.some((p) => p.code === 'E_YAML_KEY')) {
          out.problems.push({
            code: 'E_YAML_KEY',
            message: 'a mapping key must be plain text, not a list, a mapping or an alias to one',
            hint: 'write the key as text',
            offset: keyOffset,
          });
        }
        pending.push({ n: pair.value });
        continue;
      }
      if (key !== null || !isAlias(pair.key)) {
        const text = keyText(key === null ? null : key.value);
        const first = seen.get(text);
        if (first !== undefined) out.duplicates.push({ key: text, offset: keyOffset, first });
        else seen.set(text, keyOffset);
      }
      pending.push({ n: pair.key }, { n: pair.value });
    }
    for (let i = pending.length - 1; i >= 0; i--) {
      const p = pending[i];
      if (p) stack.push(p);
    }
  }
  return out;
}

/** A scalar key as toJS turns it into an object key. */
function keyText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return value === null || value === undefined ? '' : (JSON.stringify(value) ?? '');
}

function findFirstAlias(doc: Document.Parsed): number | undefined {
  const stack: unknown[] = [doc.contents];
  let last: number | undefined;
  while (stack.length) {
    const n = stack.pop();
    if (!n || typeof n !== 'object') continue;
    if (isAlias(n)) {
      last = n.range?.[0];
      if (last !== undefined) return last;
    }
    if (isPair(n)) stack.push(n.value, n.key);
    else if (isMap(n) || isSeq(n)) for (let i = n.items.length - 1; i >= 0; i--) stack.push(n.items[i]);
  }
  return last;
}

/**
 * The pair of a mapping with a key, through an index built once per mapping: locating thousands of
 * diagnostics in one big mapping must not scan it for each (P13).
 */
function pairByKey(map: YAMLMap, key: string, index: WeakMap<YAMLMap, Map<string, Pair>>): Pair | undefined {
  let keys = index.get(map);
  if (!keys) {
    keys = new Map();
    for (const p of map.items) {
      const k: unknown = p.key;
      const name = isScalar(k) ? keyText(k.value) : typeof k === 'string' ? k : undefined;
      if (name !== undefined && !keys.has(name)) keys.set(name, p);
    }
    index.set(map, keys);
  }
  return keys.get(key);
}

function yamlLocate(
  doc: Document.Parsed,
  path: readonly (string | number)[],
  target: 'value' | 'key',
  index: WeakMap<YAMLMap, Map<string, Pair>>,
): number | undefined {
  let node: unknown = doc.contents;
  let lastOffset: number | undefined = (node as { range?: number[] } | null)?.range?.[0];
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (isMap(node)) {
      const pair = pairByKey(node, String(seg), index);
      if (!pair) return lastOffset;
      const isLast = i === path.length - 1;
      if (isLast && target === 'key') return (pair.key as { range?: number[] } | null)?.range?.[0] ?? lastOffset;
      const v = pair.value as { range?: number[] } | null;
      lastOffset = v?.range?.[0] ?? (pair.key as { range?: number[] } | null)?.range?.[0] ?? lastOffset;
      node = pair.value;
    } else if (isSeq(node)) {
      const idx = typeof seg === 'number' ? seg : Number(seg);
      const item = node.items[idx] as { range?: number[] } | undefined;
      if (!item) return lastOffset;
      lastOffset = item.range?.[0] ?? lastOffset;
      node = item;
    } else if (isAlias(node)) {
      return lastOffset;
    } else {
      return lastOffset;
    }
  }
  return lastOffset;
}

/** Object members and values in parsed data (iterative). */
function countParsed(data: unknown): { members: number; values: number } {
  let members = 0;
  let values = 0;
  const stack: unknown[] = [data];
  while (stack.length > 0) {
    const v = stack.pop();
    values++;
    if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
    } else if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v);
      members += keys.length;
      for (const k of keys) stack.push((v as Record<string, unknown>)[k]);
    }
  }
  return { members, values };
}

function parseJson(text: string, limits: Limits, colons: number): ParseResult {
  // Fast path: JSON.parse, then prove no key was silently dropped: valid JSON has one colon outside
  // strings per object member, so if the parsed objects hold as many members, no key was duplicated.
  // Only when that fails (syntax error, duplicates, limits) does the slower positional visitor run.
  let fast: unknown;
  let parsedOk = false;
  try {
    fast = JSON.parse(text);
    parsedOk = true;
  } catch {
    /* syntax error: the slow path below reports it with a position */
  }
  if (parsedOk) {
    const counted = countParsed(fast);
    if (counted.members === colons && counted.values <= limits.maxNodes) return jsonResult(text, fast, new LazyLines(text));
  }
  return parseJsonSlow(text, limits);
}

/** LineIndex built on first use: most loads never need a position. */
class LazyLines {
  private index: LineIndex | undefined;
  constructor(private readonly text: string) {}
  pos(offset: number): { line: number; column: number } {
    this.index ??= new LineIndex(this.text);
    return this.index.pos(offset);
  }
}

function parseJsonSlow(text: string, limits: Limits): ParseResult {
  const lines = new LazyLines(text);
  const diagnostics: Diagnostic[] = [];
  // Duplicate keys per object, and syntax errors, in one visitor pass.
  const keyStack: Map<string, number>[] = [];
  let nodes = 0;
  visitJson(
    text,
    {
      onObjectBegin: () => {
        keyStack.push(new Map());
        nodes++;
      },
      onObjectEnd: () => {
        keyStack.pop();
      },
      onArrayBegin: () => {
        nodes++;
      },
      onObjectProperty: (property, offset) => {
        const keys = keyStack[keyStack.length - 1];
        if (keys) {
          const first = keys.get(property);
          if (first !== undefined && diagnostics.length < 50) {
            const p = lines.pos(first);
            diagnostics.push(
              diag('E_DUPLICATE_KEY', `duplicate key ${quote(property)} in an object (first at line ${p.line}, column ${p.column})`, {
                hint: 'JSON parsers silently keep the last value; remove or rename one of them',
                ...lines.pos(offset),
              }),
            );
          } else if (first === undefined) keys.set(property, offset);
        }
      },
      onLiteralValue: () => {
        nodes++;
      },
      onError: (error, offset) => {
        if (diagnostics.length < 50) {
          diagnostics.push(diag('E_JSON_SYNTAX', `JSON syntax error: ${printParseErrorCode(error)}`, { hint: 'fix the JSON at this position', ...lines.pos(offset) }));
        }
      },
    },
    { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
  );
  if (nodes > limits.maxNodes) {
    diagnostics.push(diag('E_LIMIT_NODES', `the file holds more than the limit of ${limits.maxNodes} values`, { hint: 'split the model', line: 1, column: 1 }));
  }
  if (diagnostics.length > 0) return { diagnostics };
  return jsonResult(text, JSON.parse(text) as unknown, lines);
}

function jsonResult(text: string, data: unknown, lines: LazyLines): ParseResult {
  let tree: JsonNode | undefined;
  // Property nodes of each object by key, built once per object (see pairByKey).
  const index = new WeakMap<JsonNode, Map<string, JsonNode>>();
  const child = (node: JsonNode, seg: string | number): JsonNode | undefined => {
    if (node.type === 'array') return typeof seg === 'number' ? node.children?.[seg] : undefined;
    if (node.type !== 'object') return undefined;
    let keys = index.get(node);
    if (!keys) {
      keys = new Map();
      for (const prop of node.children ?? []) {
        const k: unknown = prop.children?.[0]?.value;
        if (typeof k === 'string' && !keys.has(k)) keys.set(k, prop);
      }
      index.set(node, keys);
    }
    return keys.get(String(seg))?.children?.[1];
  };
  const map: SourceMap = {
    locate(path, target = 'value') {
      tree ??= parseTree(text);
      if (!tree) return undefined;
      // Walk down as far as the path exists, so a missing key still points at its parent.
      let node: JsonNode = tree;
      for (const seg of path) {
        const next = child(node, seg);
        if (!next) return lines.pos(node.offset);
        node = next;
      }
      if (target === 'key' && node.parent?.type === 'property' && node.parent.children?.[0]) return lines.pos(node.parent.children[0].offset);
      return lines.pos(node.offset);
    },
  };
  return { parsed: { format: 'json', text, data, map }, diagnostics: [] };
}
