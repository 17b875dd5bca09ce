/**
 * Open Threat Model (OTM) 0.2.0 report, for threat-modelling tools that import OTM (IriusRisk,
 * Threat Dragon converters, StartLeft).
 *
 * Mapping:
 * - trust boundaries → `trustZones` (nesting through `parent`; trustRating from `trust`), plus one
 *   default zone, id `maestro:unzoned`, for elements placed in no boundary (only when needed; a
 *   model id can never contain ':');
 * - assets → `assets` (confidentiality from sensitivity, integrity and availability from
 *   crownJewel), and each component lists the assets it holds under `assets.stored`;
 * - channels → `dataflows`; the other relations between components (uses model, invokes, reads,
 *   writes, delegates, accesses, ...) → derived dataflows with ids `maestro:<relation>:<from>:<to>`
 *   and the attribute `maestro.derived` = "true" (an importer rebuilds them from the elements);
 * - every other element → `components`, parent = the trust zone of its boundary (or of its
 *   deployment's boundary), type = the MAESTRO element kind;
 * - catalogue threats raised → `threats` (categories = STRIDE, cwes, likelihood and impact 0–100
 *   from the highest finding scores); the defensive patterns → `mitigations` (riskReduction 0–100
 *   from the pattern's likelihood reduction);
 * - findings → per-component (or per-dataflow) threat references with a state: exposed,
 *   mitigated, accepted or not-applicable (false positive), and each defence with its state:
 *   implemented, partial, planned (declared controls) or recommended.
 *
 * Rebuilding the model: every element carries the attributes `maestro.kind`, `maestro.layer`,
 * `maestro.section` and `maestro.element` (the element exactly as written, as JSON); the project
 * carries every other top-level key of the model as `maestro.top.<key>` (JSON). Elements appear in
 * document order within their section, so an OTM importer can rebuild the model exactly.
 * Attribute values are strings (the OTM text describes attributes as a map of strings).
 */
import type { Reporter, ReportContext } from '../index.js';
import type { AnalysedFinding, Analysis } from '../../engine/analyse.js';
import { resolveModel } from '../../model/resolve.js';
import { EDGE_TYPES } from '../../model/references.js';
import { inertJson } from '../_escape.js';
import { EDGE_LABELS } from '../mermaid/index.js';
import { effectiveStatus, mappingsOf, sortedThreats } from '../navigator/techniques.js';
import { listElements, type ElementEntry } from './elements.js';

export const OTM_VERSION = '0.2.0';
export const DEFAULT_ZONE = 'maestro:unzoned';
const REPRESENTATION = 'maestro-model';

const TRUST_RATING: Record<string, number> = { trusted: 100, authenticated: 75, partner: 50, untrusted: 10 };
const CONFIDENTIALITY: Record<string, number> = { public: 0, internal: 35, confidential: 70, restricted: 100 };
/** Section kinds that are not components. */
const NOT_COMPONENTS = new Set(['boundary', 'channel', 'asset']);

type ThreatState = 'exposed' | 'accepted' | 'mitigated' | 'not-applicable';
const STATE_RANK: Record<ThreatState, number> = { exposed: 3, accepted: 2, mitigated: 1, 'not-applicable': 0 };
type MitigationState = 'implemented' | 'partial' | 'planned' | 'recommended';
const MITIGATION_RANK: Record<MitigationState, number> = { implemented: 3, partial: 2, planned: 1, recommended: 0 };

function threatState(f: AnalysedFinding): ThreatState {
  switch (effectiveStatus(f)) {
    case 'mitigated':
      return 'mitigated';
    case 'accepted':
      return 'accepted';
    case 'false-positive':
      return 'not-applicable';
    default:
      return 'exposed';
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function slug(s: string): string {
  const out = s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  return out === '' ? 'maestro-model' : out;
}

interface ThreatRef {
  threat: string;
  state: ThreatState;
  mitigations: Map<string, MitigationState>;
}

export function renderOtm(a: Analysis, ctx: ReportContext): string {
  const model = ctx.model as unknown as Record<string, unknown>;
  const elements = listElements(ctx.model);
  const byId = new Map(elements.map((e) => [e.id, e]));
  const attributes = (e: ElementEntry): Record<string, string> => ({
    'maestro.kind': e.kind,
    'maestro.layer': e.layer,
    'maestro.section': e.section,
    'maestro.element': JSON.stringify(e.spec),
  });
  const representation = (e: ElementEntry): { representation: string; id: string; name: string; file: string; line: number }[] => [
    { representation: REPRESENTATION, id: `${REPRESENTATION}:${e.id}`, name: e.id, file: ctx.modelPath, line: ctx.locate(e.pointer)?.line ?? 1 },
  ];

  // Trust zones: boundaries, and the zone each element sits in.
  const boundaries = elements.filter((e) => e.kind === 'boundary');
  const isBoundary = new Set(boundaries.map((b) => b.id));
  const zoneOf = (e: ElementEntry): string => {
    const own = str(e.spec['boundary']);
    if (own !== undefined && isBoundary.has(own)) return own;
    // Through the deployment chain (host → container), iteratively and cycle-safe.
    let dep = str(e.spec['deployment']);
    const seen = new Set<string>();
    while (dep !== undefined && !seen.has(dep)) {
      seen.add(dep);
      const d = byId.get(dep);
      if (!d || d.kind !== 'deployment') break;
      const b = str(d.spec['boundary']);
      if (b !== undefined && isBoundary.has(b)) return b;
      dep = str(d.spec['parent']);
    }
    return DEFAULT_ZONE;
  };

  // Findings grouped by element, as threat references.
  const refs = new Map<string, Map<string, ThreatRef>>();
  for (const f of a.findings) {
    let perElement = refs.get(f.element);
    if (!perElement) {
      perElement = new Map();
      refs.set(f.element, perElement);
    }
    const state = threatState(f);
    const controlState = new Map<string, MitigationState>();
    for (const c of f.risk.controls) {
      const prev = controlState.get(c.pattern);
      if (!prev || MITIGATION_RANK[c.status] > MITIGATION_RANK[prev]) controlState.set(c.pattern, c.status);
    }
    for (const t of f.threats) {
      let ref = perElement.get(t);
      if (!ref) {
        ref = { threat: t, state, mitigations: new Map() };
        perElement.set(t, ref);
      } else if (STATE_RANK[state] > STATE_RANK[ref.state]) ref.state = state;
      for (const p of f.defences) {
        const s = controlState.get(p) ?? 'recommended';
        const prev = ref.mitigations.get(p);
        if (!prev || MITIGATION_RANK[s] > MITIGATION_RANK[prev]) ref.mitigations.set(p, s);
      }
    }
  }
  const threatRefs = (id: string): { threat: string; state: string; mitigations: { mitigation: string; state: string }[] }[] | undefined => {
    const m = refs.get(id);
    if (!m) return undefined;
    return sortedThreats(m.keys()).map((t) => {
      const r = m.get(t);
      const mit = r ? [...r.mitigations.entries()].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)) : [];
      return { threat: t, state: r?.state ?? 'exposed', mitigations: mit.map(([mitigation, state]) => ({ mitigation, state })) };
    });
  };

  // Assets, and which component holds which.
  const assets = elements.filter((e) => e.kind === 'asset');
  const stored = new Map<string, string[]>();
  for (const asset of assets) {
    const at = asset.spec['locatedIn'];
    if (!Array.isArray(at)) continue;
    for (const holder of at) {
      if (typeof holder !== 'string') continue;
      const list = stored.get(holder);
      if (list) {
        if (!list.includes(asset.id)) list.push(asset.id);
      } else stored.set(holder, [asset.id]);
    }
  }

  const components = elements.filter((e) => !NOT_COMPONENTS.has(e.kind));
  const isComponent = new Set(components.map((c) => c.id));
  const zonesUsed = new Set(components.map(zoneOf));

  const trustZones = boundaries.map((b) => {
    const parent = str(b.spec['parent']);
    const desc = str(b.spec['description']);
    return {
      id: b.id,
      name: str(b.spec['name']) ?? b.id,
      type: str(b.spec['type']) ?? 'trust-zone',
      ...(desc !== undefined ? { description: desc } : {}),
      risk: { trustRating: TRUST_RATING[str(b.spec['trust']) ?? ''] ?? 50 },
      ...(parent !== undefined && isBoundary.has(parent) ? { parent: { trustZone: parent } } : {}),
      representations: representation(b),
      attributes: attributes(b),
    };
  });
  if (zonesUsed.has(DEFAULT_ZONE)) {
    trustZones.push({
      id: DEFAULT_ZONE,
      name: 'No declared trust boundary',
      type: 'maestro-default',
      description: 'Elements the model places in no trust boundary (maestro-tm default zone, not a model element).',
      risk: { trustRating: 50 },
      representations: [],
      attributes: { 'maestro.kind': 'default-zone', 'maestro.layer': 'L6', 'maestro.section': '', 'maestro.element': '' },
    });
  }

  const otmComponents = components.map((c) => {
    const desc = str(c.spec['description']);
    const tags = Array.isArray(c.spec['tags']) ? c.spec['tags'].filter((t): t is string => typeof t === 'string') : [];
    const held = stored.get(c.id);
    const threats = threatRefs(c.id);
    return {
      id: c.id,
      name: str(c.spec['name']) ?? c.id,
      type: c.kind,
      ...(desc !== undefined ? { description: desc } : {}),
      parent: { trustZone: zoneOf(c) },
      representations: representation(c),
      ...(held ? { assets: { processed: [], stored: held } } : {}),
      ...(threats ? { threats } : {}),
      ...(tags.length ? { tags } : {}),
      attributes: attributes(c),
    };
  });

  const otmAssets = assets.map((s) => {
    const sensitivity = str(s.spec['sensitivity']);
    const jewel = s.spec['crownJewel'] === true;
    const desc = str(s.spec['description']);
    return {
      id: s.id,
      name: str(s.spec['name']) ?? s.id,
      ...(desc !== undefined ? { description: desc } : {}),
      risk: {
        confidentiality: CONFIDENTIALITY[sensitivity ?? ''] ?? 50,
        integrity: jewel ? 100 : 50,
        availability: jewel ? 100 : 50,
        comment: `maestro-tm: confidentiality from sensitivity ${sensitivity ?? 'not declared'}; integrity and availability ${jewel ? '100: a crown jewel' : '50: not a crown jewel'}.`,
      },
      attributes: attributes(s),
    };
  });

  // Dataflows: channels, then the relations between components.
  const dataflows: Record<string, unknown>[] = [];
  for (const ch of elements.filter((e) => e.kind === 'channel')) {
    const from = str(ch.spec['from']);
    const to = str(ch.spec['to']);
    if (from === undefined || to === undefined) continue;
    const desc = str(ch.spec['description']);
    const threats = threatRefs(ch.id);
    const tags = [str(ch.spec['protocol']), str(ch.spec['authentication']) && `auth:${str(ch.spec['authentication']) ?? ''}`, str(ch.spec['encryption']) && `encryption:${str(ch.spec['encryption']) ?? ''}`].filter(
      (t): t is string => typeof t === 'string' && t !== '',
    );
    dataflows.push({
      id: ch.id,
      name: str(ch.spec['name']) ?? ch.id,
      ...(desc !== undefined ? { description: desc } : {}),
      bidirectional: ch.spec['direction'] === 'bidirectional',
      source: from,
      destination: to,
      ...(threats ? { threats } : {}),
      ...(tags.length ? { tags } : {}),
      attributes: attributes(ch),
    });
  }
  const g = resolveModel(ctx.model).graph;
  const seen = new Set<string>();
  for (let e = 0; e < g.edgeCount; e++) {
    const type = EDGE_TYPES[g.edgeType[e] ?? 0];
    const spec = type ? EDGE_LABELS[type] : undefined;
    if (!type || !spec || type === 'channel') continue;
    let from = g.ids[g.edgeSrc[e] ?? -1];
    let to = g.ids[g.edgeDst[e] ?? -1];
    if (from === undefined || to === undefined || from === to || !isComponent.has(from) || !isComponent.has(to)) continue;
    if (spec.reverse) [from, to] = [to, from];
    const id = `maestro:${type}:${from}:${to}`;
    if (seen.has(id)) continue;
    seen.add(id);
    dataflows.push({ id, name: `${from} ${spec.label} ${to}`, bidirectional: false, source: from, destination: to, tags: [type], attributes: { 'maestro.derived': 'true', 'maestro.edge': type } });
  }

  // Findings on elements that are neither components nor dataflows (boundaries, assets).
  const unplaced = a.findings.filter((f) => !isComponent.has(f.element) && byId.get(f.element)?.kind !== 'channel').map((f) => ({ finding: f.id, element: f.element, threats: f.threats, state: threatState(f) }));

  // Threats raised and the patterns that defend against them.
  const threatIds = sortedThreats(a.findings.flatMap((f) => f.threats));
  const threats = threatIds.flatMap((id) => {
    const t = ctx.catalogue.threats.get(id);
    if (!t) return [];
    const fs = a.findings.filter((f) => f.threats.includes(id));
    const likelihood = Math.round(Math.max(0, ...fs.map((f) => f.risk.likelihood)) * 10);
    const impact = Math.round(Math.max(0, ...fs.map((f) => f.risk.impact)) * 10);
    const m = mappingsOf([id], ctx.catalogue);
    return [
      {
        id,
        name: t.name,
        description: t.summary,
        categories: [...t.stride],
        cwes: [...(t.cwe ?? [])],
        risk: {
          likelihood,
          likelihoodComment: `Highest likelihood (0-10 scale, times 10) of the ${fs.length} finding${fs.length === 1 ? '' : 's'} raising it; see docs/risk-model.md.`,
          impact,
          impactComment: 'Highest impact (0-10 scale, times 10) of those findings.',
        },
        tags: [...m.atlas.map((x) => x.id), ...m.attack.map((x) => x.id), ...m.owaspLlm, ...m.owaspAgentic],
        attributes: { 'maestro.family': t.family, 'maestro.layers': t.layers.join(' '), 'maestro.findings': String(fs.length) },
      },
    ];
  });
  const patternIds = [...new Set(a.findings.flatMap((f) => f.defences))].sort();
  const mitigations = patternIds.flatMap((id) => {
    const p = ctx.catalogue.patterns.get(id);
    if (!p) return [];
    return [
      {
        id,
        name: p.name,
        description: p.summary,
        riskReduction: Math.round((1 - (p.reduction ?? 1)) * 100),
        attributes: { 'maestro.layers': p.layers.join(' '), 'maestro.mitigates': p.mitigates.join(' '), ...(p.cost ? { 'maestro.cost': p.cost } : {}) },
      },
    ];
  });

  // The project: the system, plus every top-level key that is not an element section, as JSON.
  const sections = new Set(elements.map((e) => e.section));
  const top: Record<string, string> = {};
  for (const key of Object.keys(model)) {
    if (sections.has(key) && Array.isArray(model[key])) continue;
    top[`maestro.top.${key}`] = JSON.stringify(model[key]);
  }
  const system = ctx.model.system;
  const doc = {
    otmVersion: OTM_VERSION,
    project: {
      name: system.name,
      id: slug(system.name),
      ...(system.description !== undefined ? { description: system.description } : {}),
      ...(system.owners?.[0] !== undefined ? { owner: system.owners[0] } : {}),
      ...(system.regulations?.length ? { tags: [...system.regulations] } : {}),
      attributes: {
        'maestro.generator': `maestro-tm ${ctx.toolVersion}`,
        'maestro.model': ctx.modelPath,
        ...top,
        ...(unplaced.length ? { 'maestro.unplacedFindings': JSON.stringify(unplaced) } : {}),
      },
    },
    representations: [{ name: 'maestro-tm model file', id: REPRESENTATION, type: 'code', description: ctx.modelPath }],
    assets: otmAssets,
    trustZones,
    components: otmComponents,
    dataflows,
    threats,
    mitigations,
  };
  return inertJson(doc) + '\n';
}

export const otmReporter: Reporter = {
  id: 'otm',
  extension: '.otm.json',
  description: 'Open Threat Model 0.2.0: trust zones, components, dataflows, threats, mitigations',
  render: (a, ctx) => renderOtm(a, ctx),
};
