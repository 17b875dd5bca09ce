/** `maestro-tm track`, run in-process: adds and updates entries, keeps comments, refuses bad input. */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadTrackingText } from '../../src/tracking/load.js';

const BEFORE = new URL('../fixtures/pr-change/before.yaml', import.meta.url).pathname;

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t), color: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function workdir(): { dir: string; model: string; sidecar: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mtm-track-'));
  const model = join(dir, 'system.yaml');
  copyFileSync(BEFORE, model);
  return { dir, model, sidecar: join(dir, 'system.tracking.yaml') };
}

describe('maestro-tm track', () => {
  it('creates the sidecar beside the model, and check then honours the entry', async () => {
    const { model, sidecar } = workdir();
    const before = await run(['check', model, '--fail-on', 'critical']);
    expect(before.code).toBe(1);
    expect(before.out).toContain('lethal-trifecta-in-agent@support_agent');
    const r = await run(['track', model, 'lethal-trifecta-in-agent@*', '--status', 'accepted', '--reason', 'demo data only', '--owner', 'secops', '--expires', '2099-12-31']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('added lethal-trifecta-in-agent@*: accepted');
    expect(r.out).toContain('matches 1 finding');
    const text = readFileSync(sidecar, 'utf8');
    expect(text).toMatch(/^# Risk tracking for system\.yaml/);
    const entry = loadTrackingText(text, sidecar).tracking?.entries[0];
    expect(entry).toMatchObject({ key: 'lethal-trifecta-in-agent@*', status: 'accepted', justification: 'demo data only', owner: 'secops', expires: '2099-12-31' });
    const after = await run(['check', model, '--fail-on', 'critical']);
    expect(after.code).toBe(0);
    expect(after.out).toContain('1 accepted');
  });

  it('updates an entry in place, keeping comments, unknown fields, other entries and fields not passed', async () => {
    const { model, sidecar } = workdir();
    const original = [
      '# team notes stay',
      'version: 1',
      'findings:',
      '  # the agent is being fixed',
      '  agent-not-observed@support_agent:',
      '    status: in-progress   # since March',
      '    owner: platform',
      '    x-link: https://example.invalid/1',
      '  "*@kb":',
      '    status: accepted',
      '    justification: public articles',
      '',
    ].join('\n');
    writeFileSync(sidecar, original);
    const r = await run(['track', model, 'agent-not-observed@support_agent', '--status', 'mitigated', '--reason', 'gateway logs every call', '--ticket', 'OBS-7']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('updated');
    const text = readFileSync(sidecar, 'utf8');
    for (const kept of ['# team notes stay', '# the agent is being fixed', '# since March', 'owner: platform', 'x-link: https://example.invalid/1', 'justification: public articles']) expect(text).toContain(kept);
    const entries = loadTrackingText(text, sidecar).tracking?.entries ?? [];
    expect(entries.map((e) => [e.key, e.status, e.justification, e.ticket, e.owner])).toEqual([
      ['agent-not-observed@support_agent', 'mitigated', 'gateway logs every call', 'OBS-7', 'platform'],
      ['*@kb', 'accepted', 'public articles', undefined, undefined],
    ]);
  });

  it('stores hostile reason text as inert data that reads back identically', async () => {
    const { model, sidecar } = workdir();
    const reason = 'line1\nline2: #not a comment\n\u001b[31mred\u001b[0m "q" \'s\' {x: [1]} &a *a';
    const r = await run(['track', model, '*@kb', '--status', 'accepted', '--reason', reason]);
    expect(r.code).toBe(0);
    const text = readFileSync(sidecar, 'utf8');
    expect(text).not.toContain('\u001b');
    expect(loadTrackingText(text, sidecar).tracking?.entries[0]?.justification).toBe(reason);
  });

  it('refuses bad input with exit 2 and leaves files untouched', async () => {
    const { model, sidecar } = workdir();
    const typo = await run(['track', model, 'agent-not-observed@support_agnt', '--status', 'open']);
    expect(typo.code).toBe(2);
    expect(typo.err).toContain('did you mean agent-not-observed@support_agent');
    expect(existsSync(sidecar)).toBe(false);
    expect((await run(['track', model, '*@kb', '--status', 'accepted'])).err).toContain('--reason');
    expect((await run(['track', model, '*@kb', '--status', 'acepted'])).code).toBe(2);
    expect((await run(['track', model, '*@kb', '--status', 'open', '--expires', '2026-13-01'])).code).toBe(2);
    expect((await run(['track', model, 'agent-not-observed', '--status', 'open'])).err).toContain('agent-not-observed@*');
    expect(existsSync(sidecar)).toBe(false);
    const forced = await run(['track', model, 'future-rule@support_agent', '--status', 'open', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.out).toContain('matches 0 findings');
    const broken = 'findings:\n  x@y:\n    status: nope\n';
    writeFileSync(sidecar, broken);
    const r = await run(['track', model, '*@kb', '--status', 'open']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/system\.tracking\.yaml:3:13 {2}E_TRACKING_STATUS/);
    expect(readFileSync(sidecar, 'utf8')).toBe(broken);
  });
});
