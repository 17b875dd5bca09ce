/**
 * The OTM importer: every corpus file (../shared/corpus/otm) imports with the expected elements or is
 * refused with a reason; component types map by the table with a warning for unknown ones; threats
 * are kept as notes; and (issue 6, acceptance 4) every bundled example exported with
 * `analyze --format otm` imports back as the same model.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runImport } from '../../src/importers/index.js';
import { targetForType } from '../../src/importers/otm/index.js';
import { otmReporter } from '../../src/reporters/otm/index.js';
import { validateData } from '../../src/model/load.js';
import { KIND_TABLE } from '../../src/model/kinds.js';
import type { ModelFile } from '../../src/model/schema.js';
import { EXAMPLES, analysed } from '../reporters/_support.js';
import { normalise, sectionCounts } from './_interchange.js';

const CORPUS = new URL('../../../shared/corpus/otm/', import.meta.url);

/** Section counts per corpus file (checked by hand against each), or the refusal code. */
const EXPECTED: Record<string, Record<string, number> | string> = {
  'OWASP__threat-dragon__example-open-threat-model.json': { memories: 1, channels: 2, humans: 1, externalSystems: 2, boundaries: 2, assets: 2 },
  'OWASP__threat-dragon__mobile-cloud.otm.json': { memories: 2, channels: 6, humans: 1, externalSystems: 1, boundaries: 2 },
  'iriusrisk__OpenThreatModel__EXAMPLE.json': { memories: 1, channels: 2, humans: 1, externalSystems: 2, boundaries: 2, assets: 2 },
  // Not valid YAML: a quoted multi-line scalar closes at a smaller indentation (line 133); the JSON twin imports.
  'iriusrisk__OpenThreatModel__EXAMPLE.yaml': 'E_IMPORT_SYNTAX',
  'iriusrisk__startleft__cft_example.otm.yaml': { channels: 22, humans: 2, externalSystems: 17, boundaries: 2, deployments: 3 },
  'iriusrisk__startleft__lucid_example.otm.yaml': { memories: 3, channels: 8, humans: 2, externalSystems: 5, boundaries: 3 },
  'iriusrisk__startleft__manual_threat_model.otm.yaml': { memories: 1, channels: 2, humans: 1, externalSystems: 1, boundaries: 3 },
  'iriusrisk__startleft__minimal_content.otm.yaml': {},
  'iriusrisk__startleft__mtmt_example.otm.yaml': { memories: 2, channels: 6, humans: 1, externalSystems: 1, boundaries: 3 },
  'iriusrisk__startleft__otm_file_example.otm': { channels: 22, humans: 2, externalSystems: 17, boundaries: 2, deployments: 3 },
  'iriusrisk__startleft__otm_file_example_yaml.otm': { channels: 22, humans: 2, externalSystems: 17, boundaries: 2, deployments: 3 },
  'iriusrisk__startleft__otm_without_version.otm': 'E_IMPORT_NOT_OTM',
  'iriusrisk__startleft__tf_example.otm.yaml': { memories: 1, channels: 22, humans: 4, externalSystems: 17, boundaries: 2, deployments: 7 },
  'iriusrisk__startleft__visio_example.otm.yaml': { memories: 1, channels: 4, externalSystems: 4, boundaries: 4 },
};

describe.skipIf(!existsSync(CORPUS))('OTM files from the corpus', () => {
  const files = existsSync(CORPUS) ? readdirSync(CORPUS).filter((f) => f !== 'SOURCES.md').sort() : [];

  it('the expectation table covers every corpus file', () => {
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(files)('%s imports with the expected elements, or is refused with a reason', (name) => {
    const r = runImport('otm', [{ path: name, text: readFileSync(new URL(name, CORPUS), 'utf8') }]);
    const want = EXPECTED[name];
    if (typeof want === 'string') {
      expect(r.model).toBeUndefined();
      const refusal = r.diagnostics.find((d) => d.code === want);
      expect(refusal?.severity).toBe('error');
      expect(refusal?.line).toBeGreaterThanOrEqual(1);
      return;
    }
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(sectionCounts(r.model)).toEqual(want);
    expect(validateData(r.model).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('trust zones nest, components sit in their zone or on their parent deployment, threats are kept as notes', () => {
    const r = runImport('otm', [{ path: 'mtmt.yaml', text: readFileSync(new URL('iriusrisk__startleft__mtmt_example.otm.yaml', CORPUS), 'utf8') }]);
    const m = r.model as ModelFile & Record<string, unknown>;
    expect((m['x-otm'] as { threats: unknown[] }).threats).toHaveLength(43);
    const withThreats = [...(m.memories ?? []), ...(m.externalSystems ?? []), ...(m.humans ?? [])].filter((e) => Array.isArray((e as Record<string, unknown>)['x-threats']));
    expect(withThreats.length).toBeGreaterThan(0);
    expect(r.notes.find((n) => n.code === 'I_OTM_THREATS')?.message).toMatch(/^43 threats and 43 mitigations/);
    const tf = runImport('otm', [{ path: 'tf.yaml', text: readFileSync(new URL('iriusrisk__startleft__tf_example.otm.yaml', CORPUS), 'utf8') }]).model as ModelFile;
    expect((tf.deployments ?? []).some((d) => d.parent !== undefined)).toBe(true);
    expect([...(tf.externalSystems ?? []), ...(tf.humans ?? [])].every((e) => e.boundary !== undefined || (e as { deployment?: string }).deployment !== undefined)).toBe(true);
  });

  it('unknown component types are warnings naming the type and the place', () => {
    const r = runImport('otm', [{ path: 'cft.yaml', text: readFileSync(new URL('iriusrisk__startleft__cft_example.otm.yaml', CORPUS), 'utf8') }]);
    const w = r.diagnostics.filter((d) => d.code === 'W_OTM_UNKNOWN_TYPE');
    expect(w.length).toBeGreaterThan(0);
    expect(w[0]?.message).toMatch(/the type "empty-component" has no maestro-tm equivalent/);
    expect(w[0]?.line).toBeGreaterThan(1);
  });
});

describe('component type table', () => {
  it('maps common types to the right kind', () => {
    expect(targetForType('postgresql')?.section).toBe('memories');
    expect(targetForType('CD-MICROSOFT-AZURE-DB-POSTGRESQL')?.section).toBe('memories');
    expect(targetForType('android-device-client')?.section).toBe('humans');
    expect(targetForType('web-service')?.section).toBe('externalSystems');
    expect(targetForType('docker-container')?.section).toBe('deployments');
    expect(targetForType('cloudtrail')).toMatchObject({ section: 'observability', fields: { type: 'audit-log' } });
    expect(targetForType('llm-agent')?.section).toBe('agents');
    expect(targetForType('empty-component')).toBeUndefined();
  });
});

describe('OTM round trip (acceptance 4): export then import gives the same model', () => {
  it.each(EXAMPLES)('examples/%s', async (example) => {
    const { analysis, ctx } = analysed(`examples/${example}`);
    const otm = await otmReporter.render(analysis, ctx);
    const r = runImport('otm', [{ path: `${example}.otm.json`, text: otm }]);
    expect(r.diagnostics).toEqual([]);
    expect(r.files[0]?.dialect).toMatch(/written by maestro-tm/);
    expect(normalise(r.model)).toEqual(normalise(ctx.model));
    // Element order within each section is kept too.
    for (const row of KIND_TABLE) {
      const a = (ctx.model as Record<string, unknown>)[row.section] as { id: string }[] | undefined;
      const b = (r.model as Record<string, unknown> | undefined)?.[row.section] as { id: string }[] | undefined;
      expect(b?.map((e) => e.id)).toEqual(a?.map((e) => e.id));
    }
  });

  it('the round trip can fail: an element edited in the OTM file comes back edited', async () => {
    const example = EXAMPLES[0] ?? '';
    const { analysis, ctx } = analysed(`examples/${example}`);
    const doc = JSON.parse(await otmReporter.render(analysis, ctx)) as { components: { attributes: Record<string, string> }[] };
    const first = doc.components[0];
    if (!first) throw new Error('no component');
    const el = JSON.parse(first.attributes['maestro.element'] ?? '{}') as Record<string, unknown>;
    el['name'] = 'changed in IriusRisk';
    first.attributes['maestro.element'] = JSON.stringify(el);
    const r = runImport('otm', [{ path: 'x.otm.json', text: JSON.stringify(doc) }]);
    expect(normalise(r.model)).not.toEqual(normalise(ctx.model));
  });
});

describe('format-shaped garbage (a2a, elizaos, otm, threat-dragon): diagnostics, never a crash; any model validates', () => {
  const KEYS = ['name', 'url', 'skills', 'capabilities', 'pushNotifications', 'securitySchemes', 'supportedInterfaces', 'signatures', 'provider', 'organization', 'bio', 'modelProvider', 'plugins', 'clients', 'settings', 'secrets', 'mcp', 'servers', 'otmVersion', 'project', 'trustZones', 'components', 'dataflows', 'parent', 'trustZone', 'component', 'source', 'destination', 'id', 'type', 'summary', 'title', 'detail', 'diagrams', 'cells', 'data', 'cell', 'attributes', 'maestro.generator', 'maestro.element', 'maestro.section', '__proto__'];
  const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom('0.2.0', 'tm.Process', 'tm.Flow', 'tm.BoundaryBox', 'https://a.example.com', 'http://127.0.0.1', 'maestro-tm 1', '{"id":"x"}', 'agents', 'discord'));
  const { doc } = fc.letrec<{ doc: unknown }>((tie) => ({
    doc: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('doc'), { maxLength: 4 }), fc.dictionary(fc.constantFrom(...KEYS), tie('doc'), { maxKeys: 6 })),
  }));
  it.each(['a2a', 'elizaos', 'otm', 'threat-dragon'])('%s', (format) => {
    fc.assert(
      fc.property(doc, (value) => {
        const text = JSON.stringify(value) ?? 'null';
        const a = runImport(format, [{ path: 'x.json', text }]);
        // A model withheld as invalid, or an importer that threw, is a bug in the importer.
        expect(a.diagnostics.filter((d) => d.code === 'E_IMPORT_INVALID_MODEL' || d.code === 'E_IMPORT_INTERNAL')).toEqual([]);
        if (a.model) {
          expect(validateData(a.model).filter((d) => d.severity === 'error')).toEqual([]);
          expect(JSON.stringify(runImport(format, [{ path: 'x.json', text }]).model)).toBe(JSON.stringify(a.model));
        } else expect(a.diagnostics.some((d) => d.severity === 'error')).toBe(true);
        expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});
