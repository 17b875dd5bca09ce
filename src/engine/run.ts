/**
 * Run rules over a resolved model. Pure and deterministic: the same model and rules give the same
 * findings in the same order. The engine never branches on a rule or threat id; what it needs to
 * know about a rule is in its meta.
 */
import { EDGE_TYPE_INDEX } from '../model/references.js';
import { KIND_INDEX, type ResolvedModel } from '../model/resolve.js';
import type { LayerId } from '../model/layers.js';
import { isRecord } from '../model/references.js';
import { hasImportedElements, withSources } from './import-sources.js';
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
  /** Pattern and partial/planned status of each control, read once (undefined / 0 for other elements). */
  private readonly patterns: (string | undefined)[];
  private readonly partial: Uint8Array;
  constructor(private readonly m: ResolvedModel) {
    const g = m.graph;
    const controlKind = KIND_INDEX.control;
    this.patterns = new Array<string | undefined>(g.size).fill(undefined);
    this.partial = new Uint8Array(g.size);
    for (let c = 0; c < g.size; c++) {
      if (g.kinds[c] !== controlKind) continue;
      const pattern = g.specs[c]?.['pattern'];
      if (typeof pattern === 'string') this.patterns[c] = pattern;
      const status = g.specs[c]?.['status'];
      if (status === 'partial' || status === 'planned') this.partial[c] = 1;
      // A control that nothing points at, and that names no element, applies to the whole system.
      const spec = g.specs[c] ?? {};
      const applies = spec['appliesTo'];
      const hasTargets = Array.isArray(applies) && applies.length > 0;
      if (!hasTargets && (g.inOffsets[c + 1] ?? 0) - (g.inOffsets[c] ?? 0) === 0) this.systemWide.push(c);
    }
  }

  /** The pattern a control declares (undefined when none, or when c is not a control). */
  patternOf(c: number): string | undefined {
    return this.patterns[c];
  }

  /** A control declared partial or planned (it lowers the risk less, or not yet). */
  isPartial(c: number): boolean {
    return this.partial[c] === 1;
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

/** What the reports of one rule at one element add up to (the `also` set is built only when a second report comes). */
interface Accumulated {
  readonly evidence: Evidence[];
  /** Other involved elements of the first report (not yet filtered, deduplicated or sorted). */
  firstAlso: readonly number[] | undefined;
  /** Set once a second report at the same element names other elements. */
  also: Set<number> | undefined;
  /** The message, filled from the first report's data. */
  readonly message: string;
  severity: Severity;
  severityRank: number;
}

/** Shared, frozen empty list for findings without controls (never mutated). */
const NO_IDS: readonly string[] = Object.freeze([]);

export function runRules(model: ResolvedModel, rules: readonly Rule[], options: RunOptions = {}): RunResult {
  const g = model.graph;
  const controls = new ControlIndex(model);
  const findings: Finding[] = [];
  /** Sort key of each finding (layer, severity, rule, element id), parallel to `findings`. */
  const keys: number[] = [];
  const idRank = rankIds(g.ids, g.size);
  const unassessedRules: { rule: string; reason: string }[] = [];
  const assessedRules: string[] = [];
  const timing: RuleTiming[] = [];
  const data = model.model as unknown as Record<string, unknown>;
  const imported = hasImportedElements(data);
  const sorted = [...rules].sort((a, b) => cmp(a.meta.id, b.meta.id));
  const only = options.only ? new Set(options.only) : undefined;
  // Patterns of the controls the model declares: a rule none of whose defences is among them never
  // has a control to match, so its findings skip the per-element control walk.
  const declaredPatterns = new Set<string>();
  for (const c of model.ofKind('control')) {
    const pattern = (g.specs[c] ?? {})['pattern'];
    if (typeof pattern === 'string') declaredPatterns.add(pattern);
  }
  let ruleRank = -1;
  let prevId: string | undefined;
  for (const rule of sorted) {
    const meta = rule.meta;
    // Equal ids share a rank, so the final order is the one compareFindings gives.
    if (meta.id !== prevId) ruleRank++;
    prevId = meta.id;
    if (only && !only.has(meta.id)) continue;
    const req = meta.requires;
    if (req && req.length > 0 && req.every((s) => !Array.isArray(data[s]) || (data[s] as unknown[]).length === 0)) {
      unassessedRules.push({ rule: meta.id, reason: `the model declares no ${req.join(' or ')}` });
      continue;
    }
    assessedRules.push(meta.id);
    const t0 = options.timing ? performance.now() : 0;
    const baseRank = severityRank(meta.severity);
    const byElement = new Map<number, Accumulated>();
    const message = compileMessage(meta.message);
    rule.check({
      model,
      report: (r: Report) => {
        const prev = byElement.get(r.at);
        if (prev) {
          for (const e of r.evidence) prev.evidence.push(e);
          let also = prev.also;
          if (also === undefined) {
            also = new Set<number>();
            for (const x of prev.firstAlso ?? []) if (x !== r.at) also.add(x);
            prev.also = also;
            prev.firstAlso = undefined;
          }
          for (const x of r.also ?? []) if (x !== r.at) also.add(x);
          if (r.severity) {
            const rank = severityRank(r.severity);
            if (rank > prev.severityRank) {
              prev.severity = r.severity;
              prev.severityRank = rank;
            }
          }
          return;
        }
        const rank = r.severity ? severityRank(r.severity) : -1;
        const raised = r.severity !== undefined && rank > baseRank;
        byElement.set(r.at, {
          evidence: r.evidence.slice(),
          firstAlso: r.also !== undefined && r.also.length > 0 ? r.also.slice() : undefined,
          also: undefined,
          message: fillCompiled(message, r.data),
          severity: raised && r.severity !== undefined ? r.severity : meta.severity,
          severityRank: raised ? rank : baseRank,
        });
      },
    });
    const defences = new Set(meta.defences);
    let anyControl = false;
    for (const p of defences) if (declaredPatterns.has(p)) anyControl = true;
    const threats = Object.freeze([...meta.threats]);
    const defenceList = Object.freeze([...meta.defences]);
    let count = 0;
    byElement.forEach((acc, at) => {
      const involved = involvedOf(at, acc);
      let mitigatedBy: readonly string[] = NO_IDS;
      let partialControls: readonly string[] = NO_IDS;
      if (anyControl) {
        // Sets only when a control of the rule's defences is found (most findings have none).
        let mitigated: Set<string> | undefined;
        let partial: Set<string> | undefined;
        for (const el of involved) {
          for (const c of controls.controlsOf(el)) {
            const pattern = controls.patternOf(c);
            if (pattern === undefined || !defences.has(pattern)) continue;
            if (controls.isPartial(c)) (partial ??= new Set<string>()).add(g.ids[c] ?? '');
            else (mitigated ??= new Set<string>()).add(g.ids[c] ?? '');
          }
        }
        if (mitigated !== undefined) mitigatedBy = [...mitigated].sort(cmp);
        if (partial !== undefined) partialControls = [...partial].sort(cmp);
      }
      const id = g.ids[at] ?? '';
      const layer = meta.layer ?? model.layerOf(at);
      const elements = new Array<string>(involved.length);
      for (let k = 0; k < involved.length; k++) elements[k] = g.ids[involved[k] ?? 0] ?? '';
      findings.push({
        id: `${meta.id}@${id}`,
        rule: meta.id,
        threats,
        element: id,
        elements,
        kind: model.kindOf(at),
        layer,
        severity: acc.severity,
        message: acc.message,
        evidence: imported ? withSources(dedupeEvidence(acc.evidence), data) : dedupeEvidence(acc.evidence),
        defences: defenceList,
        status: mitigatedBy.length > 0 ? 'mitigated' : 'open',
        mitigatedBy,
        partialControls,
      });
      // layer (1..7), then severity (highest first), then rule, then element id: one integer.
      const group = (LAYER_ORDER[layer] * 8 + (7 - acc.severityRank)) * (sorted.length + 1) + ruleRank;
      keys.push(group * (idRank.distinct + 1) + (at >= 0 && at < g.size ? (idRank.rank[at] ?? 0) : idRank.empty));
      count++;
    });
    if (options.timing) timing.push({ rule: meta.id, ms: performance.now() - t0, findings: count });
  }
  const result: RunResult = { findings: sortFindings(findings, keys), unassessedRules, assessedRules };
  return options.timing ? { ...result, timing } : result;
}

/** [at, then the other involved elements ascending and unique]. */
function involvedOf(at: number, acc: Accumulated): number[] {
  const rest: number[] = [];
  if (acc.also !== undefined) acc.also.forEach((x) => rest.push(x));
  else if (acc.firstAlso !== undefined) for (const x of acc.firstAlso) if (x !== at) rest.push(x);
  if (rest.length === 0) return [at];
  if (rest.length > SMALL_SORT) {
    rest.sort((x, y) => x - y);
    const res = [at];
    for (let k = 0; k < rest.length; k++) if (k === 0 || rest[k] !== rest[k - 1]) res.push(rest[k] ?? 0);
    return res;
  }
  // Short lists: insertion into place (Array.sort copies its input first).
  const res = [at];
  for (const x of rest) {
    let k = res.length;
    while (k > 1 && (res[k - 1] ?? 0) > x) k--;
    if (k > 1 && res[k - 1] === x) continue;
    res.push(x);
    for (let j = res.length - 1; j > k; j--) res[j] = res[j - 1] ?? 0;
    res[k] = x;
  }
  return res;
}

/** Lists up to this long are sorted by insertion. */
const SMALL_SORT = 16;

/**
 * Rank of every element id in `cmp` order (equal ids share a rank), and the rank the empty string
 * would have (the id of a finding at an index outside the graph).
 */
function rankIds(ids: readonly string[], size: number): { rank: Int32Array; distinct: number; empty: number } {
  const order = new Array<number>(size);
  for (let i = 0; i < size; i++) order[i] = i;
  order.sort((x, y) => cmp(ids[x] ?? '', ids[y] ?? ''));
  const rank = new Int32Array(size);
  // Rank 0 is reserved for '' (it sorts first); every distinct non-empty id gets the next rank.
  let r = 0;
  let prev = '';
  for (const i of order) {
    const id = ids[i] ?? '';
    if (id !== prev) {
      r++;
      prev = id;
    }
    rank[i] = r;
  }
  return { rank, distinct: r + 1, empty: 0 };
}

/**
 * The order of compareFindings from one integer key per finding (layer, severity, rule and element
 * id ranks combined); equal keys keep the order the findings were made in, as a stable sort does.
 */
function sortFindings(findings: Finding[], keys: readonly number[]): Finding[] {
  const n = findings.length;
  // key * n + position is unique and below 2^53 for any realistic model; a typed-array sort is numeric.
  const packed = new Float64Array(n);
  let exact = true;
  for (let k = 0; k < n; k++) {
    const v = (keys[k] ?? 0) * n + k;
    if (!Number.isSafeInteger(v)) exact = false;
    packed[k] = v;
  }
  const res = new Array<Finding>(n);
  if (exact) {
    packed.sort();
    for (let k = 0; k < n; k++) res[k] = findings[(packed[k] ?? 0) % n] as Finding;
    return res;
  }
  const order = new Array<number>(n);
  for (let k = 0; k < n; k++) order[k] = k;
  order.sort((x, y) => (keys[x] ?? 0) - (keys[y] ?? 0) || x - y);
  for (let k = 0; k < n; k++) res[k] = findings[order[k] ?? 0] as Finding;
  return res;
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

/** A rule message split once into literal text and {placeholder} names (odd positions are names). */
type CompiledMessage = readonly string[];

function compileMessage(message: string): CompiledMessage {
  const parts: string[] = [];
  const re = /\{([a-zA-Z][a-zA-Z0-9]*)\}/g;
  let last = 0;
  for (let m = re.exec(message); m !== null; m = re.exec(message)) {
    parts.push(message.slice(last, m.index), m[1] ?? '');
    last = m.index + m[0].length;
  }
  parts.push(message.slice(last));
  return parts;
}

/** The message with each placeholder the data gives replaced by its value (others stay as written). */
function fillCompiled(parts: CompiledMessage, data: Readonly<Record<string, string | number>>): string {
  let s = parts[0] ?? '';
  for (let k = 1; k < parts.length; k += 2) {
    const key = parts[k] ?? '';
    s += (Object.hasOwn(data, key) ? String(data[key]) : `{${key}}`) + (parts[k + 1] ?? '');
  }
  return s;
}

function dedupeEvidence(list: Evidence[]): Evidence[] {
  // The list is the engine's own copy: a single fact needs no key.
  if (list.length <= 1) return list;
  if (list.length <= SMALL_EVIDENCE) {
    const out: Evidence[] = [];
    for (let k = 0; k < list.length; k++) {
      const e = list[k] as Evidence;
      let dup = false;
      for (let j = 0; j < out.length && !dup; j++) dup = sameFact(out[j] as Evidence, e);
      if (!dup) out.push(e);
    }
    return out;
  }
  const seen = new Set<string>();
  const out: Evidence[] = [];
  for (const e of list) {
    const key = factKey(e);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
  }
  return out;
}

/** Lists up to this long are deduplicated by pairwise comparison. */
const SMALL_EVIDENCE = 16;

/** Two facts are the same when their keys are. */
function factKey(e: Evidence): string {
  return `${e.element}|${e.pointer}|${e.attribute}|${e.note ?? ''}`;
}

/** factKey(a) === factKey(b), mostly without building the keys: equal fields give equal keys, different lengths different ones. */
function sameFact(a: Evidence, b: Evidence): boolean {
  if (a === b) return true;
  const an = a.note ?? '';
  const bn = b.note ?? '';
  if (a.element.length + a.pointer.length + a.attribute.length + an.length !== b.element.length + b.pointer.length + b.attribute.length + bn.length) return false;
  if (a.element === b.element && a.pointer === b.pointer && a.attribute === b.attribute && an === bn) return true;
  return sameJoined(a.element, a.pointer, a.attribute, an, b.element, b.pointer, b.attribute, bn);
}

/**
 * Are the keys `a0|a1|a2|a3` and `b0|b1|b2|b3` equal (their lengths are)? Compared character by
 * character without building them: most pairs of facts in one finding differ in a few characters.
 */
function sameJoined(a0: string, a1: string, a2: string, a3: string, b0: string, b1: string, b2: string, b3: string): boolean {
  // Walk both keys as four segments with a '|' (code 124) after each of the first three.
  let sa = a0;
  let sb = b0;
  let ia = 0;
  let ib = 0;
  let segA = 0;
  let segB = 0;
  for (;;) {
    let ca: number;
    if (ia < sa.length) ca = sa.charCodeAt(ia++);
    else if (segA === 3) ca = -1;
    else {
      ca = 124;
      segA++;
      sa = segA === 1 ? a1 : segA === 2 ? a2 : a3;
      ia = 0;
    }
    let cb: number;
    if (ib < sb.length) cb = sb.charCodeAt(ib++);
    else if (segB === 3) cb = -1;
    else {
      cb = 124;
      segB++;
      sb = segB === 1 ? b1 : segB === 2 ? b2 : b3;
      ib = 0;
    }
    if (ca !== cb) return false;
    if (ca === -1) return true;
  }
}

export { isRecord };
