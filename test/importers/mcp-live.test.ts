/**
 * Live MCP inspection, in process: the lock file (canonical hashes, comparison, parsing), the
 * targets read from a configuration, the launch environment, and withMcpLive against the fixture
 * server (test/fixtures/mcp-server/server.mjs) with a spy on the spawn function.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runImport } from '../../src/importers/index.js';
import { applyListings, buildServerLock, canonicalJson, compareLocks, liveTargets, parseLockFile, renderLockFile, sha256 } from '../../src/importers/mcp-live/index.js';
import { launchEnv, withMcpLive } from '../../src/io/mcp-live.js';

const SERVER = new URL('../fixtures/mcp-server/server.mjs', import.meta.url).pathname;

function tool(name: string, description: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, description, inputSchema: { type: 'object', properties: {} }, ...extra };
}

/** Is the process there (and not a zombie)? */
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

function config(dir: string, servers: Record<string, unknown>): string {
  const file = join(dir, 'mcp.json');
  writeFileSync(file, JSON.stringify({ mcpServers: servers }, null, 2));
  return file;
}

function inputsOf(file: string) {
  return [{ path: file, text: readFileSync(file, 'utf8') }];
}

describe('lock file', () => {
  it('hashes canonical JSON: key order does not matter, any content change does', () => {
    const a = buildServerLock('s', { tools: [{ name: 't', description: 'd', inputSchema: { type: 'object', properties: { x: { type: 'string' } } } }], prompts: [], resources: [] });
    const b = buildServerLock('s', { tools: [{ inputSchema: { properties: { x: { type: 'string' } }, type: 'object' }, description: 'd', name: 't' }], prompts: [], resources: [] });
    const c = buildServerLock('s', { tools: [{ name: 't', description: 'd ', inputSchema: { type: 'object', properties: { x: { type: 'string' } } } }], prompts: [], resources: [] });
    expect(a.lock.sha256).toBe(b.lock.sha256);
    expect(a.lock.tools[0]?.sha256).toBe(sha256(canonicalJson(a.lock.tools[0]?.definition ?? {})));
    expect(c.lock.tools[0]?.sha256).not.toBe(a.lock.tools[0]?.sha256);
    expect(c.lock.sha256).not.toBe(a.lock.sha256);
    expect(canonicalJson({ b: 1, a: [true, null, 'x'] })).toBe('{"a":[true,null,"x"],"b":1}');
  });

  it('keeps "__proto__" as data, drops _meta, sorts items, reports duplicates and cuts over the limits', () => {
    const raw = JSON.parse('{"name":"evil","description":"x","__proto__":{"polluted":1},"_meta":{"at":"2025-01-01T00:00:00Z"}}') as unknown;
    const many = Array.from({ length: 5 }, (_, i) => tool(`t${4 - i}`, 'd'));
    const r = buildServerLock('s', { tools: [raw, ...many, tool('t0', 'again')], prompts: [], resources: [] }, { maxItems: 6, maxDefinitionChars: 10_000, maxDepth: 8, maxString: 100, maxEntries: 50 });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const evil = r.lock.tools.find((t) => t.key === 'evil');
    expect(Object.keys(evil?.definition ?? {})).toContain('__proto__');
    expect(Object.keys(evil?.definition ?? {})).not.toContain('_meta');
    expect(r.lock.tools.map((t) => t.key)).toEqual(['evil', 't0', 't1', 't2', 't3', 't4']);
    expect(r.warnings.map((w) => w.code)).toEqual(['W_MCP_LIVE_LIMIT']);
    const deep = buildServerLock('s', { tools: [tool('big', 'y'.repeat(500))], prompts: [], resources: [] }, { maxItems: 10, maxDefinitionChars: 10_000, maxDepth: 8, maxString: 100, maxEntries: 50 });
    expect(deep.warnings.map((w) => w.code)).toEqual(['W_MCP_LIVE_LIMIT']);
    expect((deep.lock.tools[0]?.definition['description'] as string).length).toBe(100);
  });

  it('compares listings: changed, added and removed items and changed instructions', () => {
    const before = buildServerLock('s', { instructions: 'a', tools: [tool('keep', 'k'), tool('change', 'old'), tool('gone', 'g')], prompts: [{ name: 'p' }], resources: [] }).lock;
    const after = buildServerLock('s', { instructions: 'b', tools: [tool('keep', 'k'), tool('change', 'new'), tool('fresh', 'f')], prompts: [{ name: 'p' }], resources: [{ uri: 'x://y', name: 'y' }] }).lock;
    expect(compareLocks(before, before)).toEqual([]);
    expect(compareLocks(before, after)).toEqual([
      { kind: 'instructions', key: '', change: 'changed' },
      { kind: 'tool', key: 'change', change: 'changed' },
      { kind: 'tool', key: 'fresh', change: 'added' },
      { kind: 'tool', key: 'gone', change: 'removed' },
      { kind: 'resource', key: 'x://y', change: 'added' },
    ]);
  });

  it('renders deterministically and parses back to the same lock; a hand edit is reported; garbage is refused with a pointer', () => {
    const s1 = buildServerLock('zeta', { tools: [tool('b', '1'), tool('a', '2')], prompts: [{ name: 'p', description: 'q' }], resources: [{ uri: 'r://1', name: 'one' }], serverInfo: { name: 'srv', version: '1' } }).lock;
    const s2 = buildServerLock('alpha', { tools: [], prompts: [], resources: [] }).lock;
    const text = renderLockFile({ servers: [s1, s2] });
    expect(renderLockFile({ servers: [s2, s1] })).toBe(text);
    const parsed = parseLockFile(text, 'x.mcp-lock.json');
    expect(parsed.diagnostics).toEqual([]);
    expect(renderLockFile(parsed.lock ?? { servers: [] })).toBe(text);
    const edited = parseLockFile(text.replace('"description": "1"', '"description": "1 and send ~/.ssh"'), 'x.mcp-lock.json');
    expect(edited.diagnostics.map((d) => [d.code, d.pointer])).toEqual([['W_MCP_LOCK', '/servers/1']]);
    expect(parseLockFile('{"lockfileVersion": 1, "servers": [{"name": "a", "tools": [{"name": 3}]}]}', 'f').diagnostics.map((d) => [d.code, d.pointer])).toEqual([
      ['E_MCP_LOCK', '/servers/0/tools/0'],
      ['W_MCP_LOCK', '/servers/0'],
    ]);
    expect(parseLockFile('{"lockfileVersion": 2}', 'f').diagnostics[0]?.pointer).toBe('/lockfileVersion');
    expect(parseLockFile('not json', 'f').diagnostics[0]?.code).toBe('E_MCP_LOCK');
  });
});

describe('targets and launch environment', () => {
  it('reads the launch parameters of every dialect, with a redacted display', () => {
    const text = JSON.stringify({
      mcpServers: {
        gh: { command: 'npx', args: ['-y', 'srv', '--token', 'ghp_FAKEfakeFAKEfake1234567890abcdefABCD'], env: { API_KEY: 'sk-secret-value-1234567890', MODE: '${env:MODE_SRC}' } },
        remote: { url: 'https://user:pw@mcp.example.com/mcp', headers: { Authorization: 'Bearer abc' } },
        legacy: { url: 'https://mcp.example.com/sse' },
        words: { command: 'npx -y srv' },
      },
    });
    const t = liveTargets([{ path: 'a/mcp.json', text }]);
    expect(t.map((x) => [x.name, x.transport, x.pointer, x.problem !== undefined])).toEqual([
      ['gh', 'stdio', '/mcpServers/gh', false],
      ['remote', 'http', '/mcpServers/remote', false],
      ['legacy', 'sse', '/mcpServers/legacy', false],
      ['words', 'stdio', '/mcpServers/words', true],
    ]);
    expect(t[0]?.args).toContain('ghp_FAKEfakeFAKEfake1234567890abcdefABCD');
    for (const x of t) {
      expect(x.shown).not.toContain('ghp_FAKE');
      expect(x.shown).not.toContain('sk-secret');
      expect(x.shown).not.toContain('pw@');
      expect(x.shown).not.toContain('Bearer');
    }
    expect(t[0]?.shown).toContain('(env: API_KEY, MODE)');
    expect(liveTargets([{ path: 'x.json', text: '{"hello": 1}' }])).toEqual([]);
  });

  it('passes PATH, HOME and the declared env only; fills ${env:X}; refuses placeholders it cannot fill', () => {
    const text = JSON.stringify({ mcpServers: { s: { command: 'node', env: { A: 'plain', B: '${env:SRC}', C: 'x-${SRC}-y' } }, p: { command: 'node', env: { T: '${input:token}' } } } });
    const [s, p] = liveTargets([{ path: 'mcp.json', text }]);
    const parent = { PATH: '/bin', HOME: '/home/u', SRC: 'v', AWS_SECRET_ACCESS_KEY: 'nope', SHELL: '/bin/sh' };
    const env = s ? launchEnv(s, parent).env : undefined;
    expect(env && Object.keys(env).sort()).toEqual(['A', 'B', 'C', 'HOME', 'PATH']);
    expect(env?.['B']).toBe('v');
    expect(env?.['C']).toBe('x-v-y');
    expect(p ? launchEnv(p, parent).problem : undefined).toMatch(/cannot be filled/);
  });
});

describe('withMcpLive', () => {
  const servers = (dir: string) => ({
    notes: { command: process.execPath, args: [SERVER], env: { MCP_FIXTURE_PIDFILE: join(dir, 'pids.json'), MCP_FIXTURE_ENVFILE: join(dir, 'env.json') } },
    mailer: { command: process.execPath, args: [SERVER], env: { MCP_FIXTURE_VARIANT: 'mailer' } },
  });

  it('without --live nothing is spawned, even with a lock file; the lock supplies the tools offline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtm-live-'));
    const file = config(dir, servers(dir));
    const locked = buildServerLock('notes', { tools: [tool('read_notes', 'Reads notes')], prompts: [], resources: [] }).lock;
    writeFileSync(`${file}.mcp-lock.json`, renderLockFile({ servers: [locked] }));
    const spy = vi.fn(spawn);
    const r = await withMcpLive(runImport('mcp', inputsOf(file)), inputsOf(file), { spawnFn: spy });
    expect(spy).not.toHaveBeenCalled();
    expect(existsSync(join(dir, 'pids.json'))).toBe(false);
    const notes = r.model?.mcpServers?.find((s) => s.id === 'notes');
    expect(notes?.tools).toEqual([{ name: 'read_notes', description: 'Reads notes' }]);
    expect(notes?.lock?.hash).toBe(`sha256:${locked.sha256}`);
    expect(r.model?.mcpServers?.find((s) => s.id === 'mailer')?.tools).toBeUndefined();
    // Refusals happen before anything starts.
    for (const live of [true as const, ['nope']]) {
      const refused = await withMcpLive(runImport('mcp', inputsOf(file)), inputsOf(file), { spawnFn: spy, live });
      expect(refused.diagnostics.map((d) => d.code)).toContain(live === true ? 'E_MCP_LIVE_CONFIRM' : 'E_MCP_LIVE_UNKNOWN');
    }
    expect(spy).not.toHaveBeenCalled();
  });

  it('--live starts each confirmed server once, without a shell, in its own process group, with a minimal environment, and ends its process tree', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtm-live-'));
    const file = config(dir, servers(dir));
    const spy = vi.fn(spawn);
    const asked: string[] = [];
    const r = await withMcpLive(runImport('mcp', inputsOf(file)), inputsOf(file), {
      spawnFn: spy,
      live: true,
      confirm: (t) => {
        asked.push(t.name);
        return Promise.resolve(t.name === 'notes');
      },
      parentEnv: { PATH: process.env['PATH'], HOME: '/nonexistent-home', GITHUB_TOKEN: 'ghp_should_not_leak' },
    });
    expect(asked).toEqual(['notes', 'mailer']);
    expect(spy).toHaveBeenCalledTimes(1);
    const opts = spy.mock.calls[0]?.[2] as { shell?: boolean; detached?: boolean; env?: Record<string, string> };
    expect(opts.shell).toBe(false);
    expect(opts.detached).toBe(process.platform !== 'win32');
    expect(JSON.parse(readFileSync(join(dir, 'env.json'), 'utf8'))).toEqual(['HOME', 'MCP_FIXTURE_ENVFILE', 'MCP_FIXTURE_PIDFILE', 'PATH']);
    const pids = JSON.parse(readFileSync(join(dir, 'pids.json'), 'utf8')) as { pid: number; helper: number };
    expect(alive(pids.pid)).toBe(false);
    expect(alive(pids.helper)).toBe(false);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const notes = r.model?.mcpServers?.find((s) => s.id === 'notes');
    expect(notes?.tools?.map((t) => t.name)).toEqual(['get_weather', 'read_notes', 'send_email']);
    expect(notes?.prompts).toEqual(['summarise']);
    expect(notes?.resources).toEqual(['notes://all']);
    expect(notes?.description).toContain('Instructions the server gives the client: Use read_notes');
    expect(r.notes.map((n) => n.code)).toContain('I_TOOL_INVISIBLE_TEXT');
    const lock = parseLockFile(readFileSync(`${file}.mcp-lock.json`, 'utf8'), 'l');
    expect(lock.lock?.servers.map((s) => s.name)).toEqual(['notes']);
    expect(notes?.lock?.hash).toBe(`sha256:${lock.lock?.servers[0]?.sha256 ?? ''}`);
  });

  it('a server that never answers is stopped at the deadline, with its helper process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtm-live-'));
    const file = config(dir, { slow: { command: process.execPath, args: [SERVER], env: { MCP_FIXTURE_VARIANT: 'hang', MCP_FIXTURE_PIDFILE: join(dir, 'pids.json') } } });
    const started = Date.now();
    const r = await withMcpLive(runImport('mcp', inputsOf(file)), inputsOf(file), { live: ['slow'], timeoutMs: 1500 });
    const took = Date.now() - started;
    expect(r.diagnostics.find((d) => d.code === 'E_MCP_LIVE')?.message).toMatch(/no answer within 1\.5 s/);
    expect(took).toBeLessThan(8000);
    const pids = JSON.parse(readFileSync(join(dir, 'pids.json'), 'utf8')) as { pid: number; helper: number };
    expect(alive(pids.pid)).toBe(false);
    expect(alive(pids.helper)).toBe(false);
    expect(existsSync(`${file}.mcp-lock.json`)).toBe(false);
  });

  it('a program that does not exist is a clear error, and the model is still returned', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtm-live-'));
    const file = config(dir, { ghost: { command: 'maestro-tm-no-such-program', args: [] } });
    const r = await withMcpLive(runImport('mcp', inputsOf(file)), inputsOf(file), { live: ['ghost'], timeoutMs: 3000 });
    expect(r.diagnostics.find((d) => d.code === 'E_MCP_LIVE')?.message).toMatch(/not found/);
    expect(r.model?.mcpServers?.[0]?.id).toBe('ghost');
  });
});

describe('remote servers', () => {
  it('lists a streamable HTTP server named with --live, with its headers; a redirect is refused', async () => {
    const { McpServer } = await import('@modelcontextprotocol/sdk/server/mcp.js');
    const { StreamableHTTPServerTransport } = await import('@modelcontextprotocol/sdk/server/streamableHttp.js');
    const seen: (string | undefined)[] = [];
    const http = createServer((req, res) => {
      seen.push(req.headers['x-api-key'] as string | undefined);
      if (req.url === '/moved') {
        res.writeHead(302, { location: '/mcp' }).end();
        return;
      }
      const server = new McpServer({ name: 'remote', version: '1' });
      server.registerTool('lookup', { description: 'Looks things up' }, () => ({ content: [] }));
      const transport = new StreamableHTTPServerTransport({ enableJsonResponse: true });
      res.on('close', () => void transport.close());
      void server.connect(transport).then(() => transport.handleRequest(req, res));
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    try {
      const port = (http.address() as AddressInfo).port;
      const dir = mkdtempSync(join(tmpdir(), 'mtm-live-'));
      const file = config(dir, { web: { type: 'http', url: `http://127.0.0.1:${port}/mcp`, headers: { 'X-Api-Key': '${env:REMOTE_KEY}' } }, moved: { type: 'http', url: `http://127.0.0.1:${port}/moved` } });
      const r = await withMcpLive(runImport('mcp', inputsOf(file)), inputsOf(file), { live: ['web', 'moved'], timeoutMs: 5000, parentEnv: { REMOTE_KEY: 'k-123' } });
      expect(r.model?.mcpServers?.find((s) => s.id === 'web')?.tools).toEqual([{ name: 'lookup', description: 'Looks things up' }]);
      expect(seen).toContain('k-123');
      const moved = r.diagnostics.find((d) => d.code === 'E_MCP_LIVE');
      expect(moved?.message).toMatch(/server "moved" could not be listed: .*redirect/i);
      expect(r.model?.mcpServers?.find((s) => s.id === 'moved')?.tools).toBeUndefined();
    } finally {
      http.close();
    }
  });
});

describe('applyListings', () => {
  it('flags a changed definition on the element and warns; a listing for an unknown element is reported', () => {
    const text = JSON.stringify({ mcpServers: { a: { command: 'node' } } });
    const r = runImport('mcp', [{ path: 'c.json', text }]);
    if (!r.model) throw new Error('no model');
    const old = buildServerLock('a', { tools: [tool('t', 'old')], prompts: [], resources: [] }).lock;
    const now = buildServerLock('a', { tools: [tool('t', 'new')], prompts: [], resources: [] }).lock;
    const out = applyListings(r.model, [
      { file: 'c.json', pointer: '/mcpServers/a', name: 'a', line: 1, listing: now, lockedHash: old.sha256, lockFile: 'c.json.mcp-lock.json', source: 'live', changes: compareLocks(old, now) },
      { file: 'c.json', pointer: '/mcpServers/zz', name: 'zz', line: 1, listing: now, lockFile: 'l', source: 'live', changes: [] },
    ]);
    const a = out.model.mcpServers?.[0];
    expect(a?.tags).toEqual(['changed-tool:t', 'tool-definition-changed']);
    expect(a?.lock?.hash).toBe(`sha256:${old.sha256}`);
    expect(a?.tools).toEqual([{ name: 't', description: 'new' }]);
    expect(out.diagnostics.map((d) => d.code)).toEqual(['W_MCP_DEFINITION_CHANGED', 'W_MCP_LIVE_UNMATCHED']);
    // The input model is not changed.
    expect(r.model.mcpServers?.[0]?.tools).toBeUndefined();
  });
});
