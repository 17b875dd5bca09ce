/**
 * SARIF 2.1.0 report for code scanning (GitHub, Azure DevOps, IDE viewers).
 *
 * One run. `tool.driver.rules` holds the rules that produced results, described from the catalogue
 * (threats raised, defences); each result points at the model file line of its first evidence
 * pointer, carries a stable `partialFingerprints` entry (sha256 of the finding id, which survives
 * edits elsewhere in the model) and its risk. Findings that need no action (mitigated by declared
 * controls, or tracked as accepted, mitigated or a false positive) are kept with a SARIF
 * `suppressions` entry rather than dropped. GitHub's limits are respected: at most 25,000 results
 * (the highest residual risk kept, a tool notification says how many were left out), 20 tags per
 * rule, 1,000 locations per result.
 *
 * Model text only reaches `message.text` fields, neutralised (no control or bidirectional
 * characters); the file is JSON, so nothing in it is markup.
 */
import { createHash } from 'node:crypto';
import type * as Sarif from 'sarif';
import type { Reporter, ReportContext } from '../index.js';
import type { AnalysedFinding, Analysis } from '../../engine/analyse.js';
import { compareByRisk } from '../../risk/index.js';
import { inertJson, neutralise } from '../_escape.js';
import { effectiveStatus, isSettled, mappingsOf, sortedThreats } from '../navigator/techniques.js';
import { listElements, primaryPointer } from '../otm/elements.js';

export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
export const INFORMATION_URI = 'https://github.com/maestro-tm/maestro-tm';
export const FINGERPRINT_KEY = 'maestroFindingId/v1';

/** GitHub code scanning limits (docs: "SARIF support for code scanning", upload limits). */
export const GITHUB_LIMITS = { results: 25_000, tagsPerRule: 20, locationsPerResult: 1_000 } as const;
/** Related locations kept per result (evidence beyond the first); far under GitHub's 1,000. */
const RELATED_MAX = 20;
/** Above this many results the log is written without indentation (GitHub caps uploads at 10 MB gzipped). */
export const COMPACT_ABOVE = 1_000;

export interface SarifOptions {
  /** Results per run at most (default GitHub's 25,000). */
  readonly maxResults?: number;
}

/**
 * GitHub reads `security-severity` on a 0–10 scale with its own bands (critical ≥ 9.0, high ≥ 7.0,
 * medium ≥ 4.0, low > 0). Our bands differ (critical ≥ 8, high ≥ 6, medium ≥ 3), so the residual
 * score is rescaled piecewise-linearly within its band: the order of scores is kept and GitHub
 * shows the same band as this report. The raw score is in the result's properties.
 */
export function githubSecuritySeverity(score: number): string {
  const s = Math.min(10, Math.max(0, score));
  const map = (lo: number, hi: number, glo: number, ghi: number): number => glo + ((s - lo) / (hi - lo)) * (ghi - glo);
  const v = s >= 8 ? map(8, 10, 9.0, 10) : s >= 6 ? map(6, 8, 7.0, 8.9) : s >= 3 ? map(3, 6, 4.0, 6.9) : map(0, 3, 0.1, 3.9);
  return (Math.round(v * 10) / 10).toFixed(1);
}

/**
 * Text for a SARIF message object. SARIF 2.1.0 (3.11.6) reads `[text](target)` in a message as an
 * embedded link, and asks producers to escape literal brackets (and the backslash) with a backslash:
 * model text must not become a link in a code-scanning viewer.
 */
function messageText(s: string): string {
  return neutralise(s).replace(/[\\[\]]/g, '\\$&');
}

function levelOf(f: AnalysedFinding): Sarif.Result.level {
  const b = f.risk.residualBand;
  return b === 'critical' || b === 'high' ? 'error' : b === 'medium' ? 'warning' : 'note';
}

/** The artifact URI of the model: relative paths stay relative to %SRCROOT%; absolute ones become file: URIs. */
export function artifactLocation(modelPath: string): Sarif.ArtifactLocation {
  let p = modelPath.replace(/\\/g, '/');
  while (p.startsWith('./')) p = p.slice(2);
  const encode = (path: string): string =>
    path
      .split('/')
      .map((seg) => (/^[A-Za-z]:$/.test(seg) ? seg : encodeURIComponent(seg)))
      .join('/');
  if (p.startsWith('/')) return { uri: `file://${encode(p)}` };
  if (/^[A-Za-z]:\//.test(p)) return { uri: `file:///${encode(p)}` };
  return { uri: encode(p), uriBaseId: '%SRCROOT%' };
}

function sentence(ruleId: string): string {
  const words = ruleId.split('-').join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function pascal(ruleId: string): string {
  return ruleId
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

function fingerprint(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex');
}

function suppressionOf(f: AnalysedFinding): Sarif.Suppression[] | undefined {
  if (f.status === 'mitigated') {
    return [{ kind: 'external', status: 'accepted', justification: neutralise(`mitigated by declared controls: ${f.mitigatedBy.join(', ')}`) }];
  }
  const t = f.tracking;
  if (!t || !isSettled(f)) return undefined;
  const parts = [`tracked as ${t.effective} (entry ${t.key})`];
  if (t.justification) parts.push(t.justification);
  if (t.owner) parts.push(`owner ${t.owner}`);
  if (t.ticket) parts.push(`ticket ${t.ticket}`);
  if (t.expires) parts.push(`expires ${t.expires}`);
  return [{ kind: 'external', status: 'accepted', justification: neutralise(parts.join('; ')) }];
}

export function renderSarif(a: Analysis, ctx: ReportContext, options: SarifOptions = {}): string {
  const maxResults = Math.max(0, Math.floor(options.maxResults ?? GITHUB_LIMITS.results));
  const elements = listElements(ctx.model);
  const pointers = new Map(elements.map((e) => [e.id, e.pointer]));
  const artifact = artifactLocation(ctx.modelPath);

  // Which findings fit: open risk before settled, then highest residual risk; kept in analysis order.
  let kept: readonly AnalysedFinding[] = a.findings;
  if (a.findings.length > maxResults) {
    const chosen = new Set(
      [...a.findings]
        .sort((x, y) => Number(isSettled(x)) - Number(isSettled(y)) || compareByRisk(x, y))
        .slice(0, maxResults)
        .map((f) => f.id),
    );
    kept = a.findings.filter((f) => chosen.has(f.id));
  }
  const left = a.findings.length - kept.length;

  // Rules that produced a (kept) result, by id.
  const byRule = new Map<string, AnalysedFinding[]>();
  for (const f of kept) {
    const list = byRule.get(f.rule);
    if (list) list.push(f);
    else byRule.set(f.rule, [f]);
  }
  const ruleIds = [...byRule.keys()].sort();
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  const rules: Sarif.ReportingDescriptor[] = ruleIds.map((id) => {
    const fs = byRule.get(id) ?? [];
    const threats = sortedThreats(fs.flatMap((f) => f.threats));
    const defences = [...new Set(fs.flatMap((f) => f.defences))].sort();
    const layers = [...new Set(fs.map((f) => f.layer))].sort();
    const open = fs.filter((f) => !isSettled(f));
    const worst = Math.max(0, ...(open.length ? open : fs).map((f) => f.risk.residual));
    const threatLines = threats.map((t) => {
      const e = ctx.catalogue.threats.get(t);
      return e ? `${t} ${e.name}: ${e.summary}` : t;
    });
    const defenceLines = defences.map((p) => {
      const e = ctx.catalogue.patterns.get(p);
      return e ? `${e.name} (${p}): ${e.summary}` : p;
    });
    const m = mappingsOf(threats, ctx.catalogue);
    const tags = ['security', 'maestro', ...layers.map((l) => `maestro/${l}`), ...threats, ...m.atlas.map((x) => x.id)];
    return {
      id,
      name: pascal(id),
      shortDescription: { text: `${sentence(id)}.` },
      fullDescription: { text: `${sentence(id)}. Threats raised: ${threatLines.join(' ')}` },
      help: { text: defenceLines.length ? `Defences that lower the risk: ${defenceLines.join(' ')}` : 'No catalogue defence is listed for this rule.' },
      helpUri: `${INFORMATION_URI}/blob/main/docs/rules/${encodeURIComponent(id)}.md`,
      defaultConfiguration: { level: worst >= 6 ? 'error' : worst >= 3 ? 'warning' : 'note' },
      properties: {
        tags: [...new Set(tags)].slice(0, GITHUB_LIMITS.tagsPerRule),
        precision: 'high',
        'security-severity': githubSecuritySeverity(worst),
        threats,
        atlas: m.atlas.map((x) => x.id),
        attack: m.attack.map((x) => x.id),
        stride: m.stride,
      },
    };
  });

  const physical = (pointer: string): Sarif.PhysicalLocation => {
    const pos = pointer === '' ? undefined : ctx.locate(pointer);
    return { artifactLocation: { ...artifact, index: 0 }, region: { startLine: pos?.line ?? 1, startColumn: pos?.column ?? 1 } };
  };

  const results: Sarif.Result[] = kept.map((f) => {
    const primary = primaryPointer(f.evidence, f.element, pointers);
    const related: Sarif.Location[] = [];
    const seen = new Set([primary]);
    for (const e of f.evidence) {
      if (related.length >= Math.min(RELATED_MAX, GITHUB_LIMITS.locationsPerResult - 1)) break;
      if (e.pointer === '' || seen.has(e.pointer)) continue;
      seen.add(e.pointer);
      const what = `${e.element}${e.attribute ? `.${e.attribute}` : ''}${e.note ? `: ${e.note}` : ''}`;
      related.push({ id: related.length + 1, physicalLocation: physical(e.pointer), message: { text: messageText(what) } });
    }
    const suppressions = suppressionOf(f);
    const result: Sarif.Result = {
      ruleId: f.rule,
      ruleIndex: ruleIndex.get(f.rule) ?? 0,
      level: levelOf(f),
      message: { text: messageText(f.message) },
      locations: [{ physicalLocation: physical(primary), logicalLocations: [{ name: f.element, kind: 'object' }] }],
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(f.id) },
      properties: {
        findingId: f.id,
        element: f.element,
        kind: f.kind,
        layer: f.layer,
        severity: f.severity,
        status: effectiveStatus(f),
        risk: { inherent: f.risk.inherent, residual: f.risk.residual, residualBand: f.risk.residualBand },
        threats: f.threats,
      },
    };
    if (related.length) result.relatedLocations = related;
    if (suppressions) result.suppressions = suppressions;
    return result;
  });

  const notifications: Sarif.Notification[] = [];
  if (left > 0) {
    notifications.push({
      level: 'warning',
      descriptor: { id: 'results-truncated' },
      message: { text: `${left} of ${a.findings.length} findings were left out to stay within ${maxResults} results per run; the highest residual risks are kept. Use the json or csv report for every finding.` },
    });
  }
  const run: Sarif.Run = {
    tool: {
      driver: {
        name: 'maestro-tm',
        version: ctx.toolVersion,
        semanticVersion: ctx.toolVersion,
        informationUri: INFORMATION_URI,
        rules,
      },
    },
    invocations: [{ executionSuccessful: true, ...(notifications.length ? { toolExecutionNotifications: notifications } : {}) }],
    artifacts: [{ location: artifact, roles: ['analysisTarget'] }],
    columnKind: 'utf16CodeUnits',
    results,
    properties: {
      system: neutralise(a.system.name),
      analysisSchemaVersion: a.schemaVersion,
      findings: a.findings.length,
      results: results.length,
      truncated: left > 0,
    },
  };
  const log: Sarif.Log = { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
  return inertJson(log, results.length > COMPACT_ABOVE ? 0 : 2) + '\n';
}

export const sarifReporter: Reporter = {
  id: 'sarif',
  extension: '.sarif',
  description: 'SARIF 2.1.0 for code scanning: results at model lines, stable fingerprints, GitHub limits',
  render: (a, ctx) => renderSarif(a, ctx),
};
