/**
 * Parse catalogue files (threats and patterns) into validated, sorted tables. Pure: the caller reads
 * the files (src/io/catalogue.ts) and hands over their text.
 */
import { parse } from 'yaml';
import { diag, quote, type Diagnostic } from '../model/diagnostics.js';
import { PatternEntry, ThreatEntry } from './schema.js';

export interface CatalogueFile {
  /** Path relative to the catalogue folder, e.g. threats/T1.yaml. */
  readonly path: string;
  readonly text: string;
}

export interface Catalogue {
  readonly threats: ReadonlyMap<string, ThreatEntry>;
  readonly patterns: ReadonlyMap<string, PatternEntry>;
}

export function parseCatalogue(files: readonly CatalogueFile[]): { catalogue: Catalogue; diagnostics: Diagnostic[] } {
  const threats = new Map<string, ThreatEntry>();
  const patterns = new Map<string, PatternEntry>();
  const diagnostics: Diagnostic[] = [];
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const f of sorted) {
    const isThreat = f.path.startsWith('threats/');
    const isPattern = f.path.startsWith('patterns/');
    if (!isThreat && !isPattern) continue;
    let data: unknown;
    try {
      data = parse(f.text, { schema: 'core', uniqueKeys: true, maxAliasCount: 0 });
    } catch (err) {
      diagnostics.push({ ...diag('E_CATALOGUE', `cannot parse: ${err instanceof Error ? err.message.split('\n')[0] ?? '' : 'error'}`, { hint: 'fix the YAML' }), file: f.path });
      continue;
    }
    const result = (isThreat ? ThreatEntry : PatternEntry).safeParse(data);
    if (!result.success) {
      for (const issue of result.error.issues) {
        diagnostics.push({ ...diag('E_CATALOGUE', `${issue.path.join('.') || '(entry)'}: ${issue.message}`, { hint: 'see src/catalogue/schema.ts' }), file: f.path });
      }
      continue;
    }
    const entry = result.data;
    const expected = f.path.replace(/^(threats|patterns)\//, '').replace(/\.ya?ml$/, '');
    if (entry.id !== expected) {
      diagnostics.push({ ...diag('E_CATALOGUE', `id ${quote(entry.id)} does not match the file name ${quote(expected)}`, { hint: 'name the file after the id' }), file: f.path });
    }
    const table: Map<string, ThreatEntry | PatternEntry> = isThreat ? threats : patterns;
    if (table.has(entry.id)) {
      diagnostics.push({ ...diag('E_CATALOGUE', `duplicate id ${quote(entry.id)}`, { hint: 'ids are unique' }), file: f.path });
      continue;
    }
    if (isThreat) threats.set(entry.id, entry as ThreatEntry);
    else patterns.set(entry.id, entry as PatternEntry);
  }
  return { catalogue: { threats, patterns }, diagnostics };
}

/** Threat ids in catalogue order: T1..T15 numerically, then the rest by id. */
export function compareThreatIds(a: string, b: string): number {
  const na = /^T(\d+)$/.exec(a);
  const nb = /^T(\d+)$/.exec(b);
  if (na && nb) return Number(na[1]) - Number(nb[1]);
  if (na) return -1;
  if (nb) return 1;
  const ma = /^(.*?)(\d+)$/.exec(a);
  const mb = /^(.*?)(\d+)$/.exec(b);
  if (ma && mb && ma[1] === mb[1]) return Number(ma[2]) - Number(mb[2]);
  return a < b ? -1 : a > b ? 1 : 0;
}
