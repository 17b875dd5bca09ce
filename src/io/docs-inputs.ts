/** Gather what the generated docs need from disk: rule fixtures (their YAML text and test block). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { FixtureDoc } from '../catalogue/docs.js';

export function rulesSourceDir(): string {
  return fileURLToPath(new URL('../../src/rules/', import.meta.url));
}

export function readRuleFixtures(ruleIds: readonly string[], dir: string = rulesSourceDir()): Map<string, FixtureDoc[]> {
  const map = new Map<string, FixtureDoc[]>();
  for (const id of ruleIds) {
    const fdir = join(dir, id, 'fixtures');
    if (!existsSync(fdir)) continue;
    const list: FixtureDoc[] = [];
    for (const file of readdirSync(fdir).sort()) {
      if (!/\.ya?ml$/.test(file)) continue;
      const text = readFileSync(join(fdir, file), 'utf8');
      const doc = parse(text) as { test?: { about?: string; expect?: { element: string; status?: string }[] } } | null;
      list.push({ file, about: doc?.test?.about ?? '', expect: doc?.test?.expect ?? [], text });
    }
    map.set(id, list);
  }
  return map;
}
