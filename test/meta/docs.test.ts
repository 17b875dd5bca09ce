/** Generated docs (threats, rules, patterns, coverage) are current and nothing is orphaned. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCatalogueFiles } from '../../src/io/catalogue.js';
import { parseCatalogue } from '../../src/catalogue/load.js';
import { renderCatalogueDocs } from '../../src/catalogue/docs.js';
import { readRuleFixtures } from '../../src/io/docs-inputs.js';
import { RULES } from '../../src/rules/index.js';

const root = new URL('../../', import.meta.url).pathname;

describe('generated catalogue docs', () => {
  const { catalogue } = parseCatalogue(readCatalogueFiles());
  const metas = RULES.map((r) => r.meta);
  const docs = renderCatalogueDocs(catalogue, metas, readRuleFixtures(metas.map((m) => m.id)));

  it('every generated page is current (run `npm run gen` and commit)', () => {
    const stale: string[] = [];
    for (const [path, content] of docs) {
      const abs = join(root, path);
      if (!existsSync(abs) || readFileSync(abs, 'utf8') !== content) stale.push(path);
    }
    expect(stale).toEqual([]);
  });

  it('no orphaned page is left in the generated folders', () => {
    const orphans: string[] = [];
    for (const dir of ['docs/threats', 'docs/rules', 'docs/patterns']) {
      if (!existsSync(join(root, dir))) continue;
      for (const name of readdirSync(join(root, dir))) if (!docs.has(`${dir}/${name}`)) orphans.push(`${dir}/${name}`);
    }
    expect(orphans).toEqual([]);
  });
});
