/** Shared entry for the Python-reading importers: parse files into facts, with diagnostics. */
import { diag, type Diagnostic } from '../../model/diagnostics.js';
import { parseTreeText } from '../_source.js';
import { extractFacts, type PyFacts } from './extract.js';
import { loadPython, parsePython } from './parser.js';

/** Most Python files read in one import (a project rarely has more worth reading). */
export const MAX_PY_FILES = 500;

export function isPythonPath(path: string): boolean {
  return /\.py$/i.test(path);
}

/** Parse Python inputs. Files that fail to parse are refused (reported), the rest give facts. */
export function parseAll(inputs: readonly { path: string; text: string }[], diagnostics: Diagnostic[]): { facts: PyFacts[]; refused: string[] } {
  const facts: PyFacts[] = [];
  const refused: string[] = [];
  inputs.forEach((input, i) => {
    if (i >= MAX_PY_FILES) {
      if (i === MAX_PY_FILES) diagnostics.push({ ...diag('W_IMPORT_LIMIT', `more than ${MAX_PY_FILES} Python files: the rest are not read`, { hint: 'name the folder that holds the agents', severity: 'warning' }), file: input.path });
      refused.push(input.path);
      return;
    }
    const parsed = parsePython(input.text, input.path);
    diagnostics.push(...parsed.diagnostics);
    if (!parsed.root) {
      refused.push(input.path);
      return;
    }
    const first = parsed.errors[0];
    if (first) {
      diagnostics.push({
        ...diag('W_IMPORT_PYTHON_SYNTAX', `the Python code has ${parsed.errors.length >= 20 ? '20 or more' : parsed.errors.length} syntax error${parsed.errors.length === 1 ? '' : 's'}; the parser recovered, but code near here may be missed`, { hint: 'check that the file is valid Python (python -m py_compile)', line: first.line, column: first.column, severity: 'warning' }),
        file: input.path,
      });
    }
    const f = extractFacts(parsed.root, input.path);
    if (f.truncated > 0) diagnostics.push({ ...diag('W_IMPORT_PYTHON_LARGE', `${f.truncated} expression${f.truncated === 1 ? ' is' : 's are'} too large to read in full`, { hint: 'very large literal expressions are cut short', line: 1, column: 1, severity: 'warning' }), file: input.path });
    facts.push(f);
  });
  return { facts, refused };
}

/**
 * Refuse a file this importer does not read. JSON and YAML files are still run through the shared
 * parser first, so limit and safety findings (nesting depth, aliases, tags) are reported the same way
 * by every importer.
 */
export function refuseFile(path: string, text: string, code: string, message: string, hint: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const format = /\.jsonc?$/i.test(path) ? 'json' : /\.ya?ml$/i.test(path) ? 'yaml' : undefined;
  if (format !== undefined) out.push(...parseTreeText(text, path, format).diagnostics);
  out.push({ ...diag(code, message, { hint, line: 1, column: 1 }), file: path });
  return out;
}

/** For `Importer.prepare`. */
export function preparePython(): Promise<void> {
  return loadPython();
}
