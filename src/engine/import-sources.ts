/**
 * Evidence on elements made by `maestro-tm import` points back at the imported file: each element's
 * `importedFrom` names the file, its line, and the lines of single attributes.
 */
import { isRecord } from '../model/references.js';
import type { Evidence } from './types.js';

/** Whether any element carries `importedFrom` (then evidence is given the imported file's lines). */
export function hasImportedElements(data: Record<string, unknown>): boolean {
  for (const section of Object.values(data)) {
    if (!Array.isArray(section)) continue;
    for (const el of section) if (isRecord(el) && isRecord(el['importedFrom'])) return true;
  }
  return false;
}

/**
 * Point evidence on imported elements back at the imported file: the line recorded for the longest
 * attribute prefix of the evidence pointer (for /mcpServers/2/args/1: /args/1, then /args), else the
 * element's own line.
 */
export function withSources(list: Evidence[], data: Record<string, unknown>): Evidence[] {
  return list.map((e) => {
    const m = /^\/([^/]+)\/(\d+)(\/.*)?$/.exec(e.pointer);
    if (!m) return e;
    const section = data[m[1] ?? ''];
    const el: unknown = Array.isArray(section) ? section[Number(m[2])] : undefined;
    const from = isRecord(el) ? el['importedFrom'] : undefined;
    if (!isRecord(from) || typeof from['file'] !== 'string' || typeof from['line'] !== 'number') return e;
    const lines = isRecord(from['lines']) ? from['lines'] : undefined;
    let line = from['line'];
    for (let rest = m[3] ?? ''; lines !== undefined && rest !== ''; rest = rest.slice(0, rest.lastIndexOf('/'))) {
      const at = Object.hasOwn(lines, rest) ? lines[rest] : undefined;
      if (typeof at === 'number') {
        line = at;
        break;
      }
    }
    return { ...e, source: { file: from['file'], line } };
  });
}
