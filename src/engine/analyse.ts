/**
 * analyse(): the whole rules-stage analysis of a resolved model, as one plain, serialisable object.
 * Pure and deterministic: reporters render it, the CLI prints it, tests compare it.
 */
import type { Catalogue } from '../catalogue/load.js';
import { compareThreatIds } from '../catalogue/load.js';
import { LAYERS, type LayerId } from '../model/layers.js';
import type { ResolvedModel } from '../model/resolve.js';
import { runRules, type RuleTiming } from './run.js';
import { SEVERITIES, severityRank, type Finding, type Rule, type Severity } from './types.js';
import { analyseCrossLayer, type CrossLayerOptions, type CrossLayerView } from '../graph/index.js';
import { scoreFindings, compareByRisk, type ScoredFinding, type RiskBand } from '../risk/index.js';

export const ANALYSIS_SCHEMA_VERSION = 1;

export interface LayerSummary {
  readonly layer: LayerId;
  readonly name: string;
  /** Elements the model places on this layer. */
  readonly elements: number;
  readonly open: number;
  readonly mitigated: number;
  /** Highest severity among open findings, or null. */
  readonly highest: Severity | null;
  /** Distinct catalogue threats raised (open or mitigated). */
  readonly threats: readonly string[];
  /** The model says nothing about this layer (no element sits on it). */
  readonly silent: boolean;
}

export interface ThreatGap {
  readonly id: string;
  readonly name: string;
  readonly layers: readonly LayerId[];
  readonly reason: string;
}

export interface ValidationItem {
  readonly threat: string;
  readonly name: string;
  /** Finding ids (open ones first) that raised the threat. */
  readonly findings: readonly string[];
  readonly scenario: string;
  readonly expect: string;
  readonly telemetry: readonly { readonly signal: string; readonly where: string; readonly dataSource?: string | undefined; readonly dataComponent?: string | undefined }[];
}

export interface RiskSummary {
  readonly byBand: Readonly<Record<RiskBand, number>>;
  readonly byResidualBand: Readonly<Record<RiskBand, number>>;
  /** Sum of inherent and residual scores over all findings (one decimal): the what-if comparison uses it. */
  readonly inherentTotal: number;
  readonly residualTotal: number;
  /** Finding ids, highest residual risk first (top 20). */
  readonly top: readonly string[];
}

/** Triage states of risk tracking (src/tracking): keyed by finding id, survive re-analysis. */
export type TrackingStatus = 'open' | 'in-progress' | 'mitigated' | 'accepted' | 'false-positive';

/** The tracking entry that matched a finding, as applied to it. */
export interface FindingTracking {
  /** The status the entry declares. */
  readonly status: TrackingStatus;
  /** The status that counts: an acceptance past its expiry date counts as 'open'. */
  readonly effective: TrackingStatus;
  /** The entry's key as written (a finding id, or a pattern with * wildcards). */
  readonly key: string;
  readonly justification?: string;
  readonly owner?: string;
  readonly ticket?: string;
  /** ISO dates (YYYY-MM-DD). */
  readonly review?: string;
  readonly expires?: string;
  readonly expired: boolean;
}

/** Added to the analysis when tracking entries were applied. */
export interface TrackingSummary {
  /** Where the entries came from (a sidecar file path, or 'model' for the model's own section). */
  readonly source: string;
  /** Findings per effective status. */
  readonly counts: Readonly<Record<TrackingStatus, number>>;
  /** Entries that match no finding: reported so they can be removed. */
  readonly stale: readonly { readonly key: string; readonly line?: number }[];
}

export type AnalysedFinding = ScoredFinding & { readonly tracking?: FindingTracking };

export interface Analysis {
  readonly schemaVersion: number;
  readonly system: { readonly name: string; readonly criticality?: string; readonly dataSensitivity?: string };
  readonly counts: { readonly elements: number; readonly findings: number; readonly open: number; readonly mitigated: number; readonly rules: number; readonly threats: number };
  readonly layers: readonly LayerSummary[];
  readonly findings: readonly AnalysedFinding[];
  readonly risk: RiskSummary;
  /** Present when risk-tracking entries were applied (src/tracking). */
  readonly tracking?: TrackingSummary;
  /** Cross-layer attack chains, blast radius, choke points and first defences. */
  readonly crossLayer: CrossLayerView;
  /** For every threat raised: how to test the defence and what telemetry would show an attack. */
  readonly validationPlan: readonly ValidationItem[];
  /** Threats the model could not be checked for because it lacks the information. */
  readonly unassessed: readonly ThreatGap[];
  /** Threats no rule can detect from a model: a reviewer must assess them. */
  readonly manual: readonly ThreatGap[];
  readonly unassessedRules: readonly { rule: string; reason: string }[];
}

export interface AnalyseOptions {
  readonly timing?: boolean;
  /** Called as each phase starts (the CLI shows it on a terminal during long runs). */
  readonly onPhase?: (phase: 'rules' | 'cross-layer' | 'risk' | 'summaries') => void;
  readonly crossLayer?: CrossLayerOptions;
}

export interface PhaseTiming {
  readonly phase: string;
  readonly ms: number;
}

export function analyse(
  model: ResolvedModel,
  catalogue: Catalogue,
  rules: readonly Rule[],
  options: AnalyseOptions = {},
): { analysis: Analysis; timing?: RuleTiming[]; phases?: PhaseTiming[] } {
  const clock = () => (options.timing ? performance.now() : 0);
  const phases: PhaseTiming[] = [];
  const onPhase = options.onPhase ?? (() => undefined);
  onPhase('rules');
  let t0 = clock();
  const run = runRules(model, rules, options.timing ? { timing: true } : {});
  phases.push({ phase: 'rules', ms: clock() - t0 });
  onPhase('cross-layer');
  t0 = clock();
  const cross = analyseCrossLayer(model, catalogue, options.crossLayer ?? {});
  phases.push({ phase: 'cross-layer', ms: clock() - t0 });
  onPhase('risk');
  t0 = clock();
  const scored = scoreFindings(model, run.findings, catalogue, { chainCount: cross.chainCount, blastReach: cross.blastReach, chainTotal: cross.view.chains.length, chainExposure: cross.chainExposure });
  phases.push({ phase: 'risk', ms: clock() - t0 });
  onPhase('summaries');
  const g = model.graph;
  const layerElements = new Array<number>(7).fill(0);
  for (let i = 0; i < g.size; i++) layerElements[g.layers[i] ?? 0] = (layerElements[g.layers[i] ?? 0] ?? 0) + 1;

  // One pass over the findings for every per-layer and per-threat count.
  const layerIndex = new Map<LayerId, number>(LAYERS.map((l, li) => [l.id, li]));
  const layerOpen = new Array<number>(LAYERS.length).fill(0);
  const layerAll = new Array<number>(LAYERS.length).fill(0);
  const layerHighest = new Array<number>(LAYERS.length).fill(-1);
  const layerThreats = LAYERS.map(() => new Set<string>());
  const allThreats = new Set<string>();
  let open = 0;
  // Indexed loops: analyse() runs once, so its loops seldom get optimised and for-of would allocate per step.
  const findings = run.findings;
  for (let k = 0; k < findings.length; k++) {
    const f = findings[k] as Finding;
    const isOpen = f.status === 'open';
    if (isOpen) open++;
    const fThreats = f.threats;
    for (let j = 0; j < fThreats.length; j++) allThreats.add(fThreats[j] ?? '');
    const li = layerIndex.get(f.layer);
    if (li === undefined) continue;
    layerAll[li] = (layerAll[li] ?? 0) + 1;
    if (isOpen) {
      layerOpen[li] = (layerOpen[li] ?? 0) + 1;
      const rank = severityRank(f.severity);
      if (rank > (layerHighest[li] ?? -1)) layerHighest[li] = rank;
    }
    const set = layerThreats[li];
    if (set) for (let j = 0; j < fThreats.length; j++) set.add(fThreats[j] ?? '');
  }
  const layers: LayerSummary[] = LAYERS.map((l, li) => {
    const all = layerAll[li] ?? 0;
    const openHere = layerOpen[li] ?? 0;
    const highest = SEVERITIES[layerHighest[li] ?? -1] ?? null;
    const threats = [...(layerThreats[li] ?? [])].sort(compareThreatIds);
    const elements = layerElements[li] ?? 0;
    return { layer: l.id, name: l.name, elements, open: openHere, mitigated: all - openHere, highest, threats, silent: elements === 0 };
  });

  // Honest gaps: a threat is unassessed when every rule that could raise it could not run.
  const unassessedRuleIds = new Set(run.unassessedRules.map((u) => u.rule));
  const rulesByThreat = new Map<string, string[]>();
  for (const r of rules) {
    for (const t of r.meta.threats) {
      const list = rulesByThreat.get(t);
      if (list) list.push(r.meta.id);
      else rulesByThreat.set(t, [r.meta.id]);
    }
  }
  const unassessed: ThreatGap[] = [];
  const manual: ThreatGap[] = [];
  const ids = [...catalogue.threats.keys()].sort(compareThreatIds);
  for (const id of ids) {
    const t = catalogue.threats.get(id);
    if (!t) continue;
    if (t.detection === 'manual') {
      manual.push({ id, name: t.name, layers: t.layers, reason: t.manualReason ?? 'no model attribute can show it' });
      continue;
    }
    const rs = rulesByThreat.get(id) ?? [];
    if (rs.length > 0 && rs.every((r) => unassessedRuleIds.has(r))) {
      const reasons = [...new Set(run.unassessedRules.filter((u) => rs.includes(u.rule)).map((u) => u.reason))];
      unassessed.push({ id, name: t.name, layers: t.layers, reason: reasons.join('; ') });
    }
  }
  const bands = (): Record<RiskBand, number> => ({ low: 0, medium: 0, high: 0, critical: 0 });
  const byBand = bands();
  const byResidualBand = bands();
  let inherentTotal = 0;
  let residualTotal = 0;
  for (let k = 0; k < scored.length; k++) {
    const f = scored[k] as ScoredFinding;
    byBand[f.risk.band]++;
    byResidualBand[f.risk.residualBand]++;
    inherentTotal += f.risk.inherent;
    residualTotal += f.risk.residual;
  }
  const risk: RiskSummary = {
    byBand,
    byResidualBand,
    inherentTotal: Math.round(inherentTotal * 10) / 10,
    residualTotal: Math.round(residualTotal * 10) / 10,
    top: topByRisk(scored, TOP_RISKS).map((f) => f.id),
  };
  // Validation plan: one item per threat raised, open findings first.
  const byThreat = new Map<string, string[]>();
  for (const wantOpen of [true, false]) {
    for (let k = 0; k < scored.length; k++) {
      const f = scored[k] as ScoredFinding;
      if ((f.status === 'open') !== wantOpen) continue;
      for (let j = 0; j < f.threats.length; j++) {
        const t = f.threats[j] ?? '';
        const list = byThreat.get(t);
        if (list) list.push(f.id);
        else byThreat.set(t, [f.id]);
      }
    }
  }
  const validationPlan: ValidationItem[] = [];
  for (const id of [...byThreat.keys()].sort(compareThreatIds)) {
    const t = catalogue.threats.get(id);
    if (!t?.validation) continue;
    validationPlan.push({
      threat: id,
      name: t.name,
      findings: byThreat.get(id) ?? [],
      scenario: t.validation.scenario.trim(),
      expect: t.validation.expect.trim(),
      telemetry: (t.telemetry ?? []).map((x) => ({ ...x })),
    });
  }
  const spec = model.model.system;
  const system: { name: string; criticality?: string; dataSensitivity?: string } = { name: spec.name };
  if (spec.criticality) system.criticality = spec.criticality;
  if (spec.dataSensitivity) system.dataSensitivity = spec.dataSensitivity;
  const analysis: Analysis = {
    schemaVersion: ANALYSIS_SCHEMA_VERSION,
    system,
    counts: {
      elements: g.size,
      findings: run.findings.length,
      open,
      mitigated: run.findings.length - open,
      rules: run.assessedRules.length,
      threats: allThreats.size,
    },
    layers,
    findings: scored,
    risk,
    crossLayer: cross.view,
    validationPlan,
    unassessed,
    manual,
    unassessedRules: run.unassessedRules,
  };
  return options.timing ? { analysis, timing: run.timing ?? [], phases } : { analysis };
}

/** How many finding ids the risk summary lists. */
const TOP_RISKS = 20;

/**
 * The first `n` findings of a stable sort by compareByRisk, without sorting them all: one pass
 * keeping a sorted list of at most n (a later finding goes after every kept one that ties with it).
 */
function topByRisk(scored: readonly ScoredFinding[], n: number): ScoredFinding[] {
  const top: ScoredFinding[] = [];
  for (let i = 0; i < scored.length; i++) {
    const f = scored[i] as ScoredFinding;
    const last = top[top.length - 1];
    if (top.length >= n && last !== undefined && compareByRisk(last, f) <= 0) continue;
    let k = top.length;
    while (k > 0 && compareByRisk(top[k - 1] as ScoredFinding, f) > 0) k--;
    top.splice(k, 0, f);
    if (top.length > n) top.pop();
  }
  return top;
}
