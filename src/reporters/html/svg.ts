/**
 * SVG diagrams of the HTML report, drawn by hand from computed coordinates (no script, no external
 * resources). Every text from the model goes through the `html` template (escaped) and is shortened;
 * class names come from fixed allow-lists, never from model text.
 */
import { ELEMENT_KINDS } from '../../model/kinds.js';
import { LAYERS } from '../../model/layers.js';
import type { ModelGraph } from '../../model/resolve.js';
import type { ChainView } from '../../graph/index.js';
import type { RiskBand } from '../../risk/index.js';
import type { AnalysedFinding } from '../../engine/analyse.js';
import { clip, html, join, raw, truncate, type SafeHtml } from './escape.js';
import type { GraphNode, LaidOutGraph } from './layout.js';

const BAND_ORDER: readonly RiskBand[] = ['low', 'medium', 'high', 'critical'];

export function kindClass(kind: string): string {
  return (ELEMENT_KINDS as readonly string[]).includes(kind) ? `k-${kind}` : 'k-other';
}

export function bandClass(band: string | undefined): string {
  return band !== undefined && (BAND_ORDER as readonly string[]).includes(band) ? `b-${band}` : 'b-none';
}

export function worseBand(a: RiskBand | undefined, b: RiskBand): RiskBand {
  return a === undefined || BAND_ORDER.indexOf(b) > BAND_ORDER.indexOf(a) ? b : a;
}

/** Shared marker definitions, emitted once per page. */
export function svgDefs(): SafeHtml {
  return raw(
    '<svg class="defs" width="0" height="0" aria-hidden="true" focusable="false"><defs>' +
      '<marker id="mtm-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" class="arrowhead"/></marker>' +
      '<marker id="mtm-arrow-hot" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" class="arrowhead hot"/></marker>' +
      '</defs></svg>',
  );
}

function describe(spec: Readonly<Record<string, unknown>> | undefined, id: string, kind: string): string {
  const name = spec && typeof spec['name'] === 'string' ? spec['name'] : '';
  const desc = spec && typeof spec['description'] === 'string' ? spec['description'] : '';
  const parts = [`${id} (${kind})`];
  if (name !== '') parts.push(truncate(name, 120));
  if (desc !== '') parts.push(truncate(desc, 300));
  return parts.join(' · ');
}

export interface LayerViewOptions {
  /** Above this many elements on one layer, the layer shows one box per kind with a count. */
  readonly perLayerMax?: number;
  readonly width?: number;
}

/**
 * The seven MAESTRO layers as horizontal bands, L7 at the top, each element a box in its band,
 * outlined by the worst open residual risk band of its findings.
 */
export function layerView(g: ModelGraph, bands: ReadonlyMap<number, RiskBand>, options: LayerViewOptions = {}): SafeHtml {
  const perLayerMax = options.perLayerMax ?? 36;
  const W = options.width ?? 1120;
  const left = 220;
  const boxW = 168;
  const boxH = 28;
  const gap = 8;
  const perRow = Math.max(1, Math.floor((W - left - 10 + gap) / (boxW + gap)));
  const byLayer: number[][] = LAYERS.map(() => []);
  for (let i = 0; i < g.size; i++) byLayer[g.layers[i] ?? 0]?.push(i);
  const parts: SafeHtml[] = [];
  let y = 0;
  for (let li = LAYERS.length - 1; li >= 0; li--) {
    const layer = LAYERS[li];
    const members = byLayer[li] ?? [];
    if (!layer) continue;
    interface Item {
      label: string;
      kind: string;
      title: string;
      band: RiskBand | undefined;
      count: number;
    }
    const items: Item[] = [];
    if (members.length <= perLayerMax) {
      for (const i of members) {
        const kind = ELEMENT_KINDS[g.kinds[i] ?? 0] ?? 'agent';
        const id = g.ids[i] ?? '';
        items.push({ label: truncate(id, 22), kind, title: describe(g.specs[i], id, kind), band: bands.get(i), count: 1 });
      }
    } else {
      const byKind = new Map<number, { n: number; band: RiskBand | undefined; sample: string[] }>();
      for (const i of members) {
        const k = g.kinds[i] ?? 0;
        const cur = byKind.get(k) ?? { n: 0, band: undefined, sample: [] };
        cur.n++;
        const b = bands.get(i);
        if (b !== undefined) cur.band = worseBand(cur.band, b);
        if (cur.sample.length < 12) cur.sample.push(g.ids[i] ?? '');
        byKind.set(k, cur);
      }
      for (const k of [...byKind.keys()].sort((a, b) => a - b)) {
        const v = byKind.get(k);
        if (!v) continue;
        const kind = ELEMENT_KINDS[k] ?? 'agent';
        items.push({ label: `${v.n} × ${kind}`, kind, title: `${v.n} ${kind} elements: ${v.sample.join(', ')}${v.n > v.sample.length ? ', …' : ''}`, band: v.band, count: v.n });
      }
    }
    const rows = Math.max(1, Math.ceil(items.length / perRow));
    const bandH = Math.max(60, rows * (boxH + gap) + 16);
    const cells = items.map((it, n) => {
      const bx = left + (n % perRow) * (boxW + gap);
      const by = y + 10 + Math.floor(n / perRow) * (boxH + gap);
      return html`<g class="el ${kindClass(it.kind)} ${bandClass(it.band)}"><title>${it.title}</title><rect x="${bx}" y="${by}" width="${boxW}" height="${boxH}" rx="4"/><text x="${bx + 8}" y="${by + 18}">${it.label}</text></g>`;
    });
    parts.push(
      html`<g class="layer layer-${li + 1}" data-layer="${layer.id}"><rect class="band" x="0" y="${y}" width="${W}" height="${bandH}"/><text class="layer-id" x="10" y="${y + 20}">${layer.id}</text><text class="layer-name" x="10" y="${y + 35}">${layer.name}</text><text class="layer-count" x="10" y="${y + 50}">${members.length} element${members.length === 1 ? '' : 's'}</text>${items.length === 0 ? html`<text class="empty" x="${left}" y="${y + 29}">nothing modelled on this layer</text>` : join(cells)}</g>`,
    );
    y += bandH + 4;
  }
  const H = y;
  return html`<svg class="diagram layer-view" role="img" aria-label="The system on the seven MAESTRO layers" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${join(parts)}</svg>`;
}

function nodeTitle(n: GraphNode): string {
  if (n.count === 1) return `${n.members[0] ?? ''} (${n.kind})${n.hub ? `: linked to ${n.links} elements` : ''}`;
  return `${n.label}${n.sub ? ` ${n.sub}` : ''}: ${n.members.join(', ')}${n.count > n.members.length ? ', …' : ''}`;
}

/** The system graph from ELK's coordinates: frames for boundaries, boxes, orthogonal edges. */
export function systemGraph(l: LaidOutGraph, bands: ReadonlyMap<string, RiskBand>, hot: ReadonlySet<string>): SafeHtml {
  const W = Math.max(l.width, 200);
  const H = Math.max(l.height, 60);
  const frames = l.graph.frames.map((f) => {
    const b = l.frames.get(f.id);
    if (!b) return raw('');
    return html`<g class="frame"><title>trust boundary ${f.boundary}</title><rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" rx="6"/><text x="${b.x + 8}" y="${b.y + 17}">${truncate(f.label, Math.max(8, Math.floor(b.width / 7)))}</text></g>`;
  });
  const edges = l.graph.edges.map((e) => {
    const pts = l.edges.get(e.id);
    if (!pts) return raw('');
    const isHot = hot.has(`${e.from}>${e.to}`);
    const d = pts.map(([x, y]) => `${x},${y}`).join(' ');
    const mid = midpoint(pts);
    const label = e.count > 1 ? html`<text class="count" x="${mid[0] + 3}" y="${mid[1] - 3}">×${e.count}</text>` : raw('');
    return html`<g class="edge${isHot ? ' hot' : ''} ${e.types.includes('channel') ? 'channel' : 'ref'}"><title>${e.types.join(', ')}${e.count > 1 ? ` (${e.count} links)` : ''}</title><polyline points="${d}" marker-end="${raw(isHot ? 'url(#mtm-arrow-hot)' : 'url(#mtm-arrow)')}"/>${label}</g>`;
  });
  const nodes = l.graph.nodes.map((n) => {
    const b = l.nodes.get(n.id);
    if (!b) return raw('');
    const maxChars = Math.max(6, Math.floor((b.width - 14) / 7));
    return html`<g class="node ${kindClass(n.kind)} ${bandClass(bands.get(n.id))}${n.count > 1 ? ' group' : ''}${n.hub ? ' hub' : ''}"><title>${nodeTitle(n)}</title><rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" rx="${n.count > 1 ? 10 : 4}"/><text x="${b.x + 7}" y="${b.y + 17}">${truncate(n.label, maxChars)}</text><text class="sub" x="${b.x + 7}" y="${b.y + 32}">${truncate(n.sub, Math.floor(maxChars * 1.15))}</text></g>`;
  });
  return html`<svg class="diagram system-graph" role="img" aria-label="System graph" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${join(frames)}${join(edges)}${join(nodes)}</svg>`;
}

/** The middle of a polyline's longest segment (for a count label). */
function midpoint(pts: readonly (readonly [number, number])[]): readonly [number, number] {
  let best: readonly [number, number] = pts[0] ?? [0, 0];
  let bestLen = -1;
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1];
    const b = pts[i];
    if (!a || !b) continue;
    const len = Math.abs(b[0] - a[0]) + Math.abs(b[1] - a[1]);
    if (len > bestLen) {
      bestLen = len;
      best = [Math.round((a[0] + b[0]) / 2), Math.round((a[1] + b[1]) / 2)];
    }
  }
  return best;
}

/** One attack chain, top to bottom: element boxes, and each step's threat, ATLAS technique and layer beside its arrow. */
export function chainDiagram(c: ChainView, kinds: ReadonlyMap<string, string>, maxSteps = 16): SafeHtml {
  const steps = c.steps.slice(0, maxSteps);
  const boxW = 300;
  const boxH = 32;
  const gapH = 66;
  const W = 620;
  const x = 10;
  const parts: SafeHtml[] = [];
  const box = (id: string, y: number, cls: string) => {
    const kind = kinds.get(id) ?? 'other';
    return html`<g class="node ${kindClass(kind)} ${cls}"><title>${id} (${kind})</title><rect x="${x}" y="${y}" width="${boxW}" height="${boxH}" rx="4"/><text x="${x + 8}" y="${y + 20}">${truncate(id, 40)}</text></g>`;
  };
  let y = 10;
  parts.push(box(c.source.id, y, 'source'));
  steps.forEach((s, i) => {
    const y0 = y + boxH;
    const y1 = y0 + gapH;
    const ax = x + 24;
    parts.push(
      html`<g class="step" data-step="${i + 1}"><line class="edge-line${s.access === 'read' ? ' read' : ''}" x1="${ax}" y1="${y0}" x2="${ax}" y2="${y1 - 1}" marker-end="${raw('url(#mtm-arrow-hot)')}"/><text class="step-threat" x="${ax + 14}" y="${y0 + 17}">${i + 1}. ${s.threat} ${truncate(s.threatName, 60)}</text><text class="step-atlas" x="${ax + 14}" y="${y0 + 33}">ATLAS ${s.atlas.id} ${truncate(s.atlas.name, 56)}</text><text class="step-layer" x="${ax + 14}" y="${y0 + 49}">${s.layer} · ${s.access === 'read' ? 'reads the data' : 'takes control'} · p ${s.probability.toFixed(2)}${s.via !== null ? ` · via ${truncate(s.via, 30)}` : ''}${s.controls.length ? ` · lowered by ${truncate(s.controls.map((k) => k.id).join(', '), 40)}` : ''}</text></g>`,
    );
    y = y1;
    parts.push(box(s.to, y, i === steps.length - 1 && steps.length === c.steps.length ? 'target' : ''));
  });
  if (steps.length < c.steps.length) {
    parts.push(html`<text class="more" x="${x}" y="${y + boxH + 20}">… ${c.steps.length - steps.length} more steps (see the JSON report)</text>`);
    y += 30;
  }
  const H = y + boxH + 10;
  return html`<svg class="diagram chain" role="img" aria-label="Attack chain ${c.rank}" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${join(parts)}</svg>`;
}

/**
 * Likelihood × impact grid (five bands of two points each) with the number of findings per cell,
 * each cell coloured by the worst risk band among its findings.
 */
export function heatMap(findings: readonly AnalysedFinding[], which: 'residual' | 'inherent'): SafeHtml {
  const N = 5;
  const counts = new Int32Array(N * N);
  const worst: (RiskBand | undefined)[] = new Array<RiskBand | undefined>(N * N).fill(undefined);
  const bucket = (v: number) => Math.min(N - 1, Math.max(0, Math.floor(v / 2)));
  for (const f of findings) {
    const l = which === 'residual' ? f.risk.residualLikelihood : f.risk.likelihood;
    const i = bucket(f.risk.impact);
    const li = bucket(l);
    const cell = li * N + i;
    counts[cell] = (counts[cell] ?? 0) + 1;
    worst[cell] = worseBand(worst[cell], which === 'residual' ? f.risk.residualBand : f.risk.band);
  }
  const cw = 64;
  const ch = 44;
  const left = 56;
  const top = 10;
  const cells: SafeHtml[] = [];
  for (let li = 0; li < N; li++) {
    for (let i = 0; i < N; i++) {
      const n = counts[li * N + i] ?? 0;
      const cx = left + i * cw;
      const cy = top + (N - 1 - li) * ch;
      cells.push(
        html`<g class="cell ${n > 0 ? bandClass(worst[li * N + i]) : 'b-empty'}" data-count="${n}"><title>likelihood ${li * 2}–${li * 2 + 2}, impact ${i * 2}–${i * 2 + 2}: ${n} finding${n === 1 ? '' : 's'}</title><rect x="${cx}" y="${cy}" width="${cw - 2}" height="${ch - 2}"/>${n > 0 ? html`<text x="${cx + cw / 2 - 1}" y="${cy + ch / 2 + 4}">${n}</text>` : raw('')}</g>`,
      );
    }
  }
  const axis: SafeHtml[] = [];
  for (let k = 0; k < N; k++) {
    axis.push(html`<text class="tick" x="${left + k * cw + cw / 2 - 1}" y="${top + N * ch + 14}">${k * 2}–${k * 2 + 2}</text>`);
    axis.push(html`<text class="tick" x="${left - 8}" y="${top + (N - 1 - k) * ch + ch / 2 + 4}">${k * 2}–${k * 2 + 2}</text>`);
  }
  const W = left + N * cw + 10;
  const H = top + N * ch + 40;
  const title = which === 'residual' ? 'after declared controls' : 'before controls';
  return html`<svg class="diagram heat" role="img" aria-label="Risk heat map, ${title}" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${join(cells)}${join(axis)}<text class="axis" x="${left + (N * cw) / 2}" y="${H - 6}">impact</text><text class="axis vertical" x="12" y="${top + (N * ch) / 2}" transform="rotate(-90 12 ${top + (N * ch) / 2})">likelihood</text></svg>`;
}

/** Seven small bars: elements reached per layer (L1..L7). */
export function layerBars(byLayer: Readonly<Record<string, number>>, max: number): SafeHtml {
  const bars: SafeHtml[] = [];
  const h = 22;
  LAYERS.forEach((l, i) => {
    const v = byLayer[l.id] ?? 0;
    const bh = max > 0 ? Math.round((v / max) * h) : 0;
    bars.push(html`<rect class="bar layer-${i + 1}" x="${i * 9}" y="${h - bh}" width="7" height="${bh}"><title>${l.id}: ${v}</title></rect>`);
  });
  return html`<svg class="bars" xmlns="http://www.w3.org/2000/svg" width="63" height="${h}" viewBox="0 0 63 ${h}" role="img" aria-label="${clip(LAYERS.map((l) => `${l.id} ${byLayer[l.id] ?? 0}`).join(', '), 200)}">${join(bars)}</svg>`;
}
