/**
 * `maestro-tm serve` as a user runs it (the built CLI, `npm run build` first): prints a 127.0.0.1 URL
 * with a token, answers the API with the token only, runs the analysis in a worker thread (the
 * server answers other requests meanwhile), stops cleanly on SIGTERM; an invalid model is refused
 * with diagnostics and exit code 2.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXPENSE, ROOT, raw } from './_support.js';

const bin = `${ROOT}bin/maestro-tm.js`;
let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = undefined;
});

/** Start `serve` and wait for the URL line. */
function start(model: string): Promise<{ port: number; token: string; out: () => string }> {
  const proc = spawn(process.execPath, [bin, 'serve', model, '--no-open'], { env: { ...process.env, NO_COLOR: '1' } });
  child = proc;
  let out = '';
  proc.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  proc.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 20_000);
    const check = () => {
      const m = /open http:\/\/127\.0\.0\.1:(\d+)\/#token=([A-Za-z0-9_-]+)/.exec(out);
      if (m?.[1] && m[2]) {
        clearTimeout(timer);
        resolve({ port: Number(m[1]), token: m[2], out: () => out });
      }
    };
    proc.stdout.on('data', check);
    proc.on('exit', () => reject(new Error(`serve exited: ${out}`)));
  });
}

describe('maestro-tm serve (built CLI)', () => {
  it('says at the start, with file and line, that the tracking sidecar beside the model is invalid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtm-serve-'));
    const model = join(dir, 'model.yaml');
    copyFileSync(EXPENSE, model);
    writeFileSync(join(dir, 'model.tracking.yaml'), 'version: 1\nfindings:\n  "x@y":\n    status: bogus\n');
    const { out } = await start(model);
    expect(out()).toMatch(/model\.tracking\.yaml:4:\d+ +E_TRACKING_STATUS/);
    expect(out()).toContain('invalid tracking file');
  });

  it('serves on 127.0.0.1 with a token, analyses in a worker while answering, stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtm-serve-'));
    const model = join(dir, 'model.yaml');
    copyFileSync(EXPENSE, model);
    const { port, token } = await start(model);
    expect((await raw(port, { path: '/api/state' })).status).toBe(401);
    // The analysis runs in the worker: a cheap call started after it answers before it.
    const order: string[] = [];
    const analysis = raw(port, { path: '/api/analysis', headers: { 'X-Maestro-Token': token } }).then((r) => {
      order.push('analysis');
      return r;
    });
    const state = raw(port, { path: '/api/state', headers: { 'X-Maestro-Token': token } }).then((r) => {
      order.push('state');
      return r;
    });
    const [a, st] = await Promise.all([analysis, state]);
    expect(st.status).toBe(200);
    expect(a.status).toBe(200);
    expect((a.json()['findings'] as unknown[]).length).toBeGreaterThan(10);
    expect(order).toEqual(['state', 'analysis']);
    const proc = child;
    const exited = new Promise<number | null>((resolve) => proc?.on('exit', (code) => resolve(code)));
    proc?.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);

  it('refuses an invalid model with its diagnostics and exit code 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtm-serve-'));
    const model = join(dir, 'bad.yaml');
    writeFileSync(model, 'version: "1.0"\nsystem:\n  name: x\nagents:\n  - id: a\n    models: [nope]\n');
    const r = spawnSync(process.execPath, [bin, 'serve', model, '--no-open'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:6:14 {2}E_UNKNOWN_REF/);
    expect(r.stderr).toContain('not served');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const port = spawnSync(process.execPath, [bin, 'serve', model, '--port', '99999'], { encoding: 'utf8', timeout: 30_000 });
    expect(port.status).toBe(2);
  });
});
