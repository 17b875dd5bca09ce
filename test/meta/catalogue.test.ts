/**
 * Meta-tests tying catalogue, rules, fixtures and generated files together (CONVENTIONS.md 1.3).
 * Each failure names the file to edit.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readCatalogueFiles } from '../../src/io/catalogue.js';
import { parseCatalogue } from '../../src/catalogue/load.js';
import { ATLAS_ID, ATTACK_ID, THREAT_ID, PATTERN_ID } from '../../src/catalogue/schema.js';
import { RULES } from '../../src/rules/index.js';
import { ELEMENT_KINDS } from '../../src/model/kinds.js';
// @ts-expect-error plain JS module without types
import { renderRuleIndex } from '../../tools/gen-rule-index.js';

const root = new URL('../../', import.meta.url).pathname;
const { catalogue, diagnostics } = parseCatalogue(readCatalogueFiles());
const atlasData = parse(readFileSync(join(root, 'catalogue/mappings/atlas.yaml'), 'utf8')) as {
  techniques: { id: string; name: string; attack?: { id: string; name: string } }[];
};
const atlasNames = new Map(atlasData.techniques.map((t) => [t.id, t.name]));
const attackNames = new Map(atlasData.techniques.filter((t) => t.attack).map((t) => [t.attack!.id, t.attack!.name]));

describe('catalogue data', () => {
  it('every entry parses and validates, and its file is named after its id', () => {
    expect(diagnostics.map((d) => `${d.file ?? ''}: ${d.message}`)).toEqual([]);
    expect(catalogue.threats.size).toBeGreaterThan(0);
  });

  it('ids are well formed', () => {
    for (const id of catalogue.threats.keys()) expect(id, `catalogue/threats/${id}.yaml`).toMatch(THREAT_ID);
    for (const id of catalogue.patterns.keys()) expect(id, `catalogue/patterns/${id}.yaml`).toMatch(PATTERN_ID);
  });

  it('every ATLAS and ATT&CK id is well formed, exists in catalogue/mappings/atlas.yaml with the same name, and the entry cites a source for it', () => {
    for (const t of catalogue.threats.values()) {
      const where = `catalogue/threats/${t.id}.yaml`;
      for (const a of t.atlas ?? []) {
        expect(a.id, where).toMatch(ATLAS_ID);
        expect(atlasNames.get(a.id), `${where}: ${a.id} is not an ATLAS technique`).toBe(a.name);
        expect(t.sources.some((s) => s.fact.includes('ATLAS') || s.fact.includes(a.id)), `${where}: cite the source of ${a.id}`).toBe(true);
      }
      for (const a of t.attack ?? []) {
        expect(a.id, where).toMatch(ATTACK_ID);
        expect(attackNames.get(a.id), `${where}: ${a.id} is not an ATT&CK technique that ATLAS references`).toBe(a.name);
        expect(t.sources.some((s) => s.fact.includes('ATT&CK') || s.fact.includes(a.id)), `${where}: cite the source of ${a.id}`).toBe(true);
      }
    }
  });

  it('every threat has a validation scenario and telemetry; data sources exist in catalogue/mappings/attack-data-sources.yaml', () => {
    const ds = parse(readFileSync(join(root, 'catalogue/mappings/attack-data-sources.yaml'), 'utf8')) as { data_sources: { id: string; name: string; components?: string[] }[] };
    const byId = new Map(ds.data_sources.map((d) => [d.id, d]));
    for (const t of catalogue.threats.values()) {
      const where = `catalogue/threats/${t.id}.yaml`;
      expect(t.validation, `${where}: add validation: {scenario, expect}`).toBeDefined();
      expect(t.telemetry?.length ?? 0, `${where}: add telemetry signals`).toBeGreaterThan(0);
      for (const s of t.telemetry ?? []) {
        if (s.dataSource === undefined) continue;
        const d = byId.get(s.dataSource);
        expect(d, `${where}: unknown ATT&CK data source ${s.dataSource}`).toBeDefined();
        if (s.dataComponent !== undefined) expect(d?.components ?? [], `${where}: ${s.dataComponent} is not a component of ${s.dataSource}`).toContain(s.dataComponent);
      }
    }
  });

  it('references between threats and patterns resolve', () => {
    for (const t of catalogue.threats.values()) {
      for (const p of t.patterns ?? []) expect(catalogue.patterns.has(p), `catalogue/threats/${t.id}.yaml: unknown pattern ${p}`).toBe(true);
      for (const r of t.relatesTo ?? []) expect(catalogue.threats.has(r), `catalogue/threats/${t.id}.yaml: unknown threat ${r}`).toBe(true);
    }
    for (const p of catalogue.patterns.values()) {
      for (const t of p.mitigates) expect(catalogue.threats.has(t), `catalogue/patterns/${p.id}.yaml: unknown threat ${t}`).toBe(true);
    }
  });

  it('no retired id is in use', () => {
    const removedPath = join(root, 'catalogue/removed.yaml');
    if (!existsSync(removedPath)) return;
    const removed = (parse(readFileSync(removedPath, 'utf8')) as { removed?: { id: string }[] } | null)?.removed ?? [];
    for (const r of removed) {
      expect(catalogue.threats.has(r.id), `catalogue/removed.yaml retires ${r.id}`).toBe(false);
      expect(catalogue.patterns.has(r.id), `catalogue/removed.yaml retires ${r.id}`).toBe(false);
      expect(RULES.some((x) => x.meta.id === r.id), `catalogue/removed.yaml retires ${r.id}`).toBe(false);
    }
  });
});

describe('rules against the catalogue', () => {
  const rulesDir = join(root, 'src/rules');

  it('src/rules/index.ts lists every rule folder, sorted (run npm run gen)', () => {
    expect(readFileSync(join(rulesDir, 'index.ts'), 'utf8')).toBe(renderRuleIndex());
    const ids = RULES.map((r) => r.meta.id);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  for (const rule of RULES) {
    const m = rule.meta;
    const where = `src/rules/${m.id}/rule.ts`;
    it(`${m.id}: meta is complete and consistent`, () => {
      expect(m.id, where).toMatch(/^[a-z][a-z0-9-]+$/);
      expect(existsSync(join(rulesDir, m.id, 'rule.ts')), `${where}: folder name must equal meta.id`).toBe(true);
      expect(m.threats.length, where).toBeGreaterThan(0);
      for (const t of m.threats) expect(catalogue.threats.has(t), `${where}: unknown threat ${t}`).toBe(true);
      for (const p of m.defences) expect(catalogue.patterns.has(p), `${where}: unknown pattern ${p} (add catalogue/patterns/${p}.yaml)`).toBe(true);
      expect(m.defences.length, `${where}: name at least one defence`).toBeGreaterThan(0);
      for (const k of m.appliesTo) expect(k === 'model' || ELEMENT_KINDS.includes(k), `${where}: appliesTo ${k}`).toBe(true);
      const inMessage = [...m.message.matchAll(/\{([a-zA-Z][a-zA-Z0-9]*)\}/g)].map((x) => x[1]).sort();
      expect(inMessage, `${where}: message placeholders must equal meta.placeholders`).toEqual([...m.placeholders].sort());
      for (const text of [m.title, m.message, m.detectionLogic, m.falsePositives]) {
        expect(text, `${where}: no markup in rule text`).not.toMatch(/<[a-z/!]|\]\(|`|\*\*/i);
      }
      expect(m.detectionLogic.length, where).toBeGreaterThan(20);
      expect(m.falsePositives.length, where).toBeGreaterThan(10);
      const fixtures = existsSync(join(rulesDir, m.id, 'fixtures')) ? readdirSync(join(rulesDir, m.id, 'fixtures')) : [];
      expect(fixtures.some((f) => f.startsWith('flags-')), `${where}: add fixtures/flags-<case>.yaml`).toBe(true);
      expect(fixtures.some((f) => f.startsWith('clean-')), `${where}: add fixtures/clean-<case>.yaml`).toBe(true);
    });
  }

  it('every catalogue threat is detected by a rule, or is marked detection: manual with a reason', () => {
    const detected = new Set(RULES.flatMap((r) => r.meta.threats));
    const missing: string[] = [];
    for (const t of catalogue.threats.values()) {
      if (t.detection === 'manual') {
        expect(t.manualReason, `catalogue/threats/${t.id}.yaml: give manualReason`).toBeTruthy();
        continue;
      }
      if (!detected.has(t.id)) missing.push(`catalogue/threats/${t.id}.yaml`);
    }
    expect(missing, 'no rule detects these threats: write a rule or mark them detection: manual with manualReason').toEqual([]);
  });
});
