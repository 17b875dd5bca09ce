/**
 * Golden files (issue 5, acceptance 5): every bundled example rendered by every reporter in
 * REPORTERS, compared byte for byte with test/golden/<example><extension>. The model path is given
 * as examples/<file> and the tool version is fixed, so the bytes do not depend on the checkout or
 * the release. To accept a deliberate change: npx vitest run test/golden -u (see README.md).
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPORTERS } from '../../src/reporters/index.js';
import { EXAMPLES, analysed } from '../reporters/_support.js';

const HERE = fileURLToPath(new URL('./', import.meta.url));
/** Files in this folder that are not golden outputs. */
const OWN_FILES = new Set(['README.md', 'golden.test.ts', '.gitattributes']);

const stem = (example: string): string => example.replace(/\.ya?ml$/, '');

describe.each(EXAMPLES)('examples/%s', (example) => {
  it.each(REPORTERS.map((r) => [r.id, r] as const))('%s matches its golden file', async (_id, reporter) => {
    const { analysis, ctx } = analysed(`examples/${example}`);
    const text = await reporter.render(analysis, ctx);
    await expect(text).toMatchFileSnapshot(`./${stem(example)}${reporter.extension}`);
  });
});

describe('golden folder', () => {
  it('holds no orphan files (a removed example or format leaves none behind)', () => {
    const expected = new Set(EXAMPLES.flatMap((e) => REPORTERS.map((r) => `${stem(e)}${r.extension}`)));
    const orphans = readdirSync(HERE).filter((f) => !OWN_FILES.has(f) && !expected.has(f));
    expect(orphans, 'delete these files, or run npx vitest run test/golden -u after restoring their example or format').toEqual([]);
  });

  it('the orphan check can fail: a stray name is not expected', () => {
    const expected = new Set(EXAMPLES.flatMap((e) => REPORTERS.map((r) => `${stem(e)}${r.extension}`)));
    expect(expected.has('no-such-example.sarif')).toBe(false);
    expect(expected.has(`${stem(EXAMPLES[0] ?? '')}.sarif`)).toBe(REPORTERS.some((r) => r.id === 'sarif'));
  });
});
