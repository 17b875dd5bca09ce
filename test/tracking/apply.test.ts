/** Applying tracking to an analysis: most specific entry, expiry against a given day, stale entries. */
import { describe, expect, it } from 'vitest';
import { applyTracking, triageStatus } from '../../src/tracking/apply.js';
import { loadTrackingText } from '../../src/tracking/load.js';
import type { TrackingFile } from '../../src/tracking/schema.js';
import { fakeAnalysis } from './_fake.js';

function tracking(yaml: string): TrackingFile {
  const r = loadTrackingText(yaml, 'm.tracking.yaml');
  if (!r.tracking) throw new Error(JSON.stringify(r.diagnostics));
  return r.tracking;
}

const analysis = fakeAnalysis([
  { id: 'lethal-trifecta-in-agent@pay', residual: 9.1 },
  { id: 'lethal-trifecta-in-agent@intake', residual: 8.2 },
  { id: 'tool-calls-not-recorded@pay', residual: 6.5 },
  { id: 'dependency-unpinned@lib', residual: 4.0, status: 'mitigated' },
]);

const FILE = `findings:
  lethal-trifecta-in-agent@*:
    status: accepted
    justification: both agents run in a sandbox without production data
    expires: 2026-06-30
  lethal-trifecta-in-agent@pay:
    status: in-progress
    ticket: SEC-9
  "*@pay":
    status: false-positive
    justification: logged at the gateway
  nothing-like-this@anywhere:
    status: open
  lethal-trifecta-in-agent@intake*:
    status: open
`;

describe('applyTracking', () => {
  it('gives each finding its most specific entry and counts effective statuses', () => {
    const r = applyTracking(analysis, tracking(FILE), { today: '2026-01-15' });
    const by = Object.fromEntries(r.analysis.findings.map((f) => [f.id, f.tracking?.key ?? null]));
    expect(by).toEqual({
      'lethal-trifecta-in-agent@pay': 'lethal-trifecta-in-agent@pay', // exact beats both patterns
      'lethal-trifecta-in-agent@intake': 'lethal-trifecta-in-agent@intake*', // 31 literal characters beat 25
      'tool-calls-not-recorded@pay': '*@pay',
      'dependency-unpinned@lib': null,
    });
    expect(r.analysis.tracking?.counts).toEqual({ open: 1, 'in-progress': 1, mitigated: 1, accepted: 0, 'false-positive': 1 });
    expect(r.analysis.tracking?.source).toBe('m.tracking.yaml');
    // The input analysis is not modified.
    expect(analysis.findings.every((f) => f.tracking === undefined)).toBe(true);
  });

  it('reports entries that apply to nothing as stale, with their line and why', () => {
    const r = applyTracking(analysis, tracking(FILE), { today: '2026-01-15' });
    expect(r.stale.map((s) => [s.key, s.line, s.reason])).toEqual([
      ['lethal-trifecta-in-agent@*', 2, 'shadowed'],
      ['nothing-like-this@anywhere', 12, 'no-match'],
    ]);
    expect(r.stale[0]?.shadowedBy).toEqual(['lethal-trifecta-in-agent@intake*', 'lethal-trifecta-in-agent@pay']);
    expect(r.analysis.tracking?.stale).toEqual([
      { key: 'lethal-trifecta-in-agent@*', line: 2 },
      { key: 'nothing-like-this@anywhere', line: 12 },
    ]);
  });

  it('suggests the nearest finding id for a mistyped exact key', () => {
    const r = applyTracking(analysis, tracking('findings:\n  tool-calls-not-recorded@pya:\n    status: open\n'), { today: '2026-01-15' });
    expect(r.stale[0]?.suggestions).toContain('tool-calls-not-recorded@pay');
  });

  it('an acceptance counts until its expiry day and as open the day after', () => {
    const t = tracking('findings:\n  lethal-trifecta-in-agent@*:\n    status: accepted\n    justification: j\n    expires: 2026-06-30\n');
    const on = applyTracking(analysis, t, { today: '2026-06-30' });
    expect(on.analysis.findings[0]?.tracking).toMatchObject({ status: 'accepted', effective: 'accepted', expired: false });
    expect(on.expired).toEqual([]);
    const after = applyTracking(analysis, t, { today: '2026-07-01' });
    expect(after.analysis.findings[0]?.tracking).toMatchObject({ status: 'accepted', effective: 'open', expired: true, expires: '2026-06-30' });
    expect(after.expired).toEqual([{ key: 'lethal-trifecta-in-agent@*', line: 2, column: 3, status: 'accepted', expires: '2026-06-30', findings: 2 }]);
    expect(after.analysis.tracking?.counts.open).toBe(3);
    expect(triageStatus(after.analysis.findings[3]!)).toBe('mitigated'); // control-mitigated, untracked
  });

  it('flags a review date that has passed', () => {
    const t = tracking('findings:\n  "*@lib":\n    status: open\n    review: 2026-01-01\n');
    expect(applyTracking(analysis, t, { today: '2026-01-01' }).reviewDue).toEqual([]);
    expect(applyTracking(analysis, t, { today: '2026-01-02' }).reviewDue.map((r) => r.key)).toEqual(['*@lib']);
  });

  it('is deterministic and never reads the clock: the result depends only on its inputs', () => {
    const t = tracking('findings:\n  "*@pay":\n    status: accepted\n    justification: j\n    expires: 2026-06-30\n');
    const a = JSON.stringify(applyTracking(analysis, t, { today: '2030-01-01' }));
    const b = JSON.stringify(applyTracking(analysis, t, { today: '2030-01-01' }));
    expect(a).toBe(b);
    expect(a).not.toBe(JSON.stringify(applyTracking(analysis, t, { today: '2026-01-01' })));
    expect(() => applyTracking(analysis, t, { today: '2026-1-1' })).toThrow(/YYYY-MM-DD/);
  });
});
