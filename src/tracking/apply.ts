/**
 * Apply tracking entries to an analysis: each finding gets the most specific matching entry, with
 * its effective status for `today` (an entry past its expiry date counts as open). Entries that
 * apply to no finding are stale. Pure and deterministic: the caller passes `today`.
 */
import type { Analysis, AnalysedFinding, FindingTracking, TrackingStatus } from '../engine/analyse.js';
import { nearest } from '../model/diagnostics.js';
import { createMatcher, isPattern, wildcardMatch } from './match.js';
import { isIsoDate, TRACKING_STATUSES, type TrackingEntry, type TrackingFile } from './schema.js';

export interface ApplyOptions {
  /** The date expiry is judged against, YYYY-MM-DD (the CLI passes the current UTC date). */
  readonly today: string;
}

export interface StaleEntry {
  readonly key: string;
  readonly line?: number;
  readonly column?: number;
  /** 'no-match': matches no finding; 'shadowed': every finding it matches has a more specific entry. */
  readonly reason: 'no-match' | 'shadowed';
  /** For 'shadowed': the entries that win instead (keys). */
  readonly shadowedBy: readonly string[];
  /** For an exact id that matches nothing: the nearest finding ids. */
  readonly suggestions: readonly string[];
}

export interface ExpiredEntry {
  readonly key: string;
  readonly line?: number;
  readonly column?: number;
  readonly status: TrackingStatus;
  readonly expires: string;
  /** Findings it applies to (they now count as open). */
  readonly findings: number;
}

export interface ReviewDue {
  readonly key: string;
  readonly line?: number;
  readonly column?: number;
  readonly review: string;
}

export interface TrackingResult {
  readonly analysis: Analysis;
  readonly stale: readonly StaleEntry[];
  readonly expired: readonly ExpiredEntry[];
  readonly reviewDue: readonly ReviewDue[];
}

/** The status that counts for an entry on `today`: past its expiry date, any decision lapses to open. */
export function effectiveStatus(entry: Pick<TrackingEntry, 'status' | 'expires'>, today: string): { effective: TrackingStatus; expired: boolean } {
  const expired = entry.expires !== undefined && today > entry.expires;
  return { effective: expired ? 'open' : entry.status, expired };
}

function trackingOf(entry: TrackingEntry, today: string): FindingTracking {
  const { effective, expired } = effectiveStatus(entry, today);
  const t: { -readonly [K in keyof FindingTracking]: FindingTracking[K] } = { status: entry.status, effective, key: entry.key, expired };
  if (entry.justification !== undefined) t.justification = entry.justification;
  if (entry.owner !== undefined) t.owner = entry.owner;
  if (entry.ticket !== undefined) t.ticket = entry.ticket;
  if (entry.review !== undefined) t.review = entry.review;
  if (entry.expires !== undefined) t.expires = entry.expires;
  return t;
}

/** The triage state of a finding: its entry's effective status, else mitigated when a control mitigates it, else open. */
export function triageStatus(f: AnalysedFinding): TrackingStatus {
  return f.tracking?.effective ?? (f.status === 'mitigated' ? 'mitigated' : 'open');
}

const pos = (e: TrackingEntry): { line?: number; column?: number } => ({ ...(e.line !== undefined ? { line: e.line } : {}), ...(e.column !== undefined ? { column: e.column } : {}) });

/** Stale exact entries that get "did you mean" suggestions (each costs a scan of similar ids). */
const MAX_SUGGESTED = 50;
const MAX_CANDIDATES = 2000;

interface IdIndex {
  readonly byRule: Map<string, string[]>;
  readonly byElement: Map<string, string[]>;
}

function indexIds(ids: readonly string[]): IdIndex {
  const byRule = new Map<string, string[]>();
  const byElement = new Map<string, string[]>();
  const add = (m: Map<string, string[]>, k: string, id: string) => {
    const list = m.get(k);
    if (!list) m.set(k, [id]);
    else if (list.length < MAX_CANDIDATES) list.push(id);
  };
  for (const id of ids) {
    const at = id.indexOf('@');
    if (at < 0) continue;
    add(byRule, id.slice(0, at), id);
    add(byElement, id.slice(at + 1), id);
  }
  return { byRule, byElement };
}

/** Nearest finding ids to a mistyped key, among ids sharing its rule or its element (bounded work). */
function suggest(key: string, index: IdIndex): string[] {
  const at = key.indexOf('@');
  if (at < 0) return [];
  const candidates = new Set([...(index.byRule.get(key.slice(0, at)) ?? []), ...(index.byElement.get(key.slice(at + 1)) ?? [])]);
  return nearest(key, candidates, 2);
}

export function applyTracking(analysis: Analysis, tracking: TrackingFile, options: ApplyOptions): TrackingResult {
  const { today } = options;
  if (!isIsoDate(today)) throw new Error(`applyTracking: today must be a date written YYYY-MM-DD, got ${JSON.stringify(today)}`);
  const matcher = createMatcher(tracking.entries);
  const applied = new Map<TrackingEntry, number>();
  const bestKey: (string | undefined)[] = [];
  const findings: AnalysedFinding[] = analysis.findings.map((f) => {
    const best = matcher.best(f.id);
    bestKey.push(best?.key);
    if (!best) return f;
    applied.set(best, (applied.get(best) ?? 0) + 1);
    return { ...f, tracking: trackingOf(best, today) };
  });
  const counts = Object.fromEntries(TRACKING_STATUSES.map((s) => [s, 0])) as Record<TrackingStatus, number>;
  for (const f of findings) counts[triageStatus(f)]++;

  const ids = analysis.findings.map((f) => f.id);
  let index: IdIndex | undefined;
  let suggested = 0;
  const stale: StaleEntry[] = [];
  const expired: ExpiredEntry[] = [];
  const reviewDue: ReviewDue[] = [];
  for (const e of tracking.entries) {
    const n = applied.get(e) ?? 0;
    if (n === 0) {
      // An exact id that matches a finding always wins there, so an unused exact entry matches
      // nothing; an unused pattern is scanned again: does it match anything at all?
      const winners = new Set<string>();
      if (isPattern(e.key)) {
        for (let i = 0; i < ids.length; i++) if (wildcardMatch(e.key, ids[i] ?? '')) winners.add(bestKey[i] ?? '');
      }
      const shadowed = winners.size > 0;
      stale.push({
        key: e.key,
        ...pos(e),
        reason: shadowed ? 'shadowed' : 'no-match',
        shadowedBy: [...winners].sort(),
        suggestions: !shadowed && !isPattern(e.key) && suggested++ < MAX_SUGGESTED ? suggest(e.key, (index ??= indexIds(ids))) : [],
      });
      continue;
    }
    const { expired: isExpired } = effectiveStatus(e, today);
    if (isExpired && e.expires !== undefined && e.status !== 'open') expired.push({ key: e.key, ...pos(e), status: e.status, expires: e.expires, findings: n });
    if (e.review !== undefined && today > e.review && !isExpired) reviewDue.push({ key: e.key, ...pos(e), review: e.review });
  }
  const byPosition = (a: { line?: number; key: string }, b: { line?: number; key: string }) => (a.line ?? 0) - (b.line ?? 0) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  stale.sort(byPosition);
  expired.sort(byPosition);
  reviewDue.sort(byPosition);
  return {
    analysis: {
      ...analysis,
      findings,
      tracking: { source: tracking.source, counts, stale: stale.map((s) => ({ key: s.key, ...(s.line !== undefined ? { line: s.line } : {}) })) },
    },
    stale,
    expired,
    reviewDue,
  };
}
