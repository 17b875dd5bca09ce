/**
 * `maestro-tm serve`: a node:http server for the local web UI, bound to 127.0.0.1 only.
 *
 * Every request: Host must be 127.0.0.1:PORT or localhost:PORT (else 421, against DNS rebinding);
 * strict CSP and security headers. Every API call: the per-launch token in `X-Maestro-Token`
 * (compared in constant time; else 401); a foreign Origin or cross-site fetch metadata is refused
 * (403); bodies are JSON (415), capped (413). The URL path is matched against a fixed table: no
 * path from a request ever reaches the file system, and no endpoint starts a process. Analyses run
 * in a worker thread (src/web/analyser.ts).
 */
import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Analyser } from './analyser.js';
import { formSchema, type EditOp, type Job, type JobResult, type View } from './jobs.js';
import { Session } from './session.js';
import { isRecord } from '../model/references.js';

export const MAX_BODY = 1024 * 1024;

export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  'Cache-Control': 'no-store',
};

interface Asset {
  readonly type: string;
  readonly body: Buffer;
}

function loadAssets(): Map<string, Asset> {
  const read = (name: string) => readFileSync(new URL(`./static/${name}`, import.meta.url));
  return new Map<string, Asset>([
    ['/', { type: 'text/html; charset=utf-8', body: read('index.html') }],
    ['/app.js', { type: 'text/javascript; charset=utf-8', body: read('app.js') }],
    ['/app.css', { type: 'text/css; charset=utf-8', body: read('app.css') }],
  ]);
}

export interface ServerOptions {
  readonly session: Session;
  readonly analyser: Analyser;
  /** 0 (default) picks a free port. */
  readonly port?: number | undefined;
  /** How often the model file is checked for changes on disk, in ms (default 1000; 0 = never). */
  readonly pollMs?: number | undefined;
  readonly maxBody?: number | undefined;
  /** How long the launch code stays valid, in ms (default LAUNCH_MS). */
  readonly launchMs?: number | undefined;
}

export interface UiServer {
  readonly port: number;
  readonly token: string;
  /** The URL to open: the token rides in the fragment, which browsers never send. */
  readonly url: string;
  /**
   * The URL to hand to another program (the browser opener): a one-time launch code in the fragment,
   * which the page trades for the token once (POST /api/launch), within LAUNCH_MS of the start. A
   * command line is visible to other local users; a spent code opens nothing.
   */
  readonly launchUrl: string;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}


function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage, max: number): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (!/^application\/json(\s*;|$)/.test(type)) return Promise.reject(new HttpError(415, 'send the body as JSON (Content-Type: application/json)'));
  const declared = Number(req.headers['content-length'] ?? '0');
  if (Number.isFinite(declared) && declared > max) return Promise.reject(new HttpError(413, `the body is larger than ${max} bytes`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        over = true;
        chunks.length = 0;
        // Keep draining (so the client reads the answer) but stop after a while.
        if (size > 16 * max) req.destroy();
        return;
      }
      if (!over) chunks.push(c);
    });
    req.on('error', () => reject(new HttpError(400, 'the request body could not be read')));
    req.on('end', () => {
      if (over) return reject(new HttpError(413, `the body is larger than ${max} bytes`));
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
      } catch {
        reject(new HttpError(400, 'the body is not valid JSON'));
      }
    });
  });
}

const str = (v: unknown, name: string, max = 300): string => {
  if (typeof v !== 'string' || v.length === 0 || v.length > max) throw new HttpError(400, `${name}: expected a non-empty string of at most ${max} characters`);
  return v;
};

/** Does request header `name` hold the secret whose SHA-256 is `digest`? Compared in constant time. */
function headerMatches(req: IncomingMessage, name: string, digest: Buffer): boolean {
  const given = req.headers[name];
  if (typeof given !== 'string' || given.length === 0 || given.length > 200) return false;
  return timingSafeEqual(createHash('sha256').update(given).digest(), digest);
}

/** How long the one-time launch code of `launchUrl` stays valid after the start. */
export const LAUNCH_MS = 120_000;

/** Start the server. Resolves once it listens. */
export async function startServer(options: ServerOptions): Promise<UiServer> {
  const { session, analyser } = options;
  const maxBody = options.maxBody ?? MAX_BODY;
  const token = randomBytes(32).toString('base64url');
  const tokenDigest = createHash('sha256').update(token).digest();
  const launchCode = randomBytes(32).toString('base64url');
  const launchDigest = createHash('sha256').update(launchCode).digest();
  let launchLeft = true;
  const launchUntil = Date.now() + (options.launchMs ?? LAUNCH_MS);
  const assets = loadAssets();
  let port = 0;
  let hosts = new Set<string>();
  let origins = new Set<string>();

  // One analysis per revision, shared by every request that asks for it.
  let viewCache: { revision: number; promise: Promise<JobResult> } | undefined;
  const currentView = (): Promise<JobResult> => {
    if (viewCache?.revision !== session.revision) {
      const job: Job = { type: 'view', input: session.input() };
      const promise = analyser.run(job);
      promise.catch(() => undefined);
      viewCache = { revision: session.revision, promise };
    }
    return viewCache.promise;
  };
  let dataCache: { revision: number; promise: Promise<JobResult> } | undefined;
  const currentData = (): Promise<JobResult> => {
    if (dataCache?.revision !== session.revision) {
      const promise = analyser.run({ type: 'data', input: session.input() });
      promise.catch(() => undefined);
      dataCache = { revision: session.revision, promise };
    }
    return dataCache.promise;
  };
  // Edits run one after another, each on the text the previous one left.
  let editQueue: Promise<unknown> = Promise.resolve();
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const next = editQueue.then(f, f);
    editQueue = next.catch(() => undefined);
    return next;
  };

  /** The launch code, once: true for the first request that presents it in time, false ever after. */
  const launchOk = (req: IncomingMessage): boolean => {
    if (!launchLeft || Date.now() > launchUntil || !headerMatches(req, 'x-maestro-launch', launchDigest)) return false;
    launchLeft = false;
    return true;
  };

  const tokenOk = (req: IncomingMessage): boolean => headerMatches(req, 'x-maestro-token', tokenDigest);

  const applyEdit = (ops: readonly EditOp[]) =>
    serial(async () => {
      const before = session.text;
      const result = await analyser.run({ type: 'edit', input: session.input(), ops, preview: false });
      if (!result.ok) throw new HttpError(result.status, result.message, result.diagnostics ? { diagnostics: result.diagnostics } : {});
      if (!('text' in result)) throw new HttpError(500, 'unexpected answer from the analysis');
      if (session.text !== before) throw new HttpError(409, 'the model changed while the edit was made: try again');
      session.setWorking(result.text);
      return { ok: true, revision: session.revision, dirty: session.dirty };
    });

  const api = async (method: string, path: string, query: URLSearchParams, req: IncomingMessage): Promise<unknown> => {
    const route = `${method} ${path}`;
    switch (route) {
      case 'GET /api/state':
        return { revision: session.revision, dirty: session.dirty, diskChanged: session.diskChanged, file: session.file };
      case 'GET /api/model': {
        const revision = session.revision;
        const dirty = session.dirty;
        const r = await currentData();
        if (!r.ok) throw new HttpError(r.status, r.message, r.diagnostics ? { diagnostics: r.diagnostics } : {});
        if (!('data' in r)) throw new HttpError(500, 'unexpected answer from the analysis');
        return { revision, file: session.file, format: session.format, dirty, data: r.data, schema: formSchema() };
      }
      case 'GET /api/analysis': {
        const revision = session.revision;
        const v = await currentView();
        if (!v.ok) throw new HttpError(v.status, v.message, v.diagnostics ? { diagnostics: v.diagnostics } : {});
        return { revision, dirty: session.dirty, ...(v as View) };
      }
      case 'GET /api/element': {
        const id = str(query.get('id'), 'id', 128);
        const r = await analyser.run({ type: 'detail', input: session.input(), element: id });
        if (!r.ok) throw new HttpError(r.status, r.message);
        return r;
      }
      case 'POST /api/what-if': {
        const body = await readBody(req, maxBody);
        const ops = whatIfOps(body);
        const r = await analyser.run({ type: 'edit', input: session.input(), ops, preview: true });
        if (!r.ok) throw new HttpError(r.status, r.message, r.diagnostics ? { diagnostics: r.diagnostics } : {});
        if (!('preview' in r)) throw new HttpError(500, 'unexpected answer from the analysis');
        return { ok: true, preview: r.preview };
      }
      case 'PUT /api/element': {
        const body = await readBody(req, maxBody);
        if (!isRecord(body)) throw new HttpError(400, 'expected {"id": ..., "set": {...}, "unset": [...]}');
        const set = body['set'] ?? {};
        const unset = body['unset'] ?? [];
        if (!isRecord(set) || !Array.isArray(unset) || !unset.every((u) => typeof u === 'string')) throw new HttpError(400, '"set" must be an object and "unset" a list of field names');
        return applyEdit([{ op: 'set-fields', element: str(body['id'], 'id', 128), set, unset }]);
      }
      case 'POST /api/control': {
        const body = await readBody(req, maxBody);
        if (!isRecord(body)) throw new HttpError(400, 'expected {"action": "add" | "remove", ...}');
        if (body['action'] === 'add') {
          const name = typeof body['name'] === 'string' ? body['name'] : undefined;
          return applyEdit([{ op: 'add-control', pattern: str(body['pattern'], 'pattern', 64), element: str(body['element'], 'element', 128), name }]);
        }
        if (body['action'] === 'remove') return applyEdit([{ op: 'remove-control', id: str(body['id'], 'id', 128) }]);
        throw new HttpError(400, '"action" must be "add" or "remove"');
      }
      case 'POST /api/tracking': {
        const body = await readBody(req, maxBody);
        if (!isRecord(body)) throw new HttpError(400, 'expected {"finding": ..., "status": ..., "reason": ...}');
        const reason = typeof body['reason'] === 'string' && body['reason'].trim() !== '' ? body['reason'] : undefined;
        const r = session.setTracking(str(body['finding'], 'finding', 300), str(body['status'], 'status', 40), reason);
        if (r.status !== 200) throw new HttpError(r.status, r.message);
        return { ok: true, message: r.message, revision: session.revision };
      }
      case 'POST /api/save': {
        await readBody(req, maxBody);
        return serial(() => {
          const r = session.save();
          if (r.status !== 200) throw new HttpError(r.status, r.message);
          return Promise.resolve({ ok: true, saved: r.saved, message: r.message, revision: session.revision });
        });
      }
      case 'POST /api/reload': {
        await readBody(req, maxBody);
        return serial(() => {
          const r = session.reload();
          if (!r.ok) throw new HttpError(422, r.message);
          return Promise.resolve({ ok: true, revision: session.revision });
        });
      }
      default:
        throw new HttpError(API_PATHS.has(path) ? 405 : 404, API_PATHS.has(path) ? `${method} is not allowed on ${path}` : 'no such endpoint');
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // A refusal answers before the body is read: close the connection so no unread bytes remain.
    const refuse = (status: number, message: string) => {
      res.setHeader('Connection', 'close');
      send(res, status, { ok: false, message });
    };
    const method = req.method ?? 'GET';
    const host = req.headers.host;
    if (host === undefined || !hosts.has(host.toLowerCase())) {
      return refuse(421, `this server answers only to http://127.0.0.1:${port}/ (the Host header was not that)`);
    }
    const raw = req.url ?? '/';
    if (!raw.startsWith('/')) return refuse(400, 'bad request target');
    const q = raw.indexOf('?');
    const path = q < 0 ? raw : raw.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    const foreign = (origin !== undefined && !origins.has(origin)) || (typeof site === 'string' && site !== 'same-origin' && site !== 'none');
    if (!path.startsWith('/api/')) {
      const asset = assets.get(path);
      if (!asset) return refuse(404, 'not found');
      if (method !== 'GET' && method !== 'HEAD') return refuse(405, 'only GET');
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': asset.type, 'Content-Length': asset.body.length });
      res.end(method === 'HEAD' ? undefined : asset.body);
      return;
    }
    if (foreign) return refuse(403, 'requests from other origins are refused');
    if (path === '/api/launch') {
      if (method !== 'POST') return refuse(405, 'only POST');
      if (!launchOk(req)) return refuse(401, 'this launch link was already used, has expired, or is wrong: open the URL that maestro-tm serve printed');
      send(res, 200, { token });
      return;
    }
    if (!tokenOk(req)) return refuse(401, 'missing or wrong token: open the URL that maestro-tm serve printed');
    try {
      const body = await api(method, path, query, req);
      send(res, 200, body);
    } catch (err) {
      if (err instanceof HttpError) {
        if (!req.complete) res.setHeader('Connection', 'close');
        send(res, err.status, { ok: false, message: err.message, ...err.extra });
      } else {
        send(res, 500, { ok: false, message: err instanceof Error ? err.message : String(err) });
      }
    }
  };

  const server: Server = createServer({ maxHeaderSize: 16 * 1024 }, (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { ok: false, message: 'internal error' });
      else res.destroy();
    });
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 600_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  origins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  const pollMs = options.pollMs ?? 1000;
  const timer =
    pollMs > 0
      ? setInterval(() => {
          try {
            session.poll();
          } catch {
            /* the next poll tries again */
          }
        }, pollMs)
      : undefined;
  timer?.unref();
  // Start the first analysis at once, so the page finds it ready.
  void currentView();

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/#token=${token}`,
    launchUrl: `http://127.0.0.1:${port}/#launch=${launchCode}`,
    async close() {
      if (timer) clearInterval(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await analyser.close();
    },
  };
}

const API_PATHS = new Set(['/api/state', '/api/model', '/api/analysis', '/api/element', '/api/what-if', '/api/control', '/api/tracking', '/api/save', '/api/reload']);

function whatIfOps(body: unknown): EditOp[] {
  if (!isRecord(body)) throw new HttpError(400, 'expected {"add": [{"pattern", "element"}], "remove": ["control id"]}');
  const ops: EditOp[] = [];
  const add = body['add'] ?? [];
  const remove = body['remove'] ?? [];
  if (!Array.isArray(add) || !Array.isArray(remove)) throw new HttpError(400, '"add" and "remove" must be lists');
  for (const a of add) {
    if (!isRecord(a)) throw new HttpError(400, 'each "add" item is {"pattern": ..., "element": ...}');
    ops.push({ op: 'add-control', pattern: str(a['pattern'], 'pattern', 64), element: str(a['element'], 'element', 128) });
  }
  for (const r of remove) ops.push({ op: 'remove-control', id: str(r, 'remove', 128) });
  if (ops.length === 0) throw new HttpError(400, 'nothing to preview: add or remove a control');
  return ops;
}
