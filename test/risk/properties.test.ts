/**
 * Properties of the scores on generated systems (bench/gen.js, seeded) with random graph inputs:
 * finite and in range, inherent >= residual, deterministic, monotone in chainExposure, independent
 * of the top-K chain count, and a declared control never raises a score. test/risk/integration.test.ts
 * checks the last one end to end, with the graph inputs the cross-layer analysis really computes.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateSystem, TOPOLOGIES } from '../../bench/gen.js';
import type { ResolvedModel } from '../../src/model/resolve.js';
import { resolveModel } from '../../src/model/resolve.js';
import { runRules } from '../../src/engine/run.js';
import { RULES } from '../../src/rules/index.js';
import type { ModelFile } from '../../src/model/schema.js';
import { RISK_FACTORS } from '../../src/model/schema.js';
import { bandOf, scoreFindings, type RiskInputs, type ScoredFinding } from '../../src/risk/index.js';
import { HEADER, catalogue, load, loadData, probe } from './_support.js';

const system = fc.record({
  agents: fc.integer({ min: 1, max: 14 }),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  topology: fc.constantFrom(...TOPOLOGIES),
});

/** Deterministic per-id inputs, so two versions of a model get the same inputs for the same element. */
function hashId(id: string, salt: number): number {
  let h = (2166136261 ^ salt) >>> 0;
  for (let k = 0; k < id.length; k++) h = Math.imul(h ^ id.charCodeAt(k), 16777619) >>> 0;
  return h;
}
interface GraphInputs {
  readonly chainCount: Int32Array;
  readonly blastReach: Int32Array;
  readonly chainTotal: number;
  readonly chainExposure: Float64Array;
}
function inputsById(m: ResolvedModel, salt: number): GraphInputs {
  const n = m.graph.size;
  const chainCount = new Int32Array(n);
  const blastReach = new Int32Array(n);
  const chainExposure = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const id = m.graph.ids[i] ?? '';
    chainCount[i] = hashId(id, salt) % 11;
    blastReach[i] = hashId(id, salt + 1) % 60;
    chainExposure[i] = (hashId(id, salt + 2) % 1001) / 1000;
  }
  return { chainCount, blastReach, chainTotal: 10, chainExposure };
}

/** Any double, including NaN, infinities, negatives and values above 1. */
const anyDouble = fc.oneof(
  fc.double({ noNaN: false }),
  fc.double({ min: 0, max: 1, noNaN: true }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 1, 1 + Number.EPSILON, -1e-300),
);

/** Every number of a score, for comparing two runs that should agree on all of them. */
function numbers(scored: readonly ScoredFinding[]): unknown {
  return scored.map((s) => ({
    id: s.id,
    likelihood: s.risk.likelihood,
    impact: s.risk.impact,
    amplification: s.risk.amplification,
    residualLikelihood: s.risk.residualLikelihood,
    inherent: s.risk.inherent,
    residual: s.risk.residual,
    components: s.risk.components,
    factors: s.risk.factors.map((f) => [f.name, f.value]),
  }));
}

function scoreAll(m: ResolvedModel, inputs: RiskInputs = {}): ScoredFinding[] {
  return scoreFindings(m, runRules(m, RULES).findings, catalogue, inputs);
}

/** Raw control characters (C0 and DEL) never appear in explanation text. */
function hasControlChar(text: string): boolean {
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** Every number finite and in range, bands consistent, inherent >= residual (one expect per call: fast). */
function checkRanges(scored: readonly ScoredFinding[]): void {
  const problems: string[] = [];
  const inRange = (what: string, v: number, lo = 0, hi = 10) => {
    if (!Number.isFinite(v) || v < lo || v > hi) problems.push(`${what} = ${v}`);
  };
  for (const s of scored) {
    const r = s.risk;
    const at = (what: string) => `${s.id} ${what}`;
    for (const [k, v] of Object.entries({ likelihood: r.likelihood, impact: r.impact, inherent: r.inherent, residual: r.residual, residualLikelihood: r.residualLikelihood, ...r.components })) inRange(at(k), v);
    inRange(at('amplification'), r.amplification, 1, 1.5);
    if (r.inherent < r.residual) problems.push(at(`inherent ${r.inherent} < residual ${r.residual}`));
    if (r.likelihood < r.residualLikelihood) problems.push(at('residual likelihood above likelihood'));
    if (r.band !== bandOf(r.inherent) || r.residualBand !== bandOf(r.residual)) problems.push(at('band does not match score'));
    if (r.factors.map((f) => f.name).join() !== RISK_FACTORS.join()) problems.push(at('factor list'));
    for (const f of r.factors) {
      inRange(at(f.name), f.value);
      if (Math.round(f.value * 10) / 10 !== f.value) problems.push(at(`${f.name} not rounded: ${f.value}`));
    }
    for (const line of r.why) if (line.length === 0 || hasControlChar(line)) problems.push(at(`bad why line ${JSON.stringify(line)}`));
  }
  expect(problems).toEqual([]);
}

describe('scores on generated systems', () => {
  it('are finite and in range, with and without graph inputs', () => {
    fc.assert(
      fc.property(system, fc.integer({ min: 0, max: 1000 }), (opts, salt) => {
        const m = resolveModel(generateSystem(opts));
        checkRanges(scoreAll(m));
        checkRanges(scoreAll(m, inputsById(m, salt)));
      }),
      { numRuns: 25 },
    );
  });

  it('stay in range for arbitrary chainCount, blastReach and chainExposure arrays (any length, any sign, NaN, above 1)', () => {
    const m = resolveModel(generateSystem({ agents: 6, seed: 3, topology: 'dag' }));
    const findings = runRules(m, RULES).findings;
    const arr = fc.array(fc.integer({ min: -2_000_000_000, max: 2_000_000_000 }), { maxLength: m.graph.size + 5 }).map((a) => Int32Array.from(a));
    const exposure = fc.option(
      fc.array(anyDouble, { maxLength: m.graph.size + 5 }).map((a) => Float64Array.from(a)),
      { nil: undefined },
    );
    fc.assert(
      fc.property(arr, arr, fc.option(fc.double({ noNaN: false }), { nil: undefined }), exposure, (chainCount, blastReach, chainTotal, chainExposure) => {
        const inputs: RiskInputs = {
          chainCount,
          blastReach,
          ...(chainTotal === undefined ? {} : { chainTotal }),
          ...(chainExposure === undefined ? {} : { chainExposure }),
        };
        const scored = scoreFindings(m, findings, catalogue, inputs);
        checkRanges(scored);
        for (const s of scored) expect(s.risk.components.chains).toBeLessThanOrEqual(10);
      }),
      { numRuns: 60 },
    );
  });

  it('never rise when chainExposure falls (what adding a control does to it), element by element', () => {
    const m = resolveModel(generateSystem({ agents: 8, seed: 11, topology: 'small-world' }));
    const findings = runRules(m, RULES).findings;
    const n = m.graph.size;
    fc.assert(
      fc.property(
        fc.array(anyDouble, { minLength: n, maxLength: n }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n, maxLength: n }),
        fc.array(fc.integer({ min: 0, max: 80 }), { minLength: n, maxLength: n }),
        (high, scale, blast) => {
          const blastReach = Int32Array.from(blast);
          const before = scoreFindings(m, findings, catalogue, { blastReach, chainExposure: Float64Array.from(high) });
          // Lower each entry (a non-finite or negative entry already counts as 0).
          const lowered = Float64Array.from(high, (v, k) => (Number.isFinite(v) && v > 0 ? Math.min(v, 1) * (scale[k] ?? 0) : 0));
          const after = scoreFindings(m, findings, catalogue, { blastReach, chainExposure: lowered });
          const problems: string[] = [];
          for (let k = 0; k < before.length; k++) {
            const o = before[k]!.risk;
            const q = after[k]!.risk;
            if (q.inherent > o.inherent || q.residual > o.residual || q.likelihood > o.likelihood || q.amplification > o.amplification || q.components.chains > o.components.chains) {
              problems.push(`${before[k]!.id}: ${o.inherent}/${o.residual} -> ${q.inherent}/${q.residual}`);
            }
          }
          expect(problems).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('do not depend on the top-K chainCount or chainTotal (they only appear in the text)', () => {
    fc.assert(
      fc.property(system, fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 }), fc.option(fc.double({ noNaN: false }), { nil: undefined }), (opts, salt, salt2, chainTotal) => {
        const m = resolveModel(generateSystem(opts));
        const base = inputsById(m, salt);
        const other = inputsById(m, salt2);
        const findings = runRules(m, RULES).findings;
        const a = scoreFindings(m, findings, catalogue, { blastReach: base.blastReach, chainExposure: base.chainExposure });
        const b = scoreFindings(m, findings, catalogue, {
          blastReach: base.blastReach,
          chainExposure: base.chainExposure,
          chainCount: other.chainCount,
          ...(chainTotal === undefined ? {} : { chainTotal }),
        });
        expect(numbers(b)).toEqual(numbers(a));
      }),
      { numRuns: 15 },
    );
  });

  it('are deterministic: the same input gives the same JSON', () => {
    fc.assert(
      fc.property(system, fc.integer({ min: 0, max: 1000 }), (opts, salt) => {
        const a = resolveModel(generateSystem(opts));
        const b = resolveModel(generateSystem(opts));
        expect(JSON.stringify(scoreAll(b, inputsById(b, salt)))).toBe(JSON.stringify(scoreAll(a, inputsById(a, salt))));
      }),
      { numRuns: 10 },
    );
  });

  it('adding a declared, implemented control never raises a score, and never raises the residual of the finding it matches', () => {
    fc.assert(
      fc.property(system, fc.nat(), fc.nat(), fc.boolean(), fc.integer({ min: 0, max: 1000 }), (opts, pickFinding, pickPattern, systemWide, salt) => {
        const data = generateSystem(opts);
        const before = loadData(data);
        const old = scoreAll(before, inputsById(before, salt));
        const withDefences = old.filter((s) => s.defences.some((d) => catalogue.patterns.has(d)));
        fc.pre(withDefences.length > 0);
        const target = withDefences[pickFinding % withDefences.length]!;
        const patterns = target.defences.filter((d) => catalogue.patterns.has(d));
        const pattern = patterns[pickPattern % patterns.length]!;
        const attach = !systemWide && target.kind !== 'control';
        const control = { id: 'zz-added-control', pattern, status: 'implemented' as const, ...(attach ? { appliesTo: [target.element] } : {}) };
        const changed: ModelFile = { ...data, controls: [...(data.controls ?? []), control] };
        const after = loadData(changed);
        const now = scoreAll(after, inputsById(after, salt));
        const byId = new Map(now.map((s) => [s.id, s]));
        for (const o of old) {
          const n = byId.get(o.id);
          if (!n) continue; // the finding went away
          expect(n.risk.inherent).toBeLessThanOrEqual(o.risk.inherent);
          expect(n.risk.residual).toBeLessThanOrEqual(o.risk.residual);
          expect(n.risk.likelihood).toBeLessThanOrEqual(o.risk.likelihood);
          expect(n.risk.impact).toBeLessThanOrEqual(o.risk.impact);
          expect(n.risk.amplification).toBeLessThanOrEqual(o.risk.amplification);
        }
        const t = byId.get(target.id);
        if (t) {
          expect(t.mitigatedBy).toContain('zz-added-control');
          const reduction = catalogue.patterns.get(pattern)?.reduction ?? 1;
          expect(t.risk.residualLikelihood).toBeLessThanOrEqual(Math.round(t.risk.likelihood * reduction * 10) / 10 + 0.05);
        }
      }),
      { numRuns: 20 },
    );
  });
});

describe('edge cases', () => {
  it('an empty model has nothing to score', () => {
    const m = load(HEADER);
    expect(scoreFindings(m, runRules(m, RULES).findings, catalogue)).toEqual([]);
    expect(scoreFindings(m, [], catalogue, { chainCount: new Int32Array(0), blastReach: new Int32Array(0), chainTotal: 0, chainExposure: new Float64Array(0) })).toEqual([]);
  });

  it('a finding on an element the model does not hold still gets a finite score from its severity', () => {
    const m = load(`${HEADER}agents:\n  - {id: a}\n`);
    const f = { ...probe(m, 'a', 'critical'), id: 'probe@ghost', element: 'ghost', elements: ['ghost'], mitigatedBy: ['nope'] };
    const [s] = scoreFindings(m, [f], catalogue, { chainCount: Int32Array.from([7]), chainTotal: Number.NaN, chainExposure: Float64Array.from([1]) });
    expect(s).toBeDefined();
    checkRanges([s!]);
    expect(s!.risk.likelihood).toBe(6.3); // 0.7 * 9
  });

  it('keeps the order of the findings it is given and copies every finding field', () => {
    const m = load(`${HEADER}agents:\n  - {id: a, autonomy: full}\n  - {id: b}\n`);
    const findings = runRules(m, RULES).findings;
    const scored = scoreFindings(m, findings, catalogue);
    expect(scored.map((s) => s.id)).toEqual(findings.map((f) => f.id));
    for (let k = 0; k < findings.length; k++) {
      const copy: Record<string, unknown> = { ...scored[k]! };
      delete copy['risk'];
      expect(copy).toEqual(findings[k]);
    }
  });
});
