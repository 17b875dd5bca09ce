/** The arithmetic of docs/risk-model.md: the worked example, bands, bounds and monotonicity. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AGENTIC_FACTORS,
  AMPLIFYING_WEIGHTS,
  amplificationOf,
  bandOf,
  baseScoreOf,
  effectiveReduction,
  impactOf,
  likelihoodOf,
  scoreOf,
  technicalImpactOf,
  type AgenticFactorName,
} from '../../src/risk/index.js';

import { load, risk } from './_support.js';

const r1 = (x: number) => Math.round(x * 10) / 10;

/** The worked example as a model: 40 elements, the agent at index 0. */
const EXAMPLE = `version: "1.0"
system: {name: example, criticality: high}
agents:
  - id: coding_agent
    autonomy: conditional
    models: [llm]
    tools: [shell, repo]
    memory: {reads: [code_index], writes: [notes]}
    identity: {type: service-account}
    delegatesTo: [helper]
    approvals: [{action: execute code, approver: lead, mode: after}]
  - {id: helper}
models:
  - {id: llm, pinned: false}
tools:
  - {id: shell, type: shell, sideEffects: [execute-code]}
  - {id: repo, sideEffects: [write, read]}
memories:
  - {id: code_index, type: vector-store, sensitivity: confidential}
  - {id: notes, type: long-term, persistence: persistent, isolation: shared}
humans:
  - {id: lead, role: approver}
${Array.from({ length: 30 }, (_, k) => `  - {id: pad${k}}`).join('\n')}
entryPoints:
  - {id: issues, target: coding_agent, trust: untrusted}
controls:
  - {id: approve_shell, pattern: human-approval, appliesTo: [coding_agent]}
`;

describe('the worked example of docs/risk-model.md', () => {
  it('reproduces every number', () => {
    // C = 10 x chainExposure = 10 x 0.8.
    const L = r1(likelihoodOf(7, 10, 8));
    expect(L).toBe(8.2);
    const T = technicalImpactOf(6, 8, 0, 7);
    expect(T).toBe(8);
    const I = r1(impactOf(T, 8));
    expect(I).toBe(8);
    const b = Math.log1p(12) / Math.log1p(40);
    expect(Math.round(b * 100) / 100).toBe(0.69);
    const reach = 10 * (1 - (1 - b) * (1 - 0.8));
    expect(r1(reach)).toBe(9.4);
    const f: Record<AgenticFactorName, number> = {
      autonomy: 7,
      toolAccess: 7.7,
      memoryPersistence: 10,
      multiAgentReach: 9.4,
      nonDeterminism: 10,
      identityDynamics: 4.5,
      humanOversight: 4,
    };
    expect(amplificationOf(f)).toBeCloseTo(1 + 0.5 * 0.7845 * 0.76, 10);
    const A = Math.round(amplificationOf(f) * 100) / 100;
    expect(A).toBe(1.3);
    expect(baseScoreOf(L, I)).toBeCloseTo(6.56, 10);
    const inherent = r1(scoreOf(L, I, A));
    expect(inherent).toBe(7.5);
    expect(bandOf(inherent)).toBe('high');
    expect(baseScoreOf(L * 0.3, I)).toBeCloseTo(1.968, 10);
    const residual = r1(scoreOf(L * 0.3, I, A));
    expect(residual).toBe(2.5);
    expect(bandOf(residual)).toBe('low');
  });
});

describe('the worked example as a model', () => {
  it('computes the factors of the table in docs/risk-model.md', () => {
    const m = load(EXAMPLE);
    expect(m.graph.size).toBe(40);
    expect(m.indexOf('coding_agent')).toBe(0);
    const blastReach = new Int32Array(40);
    blastReach[0] = 12;
    const chainExposure = new Float64Array(40);
    chainExposure[0] = 0.8;
    // Only reported: 4 of the 10 top chains cross the agent.
    const chainCount = new Int32Array(40);
    chainCount[0] = 4;
    const r = risk(m, 'coding_agent', { blastReach, chainCount, chainTotal: 10, chainExposure }, 'high', { mitigatedBy: ['approve_shell'] });
    expect(Object.fromEntries(r.factors.map((f) => [f.name, f.value]))).toEqual({
      likelihood: 8.2,
      impact: 8,
      autonomy: 7,
      toolAccess: 7.7,
      memoryPersistence: 10,
      multiAgentReach: 9.4,
      nonDeterminism: 10,
      identityDynamics: 4.5,
      humanOversight: 4,
    });
    expect(r.components).toEqual({ severity: 7, exposure: 10, chains: 8, sensitivity: 6, sideEffects: 8, crownJewels: 0, criticality: 8 });
    expect([r.amplification, r.likelihood, r.residualLikelihood, r.inherent, r.band, r.residual, r.residualBand]).toEqual([1.3, 8.2, 2.5, 7.5, 'high', 2.5, 'low']);
    expect(r.why).toContain('the most likely attack chain through coding_agent has likelihood 0.800 (4 of the 10 top attack chains cross it): likelihood raised');
    expect(r.why).toContain('if coding_agent is compromised, 12 elements fall: multi-agent reach 9.4');
    // The top-K count alone moves nothing: without chainExposure the chain component is 0.
    const countOnly = risk(m, 'coding_agent', { blastReach, chainCount, chainTotal: 10 }, 'high', { mitigatedBy: ['approve_shell'] });
    expect([countOnly.components.chains, countOnly.likelihood]).toEqual([0, 7]);
  });
});

describe('bands', () => {
  it.each([
    [0, 'low'],
    [2.9, 'low'],
    [3, 'medium'],
    [5.9, 'medium'],
    [6, 'high'],
    [7.9, 'high'],
    [8, 'critical'],
    [10, 'critical'],
  ])('%d is %s', (score, band) => {
    expect(bandOf(score)).toBe(band);
  });
});

describe('combining functions', () => {
  const x = fc.double({ min: 0, max: 10, noNaN: true });
  const amp = fc.double({ min: 1, max: 1.5, noNaN: true });

  it('weights of the amplifying factors sum to 1, and humanOversight is not one of them', () => {
    const sum = Object.values(AMPLIFYING_WEIGHTS).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 12);
    expect(Object.keys(AMPLIFYING_WEIGHTS)).not.toContain('humanOversight');
    expect(AGENTIC_FACTORS).toContain('humanOversight');
  });

  it('score lies between the base score and min(10, A * base)', () => {
    fc.assert(
      fc.property(x, x, amp, (l, i, a) => {
        const b = baseScoreOf(l, i);
        const s = scoreOf(l, i, a);
        return s >= b - 1e-9 && s <= Math.min(10, a * b) + 1e-9;
      }),
    );
  });

  it('every function is monotone in each input', () => {
    fc.assert(
      fc.property(x, x, x, x, amp, amp, (p, q, u, v, a, b) => {
        const [lo, hi] = p <= q ? [p, q] : [q, p];
        const [alo, ahi] = a <= b ? [a, b] : [b, a];
        return (
          likelihoodOf(lo, u, v) <= likelihoodOf(hi, u, v) &&
          likelihoodOf(u, lo, v) <= likelihoodOf(u, hi, v) &&
          likelihoodOf(u, v, lo) <= likelihoodOf(u, v, hi) &&
          impactOf(lo, u) <= impactOf(hi, u) &&
          impactOf(u, lo) <= impactOf(u, hi) &&
          scoreOf(lo, u, a) <= scoreOf(hi, u, a) &&
          scoreOf(u, lo, a) <= scoreOf(u, hi, a) &&
          scoreOf(u, v, alo) <= scoreOf(u, v, ahi)
        );
      }),
    );
  });

  it('amplification is in [1, 1.5], rises with every amplifying factor and falls with oversight', () => {
    const factors = fc.record(Object.fromEntries(AGENTIC_FACTORS.map((n) => [n, x])) as Record<AgenticFactorName, typeof x>);
    fc.assert(
      fc.property(factors, fc.constantFrom(...AGENTIC_FACTORS), x, (f, name, bump) => {
        const a = amplificationOf(f);
        const raised = { ...f, [name]: Math.max(f[name], bump) };
        const b = amplificationOf(raised);
        const inRange = a >= 1 && a <= 1.5;
        return inRange && (name === 'humanOversight' ? b <= a + 1e-12 : b >= a - 1e-12);
      }),
    );
    const none = Object.fromEntries(AGENTIC_FACTORS.map((n) => [n, 0])) as Record<AgenticFactorName, number>;
    const all = Object.fromEntries(AGENTIC_FACTORS.map((n) => [n, 10])) as Record<AgenticFactorName, number>;
    expect(amplificationOf(none)).toBe(1);
    expect(amplificationOf({ ...all, humanOversight: 0 })).toBe(1.5);
    expect(amplificationOf(all)).toBeCloseTo(1.2, 12);
  });

  it('never returns NaN or an out-of-range value, even for non-finite input', () => {
    const any = fc.oneof(fc.double(), fc.constant(Number.NaN), fc.constant(Number.POSITIVE_INFINITY), fc.constant(-1e308));
    fc.assert(
      fc.property(any, any, any, (a, b, c) => {
        const vals = [likelihoodOf(a, b, c), impactOf(a, b), technicalImpactOf(a, b, c, a), scoreOf(a, b, c), baseScoreOf(a, b)];
        const f = Object.fromEntries(AGENTIC_FACTORS.map((n, k) => [n, [a, b, c][k % 3]])) as Record<AgenticFactorName, number>;
        const amp = amplificationOf(f);
        return vals.every((v) => Number.isFinite(v) && v >= 0 && v <= 10) && amp >= 1 && amp <= 1.5;
      }),
    );
  });

  it('effective reduction: implemented r, partial halfway to 1, planned 1', () => {
    expect(effectiveReduction(0.3, 'implemented')).toBe(0.3);
    expect(effectiveReduction(0.3, 'partial')).toBeCloseTo(0.65, 12);
    expect(effectiveReduction(0.3, 'planned')).toBe(1);
    fc.assert(fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (r) => effectiveReduction(r, 'implemented') <= effectiveReduction(r, 'partial') && effectiveReduction(r, 'partial') <= 1));
  });
});
