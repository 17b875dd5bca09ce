/**
 * The risk scoring model as numbers: the tables and the combining functions of docs/risk-model.md.
 * Pure arithmetic, no model access: score.ts and profile.ts compute the inputs, this file turns them
 * into likelihood, impact, amplification and scores. Every function is monotone in its inputs and
 * returns a finite number in range for any finite input (non-finite inputs count as 0).
 */
import type { Severity } from '../engine/types.js';
import type { RiskFactorName, SideEffectName } from '../model/schema.js';

/** The seven agentic factors, in the order they are printed. */
export const AGENTIC_FACTORS = [
  'autonomy',
  'toolAccess',
  'memoryPersistence',
  'multiAgentReach',
  'nonDeterminism',
  'identityDynamics',
  'humanOversight',
] as const satisfies readonly RiskFactorName[];
export type AgenticFactorName = (typeof AGENTIC_FACTORS)[number];

/** The six factors that raise the amplification (humanOversight lowers it), with their weights (sum 1). */
export const AMPLIFYING_WEIGHTS: Readonly<Record<Exclude<AgenticFactorName, 'humanOversight'>, number>> = {
  autonomy: 0.25,
  toolAccess: 0.2,
  multiAgentReach: 0.2,
  identityDynamics: 0.15,
  memoryPersistence: 0.1,
  nonDeterminism: 0.1,
};

/** AMPLIFYING_WEIGHTS as [name, weight] pairs, in its order (listed once, not per score). */
const AMPLIFYING_ENTRIES = Object.entries(AMPLIFYING_WEIGHTS) as [keyof typeof AMPLIFYING_WEIGHTS, number][];

/** Largest amplification: the agentic context can raise a score by at most half. */
export const MAX_AMPLIFICATION = 1.5;
/** Share of the amplification that complete human oversight (10) takes away. */
export const OVERSIGHT_DAMPING = 0.6;

/** Base likelihood by rule severity (the rule's own estimate of how exploitable the condition is). */
export const SEVERITY_SCORE: Readonly<Record<Severity, number>> = { info: 1, low: 3, medium: 5, high: 7, critical: 9 };
/** Share of the severity score that stands whatever the exposure (the rest needs untrusted input). */
export const SEVERITY_FLOOR = 0.7;
/** Share of the remaining headroom (10 - likelihood) that chains crossing the element can add. */
export const CHAIN_WEIGHT = 0.5;

/** Data sensitivity as impact. */
export const SENSITIVITY_SCORE: Readonly<Record<string, number>> = { public: 1, internal: 3, confidential: 6, restricted: 9 };
/** Side effects as impact: how hard the effect is to undo. */
export const EFFECT_SCORE: Readonly<Record<SideEffectName, number>> = {
  read: 1,
  write: 4,
  'network-egress': 6,
  'send-message': 6,
  delete: 8,
  'execute-code': 8,
  'credential-access': 8,
  'system-config': 8,
  payment: 10,
  'blockchain-transaction': 10,
};
/** A crown-jewel asset in reach. */
export const CROWN_JEWEL_SCORE = 10;
/** system.criticality as business impact; 5 when not declared. */
export const CRITICALITY_SCORE: Readonly<Record<string, number>> = { low: 2, medium: 5, high: 8, critical: 10 };
export const UNKNOWN_CRITICALITY = 5;
/** Technical impact is at least this share of the severity score (the rule's estimate stands in when the model is silent). */
export const SEVERITY_IMPACT_FLOOR = 0.6;
/** Weight of technical impact (the rest is business impact, from system criticality). */
export const TECHNICAL_WEIGHT = 0.75;
/** Weight of system.dataSensitivity when nothing the element reaches declares a sensitivity. */
export const SYSTEM_SENSITIVITY_WEIGHT = 0.5;

/** A partial control gives this share of its pattern's reduction; a planned one gives none. */
export const PARTIAL_CREDIT = 0.5;

export type RiskBand = 'low' | 'medium' | 'high' | 'critical';
/** Bands by score (lower bound inclusive), applied to the rounded score. */
export const BANDS: readonly { readonly band: RiskBand; readonly min: number }[] = [
  { band: 'critical', min: 8 },
  { band: 'high', min: 6 },
  { band: 'medium', min: 3 },
  { band: 'low', min: 0 },
];

/** A finite number in [lo, hi]; NaN and infinities become lo. */
export function clamp(x: number, lo = 0, hi = 10): number {
  if (!Number.isFinite(x)) return lo;
  return x < lo ? lo : x > hi ? hi : x;
}

/** Round to `digits` decimals (output stability); -0 becomes 0. */
export function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  const r = Math.round(clamp(x, -1e9, 1e9) * f) / f;
  return r === 0 ? 0 : r;
}

/**
 * Likelihood 0..10 from the rule severity score S, exposure E and chain pressure C (each 0..10):
 * L0 = S * (0.7 + 0.3 * E/10), then L = L0 + (10 - L0) * 0.5 * C/10.
 */
export function likelihoodOf(severityScore: number, exposure: number, chains: number): number {
  const s = clamp(severityScore);
  const l0 = s * (SEVERITY_FLOOR + (1 - SEVERITY_FLOOR) * (clamp(exposure) / 10));
  return clamp(l0 + (10 - l0) * CHAIN_WEIGHT * (clamp(chains) / 10));
}

/** Technical impact: the worst consequence in reach, at least 0.6 of the severity score. */
export function technicalImpactOf(sensitivity: number, sideEffects: number, crownJewels: number, severityScore: number): number {
  return Math.max(clamp(sensitivity), clamp(sideEffects), clamp(crownJewels), SEVERITY_IMPACT_FLOOR * clamp(severityScore));
}

/** Impact 0..10 = 0.75 * technical + 0.25 * business (criticality). */
export function impactOf(technical: number, criticality: number): number {
  return clamp(TECHNICAL_WEIGHT * clamp(technical) + (1 - TECHNICAL_WEIGHT) * clamp(criticality));
}

/**
 * Amplification in [1, 1.5]: raw = weighted mean of the six amplifying factors / 10;
 * A = 1 + 0.5 * raw * (1 - 0.6 * humanOversight/10).
 */
export function amplificationOf(f: Readonly<Record<AgenticFactorName, number>>): number {
  let raw = 0;
  for (let k = 0; k < AMPLIFYING_ENTRIES.length; k++) {
    const [name, w] = AMPLIFYING_ENTRIES[k] as [keyof typeof AMPLIFYING_WEIGHTS, number];
    raw += w * clamp(f[name]);
  }
  raw = clamp(raw) / 10;
  const damping = 1 - OVERSIGHT_DAMPING * (clamp(f.humanOversight) / 10);
  return clamp(1 + (MAX_AMPLIFICATION - 1) * raw * damping, 1, MAX_AMPLIFICATION);
}

/** Base score 0..10 before amplification: B = L * I / 10 (OWASP Risk Rating: risk = likelihood x impact). */
export function baseScoreOf(likelihood: number, impact: number): number {
  return clamp((clamp(likelihood) * clamp(impact)) / 10);
}

/**
 * Score 0..10 = 10 * (1 - (1 - B/10)^A) with B = L * I / 10 and A in [1, 1.5]. The amplification
 * eats into the margin left below 10: for small scores it multiplies by about A, near the top it
 * saturates smoothly, so the score never passes 10 and stays strictly increasing in L, I and A.
 * Always B <= score <= min(10, A * B).
 */
export function scoreOf(likelihood: number, impact: number, amplification: number): number {
  const b = baseScoreOf(likelihood, impact) / 10;
  const a = clamp(amplification, 1, MAX_AMPLIFICATION);
  return clamp(10 * (1 - Math.pow(1 - b, a)));
}

export function bandOf(score: number): RiskBand {
  const s = clamp(score);
  for (const b of BANDS) if (s >= b.min) return b.band;
  return 'low';
}

/** Effective reduction of a control: implemented r, partial 1 - 0.5 (1 - r), planned 1 (no credit). */
export function effectiveReduction(reduction: number, status: 'implemented' | 'partial' | 'planned'): number {
  const r = clamp(reduction, 0, 1);
  if (status === 'planned') return 1;
  if (status === 'partial') return 1 - PARTIAL_CREDIT * (1 - r);
  return r;
}
