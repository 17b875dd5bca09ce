/**
 * Catalogue mappings of findings (STRIDE, MITRE ATLAS and ATT&CK techniques, OWASP lists) and the
 * status that counts for a finding once controls and risk tracking are applied. Shared by the csv,
 * sarif, navigator and otm reporters so they agree on both.
 */
import type { AnalysedFinding, TrackingStatus } from '../../engine/analyse.js';
import type { Catalogue } from '../../catalogue/load.js';
import { compareThreatIds } from '../../catalogue/load.js';

export interface Technique {
  readonly id: string;
  readonly name: string;
}

export interface Mappings {
  readonly stride: readonly string[];
  readonly atlas: readonly Technique[];
  readonly attack: readonly Technique[];
  readonly owaspLlm: readonly string[];
  readonly owaspAgentic: readonly string[];
  readonly cwe: readonly string[];
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Union of the catalogue mappings of some threats, each list sorted and without duplicates. */
export function mappingsOf(threatIds: readonly string[], catalogue: Catalogue): Mappings {
  const stride = new Set<string>();
  const atlas = new Map<string, string>();
  const attack = new Map<string, string>();
  const llm = new Set<string>();
  const asi = new Set<string>();
  const cwe = new Set<string>();
  for (const id of threatIds) {
    const t = catalogue.threats.get(id);
    if (!t) continue;
    for (const s of t.stride) stride.add(s);
    for (const x of t.atlas ?? []) if (!atlas.has(x.id)) atlas.set(x.id, x.name);
    for (const x of t.attack ?? []) if (!attack.has(x.id)) attack.set(x.id, x.name);
    for (const x of t.owaspLlm ?? []) llm.add(x);
    for (const x of t.owaspAgentic ?? []) asi.add(x);
    for (const x of t.cwe ?? []) cwe.add(x);
  }
  const techniques = (m: Map<string, string>): Technique[] =>
    [...m.keys()].sort(byString).map((id) => ({ id, name: m.get(id) ?? id }));
  return {
    stride: [...stride].sort(byString),
    atlas: techniques(atlas),
    attack: techniques(attack),
    owaspLlm: [...llm].sort(byString),
    owaspAgentic: [...asi].sort(byString),
    cwe: [...cwe].sort(byString),
  };
}

/** Threat ids in catalogue order, without duplicates. */
export function sortedThreats(ids: Iterable<string>): string[] {
  return [...new Set(ids)].sort(compareThreatIds);
}

/**
 * The status that counts: 'mitigated' when declared controls mitigate the finding, else the
 * effective risk-tracking status (an expired acceptance is already 'open' there), else 'open'.
 */
export function effectiveStatus(f: AnalysedFinding): TrackingStatus {
  if (f.status === 'mitigated') return 'mitigated';
  return f.tracking?.effective ?? 'open';
}

/** Findings nobody needs to act on: mitigated, accepted or a false positive. */
export function isSettled(f: AnalysedFinding): boolean {
  const s = effectiveStatus(f);
  return s === 'mitigated' || s === 'accepted' || s === 'false-positive';
}
