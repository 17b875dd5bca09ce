/**
 * Issue 7, acceptance 1 and 3: the local web UI in headless Chromium (Debian's package, driven by
 * playwright-core). On a copy of the expense example: find an attack chain and highlight it on the
 * graph, edit an agent through the generated form, preview and add a control (the residual risk
 * shown drops), set a tracking status, save, and check the file on disk (comments kept, the edit
 * and the control present, a re-analysis has lower residual risk). The hostile-text model displays
 * inert. No console error, no CSP violation, no dialog, no request to another origin. Screenshots go
 * to test-results/screenshots/ui-*.png.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadModelFile } from '../../src/io/files.js';
import { loadCatalogue } from '../../src/io/catalogue.js';
import { resolveModel } from '../../src/model/resolve.js';
import { analyse } from '../../src/engine/analyse.js';
import { RULES } from '../../src/rules/index.js';
import { EXPENSE, HOSTILE, ROOT, serveCopy, type Served } from '../web/_support.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const SHOTS = `${ROOT}test-results/screenshots`;

let browser: Browser | undefined;
const served: Served[] = [];

/** Browser globals used in page callbacks (the project's tsconfig has no DOM library). */
interface PageGlobals {
  __csp: string[];
  document: { addEventListener(type: 'securitypolicyviolation', f: (e: { violatedDirective: string; blockedURI: string }) => void): void };
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH). The browser tests never skip.`);
  browser = await chromium.launch({ executablePath: CHROMIUM });
  mkdirSync(SHOTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const s of served) await s.server.close();
});

interface Watch {
  readonly errors: string[];
  readonly foreign: string[];
  readonly dialogs: string[];
}

async function open(s: Served, url = s.server.url, ready = true): Promise<{ page: Page; watch: Watch }> {
  if (!browser) throw new Error('the browser did not start');
  const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  const watch: Watch = { errors: [], foreign: [], dialogs: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') watch.errors.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => watch.errors.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith(`http://127.0.0.1:${s.server.port}/`)) watch.foreign.push(r.url());
  });
  page.on('dialog', (d) => {
    watch.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  await page.addInitScript(() => {
    const w = globalThis as unknown as PageGlobals;
    w.__csp = [];
    w.document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(url, { waitUntil: 'load' });
  if (ready) await page.locator('#residual-total').waitFor({ timeout: 30_000 });
  return { page, watch };
}

async function residualShown(page: Page): Promise<number> {
  return Number.parseFloat((await page.locator('#residual-total').textContent()) ?? 'NaN');
}

function residualOf(path: string): number {
  const res = loadModelFile(path);
  if (!res.model) throw new Error(`invalid: ${res.diagnostics.map((d) => d.message).join('; ')}`);
  return analyse(resolveModel(res.model), loadCatalogue().catalogue, RULES).analysis.risk.residualTotal;
}

async function clean(page: Page, watch: Watch): Promise<void> {
  expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__csp), 'CSP violations').toEqual([]);
  expect(watch.errors, 'console errors').toEqual([]);
  expect(watch.dialogs, 'dialogs').toEqual([]);
  expect(watch.foreign, 'requests to other origins').toEqual([]);
}

describe('the web UI in headless Chromium', () => {
  it('finds and highlights a chain, edits an agent, adds a control, saves; the file keeps its comments and the risk drops', async () => {
    const s = await serveCopy(EXPENSE);
    served.push(s);
    const { page, watch } = await open(s);
    const r0 = await residualShown(page);
    expect(r0).toBe(residualOf(EXPENSE));
    // The seven layers.
    expect(await page.locator('#layers-view section.layer').count()).toBe(7);
    await page.screenshot({ path: `${SHOTS}/ui-layers.png` });

    // An attack chain, highlighted on the graph step by step.
    await page.click('#tabs button[data-tab="chains"]');
    await page.locator('#chain-list li[data-chain="1"] button').click();
    await expect.poll(() => page.locator('#chain-steps li').count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator('svg.graph g.node.hot').count()).toBeGreaterThan(1);
    expect(await page.locator('svg.graph g.edge.hot').count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${SHOTS}/ui-chain.png` });
    // The graph tab keeps the highlight; a click on a node opens the element.
    await page.click('#tabs button[data-tab="graph"]');
    expect(await page.locator('#graph-view svg.graph g.node.hot').count()).toBeGreaterThan(1);
    await page.locator('svg.graph g.node[data-element="reimbursement_agent"]').click();
    await expect.poll(() => page.locator('#panel-title').textContent()).toBe('reimbursement_agent');
    await page.screenshot({ path: `${SHOTS}/ui-graph.png` });

    // Edit the agent through the form generated from the schema.
    expect(await page.locator('#edit-form select#f-autonomy').count()).toBe(1);
    await page.fill('#f-role', 'Checks claims against policy (edited in the browser)');
    await page.selectOption('#f-autonomy', 'supervised');
    await page.click('#apply-edit');
    await expect.poll(() => page.locator('#dirty').textContent()).toBe('unsaved changes');
    const r1 = await residualShown(page);

    // Blast radius and reach of the element.
    await page.click('#tabs button[data-tab="layers"]');
    await page.locator('#layers-view button.el[data-element="intake_agent"]').click();
    await expect.poll(() => page.locator('#panel-title').textContent()).toBe('intake_agent');
    expect(await page.locator('#panel-blast').textContent()).toMatch(/elements fall/);
    await page.click('#show-reach');
    await expect.poll(() => page.locator('#panel-reach ol.steps li').count()).toBeGreaterThan(0);

    // Preview a control, then add it: the residual risk shown drops at once.
    await page.selectOption('#add-pattern', 'action-selector');
    await page.click('#preview-control');
    await page.locator('#preview-after').waitFor();
    const before = Number.parseFloat((await page.locator('#preview-before').textContent()) ?? 'NaN');
    const after = Number.parseFloat((await page.locator('#preview-after').textContent()) ?? 'NaN');
    expect(before).toBe(r1);
    expect(after).toBeLessThan(before);
    await page.screenshot({ path: `${SHOTS}/ui-panel.png` });
    await page.click('#apply-control');
    await expect.poll(() => residualShown(page)).toBe(after);
    expect(after).toBeLessThan(r0);
    expect(await page.locator('#panel-controls li[data-control]').count()).toBeGreaterThan(0);

    // Findings: filter by layer, open one, set its tracking status.
    await page.click('#tabs button[data-tab="findings"]');
    await page.selectOption('#filter-layer', 'L3');
    const layers = await page.locator('#findings-table tbody tr[data-finding] td:nth-child(5)').allTextContents();
    expect(layers.length).toBeGreaterThan(0);
    expect(layers.every((l) => l === 'L3')).toBe(true);
    const first = page.locator('#findings-table tbody tr[data-finding]').first();
    const findingId = (await first.getAttribute('data-finding')) ?? '';
    await first.locator('button.finding-id').click();
    await page.selectOption('#findings-table select.tracking-status', 'accepted');
    await page.fill('#findings-table input.tracking-reason', 'reviewed in the UI test');
    await page.click('#findings-table button.set-status');
    await expect.poll(() => page.locator(`#findings-table tr[data-finding="${findingId}"] td.status`).textContent()).toBe('accepted');
    await page.screenshot({ path: `${SHOTS}/ui-findings.png` });

    // Save: the file keeps its comments and has the edit and the control.
    await page.click('#save');
    await expect.poll(() => page.locator('#dirty').textContent()).toBe('');
    const text = readFileSync(s.path, 'utf8');
    expect(text).toContain('role: Checks claims against policy (edited in the browser)');
    expect(text).toMatch(/autonomy: supervised/);
    expect(text).toContain('pattern: action-selector');
    expect(text).toContain('appliesTo:\n      - intake_agent');
    for (const comment of ['# Example model: an RPA-style expense reimbursement agent', '# it moves company money', '# acts alone for small claims, escalates large ones to a human', '# GAP: injected as a plain environment variable in the pod']) {
      expect(text).toContain(comment);
    }
    expect(residualOf(s.path)).toBeLessThan(residualOf(EXPENSE));
    expect(readFileSync(`${s.dir}/expense-reimbursement.tracking.yaml`, 'utf8')).toContain('reviewed in the UI test');
    await page.screenshot({ path: `${SHOTS}/ui-saved.png` });

    // A change on disk (no unsaved edits): the UI reloads it by itself.
    writeFileSync(s.path, readFileSync(s.path, 'utf8').replace('name: Expense reimbursement agent', 'name: Expense agent (changed on disk)'));
    expect(s.session.poll()).toBe(true);
    await expect.poll(() => page.locator('#title').textContent(), { timeout: 15_000 }).toBe('Expense agent (changed on disk)');
    await clean(page, watch);
    await page.close();
  }, 90_000);

  it('the browser link opens the UI once: its launch code is traded for the token, then spent', async () => {
    const s = await serveCopy(EXPENSE);
    served.push(s);
    const first = await open(s, s.server.launchUrl);
    expect(Number.isFinite(await residualShown(first.page))).toBe(true);
    // The code left the address bar; the tab works with the token it was given (a reload keeps it).
    expect(first.page.url()).not.toContain('launch=');
    await first.page.reload({ waitUntil: 'load' });
    await first.page.locator('#residual-total').waitFor({ timeout: 30_000 });
    expect(first.watch.errors.filter((e) => !e.includes('401'))).toEqual([]);
    await first.page.close();
    // Someone else replaying the link (it was on a command line) gets nothing.
    const second = await open(s, s.server.launchUrl, false);
    await expect.poll(() => second.page.locator('#banner').textContent()).toContain('already used');
    expect(await second.page.locator('#residual-total').count()).toBe(0);
    await second.page.close();
  });

  it('shows the hostile model inert: payloads as text, no dialog, no script, no image', async () => {
    const s = await serveCopy(HOSTILE);
    served.push(s);
    const { page, watch } = await open(s);
    const title = (await page.locator('#title').textContent()) ?? '';
    expect(title).toContain('<script>alert(1)</script>');
    // Bidi overrides and zero-width characters are shown as markers, not obeyed.
    expect(title).not.toMatch(/[\u202e\u200b\u2028]/);
    for (const tab of ['layers', 'graph', 'findings', 'chains']) {
      await page.click(`#tabs button[data-tab="${tab}"]`);
      expect(await page.locator('#main').textContent()).not.toBe('');
    }
    await page.click('#tabs button[data-tab="layers"]');
    await page.locator('#layers-view button.el[data-element="planner"]').click();
    await expect.poll(() => page.locator('#panel-title').textContent()).toBe('planner');
    const fields = (await page.locator('#panel dl.fields').textContent()) ?? '';
    expect(fields).toContain('⟨U+202E⟩');
    expect(fields).not.toMatch(/[\u202e\u200b\u2028]/);
    // The payload sits in the form as a value, not as markup.
    expect(await page.locator('#f-description').inputValue()).toContain('<script>alert(1)</script>');
    await page.click('#tabs button[data-tab="findings"]');
    await page.locator('#findings-table tbody tr[data-finding] button.finding-id').first().click();
    // Nothing from the payloads became an element.
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    expect(await page.locator('a').count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/ui-hostile.png` });
    await clean(page, watch);
    await page.close();
  }, 60_000);
});
