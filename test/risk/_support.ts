/** Shared helpers for the risk tests: load an inline model, run the shipped rules, score. */
import { loadModelText } from '../../src/model/load.js';
import { resolveModel, type ResolvedModel } from '../../src/model/resolve.js';
import { runRules } from '../../src/engine/run.js';
import { RULES } from '../../src/rules/index.js';
import { loadCatalogue } from '../../src/io/catalogue.js';
import type { Finding, Severity } from '../../src/engine/types.js';
import type { ModelFile } from '../../src/model/schema.js';
import { scoreFindings, type RiskInputs, type RiskScore, type ScoredFinding } from '../../src/risk/index.js';

export const catalogue = loadCatalogue().catalogue;

/** Load a model written inline; fails the test on any error diagnostic. */
export function load(text: string): ResolvedModel {
  const r = loadModelText(text, { file: 'inline.yaml' });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (!r.model || errors.length > 0) throw new Error(`model does not load: ${errors.map((d) => `${d.code} ${d.message} ${d.pointer ?? ''}`).join('; ')}`);
  return resolveModel(r.model);
}

export function loadData(data: ModelFile): ResolvedModel {
  return load(JSON.stringify(data));
}

/** Run the shipped rules and score every finding. */
export function analyse(m: ResolvedModel, inputs: RiskInputs = {}): ScoredFinding[] {
  return scoreFindings(m, runRules(m, RULES).findings, catalogue, inputs);
}

/**
 * A probe finding on one element. Every factor except likelihood's severity part is a property of
 * the element, so a probe measures factors independently of which rules happen to fire.
 */
export function probe(m: ResolvedModel, element: string, severity: Severity = 'medium', extra: Partial<Finding> = {}): Finding {
  const i = m.indexOf(element);
  if (i < 0) throw new Error(`no element ${element}`);
  return {
    id: `probe@${element}`,
    rule: 'probe',
    threats: ['T2'],
    element,
    elements: [element],
    kind: m.kindOf(i),
    layer: m.layerOf(i),
    severity,
    message: 'probe',
    evidence: [],
    defences: [],
    status: 'open',
    mitigatedBy: [],
    partialControls: [],
    ...extra,
  };
}

export function risk(m: ResolvedModel, element: string, inputs: RiskInputs = {}, severity: Severity = 'medium', extra: Partial<Finding> = {}): RiskScore {
  const [s] = scoreFindings(m, [probe(m, element, severity, extra)], catalogue, inputs);
  if (!s) throw new Error('no score');
  return s.risk;
}

export function factor(r: RiskScore, name: string): number {
  const f = r.factors.find((x) => x.name === name);
  if (!f) throw new Error(`no factor ${name}`);
  return f.value;
}

export const HEADER = 'version: "1.0"\nsystem: {name: t}\n';
