/** `maestro-tm import` spawned as a user runs it (needs `npm run build`). */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = new URL('../../bin/maestro-tm.js', import.meta.url).pathname;
const CORPUS = new URL('../../../shared/corpus/mcp-config/', import.meta.url);
const SECRETS = new URL('../importers/fixtures/secrets-claude_desktop_config.json', import.meta.url);

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface Ev { source?: { file: string; line: number } }
interface F { id: string; kind: string; evidence: Ev[] }

describe('maestro-tm import', () => {
  it.skipIf(!existsSync(CORPUS))('import a real MCP config, analyse it, and see MCP threats whose evidence points at the config lines', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtm-e2e-imp-'));
    copyFileSync(new URL('0xJacky__nginx-ui__cursor-mcp.json', CORPUS), join(dir, 'cursor-mcp.json'));
    const imp = run(['import', 'mcp', 'cursor-mcp.json', '-o', 'm.yaml'], dir);
    expect(imp.code, imp.err).toBe(0);
    expect(imp.err).toContain('cursor-mcp.json:5:13  I_UNPINNED_PACKAGE');
    const an = run(['analyze', 'm.yaml', '--format', 'json'], dir);
    expect(an.code, an.err).toBe(0);
    const findings = (JSON.parse(an.out) as { findings: F[] }).findings;
    const mcp = findings.filter((f) => f.kind === 'mcp-server' || f.id.startsWith('dependency-unpinned@'));
    expect(mcp.map((f) => f.id)).toEqual(expect.arrayContaining(['mcp-server-without-lock@eslint', 'mcp-server-without-lock@context7', 'dependency-unpinned@eslint_package', 'dependency-unpinned@context7_package']));
    // Lines of cursor-mcp.json: "eslint" is on line 3, its package argument on 5; "context7" on 8, its package on 10.
    const lines = (id: string) => findings.find((f) => f.id === id)?.evidence.map((e) => `${e.source?.file ?? ''}:${e.source?.line ?? 0}`);
    expect(lines('mcp-server-without-lock@eslint')).toEqual(['cursor-mcp.json:3']);
    expect(lines('dependency-unpinned@eslint_package')).toEqual(['cursor-mcp.json:5']);
    expect(lines('dependency-unpinned@context7_package')).toEqual(['cursor-mcp.json:10']);
    // Output is deterministic.
    const again = run(['import', 'mcp', 'cursor-mcp.json'], dir);
    expect(again.out).toBe(readFileSync(join(dir, 'm.yaml'), 'utf8').replace(/\n$/, '') + '\n');
  });

  it('secrets never reach the written model or the report; refused files give exit 2 with a reason', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtm-e2e-imp-'));
    copyFileSync(SECRETS, join(dir, 'claude_desktop_config.json'));
    writeFileSync(join(dir, 'other.json'), '{"hello": 1}');
    const imp = run(['import', 'auto', 'claude_desktop_config.json', 'other.json', '-o', 'm.yaml'], dir);
    expect(imp.code).toBe(2);
    expect(imp.err).toMatch(/other\.json:1:1 {2}E_IMPORT_UNKNOWN_FORMAT/);
    const model = readFileSync(join(dir, 'm.yaml'), 'utf8');
    const report = run(['analyze', 'm.yaml', '--format', 'md'], dir).out;
    for (const s of ['ghp_FAKEfakeFAKEfake1234567890abcdefABCD', 'S3cr3tPassw0rd', 'BSAk3yF4k3V4lu3Zq9', 'sk-ant-FAKE0123456789abcdefghijk']) {
      expect(model).not.toContain(s);
      expect(report).not.toContain(s);
      expect(imp.err).not.toContain(s);
    }
    // -o refuses to overwrite; --merge updates in place.
    const again = run(['import', 'mcp', 'claude_desktop_config.json', '-o', 'm.yaml'], dir);
    expect(again.code).toBe(2);
    expect(again.err).toContain('E_EXISTS');
    const merged = run(['import', 'mcp', 'claude_desktop_config.json', '--merge', 'm.yaml'], dir);
    expect(merged.code, merged.err).toBe(0);
    expect(readFileSync(join(dir, 'm.yaml'), 'utf8')).toBe(model);
  });

  it('an unknown format is a usage error', () => {
    const r = run(['import', 'nope', 'x.json'], tmpdir());
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown import format');
  });
});
