/**
 * Threat Dragon import and export: every corpus file (../shared/corpus/threat-dragon) imports with
 * the expected elements or is refused with a reason (the two malformed files); processes are read as
 * agents or services with a warning; boundary boxes hold the elements drawn inside them; the `td`
 * report validates against Threat Dragon's v2 schema (vendored, test/fixtures/schemas) and
 * (acceptance 4) imports back as the same model for every bundled example.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { runImport } from '../../src/importers/index.js';
import { threatDragonReporter } from '../../src/reporters/td/index.js';
import { validateData } from '../../src/model/load.js';
import { KIND_TABLE } from '../../src/model/kinds.js';
import type { ModelFile } from '../../src/model/schema.js';
import { EXAMPLES, HOSTILE, analysed } from '../reporters/_support.js';
import { normalise, sectionCounts } from './_interchange.js';

const CORPUS = new URL('../../../shared/corpus/threat-dragon/', import.meta.url);
const SCHEMA = readFileSync(new URL('../fixtures/schemas/threat-dragon-v2.schema.json', import.meta.url), 'utf8');
const validateTd = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(SCHEMA) as object);

/** Section counts per corpus file (checked against the diagrams), or the refusal code. */
const EXPECTED: Record<string, Record<string, number> | string> = {
  'OWASP__threat-dragon__demo-cryptocurrency-wallet.json': { agents: 1, memories: 2, channels: 17, humans: 2, externalSystems: 10, boundaries: 2 },
  'OWASP__threat-dragon__demo-generic-cms.json': { memories: 1, channels: 5, humans: 2, externalSystems: 2, boundaries: 1 },
  'OWASP__threat-dragon__demo-iot-device.json': { memories: 1, channels: 14, humans: 1, externalSystems: 9, boundaries: 1 },
  'OWASP__threat-dragon__demo-online-game.json': { memories: 2, channels: 17, humans: 2, externalSystems: 8, boundaries: 3 },
  'OWASP__threat-dragon__demo-payment-online.json': { channels: 10, humans: 1, externalSystems: 4, boundaries: 3 },
  'OWASP__threat-dragon__demo-renting-car.json': { agents: 1, memories: 2, channels: 15, humans: 3, externalSystems: 9, boundaries: 3 },
  'OWASP__threat-dragon__demo-three-tier-web-app.json': { channels: 3, externalSystems: 3, boundaries: 2 },
  'OWASP__threat-dragon__demo-v2-new-model.json': {},
  'OWASP__threat-dragon__demo-v2-threat-model.json': { memories: 4, channels: 9, humans: 1, externalSystems: 2, boundaries: 3 },
  'OWASP__threat-dragon__malformed-v1-new-model.json': 'E_IMPORT_NOT_THREAT_DRAGON',
  'OWASP__threat-dragon__malformed-v2-new-model.json': 'E_IMPORT_NOT_THREAT_DRAGON',
  'OWASP__threat-dragon__test-reports-v2.1.3.json': { memories: 6, channels: 4, humans: 12, externalSystems: 6, boundaries: 4 },
  'OWASP__threat-dragon__v1-demo-threat-model.json': { memories: 4, channels: 10, humans: 1, externalSystems: 2, boundaries: 4 },
  'OWASP__threat-dragon__v1-new-model.json': {},
  'OWASP__threat-dragon__v2-threat-model-2.0.json': { memories: 4, channels: 10, humans: 1, externalSystems: 2, boundaries: 3 },
};

function importFile(name: string) {
  return runImport('threat-dragon', [{ path: name, text: readFileSync(new URL(name, CORPUS), 'utf8') }]);
}

describe.skipIf(!existsSync(CORPUS))('Threat Dragon models from the corpus', () => {
  const files = existsSync(CORPUS) ? readdirSync(CORPUS).filter((f) => f !== 'SOURCES.md').sort() : [];

  it('the expectation table covers every corpus file', () => {
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(files)('%s imports with the expected elements, or is refused with a reason', (name) => {
    const r = importFile(name);
    const want = EXPECTED[name];
    if (typeof want === 'string') {
      expect(r.model).toBeUndefined();
      const refusal = r.diagnostics.find((d) => d.code === want);
      expect(refusal?.severity).toBe('error');
      return;
    }
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(sectionCounts(r.model)).toEqual(want);
    expect(validateData(r.model).filter((d) => d.severity === 'error')).toEqual([]);
    expect(runImport('auto', [{ path: name, text: readFileSync(new URL(name, CORPUS), 'utf8') }]).files[0]?.dialect).toMatch(/^Threat Dragon/);
  });

  it('the malformed files say what is wrong', () => {
    expect(importFile('OWASP__threat-dragon__malformed-v1-new-model.json').diagnostics[0]?.message).toBe(
      'not a Threat Dragon model: no "summary" (the file has "summarize"); "detail" has no "diagrams" list (the file has "diagramming")',
    );
    expect(importFile('OWASP__threat-dragon__malformed-v2-new-model.json').diagnostics[0]?.message).toBe('not a Threat Dragon model: "summary" has no "title" text (the file has "titled"); no "detail" (the file has "details")');
  });

  it('v1 and v2 of the same demo give the same elements', () => {
    const v1 = importFile('OWASP__threat-dragon__v1-demo-threat-model.json').model as ModelFile;
    const v2 = importFile('OWASP__threat-dragon__v2-threat-model-2.0.json').model as ModelFile;
    expect(v1.memories?.map((m) => m.name)).toEqual(v2.memories?.map((m) => m.name));
    expect(v1.channels?.map((c) => [c.name, c.encryption])).toEqual(v2.channels?.map((c) => [c.name, c.encryption]));
  });

  it('processes are read as agents or services with a warning; threats kept as notes; boxes hold their elements', () => {
    const r = importFile('OWASP__threat-dragon__demo-cryptocurrency-wallet.json');
    const m = r.model as ModelFile;
    expect(m.agents?.map((a) => a.name)).toEqual(['Trading Bot']);
    expect(r.diagnostics.filter((d) => d.code === 'W_TD_PROCESS_KIND')).toHaveLength(11);
    expect(r.diagnostics.find((d) => d.code === 'W_TD_PROCESS_KIND' && d.message.includes('Trading Bot'))?.message).toMatch(/read as an agent/);
    const box = m.boundaries?.find((b) => (m.externalSystems ?? []).some((x) => x.boundary === b.id));
    expect(box).toBeDefined();
    const web = importFile('OWASP__threat-dragon__demo-three-tier-web-app.json');
    const threats = (web.model?.externalSystems ?? []).flatMap((x) => ((x as Record<string, unknown>)['x-threats'] as unknown[] | undefined) ?? []);
    expect(threats.length).toBeGreaterThan(0);
    expect(web.notes.some((n) => n.code === 'I_TD_THREATS')).toBe(true);
  });
});

describe('td export', () => {
  it('validates against the vendored Threat Dragon v2 schema, pinned by its sha256 (test/fixtures/schemas/README.md)', () => {
    expect(createHash('sha256').update(SCHEMA).digest('hex')).toBe('d918054a571b0925e1f0f41a0a1e0746a487afbfe923df64412ed088c2eb05b2');
    expect(validateTd({ version: '2.3.0', summary: {}, detail: {} })).toBe(false);
  });

  it.each(EXAMPLES)('examples/%s: valid Threat Dragon v2, findings as threats', async (example) => {
    const { analysis, ctx } = analysed(`examples/${example}`);
    const doc = JSON.parse(await threatDragonReporter.render(analysis, ctx)) as { detail: { diagrams: { cells: { data?: { threats?: unknown[] } }[] }[]; threatTop: number } };
    expect(validateTd(doc), JSON.stringify(validateTd.errors?.slice(0, 3))).toBe(true);
    const threats = doc.detail.diagrams[0]?.cells.flatMap((c) => c.data?.threats ?? []) ?? [];
    expect(threats.length).toBeGreaterThan(0);
    expect(doc.detail.threatTop).toBe(analysis.findings.length);
  });

  it('hostile model text stays data (valid JSON, no raw invisible characters)', async () => {
    const { analysis, ctx } = analysed(HOSTILE);
    const text = await threatDragonReporter.render(analysis, ctx);
    expect(() => JSON.parse(text) as unknown).not.toThrow();
    expect(text).not.toMatch(/[\u2028\u2029\u202e\u200b]/);
  });
});

describe('Threat Dragon round trip (acceptance 4): export then import gives the same model', () => {
  it.each([...EXAMPLES.map((e) => `examples/${e}`), HOSTILE])('%s', async (path) => {
    const { analysis, ctx } = analysed(path);
    const td = await threatDragonReporter.render(analysis, ctx);
    const r = runImport('threat-dragon', [{ path: 'model.td.json', text: td }]);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.files[0]?.dialect).toMatch(/written by maestro-tm/);
    expect(normalise(r.model)).toEqual(normalise(ctx.model));
    for (const row of KIND_TABLE) {
      const a = (ctx.model as Record<string, unknown>)[row.section] as { id: string }[] | undefined;
      const b = (r.model as Record<string, unknown> | undefined)?.[row.section] as { id: string }[] | undefined;
      expect(b?.map((e) => e.id)).toEqual(a?.map((e) => e.id));
    }
  });

  it('a cell added by hand in Threat Dragon is imported beside the rebuilt elements', async () => {
    const { analysis, ctx } = analysed(`examples/${EXAMPLES[0] ?? ''}`);
    const doc = JSON.parse(await threatDragonReporter.render(analysis, ctx)) as { detail: { diagrams: { cells: unknown[] }[] } };
    doc.detail.diagrams[0]?.cells.push({ id: 'hand-made', shape: 'store', zIndex: 99, position: { x: 5000, y: 5000 }, size: { width: 160, height: 80 }, data: { type: 'tm.Store', name: 'Audit archive', hasOpenThreats: false } });
    const r = runImport('threat-dragon', [{ path: 'model.td.json', text: JSON.stringify(doc) }]);
    expect(r.model?.memories?.map((m) => m.name)).toContain('Audit archive');
    expect(r.model?.memories?.length).toBe((ctx.model.memories?.length ?? 0) + 1);
  });
});

describe('maestro-tm data edited into something invalid', () => {
  it('is refused with a clear reason, not reported as an importer bug', async () => {
    const { analysis, ctx } = analysed(`examples/${EXAMPLES[0] ?? ''}`);
    const doc = JSON.parse(await threatDragonReporter.render(analysis, ctx)) as { detail: { diagrams: { cells: { data?: Record<string, unknown> }[] }[] } };
    const cell = doc.detail.diagrams[0]?.cells.find((c) => c.data?.['maestro.section'] === 'agents');
    if (!cell?.data) throw new Error('no agent cell');
    cell.data['maestro.element'] = JSON.stringify({ id: 'x', autonomy: 'total' });
    const r = runImport('threat-dragon', [{ path: 'edited.td.json', text: JSON.stringify(doc) }]);
    expect(r.model).toBeUndefined();
    expect(r.diagnostics[0]).toMatchObject({ code: 'E_IMPORT_TD_MAESTRO', file: 'edited.td.json' });
    expect(r.diagnostics[0]?.message).toMatch(/changed after maestro-tm wrote it/);
  });
});
