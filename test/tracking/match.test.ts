/** Wildcard matching and specificity of tracking keys. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareSpecificity, createMatcher, wildcardMatch } from '../../src/tracking/match.js';
import type { TrackingEntry } from '../../src/tracking/schema.js';

const entry = (key: string, order: number): TrackingEntry => ({ key, status: 'accepted', justification: 'j', extra: {}, order });

/** Reference implementation for the property test: a regex built from an escaped pattern. */
function reference(pattern: string, text: string): boolean {
  const src = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[\\s\\S]*');
  return new RegExp(`^${src}$`).test(text);
}

describe('wildcardMatch', () => {
  it('matches exact ids, * for any run (none included), and nothing else', () => {
    expect(wildcardMatch('lethal-trifecta-in-agent@a', 'lethal-trifecta-in-agent@a')).toBe(true);
    expect(wildcardMatch('lethal-trifecta-in-agent@a', 'lethal-trifecta-in-agent@ab')).toBe(false);
    expect(wildcardMatch('lethal-trifecta-in-agent@*', 'lethal-trifecta-in-agent@payment_agent')).toBe(true);
    expect(wildcardMatch('lethal-trifecta-in-agent@*', 'lethal-trifecta-across-agents@x')).toBe(false);
    expect(wildcardMatch('*@payment_agent', 'tool-calls-not-recorded@payment_agent')).toBe(true);
    expect(wildcardMatch('*@payment_agent', 'tool-calls-not-recorded@payment_agent2')).toBe(false);
    expect(wildcardMatch('a*b*c', 'abc')).toBe(true);
    expect(wildcardMatch('a*b*c', 'axxbyyc')).toBe(true);
    expect(wildcardMatch('a*b*c', 'axxbyy')).toBe(false);
    expect(wildcardMatch('*', '')).toBe(true);
    expect(wildcardMatch('', 'x')).toBe(false);
    expect(wildcardMatch('A@x', 'a@x')).toBe(false); // case-sensitive, like ids
  });

  it('agrees with a regex reference on random patterns and ids', () => {
    const alphabet = fc.constantFrom('a', 'b', '@', '-', '*');
    const text = fc.string({ unit: fc.constantFrom('a', 'b', '@', '-'), maxLength: 12 });
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 8 }), text, (p, t) => {
        expect(wildcardMatch(p, t)).toBe(reference(p, t));
      }),
      { numRuns: 2000 },
    );
  });

  it('stays fast on a pattern built to make naive backtracking explode', () => {
    const pattern = `${'*a'.repeat(40)}*b`;
    const text = 'a'.repeat(5000);
    const t0 = performance.now();
    expect(wildcardMatch(pattern, text)).toBe(false);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('specificity', () => {
  it('an exact id beats every pattern, whatever the file order', () => {
    const m = createMatcher([entry('rule-x@*', 0), entry('*', 1), entry('rule-x@agent_a', 2)]);
    expect(m.best('rule-x@agent_a')?.key).toBe('rule-x@agent_a');
    expect(m.best('rule-x@agent_b')?.key).toBe('rule-x@*');
    expect(m.best('other@agent_b')?.key).toBe('*');
    expect(m.all('rule-x@agent_a').map((e) => e.key)).toEqual(['rule-x@agent_a', 'rule-x@*', '*']);
  });

  it('among patterns, more literal characters win, then fewer wildcards, then the earlier entry', () => {
    // 'rule-x@*' has 7 literal characters, '*@agent_a' has 8: the element pattern is more specific.
    const m = createMatcher([entry('rule-x@*', 0), entry('*@agent_a', 1)]);
    expect(m.best('rule-x@agent_a')?.key).toBe('*@agent_a');
    // Same literal count (6): one wildcard run beats two.
    expect(compareSpecificity(entry('ab*cdef', 5), entry('a*b*cdef', 0))).toBeLessThan(0);
    // Same literal count and wildcard runs: the one written first wins.
    const tie = createMatcher([entry('*x@a', 3), entry('r*@a', 1)]);
    expect(tie.best('rx@a')?.key).toBe('r*@a');
    const tie2 = createMatcher([entry('*x@a', 0), entry('r*@a', 1)]);
    expect(tie2.best('rx@a')?.key).toBe('*x@a');
  });

  it('finds no entry for an id nothing matches', () => {
    expect(createMatcher([entry('a@*', 0)]).best('b@x')).toBeUndefined();
  });
});
