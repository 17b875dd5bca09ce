/**
 * JSON report: the analysis plus the catalogue entries it refers to, in a fixed key order so two
 * runs give identical bytes. Versioned by `schemaVersion`; its schema is ./schema.ts, published as
 * schema/maestro-report.schema.json (docs/report-format.md).
 */
import type { Reporter } from '../index.js';
import type { Analysis } from '../../engine/analyse.js';
import type { Catalogue } from '../../catalogue/load.js';
import { compareThreatIds } from '../../catalogue/load.js';
import { inertJson } from '../_escape.js';
import { REPORT_SCHEMA_ID, type JsonReport } from './schema.js';

export function renderJson(a: Analysis, catalogue: Catalogue): string {
  const threatIds = [...new Set([...a.findings.flatMap((f) => f.threats), ...a.unassessed.map((t) => t.id), ...a.manual.map((t) => t.id)])].sort(compareThreatIds);
  const patternIds = [...new Set(a.findings.flatMap((f) => f.defences))].sort();
  const threats: Record<string, JsonReport['threats'][string]> = {};
  for (const id of threatIds) {
    const t = catalogue.threats.get(id);
    if (!t) continue;
    threats[id] = { name: t.name, family: t.family, layers: t.layers, stride: t.stride, atlas: t.atlas ?? [], attack: t.attack ?? [], owaspLlm: t.owaspLlm ?? [], owaspAgentic: t.owaspAgentic ?? [] };
  }
  const patterns: Record<string, JsonReport['patterns'][string]> = {};
  for (const id of patternIds) {
    const p = catalogue.patterns.get(id);
    if (p) patterns[id] = { name: p.name, summary: p.summary };
  }
  const doc = {
    $schema: REPORT_SCHEMA_ID,
    tool: 'maestro-tm',
    schemaVersion: a.schemaVersion,
    system: a.system,
    counts: a.counts,
    layers: a.layers,
    risk: a.risk,
    findings: a.findings,
    ...(a.tracking ? { tracking: a.tracking } : {}),
    crossLayer: a.crossLayer,
    validationPlan: a.validationPlan,
    unassessed: a.unassessed,
    manual: a.manual,
    unassessedRules: a.unassessedRules,
    threats,
    patterns,
  } satisfies JsonReport;
  return inertJson(doc) + '\n';
}

export const jsonReporter: Reporter = {
  id: 'json',
  extension: '.json',
  description: 'the whole analysis as JSON (versioned by schemaVersion)',
  render: (a, ctx) => renderJson(a, ctx.catalogue),
};
