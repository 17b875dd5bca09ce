/**
 * The single generic fixture runner. Every file src/rules/<rule>/fixtures/{flags,clean}-*.yaml holds
 * `test: { about, expect: [{ element, status? }] }` and a `model:`. The rule runs alone on the model
 * and must report EXACTLY the expected (element, status) set: an extra finding fails like a missing one.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { validateData } from '../../src/model/load.js';
import { resolveModel } from '../../src/model/resolve.js';
import type { ModelFile } from '../../src/model/schema.js';
import { runRules } from '../../src/engine/run.js';
import { RULES } from '../../src/rules/index.js';

const rulesDir = new URL('../../src/rules/', import.meta.url).pathname;

interface Fixture {
  test: { about: string; expect: { element: string; status?: 'open' | 'mitigated' }[]; todo?: unknown[] };
  model: unknown;
}

export function listFixtures(): { rule: string; file: string; path: string }[] {
  const out: { rule: string; file: string; path: string }[] = [];
  for (const rule of readdirSync(rulesDir).sort()) {
    const dir = join(rulesDir, rule, 'fixtures');
    if (rule.startsWith('_') || !existsSync(dir)) continue;
    for (const file of readdirSync(dir).sort()) if (/\.ya?ml$/.test(file)) out.push({ rule, file, path: join(dir, file) });
  }
  return out;
}

describe('rule fixtures', () => {
  const byId = new Map(RULES.map((r) => [r.meta.id, r]));
  for (const fx of listFixtures()) {
    it(`${fx.rule}: ${fx.file}`, () => {
      const rule = byId.get(fx.rule);
      expect(rule, `no rule registered for folder ${fx.rule}`).toBeDefined();
      const doc = parse(readFileSync(fx.path, 'utf8')) as Fixture;
      expect(doc.test?.about, `${fx.path}: test.about is missing`).toBeTruthy();
      expect(Array.isArray(doc.test.expect), `${fx.path}: test.expect must be a list`).toBe(true);
      if (fx.file.startsWith('clean-')) expect(doc.test.expect, `${fx.path}: a clean- fixture expects no findings`).toEqual([]);
      if (fx.file.startsWith('flags-')) expect(doc.test.expect.length, `${fx.path}: a flags- fixture expects findings`).toBeGreaterThan(0);
      const diagnostics = validateData(doc.model);
      expect(diagnostics.map((d) => `${d.code} ${d.pointer ?? ''} ${d.message}`), `${fx.path}: the fixture model must be valid`).toEqual([]);
      const resolved = resolveModel(doc.model as ModelFile);
      const result = runRules(resolved, [rule!]);
      const got = result.findings.map((f) => `${f.element}:${f.status}`).sort();
      const want = doc.test.expect.map((e) => `${e.element}:${e.status ?? 'open'}`).sort();
      expect(got, `${fx.path}: ${doc.test.about}`).toEqual(want);
      for (const f of result.findings) {
        expect(f.evidence.length, `${f.id} has no evidence`).toBeGreaterThan(0);
        expect(f.message).not.toMatch(/\{[a-zA-Z]+\}/);
      }
    });
  }
});
