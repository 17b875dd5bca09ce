/** Helpers for building a model from imported data: safe ids, clipped text, source positions. */
import { KIND_TABLE } from '../model/kinds.js';
import { ID_PATTERN, type ImportedFromSpec, type ModelFile } from '../model/schema.js';
import { diag, type Diagnostic } from '../model/diagnostics.js';
import type { Pos } from './_source.js';
import type { ImportNote } from './types.js';

const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);
/** ShortText in the schema holds at most 10,000 characters. */
export const MAX_SHORT = 10_000;

/**
 * Several imported files as one model: the first model (copied) with every element section of the
 * others appended in order (importers keep ids unique across files), and the system names joined.
 */
export function concatModels(first: ModelFile, rest: readonly ModelFile[]): ModelFile {
  if (rest.length === 0) return first;
  const merged = structuredClone(first) as unknown as Record<string, unknown>;
  for (const m of rest) {
    const data = m as unknown as Record<string, unknown>;
    for (const row of KIND_TABLE) {
      const l = data[row.section];
      if (!Array.isArray(l)) continue;
      const target = Array.isArray(merged[row.section]) ? (merged[row.section] as unknown[]) : (merged[row.section] = []);
      target.push(...(l as unknown[]));
    }
  }
  (merged['system'] as { name: string }).name = clip([first, ...rest].map((m) => m.system.name).join(' + '));
  return merged as unknown as ModelFile;
}

/** Text from a third-party file, cut to what the schema accepts. */
export function clip(s: string, max = MAX_SHORT): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** A readable id from any text: ASCII letters, digits, "_", "." and "-", starting with a letter. */
export function slug(text: string, fallback: string): string {
  let s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^[^a-z]+/, '')
    .replace(/[_.-]+$/, '');
  if (s.length > 60) s = s.slice(0, 60).replace(/[_.-]+$/, '');
  if (s === '' || RESERVED.has(s)) s = fallback;
  return s;
}

/**
 * Hands out unique ids. An id already in the target model may be reused only by an element of the
 * same section (so a re-import updates it); other existing ids are avoided.
 */
export class IdAllocator {
  private readonly used = new Set<string>();
  constructor(private readonly existing: ReadonlyMap<string, string> = new Map()) {}

  take(base: string, section: string): string {
    const root = ID_PATTERN.test(base) && !RESERVED.has(base) ? base : 'element';
    for (let n = 1; ; n++) {
      const id = n === 1 ? root : `${root.slice(0, 120)}_${n}`;
      if (this.used.has(id)) continue;
      const other = this.existing.get(id);
      if (other !== undefined && other !== section) continue;
      this.used.add(id);
      return id;
    }
  }

  has(id: string): boolean {
    return this.used.has(id);
  }
}

/** Records where an element and its attributes came from. */
export class SourceRecorder {
  private readonly lines = new Map<string, number>();
  constructor(
    private readonly file: string,
    private readonly format: string,
    private readonly pos: Pos,
    private readonly pointer: string,
  ) {}

  /** The attribute at `rel` (a pointer relative to the element, e.g. /args/2) came from line `line`. */
  at(rel: string, pos: Pos | undefined): this {
    if (pos !== undefined && !this.lines.has(rel)) this.lines.set(rel, pos.line);
    return this;
  }

  build(): ImportedFromSpec {
    const out: ImportedFromSpec = { file: clip(this.file), format: this.format, line: this.pos.line, column: this.pos.column, pointer: clip(this.pointer) };
    if (this.lines.size > 0) {
      const lines: Record<string, number> = {};
      for (const k of [...this.lines.keys()].sort()) lines[k] = this.lines.get(k) ?? this.pos.line;
      out.lines = lines;
    }
    return out;
  }
}

/** What an importer reading one file adds its warnings and notes to. */
export interface ImportCtx {
  readonly file: string;
  readonly diagnostics: Diagnostic[];
  readonly notes: ImportNote[];
}

/** A warning about the file being imported, at a position and JSON pointer in it. */
export function warn(ctx: ImportCtx, code: string, message: string, hint: string, pos: Pos, pointer: string): void {
  ctx.diagnostics.push({ ...diag(code, message, { hint, line: pos.line, column: pos.column, pointer, severity: 'warning' }), file: ctx.file });
}

/** A note on an imported element: what was read from where. */
export function note(ctx: ImportCtx, code: string, message: string, pos: Pos, pointer: string, element: string): void {
  ctx.notes.push({ code, message, file: ctx.file, line: pos.line, column: pos.column, pointer, element });
}
