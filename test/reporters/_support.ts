/** Shared setup for reporter tests: analyse a model file and build the report context the CLI would. */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadModelFile } from '../../src/io/files.js';
import { loadCatalogue } from '../../src/io/catalogue.js';
import { locatePointer } from '../../src/model/load.js';
import { resolveModel } from '../../src/model/resolve.js';
import { analyse, type Analysis } from '../../src/engine/analyse.js';
import { RULES } from '../../src/rules/index.js';
import type { ReportContext } from '../../src/reporters/index.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const EXAMPLES = readdirSync(`${ROOT}examples`).filter((f) => /\.ya?ml$/.test(f)).sort();
export const HOSTILE = 'test/fixtures/hostile-text.yaml';
/** Fixed so golden files do not change with every release. */
export const TEST_VERSION = '0.0.0-test';

export const catalogue = loadCatalogue().catalogue;

export interface Rendered {
  readonly analysis: Analysis;
  readonly ctx: ReportContext;
}

const cache = new Map<string, Rendered>();

/** Analyse a model file given relative to the repository root; the path is also the report's modelPath. */
export function analysed(relPath: string): Rendered {
  const hit = cache.get(relPath);
  if (hit) return hit;
  const res = loadModelFile(`${ROOT}${relPath}`);
  const errors = res.diagnostics.filter((d) => d.severity === 'error');
  if (!res.model || errors.length > 0) throw new Error(`${relPath} does not load: ${errors.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  const source = res.source;
  const { analysis } = analyse(resolveModel(res.model), catalogue, RULES);
  const ctx: ReportContext = {
    catalogue,
    model: res.model,
    modelPath: relPath,
    locate: (pointer) => (source ? locatePointer(source, pointer) : undefined),
    toolVersion: TEST_VERSION,
  };
  const out = { analysis, ctx };
  cache.set(relPath, out);
  return out;
}

/** Minimal RFC 4180 parser (quoted fields, doubled quotes, CRLF or LF records) for checking CSV output. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      // CRLF: the \n ends the record
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
