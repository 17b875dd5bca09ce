/**
 * Issue 5, acceptance 1: the HTML report of every bundled example (and of the hostile-text model),
 * opened in headless Chromium (Debian's package, driven by playwright-core), shows its diagrams and
 * a findings table that filters and sorts, with no console error, no CSP violation, no request
 * other than the file itself and no dialog. Screenshots of each (the top of the page, each diagram,
 * the table) are saved to test-results/screenshots/.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { htmlReporter } from '../../src/reporters/html/index.js';
import { EXAMPLES, HOSTILE, ROOT, analysed } from '../reporters/_support.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const OUT = `${ROOT}test-results/html`;
const SHOTS = `${ROOT}test-results/screenshots`;

let browser: Browser | undefined;

/**
 * The few browser globals the page callbacks use, typed here: the project's tsconfig has no DOM
 * library (adding it would let DOM names type-check in src/).
 */
interface PageGlobals {
  __csp: string[];
  scrollTo(x: number, y: number): void;
  document: { addEventListener(type: 'securitypolicyviolation', f: (e: { violatedDirective: string; blockedURI: string }) => void): void };
}
interface RowLike {
  readonly cells: ArrayLike<{ readonly textContent: string | null } | undefined>;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH). The browser tests never skip.`);
  }
  browser = await chromium.launch({ executablePath: CHROMIUM });
  mkdirSync(OUT, { recursive: true });
  mkdirSync(SHOTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

interface Watch {
  readonly errors: string[];
  readonly requests: string[];
  readonly dialogs: string[];
}

/** A page with every listener the checks need, registered before anything loads. */
async function watchedPage(): Promise<{ page: Page; watch: Watch }> {
  if (!browser) throw new Error('the browser did not start');
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const watch: Watch = { errors: [], requests: [], dialogs: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') watch.errors.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => watch.errors.push(`page error: ${e.message}`));
  page.on('request', (r) => watch.requests.push(r.url()));
  page.on('dialog', (d) => {
    watch.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  // Runs before the page's own script (injected by the driver, outside the page's policy).
  await page.addInitScript(() => {
    const w = globalThis as unknown as PageGlobals;
    w.__csp = [];
    w.document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return { page, watch };
}

async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).__csp);
}

async function visibleBox(page: Page, selector: string): Promise<void> {
  const el = page.locator(selector).first();
  await expect.poll(() => el.isVisible(), { message: `${selector} is visible` }).toBe(true);
  const box = await el.boundingBox();
  expect(box?.width ?? 0, `${selector} has a width`).toBeGreaterThan(20);
  expect(box?.height ?? 0, `${selector} has a height`).toBeGreaterThan(20);
}

/** The first text of each visible table row's cell `col` (0-based). */
async function column(page: Page, col: number): Promise<string[]> {
  return page.locator('#findings tbody tr.finding').evaluateAll((rows: unknown[], c: number) => rows.map((r) => (r as RowLike).cells[c]?.textContent ?? ''), col);
}

const CASES = [...EXAMPLES.map((e) => ({ name: e.replace(/\.ya?ml$/, ''), file: `examples/${e}` })), { name: 'hostile-text', file: HOSTILE }];

describe('the HTML report in headless Chromium', () => {
  it('the checks can fail: an inline script outside the policy is reported as a CSP violation', async () => {
    const { page, watch } = await watchedPage();
    const file = `${OUT}/_csp-canary.html`;
    writeFileSync(file, `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head><body><script>document.title = 'ran';</script></body></html>`);
    await page.goto(pathToFileURL(file).href);
    await expect.poll(() => cspViolations(page)).toContain('script-src-elem inline');
    expect(await page.title()).not.toBe('ran');
    expect(watch.errors.join('\n')).toMatch(/Content Security Policy/);
    await page.close();
  });

  it.each(CASES)('$name: diagrams and table render, with no error, violation, request or dialog', async ({ name, file }) => {
    const { analysis, ctx } = analysed(file);
    const text = await htmlReporter.render(analysis, ctx);
    const target = `${OUT}/${name}.html`;
    writeFileSync(target, text);
    const url = pathToFileURL(target).href;
    const { page, watch } = await watchedPage();
    await page.goto(url, { waitUntil: 'load' });

    // Diagrams: the seven-layer view, the system graph, at least one attack chain.
    await visibleBox(page, '#layers svg.layer-view');
    expect(await page.locator('#layers svg.layer-view g.layer').count()).toBe(7);
    await visibleBox(page, '#graph svg.system-graph');
    expect(await page.locator('#graph svg.system-graph g.node').count()).toBeGreaterThan(0);
    expect(analysis.crossLayer.chains.length, 'the model has attack chains to draw').toBeGreaterThan(0);
    await visibleBox(page, '#chains svg.chain');
    await visibleBox(page, '#heat svg.heat');

    // The table: built by the script from the JSON data.
    const rows = page.locator('#findings tbody tr.finding');
    const total = analysis.findings.length;
    expect(total).toBeGreaterThan(0);
    await expect.poll(() => rows.count()).toBe(Math.min(total, 500));

    // Filter by text: a finding id narrows the table to the rows that contain it.
    const target0 = [...analysis.findings].sort((a, b) => (a.id < b.id ? -1 : 1))[0];
    const needle = target0?.id ?? '';
    await page.fill('#f-text', needle);
    await expect.poll(() => rows.count()).toBeLessThan(total + 1);
    const ids = await column(page, 5);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).toContain(needle);
    const matching = analysis.findings.filter((f) => `${f.id} ${f.element} ${f.threats.join(', ')} ${f.message}`.toLowerCase().includes(needle.toLowerCase())).length;
    expect(ids.length).toBe(Math.min(matching, 500));
    await page.fill('#f-text', 'no finding has this text ~~~');
    await expect.poll(() => rows.count()).toBe(0);
    await page.fill('#f-text', '');
    await expect.poll(() => rows.count()).toBe(Math.min(total, 500));

    // Filter by layer: every row left is on that layer.
    const layer = analysis.findings[0]?.layer ?? 'L3';
    await page.selectOption('#f-layer', layer);
    await expect.poll(async () => (await column(page, 3)).every((l) => l === layer) && (await rows.count()) === analysis.findings.filter((f) => f.layer === layer).length).toBe(true);
    await page.selectOption('#f-layer', '');

    // Sort: by default the highest residual first; a click on the header reverses it.
    const residuals = async () => (await column(page, 0)).map((s) => Number.parseFloat(s));
    const desc = await residuals();
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    await page.click('#findings th[data-key="residual"] button');
    await expect.poll(async () => {
      const asc = await residuals();
      return asc.length === desc.length && asc.every((v, i) => i === 0 || (asc[i - 1] ?? 0) <= v);
    }).toBe(true);
    expect(await page.getAttribute('#findings th[data-key="residual"]', 'aria-sort')).toBe('ascending');
    // Sort by finding id (text, ascending on first click).
    await page.click('#findings th[data-key="id"] button');
    const sortedIds = await column(page, 5);
    expect(sortedIds).toEqual([...sortedIds].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    // Details open under a row, built from text.
    await page.locator('#findings tbody tr.finding button.toggle').first().click();
    await expect.poll(() => page.locator('#findings tbody tr.details').count()).toBe(1);

    if (file === HOSTILE) {
      // Payloads are shown as text, never run.
      expect(await page.locator('h1').textContent()).toContain('<script>alert(1)</script>');
      expect(await page.locator('img').count()).toBe(0);
      const message = await page.locator('#findings tbody tr.details').textContent();
      expect(message).not.toBeNull();
    }

    // Screenshots: the top of the page, then each diagram and the table (a full-page shot of a
    // 30,000-pixel report takes 20 s; these take a fraction of a second each).
    await page.evaluate(() => (globalThis as unknown as PageGlobals).scrollTo(0, 0));
    await page.screenshot({ path: `${SHOTS}/${name}.png` });
    for (const [part, selector] of [['layers', '#layers'], ['graph', '#graph'], ['chain', '#chains figure'], ['table', '#table']] as const) {
      await page.locator(selector).first().screenshot({ path: `${SHOTS}/${name}-${part}.png` });
    }
    expect(await cspViolations(page), 'CSP violations').toEqual([]);
    expect(watch.errors, 'console errors').toEqual([]);
    expect(watch.requests, 'requests other than the file itself').toEqual([url]);
    expect(watch.dialogs, 'dialogs').toEqual([]);
    await page.close();
  }, 60_000);
});
