/** The CI gate's decision: threshold, controls, tracking, expiry and baseline. */
import { describe, expect, it } from 'vitest';
import { evaluateGate, bandRank, FAIL_ON } from '../../src/gate/index.js';
import { applyTracking } from '../../src/tracking/apply.js';
import { loadTrackingText } from '../../src/tracking/load.js';
import { fakeAnalysis, type FakeFinding } from './_fake.js';

function tracked(findings: FakeFinding[], yaml: string, today = '2026-01-15') {
  const t = loadTrackingText(yaml, 't.yaml').tracking;
  if (!t) throw new Error('bad tracking');
  return applyTracking(fakeAnalysis(findings), t, { today }).analysis;
}

const FINDINGS: FakeFinding[] = [
  { id: 'r-crit@a', residual: 8.5 },
  { id: 'r-high@a', residual: 6.5 },
  { id: 'r-med@a', residual: 4.0 },
  { id: 'r-low@a', residual: 1.0 },
  { id: 'r-ctl@a', residual: 9.0, status: 'mitigated' },
];

describe('evaluateGate', () => {
  it('fails on open findings at or above the threshold, highest first; a control-mitigated one never blocks', () => {
    const a = fakeAnalysis(FINDINGS);
    expect(evaluateGate(a, { failOn: 'critical' }).failing.map((f) => f.id)).toEqual(['r-crit@a']);
    expect(evaluateGate(a, { failOn: 'high' }).failing.map((f) => f.id)).toEqual(['r-crit@a', 'r-high@a']);
    expect(evaluateGate(a, { failOn: 'medium' }).failing.map((f) => f.id)).toEqual(['r-crit@a', 'r-high@a', 'r-med@a']);
    const info = evaluateGate(a, { failOn: 'info' });
    expect(info.failing.map((f) => f.id)).toEqual(['r-crit@a', 'r-high@a', 'r-med@a', 'r-low@a']);
    expect(info.excused.controlMitigated).toBe(1);
    expect(evaluateGate(a, { failOn: 'high' })).toMatchObject({ passed: false, belowThreshold: 2 });
    expect(evaluateGate(fakeAnalysis([{ id: 'x@y', residual: 5.9 }]), { failOn: 'high' }).passed).toBe(true);
  });

  it('accepted, false-positive and mitigated entries excuse a finding; open and in-progress do not', () => {
    const a = tracked(
      FINDINGS,
      `findings:
  r-crit@a: { status: accepted, justification: j }
  r-high@a: { status: in-progress }
  r-med@a: { status: false-positive, justification: j }
`,
    );
    const g = evaluateGate(a, { failOn: 'medium' });
    expect(g.failing.map((f) => [f.id, f.tracking?.effective])).toEqual([['r-high@a', 'in-progress']]);
    expect(g.excused).toMatchObject({ accepted: 1, falsePositive: 1 });
  });

  it('an expired acceptance blocks again', () => {
    const yaml = 'findings:\n  r-crit@a: { status: accepted, justification: j, expires: 2026-03-31 }\n';
    expect(evaluateGate(tracked(FINDINGS, yaml, '2026-03-31'), { failOn: 'critical' }).passed).toBe(true);
    const late = evaluateGate(tracked(FINDINGS, yaml, '2026-04-01'), { failOn: 'critical' });
    expect(late.failing.map((f) => [f.id, f.tracking?.expired])).toEqual([['r-crit@a', true]]);
  });

  it('with a baseline, only what blocks now and did not block then fails, with the reason', () => {
    const baseline = fakeAnalysis([
      { id: 'old@a', residual: 9.0 },
      { id: 'rose@a', residual: 5.0 },
      { id: 'lost-control@a', residual: 7.0, status: 'mitigated' },
    ]);
    const now = fakeAnalysis([
      { id: 'old@a', residual: 9.5 },
      { id: 'rose@a', residual: 6.1 },
      { id: 'lost-control@a', residual: 7.0 },
      { id: 'brand-new@a', residual: 6.0 },
      { id: 'new-low@a', residual: 2.0 },
    ]);
    const g = evaluateGate(now, { failOn: 'high', baseline });
    expect(g.failing.map((f) => [f.id, f.reason, f.baselineResidual ?? null])).toEqual([
      ['lost-control@a', 'control-removed', 7.0],
      ['rose@a', 'risk-rose', 5.0],
      ['brand-new@a', 'new', null],
    ]);
    expect(g.excused.inBaseline).toBe(1);
    expect(evaluateGate(baseline, { failOn: 'high', baseline }).passed).toBe(true);
  });

  it('orders thresholds critical > high > medium > low > info', () => {
    expect(FAIL_ON.map(bandRank)).toEqual([4, 3, 2, 1, 0]);
  });
});
