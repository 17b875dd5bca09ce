/**
 * Live MCP inspection (`maestro-tm import mcp <config> --live <server...>`): start or reach the named
 * servers, list their tools, prompts and resources with the official MCP TypeScript SDK, lock what
 * they listed (with hashes) next to the configuration, and put it in the imported model. Without
 * `--live`, only the lock file is read: nothing is started or fetched.
 *
 * Safety, for each stdio server:
 * - no shell: the program is executed directly (spawn with shell: false; the configuration's command
 *   is one program name and its args a list, so no text is ever interpreted by a shell);
 * - minimal environment: PATH and HOME (on Windows also SYSTEMROOT, USERPROFILE, TEMP, TMP), plus the
 *   variables the configuration declares for that server; nothing else of ours (tokens, keys) leaks;
 * - its own process group (detached on POSIX), and the whole group is killed afterwards, so helpers the
 *   server started do not outlive the inspection (on Windows, `taskkill /T` ends the tree);
 * - one deadline for connecting and listing (15 s by default), each request capped by what is left;
 * - caps on bytes read, items listed and definition sizes (lock.ts); the SDK never compiles the JSON
 *   schemas a server sends (no code generation from server data); the client declares no
 *   capabilities, so the server cannot ask it for anything (sampling, roots, elicitation).
 *
 * The SDK's own StdioClientTransport is not used: it always adds LOGNAME, SHELL, TERM and USER to the
 * environment, spawns through cross-spawn (which runs .cmd files through cmd.exe on Windows) and
 * cannot put the server in its own process group. Our transport below speaks the same protocol with
 * the SDK's own message framing (ReadBuffer, serializeMessage).
 */
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { diag, quote, type Diagnostic } from '../model/diagnostics.js';
import { validateData } from '../model/load.js';
import type { ImportInput, ImportNote, ImportResult } from '../importers/types.js';
import {
  applyListings,
  buildServerLock,
  compareLocks,
  liveTargets,
  parseLockFile,
  renderLockFile,
  type AppliedListing,
  type LiveTarget,
  type LockFile,
  type RawListing,
  type ServerLock,
} from '../importers/mcp-live/index.js';
import { writeFileAtomic } from './files.js';

/** How a stdio server is started (child_process.spawn; tests pass a spy). */
export type SpawnFn = (command: string, args: string[], options: SpawnOptions) => ChildProcess;

export const DEFAULT_LIVE_TIMEOUT_MS = 15_000;
/** Most bytes read from one server (stdout, or HTTP bodies). */
export const MAX_LIVE_BYTES = 32 * 1024 * 1024;
/** Largest lock file read. */
const MAX_LOCK_BYTES = 64 * 1024 * 1024;
const MAX_PAGES = 100;

export interface LiveOptions {
  /** `--live`: true (confirm each server) or the names of the servers to inspect; undefined = offline. */
  readonly live?: true | readonly string[];
  /** `--lock <file>`: the lock file (default `<config>.mcp-lock.json`). */
  readonly lock?: string;
  /** `--update-lock`: accept changed definitions into the lock. */
  readonly updateLock?: boolean;
  /** Deadline per server for connecting and listing, in milliseconds. */
  readonly timeoutMs?: number;
  /** Asks the user whether to start a server; undefined when there is no terminal to ask on. */
  readonly confirm?: (t: LiveTarget) => Promise<boolean>;
  /** Progress lines (already plain text; the caller makes them terminal-safe). */
  readonly progress?: (line: string) => void;
  /** The process environment the declared ${env:X} placeholders are read from (tests pass their own). */
  readonly parentEnv?: Readonly<Record<string, string | undefined>>;
  /** The spawn function (tests spy on it). */
  readonly spawnFn?: SpawnFn;
}

// ---------------------------------------------------------------------------------------------------------------------
// The SDK, loaded only when a server is inspected

type Sdk = {
  Client: typeof import('@modelcontextprotocol/sdk/client/index.js').Client;
  ReadBuffer: typeof import('@modelcontextprotocol/sdk/shared/stdio.js').ReadBuffer;
  serializeMessage: typeof import('@modelcontextprotocol/sdk/shared/stdio.js').serializeMessage;
  StreamableHTTPClientTransport: typeof import('@modelcontextprotocol/sdk/client/streamableHttp.js').StreamableHTTPClientTransport;
  // Deprecated in the SDK in favour of streamable HTTP, but servers configured as "sse" still speak only it.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  SSEClientTransport: typeof import('@modelcontextprotocol/sdk/client/sse.js').SSEClientTransport;
};
type Transport = import('@modelcontextprotocol/sdk/shared/transport.js').Transport;
type JSONRPCMessage = import('@modelcontextprotocol/sdk/types.js').JSONRPCMessage;

export class LiveError extends Error {}

let sdkPromise: Promise<Sdk> | undefined;

/** The MCP SDK (an optional dependency), or a LiveError saying how to install it. */
export function loadSdk(): Promise<Sdk> {
  sdkPromise ??= (async () => {
    try {
      const [client, stdio, http, sse] = await Promise.all([
        import('@modelcontextprotocol/sdk/client/index.js'),
        import('@modelcontextprotocol/sdk/shared/stdio.js'),
        import('@modelcontextprotocol/sdk/client/streamableHttp.js'),
        import('@modelcontextprotocol/sdk/client/sse.js'),
      ]);
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      const SSEClientTransport = sse.SSEClientTransport;
      return { Client: client.Client, ReadBuffer: stdio.ReadBuffer, serializeMessage: stdio.serializeMessage, StreamableHTTPClientTransport: http.StreamableHTTPClientTransport, SSEClientTransport };
    } catch {
      sdkPromise = undefined;
      throw new LiveError('the MCP SDK is not installed: run npm install @modelcontextprotocol/sdk@1.32.2 (an optional dependency of maestro-tm, needed only for --live)');
    }
  })();
  return sdkPromise;
}

// ---------------------------------------------------------------------------------------------------------------------
// Process side

const PLACEHOLDER = /\$\{([^}]*)\}/g;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Fill ${env:NAME} and ${NAME} from the parent environment; other placeholders cannot be filled here. */
function fill(value: string, parent: Readonly<Record<string, string | undefined>>): { value?: string; problem?: string } {
  let problem: string | undefined;
  const filled = value.replace(PLACEHOLDER, (whole, inner: string) => {
    const name = inner.startsWith('env:') ? inner.slice(4) : inner;
    if (!ENV_NAME.test(name)) {
      problem ??= `the placeholder ${quote(whole, 40)} cannot be filled outside the client (only \${env:NAME} and \${NAME} are)`;
      return '';
    }
    return parent[name] ?? '';
  });
  if (problem !== undefined) return { problem };
  if (filled.includes('\u0000')) return { problem: 'a value holds a NUL character' };
  return { value: filled };
}

/** The environment a stdio server gets: PATH, HOME (and Windows essentials), plus what its entry declares. */
export function launchEnv(t: LiveTarget, parent: Readonly<Record<string, string | undefined>>): { env?: Record<string, string>; problem?: string } {
  const env: Record<string, string> = Object.create(null) as Record<string, string>;
  const base = process.platform === 'win32' ? ['PATH', 'SYSTEMROOT', 'USERPROFILE', 'TEMP', 'TMP', 'HOME'] : ['PATH', 'HOME'];
  for (const k of base) {
    const v = parent[k];
    if (v !== undefined) env[k] = v;
  }
  for (const { name, value } of t.env) {
    if (!ENV_NAME.test(name)) return { problem: `env ${quote(name, 40)} is not a valid variable name` };
    const f = fill(value, parent);
    if (f.value === undefined) return { problem: `env ${quote(name, 40)}: ${f.problem ?? 'cannot be filled'}` };
    env[name] = f.value;
  }
  return { env };
}

/** Does a process group still have a live (non-zombie) member? */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  // kill(-pgid, 0) also succeeds for zombies that nobody reaps (an orphaned helper in a container
  // whose init does not reap): look at the members' states instead.
  try {
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      } catch {
        continue;
      }
      const m = /\) (\S) \d+ (\d+) /s.exec(stat.slice(stat.lastIndexOf(') ') - 1));
      if (m && Number(m[2]) === pgid && m[1] !== 'Z') return true;
    }
    return false;
  } catch {
    return true;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A promise, or undefined after `ms` if it has not settled by then (the timer does not outlive it). */
async function settleWithin<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** End a server and every process it started: TERM to the group, then KILL after a short grace. */
export async function killTree(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  if (process.platform === 'win32') {
    spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { shell: false, stdio: 'ignore', windowsHide: true });
    return;
  }
  const signal = (s: NodeJS.Signals): void => {
    try {
      process.kill(-pid, s);
    } catch {
      // the group is gone
    }
  };
  signal('SIGTERM');
  for (let i = 0; i < 20 && groupAlive(pid); i++) await sleep(25);
  if (groupAlive(pid)) signal('SIGKILL');
  for (let i = 0; i < 40 && groupAlive(pid); i++) await sleep(25);
}

/** An MCP stdio transport over a server process started without a shell, in its own process group. */
class ProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  child: ChildProcess | undefined;
  private readonly buffer: InstanceType<Sdk['ReadBuffer']>;
  private read = 0;
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly sdk: Sdk,
    private readonly params: { command: string; args: readonly string[]; env: Record<string, string>; cwd: string },
    private readonly spawnFn: SpawnFn,
  ) {
    this.buffer = new sdk.ReadBuffer({ maxBufferSize: 8 * 1024 * 1024 });
  }

  start(): Promise<void> {
    return new Promise((resolveStart, reject) => {
      const child = this.spawnFn(this.params.command, [...this.params.args], {
        env: this.params.env,
        cwd: this.params.cwd,
        shell: false,
        detached: process.platform !== 'win32',
        stdio: ['pipe', 'pipe', 'pipe'],
        windowsHide: true,
      });
      this.child = child;
      child.on('error', (err) => {
        reject(err);
        this.onerror?.(err);
      });
      child.on('spawn', () => resolveStart());
      child.on('close', () => {
        if (!this.closed) this.onclose?.();
      });
      child.stdin?.on('error', (err) => this.onerror?.(err));
      // What the server prints on stderr is not shown: it is untrusted and may be large.
      child.stderr?.resume();
      child.stdout?.on('data', (chunk: Buffer) => {
        this.read += chunk.length;
        if (this.read > MAX_LIVE_BYTES) {
          this.onerror?.(new LiveError(`the server wrote more than ${MAX_LIVE_BYTES} bytes`));
          void this.close();
          return;
        }
        try {
          this.buffer.append(chunk);
          for (;;) {
            const message = this.buffer.readMessage();
            if (message === null) break;
            this.onmessage?.(message);
          }
        } catch (err) {
          this.onerror?.(err instanceof Error ? err : new Error(String(err)));
        }
      });
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolveSend, reject) => {
      const stdin = this.child?.stdin;
      if (!stdin || this.closed) {
        reject(new LiveError('not connected'));
        return;
      }
      if (stdin.write(this.sdk.serializeMessage(message))) resolveSend();
      else stdin.once('drain', () => resolveSend());
    });
  }

  /** Ends the process tree. Every caller (the SDK on a failed connect, our own clean-up) waits for the same end. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      this.buffer.clear();
      if (this.child) {
        this.child.stdin?.destroy();
        this.child.stdout?.destroy();
        this.child.stderr?.destroy();
        await killTree(this.child);
      }
      this.onclose?.();
    })();
    return this.closing;
  }
}

/** fetch for remote servers: no redirects, a deadline, and a cap on the bytes of each response. */
function guardedFetch(signal: AbortSignal, budget: { left: number }): (url: string | URL, init?: RequestInit) => Promise<Response> {
  return async (url, init) => {
    const signals = init?.signal ? [init.signal, signal] : [signal];
    const res = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.any(signals) });
    if (!res.body) return res;
    const counted = res.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          budget.left -= chunk.byteLength;
          if (budget.left < 0) controller.error(new LiveError(`the server sent more than ${MAX_LIVE_BYTES} bytes`));
          else controller.enqueue(chunk);
        },
      }),
    );
    return new Response(counted, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

/** JSON schemas a server sends are data: they are never compiled (the SDK would compile output schemas with ajv). */
const INERT_VALIDATOR = {
  getValidator: () => () => ({ valid: false as const, data: undefined, errorMessage: 'not validated by maestro-tm' }),
};

/** A short, printable reason from any error (server text is quoted, never printed raw). */
function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'the program was not found (check "command" and PATH)';
  if (code === 'EACCES') return 'the program cannot be executed (permission denied)';
  let message = err instanceof Error ? err.message : String(err);
  // fetch failures say only "fetch failed"; the cause says why (a refused redirect, a refused connection).
  const cause = err instanceof Error ? (err.cause as { message?: unknown } | undefined) : undefined;
  if (typeof cause?.message === 'string' && cause.message !== '') message += ` (${cause.message})`;
  return quote(message, 300).slice(1, -1);
}

export interface ListOutcome {
  readonly listing?: RawListing;
  readonly error?: string;
  readonly warnings: string[];
  /** The pid of the stdio server that was started (tests check it is gone). */
  readonly pid?: number;
}

/** Start or reach one server, list what it offers, and end it. Never throws. */
export async function listServer(t: LiveTarget, options: LiveOptions & { sdk: Sdk }): Promise<ListOutcome> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_LIVE_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  const parent = options.parentEnv ?? process.env;
  const warnings: string[] = [];
  if (t.problem !== undefined) return { error: t.problem, warnings };
  const ac = new AbortController();
  let transport: Transport;
  let proc: ProcessTransport | undefined;
  if (t.transport === 'stdio' && t.command !== undefined) {
    const env = launchEnv(t, parent);
    if (env.env === undefined) return { error: env.problem ?? 'the environment cannot be built', warnings };
    const configDir = dirname(resolve(t.file));
    const cwd = t.cwd === undefined ? configDir : isAbsolute(t.cwd) ? t.cwd : resolve(configDir, t.cwd);
    if (!existsSync(cwd)) return { error: `the working folder ${quote(t.cwd ?? cwd, 200)} does not exist`, warnings };
    proc = new ProcessTransport(options.sdk, { command: t.command, args: t.args, env: env.env, cwd }, options.spawnFn ?? spawn);
    transport = proc;
  } else if (t.url !== undefined) {
    const headers: Record<string, string> = {};
    for (const h of t.headers) {
      const f = fill(h.value, parent);
      if (f.value === undefined) return { error: `header ${quote(h.name, 40)}: ${f.problem ?? 'cannot be filled'}`, warnings };
      headers[h.name] = f.value;
    }
    const fetchFn = guardedFetch(ac.signal, { left: MAX_LIVE_BYTES });
    const url = new URL(t.url);
    transport =
      t.transport === 'sse'
        ? new options.sdk.SSEClientTransport(url, { requestInit: { headers }, fetch: fetchFn })
        : new options.sdk.StreamableHTTPClientTransport(url, { requestInit: { headers }, fetch: fetchFn, reconnectionOptions: { maxReconnectionDelay: 1000, initialReconnectionDelay: 1000, reconnectionDelayGrowFactor: 1, maxRetries: 0 } });
  } else {
    return { error: 'neither a command nor a url', warnings };
  }

  const client = new options.sdk.Client({ name: 'maestro-tm', version: '1' }, { capabilities: {}, jsonSchemaValidator: INERT_VALIDATOR });
  client.onerror = () => {
    // Protocol noise from the server (bad lines, stray messages) is ignored; the deadline bounds it.
  };
  const left = (): number => Math.max(1, deadline - Date.now());
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  const expired = new Promise<never>((_r, reject) => {
    ac.signal.addEventListener('abort', () => reject(new LiveError(`no answer within ${Math.round(timeoutMs / 100) / 10} s: the server was stopped`)), { once: true });
  });
  expired.catch(() => undefined);
  const within = <T>(p: Promise<T>): Promise<T> => Promise.race([p, expired]);
  try {
    await within(client.connect(transport, { signal: ac.signal, timeout: left() }));
    const caps = client.getServerCapabilities() ?? {};
    const page = async <T>(what: string, fn: (cursor: string | undefined) => Promise<{ items: T[]; next?: string | undefined }>): Promise<T[]> => {
      const all: T[] = [];
      let cursor: string | undefined;
      const seen = new Set<string>();
      for (let i = 0; i < MAX_PAGES; i++) {
        let r: { items: T[]; next?: string | undefined };
        try {
          r = await within(fn(cursor));
        } catch (err) {
          if (ac.signal.aborted) throw err;
          warnings.push(`listing ${what} failed: ${reason(err)}`);
          break;
        }
        all.push(...r.items);
        if (r.next === undefined || seen.has(r.next) || all.length > 1_000) break;
        seen.add(r.next);
        cursor = r.next;
      }
      return all;
    };
    const opts = (): { signal: AbortSignal; timeout: number } => ({ signal: ac.signal, timeout: left() });
    const tools = caps.tools ? await page('tools', async (cursor) => { const r = await client.listTools(cursor === undefined ? {} : { cursor }, opts()); return { items: r.tools, next: r.nextCursor }; }) : [];
    const prompts = caps.prompts ? await page('prompts', async (cursor) => { const r = await client.listPrompts(cursor === undefined ? {} : { cursor }, opts()); return { items: r.prompts, next: r.nextCursor }; }) : [];
    const resources = caps.resources ? await page('resources', async (cursor) => { const r = await client.listResources(cursor === undefined ? {} : { cursor }, opts()); return { items: r.resources, next: r.nextCursor }; }) : [];
    const info = client.getServerVersion();
    const instructions = client.getInstructions();
    return {
      listing: { serverInfo: info, instructions, tools, prompts, resources },
      warnings,
      ...(proc?.child?.pid !== undefined ? { pid: proc.child.pid } : {}),
    };
  } catch (err) {
    return { error: ac.signal.aborted ? `no answer within ${Math.round(timeoutMs / 100) / 10} s: the server was stopped` : reason(err), warnings, ...(proc?.child?.pid !== undefined ? { pid: proc.child.pid } : {}) };
  } finally {
    clearTimeout(timer);
    ac.abort();
    try {
      await settleWithin(client.close(), 3000);
    } catch {
      // closing a broken connection
    }
    // The process group is ended whatever happened above (close() may not have run if connect failed early).
    if (proc) await proc.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// The import step: lock file, live listing, model

/** Ask on the terminal whether to start a server; undefined when stdin is not a terminal. */
export function ttyConfirm(write: (text: string) => void): ((t: LiveTarget) => Promise<boolean>) | undefined {
  if (!process.stdin.isTTY) return undefined;
  return async (t) => {
    const { createInterface } = await import('node:readline/promises');
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      write(`MCP server ${quote(t.name, 60)} (${t.file}:${t.line}) would be ${t.transport === 'stdio' ? 'started as you, with PATH, HOME and its declared env' : 'contacted over the network'}:\n  ${t.shown}`);
      const answer = await rl.question('List its tools, prompts and resources? [y/N] ');
      return /^y(es)?$/i.test(answer.trim());
    } finally {
      rl.close();
    }
  };
}

function where(t: LiveTarget): { line: number; pointer: string } {
  return { line: t.line, pointer: t.pointer };
}

/** `<config>.mcp-lock.json`, or the --lock file. */
export function lockPathFor(config: string, lock: string | undefined): string {
  return lock ?? `${config}.mcp-lock.json`;
}

/**
 * After a static import: read each configuration's lock file (offline) and, with `--live`, inspect the
 * chosen servers, compare with the lock, update the lock file, and put the listings in the model.
 * Returns the import result with the model, diagnostics and notes extended. Never throws.
 */
export async function withMcpLive(result: ImportResult, inputs: readonly ImportInput[], options: LiveOptions = {}): Promise<ImportResult> {
  if (!result.model) return result;
  const model = result.model;
  const diagnostics: Diagnostic[] = [...result.diagnostics];
  const notes: ImportNote[] = [...result.notes];
  const imported = new Set((model.mcpServers ?? []).filter((s) => s.importedFrom?.format === 'mcp').map((s) => `${s.importedFrom?.file ?? ''}\u0000${s.importedFrom?.pointer ?? ''}`));
  const targets = liveTargets(inputs).filter((t) => imported.has(`${t.file}\u0000${t.pointer}`));
  const configs = [...new Set(targets.map((t) => t.file))];
  const fail = (d: Diagnostic): ImportResult => ({ ...result, diagnostics: [...diagnostics, d] });

  if (options.lock !== undefined && configs.length > 1) {
    return fail(diag('E_MCP_LOCK_MANY', `--lock names one lock file, but ${configs.length} MCP configurations were imported`, { hint: 'import one configuration at a time with --lock, or leave --lock out to use <config>.mcp-lock.json for each' }));
  }

  // Which servers to inspect (decided before anything starts).
  const chosen = new Set<LiveTarget>();
  if (options.live !== undefined) {
    if (targets.length === 0) return fail(diag('E_MCP_LIVE_NONE', '--live: no MCP server was imported, so there is nothing to inspect', { hint: 'name an MCP client configuration (format mcp)' }));
    if (options.live === true) {
      if (options.confirm === undefined) {
        return fail(
          diag('E_MCP_LIVE_CONFIRM', '--live without server names needs a terminal to confirm each server, and there is none: nothing was started', {
            hint: `name the servers to start: --live ${targets.map((t) => (/^[\w.-]+$/.test(t.name) ? t.name : quote(t.name, 40))).join(' ')}`,
          }),
        );
      }
      for (const t of targets) {
        if (t.disabled) continue;
        if (await options.confirm(t)) chosen.add(t);
      }
    } else {
      const unknown = options.live.filter((n) => !targets.some((t) => t.name === n));
      if (unknown.length > 0) {
        return fail(
          diag('E_MCP_LIVE_UNKNOWN', `--live: no server named ${unknown.map((n) => quote(n, 60)).join(', ')} in the configuration; nothing was started`, {
            hint: `the servers are: ${targets.map((t) => quote(t.name, 60)).join(', ')}`,
          }),
        );
      }
      for (const t of targets) if (options.live.includes(t.name)) chosen.add(t);
    }
  }

  const applied: AppliedListing[] = [];
  let sdk: Sdk | undefined;
  for (const config of configs) {
    const lockFile = lockPathFor(config, options.lock);
    const mine = targets.filter((t) => t.file === config);
    // Read the lock.
    let lock: LockFile | undefined;
    let broken = false;
    // The lock as read (undefined when absent or unreadable): compared with the new one before writing.
    let lockText: string | undefined;
    if (existsSync(lockFile)) {
      let text: string | undefined;
      try {
        if (statSync(lockFile).size > MAX_LOCK_BYTES) diagnostics.push({ ...diag('E_MCP_LOCK', `the lock file is larger than ${MAX_LOCK_BYTES} bytes`, { hint: 'delete it and run again with --live' }), file: lockFile });
        else text = readFileSync(lockFile, 'utf8');
        lockText = text;
      } catch (err) {
        diagnostics.push({ ...diag('E_MCP_LOCK', `the lock file cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { hint: 'check its permissions' }), file: lockFile });
      }
      if (text !== undefined) {
        const parsed = parseLockFile(text, lockFile);
        diagnostics.push(...parsed.diagnostics);
        if (parsed.diagnostics.some((d) => d.severity === 'error') || !parsed.lock) broken = true;
        else lock = parsed.lock;
      } else broken = true;
    }
    const locked = new Map<string, ServerLock>((lock?.servers ?? []).map((s) => [s.name, s]));
    for (const name of locked.keys()) {
      if (!mine.some((t) => t.name === name)) {
        diagnostics.push({ ...diag('W_MCP_LOCK_STALE', `the lock file has server ${quote(name, 60)}, which the configuration ${quote(config, 200)} no longer lists`, { hint: 'remove it from the lock file if the server was removed on purpose', severity: 'warning' }), file: lockFile });
      }
    }
    const next = new Map(locked);
    let listed = 0;
    for (const t of mine) {
      const held = locked.get(t.name);
      if (!chosen.has(t)) {
        if (held) applied.push({ file: t.file, pointer: t.pointer, name: t.name, line: t.line, listing: held, lockedHash: held.sha256, lockFile, source: 'lock', changes: [] });
        continue;
      }
      if (sdk === undefined) {
        try {
          sdk = await loadSdk();
        } catch (err) {
          return fail(diag('E_MCP_SDK', err instanceof Error ? err.message : 'the MCP SDK cannot be loaded', { hint: 'install it, or import without --live' }));
        }
      }
      options.progress?.(`${t.file}:${t.line}: inspecting MCP server ${quote(t.name, 60)}: ${t.shown}`);
      const outcome = await listServer(t, { ...options, sdk });
      for (const w of outcome.warnings) diagnostics.push({ ...diag('W_MCP_LIVE', `server ${quote(t.name, 60)}: ${w}`, { ...where(t), severity: 'warning' }), file: t.file });
      if (!outcome.listing) {
        diagnostics.push({ ...diag('E_MCP_LIVE', `server ${quote(t.name, 60)} could not be listed: ${outcome.error ?? 'unknown error'}`, { hint: held ? 'the locked definitions are used instead' : 'check that it starts by hand, or import without --live', ...where(t) }), file: t.file });
        if (held) applied.push({ file: t.file, pointer: t.pointer, name: t.name, line: t.line, listing: held, lockedHash: held.sha256, lockFile, source: 'lock', changes: [] });
        continue;
      }
      listed++;
      const built = buildServerLock(t.name, outcome.listing);
      for (const w of built.warnings) diagnostics.push({ ...diag(w.code, w.message, { ...where(t), severity: 'warning', hint: 'the rest of the listing is used' }), file: t.file });
      const fresh = built.lock;
      const changes = held ? compareLocks(held, fresh) : [];
      const keep = held !== undefined && changes.length > 0 && options.updateLock !== true;
      next.set(t.name, keep ? held : fresh);
      applied.push({ file: t.file, pointer: t.pointer, name: t.name, line: t.line, listing: fresh, lockedHash: keep ? held.sha256 : fresh.sha256, lockFile, source: 'live', changes: keep ? changes : [] });
      if (held && changes.length > 0 && options.updateLock === true) {
        notes.push({ code: 'I_MCP_LOCK_UPDATED', message: `server ${quote(t.name, 60)}: ${changes.length} changed definition${changes.length === 1 ? '' : 's'} accepted into the lock (--update-lock)`, file: t.file, line: t.line, pointer: t.pointer });
      }
    }
    if (listed > 0) {
      if (broken) {
        diagnostics.push({ ...diag('E_MCP_LOCK', 'the lock file is not valid, so it was not updated with what the servers listed', { hint: 'fix or delete it, then run again with --live' }), file: lockFile });
      } else {
        const text = renderLockFile({ servers: [...next.values()] });
        if (lockText !== text) {
          try {
            writeFileAtomic(lockFile, text);
            options.progress?.(`wrote ${lockFile}: review the listed definitions and commit it`);
          } catch (err) {
            diagnostics.push({ ...diag('E_MCP_LOCK', `the lock file could not be written (${err instanceof Error ? err.message : 'error'})`, { hint: 'check the folder permissions, or name another file with --lock' }), file: lockFile });
          }
        }
      }
    }
  }

  if (applied.length === 0) return { ...result, diagnostics, notes };
  const out = applyListings(model, applied);
  diagnostics.push(...out.diagnostics);
  notes.push(...out.notes);
  const problems = validateData(out.model).filter((d) => d.severity === 'error');
  if (problems.length > 0) {
    diagnostics.push(diag('E_IMPORT_INVALID_MODEL', `the model with the listed tools does not validate (first: ${problems[0]?.code ?? ''} at ${problems[0]?.pointer ?? ''}); the listings were left out. This is a bug: please report it`, { hint: 'the model is written without the listings' }));
    return { ...result, diagnostics, notes };
  }
  return { ...result, model: out.model, diagnostics, notes };
}
