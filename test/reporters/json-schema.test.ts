/**
 * The JSON report's published schema (schema/maestro-report.schema.json, from src/reporters/json/schema.ts):
 * current, valid JSON Schema 2020-12, accepts every report we write (examples, the hostile corpus,
 * tracked and imported models), rejects broken ones, and its inferred type is the analysis type.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse, stringify } from 'yaml';
import type { z } from 'zod';
import { renderJson } from '../../src/reporters/json/index.js';
import { JsonReport, REPORT_SCHEMA_ID, renderReportSchema } from '../../src/reporters/json/schema.js';
import { renderReportDoc } from '../../src/reporters/json/doc.js';
import { ANALYSIS_SCHEMA_VERSION, analyse, type Analysis } from '../../src/engine/analyse.js';
import { loadModelText } from '../../src/model/load.js';
import { resolveModel } from '../../src/model/resolve.js';
import { RULES } from '../../src/rules/index.js';
import { applyTracking } from '../../src/tracking/apply.js';
import { loadTrackingText } from '../../src/tracking/load.js';
import { analysed, catalogue, EXAMPLES, HOSTILE, ROOT } from './_support.js';

const schemaPath = new URL('../../schema/maestro-report.schema.json', import.meta.url);
const committed = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
const ajv = new Ajv2020({ allErrors: true, strict: true });
const validate = ajv.compile(committed);

type Json = Record<string, unknown>;
const report = (a: Analysis): Json => JSON.parse(renderJson(a, catalogue)) as Json;
const errorsOf = (doc: unknown): string => JSON.stringify(validate.errors?.slice(0, 5) ?? null) + ` (for ${JSON.stringify(doc).slice(0, 80)}…)`;
const valid = (doc: unknown): boolean => validate(doc);

/** Deep copy of a report, changed by `edit`. */
function mutated(doc: Json, edit: (d: Json & { findings: Json[] }) => void): Json {
  const copy = structuredClone(doc) as Json & { findings: Json[] };
  edit(copy);
  return copy;
}

describe('published JSON report schema', () => {
  it('the committed schema and docs/report-format.md are current (run `npm run gen` if this fails)', () => {
    expect(readFileSync(schemaPath, 'utf8')).toBe(renderReportSchema());
    expect(readFileSync(new URL('../../docs/report-format.md', import.meta.url), 'utf8')).toBe(renderReportDoc());
  });

  it('is JSON Schema 2020-12 with a versioned $id that every report names in $schema', () => {
    expect(committed['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(committed['$id']).toBe(`urn:maestro-tm:schema:report:${ANALYSIS_SCHEMA_VERSION}`);
    expect(String(committed['title'])).toContain(`schema version ${ANALYSIS_SCHEMA_VERSION}.`);
    const doc = report(analysed(`examples/${EXAMPLES[0] ?? ''}`).analysis);
    expect(Object.keys(doc)[0]).toBe('$schema');
    expect(doc['$schema']).toBe(REPORT_SCHEMA_ID);
    // A consumer can look the schema up by the report's own $schema.
    expect(ajv.getSchema(String(doc['$schema']))).toBeTypeOf('function');
  });

  it.each(EXAMPLES)('accepts the report of examples/%s', (file) => {
    const doc = report(analysed(`examples/${file}`).analysis);
    expect(valid(doc), errorsOf(doc)).toBe(true);
  });

  it('accepts the report of the hostile model, whose text survives unchanged', () => {
    const { analysis } = analysed(HOSTILE);
    const doc = report(analysis);
    expect(valid(doc), errorsOf(doc)).toBe(true);
    expect((doc['system'] as Json)['name']).toBe(analysis.system.name);
  });

  it('accepts a report with risk tracking applied (finding tracking, summary with stale entries)', () => {
    const { analysis } = analysed('examples/expense-reimbursement.yaml');
    const first = analysis.findings[0]?.id ?? '';
    const loaded = loadTrackingText(
      `findings:\n  "${first}":\n    status: accepted\n    justification: reviewed\n    owner: sec\n    ticket: SEC-1\n    expires: 2020-01-01\n  "*@*":\n    status: in-progress\n    review: 2031-02-03\n  nothing@nowhere:\n    status: open\n`,
      't.tracking.yaml',
    );
    if (!loaded.tracking) throw new Error(JSON.stringify(loaded.diagnostics));
    const tracked = applyTracking(analysis, loaded.tracking, { today: '2026-01-01' }).analysis;
    const doc = report(tracked);
    expect(valid(doc), errorsOf(doc)).toBe(true);
    const summary = doc['tracking'] as Json;
    expect((summary['stale'] as Json[]).map((s) => s['key'])).toEqual(['nothing@nowhere']);
    const tr = (doc['findings'] as Json[]).find((f) => f['id'] === first)?.['tracking'] as Json;
    expect(tr).toMatchObject({ status: 'accepted', effective: 'open', expired: true, expires: '2020-01-01' });
  });

  it('accepts a report whose evidence carries import sources', () => {
    const data = parse(readFileSync(`${ROOT}examples/mcp-client.yaml`, 'utf8')) as { mcpServers: Json[]; agents: Json[] };
    for (const [i, el] of [...data.mcpServers, ...data.agents].entries()) el['importedFrom'] = { file: 'claude_desktop_config.json', line: i + 1 };
    const loaded = loadModelText(stringify(data), { file: 'imported.yaml' });
    if (!loaded.model) throw new Error(JSON.stringify(loaded.diagnostics.slice(0, 3)));
    const { analysis } = analyse(resolveModel(loaded.model), catalogue, RULES);
    expect(analysis.findings.some((f) => f.evidence.some((e) => e.source !== undefined))).toBe(true);
    const doc = report(analysis);
    expect(valid(doc), errorsOf(doc)).toBe(true);
  });

  describe('rejects reports that break the format', () => {
    const doc = report(analysed('examples/mcp-client.yaml').analysis);
    const cases: [string, (d: Json & { findings: Json[] }) => void][] = [
      ['an unknown top-level field', (d) => (d['extra'] = 1)],
      ['an unknown field in a finding', (d) => ((d.findings[0] ?? {})['colour'] = 'red')],
      ['an unknown field in a finding\'s risk', (d) => (((d.findings[0] ?? {})['risk'] as Json)['bonus'] = 1)],
      ['a missing required field', (d) => delete d['crossLayer']],
      ['a finding without its risk band', (d) => delete ((d.findings[0] ?? {})['risk'] as Json)['band']],
      ['an unknown severity', (d) => ((d.findings[0] ?? {})['severity'] = 'urgent')],
      ['an unknown layer', (d) => ((d.findings[0] ?? {})['layer'] = 'L8')],
      ['another schemaVersion', (d) => (d['schemaVersion'] = ANALYSIS_SCHEMA_VERSION + 1)],
      ['another tool', (d) => (d['tool'] = 'other')],
      ['a score above 10', (d) => (((d.findings[0] ?? {})['risk'] as Json)['residual'] = 10.5)],
      ['a fractional count', (d) => ((d['counts'] as Json)['findings'] = 1.5)],
      ['a string where a list belongs', (d) => ((d.findings[0] ?? {})['evidence'] = 'none')],
      ['a threat entry without a name', (d) => delete (Object.values(d['threats'] as Json)[0] as Json)['name']],
      ['a band missing from risk.byBand', (d) => delete ((d['risk'] as Json)['byBand'] as Json)['critical']],
    ];
    it.each(cases)('%s', (_name, edit) => {
      expect(valid(doc), errorsOf(doc)).toBe(true);
      expect(valid(mutated(doc, edit))).toBe(false);
    });
  });
});

type Normal<T> = T extends readonly (infer U)[] ? readonly Normal<U>[] : T extends object ? { readonly [K in keyof T]: Normal<T[K]> } : T;
type AnalysisPart = Omit<z.infer<typeof JsonReport>, '$schema' | 'tool' | 'threats' | 'patterns'>;

describe('the schema and the analysis type cannot drift', () => {
  it('the type inferred from the zod schema is the Analysis type (checked by tsc)', () => {
    expectTypeOf<Normal<AnalysisPart>>().toEqualTypeOf<Normal<Analysis>>();
    // The check is exact: one extra, missing or retyped field fails it.
    // @ts-expect-error an extra field
    expectTypeOf<Normal<AnalysisPart>>().toEqualTypeOf<Normal<Analysis & { extra: number }>>();
    // @ts-expect-error a missing field
    expectTypeOf<Normal<AnalysisPart>>().toEqualTypeOf<Normal<Omit<Analysis, 'manual'>>>();
    // @ts-expect-error a field made optional
    expectTypeOf<Normal<AnalysisPart>>().toEqualTypeOf<Normal<Omit<Analysis, 'manual'> & { manual?: Analysis['manual'] }>>();
    expect(Object.keys(JsonReport.shape)).toEqual(['$schema', 'tool', 'schemaVersion', 'system', 'counts', 'layers', 'risk', 'findings', 'tracking', 'crossLayer', 'validationPlan', 'unassessed', 'manual', 'unassessedRules', 'threats', 'patterns']);
  });

  it('the report lists its keys in the schema\'s order', () => {
    const doc = report(analysed('examples/expense-reimbursement.yaml').analysis);
    const order = Object.keys(JsonReport.shape);
    const keys = Object.keys(doc);
    expect(keys).toEqual(order.filter((k) => keys.includes(k)));
  });
});
