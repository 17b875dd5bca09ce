// @ts-check
/**
 * Web UI benchmark (issue 7, acceptance 4): a synthetic system (default 1,000 agents, tree) served by
 * `maestro-tm serve`'s server (the analysis in its worker thread) and opened in headless Chromium.
 * Prints the server's load time (analysis + graph layout, and how fast it answered other requests
 * meanwhile), the payload size, and the browser's render times: first render, each tab, highlighting
 * a chain, opening an element, a what-if preview. Not a timed test: it prints numbers.
 *
 *   npm run build && node bench/ui.js [--agents 1000] [--topology tree] [--seed 1]
 *
 * Needs Debian's chromium (/usr/bin/chromium, or CHROMIUM_PATH).
 */
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { generateSystem, toJson, countElements } from './gen.js';

const { values } = parseArgs({
  options: {
    agents: { type: 'string', default: '1000' },
    topology: { type: 'string', default: 'tree' },
    seed: { type: 'string', default: '1' },
  },
});
const agents = Number(values.agents);
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  console.error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium, or set CHROMIUM_PATH`);
  process.exit(2);
}

const { openSession } = await import('../dist/web/session.js');
const { startServer } = await import('../dist/web/server.js');
const { workerAnalyser } = await import('../dist/web/analyser.js');

const model = generateSystem({ agents, seed: Number(values.seed), topology: /** @type {any} */ (values.topology) });
const dir = mkdtempSync(path.join(tmpdir(), 'mtm-ui-bench-'));
const file = path.join(dir, `ui-${values.topology}-${agents}.json`);
writeFileSync(file, toJson(model));
const session = openSession(file, { maxBytes: 200 * 1024 * 1024 });
if (typeof session === 'string') throw new Error(session);

const ms = (/** @type {number} */ x) => `${Math.round(x)} ms`;
const rows = /** @type {[string, string][]} */ ([]);
rows.push(['model', `${agents} agents (${values.topology}, seed ${values.seed}), ${countElements(model)} elements, JSON`]);

// Server: the analysis starts at launch, in the worker; meanwhile a cheap call is timed every 50 ms.
const t0 = performance.now();
const server = await startServer({ session, analyser: workerAnalyser({ maxHeapMb: 4096 }) });
const base = `http://127.0.0.1:${server.port}`;
const headers = { 'X-Maestro-Token': server.token };
let done = false;
const pings = /** @type {number[]} */ ([]);
const pinger = (async () => {
  while (!done) {
    const s = performance.now();
    await fetch(`${base}/api/state`, { headers });
    pings.push(performance.now() - s);
    await new Promise((r) => setTimeout(r, 50));
  }
})();
const res = await fetch(`${base}/api/analysis`, { headers });
const body = await res.text();
const t1 = performance.now();
done = true;
await pinger;
if (!res.ok) throw new Error(`analysis failed: ${body.slice(0, 500)}`);
const view = JSON.parse(body);
pings.sort((a, b) => a - b);
rows.push(['server: load (analysis + layout, worker)', `${ms(t1 - t0)} (analysis ${ms(view.timing.analysis)}, layout ${ms(view.timing.layout)})`]);
rows.push(['server: answers meanwhile (/api/state)', `${pings.length} calls, median ${ms(pings[Math.floor(pings.length / 2)] ?? 0)}, max ${ms(pings[pings.length - 1] ?? 0)}`]);
rows.push(['payload', `${(body.length / 1024 / 1024).toFixed(2)} MB: ${view.findings.length} findings, ${view.chains.length} chains, graph ${view.graph.nodes.length} nodes / ${view.graph.edges.length} edges (${view.graph.level})`]);

// Browser.
const browser = await chromium.launch({ executablePath: CHROMIUM });
const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
const errors = /** @type {string[]} */ ([]);
page.on('pageerror', (e) => errors.push(e.message));
page.on('console', (m) => {
  if (m.type() === 'error') errors.push(m.text());
});
/** @param {string} label @param {() => Promise<unknown>} f */
async function timed(label, f) {
  const s = performance.now();
  await f();
  rows.push([label, ms(performance.now() - s)]);
}
await timed('browser: open to first render (layers)', async () => {
  await page.goto(server.url, { waitUntil: 'load' });
  await page.locator('#residual-total').waitFor({ timeout: 120_000 });
});
const fetchMs = await page.locator('html').getAttribute('data-fetch-ms');
const renderMs = await page.locator('html').getAttribute('data-render-ms');
rows.push(['browser: of which fetch / build the DOM', `${fetchMs} ms / ${renderMs} ms`]);
await timed('browser: graph tab', async () => {
  await page.click('#tabs button[data-tab="graph"]');
  await page.locator('#graph-svg').waitFor();
});
await timed('browser: findings tab (filters + 300 rows)', async () => {
  await page.click('#tabs button[data-tab="findings"]');
  await page.locator('#findings-table').waitFor();
});
await timed('browser: filter findings by layer L3', async () => {
  await page.selectOption('#filter-layer', 'L3');
  await page.locator('#findings-count').waitFor();
});
if (view.chains.length > 0) {
  await timed('browser: chains tab, highlight chain 1', async () => {
    await page.click('#tabs button[data-tab="chains"]');
    await page.locator('#chain-list li[data-chain="1"] button').click();
    await page.locator('#chain-steps').waitFor();
  });
}
const agent = view.elements.find((/** @type {{kind: string}} */ e) => e.kind === 'agent');
if (agent) {
  await page.click('#tabs button[data-tab="layers"]');
  await timed(`browser: open element ${agent.id} (panel + form)`, async () => {
    await page.locator(`#layers-view button.el[data-element="${agent.id}"]`).click();
    await page.locator('#edit-form').waitFor();
  });
  await timed('what-if preview (one re-analysis in the worker)', async () => {
    await page.click('#preview-control');
    await page.locator('#preview').waitFor({ timeout: 300_000 });
  });
}
await browser.close();
await server.close();

const width = Math.max(...rows.map((r) => r[0].length));
console.log(`maestro-tm serve benchmark (Node ${process.version}, ${new Date().toISOString().slice(0, 10)})`);
for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
if (errors.length) {
  console.log(`browser errors:\n  ${errors.join('\n  ')}`);
  process.exitCode = 1;
}
