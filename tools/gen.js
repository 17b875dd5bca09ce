// @ts-check
/**
 * Regenerate every generated file from its source of truth, or check that they are current.
 *   node tools/gen.js          write the files
 *   node tools/gen.js --check  exit 1 and list stale files, writing nothing
 * Run through `npm run gen` (which builds first). Generated files: schema/maestro-model.schema.json, docs/model-format.md.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderJsonSchema, renderFormatDoc } from '../dist/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');

/** @type {{ path: string, content: string }[]} */
const outputs = [
  { path: 'schema/maestro-model.schema.json', content: renderJsonSchema() },
  { path: 'docs/model-format.md', content: renderFormatDoc() },
];

let stale = 0;
for (const out of outputs) {
  const file = resolve(root, out.path);
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    /* missing counts as stale */
  }
  if (current === out.content) continue;
  if (check) {
    console.error(`stale: ${out.path} (run npm run gen and commit the result)`);
    stale++;
  } else {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, out.content);
    console.log(`wrote ${out.path}`);
  }
}
if (check && stale === 0) console.log('generated files are current');
process.exitCode = stale > 0 ? 1 : 0;
