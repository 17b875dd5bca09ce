/**
 * The HTML report page: one self-contained file. No external request of any kind (diagrams are
 * inline SVG), a Content-Security-Policy in a <meta> that allows only this page's own style and
 * script blocks by hash, model text escaped by the `html` template everywhere, and the findings
 * table's data as JSON that a small script turns into rows with textContent.
 */
import { createHash } from 'node:crypto';
import type { Analysis, AnalysedFinding } from '../../engine/analyse.js';
import type { Catalogue } from '../../catalogue/load.js';
import { LAYERS } from '../../model/layers.js';
import { resolveModel } from '../../model/resolve.js';
import type { ModelFile } from '../../model/schema.js';
import { compareByRisk, type RiskBand } from '../../risk/index.js';
import { SCRIPT, STYLE } from './client.js';
import { clip, html, inert, join, jsonForScript, raw, truncate, type SafeHtml } from './escape.js';
import { clusterGraph, layoutGraph, type ClusterOptions, type LaidOutGraph } from './layout.js';
import { bandClass, chainDiagram, heatMap, layerBars, layerView, svgDefs, systemGraph, worseBand } from './svg.js';

export interface HtmlOptions {
  readonly cluster?: ClusterOptions;
  /** The model file's path, shown in the header. */
  readonly modelPath?: string;
  readonly toolVersion?: string;
}

export function sha256Base64(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

/** The policy for a page whose only inline blocks are `style` and `script` (exact text). */
export function contentSecurityPolicy(style: string, script: string): string {
  return [
    "default-src 'none'",
    `style-src 'sha256-${sha256Base64(style)}'`,
    `script-src 'sha256-${sha256Base64(script)}'`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "require-trusted-types-for 'script'",
    "trusted-types 'none'",
  ].join('; ');
}

const STATUS_OF = (f: AnalysedFinding): string => f.tracking?.effective ?? f.status;

/** Counts toward open risk: not mitigated by a control, not accepted, not a false positive. */
export function isOpen(f: AnalysedFinding): boolean {
  const s = STATUS_OF(f);
  return s === 'open' || s === 'in-progress';
}

const BANDS: readonly RiskBand[] = ['critical', 'high', 'medium', 'low'];
const STATUSES = ['open', 'in-progress', 'mitigated', 'accepted', 'false-positive'] as const;

const fmt = (n: number): string => n.toLocaleString('en-US');

/** Render the whole page. Async: the system graph's layout runs in ELK. */
export async function renderHtml(a: Analysis, catalogue: Catalogue, model: ModelFile, options: HtmlOptions = {}): Promise<string> {
  const resolved = resolveModel(model);
  const g = resolved.graph;
  const indexOf = (id: string) => resolved.indexOf(id);
  // Worst open residual band per element.
  const elementBand = new Map<number, RiskBand>();
  for (const f of a.findings) {
    if (!isOpen(f)) continue;
    const i = indexOf(f.element);
    if (i >= 0) elementBand.set(i, worseBand(elementBand.get(i), f.risk.residualBand));
  }
  // Elements on chains stay single when the graph is clustered, highest-ranked chain first.
  const keep: string[] = [];
  const seen = new Set<string>();
  for (const c of a.crossLayer.chains) {
    for (const id of [c.source.id, ...c.steps.map((s) => s.to)]) {
      if (!seen.has(id)) {
        seen.add(id);
        keep.push(id);
      }
    }
  }
  const clustered = clusterGraph(g, { keep, ...(options.cluster ?? {}) });
  const laid = await layoutGraph(clustered);
  const nodeBand = new Map<string, RiskBand>();
  for (const [i, b] of [...elementBand].sort((x, y) => x[0] - y[0])) {
    const n = clustered.nodeOf[i] ?? -1;
    if (n >= 0) nodeBand.set(`n${n}`, worseBand(nodeBand.get(`n${n}`), b));
  }
  const hot = new Set<string>();
  for (const c of a.crossLayer.chains) {
    for (const s of c.steps) {
      const x = clustered.nodeOf[indexOf(s.from)] ?? -1;
      const y = clustered.nodeOf[indexOf(s.to)] ?? -1;
      if (x >= 0 && y >= 0 && x !== y) hot.add(`n${x}>n${y}`);
    }
  }
  const kinds = new Map<string, string>();
  for (let i = 0; i < g.size; i++) kinds.set(g.ids[i] ?? '', resolved.kindOf(i));

  const title = `Threat model: ${truncate(a.system.name, 120)}`;
  const body = join([
    html`<header class="top"><h1>${title}</h1><p>MAESTRO analysis by maestro-tm${options.toolVersion ? ` ${clip(options.toolVersion, 40)}` : ''}${options.modelPath ? html` of <code>${clip(options.modelPath, 200)}</code>` : ''}. Every text from the model is shown as written, never interpreted.</p></header>`,
    raw(
      '<nav class="toc" aria-label="Sections"><a href="#summary">Summary</a><a href="#layers">Seven layers</a><a href="#graph">System graph</a><a href="#chains">Attack chains</a><a href="#blast">Blast radius</a><a href="#heat">Heat map</a><a href="#defences">First defences</a><a href="#table">Findings</a><a href="#plan">Validation plan</a><a href="#gaps">Not assessed</a></nav>',
    ),
    svgDefs(),
    raw('<main>'),
    summary(a),
    html`<section id="layers"><h2>The system on the seven MAESTRO layers</h2><p class="note">Each element sits on its layer (L7 at the top). Outlines show the worst open residual risk of its findings; hover for names and descriptions.</p><div class="scroll">${layerView(g, elementBand)}</div></section>`,
    graphSection(laid, nodeBand, hot),
    chainsSection(a, kinds),
    blastSection(a),
    heatSection(a),
    defencesSection(a),
    tableSection(a),
    planSection(a),
    gapsSection(a),
    raw('</main>'),
  ]);
  const detailed = new Set([...a.findings].sort(compareByRisk).slice(0, DETAILED_FINDINGS).map((f) => f.id));
  const data = jsonForScript({ findings: a.findings.map((f) => findingRow(f, catalogue, detailed.has(f.id))) });
  const csp = contentSecurityPolicy(STYLE, SCRIPT);
  return (
    '<!DOCTYPE html>\n' +
    '<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    html`<meta http-equiv="Content-Security-Policy" content="${raw(csp)}">\n`.value +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="referrer" content="no-referrer">\n' +
    html`<title>${title}</title>\n`.value +
    `<style>${STYLE}</style>\n</head>\n<body>\n` +
    body.value +
    `\n<script type="application/json" id="mtm-data">${data}</script>\n` +
    `<script>${SCRIPT}</script>\n</body>\n</html>\n`
  );
}

function summary(a: Analysis): SafeHtml {
  const rb = a.risk.byResidualBand;
  const card = (n: number, label: string) => html`<div class="card"><div class="n">${fmt(n)}</div><div class="l">${label}</div></div>`;
  const layers = a.layers.map(
    (l) =>
      html`<tr><td>${l.layer} ${l.name}</td><td class="num">${fmt(l.elements)}</td><td class="num">${fmt(l.open)}</td><td class="num">${fmt(l.mitigated)}</td><td>${l.highest ?? '–'}</td><td>${l.silent ? html`<span class="note">the model says nothing about this layer</span>` : l.threats.join(', ') || '–'}</td></tr>`,
  );
  const sys = a.system;
  const tracking = a.tracking
    ? html`<h3>Risk tracking</h3><p>Entries from <code>${clip(a.tracking.source, 200)}</code>: ${STATUSES.map((s) => `${a.tracking?.counts[s] ?? 0} ${s}`).join(', ')}.${a.tracking.stale.length ? html` Stale entries (match no finding): ${join(a.tracking.stale.slice(0, 20).map((s) => html`<code>${clip(s.key, 120)}</code>${s.line !== undefined ? ` (line ${s.line})` : ''} `))}${a.tracking.stale.length > 20 ? ` and ${a.tracking.stale.length - 20} more` : ''}` : ''}</p>`
    : raw('');
  return html`<section id="summary"><h2>Summary</h2>
<p><strong>${truncate(sys.name, 200)}</strong>${sys.criticality ? html` · criticality ${clip(sys.criticality, 40)}` : ''}${sys.dataSensitivity ? html` · data sensitivity ${clip(sys.dataSensitivity, 40)}` : ''}</p>
<div class="cards">${card(a.counts.elements, 'elements')}${card(a.counts.findings, 'findings')}${card(a.counts.open, 'open')}${card(a.counts.mitigated, 'mitigated')}${card(a.counts.threats, 'threats raised')}${card(a.crossLayer.chains.length, 'attack chains')}</div>
<p>Residual risk after declared controls: ${join(BANDS.map((b) => html`<span class="pill ${bandClass(b)}">${fmt(rb[b])} ${b}</span> `))} (total ${a.risk.residualTotal.toFixed(1)}, before controls ${a.risk.inherentTotal.toFixed(1)}).</p>
<table><thead><tr><th>Layer</th><th class="num">Elements</th><th class="num">Open</th><th class="num">Mitigated</th><th>Highest open</th><th>Threats</th></tr></thead><tbody>${join(layers)}</tbody></table>
${tracking}</section>`;
}

function graphSection(l: LaidOutGraph, bands: ReadonlyMap<string, RiskBand>, hot: ReadonlySet<string>): SafeHtml {
  const c = l.graph;
  const grouping =
    c.level === 'boundary-kind' ? 'elements are grouped by trust boundary and kind' : c.level === 'zone-kind' ? 'elements are grouped by top-level trust boundary and kind' : 'elements are grouped by kind';
  const note =
    c.level === 'elements'
      ? `Every component (${fmt(c.visible)}) is drawn; dashed frames are trust boundaries.`
      : `${fmt(c.visible)} components are too many to draw one by one: ${grouping} (dashed boxes, with a count), while elements on attack chains and hubs stay single; edges between groups carry the number of links they merge.`;
  const hidden = c.hiddenEdges > 0 ? ` ${fmt(c.hiddenEdges)} merged edges with the fewest links are not drawn.` : '';
  return html`<section id="graph" data-level="${c.level}"><h2>System graph</h2><p class="note">${note}${hidden} Red edges are steps of attack chains. Laid out by ELK (layered).</p><div class="scroll tall">${systemGraph(l, bands, hot)}</div></section>`;
}

function chainsSection(a: Analysis, kinds: ReadonlyMap<string, string>): SafeHtml {
  const x = a.crossLayer;
  const st = x.chainStats;
  const intro = html`<p class="note">From ${fmt(x.stats.entrySources)} entry points to ${fmt(x.stats.crownJewels)} crown jewels: the top ${st.k} chains by likelihood, at most ${st.maxDepth} steps, ${fmt(st.explored)} paths explored${st.truncated ? `; the search was cut short by ${st.cutBy.join(', ')} (more chains exist)` : '; the search was complete'}.</p>`;
  if (x.chains.length === 0) return html`<section id="chains"><h2>Attack chains</h2>${intro}<p>No attack path from an entry point reaches a crown jewel in this model.</p></section>`;
  const figs = x.chains.slice(0, 50).map(
    (c) =>
      html`<figure class="chain-fig" id="chain-${c.rank}"><figcaption>Chain ${c.rank}: <code>${truncate(c.source.id, 60)}</code> → <code>${truncate(c.target.id, 60)}</code> · likelihood ${c.probability.toFixed(3)} · ${c.steps.length} step${c.steps.length === 1 ? '' : 's'}</figcaption><p class="note">Starts at ${truncate(c.source.reason, 200)}; ends at ${truncate(c.target.reasons.join('; '), 300)}.</p>${chainDiagram(c, kinds)}</figure>`,
  );
  return html`<section id="chains"><h2>Attack chains</h2>${intro}<div class="chains">${join(figs)}</div>${x.chains.length > 50 ? html`<p class="note">${x.chains.length - 50} more chains in the JSON report.</p>` : ''}</section>`;
}

function blastSection(a: Analysis): SafeHtml {
  const x = a.crossLayer;
  const agents = x.blast.filter((b) => b.kind === 'agent');
  const cascades = new Map(x.cascades.map((c) => [c.root, c]));
  const cascadeList = (root: string): SafeHtml => {
    const c = cascades.get(root);
    if (!c) return raw('');
    const items = c.steps.slice(0, 40).map(
      (s) => html`<li><code>${truncate(s.from, 50)}</code> → <code>${truncate(s.to, 50)}</code>: ${s.layer} ${s.threat} (ATLAS ${s.atlas.id} ${truncate(s.atlas.name, 60)}), depth ${s.depth}</li>`,
    );
    return html`<details><summary>Cascade: ${fmt(c.reach)} elements${c.truncated ? ', list cut short' : ''}</summary><ol class="cascade">${join(items)}</ol>${c.steps.length > 40 ? html`<p class="note">${c.steps.length - 40} more steps in the JSON report.</p>` : ''}</details>`;
  };
  const table = (rows: typeof x.blast, limit: number) => {
    const shown = rows.slice(0, limit);
    const max = Math.max(1, ...shown.map((b) => Math.max(...LAYERS.map((l) => b.byLayer[l.id]))));
    return html`<table class="blast"><thead><tr><th class="num">#</th><th>Element</th><th>Kind</th><th>Layer</th><th class="num">Elements reached</th><th class="num">Crown jewels</th><th>By layer L1..L7</th><th>Cascade</th></tr></thead><tbody>${join(
      shown.map(
        (b, i) =>
          html`<tr><td class="num">${i + 1}</td><td><code>${truncate(b.id, 60)}</code></td><td>${b.kind}</td><td>${b.layer}</td><td class="num">${fmt(b.reach)}</td><td class="num">${fmt(b.crownJewels)}</td><td>${layerBars(b.byLayer, max)}</td><td>${cascadeList(b.id)}</td></tr>`,
      ),
    )}</tbody></table>${rows.length > limit ? html`<p class="note">${fmt(rows.length - limit)} more in the JSON report.</p>` : ''}`;
  };
  const others = x.blast.filter((b) => b.kind !== 'agent');
  const otherCascades = x.cascades.filter((c) => !agents.slice(0, 25).some((b) => b.id === c.root) && !others.slice(0, 10).some((b) => b.id === c.root));
  return html`<section id="blast"><h2>Blast radius</h2><p class="note">What falls if one element is compromised, widest first (docs/propagation.md).${x.stats.blastComplete ? '' : ' The computation hit its work limit: counts are lower bounds.'}</p><h3>Per agent</h3>${agents.length ? table(agents, 25) : html`<p>No agent in the model.</p>`}${others.length ? html`<h3>Models, tools, servers, memories and dependencies</h3>${table(others, 10)}` : ''}${join(otherCascades.map((c) => html`<h3>Cascade from <code>${truncate(c.root, 60)}</code></h3>${cascadeList(c.root)}`))}</section>`;
}

function heatSection(a: Analysis): SafeHtml {
  return html`<section id="heat"><h2>Risk heat map</h2><p class="note">Findings by likelihood (rows) and impact (columns), each scored 0–10; a cell's colour is the worst risk band among its findings.</p><div class="heat-row"><figure><figcaption>After declared controls (residual)</figcaption>${heatMap(a.findings, 'residual')}</figure><figure><figcaption>Before controls (inherent)</figcaption>${heatMap(a.findings, 'inherent')}</figure></div></section>`;
}

function defencesSection(a: Analysis): SafeHtml {
  const x = a.crossLayer;
  const sugg = x.suggestions.map(
    (s) =>
      html`<tr><td class="num">${s.rank}</td><td>${truncate(s.patternName, 100)} <code>${truncate(s.pattern, 60)}</code></td><td><code>${truncate(s.element, 60)}</code></td><td>${s.chains.join(', ')}</td><td class="num">${s.crownJewels.length}</td><td>${s.threats.join(', ')}</td></tr>`,
  );
  const cross = x.chokePoints.crossings.slice(0, 10).map(
    (c) => html`<tr><td><code>${truncate(c.id, 60)}</code></td><td>${c.kind}</td><td>${c.layer}</td><td class="num">${c.chains}</td><td class="num">${c.crownJewels.length}</td></tr>`,
  );
  if (sugg.length === 0 && cross.length === 0) return html`<section id="defences"><h2>First defences</h2><p>No choke point: no chain reaches a crown jewel.</p></section>`;
  return html`<section id="defences"><h2>First defences</h2>${
    sugg.length
      ? html`<table><thead><tr><th class="num">#</th><th>Add pattern</th><th>On</th><th>Chains weakened</th><th class="num">Crown jewels protected</th><th>Threats</th></tr></thead><tbody>${join(sugg)}</tbody></table><p class="note">Try one without editing the model: <code>maestro-tm analyze &lt;model&gt; --what-if add:&lt;pattern&gt;@&lt;element&gt;</code>.</p>`
      : ''
  }${cross.length ? html`<h3>Elements most chains pass through</h3><table><thead><tr><th>Element</th><th>Kind</th><th>Layer</th><th class="num">Chains</th><th class="num">Crown jewels</th></tr></thead><tbody>${join(cross)}</tbody></table>` : ''}</section>`;
}

function tableSection(a: Analysis): SafeHtml {
  const opt = (v: string, label: string) => html`<option value="${v}">${label}</option>`;
  const th = (key: string, label: string, num = false) => html`<th data-key="${key}" aria-sort="none"${raw(num ? ' class="num"' : '')}><button type="button">${label}</button></th>`;
  return html`<section id="table"><h2>Findings</h2>
<form id="filters" class="filters" role="search"><label>Layer<select id="f-layer">${opt('', 'All layers')}${join(LAYERS.map((l) => opt(l.id, `${l.id} ${l.name}`)))}</select></label><label>Residual band<select id="f-band">${opt('', 'All bands')}${join(BANDS.map((b) => opt(b, b)))}</select></label><label>Status<select id="f-status">${opt('', 'All statuses')}${join(STATUSES.map((s) => opt(s, s)))}</select></label><label>Text<input id="f-text" type="search" placeholder="id, element, threat or message" autocomplete="off"></label><span id="f-count" class="note" aria-live="polite">${fmt(a.findings.length)} findings</span></form>
<noscript><p>The table needs JavaScript; the same findings are in the Markdown and JSON reports.</p></noscript>
<div class="scroll tall"><table id="findings"><thead><tr>${th('residual', 'Residual', true)}${th('inherent', 'Inherent', true)}${th('severity', 'Severity')}${th('layer', 'Layer')}${th('status', 'Status')}${th('id', 'Finding')}${th('element', 'Element')}${th('threats', 'Threats')}${th('message', 'What')}</tr></thead><tbody></tbody></table></div><p><button type="button" id="f-more" hidden>Show more</button></p></section>`;
}

function planSection(a: Analysis): SafeHtml {
  if (a.validationPlan.length === 0) return html`<section id="plan"><h2>Validation plan</h2><p>No threat raised.</p></section>`;
  const items = a.validationPlan.map((v) => {
    const tel = v.telemetry.map(
      (t) =>
        html`<tr><td>${truncate(t.signal, 400)}</td><td>${truncate(t.where, 200)}</td><td>${t.dataSource ? `${truncate(t.dataSource, 100)}${t.dataComponent ? ` ${truncate(t.dataComponent, 100)}` : ''}` : '–'}</td></tr>`,
    );
    return html`<article class="plan"><h3>${v.threat} ${truncate(v.name, 200)}</h3><p>Findings: ${join(v.findings.slice(0, 8).map((f) => html`<code>${truncate(f, 100)}</code> `))}${v.findings.length > 8 ? `and ${v.findings.length - 8} more` : ''}</p><p><strong>Test:</strong> ${truncate(v.scenario, 2000)}</p><p><strong>Pass when:</strong> ${truncate(v.expect, 1000)}</p>${tel.length ? html`<table><thead><tr><th>Signal</th><th>Where</th><th>ATT&amp;CK data source</th></tr></thead><tbody>${join(tel)}</tbody></table>` : ''}</article>`;
  });
  return html`<section id="plan"><h2>Validation plan</h2><p class="note">For each threat raised: a red-team scenario that tests the defence, and the telemetry that would show an attack in progress.</p>${join(items)}</section>`;
}

function gapsSection(a: Analysis): SafeHtml {
  const rows = (list: Analysis['unassessed']) => join(list.map((t) => html`<tr><td>${t.id} ${truncate(t.name, 120)}</td><td>${t.layers.join(', ')}</td><td>${truncate(t.reason, 400)}</td></tr>`));
  return html`<section id="gaps"><h2>Not assessed</h2><h3>The model lacks the information</h3>${
    a.unassessed.length ? html`<table><thead><tr><th>Threat</th><th>Layers</th><th>Why</th></tr></thead><tbody>${rows(a.unassessed)}</tbody></table>` : html`<p>Every threat that rules can detect was assessed.</p>`
  }<h3>Needs a reviewer: threats no model attribute can show</h3>${
    a.manual.length ? html`<table><thead><tr><th>Threat</th><th>Layers</th><th>What to check</th></tr></thead><tbody>${rows(a.manual)}</tbody></table>` : html`<p>None.</p>`
  }</section>`;
}

/** Findings whose table row carries the full explanation (why, evidence, defences); the rest link to the other reports. */
export const DETAILED_FINDINGS = 2000;

/**
 * One finding as plain data for the table script: every string neutralised and shortened. Only
 * the `detailed` ones carry their explanation, which keeps the page small for big systems.
 */
function findingRow(f: AnalysedFinding, catalogue: Catalogue, detailed: boolean): Record<string, unknown> {
  const t = (s: string, max: number) => inert(truncate(s, max));
  const row: Record<string, unknown> = {
    id: t(f.id, 200),
    element: t(f.element, 200),
    layer: f.layer,
    severity: f.severity,
    status: STATUS_OF(f),
    residual: f.risk.residual,
    residualBand: f.risk.residualBand,
    inherent: f.risk.inherent,
    band: f.risk.band,
    threats: t(f.threats.join(', '), 200),
    message: t(f.message, 600),
  };
  if (!detailed) {
    row['more'] = 'The full explanation of this finding is in the Markdown and JSON reports (the page carries it for the highest risks only).';
    return row;
  }
  const value = (v: unknown) => (v === undefined ? '' : typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
  const tr = f.tracking;
  const tracking: string[] = [];
  if (tr) {
    tracking.push(t(`${tr.status}${tr.effective !== tr.status ? ` (counts as ${tr.effective}${tr.expired ? ': expired' : ''})` : ''} by entry ${tr.key}`, 300));
    if (tr.justification) tracking.push(t(`Justification: ${tr.justification}`, 600));
    if (tr.owner) tracking.push(t(`Owner: ${tr.owner}`, 200));
    if (tr.ticket) tracking.push(t(`Ticket: ${tr.ticket}`, 200));
    if (tr.review) tracking.push(t(`Review: ${tr.review}`, 40));
    if (tr.expires) tracking.push(t(`Expires: ${tr.expires}`, 40));
  }
  row['threatNames'] = f.threats.map((id) => t(`${id} ${catalogue.threats.get(id)?.name ?? ''}`.trim(), 200));
  row['why'] = f.risk.why.slice(0, 12).map((w) => t(w, 300));
  row['evidence'] = f.evidence
    .slice(0, 12)
    .map((e) => t(`${e.element}${e.attribute ? ` ${e.attribute}` : ''}${e.value === undefined ? '' : ` = ${value(e.value)}`}${e.note ? ` (${e.note})` : ''}`, 300));
  if (f.evidence.length > 12) (row['evidence'] as string[]).push(`… ${f.evidence.length - 12} more`);
  row['defences'] = f.defences.map((p) => t(catalogue.patterns.get(p)?.name ?? p, 200));
  row['controls'] = [...f.mitigatedBy.map((c) => t(`mitigated by ${c}`, 200)), ...f.partialControls.map((c) => t(`partial or planned: ${c}`, 200))];
  row['tracking'] = tracking;
  return row;
}
