/** Open Threat Model 0.2.0 output: schema-valid, complete enough to rebuild the model exactly. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/engine/analyse.js';
import { DEFAULT_ZONE, renderOtm } from '../../src/reporters/otm/index.js';
import { EXAMPLES, HOSTILE, ROOT, analysed } from './_support.js';

const schemaText = readFileSync(`${ROOT}test/fixtures/schemas/otm-schema-0.2.0.json`, 'utf8');
const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(JSON.parse(schemaText) as object);

interface Item {
  id: string;
  type?: string;
  parent?: { trustZone?: string };
  source?: string;
  destination?: string;
  threats?: { threat: string; state: string; mitigations: { mitigation: string; state: string }[] }[];
  assets?: { stored: string[] };
  attributes?: Record<string, string>;
}
interface Otm {
  otmVersion: string;
  project: { id: string; name: string; attributes: Record<string, string> };
  trustZones: Item[];
  components: Item[];
  dataflows: Item[];
  assets: Item[];
  threats: { id: string; categories: string[]; risk: { likelihood: number; impact: number } }[];
  mitigations: { id: string; riskReduction: number }[];
}

function otmOf(file: string, a?: Analysis): Otm {
  const r = analysed(file);
  return JSON.parse(renderOtm(a ?? r.analysis, r.ctx)) as Otm;
}

/** What an OTM importer (issue 6) would do: rebuild the model from the maestro.* attributes only. */
function rebuild(otm: Otm): Record<string, unknown> {
  const model: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(otm.project.attributes)) if (k.startsWith('maestro.top.')) model[k.slice('maestro.top.'.length)] = JSON.parse(v);
  for (const item of [...otm.assets, ...otm.trustZones, ...otm.components, ...otm.dataflows]) {
    const at = item.attributes ?? {};
    const section = at['maestro.section'];
    const element = at['maestro.element'];
    if (!section || !element) continue;
    const list = (model[section] ??= []) as unknown[];
    list.push(JSON.parse(element));
  }
  return model;
}

describe('OTM against the official 0.2.0 schema', () => {
  it('the vendored schema is the pinned iriusrisk file', () => {
    expect(createHash('sha256').update(schemaText).digest('hex')).toBe('81e7f5a52a0a7d66b44cc4e0c15f21b5d60e1ca945c810e39622a730545eef0c');
  });

  it('the validator rejects a document that breaks the schema (the check can fail)', () => {
    expect(validate({ otmVersion: '0.2.0' })).toBe(false);
    expect(validate({ otmVersion: '0.2.0', project: { name: 'x', id: 'x' }, components: [{ id: 'a', name: 'a', type: 't' }] })).toBe(false);
  });

  it.each([...EXAMPLES.map((e) => `examples/${e}`), HOSTILE])('%s validates', (file) => {
    const doc = otmOf(file);
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 5), null, 1)).toBe(true);
    expect(doc.otmVersion).toBe('0.2.0');
  });
});

describe('OTM content', () => {
  it.each([...EXAMPLES.map((e) => `examples/${e}`), HOSTILE])('%s: the maestro.* attributes rebuild the model exactly', (file) => {
    const { ctx } = analysed(file);
    expect(rebuild(otmOf(file))).toEqual(JSON.parse(JSON.stringify(ctx.model)));
  });

  it('every reference resolves: parents to trust zones, dataflow ends to components, threat refs to threats', () => {
    for (const file of EXAMPLES.map((e) => `examples/${e}`)) {
      const doc = otmOf(file);
      const zones = new Set(doc.trustZones.map((z) => z.id));
      const comps = new Set(doc.components.map((c) => c.id));
      const threats = new Set(doc.threats.map((t) => t.id));
      const mitigations = new Set(doc.mitigations.map((m) => m.id));
      const assets = new Set(doc.assets.map((a) => a.id));
      for (const z of doc.trustZones) if (z.parent?.trustZone) expect(zones).toContain(z.parent.trustZone);
      for (const c of doc.components) {
        expect(zones, `${file}: ${c.id}`).toContain(c.parent?.trustZone);
        for (const s of c.assets?.stored ?? []) expect(assets).toContain(s);
      }
      for (const d of doc.dataflows) {
        expect(comps, `${file}: ${d.id} source`).toContain(d.source);
        expect(comps, `${file}: ${d.id} destination`).toContain(d.destination);
      }
      for (const c of [...doc.components, ...doc.dataflows]) {
        for (const t of c.threats ?? []) {
          expect(threats).toContain(t.threat);
          for (const m of t.mitigations) expect(mitigations).toContain(m.mitigation);
        }
      }
      for (const t of doc.threats) {
        expect(t.categories.length).toBeGreaterThan(0);
        expect(t.risk.likelihood).toBeGreaterThanOrEqual(0);
        expect(t.risk.impact).toBeLessThanOrEqual(100);
      }
      for (const m of doc.mitigations) expect(m.riskReduction).toBeGreaterThanOrEqual(0);
      expect(new Set([...doc.components, ...doc.dataflows].map((x) => x.id)).size).toBe(doc.components.length + doc.dataflows.length);
    }
  });

  it('elements in a deployment inherit its boundary; elements without one land in the default zone', () => {
    const doc = otmOf(HOSTILE);
    const parentOf = (id: string): string | undefined => doc.components.find((c) => c.id === id)?.parent?.trustZone;
    expect(parentOf('shell')).toBe('corp');
    expect(parentOf('plugin')).toBe(DEFAULT_ZONE);
    expect(doc.trustZones.map((z) => z.id)).toContain(DEFAULT_ZONE);
    const expense = otmOf('examples/expense-reimbursement.yaml');
    if (!expense.components.some((c) => c.parent?.trustZone === DEFAULT_ZONE)) expect(expense.trustZones.map((z) => z.id)).not.toContain(DEFAULT_ZONE);
  });

  it('threat states follow findings: mitigated by controls, accepted, false positive, else exposed', () => {
    const file = 'examples/expense-reimbursement.yaml';
    const { analysis } = analysed(file);
    // Three findings on three different elements, rendered on their own.
    const mitigated = analysis.findings.find((f) => f.status === 'mitigated');
    const acc = analysis.findings.find((f) => f.status === 'open' && f.element !== mitigated?.element);
    const fp = analysis.findings.find((f) => f.status === 'open' && f.element !== mitigated?.element && f.element !== acc?.element);
    if (!mitigated || !acc || !fp) throw new Error('the example lacks a mitigated finding');
    const tracked: Analysis = {
      ...analysis,
      findings: [
        mitigated,
        { ...acc, tracking: { status: 'accepted', effective: 'accepted', key: acc.id, expired: false } },
        { ...fp, tracking: { status: 'false-positive', effective: 'false-positive', key: fp.id, expired: false } },
      ],
    };
    const doc = otmOf(file, tracked);
    const refsOf = (id: string) => [...doc.components, ...doc.dataflows].find((c) => c.id === id)?.threats ?? [];
    expect(refsOf(mitigated.element).map((t) => t.state)).toEqual(mitigated.threats.map(() => 'mitigated'));
    expect(refsOf(acc.element).every((t) => t.state === 'accepted')).toBe(true);
    expect(refsOf(fp.element).every((t) => t.state === 'not-applicable')).toBe(true);
    const implemented = refsOf(mitigated.element).flatMap((t) => t.mitigations).filter((m) => m.state === 'implemented');
    expect(implemented.length).toBeGreaterThan(0);
  });

  it('hostile text is data: names and descriptions are carried verbatim, ids stay ids', () => {
    const doc = otmOf(HOSTILE);
    const planner = doc.components.find((c) => c.id === 'planner') as (Item & { name: string }) | undefined;
    expect(planner?.name).toContain('<script>alert(1)</script>');
    expect(doc.project.id).toMatch(/^[a-z0-9-]+$/);
    expect(planner?.type).toBe('agent');
  });
});
