/**
 * Compare two analysed models: what a change to the model adds or removes in elements, findings,
 * attack chains and controls, and how the residual risk moves. Pure and deterministic: every list is
 * sorted with an id tie-break. Findings are matched by their stable id (`<rule>@<element>`), chains
 * by their sequence of element ids, elements and controls by id.
 */
import type { Analysis, AnalysedFinding } from '../engine/analyse.js';
import type { ResolvedModel } from '../model/resolve.js';
import type { RiskBand } from '../risk/model.js';
import { LAYER_IDS } from '../model/layers.js';

export const DIFF_SCHEMA_VERSION = 1;

export interface DiffElement {
  readonly id: string;
  readonly kind: string;
  readonly layer: string;
}

export interface DiffControl {
  readonly id: string;
  readonly pattern?: string;
  readonly status: string;
}

/** One side of the comparison: the analysis plus the elements and controls of its model. */
export interface DiffSide {
  /** How the user named it: a path, or `<rev>:<path>`. */
  readonly label: string;
  readonly analysis: Analysis;
  readonly elements: readonly DiffElement[];
  readonly controls: readonly DiffControl[];
  /**
   * Every attack step the model allows (`stepKey` of each propagation edge), when the caller computed
   * it: a chain that is new or gone in the top K is then checked against the other side's steps, so a
   * chain that only moved into or out of the top K is not reported as new or gone.
   */
  readonly steps?: ReadonlySet<string>;
}

/** Key of one attack step: source element, target element, and whether the target is taken over or read. */
export function stepKey(from: string, to: string, access: string): string {
  return `${from}\u0000${to}\u0000${access}`;
}

export interface DiffFinding {
  readonly id: string;
  readonly rule: string;
  readonly element: string;
  readonly layer: string;
  readonly severity: string;
  readonly status: string;
  readonly residual: number;
  readonly band: RiskBand;
}

export interface ChangedFinding {
  readonly id: string;
  readonly rule: string;
  readonly element: string;
  readonly before: { readonly status: string; readonly residual: number; readonly band: RiskBand };
  readonly after: { readonly status: string; readonly residual: number; readonly band: RiskBand };
  /** after - before, one decimal. */
  readonly delta: number;
}

export interface DiffChain {
  /** Element ids from the entry point to the target. */
  readonly path: readonly string[];
  readonly probability: number;
  readonly target: string;
  readonly targetKind: string;
}

export interface DiffTotals {
  readonly findings: number;
  readonly open: number;
  readonly residualTotal: number;
  readonly byResidualBand: Readonly<Record<RiskBand, number>>;
  readonly chains: number;
  readonly elements: number;
}

export interface ModelDiff {
  readonly schemaVersion: number;
  readonly before: { readonly label: string; readonly system: string };
  readonly after: { readonly label: string; readonly system: string };
  readonly elements: { readonly added: readonly DiffElement[]; readonly removed: readonly DiffElement[] };
  readonly findings: { readonly new: readonly DiffFinding[]; readonly gone: readonly DiffFinding[]; readonly changed: readonly ChangedFinding[] };
  readonly chains: {
    readonly new: readonly DiffChain[];
    readonly gone: readonly DiffChain[];
    /** In the top K after, not before, though the model allowed every step of it before too (its rank rose). */
    readonly rose: readonly DiffChain[];
    /** In the top K before, not after, though the model still allows every step of it (its rank fell). */
    readonly fell: readonly DiffChain[];
    readonly note: string;
  };
  readonly controls: { readonly removed: readonly DiffControl[]; readonly weakened: readonly { readonly id: string; readonly pattern?: string; readonly before: string; readonly after: string }[] };
  readonly totals: { readonly before: DiffTotals; readonly after: DiffTotals };
  /** true when nothing listed above changed. */
  readonly unchanged: boolean;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const round1 = (x: number): number => Math.round(x * 10) / 10;

/** The elements and controls of a resolved model, for a DiffSide. */
export function sideOf(label: string, resolved: ResolvedModel, analysis: Analysis, steps?: ReadonlySet<string>): DiffSide {
  const g = resolved.graph;
  const elements: DiffElement[] = [];
  const controls: DiffControl[] = [];
  for (let i = 0; i < g.size; i++) {
    const id = g.ids[i] ?? '';
    const kind = resolved.kindOf(i);
    elements.push({ id, kind, layer: LAYER_IDS[g.layers[i] ?? 0] ?? 'L1' });
    if (kind === 'control') {
      const spec = g.specs[i] ?? {};
      const pattern = spec['pattern'];
      const status = spec['status'];
      controls.push({ id, ...(typeof pattern === 'string' ? { pattern } : {}), status: typeof status === 'string' ? status : 'implemented' });
    }
  }
  return { label, analysis, elements, controls, ...(steps !== undefined ? { steps } : {}) };
}

function row(f: AnalysedFinding): DiffFinding {
  return { id: f.id, rule: f.rule, element: f.element, layer: f.layer, severity: f.severity, status: f.status, residual: f.risk.residual, band: f.risk.residualBand };
}

export function chainPath(c: { readonly steps: readonly { readonly from: string; readonly to: string }[]; readonly source: { readonly id: string }; readonly target: { readonly id: string } }): string[] {
  if (c.steps.length === 0) return [c.source.id, c.target.id];
  const path = [c.steps[0]?.from ?? c.source.id];
  for (const s of c.steps) path.push(s.to);
  return path;
}

interface KeyedChain {
  readonly chain: DiffChain;
  /** stepKey of each step. */
  readonly steps: readonly string[];
}

function chainsOf(a: Analysis): Map<string, KeyedChain> {
  const out = new Map<string, KeyedChain>();
  for (const c of a.crossLayer.chains) {
    const path = chainPath(c);
    const key = path.join('\u0000');
    if (out.has(key)) continue;
    out.set(key, { chain: { path, probability: c.probability, target: c.target.id, targetKind: c.target.kind }, steps: c.steps.map((st) => stepKey(st.from, st.to, st.access)) });
  }
  return out;
}

/** Does the side allow every step of the chain? Unknown (false) when the side's steps were not computed. */
function allows(side: DiffSide, c: KeyedChain): boolean {
  const steps = side.steps;
  return steps !== undefined && c.steps.length > 0 && c.steps.every((k) => steps.has(k));
}

function totals(s: DiffSide): DiffTotals {
  const a = s.analysis;
  return {
    findings: a.counts.findings,
    open: a.counts.open,
    residualTotal: a.risk.residualTotal,
    byResidualBand: { ...a.risk.byResidualBand },
    chains: a.crossLayer.chains.length,
    elements: s.elements.length,
  };
}

const CONTROL_STRENGTH: Readonly<Record<string, number>> = { implemented: 2, partial: 1, planned: 0 };

export function diffModels(before: DiffSide, after: DiffSide): ModelDiff {
  const byElement = (a: DiffElement, b: DiffElement) => cmp(a.layer, b.layer) || cmp(a.kind, b.kind) || cmp(a.id, b.id);
  const oldEls = new Set(before.elements.map((e) => e.id));
  const newEls = new Set(after.elements.map((e) => e.id));
  const added = after.elements.filter((e) => !oldEls.has(e.id)).sort(byElement);
  const removed = before.elements.filter((e) => !newEls.has(e.id)).sort(byElement);

  const oldF = new Map(before.analysis.findings.map((f) => [f.id, f]));
  const newF = new Map(after.analysis.findings.map((f) => [f.id, f]));
  const byRisk = (a: DiffFinding, b: DiffFinding) => b.residual - a.residual || cmp(a.id, b.id);
  const fNew = after.analysis.findings.filter((f) => !oldF.has(f.id)).map(row).sort(byRisk);
  const fGone = before.analysis.findings.filter((f) => !newF.has(f.id)).map(row).sort(byRisk);
  const changed: ChangedFinding[] = [];
  for (const f of after.analysis.findings) {
    const o = oldF.get(f.id);
    if (!o) continue;
    if (o.risk.residual === f.risk.residual && o.status === f.status && o.risk.residualBand === f.risk.residualBand) continue;
    changed.push({
      id: f.id,
      rule: f.rule,
      element: f.element,
      before: { status: o.status, residual: o.risk.residual, band: o.risk.residualBand },
      after: { status: f.status, residual: f.risk.residual, band: f.risk.residualBand },
      delta: round1(f.risk.residual - o.risk.residual),
    });
  }
  changed.sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || b.delta - a.delta || cmp(a.id, b.id));

  const oldC = chainsOf(before.analysis);
  const newC = chainsOf(after.analysis);
  const byProb = (a: DiffChain, b: DiffChain) => b.probability - a.probability || cmp(a.path.join('\u0000'), b.path.join('\u0000'));
  const entering = [...newC].filter(([k]) => !oldC.has(k)).map(([, c]) => c);
  const leaving = [...oldC].filter(([k]) => !newC.has(k)).map(([, c]) => c);
  const cNew = entering.filter((c) => !allows(before, c)).map((c) => c.chain).sort(byProb);
  const cRose = entering.filter((c) => allows(before, c)).map((c) => c.chain).sort(byProb);
  const cGone = leaving.filter((c) => !allows(after, c)).map((c) => c.chain).sort(byProb);
  const cFell = leaving.filter((c) => allows(after, c)).map((c) => c.chain).sort(byProb);
  const stepsKnown = before.steps !== undefined && after.steps !== undefined;

  const newCtl = new Map(after.controls.map((c) => [c.id, c]));
  const ctlRemoved = before.controls.filter((c) => !newCtl.has(c.id)).sort((a, b) => cmp(a.id, b.id));
  const weakened: { id: string; pattern?: string; before: string; after: string }[] = [];
  for (const c of before.controls) {
    const n = newCtl.get(c.id);
    if (!n) continue;
    if ((CONTROL_STRENGTH[n.status] ?? 0) < (CONTROL_STRENGTH[c.status] ?? 0)) weakened.push({ id: c.id, ...(c.pattern !== undefined ? { pattern: c.pattern } : {}), before: c.status, after: n.status });
  }
  weakened.sort((a, b) => cmp(a.id, b.id));

  const unchanged = added.length + removed.length + fNew.length + fGone.length + changed.length + cNew.length + cGone.length + cRose.length + cFell.length + ctlRemoved.length + weakened.length === 0;
  return {
    schemaVersion: DIFF_SCHEMA_VERSION,
    before: { label: before.label, system: before.analysis.system.name },
    after: { label: after.label, system: after.analysis.system.name },
    elements: { added, removed },
    findings: { new: fNew, gone: fGone, changed },
    chains: {
      new: cNew,
      gone: cGone,
      rose: cRose,
      fell: cFell,
      note: stepsKnown
        ? 'chains compared are the top-ranked ones of each side (see --chains); a chain the other side also allows, step by step, is listed as moved into or out of the top ranks, not as new or gone'
        : 'chains compared are the top-ranked ones of each side (see --chains); a chain can appear or go because its rank changed',
    },
    controls: { removed: ctlRemoved, weakened },
    totals: { before: totals(before), after: totals(after) },
    unchanged,
  };
}
