/**
 * The importer registry and the one entry point the CLI and the library use: `runImport`.
 *
 * Adding an importer: a folder src/importers/<id>/index.ts exporting an `Importer` (see types.ts),
 * one line in IMPORTERS below. The shared conformance suite (test/importers/conformance.test.ts)
 * runs every importer in this table against garbage, hostile and huge inputs and checks that the
 * output always validates and is deterministic.
 */
import { diag, type Diagnostic } from '../model/diagnostics.js';
import { validateData } from '../model/load.js';
import { decodeModelBytes, DEFAULT_LIMITS } from '../model/parse.js';
import { KIND_TABLE } from '../model/kinds.js';
import type { ModelFile } from '../model/schema.js';
import { mcpConfigImporter } from './mcp-config/index.js';
import { crewaiImporter } from './crewai/index.js';
import { langgraphImporter } from './langgraph/index.js';
import { openaiAgentsImporter } from './openai-agents/index.js';
import { a2aImporter } from './a2a/index.js';
import { elizaosImporter } from './elizaos/index.js';
import { otmImporter } from './otm/index.js';
import { threatDragonImporter } from './threat-dragon/index.js';
import { autogenImporter } from './autogen/index.js';
import { n8nImporter } from './n8n/index.js';
import { flowiseImporter } from './flowise/index.js';
import type { ImportFileReport, ImportInput, ImportNote, ImportOptions, ImportResult, Importer } from './types.js';

export type { ImportFileReport, ImportInput, ImportNote, ImportOptions, ImportResult, Importer } from './types.js';

/** Every importer, in --help order. */
export const IMPORTERS: readonly Importer[] = [mcpConfigImporter, crewaiImporter, langgraphImporter, openaiAgentsImporter, a2aImporter, elizaosImporter, otmImporter, threatDragonImporter, autogenImporter, n8nImporter, flowiseImporter];

/** The importer for a `maestro-tm import <format>` value (id or alias, any case). */
export function importerById(id: string): Importer | undefined {
  const k = id.toLowerCase();
  return IMPORTERS.find((i) => i.id === k || i.aliases.includes(k));
}

/**
 * Run the asynchronous set-up of the importers a `format` will use (all of them for `auto`), for
 * example loading the Python parser. Await it once before `runImport`. Never rejects.
 */
export async function prepareImporters(format: string): Promise<void> {
  const auto = format.toLowerCase() === 'auto';
  const chosen = auto ? IMPORTERS : IMPORTERS.filter((i) => i === importerById(format));
  for (const i of chosen) if (i.prepare) await i.prepare().catch(() => undefined);
}

/** Lowest detect() score that `auto` accepts. */
export const DETECT_THRESHOLD = 0.5;

/** The importer most likely to read this file, or undefined when none is confident enough. */
export function detectImporter(input: ImportInput): Importer | undefined {
  const c = closestImporter(input);
  return c && c.score >= DETECT_THRESHOLD ? c.importer : undefined;
}

/** The importer whose detect() scores this file highest (any score above 0), with its score. */
export function closestImporter(input: ImportInput): { importer: Importer; score: number } | undefined {
  let best: Importer | undefined;
  let bestScore = 0;
  for (const imp of IMPORTERS) {
    let score: number;
    try {
      score = imp.detect(input);
    } catch {
      score = 0;
    }
    if (score > bestScore) {
      best = imp;
      bestScore = score;
    }
  }
  return best ? { importer: best, score: bestScore } : undefined;
}

/**
 * Why the importer a file most resembles refuses it: its error diagnostics, so `auto` can say more
 * than "no importer recognises this file" (a card that is not A2A, a config with no servers).
 */
function closestRefusal(input: ImportInput): { importer: Importer; errors: Diagnostic[] } | undefined {
  const c = closestImporter(input);
  if (!c) return undefined;
  try {
    const r = c.importer.import([input]);
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    return r.model === undefined && errors.length > 0 ? { importer: c.importer, errors } : undefined;
  } catch {
    return undefined;
  }
}

/** Bytes of a file → an import input (UTF-8 only; BOM stripped), or diagnostics saying why not. */
export function decodeImportBytes(path: string, bytes: Uint8Array, maxBytes = DEFAULT_LIMITS.maxBytes): { input?: ImportInput; diagnostics: Diagnostic[] } {
  const decoded = decodeModelBytes(bytes, { ...DEFAULT_LIMITS, maxBytes });
  if (decoded.text === undefined) return { diagnostics: decoded.diagnostics.map((d) => ({ ...d, file: path })) };
  return { input: { path, text: decoded.text }, diagnostics: [] };
}

/**
 * Import files with one importer (`format` is its id or alias) or with `auto` (each file goes to the
 * importer that recognises it). Never throws: an importer that fails is a diagnostic, and a model
 * that would not validate is withheld with a diagnostic (that would be a bug in the importer).
 */
export function runImport(format: string, inputs: readonly ImportInput[], options: ImportOptions = {}): ImportResult {
  const diagnostics: Diagnostic[] = [];
  const notes: ImportNote[] = [];
  const files: ImportFileReport[] = [];
  const groups: { importer: Importer; inputs: ImportInput[] }[] = [];
  if (format.toLowerCase() === 'auto') {
    for (const input of inputs) {
      const imp = detectImporter(input);
      if (!imp && input.inFolder === true) {
        diagnostics.push({
          ...diag('W_IMPORT_SKIPPED', 'no importer recognises this file: skipped', {
            hint: 'files found inside a folder are skipped when they match no format; name the file and its format to import it anyway',
            line: 1,
            column: 1,
          }),
          file: input.path,
        });
        continue;
      }
      const refusal = imp ? undefined : closestRefusal(input);
      if (refusal) {
        // It looks most like one format, whose importer says exactly why it cannot read it.
        diagnostics.push({
          ...diag('E_IMPORT_UNKNOWN_FORMAT', `no importer recognises this file; it looks most like ${refusal.importer.id}, which refuses it (below)`, {
            hint: `if it is another format, name it instead of auto (${IMPORTERS.map((i) => i.id).join(', ')})`,
            line: 1,
            column: 1,
          }),
          file: input.path,
        });
        diagnostics.push(...refusal.errors.map((d) => ({ ...d, file: d.file ?? input.path })));
        files.push({ file: input.path, status: 'refused', elements: 0 });
        continue;
      }
      if (!imp) {
        diagnostics.push({
          ...diag('E_IMPORT_UNKNOWN_FORMAT', 'no importer recognises this file', {
            hint: `name the format instead of auto (${IMPORTERS.map((i) => i.id).join(', ')}), or check that this is the file you meant`,
            line: 1,
            column: 1,
          }),
          file: input.path,
        });
        files.push({ file: input.path, status: 'refused', elements: 0 });
        continue;
      }
      const g = groups.find((x) => x.importer === imp);
      if (g) g.inputs.push(input);
      else groups.push({ importer: imp, inputs: [input] });
    }
  } else {
    const imp = importerById(format);
    if (!imp) {
      diagnostics.push(diag('E_IMPORT_FORMAT', `unknown import format ${JSON.stringify(format)}`, { hint: `use one of: auto, ${IMPORTERS.map((i) => i.id).join(', ')}` }));
      return { diagnostics, notes, files };
    }
    groups.push({ importer: imp, inputs: [...inputs] });
  }

  const models: ModelFile[] = [];
  const taken = new Map<string, string>(options.existingIds ?? []);
  for (const g of groups) {
    let r: ImportResult;
    try {
      r = g.importer.import(g.inputs, { existingIds: taken });
    } catch (err) {
      // An importer must never throw; if one does, the user gets a diagnostic, not a stack trace.
      const name = err instanceof Error ? err.name : 'Error';
      diagnostics.push(diag('E_IMPORT_INTERNAL', `the ${g.importer.id} importer failed (${name}); please report this with the file`, { hint: 'run with --debug for details' }));
      for (const i of g.inputs) files.push({ file: i.path, status: 'refused', elements: 0 });
      continue;
    }
    diagnostics.push(...r.diagnostics);
    notes.push(...r.notes);
    files.push(...r.files);
    if (r.model) {
      models.push(r.model);
      for (const [id, section] of elementIds(r.model)) if (!taken.has(id)) taken.set(id, section);
    }
  }
  if (models.length === 0) return { diagnostics, notes, files };
  const model = combineModels(models);
  const problems = validateData(model).filter((d) => d.severity === 'error');
  if (problems.length > 0) {
    const first = problems[0];
    diagnostics.push(
      diag('E_IMPORT_INVALID_MODEL', `the imported model does not validate (${problems.length} problem${problems.length === 1 ? '' : 's'}; first: ${first?.code ?? ''} at ${first?.pointer ?? ''}: ${first?.message ?? ''}); this is a bug in the importer`, {
        hint: 'please report it with the input files',
      }),
    );
    return { diagnostics, notes, files };
  }
  return { model, diagnostics, notes, files };
}

/** Element id → section, over every section of a model. */
export function elementIds(model: ModelFile): Map<string, string> {
  const out = new Map<string, string>();
  const data = model as unknown as Record<string, unknown>;
  for (const row of KIND_TABLE) {
    const list = data[row.section];
    if (!Array.isArray(list)) continue;
    for (const el of list as unknown[]) {
      if (el !== null && typeof el === 'object' && typeof (el as { id?: unknown }).id === 'string') out.set((el as { id: string }).id, row.section);
    }
  }
  return out;
}

/** Several importers' models → one: sections concatenated; an element whose id is already there is dropped (same id, same thing). */
function combineModels(models: readonly ModelFile[]): ModelFile {
  const [first, ...rest] = models;
  if (!first || rest.length === 0) return first ?? { version: '1.0', system: { name: 'Imported system' } };
  const out = structuredClone(first) as unknown as Record<string, unknown>;
  const seen = elementIds(first);
  for (const m of rest) {
    const data = m as unknown as Record<string, unknown>;
    for (const row of KIND_TABLE) {
      const list = data[row.section];
      if (!Array.isArray(list)) continue;
      const target = (Array.isArray(out[row.section]) ? out[row.section] : (out[row.section] = [])) as unknown[];
      for (const el of list as { id: string }[]) {
        if (seen.has(el.id)) continue;
        seen.set(el.id, row.section);
        target.push(structuredClone(el));
      }
    }
  }
  const names = models.map((m) => m.system.name);
  (out['system'] as { name: string }).name = names.join(' + ').slice(0, 10_000);
  return out as unknown as ModelFile;
}
