/** The new formats end to end through the built CLI (needs `npm run build`). */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, parseCsv } from './_support.js';

const bin = `${ROOT}bin/maestro-tm.js`;
function run(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('maestro-tm analyze with the csv, sarif, mermaid, navigator and otm formats', () => {
  it('--format sarif,csv -o <stem> writes both files, each complete', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtm-formats-'));
    const stem = join(dir, 'r');
    const r = run(['analyze', 'examples/mcp-client.yaml', '--format', 'sarif,csv', '-o', stem]);
    expect(r.code, r.err).toBe(0);
    const sarif = JSON.parse(readFileSync(`${stem}.sarif`, 'utf8')) as { version: string; runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    expect(sarif.version).toBe('2.1.0');
    const results = sarif.runs[0]?.results ?? [];
    expect(results.length).toBeGreaterThan(0);
    expect(results[0]?.locations[0]?.physicalLocation.artifactLocation.uri).toBe('examples/mcp-client.yaml');
    const rows = parseCsv(readFileSync(`${stem}.csv`, 'utf8'));
    expect(rows.length).toBe(results.length + 1);
    expect(r.out).toContain(`wrote ${stem}.sarif`);
    expect(r.out).toContain(`wrote ${stem}.csv`);
    // Nothing else, and no temporary file left behind.
    expect(readdirSync(dir).sort()).toEqual(['r.csv', 'r.sarif']);
  });

  it('every new format by its -o extension, and by --format to stdout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtm-formats-'));
    const cases: [string, string][] = [
      ['r.otm.json', '"otmVersion": "0.2.0"'],
      ['r.atlas.layer.json', '"domain": "atlas-atlas"'],
      ['r.layer.json', '"domain": "enterprise-attack"'],
      ['r.mermaid.md', '```mermaid'],
    ];
    for (const [name, marker] of cases) {
      const out = join(dir, name);
      const r = run(['analyze', 'examples/customer-support-a2a.yaml', '-o', out, '-q']);
      expect(r.code, r.err).toBe(0);
      expect(existsSync(out)).toBe(true);
      expect(readFileSync(out, 'utf8')).toContain(marker);
    }
    const s = run(['analyze', 'examples/customer-support-a2a.yaml', '--format', 'atlas-navigator']);
    expect(s.code).toBe(0);
    expect(s.out).toContain('"domain": "atlas-atlas"');
  });

  it('--help lists the new formats', () => {
    const r = run(['analyze', '--help']);
    for (const id of ['csv', 'sarif', 'mermaid', 'navigator', 'atlas-navigator', 'otm']) expect(r.out).toMatch(new RegExp(`^\\s+${id}\\s`, 'm'));
  });

  it('the hostile model validates (the conformance corpus is a valid model)', () => {
    const r = run(['validate', 'test/fixtures/hostile-text.yaml']);
    expect(r.code, r.err).toBe(0);
  });
});
