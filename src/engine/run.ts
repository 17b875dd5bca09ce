/**
 * Run rules over a resolved model. Pure and deterministic: the same model and rules give the same
 * findings in the same order. The engine never branches on a rule or threat id; what it needs to
 * know about a rule is in its meta.
 */
import { EDGE_TYPE_INDEX } from '../model/references.js';
import { KIND_INDEX, type ResolvedModel } from '../model/resolve.js';
import type { LayerId } from '../model/layers.js';
import { isRecord } from '../model/references.js';
import { severityRank, type Evidence, type Finding, type Report, type Rule, type Severity } from './types.js';

export interface RuleTiming {
  readonly rule: string;
  readonly ms: number;
  readonly findings: number;
}

export interface RunResult {
  readonly findings: Finding[];
  /** Rules that could not assess the model because it lacks what they need, with the reason. */
  readonly unassessedRules: { rule: string; reason: string }[];
  /** Rules that ran. */
  readonly assessedRules: string[];
  readonly timing?: RuleTiming[];
}

export interface RunOptions {
  readonly timing?: boolean;
  /** Run only these rule ids. */
  readonly only?: readonly string[];
}

const PROTECTED_BY = EDGE_TYPE_INDEX['protected-by'];

/** Which declared controls protect each element: its own, its boundaries', its deployments', and system-wide ones. */
export class ControlIndex {
  private readonly cache = new Map<number, number[]>();
  private readonly systemWide: number[] = [];
  constructor(private readonly m: ResolvedModel) {
    const g = m.graph;
    const controlKind = KIND_INDEX.control;
    for (let c = 0; c < g.size; c++) {
      if (g.kinds[c] !== controlKind) continue;
      // A control that nothing points at, and that names no element, applies to the whole system.
      const spec = g.specs[c] ?? {};
      const applies = spec['appliesTo'];
      const hasTargets = Array.isArray(applies) && applies.length > 0;
      if (!hasTargets && (g.inOffsets[c + 1] ?? 0) - (g.inOffsets[c] ?? 0) === 0) this.systemWide.push(c);
    }
  }

  /** Control element indexes applying to element i (sorted, unique). */
  controlsOf(i: number): number[] {
    const hit = this.cache.get(i);
    if (hit) return hit;
    const g = this.m.graph;
    const out = new Set<number>(this.systemWide);
    // Walk i, then its boundary chain and its deployment chain (iteratively, bounded by size).
    const visit: number[] = [i];
    const seen = new Set<number>();
    while (visit.length) {
      const x = visit.pop();
      if (x === undefined || x < 0 || seen.has(x)) continue;
      seen.add(x);
      for (let k = g.outOffsets[x] ?? 0; k < (g.outOffsets[x + 1] ?? 0); k++) {
        const e = g.outEdges[k] ?? 0;
        if (g.edgeType[e] === PROTECTED_BY) out.add(g.edgeDst[e] ?? 0);
      }
      visit.push(g.boundary[x] ?? -1, g.deployment[x] ?? -1, g.parent[x] ?? -1);
    }
    const list = [...out].sort((a, b) => a - b);
    this.cache.set(i, list);
    return list;
  }
}

export function runRules(model: ResolvedModel, rules: readonly Rule[], options: RunOptions = {}): RunResult {
  const g = model.graph;
  const controls = new ControlIndex(model);
  const findings: Finding[] = [];
  const unassessedRules: { rule: string; reason: string }[] = [];
  const assessedRules: string[] = [];
  const timing: RuleTiming[] = [];
  const data = model.model as unknown as Record<string, unknown>;
  const sorted = [...rules].sort((a, b) => cmp(a.meta.id, b.meta.id));
  for (const rule of sorted) {
    if (options.only && !options.only.includes(rule.meta.id)) continue;
    const req = rule.meta.requires;
    if (req && req.length > 0 && req.every((s) => !Array.isArray(data[s]) || (data[s] as unknown[]).length === 0)) {
      unassessedRules.push({ rule: rule.meta.id, reason: `the model declares no ${req.join(' or ')}` });
      continue;
    }
    assessedRules.push(rule.meta.id);
    const t0 = options.timing ? performance.now() : 0;
    const byElement = new Map<number, { evidence: Evidence[]; also: Set<number>; data: Record<string, string | number>; severity: Severity }>();
    rule.check({
      model,
      report: (r: Report) => {
        const prev = byElement.get(r.at);
        if (prev) {
          prev.evidence.push(...r.evidence);
          for (const a of r.also ?? []) if (a !== r.at) prev.also.add(a);
          if (r.severity && severityRank(r.severity) > severityRank(prev.severity)) prev.severity = r.severity;
          return;
        }
        byElement.set(r.at, {
          evidence: [...r.evidence],
          also: new Set((r.also ?? []).filter((a) => a !== r.at)),
          data: { ...r.data },
          severity: r.severity && severityRank(r.severity) > severityRank(rule.meta.severity) ? r.severity : rule.meta.severity,
        });
      },
    });
    let count = 0;
    for (const [at, acc] of byElement) {
      const involved = [at, ...[...acc.also].sort((a, b) => a - b)];
      const mitigatedBy = new Set<string>();
      const partial = new Set<string>();
      for (const el of involved) {
        for (const c of controls.controlsOf(el)) {
          const spec = g.specs[c] ?? {};
          const pattern = spec['pattern'];
          if (typeof pattern !== 'string' || !rule.meta.defences.includes(pattern)) continue;
          const status = spec['status'];
          if (status === 'partial' || status === 'planned') partial.add(g.ids[c] ?? '');
          else mitigatedBy.add(g.ids[c] ?? '');
        }
      }
      const id = g.ids[at] ?? '';
      findings.push({
        id: `${rule.meta.id}@${id}`,
        rule: rule.meta.id,
        threats: [...rule.meta.threats],
        element: id,
        elements: involved.map((i) => g.ids[i] ?? ''),
        kind: model.kindOf(at),
        layer: rule.meta.layer ?? model.layerOf(at),
        severity: acc.severity,
        message: fill(rule.meta.message, acc.data),
        evidence: dedupeEvidence(acc.evidence),
        defences: [...rule.meta.defences],
        status: mitigatedBy.size > 0 ? 'mitigated' : 'open',
        mitigatedBy: [...mitigatedBy].sort(cmp),
        partialControls: [...partial].sort(cmp),
      });
      count++;
    }
    if (options.timing) timing.push({ rule: rule.meta.id, ms: performance.now() - t0, findings: count });
  }
  findings.sort(compareFindings);
  const result: RunResult = { findings, unassessedRules, assessedRules };
  return options.timing ? { ...result, timing } : result;
}

const LAYER_ORDER: Record<LayerId, number> = { L1: 1, L2: 2, L3: 3, L4: 4, L5: 5, L6: 6, L7: 7 };

export function compareFindings(a: Finding, b: Finding): number {
  return (
    LAYER_ORDER[a.layer] - LAYER_ORDER[b.layer] ||
    severityRank(b.severity) - severityRank(a.severity) ||
    cmp(a.rule, b.rule) ||
    cmp(a.element, b.element)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function fill(message: string, data: Record<string, string | number>): string {
  return message.replace(/\{([a-zA-Z][a-zA-Z0-9]*)\}/g, (m, k: string) => (Object.hasOwn(data, k) ? String(data[k]) : m));
}

function dedupeEvidence(list: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  const out: Evidence[] = [];
  for (const e of list) {
    const key = `${e.element}|${e.pointer}|${e.attribute}|${e.note ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
  }
  return out;
}

export { isRecord };
