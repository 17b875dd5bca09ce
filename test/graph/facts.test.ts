/** The per-element facts of the propagation graph against their definitions. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { containmentMayHave } from '../../src/graph/facts.js';

/** The definition: i, or anything its containment pointers lead to (transitively), has a control of its own. */
function bruteForce(n: number, own: Uint8Array, ptrs: Int32Array[]): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const seen = new Set<number>();
    const todo = [i];
    while (todo.length > 0) {
      const x = todo.pop() ?? -1;
      if (x < 0 || seen.has(x)) continue;
      seen.add(x);
      if (own[x] === 1) out[i] = 1;
      for (const p of ptrs) todo.push(p[x] ?? -1);
    }
  }
  return out;
}

/** True when following the pointers from some element comes back to an element on the way (a cycle). */
function hasCycle(n: number, ptrs: Int32Array[]): boolean {
  const colour = new Uint8Array(n);
  const visit = (x: number): boolean => {
    colour[x] = 1;
    for (const p of ptrs) {
      const y = p[x] ?? -1;
      if (y < 0) continue;
      if (colour[y] === 1 || (colour[y] === 0 && visit(y))) return true;
    }
    colour[x] = 2;
    return false;
  };
  for (let i = 0; i < n; i++) if (colour[i] === 0 && visit(i)) return true;
  return false;
}

describe('containmentMayHave', () => {
  const input = fc.integer({ min: 1, max: 30 }).chain((n) =>
    fc.record({
      n: fc.constant(n),
      own: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
      // Mostly pointers to lower indexes (a forest, as valid models have), sometimes anywhere (cycles).
      ptrs: fc.array(fc.array(fc.integer({ min: -n, max: n - 1 }), { minLength: n, maxLength: n }), { minLength: 3, maxLength: 3 }),
      acyclic: fc.boolean(),
    }),
  );
  it('matches the definition, or reports a containment cycle', () => {
    fc.assert(
      fc.property(input, ({ n, own, ptrs, acyclic }) => {
        const ownArr = Uint8Array.from(own, (b) => (b ? 1 : 0));
        const p = ptrs.map((row) => Int32Array.from(row, (v, i) => (v < 0 ? -1 : acyclic ? (i === 0 ? -1 : v % i) : v)));
        const out = new Uint8Array(n);
        const settled = containmentMayHave(n, ownArr, p[0] ?? new Int32Array(n), p[1] ?? new Int32Array(n), p[2] ?? new Int32Array(n), out);
        if (settled) expect([...out]).toEqual([...bruteForce(n, ownArr, p)]);
        else expect(hasCycle(n, p)).toBe(true);
        if (acyclic) expect(settled).toBe(true);
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});
