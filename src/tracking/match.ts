/**
 * Matching finding ids against tracking keys. A key is a finding id, or a pattern in which `*`
 * matches any run of characters (none included), for example `lethal-trifecta-in-agent@*` or
 * `*@payment_agent`. Matching is case-sensitive, like ids. No regular expression is built from
 * user text: the matcher is a linear-space, iterative wildcard match.
 */
import type { TrackingEntry } from './schema.js';

export function isPattern(key: string): boolean {
  return key.includes('*');
}

/** true when `text` matches `pattern` (`*` = any run of characters). Iterative, O(|p|·|t|) worst case. */
export function wildcardMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    const pc = p < pattern.length ? pattern.charCodeAt(p) : -1;
    if (pc === 42) {
      // '*': remember where it was and first try to let it match nothing.
      star = p++;
      mark = t;
    } else if (pc !== -1 && pc === text.charCodeAt(t)) {
      p++;
      t++;
    } else if (star >= 0) {
      // Backtrack: let the last '*' swallow one more character.
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern.charCodeAt(p) === 42) p++;
  return p === pattern.length;
}

/** Characters other than `*`: the more a pattern pins down, the more specific it is. */
export function literalLength(key: string): number {
  let n = 0;
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) !== 42) n++;
  return n;
}

/** Runs of `*` (so `a**b` counts one). */
export function wildcardCount(key: string): number {
  let n = 0;
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) === 42 && (i === 0 || key.charCodeAt(i - 1) !== 42)) n++;
  return n;
}

/**
 * Specificity order, most specific first: an exact id beats any pattern; among patterns, more
 * literal characters win, then fewer wildcard runs; a remaining tie goes to the entry written
 * first in the file. Negative when `a` is more specific than `b`.
 */
export function compareSpecificity(a: TrackingEntry, b: TrackingEntry): number {
  const pa = isPattern(a.key) ? 1 : 0;
  const pb = isPattern(b.key) ? 1 : 0;
  if (pa !== pb) return pa - pb;
  return literalLength(b.key) - literalLength(a.key) || wildcardCount(a.key) - wildcardCount(b.key) || a.order - b.order;
}

export interface EntryMatcher {
  /** The most specific entry matching the id, or undefined. */
  best(id: string): TrackingEntry | undefined;
  /** Every entry matching the id, most specific first. */
  all(id: string): TrackingEntry[];
}

/** Index entries once; exact ids by hash lookup, patterns tried in specificity order. */
export function createMatcher(entries: readonly TrackingEntry[]): EntryMatcher {
  const exact = new Map<string, TrackingEntry>();
  const patterns: TrackingEntry[] = [];
  for (const e of entries) {
    if (isPattern(e.key)) patterns.push(e);
    else if (!exact.has(e.key)) exact.set(e.key, e);
  }
  patterns.sort(compareSpecificity);
  return {
    best(id) {
      const hit = exact.get(id);
      if (hit) return hit;
      for (const p of patterns) if (wildcardMatch(p.key, id)) return p;
      return undefined;
    },
    all(id) {
      const out: TrackingEntry[] = [];
      const hit = exact.get(id);
      if (hit) out.push(hit);
      for (const p of patterns) if (wildcardMatch(p.key, id)) out.push(p);
      return out;
    },
  };
}
