// Browser code, plain JavaScript: the project's TypeScript setup has no DOM library (docs/web-ui.md).
/* global document, location, history */
/**
 * The maestro-tm web UI (served by `maestro-tm serve`, src/web/server.ts). Plain ES module, no
 * framework, no build step. Every text from the model is untrusted: it is put into the page with
 * textContent, createTextNode or setAttribute on inert attributes (title, value), never as HTML;
 * the page's CSP forbids inline script, eval and (with Trusted Types) any HTML sink.
 */
const SVG_NS = 'http://www.w3.org/2000/svg';
const BANDS = ['low', 'medium', 'high', 'critical'];
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
const STATUSES = ['open', 'in-progress', 'mitigated', 'accepted', 'false-positive'];
const MAX_ROWS = 300;
const MAX_PER_LAYER = 250;

// ----------------------------------------------------------------------------------------------
// Token: from the URL fragment (never sent to the server by the browser), kept for this tab only. A
// page opened by serve's browser launcher has a one-time launch code instead, traded for the token.
function takeFragment() {
  const t = /(?:^#|&)token=([A-Za-z0-9_-]{20,200})/.exec(location.hash);
  const l = /(?:^#|&)launch=([A-Za-z0-9_-]{20,200})/.exec(location.hash);
  if (t || l) history.replaceState(null, '', location.pathname);
  if (t) sessionStorage.setItem('mtm-token', t[1]);
  return { token: t ? t[1] : sessionStorage.getItem('mtm-token') || '', launch: l ? l[1] : '' };
}
const FRAGMENT = takeFragment();
let TOKEN = FRAGMENT.token;

/** Trade the one-time launch code for the session token; false when it was spent or refused. */
async function redeemLaunch(code) {
  try {
    const res = await fetch('/api/launch', { method: 'POST', headers: { 'X-Maestro-Launch': code }, cache: 'no-store', credentials: 'omit' });
    if (!res.ok) return false;
    const data = await res.json();
    if (!data || typeof data.token !== 'string' || !/^[A-Za-z0-9_-]{20,200}$/.test(data.token)) return false;
    TOKEN = data.token;
    sessionStorage.setItem('mtm-token', TOKEN);
    return true;
  } catch {
    return false;
  }
}

const state = {
  tab: 'layers',
  revision: 0,
  model: null,
  schema: null,
  view: null,
  selected: null,
  group: null,
  chain: null,
  openFinding: null,
  filters: { layer: '', threat: '', severity: '', status: '', text: '' },
  preview: null,
  cascade: null,
  zoom: 1,
};

// ----------------------------------------------------------------------------------------------
// DOM helpers: the only ways this file creates content.
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}
function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}
function setAttrs(el, attrs) {
  if (!attrs) return;
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.setAttribute('class', String(v));
    else if (k === 'title') el.setAttribute('title', visible(String(v)));
    else if (k === 'value') el.value = String(v);
    else if (k === 'checked') el.checked = Boolean(v);
    else if (k === 'disabled') el.disabled = Boolean(v);
    else if (/^(title|type|id|name|for|placeholder|min|max|step|rows|colspan|role|hidden|x|y|x1|y1|x2|y2|width|height|rx|points|d|viewBox|marker-end|markerWidth|markerHeight|refX|refY|orient|transform|aria-[a-z]+|data-[a-z-]+)$/.test(k)) el.setAttribute(k, String(v));
    else throw new Error(`attribute ${k} is not on the allow-list`);
  }
}
// Control, bidi and invisible characters in shown text become visible markers (⟨U+202E⟩), so model
// text cannot reorder or hide what is displayed (form values keep the text as written).
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const HIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g;
const visible = (text) => text.replace(HIDDEN, (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`);
function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(visible(String(c))) : c);
  }
}
function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}
const $ = (id) => document.getElementById(id);
const clip = (text, n) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

// ----------------------------------------------------------------------------------------------
// API
class ApiError extends Error {
  constructor(status, body) {
    super(body && typeof body.message === 'string' ? body.message : `HTTP ${status}`);
    this.status = status;
    this.diagnostics = body && Array.isArray(body.diagnostics) ? body.diagnostics : [];
  }
}
async function api(method, path, body) {
  const headers = { 'X-Maestro-Token': TOKEN };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store', credentials: 'omit' });
  let data;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

function banner(text, kind) {
  const b = $('banner');
  clear(b);
  if (!text) {
    b.hidden = true;
    return;
  }
  b.hidden = false;
  b.className = kind === 'error' ? 'error' : '';
  append(b, [text]);
}
function errorText(err) {
  if (!(err instanceof ApiError)) return String(err && err.message ? err.message : err);
  const lines = [err.message];
  for (const d of err.diagnostics.slice(0, 8)) lines.push(`${d.line !== undefined ? `line ${d.line}: ` : ''}${d.code} ${d.message}${d.hint ? ` (${d.hint})` : ''}`);
  return lines.join('\n');
}

// ----------------------------------------------------------------------------------------------
// Derived data
// Elements by id, built once per view (every button, chain step and panel looks one up).
const byId = { view: null, map: new Map() };
function elementById(id) {
  if (!state.view) return undefined;
  if (byId.view !== state.view) {
    byId.map = new Map();
    for (const e of state.view.elements) if (!byId.map.has(e.id)) byId.map.set(e.id, e);
    byId.view = state.view;
  }
  return byId.map.get(id);
}
function elementData(el) {
  const list = state.model && state.model.data ? state.model.data[el.section] : undefined;
  return Array.isArray(list) ? list[el.index] : undefined;
}
function isOpen(f) {
  return f.triage === 'open' || f.triage === 'in-progress';
}
function worstBands() {
  const out = new Map();
  for (const f of state.view.findings) {
    if (!isOpen(f)) continue;
    const prev = out.get(f.element);
    if (prev === undefined || BANDS.indexOf(f.risk.residualBand) > BANDS.indexOf(prev)) out.set(f.element, f.risk.residualBand);
  }
  return out;
}
function controlsOf(id) {
  const data = state.model && state.model.data ? state.model.data : {};
  const list = Array.isArray(data.controls) ? data.controls : [];
  const el = elementById(id);
  const own = el ? elementData(el) : undefined;
  const refs = own && Array.isArray(own.controls) ? own.controls : [];
  return list.filter((c) => c && (refs.includes(c.id) || (Array.isArray(c.appliesTo) && c.appliesTo.includes(id))));
}

// ----------------------------------------------------------------------------------------------
// Header
function renderHeader() {
  const v = state.view;
  clear($('title')).appendChild(document.createTextNode(v ? visible(clip(v.system.name, 120)) : 'maestro-tm'));
  if (v) document.title = `maestro-tm: ${visible(clip(v.system.name, 80))}`;
  const r = $('risk');
  clear(r);
  if (v) {
    const rb = v.risk.byResidualBand;
    append(r, [
      'Residual risk ',
      h('strong', { id: 'residual-total' }, v.risk.residualTotal.toFixed(1)),
      ` (before controls ${v.risk.inherentTotal.toFixed(1)}) · `,
      ...['critical', 'high', 'medium', 'low'].map((b) => [h('span', { class: `pill ${b}` }, `${rb[b]} ${b}`), ' ']),
      ` · ${v.counts.findings} findings, ${v.chains.length} chains, ${v.counts.elements} elements`,
    ]);
  }
  const dirty = state.model ? state.model.dirty : false;
  clear($('dirty')).appendChild(document.createTextNode(dirty ? 'unsaved changes' : ''));
  $('save').disabled = !dirty;
}

// ----------------------------------------------------------------------------------------------
// Views
function renderMain() {
  for (const b of document.querySelectorAll('#tabs button')) b.setAttribute('aria-selected', String(b.dataset.tab === state.tab));
  const main = clear($('main'));
  if (!state.view) {
    main.appendChild(h('p', { class: 'note' }, 'Analysing…'));
    return;
  }
  if (state.tab === 'layers') main.appendChild(layersView());
  else if (state.tab === 'graph') main.appendChild(graphView());
  else if (state.tab === 'findings') main.appendChild(findingsView());
  else main.appendChild(chainsView());
}

function elementButton(id, extraClass) {
  const el = elementById(id);
  return h('button', { type: 'button', class: `link${extraClass ? ` ${extraClass}` : ''}`, 'data-element': id, title: el && el.name ? el.name : id, onclick: () => select(id) }, id);
}

function layersView() {
  const v = state.view;
  const bands = worstBands();
  const byLayer = new Map(v.layerNames.map((l) => [l.id, []]));
  for (const e of v.elements) if (byLayer.has(e.layer)) byLayer.get(e.layer).push(e);
  const wrap = h('div', { id: 'layers-view' }, h('h2', null, 'The system on the seven MAESTRO layers'), h('p', { class: 'note' }, 'Each element sits on its layer (L7 at the top); the left edge shows the worst open residual risk of its findings. Click one for details.'));
  for (const l of [...v.layerNames].reverse()) {
    const summary = v.layers.find((x) => x.layer === l.id);
    const items = byLayer.get(l.id);
    const box = h(
      'section',
      { class: 'layer', 'data-layer': l.id },
      h('div', { class: 'head' }, `${l.id} ${l.name}`, h('span', { class: 'note' }, summary ? `${summary.elements} elements · ${summary.open} open findings · highest ${summary.highest ?? '–'}${summary.silent ? ' · the model says nothing about this layer' : ''}` : '')),
    );
    const list = h('div', { class: 'items' });
    for (const e of items.slice(0, MAX_PER_LAYER)) {
      const band = bands.get(e.id);
      list.appendChild(
        h(
          'button',
          { type: 'button', class: `el${band ? ` ${band}` : ''}${state.selected === e.id ? ' selected' : ''}`, 'data-element': e.id, title: e.name ? `${e.name} (${e.kind})` : e.kind, onclick: () => select(e.id) },
          e.id,
          h('span', { class: 'kind' }, e.kind),
        ),
      );
    }
    if (items.length > MAX_PER_LAYER) list.appendChild(h('span', { class: 'note' }, `… and ${items.length - MAX_PER_LAYER} more (filter the findings, or use the graph)`));
    box.appendChild(list);
    wrap.appendChild(box);
  }
  return wrap;
}

/** Node and edge ids of the selected chain on the drawn graph. */
function chainHighlight() {
  const hotNodes = new Set();
  const hotEdges = new Set();
  const c = state.chain !== null ? state.view.chains.find((x) => x.rank === state.chain) : undefined;
  if (!c) return { hotNodes, hotEdges };
  const nodeOf = (id) => {
    const e = elementById(id);
    return e ? e.node : null;
  };
  const src = nodeOf(c.source.id);
  if (src) hotNodes.add(src);
  for (const st of c.steps) {
    const a = nodeOf(st.from);
    const b = nodeOf(st.to);
    if (a) hotNodes.add(a);
    if (b) hotNodes.add(b);
    if (a && b && a !== b) {
      hotEdges.add(`${a}>${b}`);
      hotEdges.add(`${b}>${a}`);
    }
  }
  return { hotNodes, hotEdges };
}

function graphSvg() {
  const g = state.view.graph;
  const bands = worstBands();
  const nodeBand = new Map();
  for (const e of state.view.elements) {
    const b = bands.get(e.id);
    if (!b || !e.node) continue;
    const prev = nodeBand.get(e.node);
    if (prev === undefined || BANDS.indexOf(b) > BANDS.indexOf(prev)) nodeBand.set(e.node, b);
  }
  const selNode = state.selected ? (elementById(state.selected) || {}).node : null;
  const { hotNodes, hotEdges } = chainHighlight();
  const W = Math.max(g.width, 200);
  const H = Math.max(g.height, 60);
  const svg = s('svg', { class: 'graph', id: 'graph-svg', width: Math.round(W * state.zoom), height: Math.round(H * state.zoom), viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'System graph' });
  const defs = s('defs', null);
  for (const id of ['mtm-arrow', 'mtm-arrow-hot']) {
    defs.appendChild(s('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto' }, s('path', { d: 'M0,0 L10,5 L0,10 z', class: id })));
  }
  svg.appendChild(defs);
  for (const f of g.frames) {
    svg.appendChild(s('g', { class: 'frame' }, s('title', null, `trust boundary ${f.boundary}`), s('rect', { x: f.x, y: f.y, width: f.w, height: f.h, rx: 6 }), s('text', { x: f.x + 8, y: f.y + 17 }, clip(f.label, Math.max(8, Math.floor(f.w / 7))))));
  }
  for (const e of g.edges) {
    if (e.points.length < 2) continue;
    const hot = hotEdges.has(`${e.from}>${e.to}`);
    const grp = s('g', { class: `edge${hot ? ' hot' : ''}`, 'data-edge': `${e.from}>${e.to}` }, s('title', null, `${e.types.join(', ')}${e.count > 1 ? ` (${e.count} links)` : ''}`), s('polyline', { points: e.points.map((p) => `${p[0]},${p[1]}`).join(' '), 'marker-end': hot ? 'url(#mtm-arrow-hot)' : 'url(#mtm-arrow)' }));
    if (e.count > 1) {
      const m = e.points[Math.floor(e.points.length / 2)];
      grp.appendChild(s('text', { class: 'count', x: m[0] + 3, y: m[1] - 3 }, `×${e.count}`));
    }
    svg.appendChild(grp);
  }
  for (const n of g.nodes) {
    const band = nodeBand.get(n.id);
    const cls = `node ${n.kind}${band ? ` ${band}` : ''}${n.count > 1 ? ' group' : ''}${hotNodes.has(n.id) ? ' hot' : ''}${selNode === n.id ? ' selected' : ''}`;
    const maxChars = Math.max(6, Math.floor((n.w - 14) / 7));
    const title = n.count === 1 ? `${n.members[0] ?? ''} (${n.kind})` : `${n.label} ${n.sub}: ${n.members.join(', ')}${n.count > n.members.length ? ', …' : ''}`;
    svg.appendChild(
      s(
        'g',
        { class: cls, 'data-node': n.id, 'data-element': n.count === 1 ? n.members[0] : undefined, onclick: () => (n.count === 1 && n.members[0] ? select(n.members[0]) : selectGroup(n)) },
        s('title', null, title),
        s('rect', { x: n.x, y: n.y, width: n.w, height: n.h, rx: n.count > 1 ? 10 : 4 }),
        s('text', { x: n.x + 7, y: n.y + 17 }, clip(n.label, maxChars)),
        s('text', { class: 'sub', x: n.x + 7, y: n.y + 32 }, clip(n.sub, Math.floor(maxChars * 1.15))),
      ),
    );
  }
  return svg;
}

function graphView() {
  const g = state.view.graph;
  const note =
    g.level === 'elements'
      ? `Every component (${g.visible}) is drawn; dashed frames are trust boundaries.`
      : `${g.visible} components are too many to draw one by one: they are grouped (dashed boxes with a count) while elements on attack chains and hubs stay single.`;
  const zoom = (f) => {
    state.zoom = Math.min(4, Math.max(0.2, state.zoom * f));
    renderMain();
  };
  return h(
    'div',
    { id: 'graph-view' },
    h('h2', null, 'System graph'),
    h('p', { class: 'note' }, `${note}${g.hiddenEdges ? ` ${g.hiddenEdges} merged edges with the fewest links are not drawn.` : ''} Laid out by ELK on the server. Select an attack chain to highlight its steps.`),
    h('div', { class: 'row' }, h('button', { type: 'button', onclick: () => zoom(1.25) }, 'Zoom in'), h('button', { type: 'button', onclick: () => zoom(0.8) }, 'Zoom out'), state.chain !== null ? h('button', { type: 'button', onclick: () => selectChain(null) }, `Clear chain ${state.chain}`) : null),
    h('div', { class: 'graph-wrap' }, graphSvg()),
  );
}

function findingsView() {
  const v = state.view;
  const f = state.filters;
  const threats = [...new Set(v.findings.flatMap((x) => x.threats))].sort();
  const filterSelect = (key, label, options) =>
    h(
      'label',
      null,
      `${label} `,
      h(
        'select',
        { id: `filter-${key}`, onchange: (ev) => { f[key] = ev.target.value; renderMain(); } },
        h('option', { value: '' }, 'all'),
        options.map((o) => {
          const opt = h('option', { value: o }, o);
          if (f[key] === o) opt.selected = true;
          return opt;
        }),
      ),
    );
  const text = h('input', { type: 'text', id: 'filter-text', placeholder: 'search id, element, message', value: f.text });
  text.addEventListener('change', () => {
    f.text = text.value;
    renderMain();
  });
  const needle = f.text.toLowerCase();
  const rows = v.findings.filter(
    (x) =>
      (!f.layer || x.layer === f.layer) &&
      (!f.threat || x.threats.includes(f.threat)) &&
      (!f.severity || x.severity === f.severity) &&
      (!f.status || x.triage === f.status) &&
      (!needle || x.id.toLowerCase().includes(needle) || x.message.toLowerCase().includes(needle)),
  );
  const table = h('table', { id: 'findings-table' }, h('thead', null, h('tr', null, ['Residual', 'Severity', 'Finding', 'Element', 'Layer', 'Threats', 'Status'].map((c) => h('th', null, c)))));
  const body = h('tbody', null);
  for (const x of rows.slice(0, MAX_ROWS)) {
    const open = state.openFinding === x.id;
    body.appendChild(
      h(
        'tr',
        { class: open ? 'open-row' : '', 'data-finding': x.id },
        h('td', null, h('span', { class: `pill ${x.risk.residualBand}` }, `${x.risk.residual.toFixed(1)} ${x.risk.residualBand}`)),
        h('td', null, x.severity),
        h('td', null, h('button', { type: 'button', class: 'link finding-id', onclick: () => { state.openFinding = open ? null : x.id; renderMain(); } }, x.id)),
        h('td', null, elementButton(x.element)),
        h('td', null, x.layer),
        h('td', null, x.threats.join(', ')),
        h('td', { class: 'status' }, x.triage),
      ),
    );
    if (open) body.appendChild(h('tr', { class: 'open-row' }, h('td', { 'data-detail': x.id, colspan: '7' }, findingDetail(x))));
  }
  table.appendChild(body);
  return h(
    'div',
    { id: 'findings-view' },
    h('h2', null, 'Findings'),
    h('div', { class: 'filters' }, filterSelect('layer', 'Layer', v.layerNames.map((l) => l.id)), filterSelect('threat', 'Threat', threats), filterSelect('severity', 'Severity', SEVERITIES), filterSelect('status', 'Status', STATUSES), text),
    h('p', { class: 'note', id: 'findings-count' }, `${rows.length} of ${v.findings.length} findings${rows.length > MAX_ROWS ? `; the first ${MAX_ROWS} by residual risk are shown` : ''}.`),
    table,
  );
}

function findingDetail(x) {
  const status = h('select', { name: 'status', class: 'tracking-status' }, STATUSES.map((st) => {
    const o = h('option', { value: st }, st);
    if (x.triage === st) o.selected = true;
    return o;
  }));
  const reason = h('input', { type: 'text', name: 'reason', class: 'tracking-reason', placeholder: 'justification (needed for accepted, false-positive, mitigated)', value: x.tracking && x.tracking.justification ? x.tracking.justification : '' });
  const msg = h('span', { class: 'note' });
  const setStatus = async () => {
    try {
      const r = await api('POST', '/api/tracking', { finding: x.id, status: status.value, reason: reason.value });
      clear(msg).appendChild(document.createTextNode(r.message));
      await refresh();
    } catch (err) {
      clear(msg).appendChild(h('span', { class: 'error-text' }, errorText(err)));
    }
  };
  return h(
    'div',
    null,
    h('p', null, x.message),
    h('p', { class: 'note' }, `Rule ${x.rule} · ${x.kind} on ${x.layer} · inherent ${x.risk.inherent.toFixed(1)} (${x.risk.band}) → residual ${x.risk.residual.toFixed(1)} (${x.risk.residualBand})${x.mitigatedBy.length ? ` · mitigated by ${x.mitigatedBy.join(', ')}` : ''}${x.defences.length ? ` · defences: ${x.defences.join(', ')}` : ''}`),
    h('h3', null, 'Evidence'),
    h(
      'ul',
      { class: 'evidence' },
      x.evidence.map((e) => h('li', null, elementButton(e.element), ` ${e.attribute}`, e.value !== undefined ? [' = ', h('span', { class: 'mono' }, e.value)] : '', e.note ? ` (${e.note})` : '', e.pointer ? h('span', { class: 'note' }, ` ${e.pointer}`) : '')),
    ),
    h('h3', null, 'Tracking'),
    h('div', { class: 'row' }, status, reason, h('button', { type: 'button', class: 'set-status', onclick: setStatus }, 'Set status'), msg),
  );
}

function chainsView() {
  const v = state.view;
  const st = v.chainStats;
  const wrap = h('div', { id: 'chains-view' }, h('h2', null, 'Attack chains'), h('p', { class: 'note' }, `The top ${st.k} chains by likelihood, at most ${st.maxDepth} steps${st.truncated ? `; the search was cut short by ${st.cutBy.join(', ')}` : ''}. Select one to highlight its steps on the graph.`));
  if (v.chains.length === 0) {
    wrap.appendChild(h('p', null, 'No attack path from an entry point reaches a crown jewel in this model.'));
    return wrap;
  }
  const list = h('ol', { class: 'chains', id: 'chain-list' });
  for (const c of v.chains) {
    const sel = state.chain === c.rank;
    list.appendChild(
      h(
        'li',
        { class: sel ? 'selected' : '', 'data-chain': c.rank },
        h('button', { type: 'button', class: 'link', onclick: () => selectChain(sel ? null : c.rank) }, `${c.source.id} → ${c.target.id}`),
        h('span', { class: 'note' }, ` likelihood ${c.probability.toFixed(3)} · ${c.steps.length} steps`),
      ),
    );
    if (sel) {
      list.appendChild(
        h(
          'ol',
          { class: 'steps', id: 'chain-steps' },
          c.steps.map((step) => h('li', null, elementButton(step.from), ` → `, elementButton(step.to), h('span', { class: 'note' }, ` ${step.layer} · ${step.threat} ${step.threatName} · ATLAS ${step.atlas.id} · ${step.access}${step.via ? ` via ${step.via}` : ''} · p=${step.probability.toFixed(3)}${step.controls.length ? ` · lowered by ${step.controls.map((k) => k.id).join(', ')}` : ''}`))),
        ),
      );
    }
  }
  wrap.appendChild(list);
  wrap.appendChild(h('h3', null, 'On the graph'));
  wrap.appendChild(h('div', { class: 'graph-wrap' }, graphSvg()));
  return wrap;
}

// ----------------------------------------------------------------------------------------------
// Side panel
function selectGroup(n) {
  state.selected = null;
  state.group = n;
  renderPanel();
}
function selectChain(rank) {
  state.chain = rank;
  renderMain();
}
function select(id) {
  state.selected = id;
  state.group = null;
  state.preview = null;
  state.cascade = null;
  renderPanel();
  if (state.tab === 'layers' || state.tab === 'graph') renderMain();
}

function renderPanel() {
  const panel = clear($('panel'));
  if (!state.view) return;
  if (state.group) {
    const n = state.group;
    panel.appendChild(h('h2', null, `${n.label} ${n.sub}`));
    panel.appendChild(h('p', { class: 'note' }, `A group of ${n.count} elements; the first ones:`));
    panel.appendChild(h('ul', { class: 'plain' }, n.members.map((m) => h('li', null, elementButton(m)))));
    return;
  }
  const el = state.selected ? elementById(state.selected) : undefined;
  if (!el) {
    panel.appendChild(h('p', { class: 'note' }, 'Click an element (in the layers, the graph or a finding) to see its fields, findings, blast radius and controls.'));
    return;
  }
  const data = elementData(el) || {};
  panel.appendChild(h('h2', { id: 'panel-title' }, el.id));
  panel.appendChild(h('dl', { class: 'fields' }, h('dt', null, 'kind'), h('dd', null, el.kind), h('dt', null, 'layer'), h('dd', null, el.layer), h('dt', null, 'name'), h('dd', null, el.name || '–')));
  // Findings on it
  const mine = state.view.findings.filter((f) => f.element === el.id);
  panel.appendChild(h('h3', null, `Findings (${mine.length})`));
  panel.appendChild(
    h(
      'ul',
      { class: 'plain', id: 'panel-findings' },
      mine.slice(0, 60).map((f) => h('li', null, h('span', { class: `pill ${f.risk.residualBand}` }, f.risk.residual.toFixed(1)), ' ', h('button', { type: 'button', class: 'link', onclick: () => { state.tab = 'findings'; state.openFinding = f.id; state.filters.text = f.id; renderMain(); } }, f.id), h('span', { class: 'note' }, ` ${f.triage}`))),
    ),
  );
  // Blast radius
  const blast = state.view.blast.find((b) => b.id === el.id);
  panel.appendChild(h('h3', null, 'Blast radius'));
  if (blast) {
    panel.appendChild(h('p', { id: 'panel-blast' }, `If ${el.id} is compromised, ${blast.reach} elements fall, ${blast.crownJewels} of them crown jewels (rank ${blast.rank}). By layer: ${Object.entries(blast.byLayer).filter(([, n]) => n > 0).map(([l, n]) => `${l} ${n}`).join(', ') || 'none'}.`));
  } else panel.appendChild(h('p', { class: 'note' }, 'Not computed for this kind of element.'));
  const reach = h('div', { id: 'panel-reach' });
  if (state.cascade && state.cascade.element === el.id) {
    const c = state.cascade.cascade;
    reach.appendChild(h('p', { class: 'note' }, `What it can reach, step by step (${c.reach} elements${c.truncated ? ', list cut short' : ''}):`));
    reach.appendChild(h('ol', { class: 'steps' }, c.steps.slice(0, 100).map((st) => h('li', null, `depth ${st.depth}: `, elementButton(st.from), ' → ', elementButton(st.to), h('span', { class: 'note' }, ` ${st.access} · ${st.threat} · ${st.layer}`)))));
  } else {
    reach.appendChild(
      h('button', { type: 'button', id: 'show-reach', onclick: async () => {
        try {
          state.cascade = await api('GET', `/api/element?id=${encodeURIComponent(el.id)}`);
          renderPanel();
        } catch (err) {
          banner(errorText(err), 'error');
        }
      } }, 'What can it reach?'),
    );
  }
  panel.appendChild(reach);
  // Controls
  panel.appendChild(h('h3', null, 'Controls'));
  const controls = controlsOf(el.id);
  panel.appendChild(
    h(
      'ul',
      { class: 'plain', id: 'panel-controls' },
      controls.length === 0 ? h('li', { class: 'note' }, 'No declared control protects it.') : null,
      controls.map((c) =>
        h(
          'li',
          { 'data-control': c.id },
          `${c.id} (${c.pattern ?? 'no pattern'}, ${c.status ?? 'implemented'}) `,
          h('button', { type: 'button', onclick: () => preview({ remove: [c.id] }, { action: 'remove', id: c.id }) }, 'Preview removal'),
        ),
      ),
    ),
  );
  panel.appendChild(addControlForm(el, mine));
  if (state.preview && state.preview.element === el.id) panel.appendChild(previewBox());
  panel.appendChild(editForm(el, data));
}

function addControlForm(el, mine) {
  const suggested = new Set(mine.filter(isOpen).flatMap((f) => f.defences));
  const pats = state.view.patterns;
  const sel = h('select', { id: 'add-pattern' });
  const group = (label, list) => {
    if (list.length === 0) return;
    const og = document.createElement('optgroup');
    og.label = label;
    for (const p of list) og.appendChild(h('option', { value: p.id }, `${p.id}: ${p.name}`));
    sel.appendChild(og);
  };
  group('Suggested by its findings', pats.filter((p) => suggested.has(p.id)));
  group('All patterns', pats.filter((p) => !suggested.has(p.id)));
  return h(
    'div',
    null,
    h('h3', null, 'Add a control'),
    sel,
    h('div', { class: 'row' }, h('button', { type: 'button', id: 'preview-control', onclick: () => preview({ add: [{ pattern: sel.value, element: el.id }] }, { action: 'add', pattern: sel.value, element: el.id }) }, 'Preview')),
  );
}

async function preview(whatIf, apply) {
  const id = state.selected;
  try {
    const r = await api('POST', '/api/what-if', whatIf);
    state.preview = { element: id, result: r.preview, apply };
  } catch (err) {
    state.preview = { element: id, error: errorText(err), apply };
  }
  renderPanel();
}

function previewBox() {
  const p = state.preview;
  const box = h('div', { class: 'preview', id: 'preview' });
  if (p.error) {
    box.appendChild(h('p', { class: 'error-text' }, p.error));
    return box;
  }
  const r = p.result;
  const delta = r.after.residualTotal - r.before.residualTotal;
  const label = p.apply.action === 'add' ? `Add ${p.apply.pattern} on ${p.apply.element}` : `Remove ${p.apply.id}`;
  box.appendChild(h('p', null, h('strong', null, label), ': residual risk ', h('span', { id: 'preview-before' }, r.before.residualTotal.toFixed(1)), ' → ', h('span', { id: 'preview-after' }, r.after.residualTotal.toFixed(1)), ` (${delta <= 0 ? '' : '+'}${delta.toFixed(1)}); findings mitigated ${r.before.mitigated} → ${r.after.mitigated}.`));
  if (r.changed.length) box.appendChild(h('ul', { class: 'plain' }, r.changed.slice(0, 8).map((c) => h('li', { class: 'note' }, `${c.id}: ${c.before.toFixed(1)} → ${c.after.toFixed(1)}`))));
  else box.appendChild(h('p', { class: 'note' }, 'No finding changes.'));
  box.appendChild(
    h('div', { class: 'row' }, h('button', { type: 'button', class: 'primary', id: 'apply-control', onclick: async () => {
      try {
        await api('POST', '/api/control', p.apply);
        state.preview = null;
        banner(`${label}: applied (not saved yet)`);
        await refresh();
      } catch (err) {
        banner(errorText(err), 'error');
      }
    } }, p.apply.action === 'add' ? 'Add it' : 'Remove it'), h('button', { type: 'button', onclick: () => { state.preview = null; renderPanel(); } }, 'Cancel')),
  );
  return box;
}

// ----------------------------------------------------------------------------------------------
// Forms generated from the JSON Schema of the element's kind
function fieldKind(schema) {
  if (!schema || typeof schema !== 'object') return 'complex';
  if (Array.isArray(schema.enum) && schema.enum.every((x) => typeof x === 'string')) return 'enum';
  if (schema.type === 'string') return 'string';
  if (schema.type === 'boolean') return 'boolean';
  if (schema.type === 'number' || schema.type === 'integer') return 'number';
  if (schema.type === 'array' && schema.items && schema.items.type === 'string') return 'strings';
  return 'complex';
}

function editForm(el, data) {
  const section = state.model.schema.sections.find((x) => x.section === el.section);
  const props = section && section.schema && section.schema.properties ? section.schema.properties : {};
  const form = h('form', { class: 'edit', id: 'edit-form', 'data-element': el.id });
  form.appendChild(h('h3', null, 'Fields'));
  const changed = new Map();
  const fieldId = (k) => `f-${k}`;
  for (const [key, schema] of Object.entries(props)) {
    const kind = fieldKind(schema);
    const has = Object.prototype.hasOwnProperty.call(data, key);
    const value = has ? data[key] : undefined;
    const label = h('label', { for: fieldId(key), title: schema.description || '' }, key);
    if (key === 'id') {
      form.append(label, h('pre', { class: 'ro', id: fieldId(key) }, String(value)));
      continue;
    }
    let input;
    if (kind === 'enum') {
      input = h('select', { id: fieldId(key), name: key }, h('option', { value: '' }, '(not set)'), schema.enum.map((o) => h('option', { value: o }, o)));
      input.value = typeof value === 'string' ? value : '';
      input.addEventListener('change', () => changed.set(key, input.value === '' ? undefined : input.value));
    } else if (kind === 'string') {
      input = key === 'description' ? h('textarea', { id: fieldId(key), name: key, rows: 3 }) : h('input', { type: 'text', id: fieldId(key), name: key });
      input.value = typeof value === 'string' ? value : '';
      input.addEventListener('input', () => changed.set(key, input.value === '' ? undefined : input.value));
    } else if (kind === 'boolean') {
      input = h('input', { type: 'checkbox', id: fieldId(key), name: key, checked: value === true });
      input.addEventListener('change', () => changed.set(key, input.checked));
    } else if (kind === 'number') {
      input = h('input', { type: 'number', id: fieldId(key), name: key, step: schema.type === 'integer' ? '1' : 'any', value: typeof value === 'number' ? String(value) : '' });
      input.addEventListener('input', () => changed.set(key, input.value === '' ? undefined : Number(input.value)));
    } else if (kind === 'strings') {
      input = h('textarea', { id: fieldId(key), name: key, rows: 2, placeholder: 'one per line' });
      input.value = Array.isArray(value) ? value.join('\n') : '';
      input.addEventListener('input', () => {
        const list = input.value.split('\n').map((x) => x.trim()).filter((x) => x !== '');
        changed.set(key, list.length ? list : undefined);
      });
    } else {
      if (!has) continue;
      form.append(label, h('pre', { class: 'ro', id: fieldId(key), title: 'edit this field in the file' }, clip(JSON.stringify(value, null, 1), 2000)));
      continue;
    }
    form.append(label, input);
  }
  // Fields the schema does not list (extensions): shown, kept, not editable here.
  for (const key of Object.keys(data)) {
    if (Object.prototype.hasOwnProperty.call(props, key)) continue;
    form.append(h('label', null, `${key} (kept as written)`), h('pre', { class: 'ro' }, clip(JSON.stringify(data[key], null, 1), 2000)));
  }
  const msg = h('p', { id: 'edit-message' });
  form.append(h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary', id: 'apply-edit' }, 'Apply changes')), msg);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (changed.size === 0) {
      clear(msg).appendChild(document.createTextNode('Nothing changed.'));
      return;
    }
    const set = {};
    const unset = [];
    for (const [k, v] of changed) {
      if (v === undefined) unset.push(k);
      else set[k] = v;
    }
    try {
      await api('PUT', '/api/element', { id: el.id, set, unset });
      banner(`${el.id}: changes applied (not saved yet)`);
      await refresh();
    } catch (err) {
      clear(msg).appendChild(h('span', { class: 'error-text' }, errorText(err)));
    }
  });
  return form;
}

// ----------------------------------------------------------------------------------------------
// Loading, polling, saving
let refreshing = null;
async function refresh() {
  if (refreshing) return refreshing;
  refreshing = (async () => {
    const t0 = performance.now();
    try {
      const [model, view] = await Promise.all([api('GET', '/api/model'), api('GET', '/api/analysis')]);
      const t1 = performance.now();
      state.model = model;
      state.view = view;
      state.revision = view.revision;
      if (state.selected && !elementById(state.selected)) state.selected = null;
      if (state.chain !== null && !view.chains.some((c) => c.rank === state.chain)) state.chain = null;
      renderHeader();
      renderMain();
      renderPanel();
      const t2 = performance.now();
      document.documentElement.dataset.fetchMs = String(Math.round(t1 - t0));
      document.documentElement.dataset.renderMs = String(Math.round(t2 - t1));
      document.documentElement.dataset.revision = String(view.revision);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) banner('This page has no valid token: open the URL that `maestro-tm serve` printed.', 'error');
      else banner(errorText(err), 'error');
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

async function poll() {
  try {
    const st = await api('GET', '/api/state');
    $('reload').hidden = !st.diskChanged;
    if (st.diskChanged) banner(`${st.file} changed on disk while you have unsaved edits. Save is refused until you reload it (which drops your edits).`, 'error');
    if (st.revision !== state.revision && !refreshing) await refresh();
  } catch {
    // the server stopped: say so once
    banner('The server does not answer (was maestro-tm serve stopped?).', 'error');
  }
}

async function save() {
  try {
    const r = await api('POST', '/api/save', {});
    banner(r.message);
    await refresh();
  } catch (err) {
    banner(errorText(err), 'error');
    if (err instanceof ApiError && err.status === 409) $('reload').hidden = false;
  }
}

async function reload() {
  try {
    await api('POST', '/api/reload', {});
    banner('Reloaded from disk.');
    $('reload').hidden = true;
    await refresh();
  } catch (err) {
    banner(errorText(err), 'error');
  }
}

async function start() {
  for (const b of document.querySelectorAll('#tabs button')) {
    b.addEventListener('click', () => {
      state.tab = b.dataset.tab;
      renderMain();
    });
  }
  $('save').addEventListener('click', save);
  $('reload').addEventListener('click', reload);
  if (FRAGMENT.launch && !(await redeemLaunch(FRAGMENT.launch)) && !TOKEN) {
    banner('This launch link was already used or has expired: open the URL that `maestro-tm serve` printed (it ends with #token=…).', 'error');
    return;
  }
  if (!TOKEN) {
    banner('This page has no token: open the URL that `maestro-tm serve` printed (it ends with #token=…).', 'error');
    return;
  }
  void refresh();
  setInterval(poll, 1500);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => void start());
else void start();
