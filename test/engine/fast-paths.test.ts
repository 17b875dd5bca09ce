/**
 * The allocation-saving fast paths of the engine and the risk layer give what the plain code gave:
 * evidence deduplication by the joined fact key, and scored findings equal to `{ ...finding, risk }`.
 */
import { describe, expect, it } from 'vitest';
import { loadModelText } from '../../src/model/load.js';
import { resolveModel } from '../../src/model/resolve.js';
import { runRules } from '../../src/engine/run.js';
import { defineRule, type Evidence, type Finding } from '../../src/engine/types.js';
import { elements } from '../../src/rules/_helpers/index.js';
import { scoreFindings } from '../../src/risk/index.js';
import type { Catalogue } from '../../src/catalogue/load.js';

const MODEL = `
version: "1.0"
system: { name: fast paths }
agents:
  - { id: a1, name: A1 }
`;

function model() {
  const v = loadModelText(MODEL, { format: 'yaml' });
  if (!v.model) throw new Error(JSON.stringify(v.diagnostics));
  return resolveModel(v.model);
}

/** A rule that reports the given facts, one report each, at every agent. */
function reporting(facts: readonly Evidence[]) {
  return defineRule({
    meta: {
      id: 'test-facts',
      title: 'reports facts',
      threats: ['T2'],
      appliesTo: ['agent'],
      severity: 'medium',
      message: 'agent {agent}',
      placeholders: ['agent'],
      defences: [],
      detectionLogic: 'reports the facts it is given',
      falsePositives: 'all',
    },
    check(ctx) {
      for (const a of elements(ctx.model, 'agent')) for (const e of facts) ctx.report({ at: a.i, evidence: [e], data: { agent: a.id } });
    },
  });
}

const key = (e: Evidence) => `${e.element}|${e.pointer}|${e.attribute}|${e.note ?? ''}`;

describe('evidence deduplication', () => {
  it('keeps the first fact of each joined key, short and long lists alike', () => {
    // Equal field lengths with different text, equal keys from different splits, exact repeats.
    const base: Evidence[] = [
      { element: 'a|b', pointer: '/x', attribute: 'p' },
      { element: 'a', pointer: 'b|/x', attribute: 'p' },
      { element: 'a|b', pointer: '/y', attribute: 'p' },
      { element: 'a|b', pointer: '/x', attribute: 'p', note: '' },
      { element: 'a|b', pointer: '/x', attribute: 'q' },
      { element: 'ab', pointer: '/x|', attribute: 'p' },
      { element: 'a|b', pointer: '/x', attribute: 'p', note: 'n' },
      { element: 'a|b', pointer: '/x', attribute: 'p|n' },
    ];
    for (const facts of [base, [...base, ...base.map((e, k) => ({ ...e, pointer: `${e.pointer}/${k % 3}` })), ...base]]) {
      const res = runRules(model(), [reporting(facts)]);
      const seen = new Set<string>();
      const expected = facts.filter((e) => (seen.has(key(e)) ? false : (seen.add(key(e)), true)));
      expect(res.findings).toHaveLength(1);
      expect(res.findings[0]?.evidence).toEqual(expected);
      expect(expected.length).toBeLessThan(facts.length);
    }
  });
});

describe('scored findings', () => {
  const catalogue: Catalogue = { threats: new Map(), patterns: new Map() };
  it('are the finding with its risk appended, whatever the finding looks like', () => {
    const m = model();
    const findings = runRules(m, [reporting([{ element: 'a1', pointer: '/agents/0', attribute: 'id' }])]).findings;
    const f = findings[0] as Finding;
    const reordered = Object.fromEntries(Object.entries(f).reverse()) as unknown as Finding;
    const extra: Finding = { ...f, ...{ extra: 1 } };
    const scored = scoreFindings(m, [f, reordered, extra], catalogue);
    const inputs: object[] = [f, reordered, extra];
    for (let k = 0; k < inputs.length; k++) {
      const s = scored[k];
      expect(JSON.stringify(s)).toBe(JSON.stringify({ ...inputs[k], risk: s?.risk }));
      expect(Object.keys(s ?? {})).toEqual([...Object.keys(inputs[k] ?? {}), 'risk']);
    }
    expect(Object.keys(scored[1] ?? {})[0]).toBe('partialControls');
  });
});
