/**
 * Explained risk scores for findings (docs/risk-model.md). Pure and deterministic: the same model,
 * findings, catalogue and graph inputs give the same scores, byte for byte once serialised.
 *
 * score = 10 * (1 - (1 - likelihood * impact / 100) ^ amplification); residual uses the likelihood
 * left after the declared controls. Every score lists its factors, where each value came from, and the
 * reason of any override the model makes.
 */
import type { Catalogue } from '../catalogue/load.js';
import type { Finding } from '../engine/types.js';
import { isRecord } from '../model/references.js';
import type { ResolvedModel } from '../model/resolve.js';
import { RISK_FACTORS, type RiskFactorName } from '../model/schema.js';
import {
  AGENTIC_FACTORS,
  CRITICALITY_SCORE,
  SEVERITY_IMPACT_FLOOR,
  SEVERITY_SCORE,
  SYSTEM_SENSITIVITY_WEIGHT,
  UNKNOWN_CRITICALITY,
  amplificationOf,
  bandOf,
  clamp,
  effectiveReduction,
  impactOf,
  likelihoodOf,
  round,
  scoreOf,
  technicalImpactOf,
  type AgenticFactorName,
  type RiskBand,
} from './model.js';
import { Profiler, type ElementProfile, type Valued } from './profile.js';

/** Per-element results of the graph analysis (src/graph), indexed like the resolved graph. */
export interface RiskInputs {
  /** Number of the top-K attack chains that cross each element. */
  readonly chainCount?: Int32Array;
  /** Number of elements that fall when each element is compromised. */
  readonly blastReach?: Int32Array;
  /** How many chains were found (K or fewer). Default: the largest chainCount. */
  readonly chainTotal?: number;
  /**
   * Likelihood (0..1) of the best attack chain through each element, over all paths. This, not the
   * top-K count, feeds the score: it never rises when a control is added, so scores cannot either.
   */
  readonly chainExposure?: Float64Array;
}

export interface RiskFactor {
  readonly name: RiskFactorName;
  /** 0..10, one decimal. */
  readonly value: number;
  readonly source: 'computed' | 'override';
  /** Plain text: the model attributes the value was computed from. */
  readonly basis: string;
  /** The override's reason (source 'override' only). */
  readonly reason?: string;
  /** The value the model would have computed (source 'override' only). */
  readonly computed?: number;
}

/** The parts of likelihood and impact, 0..10 each, one decimal. */
export interface RiskComponents {
  /** Rule severity as a score (info 1, low 3, medium 5, high 7, critical 9). */
  readonly severity: number;
  /** Untrusted input reaching the element. */
  readonly exposure: number;
  /** Share of the top attack chains crossing the element, times 10. */
  readonly chains: number;
  /** Highest data sensitivity in reach. */
  readonly sensitivity: number;
  /** Worst side effect in reach. */
  readonly sideEffects: number;
  /** Crown jewel in reach (10) or not (0). */
  readonly crownJewels: number;
  /** system.criticality. */
  readonly criticality: number;
}

export interface AppliedControl {
  readonly id: string;
  readonly pattern: string;
  readonly status: 'implemented' | 'partial' | 'planned';
  /** The pattern's reduction (fraction of likelihood left), or 1 when the catalogue gives none. */
  readonly reduction: number;
  /** What the control actually leaves: the reduction, half-credited when partial, 1 when planned. */
  readonly effective: number;
  /** false when another control of the same pattern already counted, or when it is planned. */
  readonly counted: boolean;
}

export interface RiskScore {
  /** 0..10, one decimal. */
  readonly likelihood: number;
  readonly impact: number;
  /** 1.00..1.50, two decimals. */
  readonly amplification: number;
  /** Likelihood left after the declared controls, one decimal. */
  readonly residualLikelihood: number;
  /** 0..10, one decimal. */
  readonly inherent: number;
  readonly residual: number;
  readonly band: RiskBand;
  readonly residualBand: RiskBand;
  /** Every factor of RISK_FACTORS, in that order. */
  readonly factors: readonly RiskFactor[];
  readonly components: RiskComponents;
  /** Declared controls that matched the finding, in id order. */
  readonly controls: readonly AppliedControl[];
  /** Plain-text lines explaining the score. */
  readonly why: readonly string[];
}

export type ScoredFinding = Finding & { readonly risk: RiskScore };

interface Override {
  readonly value: number;
  readonly reason: string;
}

/** The overrides an element declares in `risk.overrides` (invalid entries are ignored). */
export function overridesOf(spec: Readonly<Record<string, unknown>> | undefined): Partial<Record<RiskFactorName, Override>> {
  const res: Partial<Record<RiskFactorName, Override>> = {};
  const risk = spec?.['risk'];
  if (!isRecord(risk) || !isRecord(risk['overrides'])) return res;
  const o = risk['overrides'];
  for (const name of RISK_FACTORS) {
    if (!Object.hasOwn(o, name)) continue;
    const entry = o[name];
    if (!isRecord(entry) || typeof entry['value'] !== 'number' || !Number.isFinite(entry['value'])) continue;
    res[name] = { value: clamp(entry['value']), reason: typeof entry['reason'] === 'string' ? entry['reason'] : '' };
  }
  return res;
}

function at(arr: Int32Array | undefined, i: number): number {
  if (arr === undefined || i < 0 || i >= arr.length) return 0;
  const v = arr[i] ?? 0;
  return v > 0 ? v : 0;
}

function controlStatus(v: unknown): 'implemented' | 'partial' | 'planned' {
  return v === 'partial' || v === 'planned' ? v : 'implemented';
}

interface ElementRisk {
  readonly id: string;
  readonly overrides: Partial<Record<RiskFactorName, Override>>;
  readonly profile: ElementProfile;
  readonly exposure: number;
  readonly chains: number;
  readonly chainCount: number;
  /** Likelihood of the best attack chain through the element (0..1, unrounded). */
  readonly chainLikelihood: number;
  readonly likelihoodBasis: string;
  readonly sensitivity: number;
  readonly sensitivityBasis: string;
  readonly sideEffects: number;
  readonly crownJewels: number;
  readonly impactBasis: string;
  readonly agentic: readonly RiskFactor[];
  readonly amplification: number;
  readonly agenticWhy: readonly string[];
}

/** A factor with its computed value, replaced by the model's override when there is one. */
function factorOf(name: RiskFactorName, computed: number, basis: string, overrides: Partial<Record<RiskFactorName, Override>>): RiskFactor {
  const c = round(computed);
  const o = overrides[name];
  if (o === undefined) return { name, value: c, source: 'computed', basis };
  return { name, value: round(o.value), source: 'override', basis, reason: o.reason, computed: c };
}

function overrideLine(f: RiskFactor): string {
  return `${f.name} set to ${fmt(f.value)} by the model (computed ${fmt(f.computed ?? 0)}): ${f.reason ?? ''}`;
}

function fmt(x: number): string {
  return round(x, 1).toFixed(1);
}

/**
 * Score findings. Returns the findings in the order given, each with its `risk`. Findings on an
 * element the model does not hold still get finite scores (from their severity alone).
 */
export function scoreFindings(resolved: ResolvedModel, findings: readonly Finding[], catalogue: Catalogue, inputs: RiskInputs = {}): ScoredFinding[] {
  const scorer = new RiskScorer(resolved, catalogue, inputs);
  const res = new Array<ScoredFinding>(findings.length);
  for (let k = 0; k < findings.length; k++) {
    const f = findings[k] as Finding;
    const risk = scorer.shared(f);
    // A finding with exactly the engine's fields in the engine's order (every one runRules makes) is
    // copied field by field: the same object as the spread below, built several times faster.
    res[k] = hasEngineShape(f)
      ? {
          id: f.id,
          rule: f.rule,
          threats: f.threats,
          element: f.element,
          elements: f.elements,
          kind: f.kind,
          layer: f.layer,
          severity: f.severity,
          message: f.message,
          evidence: f.evidence,
          defences: f.defences,
          status: f.status,
          mitigatedBy: f.mitigatedBy,
          partialControls: f.partialControls,
          risk,
        }
      : { ...f, risk };
  }
  return res;
}

/** The own enumerable keys of a Finding as runRules writes them, in that order. */
const ENGINE_FIELDS: readonly string[] = ['id', 'rule', 'threats', 'element', 'elements', 'kind', 'layer', 'severity', 'message', 'evidence', 'defences', 'status', 'mitigatedBy', 'partialControls'];

/** Does f have exactly ENGINE_FIELDS as its enumerable keys, in order, of a plain object? */
function hasEngineShape(f: Finding): boolean {
  if (Object.getPrototypeOf(f) !== Object.prototype) return false;
  let j = 0;
  for (const key in f) {
    if (key !== ENGINE_FIELDS[j]) return false;
    j++;
  }
  return j === ENGINE_FIELDS.length;
}

/** Scores by finding id. */
export function riskById(scored: readonly ScoredFinding[]): Map<string, RiskScore> {
  return new Map(scored.map((s) => [s.id, s.risk]));
}

/** Highest residual first, then highest inherent, then finding id: the order to fix things in. */
export function compareByRisk(a: ScoredFinding, b: ScoredFinding): number {
  return b.risk.residual - a.risk.residual || b.risk.inherent - a.risk.inherent || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Freeze a score that several findings share (a caller that mutates it fails loudly). */
function freezeScore(r: RiskScore): RiskScore {
  Object.freeze(r.factors);
  Object.freeze(r.components);
  Object.freeze(r.controls);
  Object.freeze(r.why);
  return Object.freeze(r);
}

function atFloat(arr: Float64Array | undefined, i: number): number {
  if (!arr || i < 0 || i >= arr.length) return 0;
  const v = arr[i] ?? 0;
  return Number.isFinite(v) && v > 0 ? Math.min(1, v) : 0;
}

export class RiskScorer {
  private readonly profiler: Profiler;
  private readonly chainTotal: number;
  private readonly criticality: number;
  private readonly criticalityText: string;
  private readonly reachCache = new Map<number, { value: number; basis: string; blast: number; chains: number; exposure: number }>();
  private readonly elementCache = new Map<number, ElementRisk>();
  /** Scores by element id, severity and matched controls: everything a score depends on. */
  private readonly scoreCache = new Map<string, Map<string, RiskScore>>();

  constructor(
    private readonly m: ResolvedModel,
    private readonly catalogue: Catalogue,
    private readonly inputs: RiskInputs,
  ) {
    this.profiler = new Profiler(m);
    let max = 0;
    const cc = inputs.chainCount;
    if (cc) for (let i = 0; i < cc.length && i < m.graph.size; i++) max = Math.max(max, cc[i] ?? 0);
    const given = inputs.chainTotal;
    this.chainTotal = given !== undefined && Number.isFinite(given) && given > 0 ? Math.max(given, max) : max;
    const sys = isRecord(m.model.system) ? m.model.system : undefined;
    const crit = sys !== undefined && typeof sys['criticality'] === 'string' ? sys['criticality'] : undefined;
    this.criticality = crit !== undefined ? (CRITICALITY_SCORE[crit] ?? UNKNOWN_CRITICALITY) : UNKNOWN_CRITICALITY;
    this.criticalityText = crit !== undefined ? `system criticality ${crit} (${this.criticality})` : `system criticality not declared (${UNKNOWN_CRITICALITY})`;
  }

  /** multiAgentReach of element i: 10 * (1 - (1 - blast share) * (1 - chain share)), blast share on a log scale. */
  private multiAgentReach(i: number, p: ElementProfile): { value: number; basis: string; blast: number; chains: number; exposure: number } {
    const hit = this.reachCache.get(i);
    if (hit) return hit;
    const n = this.m.graph.size;
    const blast = at(this.inputs.blastReach, i);
    const chains = at(this.inputs.chainCount, i);
    const reach = Math.max(blast, p.oneHopReach.value);
    const blastShare = n >= 2 ? clamp(Math.log1p(reach) / Math.log1p(n), 0, 1) : 0;
    const exposure = atFloat(this.inputs.chainExposure, i);
    const chainShare = clamp(exposure, 0, 1);
    const value = clamp(10 * (1 - (1 - blastShare) * (1 - chainShare)));
    const parts: string[] = [];
    if (blast > 0 && blast >= p.oneHopReach.value) parts.push(`blast radius ${blast} of ${n} elements`);
    else parts.push(`one-hop reach ${p.oneHopReach.value} of ${n} elements (${p.oneHopReach.basis})`);
    parts.push(exposure > 0 ? `best attack chain through it has likelihood ${exposure.toFixed(3)}${this.chainTotal > 0 ? ` (${chains} of ${this.chainTotal} top chains cross it)` : ''}` : 'no attack chain crosses it');
    const res = { value, basis: parts.join(', '), blast, chains, exposure };
    this.reachCache.set(i, res);
    return res;
  }

  /** Everything about element i that does not depend on the finding (cached: many findings share an element). */
  private element(i: number): ElementRisk {
    const hit = this.elementCache.get(i);
    if (hit) return hit;
    const m = this.m;
    const p = this.profiler.profile(i);
    const overrides = overridesOf(i >= 0 ? m.graph.specs[i] : undefined);
    const id = i >= 0 ? (m.graph.ids[i] ?? '') : '';
    const reach = this.multiAgentReach(i, p);
    const exposure = round(p.exposure.value);
    const chains = round(clamp(10 * reach.exposure));
    const likelihoodBasis = [
      `exposure ${fmt(exposure)}${p.exposure.basis !== '' ? `: ${p.exposure.basis}` : ''}`,
      `chains ${fmt(chains)}: best attack chain through it has likelihood ${reach.exposure.toFixed(3)}${reach.chains > 0 ? ` (${reach.chains} of ${this.chainTotal} top chains)` : ''}`,
    ].join('; ');
    const dataSens: Valued =
      p.sensitivity.value > 0
        ? p.sensitivity
        : { value: SYSTEM_SENSITIVITY_WEIGHT * this.profiler.systemDataSensitivity, basis: 'nothing in reach declares a sensitivity: half of system.dataSensitivity' };
    const sensitivity = round(dataSens.value);
    const sideEffects = round(p.sideEffects.value);
    const crownJewels = round(p.crownJewels.value);
    const impactBasis = [
      `data sensitivity ${fmt(sensitivity)}${dataSens.value > 0 ? `: ${dataSens.basis}` : ''}`,
      `side effects ${fmt(sideEffects)}${p.sideEffects.value > 0 ? `: ${p.sideEffects.basis}` : ''}`,
      `crown jewels ${fmt(crownJewels)}${p.crownJewels.value > 0 ? `: ${p.crownJewels.basis}` : ''}`,
      this.criticalityText,
    ].join('; ');

    const computed: Record<AgenticFactorName, Valued> = {
      autonomy: p.agentic.autonomy,
      toolAccess: p.agentic.toolAccess,
      memoryPersistence: p.agentic.memoryPersistence,
      multiAgentReach: { value: reach.value, basis: reach.basis },
      nonDeterminism: p.agentic.nonDeterminism,
      identityDynamics: p.agentic.identityDynamics,
      humanOversight: p.agentic.humanOversight,
    };
    const agentic: RiskFactor[] = [];
    const values = {} as Record<AgenticFactorName, number>;
    for (const name of AGENTIC_FACTORS) {
      const f = factorOf(name, computed[name].value, computed[name].basis, overrides);
      values[name] = f.value;
      agentic.push(f);
    }
    const amplification = round(amplificationOf(values), 2);

    const why: string[] = [];
    if (reach.blast > 0) why.push(`if ${id} is compromised, ${reach.blast} element${reach.blast === 1 ? '' : 's'} fall: multi-agent reach ${fmt(values.multiAgentReach)}`);
    const high = AGENTIC_FACTORS.filter((n) => n !== 'humanOversight' && values[n] >= 7);
    const ampText = high.length > 0 ? `raised by ${high.map((n) => `${n} ${fmt(values[n])}`).join(', ')}` : 'no agentic factor is high';
    why.push(`agentic amplification x${amplification.toFixed(2)}: ${ampText}`);
    if (values.humanOversight > 0) why.push(`human oversight ${fmt(values.humanOversight)} lowers the amplification: ${computed.humanOversight.basis}`);

    const res: ElementRisk = {
      id,
      overrides,
      profile: p,
      exposure,
      chains,
      chainCount: reach.chains,
      chainLikelihood: reach.exposure,
      likelihoodBasis,
      sensitivity,
      sensitivityBasis: dataSens.basis,
      sideEffects,
      crownJewels,
      impactBasis,
      agentic,
      amplification,
      agenticWhy: why,
    };
    this.elementCache.set(i, res);
    return res;
  }

  /**
   * The score of f, shared (frozen) with every other finding on the same element with the same
   * severity and the same matched controls: a score depends on nothing else.
   */
  shared(f: Finding): RiskScore {
    let byElement = this.scoreCache.get(f.element);
    if (byElement === undefined) {
      byElement = new Map();
      this.scoreCache.set(f.element, byElement);
    }
    const key = f.mitigatedBy.length === 0 && f.partialControls.length === 0 ? f.severity : JSON.stringify([f.severity, f.mitigatedBy, f.partialControls]);
    let r = byElement.get(key);
    if (r === undefined) {
      r = freezeScore(this.score(f));
      byElement.set(key, r);
    }
    return r;
  }

  score(f: Finding): RiskScore {
    const e = this.element(this.m.indexOf(f.element));
    const p = e.profile;
    const severity = SEVERITY_SCORE[f.severity] ?? SEVERITY_SCORE.medium;
    const computedL = round(likelihoodOf(severity, e.exposure, e.chains));
    const computedI = round(impactOf(technicalImpactOf(e.sensitivity, e.sideEffects, e.crownJewels, severity), this.criticality));
    const lf = factorOf('likelihood', computedL, `rule severity ${f.severity} (${severity}); ${e.likelihoodBasis}`, e.overrides);
    const imf = factorOf('impact', computedI, e.impactBasis, e.overrides);
    const factors: RiskFactor[] = [lf, imf, ...e.agentic];
    const likelihood = lf.value;
    const impact = imf.value;
    const amplification = e.amplification;

    // Residual: likelihood times the reduction of each distinct pattern among the matched controls.
    const controls = this.controlsOf(f);
    let left = 1;
    for (const c of controls) if (c.counted) left *= c.effective;
    const residualL = clamp(likelihood * left);
    const inherent = round(scoreOf(likelihood, impact, amplification));
    const residual = Math.min(inherent, round(scoreOf(residualL, impact, amplification)));

    const why: string[] = [];
    if (lf.source === 'override') why.push(overrideLine(lf));
    else {
      why.push(`likelihood ${fmt(likelihood)}: rule severity ${f.severity} gives ${severity}`);
      if (e.exposure > 0) why.push(`${p.exposure.basis}: likelihood raised (exposure ${fmt(e.exposure)})`);
      if (e.chains > 0) {
        why.push(
          `the most likely attack chain through ${f.element} has likelihood ${e.chainLikelihood.toFixed(3)}${e.chainCount > 0 ? ` (${e.chainCount} of the ${this.chainTotal} top attack chains cross it)` : ''}: likelihood raised`,
        );
      }
    }
    why.push(imf.source === 'override' ? overrideLine(imf) : `impact ${fmt(impact)}: ${this.impactReason(e, severity)}; ${this.criticalityText}`);
    why.push(...e.agenticWhy);
    for (const fct of e.agentic) if (fct.source === 'override') why.push(overrideLine(fct));
    for (const c of controls) {
      if (c.status === 'planned') why.push(`control ${c.id} (${c.pattern}) is planned: not counted`);
      else if (!c.counted) why.push(`control ${c.id} (${c.pattern}) implements a pattern already counted`);
      else why.push(`control ${c.id} (${c.pattern}, ${c.status}) leaves ${Math.round(c.effective * 100)}% of the likelihood`);
    }
    why.push(`inherent ${fmt(inherent)} (${bandOf(inherent)}), residual ${fmt(residual)} (${bandOf(residual)})`);

    return {
      likelihood,
      impact,
      amplification,
      residualLikelihood: round(residualL),
      inherent,
      residual,
      band: bandOf(inherent),
      residualBand: bandOf(residual),
      factors,
      components: {
        severity,
        exposure: e.exposure,
        chains: e.chains,
        sensitivity: e.sensitivity,
        sideEffects: e.sideEffects,
        crownJewels: e.crownJewels,
        criticality: this.criticality,
      },
      controls,
      why,
    };
  }

  private impactReason(e: ElementRisk, severity: number): string {
    const worst = Math.max(e.sensitivity, e.sideEffects, e.crownJewels);
    if (worst <= 0 || worst < SEVERITY_IMPACT_FLOOR * severity) return 'the model declares little in reach; the rule severity stands in';
    if (e.crownJewels >= worst) return e.profile.crownJewels.basis;
    if (e.sideEffects >= worst) return e.profile.sideEffects.basis;
    return e.sensitivityBasis;
  }

  /** The finding's matched controls, with the reduction of their pattern; each pattern counts once (its best control). */
  private controlsOf(f: Finding): AppliedControl[] {
    if (f.mitigatedBy.length === 0 && f.partialControls.length === 0) return [];
    const g = this.m.graph;
    const ids = [...new Set([...f.mitigatedBy, ...f.partialControls])].sort();
    const raw: Omit<AppliedControl, 'counted'>[] = [];
    for (const id of ids) {
      const c = this.m.indexOf(id);
      const spec = c >= 0 ? g.specs[c] : undefined;
      const pattern = spec !== undefined && typeof spec['pattern'] === 'string' ? spec['pattern'] : '';
      // The engine decides what matches; a control it lists as mitigating counts as implemented.
      const status = f.mitigatedBy.includes(id) ? 'implemented' : controlStatus(spec?.['status']) === 'implemented' ? 'partial' : controlStatus(spec?.['status']);
      const declared = this.catalogue.patterns.get(pattern)?.reduction;
      const reduction = declared !== undefined && Number.isFinite(declared) ? clamp(declared, 0, 1) : 1;
      raw.push({ id, pattern, status, reduction, effective: effectiveReduction(reduction, status) });
    }
    // Best (lowest effective) control per pattern counts; ties go to the first id.
    const best = new Map<string, string>();
    for (const c of raw) {
      if (c.status === 'planned') continue;
      const prev = best.get(c.pattern);
      const prevC = prev === undefined ? undefined : raw.find((x) => x.id === prev);
      if (prevC === undefined || c.effective < prevC.effective) best.set(c.pattern, c.id);
    }
    return raw.map((c) => ({ ...c, counted: best.get(c.pattern) === c.id }));
  }
}
