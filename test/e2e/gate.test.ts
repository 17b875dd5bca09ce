/**
 * diff, check and track through the built CLI (npm run build first): every exit code, the
 * pull-request change (a new agent with a shell tool across a trust boundary), git revisions.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = new URL('../../bin/maestro-tm.js', import.meta.url).pathname;
const fixtures = new URL('../fixtures/pr-change/', import.meta.url).pathname;
const TODAY = ['--today', '2026-01-15'];

function run(args: string[], cwd = fixtures, env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd, env: { ...env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function git(cwd: string, ...args: string[]) {
  const r = spawnSync('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
}

/** A temporary directory with copies of the fixture files (without the before sidecar unless asked). */
function scratch(files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'mtm-gate-'));
  for (const f of files) copyFileSync(join(fixtures, f), join(dir, f));
  return dir;
}

describe('maestro-tm diff', () => {
  it('shows the pull-request change: element added, new findings, new chain (exit 0)', () => {
    const r = run(['diff', 'before.yaml', 'after.yaml']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Elements added \(3\):\n {2}\+ ops_agent {2}agent {2}L3\n {2}\+ ops_shell {2}tool {2}L3/);
    expect(r.out).toMatch(/New findings \(\d+\):[\s\S]*\+ code-execution-without-sandbox@ops_shell {2}\w+ \d+\.\d/);
    expect(r.out).toContain('+ chat -> support_agent -> ops_agent -> ops_shell');
    expect(r.out).toMatch(/Residual risk \(sum over findings\)\s+\d+\.\d\s+\d+\.\d\s+\+\d+\.\d/);
  });

  it('--format md is a pull-request comment; --format json is parseable and stable', () => {
    const md = run(['diff', 'before.yaml', 'after.yaml', '--format', 'md']);
    expect(md.code).toBe(0);
    expect(md.out).toContain('#### New findings');
    expect(md.out).toContain('| `code-execution-without-sandbox@ops_shell` | `ops_shell` | L3 |');
    expect(md.out).toContain('`chat` → `support_agent` → `ops_agent` → `ops_shell`');
    const j1 = run(['diff', 'before.yaml', 'after.yaml', '--format', 'json']);
    const j2 = run(['diff', 'before.yaml', 'after.yaml', '--format', 'json']);
    expect(j1.out).toBe(j2.out);
    const parsed = JSON.parse(j1.out) as { elements: { added: { id: string }[] }; findings: { new: { id: string }[] } };
    expect(parsed.elements.added.map((e) => e.id)).toEqual(['ops_agent', 'ops_shell', 'ops_zone']);
  });

  it('exit 2 for a missing file, an invalid model or an unknown format', () => {
    const missing = run(['diff', 'before.yaml', 'nope.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('nope.yaml  E_FILE  file not found');
    const dir = scratch([]);
    writeFileSync(join(dir, 'bad.yaml'), 'version: "1.0"\nsystem: { name: x }\nagents:\n  - id: a\n    models: [ghost]\n');
    const bad = run(['diff', join(fixtures, 'before.yaml'), 'bad.yaml'], dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/bad\.yaml:5:\d+ {2}E_UNKNOWN_REF/);
    expect(run(['diff', 'before.yaml', 'after.yaml', '--format', 'html']).code).toBe(2);
    expect(run(['diff', 'before.yaml']).code).toBe(2);
  });

  it('reads git revisions: HEAD:model.yaml against the working file', () => {
    const dir = scratch([]);
    copyFileSync(join(fixtures, 'before.yaml'), join(dir, 'model.yaml'));
    git(dir, 'init', '-q');
    git(dir, 'add', 'model.yaml');
    git(dir, 'commit', '-q', '-m', 'before');
    copyFileSync(join(fixtures, 'after.yaml'), join(dir, 'model.yaml'));
    const r = run(['diff', 'HEAD:model.yaml', 'model.yaml'], dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('maestro-tm diff: HEAD:model.yaml -> model.yaml');
    expect(r.out).toContain('+ ops_shell  tool  L3');
    // The gate against the committed baseline.
    const gate = run(['check', 'model.yaml', '--fail-on', 'high', '--baseline', 'HEAD:model.yaml', ...TODAY], dir);
    expect(gate.code).toBe(1);
    expect(gate.out).toContain('code-execution-without-sandbox@ops_shell');
  });

  it('refuses clearly when the revision, the path or the repository is missing (exit 2)', () => {
    const dir = scratch(['before.yaml']);
    const notRepo = run(['diff', 'HEAD:before.yaml', 'before.yaml'], dir);
    expect(notRepo.code).toBe(2);
    expect(notRepo.err).toContain('E_GIT');
    expect(notRepo.err).toContain('not inside a git repository');
    git(dir, 'init', '-q');
    git(dir, 'add', 'before.yaml');
    git(dir, 'commit', '-q', '-m', 'one');
    const noRev = run(['diff', 'v9.9:before.yaml', 'before.yaml'], dir);
    expect(noRev.code).toBe(2);
    expect(noRev.err).toContain('git revision "v9.9" not found');
    const noPath = run(['diff', 'HEAD:missing.yaml', 'before.yaml'], dir);
    expect(noPath.code).toBe(2);
    expect(noPath.err).toContain('"missing.yaml" does not exist in revision "HEAD"');
    const option = run(['diff', '--', '--output=x:before.yaml', 'before.yaml'], dir);
    expect(option.code).toBe(2);
    expect(option.err).toContain('is not a git revision');
    const noGit = run(['diff', 'HEAD:before.yaml', 'before.yaml'], dir, { ...process.env, PATH: '/nonexistent' });
    expect(noGit.code).toBe(2);
    expect(noGit.err).toContain('git is not installed or not on PATH');
  });
});

describe('maestro-tm check', () => {
  it('before passes its own gate because its findings are tracked (exit 0), and fails without the tracking (exit 1)', () => {
    const pass = run(['check', 'before.yaml', '--fail-on', 'high', ...TODAY]);
    expect(pass.code).toBe(0);
    expect(pass.out).toContain('with tracking before.tracking.yaml');
    expect(pass.out).toContain('PASS: no open findings');
    expect(pass.out).toMatch(/Not blocking: \d+ accepted, \d+ mitigated \(tracking\)/);
    const dir = scratch(['before.yaml']);
    const fail = run(['check', 'before.yaml', '--fail-on', 'high', ...TODAY], dir);
    expect(fail.code).toBe(1);
    expect(fail.out).toMatch(/^ {2}critical +\d+\.\d {2}lethal-trifecta-in-agent@support_agent +support_agent$/m);
  });

  it('the pull-request change fails the gate against its baseline, listing only what it added (exit 1)', () => {
    const r = run(['check', 'after.yaml', '--baseline', 'before.yaml', '--fail-on', 'high', ...TODAY]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAIL: \d+ findings block/);
    expect(r.out).toMatch(/code-execution-without-sandbox@ops_shell +ops_shell {2}\(new since the baseline\)/);
    expect(r.out).not.toContain('lethal-trifecta-in-agent@support_agent');
    expect(r.out).toMatch(/\d+ already in the baseline/);
    // Against itself as baseline nothing is new.
    expect(run(['check', 'after.yaml', '--baseline', 'after.yaml', '--fail-on', 'high', ...TODAY]).code).toBe(0);
    // JSON output for machines.
    const j = JSON.parse(run(['check', 'after.yaml', '--baseline', 'before.yaml', '--fail-on', 'high', '--format', 'json', ...TODAY]).out) as { passed: boolean; failing: { id: string; reason: string }[] };
    expect(j.passed).toBe(false);
    expect(j.failing.find((f) => f.id === 'code-execution-without-sandbox@ops_shell')?.reason).toBe('new');
  });

  it('an expired acceptance counts as open again, with a warning naming its line', () => {
    const r = run(['check', 'before.yaml', '--fail-on', 'critical', '--today', '2100-01-01']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/before\.tracking\.yaml:5:3 {2}W_TRACKING_EXPIRED {2}entry "lethal-trifecta-in-agent@support_agent" \(accepted\) expired on 2099-12-31/);
    expect(r.out).toMatch(/lethal-trifecta-in-agent@support_agent +support_agent {2}\(tracking: accepted, expired\)/);
  });

  it('warns about stale entries with their line, and still decides', () => {
    const dir = scratch(['before.yaml']);
    writeFileSync(join(dir, 'before.tracking.yaml'), 'findings:\n  "*@support_agent":\n    status: accepted\n    justification: j\n  "*@kb":\n    status: accepted\n    justification: j\n  gone-rule@old_agent:\n    status: false-positive\n    justification: j\n');
    const r = run(['check', 'before.yaml', '--fail-on', 'high', ...TODAY], dir);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/before\.tracking\.yaml:8:3 {2}W_TRACKING_STALE {2}entry "gone-rule@old_agent" matches no finding/);
  });

  it('exit 2 on bad input: a typo in --fail-on (with the choices), no --fail-on, bad tracking, bad baseline, missing model', () => {
    const typo = run(['check', 'before.yaml', '--fail-on', 'hihg']);
    expect(typo.code).toBe(2);
    expect(typo.err).toContain('Allowed choices are critical, high, medium, low, info');
    expect(run(['check', 'before.yaml']).code).toBe(2);
    const dir = scratch(['before.yaml']);
    writeFileSync(join(dir, 'before.tracking.yaml'), 'findings:\n  "*@kb":\n    status: accepted\n');
    const badTracking = run(['check', 'before.yaml', '--fail-on', 'high'], dir);
    expect(badTracking.code).toBe(2);
    expect(badTracking.err).toMatch(/before\.tracking\.yaml:3:13 {2}E_TRACKING_JUSTIFICATION .*\(add `justification:`/);
    expect(badTracking.out).toBe('');
    expect(run(['check', 'before.yaml', '--fail-on', 'high', '--tracking', 'none.yaml'], dir).err).toContain('tracking file not found');
    expect(run(['check', 'before.yaml', '--fail-on', 'high', '--baseline', 'nope.yaml']).code).toBe(2);
    expect(run(['check', 'nope.yaml', '--fail-on', 'high']).code).toBe(2);
    expect(run(['check', 'before.yaml', '--fail-on', 'high', '--today', '2026-02-30']).code).toBe(2);
  });

  it('analyze applies the sidecar: findings carry their tracking in JSON, stale entries are warned about', () => {
    const r = run(['analyze', 'before.yaml', '--format', 'json', ...TODAY]);
    expect(r.code).toBe(0);
    const a = JSON.parse(r.out) as { findings: { id: string; tracking?: { key: string; effective: string } }[] };
    expect(a.findings.find((f) => f.id === 'lethal-trifecta-in-agent@support_agent')?.tracking).toMatchObject({ key: 'lethal-trifecta-in-agent@support_agent', effective: 'accepted' });
    expect(a.findings.find((f) => f.id === 'sensitive-memory-unencrypted@kb')?.tracking?.key).toBe('*@kb');
    const summary = run(['analyze', 'before.yaml', ...TODAY]);
    expect(summary.out).toMatch(/Tracking \(before\.tracking\.yaml\): \d+ accepted/);
    const dir = scratch(['before.yaml']);
    writeFileSync(join(dir, 't.yaml'), 'findings:\n  nothing@here:\n    status: open\n');
    const stale = run(['analyze', 'before.yaml', '--tracking', 't.yaml', '-q'], dir);
    expect(stale.code).toBe(0);
    expect(stale.err).toMatch(/t\.yaml:2:3 {2}W_TRACKING_STALE/);
    expect(readFileSync(join(dir, 't.yaml'), 'utf8')).toContain('nothing@here');
  });
});
