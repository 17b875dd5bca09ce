/**
 * The risk-tracking sidecar: triage decisions keyed by stable finding id (or a pattern with `*`),
 * kept beside the model so they survive re-analysis. Pure: the schema, and the plain types the
 * loader produces. docs/tracking.md describes the format for users.
 */
import { z } from 'zod';
import type { TrackingStatus } from '../engine/analyse.js';

export const TRACKING_FORMAT_VERSION = 1;

export const TRACKING_STATUSES = ['open', 'in-progress', 'mitigated', 'accepted', 'false-positive'] as const satisfies readonly TrackingStatus[];

/** Statuses whose entry must say why. */
export const NEEDS_JUSTIFICATION: ReadonlySet<TrackingStatus> = new Set<TrackingStatus>(['accepted', 'false-positive', 'mitigated']);

/** Statuses that take a finding out of the CI gate (while not expired). */
export const RESOLVED_STATUSES: ReadonlySet<TrackingStatus> = new Set<TrackingStatus>(['accepted', 'false-positive', 'mitigated']);

/** The fields the tool knows; any other field in an entry is kept as written (and warned about). */
export const KNOWN_ENTRY_FIELDS = ['status', 'justification', 'owner', 'ticket', 'review', 'expires'] as const;

/** Characters a key may use: those of finding ids (`<rule>@<element>`) plus the `*` wildcard. */
export const KEY_PATTERN = /^[A-Za-z0-9_.:@*-]{1,300}$/;

/** A calendar date written YYYY-MM-DD that exists (no 2026-02-30). */
export function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1] ?? 0;
  return d <= days;
}

const IsoDate = z.string().refine(isIsoDate, { message: 'expected a date written YYYY-MM-DD' });
const Text = z.string().trim().min(1, { message: 'must not be empty' }).max(4000, { message: 'is longer than 4000 characters' });
const Short = z.string().trim().min(1, { message: 'must not be empty' }).max(200, { message: 'is longer than 200 characters' });

/** One entry, as written under `findings:`. Unknown fields pass through (they are kept). */
export const TrackingEntrySchema = z
  .looseObject({
    status: z.enum(TRACKING_STATUSES),
    justification: Text.optional(),
    owner: Short.optional(),
    ticket: Short.optional(),
    review: IsoDate.optional(),
    expires: IsoDate.optional(),
  })
  .superRefine((e, ctx) => {
    if (NEEDS_JUSTIFICATION.has(e.status) && e.justification === undefined) {
      ctx.addIssue({ code: 'custom', path: ['status'], message: `status ${e.status} needs a justification`, params: { missing: 'justification' } });
    }
  });

/** An entry after validation, with where it was written. */
export interface TrackingEntry {
  /** The key as written: a finding id, or a pattern where `*` matches any run of characters. */
  readonly key: string;
  readonly status: TrackingStatus;
  readonly justification?: string;
  readonly owner?: string;
  readonly ticket?: string;
  readonly review?: string;
  readonly expires?: string;
  /** Fields the tool does not know, kept as written (never interpreted). */
  readonly extra: Readonly<Record<string, unknown>>;
  /** Position of the key in the file (1-based), when known. */
  readonly line?: number;
  readonly column?: number;
  /** Order in the file (0-based): the last tie-break between equally specific patterns. */
  readonly order: number;
}

export interface TrackingFile {
  /** Where the entries came from (the sidecar path as the user named it). */
  readonly source: string;
  readonly entries: readonly TrackingEntry[];
}
