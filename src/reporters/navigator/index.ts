/**
 * MITRE Navigator layers: the techniques the modelled system is exposed to, scored by risk.
 *
 * Two formats, because ATT&CK and ATLAS live in different Navigators:
 * - `navigator` (.layer.json): an ATT&CK Navigator layer, format 4.5, domain `enterprise-attack`,
 *   with the ATT&CK Enterprise techniques the catalogue maps threats to (catalogue data is checked
 *   against ATT&CK v18.1).
 * - `atlas-navigator` (.atlas.layer.json): a layer for MITRE's ATLAS Navigator, domain
 *   `atlas-atlas`, with the ATLAS
 *   techniques (AML.T...). It declares layer format 4.3 and navigator 4.6.4, the versions MITRE's
 *   own ATLAS layers declare (mitre-atlas/atlas-navigator-data), since the ATLAS Navigator is a
 *   fork of an older ATT&CK Navigator; every field used here exists in format 4.3.
 *
 * Score of a technique = the highest residual risk (0–10) of the findings whose catalogue threats
 * map to it. Findings tracked as false positives are left out (they expose nothing); mitigated and
 * accepted ones count with their residual risk, which already reflects the declared controls.
 * Only techniques the catalogue names are listed: a mapping is never inferred.
 */
import type { Reporter } from '../index.js';
import type { AnalysedFinding, Analysis } from '../../engine/analyse.js';
import type { Catalogue } from '../../catalogue/load.js';
import { compareByRisk } from '../../risk/index.js';
import { inertJson, neutralise } from '../_escape.js';
import { effectiveStatus, sortedThreats, type Technique } from './techniques.js';

/** ATT&CK Enterprise major version the catalogue's ATT&CK ids were checked against (catalogue/mappings/atlas.yaml). */
export const ATTACK_VERSION = '18';
/** ATLAS data version of the catalogue's ATLAS ids (catalogue/mappings/atlas.yaml). */
export const ATLAS_DATA_VERSION = '5.6.0';
const FINDINGS_PER_TECHNIQUE = 20;

/** Score colours low → high, and the legend matching the risk bands of docs/risk-model.md. */
const GRADIENT = { colors: ['#d9f0a3', '#fee08b', '#fc8d59', '#d73027'], minValue: 0, maxValue: 10 };
const LEGEND = [
  { label: 'low residual risk (below 3)', color: '#d9f0a3' },
  { label: 'medium (3 to 6)', color: '#fee08b' },
  { label: 'high (6 to 8)', color: '#fc8d59' },
  { label: 'critical (8 and above)', color: '#d73027' },
];

type Which = 'attack' | 'atlas';

interface Hit {
  readonly technique: Technique;
  readonly findings: AnalysedFinding[];
  readonly threats: Set<string>;
}

function techniqueHits(a: Analysis, catalogue: Catalogue, which: Which): Hit[] {
  const hits = new Map<string, Hit>();
  for (const f of a.findings) {
    if (effectiveStatus(f) === 'false-positive') continue;
    const seen = new Set<string>();
    for (const tid of f.threats) {
      const t = catalogue.threats.get(tid);
      for (const x of (which === 'atlas' ? t?.atlas : t?.attack) ?? []) {
        let h = hits.get(x.id);
        if (!h) {
          h = { technique: { id: x.id, name: x.name }, findings: [], threats: new Set() };
          hits.set(x.id, h);
        }
        h.threats.add(tid);
        if (!seen.has(x.id)) {
          seen.add(x.id);
          h.findings.push(f);
        }
      }
    }
  }
  return [...hits.values()].sort((x, y) => (x.technique.id < y.technique.id ? -1 : x.technique.id > y.technique.id ? 1 : 0));
}

export function renderNavigator(a: Analysis, catalogue: Catalogue, which: Which): string {
  const hits = techniqueHits(a, catalogue, which);
  const annotated = new Set(hits.map((h) => h.technique.id));
  const techniques = hits.map((h) => {
    const fs = [...h.findings].sort(compareByRisk);
    const top = fs[0];
    const score = top ? top.risk.residual : 0;
    const open = fs.filter((f) => effectiveStatus(f) === 'open' || effectiveStatus(f) === 'in-progress').length;
    const threats = sortedThreats(h.threats).map((t) => `${t} ${catalogue.threats.get(t)?.name ?? ''}`.trim());
    const comment = `${h.technique.name}. Highest residual risk ${score.toFixed(1)}${top ? ` (${top.risk.residualBand}) from ${top.id}` : ''}; ${fs.length} finding${fs.length === 1 ? '' : 's'}, ${open} open. Threats: ${threats.join('; ')}.`;
    const metadata = [
      ...fs.slice(0, FINDINGS_PER_TECHNIQUE).map((f) => ({ name: 'finding', value: `${f.id}: residual ${f.risk.residual.toFixed(1)} ${f.risk.residualBand}, ${effectiveStatus(f)}` })),
      ...(fs.length > FINDINGS_PER_TECHNIQUE ? [{ name: 'more findings', value: String(fs.length - FINDINGS_PER_TECHNIQUE) }] : []),
    ];
    const hasSub = [...annotated].some((id) => id.startsWith(`${h.technique.id}.`));
    return { techniqueID: h.technique.id, score, comment: neutralise(comment), enabled: true, metadata, ...(hasSub ? { showSubtechniques: true } : {}) };
  });
  const system = neutralise(a.system.name);
  const base = {
    name: `${system}: ${which === 'atlas' ? 'ATLAS' : 'ATT&CK'} techniques by residual risk`,
    versions: which === 'atlas' ? { layer: '4.3', navigator: '4.6.4' } : { attack: ATTACK_VERSION, navigator: '5.1.0', layer: '4.5' },
    domain: which === 'atlas' ? 'atlas-atlas' : 'enterprise-attack',
    description: `Techniques maestro-tm found the modelled system exposed to, from its threat catalogue mappings. Score: the highest residual risk (0-10) of the findings raising a threat mapped to the technique. ${techniques.length} techniques from ${a.findings.length} findings.`,
    sorting: 3,
    layout: { layout: 'side', showID: true, showName: true, showAggregateScores: false, countUnscored: false, aggregateFunction: 'max', expandedSubtechniques: 'annotated' },
    hideDisabled: false,
    techniques,
    gradient: GRADIENT,
    legendItems: LEGEND,
    showTacticRowBackground: false,
    selectTechniquesAcrossTactics: true,
    selectSubtechniquesWithParent: false,
    selectVisibleTechniques: false,
    metadata: [
      { name: 'generator', value: 'maestro-tm' },
      { name: 'system', value: system },
      ...(which === 'atlas' ? [{ name: 'atlas_data_version', value: ATLAS_DATA_VERSION }] : [{ name: 'attack_version', value: ATTACK_VERSION }]),
    ],
  };
  return inertJson(base) + '\n';
}

export const navigatorReporter: Reporter = {
  id: 'navigator',
  extension: '.layer.json',
  description: 'ATT&CK Navigator layer (4.5, enterprise-attack): exposed techniques scored by residual risk',
  render: (a, ctx) => renderNavigator(a, ctx.catalogue, 'attack'),
};

export const atlasNavigatorReporter: Reporter = {
  id: 'atlas-navigator',
  extension: '.atlas.layer.json',
  description: 'ATLAS Navigator layer (atlas-atlas domain): exposed AI techniques scored by residual risk',
  render: (a, ctx) => renderNavigator(a, ctx.catalogue, 'atlas'),
};
