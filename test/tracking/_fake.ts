/** Minimal analyses for unit tests: only the fields tracking, the gate and the diff read. */
import type { Analysis, AnalysedFinding } from '../../src/engine/analyse.js';
import { bandOf } from '../../src/risk/model.js';

export interface FakeFinding {
  id: string;
  residual: number;
  status?: 'open' | 'mitigated';
}

export function fakeFinding(f: FakeFinding): AnalysedFinding {
  const at = f.id.indexOf('@');
  const rule = f.id.slice(0, at);
  const element = f.id.slice(at + 1);
  return {
    id: f.id,
    rule,
    element,
    elements: [element],
    threats: [],
    kind: 'agent',
    layer: 'L3',
    severity: 'high',
    message: '',
    evidence: [],
    defences: [],
    status: f.status ?? 'open',
    mitigatedBy: [],
    partialControls: [],
    risk: { residual: f.residual, residualBand: bandOf(f.residual), inherent: f.residual, band: bandOf(f.residual) },
  } as unknown as AnalysedFinding;
}

export function fakeAnalysis(findings: FakeFinding[]): Analysis {
  return {
    schemaVersion: 1,
    system: { name: 'fake' },
    findings: findings.map(fakeFinding),
  } as unknown as Analysis;
}
