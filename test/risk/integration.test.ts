/**
 * End to end: generated systems (bench/gen.js) through the whole analysis (rules, cross-layer graph,
 * risk). Adding one implemented control never raises a score of a finding that survives, and never
 * reopens a mitigated finding; the analysis is deterministic and every score is finite and in range.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateSystem, TOPOLOGIES } from '../../bench/gen.js';
import { analyse, type Analysis } from '../../src/engine/analyse.js';
import { applyWhatIf } from '../../src/engine/whatif.js';
import { loadCatalogue } from '../../src/io/catalogue.js';
import { resolveModel } from '../../src/model/resolve.js';
import type { ModelFile } from '../../src/model/schema.js';
import { RULES } from '../../src/rules/index.js';

const catalogue = loadCatalogue().catalogue;
const PATTERNS = [...catalogue.patterns.keys()].sort();
const EPS = 1e-9;

const system = fc.record({
  agents: fc.integer({ min: 5, max: 40 }),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  topology: fc.constantFrom(...TOPOLOGIES),
});

/** Ids of every element the model declares, in file order. */
function elementIds(model: ModelFile): string[] {
  const ids: string[] = [];
  for (const section of Object.values(model as unknown as Record<string, unknown>)) {
    if (!Array.isArray(section)) continue;
    for (const el of section) if (el && typeof el === 'object' && typeof (el as { id?: unknown }).id === 'string') ids.push((el as { id: string }).id);
  }
  return ids;
}

/** The model with one implemented control of `pattern`, on `element` or system-wide (no appliesTo). */
function withControl(model: ModelFile, pattern: string, element: string | undefined): ModelFile {
  if (element !== undefined) return applyWhatIf(model, [{ pattern, element }]);
  // applyWhatIf picks a fresh id; the control is then rebuilt without appliesTo (system-wide).
  const added = applyWhatIf(model, [{ pattern, element: '_' }]);
  const controls = [...(added.controls ?? [])];
  const last = controls.pop()!;
  controls.push({ id: last.id, pattern, status: 'implemented', description: 'added system-wide by the test' });
  return { ...added, controls };
}

function run(model: ModelFile): Analysis {
  return analyse(resolveModel(model), catalogue, RULES).analysis;
}

/** Every score finite and in range (one expect per call). */
function rangeProblems(a: Analysis): string[] {
  const out: string[] = [];
  for (const f of a.findings) {
    const r = f.risk;
    for (const [k, v] of Object.entries({ likelihood: r.likelihood, impact: r.impact, residualLikelihood: r.residualLikelihood, inherent: r.inherent, residual: r.residual, ...r.components })) {
      if (!Number.isFinite(v) || v < 0 || v > 10) out.push(`${f.id} ${k} = ${v}`);
    }
    for (const fct of r.factors) if (!Number.isFinite(fct.value) || fct.value < 0 || fct.value > 10) out.push(`${f.id} ${fct.name} = ${fct.value}`);
    if (!Number.isFinite(r.amplification) || r.amplification < 1 || r.amplification > 1.5) out.push(`${f.id} amplification = ${r.amplification}`);
    if (r.residual > r.inherent) out.push(`${f.id} residual ${r.residual} > inherent ${r.inherent}`);
  }
  return out;
}

describe('end to end on generated systems', () => {
  it('adding one implemented control never raises a score or reopens a mitigated finding', () => {
    fc.assert(
      fc.property(system, fc.nat(), fc.nat(), fc.boolean(), (opts, pickPattern, pickElement, systemWide) => {
        const model = generateSystem(opts);
        const ids = elementIds(model);
        const pattern = PATTERNS[pickPattern % PATTERNS.length]!;
        const element = systemWide ? undefined : ids[pickElement % ids.length];
        const before = run(model);
        const after = run(withControl(model, pattern, element));
        expect(rangeProblems(before)).toEqual([]);
        expect(rangeProblems(after)).toEqual([]);
        const now = new Map(after.findings.map((f) => [f.id, f]));
        const problems: string[] = [];
        for (const o of before.findings) {
          const n = now.get(o.id);
          if (!n) continue; // the finding went away
          if (n.risk.inherent > o.risk.inherent + EPS) problems.push(`${o.id}: inherent ${o.risk.inherent} -> ${n.risk.inherent}`);
          if (n.risk.residual > o.risk.residual + EPS) problems.push(`${o.id}: residual ${o.risk.residual} -> ${n.risk.residual}`);
          if (o.status === 'mitigated' && n.status === 'open') problems.push(`${o.id}: mitigated -> open`);
        }
        expect(problems, `add ${pattern}@${element ?? '(system-wide)'} to ${JSON.stringify(opts)}`).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });

  it('is deterministic: the same model analysed twice gives the same JSON', () => {
    fc.assert(
      fc.property(system, fc.nat(), fc.nat(), (opts, pickPattern, pickElement) => {
        const model = generateSystem(opts);
        const ids = elementIds(model);
        const changed = withControl(model, PATTERNS[pickPattern % PATTERNS.length]!, ids[pickElement % ids.length]);
        for (const m of [model, changed]) {
          // The same resolved model twice (no state left behind), and a fresh copy of it.
          const resolved = resolveModel(m);
          const a = JSON.stringify(analyse(resolved, catalogue, RULES).analysis);
          const b = JSON.stringify(analyse(resolved, catalogue, RULES).analysis);
          const c = JSON.stringify(run(structuredClone(m)));
          expect(b).toBe(a);
          expect(c).toBe(a);
        }
      }),
      { numRuns: 8 },
    );
  });
});
