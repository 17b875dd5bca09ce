/** Diagnostics: every problem found in a model, with where it is and how to fix it. */

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** Short stable code, for example E_UNKNOWN_REF or W_UNKNOWN_FIELD. */
  readonly code: string;
  readonly severity: Severity;
  /** What is wrong, in one sentence. Values quoted from the model are passed through `quote()`. */
  readonly message: string;
  /** How to fix it. */
  readonly hint?: string;
  /** The file the problem is in, as the caller named it. */
  readonly file?: string;
  /** 1-based line and column; absent when no position is known (for example a limit on the whole file). */
  readonly line?: number;
  readonly column?: number;
  /** JSON pointer (RFC 6901) to the value concerned, when there is one. */
  readonly pointer?: string;
}

export function diag(
  code: string,
  message: string,
  extra: { hint?: string; pointer?: string; line?: number; column?: number; severity?: Severity } = {},
): Diagnostic {
  const d: { -readonly [K in keyof Diagnostic]: Diagnostic[K] } = {
    code,
    severity: extra.severity ?? (code.startsWith('W_') ? 'warning' : 'error'),
    message,
  };
  if (extra.hint !== undefined) d.hint = extra.hint;
  if (extra.pointer !== undefined) d.pointer = extra.pointer;
  if (extra.line !== undefined) d.line = extra.line;
  if (extra.column !== undefined) d.column = extra.column;
  return d;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** JSON pointer from path segments (RFC 6901 escaping). */
export function toPointer(path: readonly (string | number)[]): string {
  if (path.length === 0) return '';
  let out = '';
  for (const seg of path) out += '/' + String(seg).replace(/~/g, '~0').replace(/\//g, '~1');
  return out;
}

export function fromPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Quote a value taken from the model for use inside a diagnostic message. Control characters,
 * bidirectional overrides and invisible characters are shown as \u escapes so a terminal cannot be
 * driven by them, and long values are cut.
 */
export function quote(value: unknown, max = 80): string {
  let s = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  if (s.length > max) s = s.slice(0, max) + '…';
  return JSON.stringify(s).replace(INVISIBLE_OR_CONTROL_G, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/**
 * Characters that are invisible or reorder text: zero-width characters, bidirectional controls, the
 * BOM, soft hyphen, tag characters' surrogate range is handled separately by isSuspiciousText.
 */
// Intentional: these classes list invisible, combining and control characters to detect them.
// eslint-disable-next-line no-misleading-character-class
export const INVISIBLE_CHARS = /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]|\udb40[\udc00-\udc7f]/;
// eslint-disable-next-line no-control-regex, no-misleading-character-class
const INVISIBLE_OR_CONTROL_G = /[\u0000-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]/g;

/** The first invisible character in a string, as "U+200B at index 3", or undefined. */
export function findInvisible(s: string): { codePoint: string; index: number } | undefined {
  const m = INVISIBLE_CHARS.exec(s);
  if (!m) return undefined;
  const cp = m[0].codePointAt(0) ?? 0;
  return { codePoint: 'U+' + cp.toString(16).toUpperCase().padStart(4, '0'), index: m.index };
}

/** Edit distance, for "did you mean" hints. Small inputs only (ids, keys). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length > 64 || b.length > 64) return Math.abs(a.length - b.length) + 64;
  const prev = new Array<number>(b.length + 1);
  const cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    for (let j = 0; j <= b.length; j++) prev[j] = cur[j] ?? 0;
  }
  return prev[b.length] ?? 0;
}

/** Up to `n` candidates nearest to `wanted`, nearest first, ties by name. */
export function nearest(wanted: string, candidates: Iterable<string>, n = 3): string[] {
  const scored: [number, string][] = [];
  const lw = wanted.toLowerCase();
  for (const c of candidates) {
    const d = editDistance(lw, c.toLowerCase());
    const contains = c.toLowerCase().includes(lw) || lw.includes(c.toLowerCase());
    scored.push([contains ? Math.min(d, 1) : d, c]);
  }
  scored.sort((x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0));
  const limit = Math.max(2, Math.ceil(wanted.length / 2));
  return scored.filter(([d]) => d <= limit).slice(0, n).map(([, c]) => c);
}
