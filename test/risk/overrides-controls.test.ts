/** Factor overrides from the model, and residual risk from declared controls. */
import { describe, expect, it } from 'vitest';
import { amplificationOf, scoreOf, type AgenticFactorName } from '../../src/risk/index.js';
import { HEADER, analyse, catalogue, factor, load, risk } from './_support.js';

const PAY = 'tools:\n  - {id: pay, sideEffects: [payment]}\n';

function agenticValues(r: ReturnType<typeof risk>): Record<AgenticFactorName, number> {
  const v = {} as Record<AgenticFactorName, number>;
  for (const f of r.factors) if (f.name !== 'likelihood' && f.name !== 'impact') v[f.name] = f.value;
  return v;
}

describe('factor overrides', () => {
  const plain = `${HEADER}agents:\n  - {id: a, autonomy: full, tools: [pay]}\n${PAY}`;
  const overridden = `${HEADER}agents:\n  - id: a\n    autonomy: full\n    tools: [pay]\n    risk:\n      overrides:\n        autonomy: {value: 2, reason: "a human approves every plan before it runs"}\n${PAY}`;

  it('replaces the computed value, keeps the computed one and the basis, and shows the reason', () => {
    const r = risk(load(overridden), 'a');
    const f = r.factors.find((x) => x.name === 'autonomy')!;
    expect(f).toMatchObject({ value: 2, source: 'override', computed: 10, reason: 'a human approves every plan before it runs' });
    expect(f.basis).toContain('autonomy full');
    expect(r.why).toContain('autonomy set to 2.0 by the model (computed 10.0): a human approves every plan before it runs');
    // Other factors stay computed.
    expect(r.factors.filter((x) => x.source === 'override').map((x) => x.name)).toEqual(['autonomy']);
  });

  it('changes the score as documented: the override enters the amplification like a computed value', () => {
    const before = risk(load(plain), 'a');
    const after = risk(load(overridden), 'a');
    expect(after.amplification).toBeLessThan(before.amplification);
    expect(after.inherent).toBeLessThan(before.inherent);
    expect(after.amplification).toBeCloseTo(amplificationOf(agenticValues(after)), 2);
    expect(after.inherent).toBeCloseTo(scoreOf(after.likelihood, after.impact, after.amplification), 1);
    expect(after.likelihood).toBe(before.likelihood);
    expect(after.impact).toBe(before.impact);
  });

  it('can set likelihood and impact themselves; the residual starts from the overridden likelihood', () => {
    const m = load(
      `${HEADER}agents:\n  - id: a\n    tools: [pay]\n    risk:\n      overrides:\n        likelihood: {value: 9, reason: "exploited in the last red-team exercise"}\n        impact: {value: 1, reason: "sandbox account, no real money"}\n${PAY}controls:\n  - {id: gate, pattern: human-approval}\n`,
    );
    const r = risk(m, 'a', {}, 'low', { mitigatedBy: ['gate'], status: 'mitigated' });
    expect([r.likelihood, r.impact]).toEqual([9, 1]);
    expect(r.residualLikelihood).toBe(2.7); // 9 * 0.3
    expect(r.why[0]).toBe('likelihood set to 9.0 by the model (computed 2.1): exploited in the last red-team exercise');
    expect(r.why[1]).toBe('impact set to 1.0 by the model (computed 8.8): sandbox account, no real money');
    expect(r.why.some((w) => w.includes('likelihood raised'))).toBe(false);
  });

  it('applies to every finding on the element, found by the shipped rules', () => {
    const scored = analyse(load(overridden));
    const onA = scored.filter((s) => s.element === 'a');
    expect(onA.length).toBeGreaterThan(0);
    for (const s of onA) expect(factor(s.risk, 'autonomy')).toBe(2);
  });

  it('high oversight set by override lowers the score', () => {
    const m = load(`${HEADER}agents:\n  - id: a\n    autonomy: full\n    tools: [pay]\n    risk: {overrides: {humanOversight: {value: 10, reason: "four-eyes rule enforced by the bank"}}}\n${PAY}`);
    expect(risk(m, 'a').inherent).toBeLessThan(risk(load(plain), 'a').inherent);
  });
});

describe('residual risk from declared controls', () => {
  const model = (controls: string) => load(`${HEADER}agents:\n  - {id: a, autonomy: full, tools: [pay]}\n${PAY}controls:\n${controls}`);
  const reduction = (p: string) => catalogue.patterns.get(p)!.reduction!;

  it('an implemented control leaves its pattern reduction of the likelihood', () => {
    const m = model('  - {id: gate, pattern: human-approval, appliesTo: [a]}\n');
    const r = risk(m, 'a', {}, 'high', { mitigatedBy: ['gate'], status: 'mitigated', defences: ['human-approval'] });
    expect(r.residualLikelihood).toBeCloseTo(r.likelihood * reduction('human-approval'), 1);
    expect(r.residual).toBeLessThan(r.inherent);
    expect(r.controls).toEqual([{ id: 'gate', pattern: 'human-approval', status: 'implemented', reduction: 0.3, effective: 0.3, counted: true }]);
    expect(r.why).toContain('control gate (human-approval, implemented) leaves 30% of the likelihood');
  });

  it('a partial control gives half its reduction; a planned one gives none', () => {
    const m = model('  - {id: half, pattern: human-approval, status: partial, appliesTo: [a]}\n  - {id: later, pattern: transaction-limits, status: planned, appliesTo: [a]}\n');
    const r = risk(m, 'a', {}, 'high', { partialControls: ['half', 'later'] });
    expect(r.controls.map((c) => [c.id, c.status, c.effective, c.counted])).toEqual([
      ['half', 'partial', 0.65, true],
      ['later', 'planned', 1, false],
    ]);
    expect(r.residualLikelihood).toBeCloseTo(r.likelihood * 0.65, 1);
    expect(r.why).toContain('control later (transaction-limits) is planned: not counted');
  });

  it('two controls of one pattern count once (the better one); two patterns multiply', () => {
    const m = model('  - {id: g1, pattern: human-approval}\n  - {id: g2, pattern: human-approval, status: partial}\n  - {id: cap, pattern: transaction-limits}\n');
    const r = risk(m, 'a', {}, 'high', { mitigatedBy: ['cap', 'g1'], partialControls: ['g2'] });
    expect(r.controls.filter((c) => c.counted).map((c) => c.id)).toEqual(['cap', 'g1']);
    expect(r.residualLikelihood).toBeCloseTo(r.likelihood * reduction('human-approval') * reduction('transaction-limits'), 1);
  });

  it('a control whose pattern the catalogue does not know gives no credit', () => {
    const m = model('  - {id: homegrown, pattern: our-own-thing}\n');
    const r = risk(m, 'a', {}, 'high', { mitigatedBy: ['homegrown'] });
    expect(r.controls[0]!.reduction).toBe(1);
    expect(r.residual).toBe(r.inherent);
  });

  it('with the shipped rules, a matching control lowers the residual of the finding it mitigates', () => {
    const without = analyse(load(`${HEADER}agents:\n  - {id: a, autonomy: full, tools: [pay]}\n${PAY}`));
    const withCtl = analyse(model('  - {id: gate, pattern: human-approval, appliesTo: [a]}\n'));
    const mitigated = withCtl.filter((s) => s.mitigatedBy.includes('gate'));
    expect(mitigated.length).toBeGreaterThan(0);
    for (const s of mitigated) {
      const old = without.find((x) => x.id === s.id)!;
      expect(s.risk.residual).toBeLessThan(old.risk.residual);
      expect(s.risk.inherent).toBeLessThanOrEqual(old.risk.inherent);
    }
  });
});
