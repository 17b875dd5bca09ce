/**
 * The work of the local web UI that costs time: loading and analysing the model, laying out its
 * graph, applying form edits to the model text, what-if previews and per-element cascades. It runs
 * in a worker thread (src/web/worker.ts) so the HTTP server stays responsive; tests may run it in
 * process. Every job takes text and returns plain, JSON-serialisable data; nothing here touches the
 * network or starts a process, and the only files read are the packaged catalogue's.
 */
import { loadCatalogue } from '../io/catalogue.js';
import type { Catalogue } from '../catalogue/load.js';
import { analyse, type Analysis, type AnalysedFinding } from '../engine/analyse.js';
import { analyseCrossLayer, type CrossLayerResult } from '../graph/index.js';
import { hasErrors, type Diagnostic } from '../model/diagnostics.js';
import { buildJsonSchema } from '../model/json-schema.js';
import { KIND_TABLE } from '../model/kinds.js';
import { LAYER_IDS, LAYERS } from '../model/layers.js';
import { loadModelText } from '../model/load.js';
import { DEFAULT_LIMITS, parseSource, type SourceFormat } from '../model/parse.js';
import { resolveModel, type ResolvedModel } from '../model/resolve.js';
import type { ModelFile } from '../model/schema.js';
import { editModel, type ModelPath } from '../model/write.js';
import { clusterGraph, layoutGraph } from '../reporters/html/layout.js';
import { RULES } from '../rules/index.js';
import { applyTracking, loadTrackingText } from '../tracking/index.js';
import { compareByRisk } from '../risk/index.js';
import { isRecord } from '../model/references.js';

/** The model text a job works on, with what is needed to read it. */
export interface ModelInput {
  readonly text: string;
  /** The file name shown in diagnostics (the model's base name). */
  readonly file: string;
  readonly format: SourceFormat;
  /** The risk-tracking sidecar's text, when there is one. */
  readonly tracking?: { readonly text: string; readonly file: string } | undefined;
  /** YYYY-MM-DD: tracking expiry is judged against it. */
  readonly today: string;
  /** Largest model accepted, in bytes. */
  readonly maxBytes?: number | undefined;
}

/** One change to the model, as the UI asks for it. */
export type EditOp =
  | { readonly op: 'set-fields'; readonly element: string; readonly set: Readonly<Record<string, unknown>>; readonly unset: readonly string[] }
  | { readonly op: 'add-control'; readonly pattern: string; readonly element: string; readonly name?: string | undefined }
  | { readonly op: 'remove-control'; readonly id: string };

export type Job =
  | { readonly type: 'view'; readonly input: ModelInput }
  | { readonly type: 'edit'; readonly input: ModelInput; readonly ops: readonly EditOp[]; readonly preview: boolean }
  | { readonly type: 'detail'; readonly input: ModelInput; readonly element: string }
  | { readonly type: 'data'; readonly input: ModelInput };

export interface Problem {
  readonly ok: false;
  /** HTTP status the server answers with. */
  readonly status: number;
  readonly message: string;
  readonly diagnostics?: readonly Diagnostic[];
}

/** A finding as the UI shows it: no per-factor explanation, evidence values clipped. */
export interface UiFinding {
  readonly id: string;
  readonly rule: string;
  readonly element: string;
  readonly kind: string;
  readonly layer: string;
  readonly severity: string;
  readonly threats: readonly string[];
  readonly message: string;
  readonly status: string;
  /** Tracking status that counts, else mitigated/open from the controls. */
  readonly triage: string;
  readonly tracking?: { readonly status: string; readonly effective: string; readonly justification?: string; readonly expired: boolean };
  readonly mitigatedBy: readonly string[];
  readonly defences: readonly string[];
  readonly evidence: readonly { readonly element: string; readonly pointer: string; readonly attribute: string; readonly value?: string; readonly note?: string }[];
  readonly risk: { readonly inherent: number; readonly residual: number; readonly band: string; readonly residualBand: string };
}

export interface UiElement {
  readonly id: string;
  readonly kind: string;
  readonly section: string;
  /** Index in its section's list. */
  readonly index: number;
  readonly layer: string;
  readonly name: string;
  /** Graph node it is drawn in, or null. */
  readonly node: string | null;
}

export interface UiGraph {
  readonly level: string;
  readonly visible: number;
  readonly width: number;
  readonly height: number;
  readonly hiddenEdges: number;
  readonly nodes: readonly { readonly id: string; readonly kind: string; readonly label: string; readonly sub: string; readonly count: number; readonly members: readonly string[]; readonly hub: boolean; readonly x: number; readonly y: number; readonly w: number; readonly h: number }[];
  readonly edges: readonly { readonly id: string; readonly from: string; readonly to: string; readonly count: number; readonly types: readonly string[]; readonly points: readonly (readonly [number, number])[] }[];
  readonly frames: readonly { readonly id: string; readonly boundary: string; readonly label: string; readonly x: number; readonly y: number; readonly w: number; readonly h: number }[];
}

export interface View {
  readonly ok: true;
  readonly system: Analysis['system'];
  readonly counts: Analysis['counts'];
  readonly layers: Analysis['layers'];
  readonly layerNames: readonly { readonly id: string; readonly name: string }[];
  readonly risk: Analysis['risk'];
  readonly tracking: Analysis['tracking'] | null;
  readonly findings: readonly UiFinding[];
  readonly chains: Analysis['crossLayer']['chains'];
  readonly chainStats: Analysis['crossLayer']['chainStats'];
  readonly blast: Analysis['crossLayer']['blast'];
  readonly suggestions: Analysis['crossLayer']['suggestions'];
  readonly elements: readonly UiElement[];
  readonly graph: UiGraph;
  readonly patterns: readonly { readonly id: string; readonly name: string }[];
  readonly warnings: readonly Diagnostic[];
  /** Milliseconds spent (analysis, layout): the benchmark prints them. */
  readonly timing: { readonly analysis: number; readonly layout: number };
}

export interface EditResult {
  readonly ok: true;
  /** The edited text (not written anywhere). */
  readonly text: string;
  /** For a preview: residual risk before and after, and the findings whose residual changed most. */
  readonly preview?: WhatIfSummary;
}

export interface WhatIfSummary {
  readonly before: { readonly residualTotal: number; readonly byResidualBand: Analysis['risk']['byResidualBand']; readonly mitigated: number };
  readonly after: { readonly residualTotal: number; readonly byResidualBand: Analysis['risk']['byResidualBand']; readonly mitigated: number };
  readonly changed: readonly { readonly id: string; readonly before: number; readonly after: number; readonly status: string }[];
}

export interface Detail {
  readonly ok: true;
  readonly element: string;
  readonly cascade: ReturnType<CrossLayerResult['cascade']>;
}

/** The model as plain data (as written: no defaults), for the UI's forms. */
export interface ModelData {
  readonly ok: true;
  readonly data: unknown;
}

export type JobResult = View | EditResult | Detail | ModelData | Problem;

let catalogueCache: Catalogue | undefined;
function catalogue(): Catalogue {
  if (!catalogueCache) {
    const c = loadCatalogue();
    if (c.diagnostics.length > 0) throw new Error('the packaged threat catalogue is invalid: please report this');
    catalogueCache = c.catalogue;
  }
  return catalogueCache;
}

/** The element item schema of every section, and the kind table, for the UI's forms. */
export function formSchema(): FormSchema {
  if (!formSchemaCache) {
    const root = buildJsonSchema();
    const props = (root['properties'] ?? {}) as Record<string, { items?: unknown }>;
    formSchemaCache = { sections: KIND_TABLE.map((r) => ({ section: r.section, kind: r.kind, schema: props[r.section]?.items ?? {} })) };
  }
  return formSchemaCache;
}
export interface FormSchema {
  readonly sections: readonly { readonly section: string; readonly kind: string; readonly schema: unknown }[];
}
let formSchemaCache: FormSchema | undefined;

interface Loaded {
  readonly model: ModelFile;
  readonly warnings: Diagnostic[];
}

function load(input: ModelInput): Loaded | Problem {
  const res = loadModelText(input.text, { file: input.file, format: input.format, ...(input.maxBytes !== undefined ? { limits: { maxBytes: input.maxBytes } } : {}) });
  if (!res.model || hasErrors(res.diagnostics)) {
    return { ok: false, status: 422, message: `${input.file}: the model is not valid`, diagnostics: res.diagnostics.slice(0, 50) };
  }
  return { model: res.model, warnings: res.diagnostics.filter((d) => d.severity === 'warning').slice(0, 50) };
}

/** The last analysis made (keyed by the model and tracking text): a what-if preview of the model just shown reuses it as "before". */
let lastAnalysis: { key: string; result: { resolved: ResolvedModel; analysis: Analysis; warnings: Diagnostic[] } } | undefined;
const analysisKey = (input: ModelInput): string => `${input.today}\u0000${input.tracking?.text ?? ''}\u0000${input.text}`;

function analyseModel(model: ModelFile, input: ModelInput): { resolved: ResolvedModel; analysis: Analysis; warnings: Diagnostic[] } {
  const key = analysisKey(input);
  if (lastAnalysis?.key === key) return lastAnalysis.result;
  const result = analyseFresh(model, input);
  lastAnalysis = { key, result };
  return result;
}

function analyseFresh(model: ModelFile, input: ModelInput): { resolved: ResolvedModel; analysis: Analysis; warnings: Diagnostic[] } {
  const resolved = resolveModel(model);
  let analysis = analyse(resolved, catalogue(), RULES).analysis;
  const warnings: Diagnostic[] = [];
  if (input.tracking) {
    const t = loadTrackingText(input.tracking.text, input.tracking.file);
    if (t.tracking) analysis = applyTracking(analysis, t.tracking, { today: input.today }).analysis;
    else warnings.push(...t.diagnostics.slice(0, 10));
  }
  return { resolved, analysis, warnings };
}

const MAX_VALUE = 300;
function clipValue(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE)}…` : s;
}

function uiFinding(f: AnalysedFinding): UiFinding {
  const out: { -readonly [K in keyof UiFinding]: UiFinding[K] } = {
    id: f.id,
    rule: f.rule,
    element: f.element,
    kind: f.kind,
    layer: f.layer,
    severity: f.severity,
    threats: f.threats,
    message: f.message,
    status: f.status,
    triage: f.tracking?.effective ?? f.status,
    mitigatedBy: f.mitigatedBy,
    defences: f.defences,
    evidence: f.evidence.slice(0, 20).map((e) => {
      const value = clipValue(e.value);
      return { element: e.element, pointer: e.pointer, attribute: e.attribute, ...(value !== undefined ? { value } : {}), ...(e.note !== undefined ? { note: e.note } : {}) };
    }),
    risk: { inherent: f.risk.inherent, residual: f.risk.residual, band: f.risk.band, residualBand: f.risk.residualBand },
  };
  if (f.tracking) {
    out.tracking = { status: f.tracking.status, effective: f.tracking.effective, expired: f.tracking.expired, ...(f.tracking.justification !== undefined ? { justification: f.tracking.justification } : {}) };
  }
  return out;
}

async function view(input: ModelInput): Promise<View | Problem> {
  const t0 = performance.now();
  const loaded = load(input);
  if ('ok' in loaded) return loaded;
  const { resolved, analysis, warnings } = analyseModel(loaded.model, input);
  const t1 = performance.now();
  const g = resolved.graph;
  // Elements on chains stay single when the graph is clustered, highest-ranked chain first.
  const keep: string[] = [];
  const seen = new Set<string>();
  for (const c of analysis.crossLayer.chains) {
    for (const id of [c.source.id, ...c.steps.map((s) => s.to)]) {
      if (!seen.has(id)) {
        seen.add(id);
        keep.push(id);
      }
    }
  }
  const clustered = clusterGraph(g, { keep });
  const laid = await layoutGraph(clustered);
  const t2 = performance.now();
  const graph: UiGraph = {
    level: clustered.level,
    visible: clustered.visible,
    width: laid.width,
    height: laid.height,
    hiddenEdges: clustered.hiddenEdges,
    nodes: clustered.nodes.map((n) => {
      const b = laid.nodes.get(n.id) ?? { x: 0, y: 0, width: 0, height: 0 };
      return { id: n.id, kind: n.kind, label: n.label, sub: n.sub, count: n.count, members: n.members, hub: n.hub, x: b.x, y: b.y, w: b.width, h: b.height };
    }),
    edges: clustered.edges.map((e) => ({ id: e.id, from: e.from, to: e.to, count: e.count, types: e.types, points: laid.edges.get(e.id) ?? [] })),
    frames: clustered.frames.map((f) => {
      const b = laid.frames.get(f.id) ?? { x: 0, y: 0, width: 0, height: 0 };
      return { id: f.id, boundary: f.boundary, label: f.label, x: b.x, y: b.y, w: b.width, h: b.height };
    }),
  };
  const elements: UiElement[] = [];
  const sectionIndex = new Map<string, number>();
  for (let i = 0; i < g.size; i++) {
    const kind = resolved.kindOf(i);
    const section = KIND_TABLE.find((r) => r.kind === kind)?.section ?? '';
    const index = sectionIndex.get(section) ?? 0;
    sectionIndex.set(section, index + 1);
    const spec = g.specs[i];
    const name = spec && typeof spec['name'] === 'string' ? spec['name'] : '';
    const node = clustered.nodeOf[i] ?? -1;
    elements.push({ id: g.ids[i] ?? '', kind, section, index, layer: LAYER_IDS[g.layers[i] ?? 0] ?? 'L1', name, node: node >= 0 ? `n${node}` : null });
  }
  const findings = [...analysis.findings].sort(compareByRisk).map(uiFinding);
  const patterns = [...catalogue().patterns.values()].map((p) => ({ id: p.id, name: p.name })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    ok: true,
    system: analysis.system,
    counts: analysis.counts,
    layers: analysis.layers,
    layerNames: LAYERS.map((l) => ({ id: l.id, name: l.name })),
    risk: analysis.risk,
    tracking: analysis.tracking ?? null,
    findings,
    chains: analysis.crossLayer.chains,
    chainStats: analysis.crossLayer.chainStats,
    blast: analysis.crossLayer.blast,
    suggestions: analysis.crossLayer.suggestions,
    elements,
    graph,
    patterns,
    warnings: [...loaded.warnings, ...warnings],
    timing: { analysis: Math.round(t1 - t0), layout: Math.round(t2 - t1) },
  };
}

const ID = /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/;
const PATTERN_ID = /^[a-z][a-z0-9-]{0,63}$/;
const FIELD = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** Where an element is: [section, index], or undefined. */
function locate(data: Record<string, unknown>, id: string): [string, number] | undefined {
  for (const row of KIND_TABLE) {
    const list = data[row.section];
    if (!Array.isArray(list)) continue;
    const i = list.findIndex((el) => isRecord(el) && el['id'] === id);
    if (i >= 0) return [row.section, i];
  }
  return undefined;
}

/** A form value the schema can hold in a scalar field or a list of strings; anything else is refused. */
function formValue(v: unknown): boolean {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  return Array.isArray(v) && v.length <= 1000 && v.every((x) => typeof x === 'string');
}

const bad = (message: string, status = 400): Problem => ({ ok: false, status, message });

/** Apply the edits to the text through the comment-preserving editor; the result is validated in full. */
function applyOps(input: ModelInput, model: ModelFile, ops: readonly EditOp[]): string | Problem {
  const editor = editModel({ format: input.format, text: input.text });
  const data = model as unknown as Record<string, unknown>;
  const used = new Set<string>();
  for (const row of KIND_TABLE) {
    const list = data[row.section];
    if (Array.isArray(list)) for (const el of list) if (isRecord(el) && typeof el['id'] === 'string') used.add(el['id']);
  }
  let controlCount = Array.isArray(data['controls']) ? data['controls'].length : 0;
  for (const op of ops) {
    if (op.op === 'set-fields') {
      const at = locate(data, op.element);
      if (!at) return bad(`no element ${JSON.stringify(op.element)} in the model`, 404);
      for (const [field, value] of Object.entries(op.set)) {
        if (!FIELD.test(field) || field === 'id') return bad(`field ${JSON.stringify(field)} cannot be edited here`);
        if (!formValue(value)) return bad(`field ${JSON.stringify(field)}: only text, numbers, true/false and lists of text can be edited in the form`);
        editor.set([at[0], at[1], field], value);
      }
      for (const field of op.unset) {
        if (!FIELD.test(field) || field === 'id') return bad(`field ${JSON.stringify(field)} cannot be removed`);
        const el = (data[at[0]] as unknown[])[at[1]];
        if (isRecord(el) && Object.hasOwn(el, field)) editor.remove([at[0], at[1], field]);
      }
    } else if (op.op === 'add-control') {
      if (!PATTERN_ID.test(op.pattern) || !catalogue().patterns.has(op.pattern)) return bad(`unknown pattern ${JSON.stringify(op.pattern)}`);
      if (!ID.test(op.element) || !locate(data, op.element)) return bad(`no element ${JSON.stringify(op.element)} in the model`, 404);
      const base = `${op.pattern.replace(/-/g, '_')}_${op.element}`.slice(0, 120);
      let id = base;
      for (let n = 2; used.has(id); n++) id = `${base}_${n}`;
      used.add(id);
      const pattern = catalogue().patterns.get(op.pattern);
      const name = typeof op.name === 'string' && op.name.trim() !== '' ? op.name.trim().slice(0, 200) : `${pattern?.name ?? op.pattern} on ${op.element}`;
      const control = { id, name, pattern: op.pattern, appliesTo: [op.element], status: 'implemented' };
      if (controlCount === 0 && !Array.isArray(data['controls'])) editor.set(['controls'], [control]);
      else editor.append(['controls'], control);
      controlCount++;
    } else {
      const at = locate(data, op.id);
      if (!at || at[0] !== 'controls') return bad(`no control ${JSON.stringify(op.id)} in the model`, 404);
      // References to the control from elements' `controls:` lists go too, last index first.
      const removals: ModelPath[] = [];
      for (const row of KIND_TABLE) {
        const list = data[row.section];
        if (!Array.isArray(list)) continue;
        list.forEach((el, i) => {
          if (!isRecord(el) || !Array.isArray(el['controls'])) return;
          const refs = el['controls'] as unknown[];
          for (let k = refs.length - 1; k >= 0; k--) if (refs[k] === op.id) removals.push([row.section, i, 'controls', k]);
        });
      }
      for (const p of removals) editor.remove(p);
      editor.remove(['controls', at[1]]);
    }
  }
  return editor.toString();
}

function edit(input: ModelInput, ops: readonly EditOp[], preview: boolean): EditResult | Problem {
  if (ops.length === 0 || ops.length > 50) return bad('send from 1 to 50 edits');
  const loaded = load(input);
  if ('ok' in loaded) return { ...loaded, status: 409, message: `${loaded.message}: fix the file first` };
  const text = applyOps(input, loaded.model, ops);
  if (typeof text !== 'string') return text;
  const next = load({ ...input, text });
  if ('ok' in next) return { ...next, message: 'the change would make the model invalid: nothing was changed' };
  if (!preview) return { ok: true, text };
  const before = analyseModel(loaded.model, input).analysis;
  const after = analyseFresh(next.model, { ...input, text }).analysis;
  const beforeById = new Map(before.findings.map((f) => [f.id, f]));
  const changed = after.findings
    .map((f) => ({ id: f.id, before: beforeById.get(f.id)?.risk.residual ?? 0, after: f.risk.residual, status: f.status }))
    .filter((c) => c.before !== c.after)
    .sort((a, b) => b.before - b.after - (a.before - a.after) || (a.id < b.id ? -1 : 1))
    .slice(0, 20);
  const sum = (a: Analysis) => ({ residualTotal: a.risk.residualTotal, byResidualBand: a.risk.byResidualBand, mitigated: a.counts.mitigated });
  return { ok: true, text, preview: { before: sum(before), after: sum(after), changed } };
}

/** Cross-layer results of the last model analysed for a detail request (one at a time). */
let detailCache: { text: string; resolved: ResolvedModel; cross: CrossLayerResult } | undefined;

function detail(input: ModelInput, element: string): Detail | Problem {
  if (detailCache?.text !== input.text) {
    const loaded = load(input);
    if ('ok' in loaded) return loaded;
    const resolved = resolveModel(loaded.model);
    detailCache = { text: input.text, resolved, cross: analyseCrossLayer(resolved, catalogue()) };
  }
  const i = detailCache.resolved.indexOf(element);
  if (i < 0) return bad(`no element ${JSON.stringify(element)} in the model`, 404);
  return { ok: true, element, cascade: detailCache.cross.cascade(i, 200) };
}

/** Run one job. Never throws for bad input: that is a Problem with a status. */
export async function runJob(job: Job): Promise<JobResult> {
  switch (job.type) {
    case 'view':
      return view(job.input);
    case 'edit':
      return edit(job.input, job.ops, job.preview);
    case 'detail':
      return detail(job.input, job.element);
    case 'data': {
      const parsed = parseSource(job.input.text, job.input.format, { ...DEFAULT_LIMITS, ...(job.input.maxBytes !== undefined ? { maxBytes: job.input.maxBytes } : {}) });
      return parsed.parsed ? { ok: true, data: parsed.parsed.data } : { ok: false, status: 422, message: `${job.input.file}: cannot be read`, diagnostics: parsed.diagnostics.slice(0, 20) };
    }
  }
}
