/**
 * `maestro-tm import mcp <config> --live <server...>` end to end, spawned as a user runs it (needs
 * `npm run build`), against the fixture server test/fixtures/mcp-server/server.mjs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = new URL('../../bin/maestro-tm.js', import.meta.url).pathname;
const SERVER = new URL('../fixtures/mcp-server/server.mjs', import.meta.url).pathname;

function run(args: string[], cwd: string) {
  // stdin is a pipe, never a terminal: --live without names must refuse.
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd, input: '', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return process.platform !== 'linux';
  }
}

function writeConfig(dir: string, notesVariant: string): void {
  const servers = {
    notes: { command: process.execPath, args: [SERVER], env: { MCP_FIXTURE_VARIANT: notesVariant, MCP_FIXTURE_PIDFILE: join(dir, 'pids.json') } },
    mailer: { command: process.execPath, args: [SERVER], env: { MCP_FIXTURE_VARIANT: 'mailer' } },
    marker: { command: process.execPath, args: ['-e', "require('fs').writeFileSync('started.txt', 'x')"] },
  };
  writeFileSync(join(dir, 'mcp.json'), JSON.stringify({ mcpServers: servers }, null, 2));
}

interface F {
  id: string;
  evidence: { attribute?: string; value?: unknown }[];
}
function findings(dir: string, model: string): F[] {
  const an = run(['analyze', model, '--format', 'json'], dir);
  expect(an.code, an.err).toBe(0);
  return (JSON.parse(an.out) as { findings: F[] }).findings;
}

describe('maestro-tm import mcp --live', () => {
  it('lists the named servers, locks them, flags poisoned and shadowing tools, then works offline and detects a rug pull', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtm-live-cli-'));
    writeConfig(dir, 'default');
    const lockFile = join(dir, 'mcp.json.mcp-lock.json');

    // Without --live nothing is started: the marker server would create started.txt, the fixture pids.json.
    const plain = run(['import', 'mcp', 'mcp.json', '-o', 'plain.yaml'], dir);
    expect(plain.code, plain.err).toBe(0);
    expect(existsSync(join(dir, 'started.txt'))).toBe(false);
    expect(existsSync(join(dir, 'pids.json'))).toBe(false);
    expect(existsSync(lockFile)).toBe(false);
    // --live without names and without a terminal refuses, and starts nothing either.
    const noTty = run(['import', 'mcp', 'mcp.json', '--live'], dir);
    expect(noTty.code).toBe(2);
    expect(noTty.err).toContain('E_MCP_LIVE_CONFIRM');
    expect(noTty.err).toContain('--live notes mailer marker');
    expect(existsSync(join(dir, 'started.txt'))).toBe(false);
    expect(existsSync(join(dir, 'pids.json'))).toBe(false);

    // --live with names: exactly those start.
    const live = run(['import', 'mcp', 'mcp.json', '--live', 'notes', 'mailer', '-o', 'm.yaml'], dir);
    expect(live.code, live.err).toBe(0);
    expect(existsSync(join(dir, 'started.txt'))).toBe(false);
    expect(live.err).toContain('inspecting MCP server "notes"');
    expect(live.err).toMatch(/mcp\.json:\d+:1 {2}I_TOOL_INVISIBLE_TEXT {2}server "notes": the description of tool "get_weather" holds the invisible character U\+200B/);
    expect(live.err).toContain('I_TOOL_SHADOWED');
    const pids = JSON.parse(readFileSync(join(dir, 'pids.json'), 'utf8')) as { pid: number; helper: number };
    expect(alive(pids.pid)).toBe(false);
    expect(alive(pids.helper)).toBe(false);

    const lockText = readFileSync(lockFile, 'utf8');
    const lock = JSON.parse(lockText) as { lockfileVersion: number; servers: { name: string; sha256: string; tools: { name: string; sha256: string }[]; prompts: { name: string }[]; resources: { uri: string }[] }[] };
    expect(lock.lockfileVersion).toBe(1);
    expect(lock.servers.map((s) => s.name)).toEqual(['mailer', 'notes']);
    const notes = lock.servers[1];
    expect(notes?.tools.map((t) => t.name)).toEqual(['get_weather', 'read_notes', 'send_email']);
    expect(notes?.prompts.map((p) => p.name)).toEqual(['summarise']);
    expect(notes?.resources.map((r) => r.uri)).toEqual(['notes://all']);
    for (const h of [notes?.sha256, ...(notes?.tools.map((t) => t.sha256) ?? [])]) expect(h).toMatch(/^[0-9a-f]{64}$/);
    const model = readFileSync(join(dir, 'm.yaml'), 'utf8');
    expect(model).toContain('- name: read_notes');
    expect(model).toContain(`hash: sha256:${notes?.sha256 ?? ''}`);

    const ids = findings(dir, 'm.yaml').map((f) => f.id);
    expect(ids).toEqual(expect.arrayContaining(['mcp-tool-description-hidden-text@notes', 'mcp-tool-name-shadowing@mcp_client']));
    expect(ids).not.toContain('mcp-server-without-lock@notes');
    expect(ids).not.toContain('mcp-tool-definition-changed@notes');
    // The plain import (no lock then) had none of the listed tools.
    expect(findings(dir, 'plain.yaml').map((f) => f.id)).not.toContain('mcp-tool-description-hidden-text@notes');

    // The same listing again: identical lock bytes and model, no change reported.
    const again = run(['import', 'mcp', 'mcp.json', '--live', 'notes', 'mailer'], dir);
    expect(again.code, again.err).toBe(0);
    expect(readFileSync(lockFile, 'utf8')).toBe(lockText);
    expect(again.out).toBe(model);
    expect(again.err).not.toContain('W_MCP_DEFINITION_CHANGED');

    // Offline: the lock supplies the tools, nothing starts.
    rmSync(join(dir, 'pids.json'));
    const offline = run(['import', 'mcp', 'mcp.json'], dir);
    expect(offline.code, offline.err).toBe(0);
    expect(offline.out).toContain('- name: read_notes');
    expect(existsSync(join(dir, 'pids.json'))).toBe(false);

    // Rug pull: the server changes get_weather's description.
    writeConfig(dir, 'rugpull');
    const pulled = run(['import', 'mcp', 'mcp.json', '--live', 'notes', '-o', 'pulled.yaml'], dir);
    expect(pulled.code, pulled.err).toBe(0);
    expect(pulled.err).toMatch(/W_MCP_DEFINITION_CHANGED {2}server "notes": tool "get_weather" changed since it was locked/);
    expect(readFileSync(lockFile, 'utf8')).toBe(lockText);
    const changed = findings(dir, 'pulled.yaml').find((f) => f.id === 'mcp-tool-definition-changed@notes');
    expect(changed?.evidence.map((e) => e.value)).toEqual(['tool-definition-changed', `sha256:${notes?.sha256 ?? ''}`, 'get_weather']);
    // Accepting it updates the lock; the next run is quiet again.
    const accepted = run(['import', 'mcp', 'mcp.json', '--live', 'notes', '--update-lock', '-o', 'accepted.yaml'], dir);
    expect(accepted.code, accepted.err).toBe(0);
    expect(accepted.err).toContain('I_MCP_LOCK_UPDATED');
    expect(readFileSync(lockFile, 'utf8')).not.toBe(lockText);
    expect(findings(dir, 'accepted.yaml').map((f) => f.id)).not.toContain('mcp-tool-definition-changed@notes');
    const quiet = run(['import', 'mcp', 'mcp.json', '--live', 'notes'], dir);
    expect(quiet.err).not.toContain('W_MCP_DEFINITION_CHANGED');
  });

  it('kills a server that hangs at the --live-timeout, exits 2 and names the server; --lock and unknown names are checked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtm-live-cli-'));
    writeConfig(dir, 'hang');
    const started = Date.now();
    const r = run(['import', 'mcp', 'mcp.json', '--live', 'notes', '--live-timeout', '1', '--lock', 'custom.lock.json', '-o', 'm.yaml'], dir);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/mcp\.json:\d+:1 {2}E_MCP_LIVE {2}server "notes" could not be listed: no answer within 1 s/);
    const pids = JSON.parse(readFileSync(join(dir, 'pids.json'), 'utf8')) as { pid: number; helper: number };
    expect(alive(pids.pid)).toBe(false);
    expect(alive(pids.helper)).toBe(false);
    expect(existsSync(join(dir, 'custom.lock.json'))).toBe(false);
    // The model is still written, without listed tools.
    expect(readFileSync(join(dir, 'm.yaml'), 'utf8')).not.toContain('read_notes');

    const unknown = run(['import', 'mcp', 'mcp.json', '--live', 'nope'], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('E_MCP_LIVE_UNKNOWN');
    expect(existsSync(join(dir, 'started.txt'))).toBe(false);
    // With --live, the marker server does start: the absence checks above can fail.
    const marker = run(['import', 'mcp', 'mcp.json', '--live', 'marker', '--live-timeout', '5'], dir);
    expect(marker.code).toBe(2);
    expect(existsSync(join(dir, 'started.txt'))).toBe(true);
  });
});
