/** The built CLI, spawned as a user would run it (the test command builds first). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = new URL('../../bin/maestro-tm.js', import.meta.url).pathname;
function run(args: string[], cwd?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('maestro-tm CLI', () => {
  it('--help explains every command, and each command has its own --help', () => {
    const top = run(['--help']);
    expect(top.code).toBe(0);
    for (const cmd of ['init', 'validate']) {
      expect(top.out).toContain(cmd);
      const sub = run([cmd, '--help']);
      expect(sub.code).toBe(0);
      expect(sub.out).toContain(`Usage: maestro-tm ${cmd}`);
    }
  });

  it('init writes a starter model that validates and prints elements per layer', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtm-'));
    const init = run(['init', dir]);
    expect(init.code).toBe(0);
    const v = run(['validate', join(dir, 'maestro.yaml')]);
    expect(v.code).toBe(0);
    expect(v.out).toContain('valid');
    expect(v.out).toMatch(/L1 Foundation Models\s+1/);
    expect(v.out).toMatch(/L7 Agent Ecosystem/);
  });

  it('init refuses to overwrite an existing file, leaving it untouched', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtm-'));
    writeFileSync(join(dir, 'maestro.yaml'), 'mine\n');
    const r = run(['init', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--force');
    expect(readFileSync(join(dir, 'maestro.yaml'), 'utf8')).toBe('mine\n');
    expect(readdirSync(dir)).toEqual(['maestro.yaml']);
  });

  it('validate exits 2 with file:line:column CODE message (hint) and no stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtm-'));
    const f = join(dir, 'bad.yaml');
    writeFileSync(f, 'version: "1.0"\nsystem:\n  name: x\nagents:\n  - id: a\n    models: [nope]\n');
    const r = run(['validate', f]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:6:14  E_UNKNOWN_REF  .+  \\(.+\\)$`, 'm'));
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('a missing file and a bad option are usage errors (exit 2)', () => {
    const missing = run(['validate', '/nonexistent/model.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('E_FILE');
    expect(run(['validate', '--bogus', 'x.yaml']).code).toBe(2);
    expect(run(['validate', '--format', 'xml', 'x.yaml']).code).toBe(2);
    expect(run(['frobnicate']).code).toBe(2);
  });

  it('a bad option value names the option and what to write, exit 2, never an internal error', () => {
    const model = new URL('../../examples/mcp-client.yaml', import.meta.url).pathname;
    const cases: [string[], string][] = [
      [['analyze', model, '--chains', '0'], "option '--chains <k>' argument '0' is invalid"],
      [['check', model, '--today', '2026-02-30'], 'write YYYY-MM-DD'],
      [['serve', model, '--port', 'abc', '--no-open'], 'expected a port number'],
      [['validate', model, '--max-bytes', '12q'], 'use a number of bytes'],
    ];
    for (const [args, text] of cases) {
      const r = run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toContain(text);
      expect(r.err, args.join(' ')).not.toContain('internal error');
    }
  });

  it('validate --format json is machine readable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtm-'));
    run(['init', dir]);
    const r = run(['validate', '--format', 'json', join(dir, 'maestro.yaml')]);
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.out) as { files: { valid: boolean; layers: { layer: string; count: number }[] }[] };
    expect(parsed.files[0]?.valid).toBe(true);
    expect(parsed.files[0]?.layers.map((l) => l.layer)).toEqual(['L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7']);
  });

  it('terminal output neutralises escape sequences from the model', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtm-'));
    const f = join(dir, 'esc.yaml');
    writeFileSync(f, 'version: "1.0"\nsystem:\n  name: x\nagents:\n  - id: a\n    autonomy: "\\e[31mred\\e]8;;http://evil\\a"\n');
    const r = run(['validate', f]);
    expect(r.code).toBe(2);
    expect(r.err).not.toContain('\u001b');
    expect(r.err).not.toContain('\u0007');
  });
});
