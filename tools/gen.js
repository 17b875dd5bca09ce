// @ts-check
/**
 * Regenerate every generated file from its source of truth, or check that they are current.
 *   node tools/gen.js          write the files
 *   node tools/gen.js --check  exit 1 and list stale files, writing nothing
 * Run through `npm run gen` (which builds first). Generated files: schema/maestro-model.schema.json, docs/model-format.md,
 * schema/maestro-report.schema.json, docs/report-format.md, docs/threats|rules|patterns/*.md,
 * docs/coverage.md.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readdirSync, unlinkSync, existsSync } from 'node:fs';
import { renderJsonSchema, renderFormatDoc, renderReportSchema, renderReportDoc, renderCatalogueDocs, loadCatalogue, RULES, readRuleFixtures } from '../dist/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');

/** @type {{ path: string, content: string }[]} */
const outputs = [
  { path: 'schema/maestro-model.schema.json', content: renderJsonSchema() },
  { path: 'docs/model-format.md', content: renderFormatDoc() },
  { path: 'schema/maestro-report.schema.json', content: renderReportSchema() },
  { path: 'docs/report-format.md', content: renderReportDoc() },
];
const cat = loadCatalogue();
if (cat.diagnostics.length) {
  for (const d of cat.diagnostics) console.error(`${d.file}: ${d.message}`);
  process.exit(1);
}
const metas = RULES.map((r) => r.meta);
const docs = renderCatalogueDocs(cat.catalogue, metas, readRuleFixtures(metas.map((m) => m.id)));
for (const [path, content] of docs) outputs.push({ path, content });

let stale = 0;
// Orphans: generated folders hold only what the generator writes.
for (const dir of ['docs/threats', 'docs/rules', 'docs/patterns']) {
  const abs = resolve(root, dir);
  if (!existsSync(abs)) continue;
  for (const name of readdirSync(abs)) {
    const rel = `${dir}/${name}`;
    if (docs.has(rel)) continue;
    if (check) {
      console.error(`orphaned: ${rel} (run npm run gen)`);
      stale++;
    } else {
      unlinkSync(resolve(root, rel));
      console.log(`removed ${rel}`);
    }
  }
}
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
