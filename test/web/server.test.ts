/**
 * Issue 7, acceptance 2 (and the server half of 1 and 3): the local UI server refuses forged Host,
 * foreign Origin, missing or wrong tokens, oversized and non-JSON bodies, and any path outside its
 * fixed table; it sends its security headers on every answer; edits are validated before anything
 * changes; save keeps comments and refuses when the file changed on disk; tracking writes the
 * sidecar; hostile model text comes back as JSON data only.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadModelFile } from '../../src/io/files.js';
import { loadCatalogue } from '../../src/io/catalogue.js';
import { resolveModel } from '../../src/model/resolve.js';
import { analyse } from '../../src/engine/analyse.js';
import { RULES } from '../../src/rules/index.js';
import { CSP } from '../../src/web/server.js';
import { EXPENSE, HOSTILE, call, raw, serveCopy, type Served } from './_support.js';

let served: Served[] = [];
async function serve(model: string, extra: { launchMs?: number } = {}): Promise<Served> {
  const s = await serveCopy(model, extra);
  served.push(s);
  return s;
}
afterEach(async () => {
  for (const s of served) await s.server.close();
  served = [];
});

function residualOf(path: string): number {
  const res = loadModelFile(path);
  if (!res.model) throw new Error(`invalid: ${res.diagnostics.map((d) => d.message).join('; ')}`);
  return analyse(resolveModel(res.model), loadCatalogue().catalogue, RULES).analysis.risk.residualTotal;
}

describe('web UI server: refusals', () => {
  it('answers only to Host 127.0.0.1:PORT or localhost:PORT (421 otherwise), static files included', async () => {
    const { server } = await serve(EXPENSE);
    const p = server.port;
    for (const host of ['evil.example', `evil.example:${p}`, `127.0.0.1:${p + 1}`, `localhost.evil.example:${p}`, `127.0.0.1`, `[::1]:${p}`, `0.0.0.0:${p}`]) {
      for (const path of ['/', '/app.js', '/api/state']) {
        const r = await raw(p, { path, headers: { Host: host, 'X-Maestro-Token': server.token } });
        expect(r.status, `${host} ${path}`).toBe(421);
        expect(r.headers['content-security-policy']).toBe(CSP);
      }
    }
    expect((await raw(p, { path: '/', headers: { Host: `localhost:${p}` } })).status).toBe(200);
    expect((await raw(p, { path: '/api/state', headers: { Host: `localhost:${p}`, 'X-Maestro-Token': server.token } })).status).toBe(200);
  });

  it('trades the one-time launch code of the browser link for the token once, same origin only', async () => {
    const { server } = await serve(EXPENSE);
    const p = server.port;
    const code = /#launch=([A-Za-z0-9_-]+)$/.exec(server.launchUrl)?.[1] ?? '';
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(server.launchUrl).not.toContain(server.token);
    const launch = (headers: Record<string, string>, method = 'POST') => raw(p, { method, path: '/api/launch', headers });
    expect((await launch({ 'X-Maestro-Launch': code }, 'GET')).status).toBe(405);
    expect((await launch({ 'X-Maestro-Launch': code, Origin: 'http://evil.example' })).status).toBe(403);
    expect((await launch({ 'X-Maestro-Launch': code, 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    const wrong = code.slice(0, -1) + (code.endsWith('A') ? 'B' : 'A');
    for (const c of [wrong, '', code.slice(0, 10), server.token]) expect((await launch({ 'X-Maestro-Launch': c })).status, c).toBe(401);
    expect((await launch({})).status).toBe(401);
    // Refusals above did not spend it; the first right one does.
    const ok = await launch({ 'X-Maestro-Launch': code, Origin: `http://127.0.0.1:${p}` });
    expect(ok.status).toBe(200);
    expect(ok.json()['token']).toBe(server.token);
    expect((await launch({ 'X-Maestro-Launch': code })).status).toBe(401);
    // The launch code is no token.
    expect((await raw(p, { path: '/api/state', headers: { 'X-Maestro-Token': code } })).status).toBe(401);
  });

  it('a launch code not used in time is refused', async () => {
    const { server } = await serve(EXPENSE, { launchMs: 0 });
    const code = /#launch=([A-Za-z0-9_-]+)$/.exec(server.launchUrl)?.[1] ?? '';
    await new Promise((r) => setTimeout(r, 5));
    expect((await raw(server.port, { method: 'POST', path: '/api/launch', headers: { 'X-Maestro-Launch': code } })).status).toBe(401);
  });

  it('requires the per-launch token on every API call (401), compared whole', async () => {
    const { server } = await serve(EXPENSE);
    const routes: [string, string][] = [
      ['GET', '/api/state'],
      ['GET', '/api/model'],
      ['GET', '/api/analysis'],
      ['GET', '/api/element?id=intake_agent'],
      ['POST', '/api/what-if'],
      ['PUT', '/api/element'],
      ['POST', '/api/control'],
      ['POST', '/api/tracking'],
      ['POST', '/api/save'],
      ['POST', '/api/reload'],
    ];
    const wrong = server.token.slice(0, -1) + (server.token.endsWith('A') ? 'B' : 'A');
    for (const [method, path] of routes) {
      for (const token of [undefined, '', wrong, server.token.slice(0, 10), `${server.token}x`]) {
        const headers: Record<string, string> = { 'Content-Type': 'application/json' };
        if (token !== undefined) headers['X-Maestro-Token'] = token;
        const r = await raw(server.port, { method, path, headers, body: '{}' });
        expect(r.status, `${method} ${path} token=${String(token)}`).toBe(401);
      }
    }
    // The token of one launch is not the token of another.
    const other = await serve(EXPENSE);
    expect(other.server.token).not.toBe(server.token);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await raw(server.port, { path: '/api/state', headers: { 'X-Maestro-Token': other.server.token } })).status).toBe(401);
  });

  it('refuses writes from a foreign Origin or cross-site fetch metadata (403), even with the token', async () => {
    const { server, path } = await serve(EXPENSE);
    const before = readFileSync(path, 'utf8');
    const p = server.port;
    const origins = ['http://evil.example', `http://127.0.0.1:${p + 1}`, `https://127.0.0.1:${p}`, 'null', `http://localhost.evil.example:${p}`];
    for (const origin of origins) {
      for (const [method, route, body] of [
        ['POST', '/api/save', {}],
        ['PUT', '/api/element', { id: 'intake_agent', set: { role: 'pwned' }, unset: [] }],
        ['POST', '/api/control', { action: 'add', pattern: 'human-approval', element: 'intake_agent' }],
        ['POST', '/api/tracking', { finding: 'x@y', status: 'open' }],
      ] as const) {
        const r = await call(server, method, route, body, { Origin: origin });
        expect(r.status, `${origin} ${method} ${route}`).toBe(403);
      }
    }
    const site = await call(server, 'POST', '/api/save', {}, { 'Sec-Fetch-Site': 'cross-site' });
    expect(site.status).toBe(403);
    expect(readFileSync(path, 'utf8')).toBe(before);
    const model = (await call(server, 'GET', '/api/model')).json() as { dirty: boolean };
    expect(model.dirty).toBe(false);
  });

  it('caps the body (413) and wants JSON (415)', async () => {
    const { server } = await serve(EXPENSE);
    const big = JSON.stringify({ id: 'intake_agent', set: { role: 'x'.repeat(1024 * 1024 + 10) }, unset: [] });
    const r = await call(server, 'PUT', '/api/element', JSON.parse(big));
    expect(r.status).toBe(413);
    // Without a Content-Length (chunked), the cap still holds.
    const chunked = await raw(server.port, { method: 'POST', path: '/api/what-if', headers: { 'X-Maestro-Token': server.token, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }, body: big });
    expect(chunked.status).toBe(413);
    const form = await raw(server.port, { method: 'POST', path: '/api/save', headers: { 'X-Maestro-Token': server.token, 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=1' });
    expect(form.status).toBe(415);
    const text = await raw(server.port, { method: 'POST', path: '/api/save', headers: { 'X-Maestro-Token': server.token, 'Content-Type': 'text/plain' }, body: '{}' });
    expect(text.status).toBe(415);
    const bad = await raw(server.port, { method: 'POST', path: '/api/save', headers: { 'X-Maestro-Token': server.token, 'Content-Type': 'application/json' }, body: '{nope' });
    expect(bad.status).toBe(400);
  });

  it('serves only its fixed files: path traversal and other paths are 404, never a file outside', async () => {
    const { server, dir } = await serve(EXPENSE);
    writeFileSync(join(dir, 'secret.txt'), 'TOP-SECRET-CONTENT');
    const attempts = [
      '/../package.json',
      '/..%2fpackage.json',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/app.js/../../package.json',
      '/static/app.js',
      '/src/web/static/app.js',
      '//etc/passwd',
      '/secret.txt',
      '/expense-reimbursement.yaml',
      '/api/../secret.txt',
      '/api/file?path=secret.txt',
      '/api/file?path=/etc/passwd',
      '/index.html',
      '/app.js%00.html',
      '/APP.JS',
    ];
    for (const path of attempts) {
      for (const withToken of [false, true]) {
        const r = await raw(server.port, { path, headers: withToken ? { 'X-Maestro-Token': server.token } : {} });
        expect([401, 404], path).toContain(r.status);
        if (withToken) expect(r.status, path).toBe(404);
        expect(r.text).not.toContain('TOP-SECRET');
        expect(r.text).not.toContain('root:');
        expect(r.text).not.toContain('"devDependencies"');
      }
    }
    // An element id is looked up in the model, never used as a path.
    const el = await call(server, 'GET', `/api/element?id=${encodeURIComponent('../../secret.txt')}`);
    expect(el.status).toBe(404);
    expect(el.text).not.toContain('TOP-SECRET');
  });

  it('sends the security headers and a strict CSP on every answer; no CORS allowance', async () => {
    const { server } = await serve(EXPENSE);
    const answers = [
      await raw(server.port, { path: '/' }),
      await raw(server.port, { path: '/app.js' }),
      await raw(server.port, { path: '/nope' }),
      await raw(server.port, { path: '/api/state' }),
      await call(server, 'GET', '/api/state'),
      await raw(server.port, { method: 'OPTIONS', path: '/api/save', headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST' } }),
    ];
    for (const r of answers) {
      expect(r.headers['content-security-policy']).toBe(CSP);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
      expect(r.headers['access-control-allow-origin']).toBeUndefined();
    }
    expect(CSP).toContain("script-src 'self'");
    expect(CSP).not.toMatch(/unsafe-(inline|eval)/);
    expect(CSP).toContain("trusted-types 'none'");
    expect(answers[5]?.status).toBe(403);
  });
});

describe('web UI server: model, edits, save', () => {
  it('serves the analysis; edits are validated before they apply; save keeps comments and lowers the risk', async () => {
    const { server, path } = await serve(EXPENSE);
    const original = readFileSync(path, 'utf8');
    const view = (await call(server, 'GET', '/api/analysis')).json() as { findings: unknown[]; chains: unknown[]; risk: { residualTotal: number }; graph: { nodes: unknown[] }; elements: { id: string }[] };
    expect(view.findings.length).toBeGreaterThan(10);
    expect(view.chains.length).toBeGreaterThan(0);
    expect(view.graph.nodes.length).toBeGreaterThan(5);
    expect(view.risk.residualTotal).toBe(residualOf(path));

    // An invalid value: refused with the loader's diagnostics, nothing changes.
    const bad = await call(server, 'PUT', '/api/element', { id: 'reimbursement_agent', set: { autonomy: 'reckless' }, unset: [] });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.json()['diagnostics'])).toContain('autonomy');
    const unknown = await call(server, 'PUT', '/api/element', { id: 'no_such_agent', set: { role: 'x' }, unset: [] });
    expect(unknown.status).toBe(404);
    const idEdit = await call(server, 'PUT', '/api/element', { id: 'intake_agent', set: { id: 'renamed' }, unset: [] });
    expect(idEdit.status).toBe(400);
    expect(((await call(server, 'GET', '/api/model')).json() as { dirty: boolean }).dirty).toBe(false);

    // A what-if preview changes nothing but reports the drop.
    const prev = await call(server, 'POST', '/api/what-if', { add: [{ pattern: 'action-selector', element: 'intake_agent' }] });
    expect(prev.status).toBe(200);
    const p = (prev.json() as { preview: { before: { residualTotal: number }; after: { residualTotal: number } } }).preview;
    expect(p.before.residualTotal).toBe(view.risk.residualTotal);
    expect(p.after.residualTotal).toBeLessThan(p.before.residualTotal);
    expect(((await call(server, 'GET', '/api/model')).json() as { dirty: boolean }).dirty).toBe(false);

    // Real edits: a field and a control.
    const ok = await call(server, 'PUT', '/api/element', { id: 'reimbursement_agent', set: { role: 'Checks claims (edited in the UI)' }, unset: [] });
    expect(ok.status, ok.text).toBe(200);
    const ctl = await call(server, 'POST', '/api/control', { action: 'add', pattern: 'action-selector', element: 'intake_agent' });
    expect(ctl.status, ctl.text).toBe(200);
    const after = (await call(server, 'GET', '/api/analysis')).json() as { risk: { residualTotal: number } };
    expect(after.risk.residualTotal).toBe(p.after.residualTotal);
    expect(readFileSync(path, 'utf8')).toBe(original); // not saved yet

    const saved = await call(server, 'POST', '/api/save', {});
    expect(saved.status, saved.text).toBe(200);
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('role: Checks claims (edited in the UI)');
    expect(text).toContain('pattern: action-selector');
    for (const comment of ['# Example model: an RPA-style expense reimbursement agent', '# it moves company money', '# GAP: injected as a plain environment variable in the pod']) expect(text).toContain(comment);
    expect(residualOf(path)).toBeLessThan(residualOf(EXPENSE));
    expect(((await call(server, 'GET', '/api/model')).json() as { dirty: boolean }).dirty).toBe(false);

    // Removing the control takes it and every reference away.
    const rm = await call(server, 'POST', '/api/control', { action: 'remove', id: 'large_payment_approval' });
    expect(rm.status, rm.text).toBe(200);
    expect((await call(server, 'POST', '/api/save', {})).status).toBe(200);
    expect(readFileSync(path, 'utf8')).not.toContain('id: large_payment_approval');
  });

  it('refuses to save (409) when the file changed on disk since it was loaded, and keeps the other change', async () => {
    const { server, session, path } = await serve(EXPENSE);
    expect((await call(server, 'PUT', '/api/element', { id: 'intake_agent', set: { role: 'mine' }, unset: [] })).status).toBe(200);
    const theirs = readFileSync(path, 'utf8').replace('name: Receipt intake agent', 'name: Renamed by someone else');
    writeFileSync(path, theirs);
    const r = await call(server, 'POST', '/api/save', {});
    expect(r.status).toBe(409);
    expect(String(r.json()['message'])).toMatch(/changed on disk/);
    expect(readFileSync(path, 'utf8')).toBe(theirs);
    expect(session.diskChanged).toBe(true);
    // Reload takes the disk version; then a save has nothing to write.
    expect((await call(server, 'POST', '/api/reload', {})).status).toBe(200);
    const data = (await call(server, 'GET', '/api/model')).json() as { dirty: boolean; data: { agents: { name: string }[] } };
    expect(data.dirty).toBe(false);
    expect(data.data.agents[0]?.name).toBe('Renamed by someone else');
  });

  it('picks up a change on disk when there are no unsaved edits', async () => {
    const { server, session, path } = await serve(EXPENSE);
    const rev = session.revision;
    writeFileSync(path, readFileSync(path, 'utf8').replace('name: Receipt intake agent', 'name: Changed on disk'));
    expect(session.poll()).toBe(true);
    expect(session.revision).toBeGreaterThan(rev);
    const state = (await call(server, 'GET', '/api/state')).json();
    expect(state['revision']).toBe(session.revision);
    const data = (await call(server, 'GET', '/api/model')).json() as { data: { agents: { name: string }[] } };
    expect(data.data.agents[0]?.name).toBe('Changed on disk');
  });

  it('sets a tracking status in the sidecar beside the model, with a justification where needed', async () => {
    const { server, dir } = await serve(EXPENSE);
    const view = (await call(server, 'GET', '/api/analysis')).json() as { findings: { id: string; triage: string }[] };
    const id = view.findings[0]?.id ?? '';
    const noWhy = await call(server, 'POST', '/api/tracking', { finding: id, status: 'accepted' });
    expect(noWhy.status).toBe(400);
    const badStatus = await call(server, 'POST', '/api/tracking', { finding: id, status: 'ignored', reason: 'x' });
    expect(badStatus.status).toBe(400);
    const badKey = await call(server, 'POST', '/api/tracking', { finding: '../../etc/passwd', status: 'open' });
    expect(badKey.status).toBe(400);
    const ok = await call(server, 'POST', '/api/tracking', { finding: id, status: 'accepted', reason: 'demo system, reviewed by secops' });
    expect(ok.status, ok.text).toBe(200);
    const sidecar = join(dir, 'expense-reimbursement.tracking.yaml');
    expect(existsSync(sidecar)).toBe(true);
    expect(readFileSync(sidecar, 'utf8')).toContain('demo system, reviewed by secops');
    const after = (await call(server, 'GET', '/api/analysis')).json() as { findings: { id: string; triage: string }[] };
    expect(after.findings.find((f) => f.id === id)?.triage).toBe('accepted');
  });

  it('returns hostile model text as JSON data only', async () => {
    const { server } = await serve(HOSTILE);
    for (const route of ['/api/model', '/api/analysis']) {
      const r = await call(server, 'GET', route);
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      // The payload survives as a string value, byte for byte.
      const found = JSON.stringify(r.json()).includes('<script>alert(1)</script>');
      expect(found).toBe(true);
    }
    const view = (await call(server, 'GET', '/api/analysis')).json() as { system: { name: string } };
    expect(view.system.name.startsWith('<script>alert(1)</script>')).toBe(true);
  });
});
