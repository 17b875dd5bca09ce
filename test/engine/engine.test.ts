/** Engine semantics with rules defined here, independent of the shipped rule set. */
import { describe, expect, it } from 'vitest';
import { loadModelText } from '../../src/model/load.js';
import { resolveModel } from '../../src/model/resolve.js';
import { runRules } from '../../src/engine/run.js';
import { analyse } from '../../src/engine/analyse.js';
import { defineRule } from '../../src/engine/types.js';
import { elements, has, lacks } from '../../src/rules/_helpers/index.js';
import type { Catalogue } from '../../src/catalogue/load.js';
import type { ThreatEntry } from '../../src/catalogue/schema.js';

const flagAgents = defineRule({
  meta: {
    id: 'test-flag-agents',
    title: 'flags every agent',
    threats: ['T2'],
    appliesTo: ['agent'],
    severity: 'medium',
    message: 'agent {agent}',
    placeholders: ['agent'],
    defences: ['human-approval'],
    detectionLogic: 'flags every agent, for engine tests',
    falsePositives: 'all of them',
  },
  check(ctx) {
    for (const a of elements(ctx.model, 'agent')) {
      ctx.report({ at: a.i, evidence: [lacks(ctx.model, a.i, ['approvals'])], data: { agent: a.id } });
      // A second report on the same element merges into one finding.
      ctx.report({ at: a.i, evidence: [has(ctx.model, a.i, ['id'], a.id)], data: { agent: a.id }, severity: 'high' });
    }
  },
});

const needsObservability = defineRule({
  meta: {
    id: 'test-needs-observability',
    title: 'needs observability',
    threats: ['T8'],
    appliesTo: ['observability'],
    severity: 'low',
    message: 'x',
    placeholders: [],
    defences: ['immutable-audit-log'],
    detectionLogic: 'only meaningful when observability is declared',
    falsePositives: 'none',
    requires: ['observability'],
  },
  check() {
    /* nothing */
  },
});

function threat(id: string, extra: Partial<ThreatEntry> = {}): ThreatEntry {
  return { id, name: `threat ${id}`, family: 'owasp-agentic', layers: ['L3'], summary: 'a summary line', description: 'd'.repeat(40), stride: ['Tampering'], sources: [{ fact: 'id', source: 'test source' }], ...extra };
}
const catalogue: Catalogue = {
  threats: new Map([
    ['T2', threat('T2')],
    ['T8', threat('T8', { layers: ['L5'] })],
    ['T7', threat('T7', { detection: 'manual', manualReason: 'behaviour cannot be declared in a model' })],
  ]),
  patterns: new Map(),
};

const model = (extra = '') =>
  resolveModel(
    loadModelText(`version: "1.0"\nsystem: {name: t}\nagents:\n  - id: b_agent\n  - id: a_agent\n    controls: [ctl]\ncontrols:\n  - {id: ctl, pattern: human-approval${extra}}\n`).model!,
  );

describe('rule engine', () => {
  it('gives stable ids, merges reports on one element, and sorts findings', () => {
    const r = runRules(model(), [flagAgents]);
    expect(r.findings.map((f) => f.id)).toEqual(['test-flag-agents@a_agent', 'test-flag-agents@b_agent']);
    expect(r.findings[0]!.evidence).toHaveLength(2);
    expect(r.findings[0]!.severity).toBe('high');
    expect(r.findings[0]!.message).toBe('agent a_agent');
  });

  it('reports a finding as mitigated (not dropped) when a matching control is declared', () => {
    const r = runRules(model(), [flagAgents]);
    const a = r.findings.find((f) => f.element === 'a_agent')!;
    const b = r.findings.find((f) => f.element === 'b_agent')!;
    expect([a.status, a.mitigatedBy]).toEqual(['mitigated', ['ctl']]);
    expect(b.status).toBe('open');
  });

  it('a planned control is listed but does not mitigate', () => {
    const r = runRules(model(', status: planned'), [flagAgents]);
    const a = r.findings.find((f) => f.element === 'a_agent')!;
    expect(a.status).toBe('open');
    expect(a.partialControls).toEqual(['ctl']);
  });

  it('a control attached to nothing applies to the whole system', () => {
    const m = resolveModel(loadModelText('version: "1.0"\nsystem: {name: t}\nagents:\n  - id: x\ncontrols:\n  - {id: global, pattern: human-approval}\n').model!);
    expect(runRules(m, [flagAgents]).findings[0]!.status).toBe('mitigated');
  });

  it('says what it could not assess instead of passing silently, and lists manual threats and silent layers', () => {
    const { analysis } = analyse(model(), catalogue, [flagAgents, needsObservability]);
    expect(analysis.unassessed.map((t) => t.id)).toEqual(['T8']);
    expect(analysis.unassessed[0]!.reason).toContain('observability');
    expect(analysis.manual.map((t) => t.id)).toEqual(['T7']);
    expect(analysis.layers.find((l) => l.layer === 'L5')!.silent).toBe(true);
    expect(analysis.layers.find((l) => l.layer === 'L3')!.open).toBe(1);
    expect(JSON.stringify(analyse(model(), catalogue, [needsObservability, flagAgents]).analysis)).toBe(JSON.stringify(analysis));
  });
});
