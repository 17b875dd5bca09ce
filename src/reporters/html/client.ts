/**
 * The report's stylesheet and its one inline script, as fixed text: the page's Content-Security-
 * Policy allows exactly these two blocks by their sha256 hashes, so they never contain model data.
 *
 * The script reads the findings from `<script type="application/json" id="mtm-data">` with
 * JSON.parse and builds table rows with createElement and textContent only (never innerHTML; the
 * policy also requires Trusted Types, so an innerHTML assignment would throw). It filters by layer,
 * risk band, status and free text, and sorts by any column.
 */

export const STYLE = `
:root{--fg:#1d2330;--muted:#5b6475;--line:#d5dae3;--bg:#fff;--soft:#f4f6f9;--crit:#b0122b;--high:#d9480f;--med:#c99400;--low:#2f7d4f;--none:#8a93a3;--accent:#2953a6}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
header.top{padding:18px 28px;border-bottom:1px solid var(--line);background:var(--soft)}
header.top h1{margin:0 0 4px;font-size:22px}
header.top p{margin:0;color:var(--muted)}
nav.toc{position:sticky;top:0;z-index:2;background:var(--bg);border-bottom:1px solid var(--line);padding:8px 28px;display:flex;flex-wrap:wrap;gap:14px}
nav.toc a{color:var(--accent);text-decoration:none}
nav.toc a:hover{text-decoration:underline}
main{padding:8px 28px 40px}
section{margin:22px 0 30px}
h2{font-size:19px;border-bottom:2px solid var(--line);padding-bottom:4px}
h3{font-size:16px;margin:18px 0 6px}
.note{color:var(--muted)}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px;overflow-wrap:anywhere}
table{border-collapse:collapse;margin:8px 0}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--soft)}
td.num,th.num{text-align:right}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:10px 0}
.card{border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:120px;background:var(--bg)}
.card .n{font-size:22px;font-weight:600}
.card .l{color:var(--muted)}
.pill{display:inline-block;border-radius:10px;padding:0 8px;color:#fff;font-weight:600;font-size:12px}
.pill.b-critical{background:var(--crit)}.pill.b-high{background:var(--high)}.pill.b-medium{background:var(--med)}.pill.b-low{background:var(--low)}.pill.b-none{background:var(--none)}
.scroll{overflow:auto;max-width:100%;border:1px solid var(--line);border-radius:6px;background:var(--bg)}
.scroll.tall{max-height:820px}
svg.defs{position:absolute;width:0;height:0;overflow:hidden}
svg.diagram{display:block;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:12px}
svg .band{fill:#f7f8fb;stroke:var(--line)}
svg .layer-id{font-weight:700;font-size:14px;fill:var(--fg)}svg .layer-name{font-weight:600;font-size:11.5px;fill:var(--fg)}
svg .layer-count,svg .empty,svg .sub,svg .tick,svg .axis{fill:var(--muted);font-size:10.5px}
svg .empty{font-style:italic}
svg .el rect,svg .node rect{fill:#fff;stroke:#7b8597;stroke-width:1.2}
svg .el text,svg .node text{fill:var(--fg)}
svg .k-agent rect{fill:#e6eefc}svg .k-model rect{fill:#f3e8fd}svg .k-tool rect,svg .k-mcp-server rect{fill:#e5f6f0}
svg .k-memory rect,svg .k-asset rect{fill:#fdf3e1}svg .k-human rect{fill:#fde8ec}svg .k-external-system rect,svg .k-entry-point rect{fill:#eceff3}
svg .k-dependency rect{fill:#eef3e2}svg .k-control rect,svg .k-boundary rect{fill:#e9f4fb}
svg .b-critical rect{stroke:var(--crit);stroke-width:2.6}svg .b-high rect{stroke:var(--high);stroke-width:2.2}svg .b-medium rect{stroke:var(--med);stroke-width:1.8}
svg .node.group rect{stroke-dasharray:5 3}
svg .node.hub rect{stroke-width:2.4}
svg .frame rect{fill:none;stroke:#6c7a91;stroke-dasharray:6 4}
svg .frame text{fill:#4b5567;font-size:11px;font-weight:600}
svg .edge polyline{fill:none;stroke:#8d96a8;stroke-width:1.1}
svg .edge.channel polyline{stroke:#4767a8}
svg .edge.hot polyline{stroke:var(--crit);stroke-width:2}
svg .edge .count{fill:var(--muted);font-size:10px}
svg .arrowhead{fill:#8d96a8}svg .arrowhead.hot{fill:var(--crit)}
svg .chain .node rect{fill:#fff}
svg .node.source rect{stroke:var(--high);stroke-width:2.2}svg .node.target rect{stroke:var(--crit);stroke-width:2.6}
svg .edge-line{stroke:var(--crit);stroke-width:2}
svg .edge-line.read{stroke-dasharray:5 3}
svg .step-threat{font-weight:600;fill:var(--fg)}svg .step-atlas{fill:#5b3e96}svg .step-layer{fill:var(--muted)}
svg .more{fill:var(--muted)}
svg .cell rect{stroke:#fff}
svg .cell.b-empty rect{fill:#eef0f4}svg .cell.b-low rect{fill:#9fd3b2}svg .cell.b-medium rect{fill:#f3d77a}svg .cell.b-high rect{fill:#f5a36c}svg .cell.b-critical rect{fill:#e0667a}
svg .cell text{text-anchor:middle;font-weight:600;fill:#1d2330}
svg .tick{text-anchor:middle}svg .axis{text-anchor:middle;font-size:11.5px}
svg .bar{fill:#6f86b8}
.heat-row{display:flex;flex-wrap:wrap;gap:28px}
figure{margin:12px 0 22px}
figcaption{font-weight:600;margin:4px 0}
.chains{display:grid;grid-template-columns:repeat(auto-fill,minmax(600px,1fr));gap:14px}
.chains figure{border:1px solid var(--line);border-radius:6px;padding:8px 10px;margin:0;overflow:auto}
.filters{display:flex;flex-wrap:wrap;gap:12px;align-items:end;margin:10px 0}
.filters label{display:flex;flex-direction:column;font-size:12px;color:var(--muted)}
.filters input,.filters select{font:inherit;padding:3px 6px;min-width:140px}
.filters input[type=search]{min-width:260px}
#findings th button{font:inherit;font-weight:600;border:0;background:none;cursor:pointer;padding:0;color:var(--fg)}
#findings th[aria-sort=ascending] button::after{content:" \\25B2"}
#findings th[aria-sort=descending] button::after{content:" \\25BC"}
#findings{width:100%}
#findings thead th{position:sticky;top:0;z-index:1}
#findings td.msg{min-width:280px;max-width:560px}
#findings td.mono{min-width:150px}
#findings td.thr{min-width:90px}
#findings tr.details td{background:var(--soft)}
#findings button.toggle{font:inherit;border:0;background:none;color:var(--accent);cursor:pointer;padding:0;text-align:left}
#findings ul{margin:4px 0 4px 18px;padding:0}
.details h4{margin:6px 0 2px;font-size:13px}
details{margin:6px 0}
summary{cursor:pointer}
ol.cascade{margin:4px 0 8px 18px;padding:0}
@media print{nav.toc{display:none}.scroll{overflow:visible;max-height:none}}
`;

export const SCRIPT = `
(function () {
  'use strict';
  var dataEl = document.getElementById('mtm-data');
  var table = document.getElementById('findings');
  if (!dataEl || !table) return;
  var data = JSON.parse(dataEl.textContent || '{}');
  var rows = Array.isArray(data.findings) ? data.findings : [];
  var tbody = table.tBodies[0];
  var SEV = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };
  var BAND = { low: 1, medium: 2, high: 3, critical: 4 };
  var COLUMNS = {
    residual: function (r) { return r.residual; },
    inherent: function (r) { return r.inherent; },
    severity: function (r) { return SEV[r.severity] || 0; },
    layer: function (r) { return Number(String(r.layer).slice(1)) || 0; },
    status: function (r) { return r.status; },
    id: function (r) { return r.id; },
    element: function (r) { return r.element; },
    threats: function (r) { return r.threats; },
    message: function (r) { return r.message; }
  };
  var PAGE = 500;
  var state = { key: 'residual', dir: -1, limit: PAGE };
  var moreBtn = document.getElementById('f-more');
  var filterLayer = document.getElementById('f-layer');
  var filterBand = document.getElementById('f-band');
  var filterStatus = document.getElementById('f-status');
  var filterText = document.getElementById('f-text');
  var shown = document.getElementById('f-count');

  function cmp(a, b) {
    var get = COLUMNS[state.key] || COLUMNS.residual;
    var x = get(a), y = get(b);
    var c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
    if (c === 0) c = a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    return c * state.dir;
  }
  function matches(r) {
    if (filterLayer && filterLayer.value && r.layer !== filterLayer.value) return false;
    if (filterBand && filterBand.value && r.residualBand !== filterBand.value) return false;
    if (filterStatus && filterStatus.value && r.status !== filterStatus.value) return false;
    var q = filterText ? filterText.value.trim().toLowerCase() : '';
    if (q) {
      var hay = (r.id + ' ' + r.element + ' ' + r.threats + ' ' + r.message).toLowerCase();
      if (hay.indexOf(q) < 0) return false;
    }
    return true;
  }
  function cell(tr, text, cls) {
    var td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    tr.appendChild(td);
    return td;
  }
  function pill(td, band) {
    var s = document.createElement('span');
    s.className = 'pill b-' + (BAND[band] ? band : 'none');
    s.textContent = band;
    td.appendChild(document.createTextNode(' '));
    td.appendChild(s);
  }
  function list(parent, title, items) {
    if (!items || !items.length) return;
    var h = document.createElement('h4');
    h.textContent = title;
    parent.appendChild(h);
    var ul = document.createElement('ul');
    items.forEach(function (t) {
      var li = document.createElement('li');
      li.textContent = t;
      ul.appendChild(li);
    });
    parent.appendChild(ul);
  }
  function details(r) {
    var tr = document.createElement('tr');
    tr.className = 'details';
    var td = document.createElement('td');
    td.colSpan = 9;
    var div = document.createElement('div');
    div.className = 'details';
    list(div, 'What', [r.message]);
    list(div, 'Threats', r.threatNames);
    list(div, 'Why this score', r.why);
    list(div, 'Evidence', r.evidence);
    list(div, 'Defences that would lower it', r.defences);
    list(div, 'Controls', r.controls);
    list(div, 'Tracking', r.tracking);
    if (r.more) list(div, 'More', [r.more]);
    td.appendChild(div);
    tr.appendChild(td);
    return tr;
  }
  function render() {
    var visible = rows.filter(matches).sort(cmp);
    var frag = document.createDocumentFragment();
    visible.slice(0, state.limit).forEach(function (r) {
      var tr = document.createElement('tr');
      tr.className = 'finding';
      pill(cell(tr, r.residual.toFixed(1), 'num'), r.residualBand);
      pill(cell(tr, r.inherent.toFixed(1), 'num'), r.band);
      cell(tr, r.severity);
      cell(tr, r.layer);
      cell(tr, r.status);
      var idCell = cell(tr, '', 'mono');
      var btn = document.createElement('button');
      btn.type = 'button';
      btn.className = 'toggle';
      btn.textContent = r.id;
      btn.setAttribute('aria-expanded', 'false');
      btn.addEventListener('click', function () {
        var next = tr.nextElementSibling;
        if (next && next.className === 'details') {
          next.remove();
          btn.setAttribute('aria-expanded', 'false');
        } else {
          tr.after(details(r));
          btn.setAttribute('aria-expanded', 'true');
        }
      });
      idCell.appendChild(btn);
      cell(tr, r.element, 'mono');
      cell(tr, r.threats, 'thr');
      cell(tr, r.message, 'msg');
      frag.appendChild(tr);
    });
    tbody.replaceChildren(frag);
    var n = Math.min(visible.length, state.limit);
    if (shown) shown.textContent = 'Showing ' + n + ' of ' + visible.length + ' matching (' + rows.length + ' findings)';
    if (moreBtn) {
      moreBtn.hidden = visible.length <= state.limit;
      moreBtn.textContent = 'Show ' + Math.min(PAGE, visible.length - n) + ' more';
    }
    Array.prototype.forEach.call(table.tHead.querySelectorAll('th[data-key]'), function (th) {
      th.setAttribute('aria-sort', th.getAttribute('data-key') === state.key ? (state.dir > 0 ? 'ascending' : 'descending') : 'none');
    });
  }
  Array.prototype.forEach.call(table.tHead.querySelectorAll('th[data-key] button'), function (b) {
    b.addEventListener('click', function () {
      var key = b.parentElement.getAttribute('data-key');
      if (!COLUMNS[key]) return;
      if (state.key === key) state.dir = -state.dir;
      else { state.key = key; state.dir = key === 'residual' || key === 'inherent' || key === 'severity' ? -1 : 1; }
      render();
    });
  });
  [filterLayer, filterBand, filterStatus, filterText].forEach(function (el) {
    if (el) el.addEventListener('input', function () { state.limit = PAGE; render(); });
  });
  if (moreBtn) moreBtn.addEventListener('click', function () { state.limit += PAGE; render(); });
  var form = document.getElementById('filters');
  if (form) form.addEventListener('submit', function (e) { e.preventDefault(); });
  render();
})();
`;
