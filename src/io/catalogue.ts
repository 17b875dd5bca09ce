/** Read the catalogue shipped with the package (catalogue/threats/*.yaml, catalogue/patterns/*.yaml). */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCatalogue, type Catalogue, type CatalogueFile } from '../catalogue/load.js';
import type { Diagnostic } from '../model/diagnostics.js';

/** The catalogue folder of this package (works from src/ in tests and from dist/ when installed). */
export function catalogueDir(): string {
  return fileURLToPath(new URL('../../catalogue/', import.meta.url));
}

export function readCatalogueFiles(dir: string = catalogueDir()): CatalogueFile[] {
  const files: CatalogueFile[] = [];
  for (const sub of ['threats', 'patterns']) {
    const d = join(dir, sub);
    if (!existsSync(d)) continue;
    for (const name of readdirSync(d).sort()) {
      if (!/\.ya?ml$/.test(name)) continue;
      files.push({ path: `${sub}/${name}`, text: readFileSync(join(d, name), 'utf8') });
    }
  }
  return files;
}

let cached: { catalogue: Catalogue; diagnostics: Diagnostic[] } | undefined;

/** Load and validate the packaged catalogue (cached per process). */
export function loadCatalogue(): { catalogue: Catalogue; diagnostics: Diagnostic[] } {
  cached ??= parseCatalogue(readCatalogueFiles());
  return cached;
}
