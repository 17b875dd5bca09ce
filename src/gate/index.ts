/**
 * The CI gate: which findings block a change. Pure. A finding blocks when
 *   - no declared control mitigates it (status open),
 *   - its tracking entry does not resolve it (accepted, false-positive or mitigated, not expired;
 *     open and in-progress still block), and
 *   - its residual risk band is at or above the threshold.
 * With a baseline, only findings that block now and did not block at the baseline count: new
 * findings, findings whose residual risk rose into the threshold, and findings that lost their
 * control or their acceptance.
 */
import type { Analysis, AnalysedFinding, TrackingStatus } from '../engine/analyse.js';
import type { RiskBand } from '../risk/model.js';
import { severityRank } from '../engine/types.js';
import { RESOLVED_STATUSES } from '../tracking/schema.js';

export const FAIL_ON = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** Rank of a threshold or band: info 0 < low 1 < medium 2 < high 3 < critical 4 (the severity order). */
export function bandRank(b: FailOn | RiskBand): number {
  return severityRank(b);
}

export type GateReason = 'open' | 'new' | 'risk-rose' | 'control-removed' | 'tracking-lapsed';

export interface GateFailure {
  readonly id: string;
  readonly rule: string;
  readonly element: string;
  readonly band: RiskBand;
  readonly residual: number;
  /** Tracking status that applies, when an entry matched (open or in-progress here, or an expired decision). */
  readonly tracking?: { readonly key: string; readonly status: TrackingStatus; readonly effective: TrackingStatus; readonly expired: boolean };
  /** Why it blocks: 'open' without a baseline; with one, what changed since. */
  readonly reason: GateReason;
  /** With a baseline, the residual risk there (absent for a new finding). */
  readonly baselineResidual?: number;
}

export interface GateResult {
  readonly failOn: FailOn;
  readonly passed: boolean;
  /** Blocking findings, highest residual first, then id. */
  readonly failing: readonly GateFailure[];
  /** Findings at or above the threshold that do not block, by why. */
  readonly excused: {
    readonly controlMitigated: number;
    readonly accepted: number;
    readonly falsePositive: number;
    readonly trackedMitigated: number;
    /** Blocking now but already blocking at the baseline. */
    readonly inBaseline: number;
  };
  /** Findings below the threshold (not considered). */
  readonly belowThreshold: number;
  readonly baseline: boolean;
}

export interface GateOptions {
  readonly failOn: FailOn;
  /** The analysis of the baseline model, with the same tracking applied. */
  readonly baseline?: Analysis;
}

/** true when the finding blocks at this threshold (see the module comment). */
export function blocks(f: AnalysedFinding, failOn: FailOn): boolean {
  if (f.status !== 'open') return false;
  if (f.tracking && RESOLVED_STATUSES.has(f.tracking.effective)) return false;
  return bandRank(f.risk.residualBand) >= bandRank(failOn);
}

export function evaluateGate(analysis: Analysis, options: GateOptions): GateResult {
  const { failOn, baseline } = options;
  const before = baseline ? new Map(baseline.findings.map((f) => [f.id, f])) : undefined;
  const failing: GateFailure[] = [];
  const excused = { controlMitigated: 0, accepted: 0, falsePositive: 0, trackedMitigated: 0, inBaseline: 0 };
  let belowThreshold = 0;
  for (const f of analysis.findings) {
    if (bandRank(f.risk.residualBand) < bandRank(failOn)) {
      belowThreshold++;
      continue;
    }
    if (f.status !== 'open') {
      excused.controlMitigated++;
      continue;
    }
    const eff = f.tracking?.effective;
    if (eff === 'accepted') {
      excused.accepted++;
      continue;
    }
    if (eff === 'false-positive') {
      excused.falsePositive++;
      continue;
    }
    if (eff === 'mitigated') {
      excused.trackedMitigated++;
      continue;
    }
    let reason: GateReason = 'open';
    const old = before?.get(f.id);
    if (before) {
      if (old && blocks(old, failOn)) {
        excused.inBaseline++;
        continue;
      }
      reason = !old
        ? 'new'
        : old.status !== 'open'
          ? 'control-removed'
          : old.tracking && RESOLVED_STATUSES.has(old.tracking.effective)
            ? 'tracking-lapsed'
            : 'risk-rose';
    }
    const failure: { -readonly [K in keyof GateFailure]: GateFailure[K] } = { id: f.id, rule: f.rule, element: f.element, band: f.risk.residualBand, residual: f.risk.residual, reason };
    if (f.tracking) failure.tracking = { key: f.tracking.key, status: f.tracking.status, effective: f.tracking.effective, expired: f.tracking.expired };
    if (old) failure.baselineResidual = old.risk.residual;
    failing.push(failure);
  }
  failing.sort((a, b) => b.residual - a.residual || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { failOn, passed: failing.length === 0, failing, excused, belowThreshold, baseline: baseline !== undefined };
}
