/**
 * Explained risk (docs/risk-model.md): likelihood and impact on 0..10 scales, amplified by agentic
 * factors, reduced by declared controls. Pure and deterministic; no I/O.
 */
export {
  scoreFindings,
  riskById,
  compareByRisk,
  overridesOf,
  RiskScorer,
  type RiskInputs,
  type RiskFactor,
  type RiskComponents,
  type AppliedControl,
  type RiskScore,
  type ScoredFinding,
} from './score.js';
export {
  AGENTIC_FACTORS,
  AMPLIFYING_WEIGHTS,
  MAX_AMPLIFICATION,
  OVERSIGHT_DAMPING,
  SEVERITY_SCORE,
  SENSITIVITY_SCORE,
  EFFECT_SCORE,
  CRITICALITY_SCORE,
  PARTIAL_CREDIT,
  BANDS,
  bandOf,
  likelihoodOf,
  impactOf,
  technicalImpactOf,
  amplificationOf,
  scoreOf,
  baseScoreOf,
  effectiveReduction,
  type AgenticFactorName,
  type RiskBand,
} from './model.js';
export { Profiler, type ElementProfile, type Valued } from './profile.js';
