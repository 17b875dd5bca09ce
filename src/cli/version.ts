import { readFileSync } from 'node:fs';

/** maestro-tm's version from package.json, or 0.0.0 when it cannot be read. */
export function toolVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
