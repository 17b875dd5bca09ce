/** Helpers for the web UI tests: a served copy of a model in a temp dir, raw HTTP with any headers. */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { inlineAnalyser } from '../../src/web/analyser.js';
import { startServer, type UiServer } from '../../src/web/server.js';
import { openSession, type Session } from '../../src/web/session.js';

export const ROOT = new URL('../../', import.meta.url).pathname;
export const EXPENSE = `${ROOT}examples/expense-reimbursement.yaml`;
export const HOSTILE = `${ROOT}test/fixtures/hostile-text.yaml`;

export interface Served {
  readonly server: UiServer;
  readonly session: Session;
  readonly path: string;
  readonly dir: string;
}

/** Copy `model` into a fresh temp dir and serve it (analysis in process, no disk polling). */
export async function serveCopy(model: string, extra: { launchMs?: number } = {}): Promise<Served> {
  const dir = mkdtempSync(join(tmpdir(), 'mtm-web-'));
  const path = join(dir, basename(model));
  copyFileSync(model, path);
  const session = openSession(path);
  if (typeof session === 'string') throw new Error(session);
  const server = await startServer({ session, analyser: inlineAnalyser(), pollMs: 0, ...extra });
  return { server, session, path, dir };
}

export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  json(): Record<string, unknown>;
}

export interface Req {
  readonly method?: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}

/** A raw request to 127.0.0.1:port: every header (Host included) is exactly what the test says. */
export function raw(port: number, r: Req): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: r.method ?? 'GET', path: r.path, headers: { Host: `127.0.0.1:${port}`, ...r.headers }, setHost: false, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as Record<string, unknown> });
      });
    });
    req.on('error', reject);
    if (r.body !== undefined) req.write(r.body);
    req.end();
  });
}

/** An API call as the UI makes it: the token, the page's origin, JSON. */
export function call(s: UiServer, method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<Reply> {
  const headers: Record<string, string> = { 'X-Maestro-Token': s.token, Origin: `http://127.0.0.1:${s.port}`, ...extra };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return raw(s.port, { method, path, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
}
