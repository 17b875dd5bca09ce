/** ATT&CK and ATLAS Navigator layers: the right domain and versions, scores from residual risk. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AnalysedFinding, Analysis } from '../../src/engine/analyse.js';
import { ATLAS_DATA_VERSION, ATTACK_VERSION, renderNavigator } from '../../src/reporters/navigator/index.js';
import { EXAMPLES, HOSTILE, ROOT, analysed, catalogue } from './_support.js';

interface Layer {
  name: string;
  domain: string;
  versions: Record<string, string>;
  techniques: { techniqueID: string; score: number; comment: string; metadata: { name: string; value: string }[]; showSubtechniques?: boolean }[];
  gradient: { colors: string[]; minValue: number; maxValue: number };
  legendItems: { label: string; color: string }[];
  metadata: { name: string; value: string }[];
}

const layerOf = (a: Analysis, which: 'attack' | 'atlas'): Layer => JSON.parse(renderNavigator(a, catalogue, which)) as Layer;

/** Expected scores computed straight from the catalogue, independently of the reporter. */
function expectedScores(a: Analysis, which: 'attack' | 'atlas'): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of a.findings) {
    if (f.tracking?.effective === 'false-positive') continue;
    for (const t of f.threats) {
      const entry = catalogue.threats.get(t);
      for (const x of (which === 'atlas' ? entry?.atlas : entry?.attack) ?? []) out.set(x.id, Math.max(out.get(x.id) ?? 0, f.risk.residual));
    }
  }
  return out;
}

describe.each(['attack', 'atlas'] as const)('%s layer', (which) => {
  it.each([...EXAMPLES.map((e) => `examples/${e}`), HOSTILE])('%s: domain, versions, and one scored technique per mapped id', (file) => {
    const { analysis } = analysed(file);
    const layer = layerOf(analysis, which);
    if (which === 'atlas') {
      expect(layer.domain).toBe('atlas-atlas');
      expect(layer.versions).toEqual({ layer: '4.3', navigator: '4.6.4' });
      for (const t of layer.techniques) expect(t.techniqueID).toMatch(/^AML\.T\d{4}(\.\d{3})?$/);
    } else {
      expect(layer.domain).toBe('enterprise-attack');
      expect(layer.versions).toEqual({ attack: ATTACK_VERSION, navigator: '5.1.0', layer: '4.5' });
      for (const t of layer.techniques) expect(t.techniqueID).toMatch(/^T\d{4}(\.\d{3})?$/);
    }
    const expected = expectedScores(analysis, which);
    expect(new Map(layer.techniques.map((t) => [t.techniqueID, t.score]))).toEqual(expected);
    expect(layer.techniques.map((t) => t.techniqueID)).toEqual([...layer.techniques.map((t) => t.techniqueID)].sort());
    for (const t of layer.techniques) {
      expect(t.score).toBeGreaterThanOrEqual(layer.gradient.minValue);
      expect(t.score).toBeLessThanOrEqual(layer.gradient.maxValue);
      expect(t.metadata.length).toBeGreaterThan(0);
      expect(t.metadata.length).toBeLessThanOrEqual(21);
      for (const m of t.metadata) expect(typeof m.value).toBe('string');
    }
    expect(layer.legendItems.length).toBe(4);
    expect(layer.gradient.colors.length).toBeGreaterThanOrEqual(2);
  });

  it('findings tracked as false positives expose nothing', () => {
    const { analysis } = analysed('examples/mcp-client.yaml');
    const before = layerOf(analysis, which);
    expect(before.techniques.length).toBeGreaterThan(0);
    const allFp: Analysis = {
      ...analysis,
      findings: analysis.findings.map((f): AnalysedFinding => ({ ...f, tracking: { status: 'false-positive', effective: 'false-positive', key: '*', expired: false } })),
    };
    expect(layerOf(allFp, which).techniques).toEqual([]);
  });
});

describe('navigator versions match the catalogue mapping data', () => {
  it('ATLAS data version and ATT&CK version are those of catalogue/mappings/atlas.yaml', () => {
    const text = readFileSync(`${ROOT}catalogue/mappings/atlas.yaml`, 'utf8');
    const source = /^source: (.*)$/m.exec(text)?.[1] ?? '';
    expect(source).toContain(`v${ATLAS_DATA_VERSION}`);
    expect(source).toMatch(new RegExp(`ATT&CK Enterprise v${ATTACK_VERSION}(\\.|\\b)`));
  });
});
