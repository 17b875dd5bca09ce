/**
 * OWASP Threat Dragon v2 model (`analyze --format td`): the system as one data-flow diagram that
 * Threat Dragon opens, with the findings as threats on the elements they are about.
 *
 * Mapping: agents, models, tools and MCP servers → processes; memories → stores; humans and
 * external systems → actors; trust boundaries → trust-boundary boxes drawn around the elements they
 * hold; channels → flows; the other relations between drawn elements (uses model, invokes, reads,
 * writes, delegates...) → dashed flows marked data["maestro.derived"]. Every drawn element carries
 * data["maestro.kind"], ["maestro.layer"], ["maestro.section"] and ["maestro.element"] (the element
 * as written, JSON); elements that are not drawn (dependencies, deployments, observability,
 * controls, lifecycle, assets, entry points) and the other top-level keys are kept in the summary
 * as maestro.section.<section> and maestro.top.<key> (JSON). `maestro-tm import threat-dragon`
 * rebuilds the model exactly from them.
 *
 * Findings → threats: title = the finding's message, type = the STRIDE category of its first
 * catalogue threat, status Open / Mitigated / NotApplicable (false positive, accepted), severity
 * High (critical, high), Medium or Low, mitigation = the defensive patterns, with the finding id.
 */
import type { Reporter, ReportContext } from '../index.js';
import type { AnalysedFinding, Analysis } from '../../engine/analyse.js';
import { resolveModel } from '../../model/resolve.js';
import { EDGE_TYPES } from '../../model/references.js';
import { inertJson } from '../_escape.js';
import { EDGE_LABELS } from '../mermaid/index.js';
import { effectiveStatus } from '../navigator/techniques.js';
import { listElements, type ElementEntry } from '../otm/elements.js';

export const TD_VERSION = '2.3.0';

const SHAPES: Record<string, { shape: string; type: string; w: number; h: number }> = {
  agent: { shape: 'process', type: 'tm.Process', w: 100, h: 100 },
  model: { shape: 'process', type: 'tm.Process', w: 100, h: 100 },
  tool: { shape: 'process', type: 'tm.Process', w: 100, h: 100 },
  'mcp-server': { shape: 'process', type: 'tm.Process', w: 100, h: 100 },
  memory: { shape: 'store', type: 'tm.Store', w: 160, h: 80 },
  human: { shape: 'actor', type: 'tm.Actor', w: 160, h: 80 },
  'external-system': { shape: 'actor', type: 'tm.Actor', w: 160, h: 80 },
};

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

const STRIDE: Record<string, string> = {
  S: 'Spoofing',
  T: 'Tampering',
  R: 'Repudiation',
  I: 'Information disclosure',
  D: 'Denial of service',
  E: 'Elevation of privilege',
};

function tdSeverity(f: AnalysedFinding): string {
  return f.severity === 'critical' || f.severity === 'high' ? 'High' : f.severity === 'medium' ? 'Medium' : 'Low';
}

function tdStatus(f: AnalysedFinding): string {
  const s = effectiveStatus(f);
  return s === 'mitigated' ? 'Mitigated' : s === 'accepted' || s === 'false-positive' ? 'NotApplicable' : 'Open';
}

const CELL = 'maestro-';
const COLS = 4;
const PAD = 40;
const STEP_X = 220;
const STEP_Y = 160;

export function renderThreatDragon(a: Analysis, ctx: ReportContext): string {
  const model = ctx.model as unknown as Record<string, unknown>;
  const elements = listElements(ctx.model);
  const drawn = elements.filter((e) => Object.hasOwn(SHAPES, e.kind));
  const boundaries = elements.filter((e) => e.kind === 'boundary');
  const channels = elements.filter((e) => e.kind === 'channel');
  const isDrawn = new Set(drawn.map((e) => e.id));
  const isBoundary = new Set(boundaries.map((b) => b.id));

  // Findings → threats, per element.
  let number = 0;
  const threats = new Map<string, Record<string, unknown>[]>();
  for (const f of a.findings) {
    const t = ctx.catalogue.threats.get(f.threats[0] ?? '');
    const stride = t?.stride[0];
    const list = threats.get(f.element) ?? [];
    list.push({
      id: f.id,
      title: f.message,
      type: stride !== undefined ? (STRIDE[stride] ?? stride) : 'Spoofing',
      status: tdStatus(f),
      severity: tdSeverity(f),
      description: `${f.message} (maestro-tm rule ${f.rule}; threats ${f.threats.join(', ')}; layer ${f.layer}).`,
      mitigation: f.defences.length > 0 ? `Defensive patterns: ${f.defences.join(', ')}.${f.mitigatedBy.length > 0 ? ` Mitigated by: ${f.mitigatedBy.join(', ')}.` : ''}` : '',
      modelType: 'STRIDE',
      number: ++number,
      score: '',
    });
    threats.set(f.element, list);
  }

  const meta = (e: ElementEntry): Record<string, string> => ({
    'maestro.kind': e.kind,
    'maestro.layer': e.layer,
    'maestro.section': e.section,
    'maestro.element': JSON.stringify(e.spec),
  });

  // Layout: one group per boundary (elements whose own boundary it is), then the unplaced ones.
  const groups = new Map<string, ElementEntry[]>();
  for (const e of drawn) {
    const b = str(e.spec['boundary']);
    const key = b !== undefined && isBoundary.has(b) ? b : '';
    const g = groups.get(key) ?? [];
    g.push(e);
    groups.set(key, g);
  }
  const cells: Record<string, unknown>[] = [];
  const position = new Map<string, { x: number; y: number; w: number; h: number }>();
  let top = PAD;
  let z = 1;
  const order = [...boundaries.map((b) => b.id), ''];
  for (const key of order) {
    const members = groups.get(key) ?? [];
    const rows = Math.max(1, Math.ceil(members.length / COLS));
    const boxH = rows * STEP_Y + PAD;
    const boxW = Math.max(1, Math.min(COLS, members.length)) * STEP_X + PAD;
    if (key !== '') {
      const b = boundaries.find((x) => x.id === key);
      if (b) {
        cells.push({
          position: { x: PAD / 2, y: top - PAD / 2 },
          size: { width: boxW, height: boxH },
          attrs: { label: { text: str(b.spec['name']) ?? b.id }, body: { stroke: '#333333', strokeWidth: 3, strokeDasharray: '10 5' } },
          visible: true,
          shape: 'trust-boundary-box',
          zIndex: z++,
          id: `${CELL}${b.id}`,
          data: { type: 'tm.BoundaryBox', name: str(b.spec['name']) ?? b.id, description: str(b.spec['description']) ?? '', isTrustBoundary: true, hasOpenThreats: false, ...meta(b) },
        });
      }
    }
    members.forEach((e, i) => {
      const s = SHAPES[e.kind] ?? { shape: 'process', type: 'tm.Process', w: 100, h: 100 };
      const x = PAD + (i % COLS) * STEP_X;
      const y = top + Math.floor(i / COLS) * STEP_Y;
      position.set(e.id, { x, y, w: s.w, h: s.h });
      const list = threats.get(e.id) ?? [];
      cells.push({
        position: { x, y },
        size: { width: s.w, height: s.h },
        attrs: { text: { text: str(e.spec['name']) ?? e.id }, body: { stroke: list.some((t) => t['status'] === 'Open') ? 'red' : '#333333', strokeWidth: 1.5, strokeDasharray: null } },
        visible: true,
        shape: s.shape,
        zIndex: z++,
        id: `${CELL}${e.id}`,
        data: {
          type: s.type,
          name: str(e.spec['name']) ?? e.id,
          description: str(e.spec['description']) ?? '',
          outOfScope: false,
          reasonOutOfScope: '',
          hasOpenThreats: list.some((t) => t['status'] === 'Open'),
          threats: list,
          ...(e.kind === 'memory' ? { isEncrypted: e.spec['encryptedAtRest'] === true, isSigned: (e.spec['provenance'] as Record<string, unknown> | undefined)?.['signed'] === true, isALog: false, storesCredentials: false, storesInventory: false } : {}),
          ...(s.type === 'tm.Actor' ? { providesAuthentication: str(e.spec['type']) === 'identity-provider' } : {}),
          ...(s.type === 'tm.Process' ? { privilegeLevel: '', handlesCardPayment: false, handlesGoodsOrServices: false, isWebApplication: false } : {}),
          ...meta(e),
        },
      });
    });
    top += boxH + PAD;
  }

  // Flows: channels between drawn elements (others are kept in the summary), then derived relations.
  const kept: ElementEntry[] = [];
  const flow = (id: string, from: string, to: string, data: Record<string, unknown>, dashed: boolean, label: string) => ({
    shape: 'flow',
    attrs: { line: { stroke: dashed ? '#888888' : '#333333', strokeWidth: 1, targetMarker: { name: 'block' }, ...(data['isBidirectional'] === true ? { sourceMarker: { name: 'block' } } : {}), strokeDasharray: dashed ? '4 4' : null } },
    width: 200,
    height: 100,
    zIndex: z++,
    connector: 'smooth',
    labels: [{ position: 0.5, attrs: { labelText: { text: label } } }],
    data,
    id,
    source: { cell: `${CELL}${from}` },
    target: { cell: `${CELL}${to}` },
    vertices: [],
  });
  for (const ch of channels) {
    const from = str(ch.spec['from']);
    const to = str(ch.spec['to']);
    if (from === undefined || to === undefined || !isDrawn.has(from) || !isDrawn.has(to)) {
      kept.push(ch);
      continue;
    }
    const list = threats.get(ch.id) ?? [];
    const name = str(ch.spec['name']) ?? ch.id;
    cells.push(
      flow(
        `${CELL}${ch.id}`,
        from,
        to,
        {
          type: 'tm.Flow',
          name,
          description: str(ch.spec['description']) ?? '',
          outOfScope: false,
          reasonOutOfScope: '',
          hasOpenThreats: list.some((t) => t['status'] === 'Open'),
          isBidirectional: ch.spec['direction'] === 'bidirectional',
          isEncrypted: str(ch.spec['encryption']) !== undefined && str(ch.spec['encryption']) !== 'none',
          isPublicNetwork: false,
          protocol: str(ch.spec['protocol']) ?? '',
          threats: list,
          isTrustBoundary: false,
          ...meta(ch),
        },
        false,
        name,
      ),
    );
  }
  const g = resolveModel(ctx.model).graph;
  const seen = new Set<string>();
  for (let e = 0; e < g.edgeCount; e++) {
    const type = EDGE_TYPES[g.edgeType[e] ?? 0];
    const spec = type ? EDGE_LABELS[type] : undefined;
    if (!type || !spec || type === 'channel') continue;
    let from = g.ids[g.edgeSrc[e] ?? -1];
    let to = g.ids[g.edgeDst[e] ?? -1];
    if (from === undefined || to === undefined || from === to || !isDrawn.has(from) || !isDrawn.has(to)) continue;
    if (spec.reverse) [from, to] = [to, from];
    const id = `maestro:${type}:${from}:${to}`;
    if (seen.has(id)) continue;
    seen.add(id);
    cells.push(flow(id, from, to, { type: 'tm.Flow', name: spec.label, description: '', outOfScope: false, reasonOutOfScope: '', hasOpenThreats: false, isBidirectional: false, isEncrypted: false, isPublicNetwork: false, protocol: '', threats: [], isTrustBoundary: false, 'maestro.derived': true, 'maestro.edge': type }, true, spec.label));
  }

  // Everything not drawn, and the other top-level keys, in the summary.
  const summaryExtra: Record<string, string> = {};
  const sections = new Set(elements.map((e) => e.section));
  for (const key of Object.keys(model)) {
    if (sections.has(key) && Array.isArray(model[key])) continue;
    summaryExtra[`maestro.top.${key}`] = JSON.stringify(model[key]);
  }
  const undrawn = new Map<string, unknown[]>();
  for (const e of elements) {
    if (isDrawn.has(e.id) || e.kind === 'boundary' || (e.kind === 'channel' && !kept.includes(e))) continue;
    const l = undrawn.get(e.section) ?? [];
    l.push(e.spec);
    undrawn.set(e.section, l);
  }
  for (const [section, list] of undrawn) summaryExtra[`maestro.section.${section}`] = JSON.stringify(list);
  // The order of every section, so the import rebuilds each list as it was written.
  const orderOf: Record<string, string[]> = {};
  for (const e of elements) (orderOf[e.section] ??= []).push(e.id);
  summaryExtra['maestro.order'] = JSON.stringify(orderOf);

  const system = ctx.model.system;
  const doc = {
    version: TD_VERSION,
    summary: {
      title: system.name,
      owner: system.owners?.[0] ?? '',
      description: system.description ?? '',
      id: 0,
      'maestro.generator': `maestro-tm ${ctx.toolVersion}`,
      'maestro.model': ctx.modelPath,
      ...summaryExtra,
    },
    detail: {
      contributors: [],
      diagrams: [
        {
          id: 0,
          title: `${system.name} (maestro-tm)`,
          diagramType: 'STRIDE',
          placeholder: 'Generated by maestro-tm from the model file',
          thumbnail: './public/content/images/thumbnail.stride.jpg',
          version: TD_VERSION,
          description: `Generated by maestro-tm from ${ctx.modelPath}; findings are threats on the elements they are about.`,
          cells,
        },
      ],
      diagramTop: 1,
      reviewer: '',
      threatTop: number,
    },
  };
  return inertJson(doc) + '\n';
}

export const threatDragonReporter: Reporter = {
  id: 'td',
  extension: '.td.json',
  description: 'OWASP Threat Dragon v2 model: one diagram, findings as threats; maestro-tm import threat-dragon reads it back',
  render: (a, ctx) => renderThreatDragon(a, ctx),
};
