/**
 * Imported models as text: commented YAML for a new model, and `--merge` into an existing model
 * that keeps what the user wrote (comments, order, hand edits, extra elements) and updates what came
 * from the source. Deterministic: no dates, no machine state; the same inputs give the same bytes.
 */
import { Document, isMap, isScalar, Scalar } from 'yaml';
import { diag, hasErrors, quote, type Diagnostic } from '../model/diagnostics.js';
import { loadModelText } from '../model/load.js';
import { editModel } from '../model/write.js';
import { KIND_TABLE } from '../model/kinds.js';
import { isRecord } from '../model/references.js';
import type { ModelFile } from '../model/schema.js';
import type { ImportFileReport } from './types.js';

/** Text safe inside a YAML comment: one line, no control or invisible characters. */
function commentSafe(s: string): string {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u206f\ufeff]/.test(s) ? quote(s, 300) : s.length > 300 ? `${s.slice(0, 299)}…` : s;
}

const SECTION_NOTES: Record<string, string> = {
  system: 'The system as a whole: rename it and add criticality, data sensitivity and owners.',
  agents: 'Agents (L3): the MCP client application. Add its models, autonomy and approvals.',
  mcpServers: [
    'MCP servers (L3), one per configured entry. Local servers (stdio) run as your OS user with your files;',
    'remote ones are run by someone else. Secret values were not copied: only their names (env) and where',
    'each is stored (credentials). Add publishers, the tools each server exposes and their side effects.',
  ].join('\n'),
  channels: 'Channels (L7): how the client reaches each server.',
  dependencies: 'Packages fetched when a server starts. No exact version means every launch may run a new release.',
  boundaries: 'Trust boundaries (L6).',
};

/** A new model file: YAML with a header saying what was imported from where, and a note per section. */
export function renderImportedModel(model: ModelFile, files: readonly ImportFileReport[], format: string): string {
  const doc = new Document(model);
  const imported = files.filter((f) => f.status === 'imported');
  const header = [
    ` Imported by maestro-tm import ${commentSafe(format)} from:`,
    ...imported.map((f) => `   ${commentSafe(f.file)}${f.dialect !== undefined ? ` (${commentSafe(f.dialect)})` : ''}`),
    '',
    ' Every imported element has importedFrom: the file and line it came from, so findings point',
    ' back at the configuration. Review this model and complete what a configuration cannot say.',
    ' Run the import again with --merge <this file> to update it: your edits and comments are kept.',
  ];
  doc.commentBefore = header.join('\n');
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      const key = isScalar(pair.key) ? pair.key : undefined;
      const name = key ? String(key.value) : '';
      const note = Object.hasOwn(SECTION_NOTES, name) ? SECTION_NOTES[name] : undefined;
      if (key instanceof Scalar && note !== undefined) {
        key.commentBefore = note
          .split('\n')
          .map((l) => ` ${l}`)
          .join('\n');
        key.spaceBefore = true;
      }
    }
  }
  return doc.toString({ lineWidth: 0 });
}

/** Keys whose value is a fact read from the source: re-importing replaces it. Others are set only when missing. */
const SOURCE_FACTS = new Set(['transport', 'command', 'args', 'url', 'package', 'env', 'credentials', 'importedFrom', 'from', 'to', 'protocol', 'encryption', 'usedBy']);
/** Lists merged item by item (the user's items kept, new ones added). */
const UNION_LISTS = new Set(['tools', 'dependsOn', 'controls']);
/** Tags the importers own: removed when no longer true, the user's own tags kept. */
const IMPORT_TAGS = new Set(['unpinned-package', 'secret-in-config', 'shell-command', 'inline-code', 'broad-filesystem-argument', 'plain-http-remote', 'disabled', 'privileged-container']);

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function refOf(item: unknown): unknown {
  return isRecord(item) ? item['ref'] : item;
}

export interface MergeResult {
  /** The merged model text; absent when the existing model cannot be read or the result would not validate. */
  readonly text?: string;
  readonly diagnostics: Diagnostic[];
  readonly added: number;
  readonly updated: number;
}

/**
 * Merge an imported model into an existing model file's text. Elements are matched by id within a
 * section: a match is updated (facts from the source replaced, the user's other fields kept), a new
 * element is appended. Elements imported earlier from the same files but no longer there are kept
 * and reported. The system section is the user's and is never changed.
 */
export function mergeImported(existingText: string, existingFile: string, imported: ModelFile, sourceFiles: readonly string[]): MergeResult {
  const loaded = loadModelText(existingText, { file: existingFile });
  if (!loaded.model || !loaded.source || hasErrors(loaded.diagnostics)) {
    return {
      diagnostics: [
        ...loaded.diagnostics.filter((d) => d.severity === 'error'),
        { ...diag('E_MERGE_INVALID', 'the model to merge into is not valid: nothing was merged', { hint: 'fix it first (maestro-tm validate), then import again' }), file: existingFile },
      ],
      added: 0,
      updated: 0,
    };
  }
  const data = loaded.source.data as Record<string, unknown>;
  const editor = editModel(loaded.source);
  const diagnostics: Diagnostic[] = [];
  let added = 0;
  let updated = 0;
  const importedData = imported as unknown as Record<string, unknown>;
  const importedIds = new Set<string>();
  for (const row of KIND_TABLE) {
    const incoming = importedData[row.section];
    if (!Array.isArray(incoming)) continue;
    const existingList = data[row.section];
    // Position of each existing id in the section (the first one, as a search from the start finds).
    const position = new Map<string, number>();
    if (Array.isArray(existingList)) {
      existingList.forEach((x: unknown, k) => {
        if (isRecord(x) && typeof x['id'] === 'string' && !position.has(x['id'])) position.set(x['id'], k);
      });
    }
    for (const el of incoming as Record<string, unknown>[]) {
      const id = el['id'];
      if (typeof id !== 'string') continue;
      importedIds.add(id);
      const idx = position.get(id) ?? -1;
      if (idx < 0) {
        editor.append([row.section], el);
        added++;
        continue;
      }
      const old = (existingList as unknown[])[idx] as Record<string, unknown>;
      let changed = false;
      for (const [key, value] of Object.entries(el)) {
        if (key === 'id') continue;
        const path = [row.section, idx, key];
        const had = Object.hasOwn(old, key) ? old[key] : undefined;
        if (had === undefined) {
          editor.set(path, value);
          changed = true;
        } else if (key === 'tags' && Array.isArray(had) && Array.isArray(value)) {
          const before = had as unknown[];
          const now = value as unknown[];
          const next: unknown[] = [...before.filter((t) => typeof t !== 'string' || !IMPORT_TAGS.has(t) || now.includes(t)), ...now.filter((t) => !before.includes(t))];
          if (!same(next, before)) {
            editor.set(path, next);
            changed = true;
          }
        } else if (UNION_LISTS.has(key) && Array.isArray(had) && Array.isArray(value)) {
          const refs = new Set(had.map((x) => JSON.stringify(refOf(x))));
          for (const item of value) {
            if (refs.has(JSON.stringify(refOf(item)))) continue;
            editor.append(path, item);
            changed = true;
          }
        } else if (SOURCE_FACTS.has(key) && !same(had, value)) {
          editor.set(path, value);
          changed = true;
        }
      }
      // Importer tags no longer true when the element now has no tags at all.
      const oldTags = old['tags'];
      if (!Object.hasOwn(el, 'tags') && Array.isArray(oldTags) && isRecord(old['importedFrom'])) {
        const kept = (oldTags as unknown[]).filter((t) => typeof t !== 'string' || !IMPORT_TAGS.has(t));
        if (kept.length !== oldTags.length) {
          if (kept.length > 0) editor.set([row.section, idx, 'tags'], kept);
          else editor.remove([row.section, idx, 'tags']);
          changed = true;
        }
      }
      // Facts the source no longer has (a removed url, env or package) are removed too.
      for (const key of Object.keys(old)) {
        if (SOURCE_FACTS.has(key) && key !== 'from' && key !== 'to' && !Object.hasOwn(el, key) && isRecord(old['importedFrom'])) {
          editor.remove([row.section, idx, key]);
          changed = true;
        }
      }
      if (changed) updated++;
    }
  }
  // Elements imported earlier from these files that the files no longer have.
  const sources = new Set(sourceFiles);
  for (const row of KIND_TABLE) {
    const list = data[row.section];
    if (!Array.isArray(list)) continue;
    list.forEach((el: unknown, i) => {
      if (!isRecord(el) || typeof el['id'] !== 'string' || importedIds.has(el['id'])) return;
      const from = el['importedFrom'];
      if (isRecord(from) && typeof from['file'] === 'string' && sources.has(from['file'])) {
        const pos = loaded.source?.map.locate([row.section, i, 'id']);
        diagnostics.push({
          ...diag('W_IMPORT_GONE', `${quote(el['id'])} was imported from ${quote(from['file'])}, which no longer has it: kept`, {
            hint: 'delete it from the model if it was removed on purpose',
            pointer: `/${row.section}/${i}`,
            ...(pos ? { line: pos.line, column: pos.column } : {}),
          }),
          file: existingFile,
        });
      }
    });
  }
  const text = editor.toString();
  const check = loadModelText(text, { file: existingFile });
  if (!check.model || hasErrors(check.diagnostics)) {
    const first = check.diagnostics.find((d) => d.severity === 'error');
    return {
      diagnostics: [
        ...diagnostics,
        { ...diag('E_MERGE_CONFLICT', `the merged model would not validate${first ? ` (${first.code}: ${first.message})` : ''}: nothing was written`, { hint: 'rename the clashing element in your model, or import into a new file' }), file: existingFile },
      ],
      added,
      updated,
    };
  }
  return { text, diagnostics, added, updated };
}
