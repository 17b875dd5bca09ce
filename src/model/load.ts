/**
 * Load a model from text: parse, check limits and hostile shapes, validate against the schema, check
 * ids and references, and attach a line:column to every diagnostic. Pure (no file I/O): the CLI and
 * `loadModelFile` in `src/io` read files and hand the bytes here.
 */
import type { z } from 'zod';
import {
  diag,
  findInvisible,
  hasErrors,
  nearest,
  quote,
  toPointer,
  INVISIBLE_CHARS,
  type Diagnostic,
} from './diagnostics.js';
import { DEFAULT_LIMITS, decodeModelBytes, detectFormat, parseSource, type Limits, type ParsedSource, type SourceFormat } from './parse.js';
import { ModelFile, MODEL_MAJOR_VERSION, MODEL_MINOR_VERSION, VERSION_PATTERN } from './schema.js';
import { KIND_TABLE, type ElementKind } from './kinds.js';
import { forEachReference, isRecord } from './references.js';

export interface LoadOptions {
  /** The file name to put in diagnostics (and to detect the format from its extension). */
  file?: string;
  format?: SourceFormat;
  limits?: Partial<Limits>;
}

export interface LoadResult {
  /** The model as written (no defaults applied), present when there are no errors. */
  readonly model?: ModelFile;
  /** Every problem found, errors and warnings, sorted by position. */
  readonly diagnostics: Diagnostic[];
  /** The parsed source, for writing back with comments kept (see write.ts). */
  readonly source?: ParsedSource;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** For a diagnostic about a second occurrence: the pointer of the first one. */
const FIRST_USE = new WeakMap<Diagnostic, string>();

/** Load a model from bytes (checks encoding first). */
export function loadModelBytes(bytes: Uint8Array, options: LoadOptions = {}): LoadResult {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const decoded = decodeModelBytes(bytes, limits);
  if (decoded.text === undefined) return { diagnostics: withFile(decoded.diagnostics, options.file) };
  return loadModelText(decoded.text, options);
}

/** Load a model from text. */
export function loadModelText(text: string, options: LoadOptions = {}): LoadResult {
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const format = options.format ?? detectFormat(options.file, text);
  const parsed = parseSource(text, format, limits);
  if (!parsed.parsed) return { diagnostics: withFile(sortDiagnostics(parsed.diagnostics), options.file) };
  const source = parsed.parsed;
  const diagnostics = validateData(source.data, limits);
  // Attach positions.
  const located = diagnostics.map((d) => {
    if (d.line !== undefined || d.pointer === undefined) return d;
    const path = pointerPath(d.pointer, source.data);
    const pos = source.map.locate(path, d.code === 'W_UNKNOWN_FIELD' || d.code === 'E_FORBIDDEN_KEY' ? 'key' : 'value');
    // A diagnostic about two places (a duplicate id) names the other one too.
    const other = FIRST_USE.get(d);
    const firstPos = other === undefined ? undefined : source.map.locate(pointerPath(other, source.data), 'value');
    const message = firstPos ? `${d.message} (first at line ${firstPos.line}, column ${firstPos.column})` : d.message;
    return pos ? { ...d, message, line: pos.line, column: pos.column } : { ...d, message, line: 1, column: 1 };
  });
  const sorted = withFile(sortDiagnostics(located), options.file);
  if (hasErrors(sorted)) return { diagnostics: sorted, source };
  return { model: source.data as ModelFile, diagnostics: sorted, source };
}

function withFile(ds: Diagnostic[], file: string | undefined): Diagnostic[] {
  return file === undefined ? ds : ds.map((d) => ({ ...d, file }));
}

function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return ds
    .map((d, i) => [d, i] as const)
    .sort(([a, ia], [b, ib]) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || ia - ib)
    .map(([d]) => d);
}

/**
 * Line and column (1-based) of a JSON pointer in the loaded text, or undefined when the source
 * has no position for it. Reporters use it to point findings at the model file's lines.
 */
export function locatePointer(source: ParsedSource, pointer: string, where: 'key' | 'value' = 'value'): { line: number; column: number } | undefined {
  const pos = source.map.locate(pointerPath(pointer, source.data), where);
  return pos ? { line: pos.line, column: pos.column } : undefined;
}

/** Turn a pointer back into a path, using the data to tell array indexes from keys. */
function pointerPath(pointer: string, data: unknown): (string | number)[] {
  const segs = pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const out: (string | number)[] = [];
  let cur: unknown = data;
  for (const s of segs) {
    if (Array.isArray(cur)) {
      const n = Number(s);
      out.push(n);
      cur = cur[n];
    } else {
      out.push(s);
      cur = isRecord(cur) && Object.hasOwn(cur, s) ? cur[s] : undefined;
    }
  }
  return out;
}

/**
 * All checks on parsed data. Returns diagnostics carrying pointers (positions are added by the caller).
 */
export function validateData(data: unknown, limits: Limits = DEFAULT_LIMITS): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (!isRecord(data)) {
    out.push(
      diag('E_NOT_A_MODEL', `a model must be a mapping at the top level, not ${Array.isArray(data) ? 'a list' : data === null ? 'empty' : typeof data}`, {
        hint: 'start from `maestro-tm init`: a model has `version`, `system` and element sections such as `agents`',
        pointer: '',
      }),
    );
    return out;
  }

  // 1. Hostile shapes, in one iterative walk: forbidden keys, long strings, size.
  const walk = walkData(data, limits);
  out.push(...walk);
  if (walk.some((d) => d.severity === 'error')) return out;

  // 2. Version, before the schema: a newer major version is refused outright.
  const version = data['version'];
  if (typeof version === 'string' || typeof version === 'number') {
    const m = VERSION_PATTERN.exec(String(version));
    if (m) {
      const major = Number(m[1]);
      const minor = Number(m[2] ?? 0);
      if (major > MODEL_MAJOR_VERSION) {
        out.push(
          diag('E_VERSION_NEWER', `model version ${quote(String(version))} is newer than this tool reads (${MODEL_MAJOR_VERSION}.x)`, {
            hint: 'upgrade maestro-tm, or write the model in format version 1',
            pointer: '/version',
          }),
        );
        return out;
      }
      if (major < 1) {
        out.push(diag('E_VERSION_OLD', `model version ${quote(String(version))} is not supported`, { hint: 'use version: "1.0"', pointer: '/version' }));
        return out;
      }
      if (minor > MODEL_MINOR_VERSION) {
        out.push(
          diag('W_VERSION_MINOR', `model version ${quote(String(version))} is newer than this tool knows (${MODEL_MAJOR_VERSION}.${MODEL_MINOR_VERSION}); fields it does not know are kept but not analysed`, {
            hint: 'upgrade maestro-tm to analyse every field',
            pointer: '/version',
          }),
        );
      }
    }
  }

  // 3. Schema.
  const result = ModelFile.safeParse(data);
  if (!result.success) out.push(...schemaDiagnostics(result.error.issues, data));

  // 4. Ids and references (only on the parts whose shape is right enough to read).
  out.push(...checkIdsAndReferences(data, limits));
  return out;
}

/** A position in the data during the walk: a parent link instead of a copied path (built only on a diagnostic). */
interface WalkFrame {
  readonly v: unknown;
  readonly parent: WalkFrame | undefined;
  readonly key: string | number;
  readonly depth: number;
}

function framePath(f: WalkFrame | undefined): (string | number)[] {
  const path: (string | number)[] = [];
  for (let cur = f; cur?.parent !== undefined; cur = cur.parent) path.push(cur.key);
  return path.reverse();
}

function walkData(root: Record<string, unknown>, limits: Limits): Diagnostic[] {
  const out: Diagnostic[] = [];
  let nodes = 0;
  const stack: WalkFrame[] = [{ v: root, parent: undefined, key: '', depth: 0 }];
  while (stack.length > 0) {
    const top = stack.pop();
    if (!top) break;
    const v = top.v;
    nodes++;
    // The text scan before parsing can be evaded (a quote inside a flow collection, aliases): check the data.
    if (top.depth > limits.maxDepth) {
      out.push(
        diag('E_LIMIT_DEPTH', `nesting depth exceeds the limit of ${limits.maxDepth}`, {
          hint: 'a model never needs this much nesting; flatten the structure (this limit protects the parser)',
          pointer: toPointer(framePath(top)),
        }),
      );
      return out;
    }
    if (nodes > limits.maxNodes) {
      out.push(diag('E_LIMIT_NODES', `the model holds more than the limit of ${limits.maxNodes} values`, { hint: 'split the model', pointer: '' }));
      return out;
    }
    if (typeof v === 'string') {
      if (v.length > limits.maxStringLength) {
        out.push(
          diag('E_LIMIT_STRING', `a text of ${v.length} characters is longer than the limit of ${limits.maxStringLength}`, {
            hint: 'shorten it; long documents belong in a file the model points to',
            pointer: toPointer(framePath(top)),
          }),
        );
      }
      continue;
    }
    if (typeof v === 'number' && !Number.isFinite(v)) {
      out.push(diag('E_NUMBER', `${String(v)} is not a finite number`, { hint: 'write a finite number in range (NaN and infinities are not allowed)', pointer: toPointer(framePath(top)) }));
      continue;
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i] as unknown, parent: top, key: i, depth: top.depth + 1 });
      continue;
    }
    if (v !== null && typeof v === 'object') {
      if (!isPlainData(v)) {
        out.push(diag('E_TYPE', 'a value of an unsupported type (only maps, lists, strings, numbers, booleans and null)', { hint: 'remove YAML tags and special types', pointer: toPointer(framePath(top)) }));
        continue;
      }
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i] ?? '';
        if (FORBIDDEN_KEYS.has(k)) {
          out.push(
            diag('E_FORBIDDEN_KEY', `the key ${quote(k)} is not allowed`, {
              hint: 'keys named __proto__, constructor or prototype are refused because they can tamper with objects; rename it',
              pointer: toPointer([...framePath(top), k]),
            }),
          );
          continue;
        }
        stack.push({ v: (v as Record<string, unknown>)[k], parent: top, key: k, depth: top.depth + 1 });
      }
    }
  }
  return out;
}

function isPlainData(v: object): boolean {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

// ---------------------------------------------------------------------------------------------------------------------
// Schema issues -> diagnostics

function schemaDiagnostics(issues: readonly z.core.$ZodIssue[], data: Record<string, unknown>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const issue of flattenIssues(issues)) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        if (key.startsWith('x-')) continue;
        const pointer = toPointer([...issue.path.map(pathSeg), key]);
        const known = knownKeysAt(issue.path.map(pathSeg));
        const near = nearest(key, known, 1);
        out.push(
          diag('W_UNKNOWN_FIELD', `unknown field ${quote(key)}: kept, but not analysed`, {
            hint: near.length ? `did you mean ${quote(near[0])}? (prefix extension fields with "x-" to silence this)` : 'prefix extension fields with "x-" to silence this warning',
            pointer,
          }),
        );
      }
      continue;
    }
    const pointer = toPointer(issue.path.map(pathSeg));
    const key = `${issue.code}:${pointer}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(issueToDiagnostic(issue, pointer, valueAt(data, issue.path.map(pathSeg))));
  }
  return out;
}

function pathSeg(p: PropertyKey): string | number {
  return typeof p === 'number' ? p : String(p);
}

/** Unions report one error list per branch; keep the branch that got furthest. */
function flattenIssues(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  const out: z.core.$ZodIssue[] = [];
  const stack = [...issues].reverse();
  while (stack.length) {
    const issue = stack.pop();
    if (!issue) break;
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // The deepest branch is the one the user most likely meant.
      let best: z.core.$ZodIssue[] | undefined;
      let bestDepth = -1;
      for (const branch of issue.errors) {
        const depth = Math.max(0, ...branch.map((b) => b.path.length));
        const isTypeOnly = branch.every((b) => b.code === 'invalid_type' && b.path.length === 0);
        const score = isTypeOnly ? -1 : depth;
        if (score > bestDepth) {
          bestDepth = score;
          best = branch;
        }
      }
      if (best && bestDepth >= 0) {
        for (let i = best.length - 1; i >= 0; i--) {
          const b = best[i];
          if (b) stack.push({ ...b, path: [...issue.path, ...b.path] });
        }
        continue;
      }
    }
    out.push(issue);
  }
  return out;
}

function issueToDiagnostic(issue: z.core.$ZodIssue, pointer: string, value: unknown): Diagnostic {
  const where = pointer === '' ? 'the model' : pointer;
  switch (issue.code) {
    case 'invalid_type': {
      if (value === undefined) {
        const field = String(issue.path[issue.path.length - 1] ?? '');
        return diag('E_MISSING_FIELD', `required field ${quote(field)} is missing`, {
          hint: `add ${field}: (${issue.expected})`,
          pointer,
        });
      }
      if (issue.expected === 'boolean' && typeof value === 'string' && YAML11_BOOLEANS.test(value)) {
        // P7: YAML 1.1 (PyYAML) reads yes/no/on/off as booleans; YAML 1.2, used here, reads them as text.
        return diag('E_SCHEMA_TYPE', `${where} should be true or false, not the text ${quote(value)}`, {
          hint: `write ${/^(y|yes|on|true)$/i.test(value) ? 'true' : 'false'} without quotes: YAML 1.2 reads yes/no/on/off/y/n as text, not as booleans (YAML 1.1 and PyYAML differ)`,
          pointer,
        });
      }
      return diag('E_SCHEMA_TYPE', `${where} should be ${article(issue.expected)}, not ${describe(value)}`, { hint: hintFor(issue.path), pointer });
    }
    case 'invalid_value': {
      const allowed = issue.values.map((v) => String(v));
      const near = typeof value === 'string' ? nearest(value, allowed, 1) : [];
      return diag('E_SCHEMA_ENUM', `${quote(value)} is not an allowed value for ${lastKey(issue.path)}`, {
        hint: (near.length ? `did you mean ${quote(near[0])}? ` : '') + `allowed: ${allowed.join(', ')}`,
        pointer,
      });
    }
    case 'invalid_format': {
      if (typeof value === 'string') {
        const inv = findInvisible(value);
        if (inv) {
          return diag('E_INVISIBLE_CHAR', `${quote(value)} contains the invisible character ${inv.codePoint} at index ${inv.index}`, {
            hint: 'ids must be plain ASCII; invisible characters make two different ids look the same. Retype the id',
            pointer,
          });
        }
      }
      return diag('E_SCHEMA_FORMAT', `${quote(value)} ${issue.message}`, { hint: hintFor(issue.path), pointer });
    }
    case 'too_big':
    case 'too_small': {
      return diag('E_SCHEMA_RANGE', `${quote(value)} is out of range for ${lastKey(issue.path)}: ${issue.message}`, { hint: 'use a finite number within the documented range', pointer });
    }
    case 'custom':
      return diag('E_SCHEMA', `${quote(value)} ${issue.message}`, { hint: hintFor(issue.path), pointer });
    default:
      return diag('E_SCHEMA', `${where}: ${issue.message}`, { hint: hintFor(issue.path), pointer });
  }
}

const YAML11_BOOLEANS = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|true|True|TRUE|false|False|FALSE)$/;

function lastKey(path: readonly PropertyKey[]): string {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return String(path[i]);
  return 'this field';
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the text ${quote(v, 40)}`;
  return `${typeof v} ${quote(v, 40)}`;
}

function hintFor(path: readonly PropertyKey[]): string {
  const section = typeof path[0] === 'string' ? path[0] : '';
  if (path.length >= 3 && path[2] === 'id') return 'ids start with a letter or "_" and use ASCII letters, digits, "_", "." and "-"';
  if (section === 'version') return 'write version: "1.0"';
  if (section) return `see the "${section}" section of schema/maestro-model.schema.json or docs/model-format.md`;
  return 'see schema/maestro-model.schema.json';
}

function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let cur = data;
  for (const p of path) {
    if (Array.isArray(cur) && typeof p === 'number') cur = cur[p];
    else if (isRecord(cur) && typeof p === 'string' && Object.hasOwn(cur, p)) cur = cur[p];
    else return undefined;
  }
  return cur;
}

/** Keys the schema knows at a path, for "did you mean" on unknown fields. */
function knownKeysAt(path: readonly (string | number)[]): string[] {
  let schema: unknown = ModelFile;
  for (const seg of path) {
    schema = unwrap(schema);
    if (typeof seg === 'number') {
      const el = (schema as { element?: unknown }).element;
      if (!el) return [];
      schema = el;
    } else {
      const shape = (schema as { shape?: Record<string, unknown> }).shape;
      if (!shape || !Object.hasOwn(shape, seg)) return [];
      schema = shape[seg];
    }
  }
  schema = unwrap(schema);
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

function unwrap(s: unknown): unknown {
  let cur = s as { def?: { type?: string; innerType?: unknown; options?: unknown[] } } | undefined;
  for (let i = 0; i < 10 && cur?.def; i++) {
    if (cur.def.type === 'optional' || cur.def.type === 'nullable' || cur.def.type === 'default') cur = cur.def.innerType as typeof cur;
    else if (cur.def.type === 'union') {
      const obj = cur.def.options?.find((o) => (o as { def?: { type?: string } }).def?.type === 'object');
      if (!obj) return cur;
      cur = obj;
    } else break;
  }
  return cur;
}

// ---------------------------------------------------------------------------------------------------------------------
// Ids and references

export interface ElementLocation {
  readonly kind: ElementKind;
  readonly section: string;
  readonly index: number;
}

/** Index every element id to where it is. Used by the loader and the resolver. */
export function indexElements(data: Record<string, unknown>): { ids: Map<string, ElementLocation>; duplicates: Diagnostic[] } {
  const ids = new Map<string, ElementLocation>();
  const duplicates: Diagnostic[] = [];
  for (const row of KIND_TABLE) {
    const list = data[row.section];
    if (!Array.isArray(list)) continue;
    for (let i = 0; i < list.length; i++) {
      const el: unknown = list[i];
      if (!isRecord(el)) continue;
      const id = el['id'];
      if (typeof id !== 'string') continue;
      const prev = ids.get(id);
      if (prev) {
        const d = diag('E_DUPLICATE_ID', `the id ${quote(id)} is already used by ${prev.section}[${prev.index}]`, {
          hint: `ids are unique across the whole model; rename one (first use: /${prev.section}/${prev.index}/id)`,
          pointer: toPointer([row.section, i, 'id']),
        });
        FIRST_USE.set(d, toPointer([prev.section, prev.index, 'id']));
        duplicates.push(d);
        continue;
      }
      ids.set(id, { kind: row.kind as ElementKind, section: row.section, index: i });
    }
  }
  return { ids, duplicates };
}

function checkIdsAndReferences(data: Record<string, unknown>, limits: Limits): Diagnostic[] {
  const out: Diagnostic[] = [];
  let total = 0;
  for (const row of KIND_TABLE) {
    const list = data[row.section];
    if (Array.isArray(list)) total += list.length;
  }
  if (total > limits.maxElements) {
    out.push(diag('E_LIMIT_ELEMENTS', `the model has ${total} elements, more than the limit of ${limits.maxElements}`, { hint: 'split the model into several systems', pointer: '' }));
    return out;
  }
  const { ids, duplicates } = indexElements(data);
  out.push(...duplicates);
  // Ids that differ only by case or normalisation look identical to a reader.
  const folded = new Map<string, string>();
  for (const id of ids.keys()) {
    const f = id.normalize('NFKC').toLowerCase();
    const other = folded.get(f);
    if (other !== undefined && other !== id) {
      const loc = ids.get(id);
      if (loc) {
        out.push(
          diag('W_CONFUSABLE_ID', `the ids ${quote(id)} and ${quote(other)} differ only by letter case`, {
            hint: 'rename one so readers cannot confuse them',
            pointer: toPointer([loc.section, loc.index, 'id']),
          }),
        );
      }
    } else folded.set(f, id);
  }
  for (const row of KIND_TABLE) {
    const list = data[row.section];
    if (!Array.isArray(list)) continue;
    const kind = row.kind as ElementKind;
    for (let i = 0; i < list.length; i++) {
      const el: unknown = list[i];
      if (!isRecord(el)) continue;
      const selfId = typeof el['id'] === 'string' ? el['id'] : undefined;
      forEachReference(kind, el, (ref) => {
        const target = ids.get(ref.id);
        if (target && ref.rule.targets.includes(target.kind) && !(ref.rule.noSelf && selfId === ref.id)) return; // the common case: nothing to report
        const pointer = toPointer([row.section, i, ...ref.path]);
        if (!target) {
          const candidates = [...ids.entries()].filter(([, l]) => ref.rule.targets.includes(l.kind)).map(([k]) => k);
          const near = nearest(ref.id, candidates, 3);
          const inv = findInvisible(ref.id);
          out.push(
            diag('E_UNKNOWN_REF', `${quote(ref.id)} does not name any ${ref.rule.targets.join(' or ')} in this model`, {
              hint: inv
                ? `it contains the invisible character ${inv.codePoint}; retype it`
                : near.length
                  ? `did you mean ${near.map((n) => quote(n)).join(' or ')}?`
                  : candidates.length
                    ? `declare it, or use one of: ${candidates.slice(0, 5).map((n) => quote(n)).join(', ')}`
                    : `declare a ${ref.rule.targets[0] ?? 'element'} with id ${quote(ref.id)}`,
              pointer,
            }),
          );
          return;
        }
        if (!ref.rule.targets.includes(target.kind)) {
          out.push(
            diag('E_REF_KIND', `${quote(ref.id)} is a ${target.kind}, but ${ref.path.filter((p) => typeof p === 'string').join('.')} must name a ${ref.rule.targets.join(' or ')}`, {
              hint: `point it at a ${ref.rule.targets.join(' or ')}`,
              pointer,
            }),
          );
          return;
        }
        if (ref.rule.noSelf && selfId === ref.id) {
          out.push(diag('E_SELF_REF', `${quote(ref.id)} refers to itself`, { hint: 'an element cannot point at itself here; remove the reference', pointer }));
        }
      });
      if (kind === 'channel' && selfId !== undefined && typeof el['from'] === 'string' && el['from'] === el['to']) {
        out.push(diag('E_SELF_REF', `channel ${quote(selfId)} goes from ${quote(el['from'])} to itself`, { hint: 'a channel joins two different elements', pointer: toPointer([row.section, i, 'to']) }));
      }
      // Hidden text in free-text fields: kept, rendered inert everywhere, flagged here.
      for (const field of ['description', 'name', 'role']) {
        const v = el[field];
        if (typeof v === 'string' && INVISIBLE_CHARS.test(v)) {
          const inv = findInvisible(v);
          out.push(
            diag('W_HIDDEN_TEXT', `${field} of ${quote(selfId ?? `${row.section}[${i}]`)} contains the invisible character ${inv?.codePoint ?? ''}: text a reader cannot see may carry instructions`, {
              hint: 'look at the raw bytes; if it came from a third party treat it as hostile',
              pointer: toPointer([row.section, i, field]),
            }),
          );
        }
      }
    }
  }
  out.push(...checkParentCycles(data, 'boundaries', ids));
  out.push(...checkParentCycles(data, 'deployments', ids));
  return out;
}

/** Parent chains must end: detect cycles iteratively (colouring). */
function checkParentCycles(data: Record<string, unknown>, section: 'boundaries' | 'deployments', ids: Map<string, ElementLocation>): Diagnostic[] {
  const list = data[section];
  if (!Array.isArray(list)) return [];
  const parentOf = new Map<string, string>();
  for (const el of list) {
    if (isRecord(el) && typeof el['id'] === 'string' && typeof el['parent'] === 'string') {
      const p = ids.get(el['parent']);
      if (p && p.section === section) parentOf.set(el['id'], el['parent']);
    }
  }
  const state = new Map<string, 1 | 2>(); // 1 = on the current chain, 2 = done
  const out: Diagnostic[] = [];
  for (const start of parentOf.keys()) {
    if (state.has(start)) continue;
    const chain: string[] = [];
    let cur: string | undefined = start;
    while (cur !== undefined && !state.has(cur)) {
      state.set(cur, 1);
      chain.push(cur);
      cur = parentOf.get(cur);
    }
    if (cur !== undefined && state.get(cur) === 1) {
      const cycle = chain.slice(chain.indexOf(cur));
      const loc = ids.get(cur);
      const what = section === 'boundaries' ? 'trust boundary' : 'deployment';
      out.push(
        diag(section === 'boundaries' ? 'E_BOUNDARY_CYCLE' : 'E_DEPLOYMENT_CYCLE', `cyclic ${what} hierarchy: ${[...cycle, cur].map((c) => quote(c)).join(' -> ')}`, {
          hint: `a ${what} cannot be nested inside itself; remove one parent link`,
          pointer: loc ? toPointer([loc.section, loc.index, 'parent']) : '',
        }),
      );
    }
    for (const c of chain) state.set(c, 2);
  }
  return out;
}
