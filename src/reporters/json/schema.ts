/**
 * The JSON report's schema, in zod: the single source of truth for schema/maestro-report.schema.json
 * (written by `npm run gen`, checked by `node tools/gen.js --check` and test/reporters/json-schema.test.ts)
 * and for the field reference in docs/report-format.md.
 *
 * It mirrors the TypeScript types of the analysis (src/engine/analyse.ts, src/risk/score.ts,
 * src/graph/index.ts, src/engine/types.ts). A type-level test checks that the type inferred from this
 * schema and `Analysis` are the same, and renderJson's document `satisfies` it, so neither can drift.
 *
 * Versioning: `schemaVersion` (ANALYSIS_SCHEMA_VERSION) is the major version, bumped on a breaking
 * change (a field removed, renamed, retyped, or made optional). REPORT_SCHEMA_MINOR counts additions
 * within a major version (a new field, a new enum value); it appears only in the schema's title.
 */
import { z } from 'zod';
import { ANALYSIS_SCHEMA_VERSION, type TrackingStatus } from '../../engine/analyse.js';
import { SEVERITIES, type Severity } from '../../engine/types.js';
import { ELEMENT_KINDS, type ElementKind } from '../../model/kinds.js';
import { LAYER_IDS, type LayerId } from '../../model/layers.js';
import { RISK_FACTORS } from '../../model/schema.js';
import { STRIDE, ThreatEntry } from '../../catalogue/schema.js';
import type { RiskBand } from '../../risk/model.js';

/** Additions since schemaVersion 1 was published (new fields or enum values): bump on every addition. */
export const REPORT_SCHEMA_MINOR = 0;
/** The schema's `$id`, also written as the report's `$schema`: names the major version. */
export const REPORT_SCHEMA_ID = `urn:maestro-tm:schema:report:${ANALYSIS_SCHEMA_VERSION}`;

const RISK_BANDS = ['low', 'medium', 'high', 'critical'] as const satisfies readonly RiskBand[];
const TRACKING_STATUSES = ['open', 'in-progress', 'mitigated', 'accepted', 'false-positive'] as const satisfies readonly TrackingStatus[];
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const Layer = z.enum(LAYER_IDS as [LayerId, ...LayerId[]]).describe('MAESTRO layer, L1..L7.');
const SeverityEnum = z.enum(SEVERITIES as [Severity, ...Severity[]]).describe('Rule severity.');
const Kind = z.enum(ELEMENT_KINDS as [ElementKind, ...ElementKind[]]).describe('Kind of the element (its model section).');
const Band = z.enum(RISK_BANDS).describe('Risk band of a score: critical ≥ 8, high ≥ 6, medium ≥ 3, else low.');
const Tracking = z.enum(TRACKING_STATUSES);
const Access = z.enum(['control', 'read']).describe('`read`: the attacker reads the target\'s data (a chain ends there); `control`: takes it over.');
const Count = z.number().int().nonnegative();
/** Scores and factors: 0..10, one decimal. */
const Score = z.number().min(0).max(10);
const Probability = z.number().min(0).max(1);
const Ids = z.array(z.string());
/** An object with exactly these keys, each holding `value` (a TypeScript Record over a union of keys). */
function keyed<K extends string, V extends z.ZodType>(keys: readonly K[], value: V) {
  return z.strictObject(Object.fromEntries(keys.map((k) => [k, value])) as Record<K, V>);
}

const Technique = z.strictObject({ id: z.string().describe('Technique id, e.g. AML.T0051 or T1059.'), name: z.string() });

const Evidence = z.strictObject({
  element: z.string().describe('Element id the fact is about.'),
  pointer: z.string().describe('JSON pointer into the model file, e.g. /agents/0/autonomy; empty when the fact is an absence.'),
  attribute: z.string().describe('Attribute path relative to the element, e.g. autonomy or tools[1].scopes.'),
  value: z.unknown().exactOptional().describe('The observed value, copied from the model (absent when the fact is that nothing is declared).'),
  note: z.string().exactOptional().describe('Short plain-text note, e.g. "not declared".'),
  source: z
    .strictObject({ file: z.string(), line: z.number().int().positive() })
    .exactOptional()
    .describe('For an imported element: the file and line the fact came from.'),
});

const RiskFactor = z.strictObject({
  name: z.enum(RISK_FACTORS).describe('Risk factor (docs/risk-model.md).'),
  value: Score.describe('0..10, one decimal.'),
  source: z.enum(['computed', 'override']).describe('Computed from the model, or set by a risk override in the model.'),
  basis: z.string().describe('Plain text: the model attributes the value was computed from.'),
  reason: z.string().exactOptional().describe('The override\'s reason (source override only).'),
  computed: Score.exactOptional().describe('The value the model would have computed (source override only).'),
});

const RiskComponents = z.strictObject({
  severity: Score.describe('Rule severity as a score (info 1, low 3, medium 5, high 7, critical 9).'),
  exposure: Score.describe('Untrusted input reaching the element.'),
  chains: Score.describe('Share of the top attack chains crossing the element, times 10.'),
  sensitivity: Score.describe('Highest data sensitivity in reach.'),
  sideEffects: Score.describe('Worst side effect in reach.'),
  crownJewels: Score.describe('Crown jewel in reach (10) or not (0).'),
  criticality: Score.describe('system.criticality as a score.'),
});

const AppliedControl = z.strictObject({
  id: z.string().describe('Control id in the model.'),
  pattern: z.string().describe('Defensive pattern the control implements.'),
  status: z.enum(['implemented', 'partial', 'planned']).describe('The control\'s declared status.'),
  reduction: Probability.describe('The pattern\'s reduction (fraction of likelihood left), 1 when the catalogue gives none.'),
  effective: Probability.describe('What the control actually leaves: the reduction, half-credited when partial, 1 when planned.'),
  counted: z.boolean().describe('false when another control of the same pattern already counted, or when it is planned.'),
});

const RiskScore = z.strictObject({
  likelihood: Score.describe('0..10, one decimal.'),
  impact: Score.describe('0..10, one decimal.'),
  amplification: z.number().min(1).max(1.5).describe('Agentic amplification, 1.00..1.50.'),
  residualLikelihood: Score.describe('Likelihood left after the declared controls.'),
  inherent: Score.describe('Score before controls, 0..10.'),
  residual: Score.describe('Score after controls, 0..10.'),
  band: Band,
  residualBand: Band,
  factors: z.array(RiskFactor).describe('Every risk factor, in a fixed order.'),
  components: RiskComponents.describe('The parts of likelihood and impact.'),
  controls: z.array(AppliedControl).describe('Declared controls that matched the finding, in id order.'),
  why: z.array(z.string()).describe('Plain-text lines explaining the score.'),
});

const FindingTracking = z.strictObject({
  status: Tracking.describe('The status the tracking entry declares.'),
  effective: Tracking.describe('The status that counts: an acceptance past its expiry date counts as open.'),
  key: z.string().describe('The entry\'s key as written (a finding id, or a pattern with * wildcards).'),
  justification: z.string().exactOptional(),
  owner: z.string().exactOptional(),
  ticket: z.string().exactOptional(),
  review: z.string().regex(ISO_DATE).exactOptional().describe('Review date, YYYY-MM-DD.'),
  expires: z.string().regex(ISO_DATE).exactOptional().describe('Expiry date, YYYY-MM-DD.'),
  expired: z.boolean().describe('The entry\'s expiry date has passed.'),
});

const Finding = z.strictObject({
  id: z.string().describe('Stable id `<rule>@<element>`: the key for tracking, diffs and SARIF fingerprints.'),
  rule: z.string().describe('Rule id; `docs/rules/<rule>.md` describes it.'),
  threats: Ids.describe('Catalogue threat ids (described under `threats`).'),
  element: z.string().describe('The element the finding is about.'),
  elements: Ids.describe('Every element involved, the primary first.'),
  kind: Kind,
  layer: Layer,
  severity: SeverityEnum,
  message: z.string().describe('Plain text (from the model: treat as untrusted).'),
  evidence: z.array(Evidence),
  defences: Ids.describe('Defensive pattern ids that would lower the risk (described under `patterns`).'),
  status: z.enum(['open', 'mitigated']).describe('After declared controls; risk tracking is in `tracking`.'),
  mitigatedBy: Ids.describe('Declared controls that mitigate the finding.'),
  partialControls: Ids.describe('Declared controls that match but are only partial or planned.'),
  risk: RiskScore.describe('The explained risk score (docs/risk-model.md).'),
  tracking: FindingTracking.exactOptional().describe('The risk-tracking entry that matched the finding, when tracking was applied.'),
});

const LayerSummary = z.strictObject({
  layer: Layer,
  name: z.string(),
  elements: Count.describe('Elements the model places on this layer.'),
  open: Count,
  mitigated: Count,
  highest: SeverityEnum.nullable().describe('Highest severity among open findings, or null.'),
  threats: Ids.describe('Distinct catalogue threats raised (open or mitigated).'),
  silent: z.boolean().describe('The model says nothing about this layer (no element sits on it).'),
});

const ThreatGap = z.strictObject({ id: z.string().describe('Catalogue threat id.'), name: z.string(), layers: z.array(Layer), reason: z.string().describe('Why the threat is listed here.') });

const ValidationItem = z.strictObject({
  threat: z.string().describe('Catalogue threat id.'),
  name: z.string().describe('Threat name.'),
  findings: Ids.describe('Finding ids (open ones first) that raised the threat.'),
  scenario: z.string().describe('A red-team scenario that tests the defence.'),
  expect: z.string().describe('What a working defence does when the scenario is run.'),
  telemetry: z
    .array(z.strictObject({ signal: z.string(), where: z.string(), dataSource: z.string().optional(), dataComponent: z.string().optional() }))
    .describe('Signals that would show an attack in progress.'),
});

const RiskSummary = z.strictObject({
  byBand: keyed(RISK_BANDS, Count).describe('Findings per inherent risk band.'),
  byResidualBand: keyed(RISK_BANDS, Count).describe('Findings per residual risk band.'),
  inherentTotal: z.number().nonnegative().describe('Sum of inherent scores over all findings, one decimal.'),
  residualTotal: z.number().nonnegative().describe('Sum of residual scores over all findings, one decimal.'),
  top: Ids.describe('Finding ids, highest residual risk first (top 20).'),
});

const TrackingSummary = z.strictObject({
  source: z.string().describe('Where the entries came from: a sidecar file path, or `model`.'),
  counts: keyed(TRACKING_STATUSES, Count).describe('Findings per effective status.'),
  stale: z.array(z.strictObject({ key: z.string(), line: z.number().int().positive().exactOptional().describe('Line of the entry in the tracking file.') })).describe('Entries that match no finding.'),
});

const StepControl = z.strictObject({ id: z.string(), pattern: z.string(), factor: Probability });

const StepView = z.strictObject({
  from: z.string(),
  to: z.string(),
  access: Access,
  stepKind: z.string().describe('How the attacker moves (docs/propagation.md).'),
  threat: z.string().describe('Catalogue threat the step realises.'),
  threatName: z.string(),
  atlas: Technique,
  layer: Layer,
  probability: Probability.describe('After declared controls, rounded to 6 decimals.'),
  via: z.string().nullable().describe('Channel the step travels on, or null.'),
  controls: z.array(StepControl).describe('Declared controls that lowered this step.'),
});

const ChainView = z.strictObject({
  rank: Count.describe('1 for the most likely chain.'),
  probability: Probability.describe('Product of the step probabilities.'),
  source: z.strictObject({ id: z.string(), kind: z.string(), reason: z.string() }),
  target: z.strictObject({ id: z.string(), kind: z.string(), access: Access, reasons: Ids }),
  steps: z.array(StepView),
});

const BlastView = z.strictObject({
  rank: Count,
  id: z.string(),
  kind: z.string(),
  layer: Layer,
  reach: Count.describe('Elements that fall if this one is compromised (itself excluded).'),
  crownJewels: Count,
  byLayer: keyed(LAYER_IDS, Count),
});

const CascadeView = z.strictObject({
  root: z.string(),
  reach: Count,
  truncated: z.boolean(),
  steps: z.array(
    z.strictObject({ depth: Count, from: z.string(), to: z.string(), access: Access, stepKind: z.string(), threat: z.string(), atlas: Technique, layer: Layer }),
  ),
});

const CrossLayer = z.strictObject({
  entrySources: z
    .array(z.strictObject({ id: z.string(), kind: z.string(), layer: Layer, reason: z.string() }))
    .describe('Where an attacker can start: elements that take untrusted input.'),
  crownJewels: z.array(z.strictObject({ id: z.string(), kind: z.string(), layer: Layer, reasons: Ids })).describe('What an attacker wants to reach.'),
  chains: z.array(ChainView).describe('Top attack chains from an entry source to a crown jewel, most likely first.'),
  chainStats: z
    .strictObject({
      k: Count,
      maxDepth: Count,
      budget: Count,
      explored: Count.describe('Path expansions performed.'),
      truncated: z.boolean().describe('A bound stopped the search while more chains could have been found.'),
      cutBy: z.array(z.enum(['k', 'depth', 'budget'])),
    })
    .describe('The bounds of the chain search and whether they cut it.'),
  blast: z.array(BlastView).describe('Blast radius per element, widest first.'),
  cascades: z.array(CascadeView).describe('Step-by-step cascades from the elements with the widest blast radius.'),
  chokePoints: z
    .strictObject({
      crossings: z.array(z.strictObject({ id: z.string(), kind: z.string(), layer: Layer, chains: Count, crownJewels: Ids })),
      dominators: z.array(z.strictObject({ id: z.string(), kind: z.string(), layer: Layer, crownJewelCount: Count, crownJewels: Ids })),
    })
    .describe('Elements many chains cross, and elements every path to some crown jewel goes through.'),
  suggestions: z
    .array(
      z.strictObject({
        rank: Count,
        pattern: z.string(),
        patternName: z.string(),
        element: z.string().describe('Element to put the control on.'),
        kind: z.string(),
        threats: Ids,
        chains: z.array(Count).describe('Ranks (1-based) of the chains it weakens.'),
        crownJewels: Ids,
        reduction: Probability.describe('Fraction of likelihood left on each step it mitigates.'),
        likelihoodRemoved: z.number().nonnegative().describe('Sum over the chains of the likelihood it removes.'),
        alternatives: Ids.describe('Other patterns that mitigate the same steps on the same element.'),
      }),
    )
    .describe('First controls to add, by likelihood removed.'),
  stats: z.strictObject({
    nodes: Count.describe('Nodes of the propagation graph (elements).'),
    edges: Count.describe('Propagation steps an attacker can take.'),
    entrySources: Count,
    crownJewels: Count,
    components: Count,
    blastColumns: Count,
    blastBlocks: Count,
    blastComplete: z.boolean().describe('False when the blast work limit cut the computation (counts are then lower bounds).'),
  }),
});

const ThreatSummary = z.strictObject({
  name: z.string(),
  family: ThreatEntry.shape.family.describe('Where the threat comes from; `docs/threats/<id>.md` describes it.'),
  layers: z.array(Layer).describe('Layers the threat applies to.'),
  stride: z.array(z.enum(STRIDE)).describe('STRIDE categories.'),
  atlas: z.array(Technique).describe('MITRE ATLAS techniques.'),
  attack: z.array(Technique).describe('MITRE ATT&CK techniques.'),
  owaspLlm: Ids.describe('OWASP Top 10 for LLM Applications 2025 ids.'),
  owaspAgentic: Ids.describe('OWASP Agentic Security Initiative ids.'),
});

const PatternSummary = z.strictObject({ name: z.string(), summary: z.string().describe('One-line summary; `docs/patterns/<id>.md` has the rest.') });

/** The report document, in the order renderJson writes its keys. */
export const JsonReport = z.strictObject({
  $schema: z.string().describe(`The schema this report follows: ${REPORT_SCHEMA_ID}.`),
  tool: z.literal('maestro-tm').describe('The tool that wrote the report.'),
  // A number in the analysis type; the published schema pins it to this major version (buildReportSchema).
  schemaVersion: z.number().int().describe('Major version of this format: bumped on breaking changes only.'),
  system: z
    .strictObject({ name: z.string(), criticality: z.string().exactOptional().describe('As declared in the model.'), dataSensitivity: z.string().exactOptional().describe('As declared in the model.') })
    .describe('The model\'s system section.'),
  counts: z
    .strictObject({ elements: Count, findings: Count, open: Count, mitigated: Count, rules: Count, threats: Count })
    .describe('Totals: elements in the model, findings (open, mitigated), rules run, catalogue threats.'),
  layers: z.array(LayerSummary).describe('One entry per MAESTRO layer, L1 to L7.'),
  risk: RiskSummary.describe('Risk over all findings.'),
  findings: z.array(Finding).describe('Every finding, highest residual risk first.'),
  tracking: TrackingSummary.exactOptional().describe('Present when risk-tracking entries were applied (docs/tracking.md).'),
  crossLayer: CrossLayer.describe('Cross-layer attack chains, blast radius, choke points and first defences (docs/propagation.md).'),
  validationPlan: z.array(ValidationItem).describe('For every threat raised: how to test the defence and what telemetry would show an attack.'),
  unassessed: z.array(ThreatGap).describe('Threats the model could not be checked for because it lacks the information.'),
  manual: z.array(ThreatGap).describe('Threats no rule can detect from a model: a reviewer must assess them.'),
  unassessedRules: z.array(z.strictObject({ rule: z.string(), reason: z.string() })).describe('Rules that could not run for lack of information.'),
  threats: z.record(z.string(), ThreatSummary).describe('The catalogue entry of every threat id the report mentions, keyed by id.'),
  patterns: z.record(z.string(), PatternSummary).describe('The catalogue entry of every defensive pattern a finding suggests, keyed by id.'),
});

type DeepReadonly<T> = T extends (infer U)[] ? readonly DeepReadonly<U>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

/** The report document's type, read-only like the analysis it is built from. */
export type JsonReport = DeepReadonly<z.infer<typeof JsonReport>>;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function buildReportSchema(): Record<string, Json> {
  const generated = z.toJSONSchema(JsonReport, { target: 'draft-2020-12', unrepresentable: 'throw', io: 'output' }) as Record<string, Json>;
  const { $schema, ...rest } = generated;
  const props = rest['properties'];
  const version = props !== null && typeof props === 'object' && !Array.isArray(props) ? props['schemaVersion'] : undefined;
  if (version === null || typeof version !== 'object' || Array.isArray(version)) throw new Error('report schema: no schemaVersion property');
  version['const'] = ANALYSIS_SCHEMA_VERSION;
  return {
    $schema: $schema ?? 'https://json-schema.org/draft/2020-12/schema',
    $id: REPORT_SCHEMA_ID,
    title: `maestro-tm JSON report, schema version ${ANALYSIS_SCHEMA_VERSION}.${REPORT_SCHEMA_MINOR}`,
    description: 'The output of `maestro-tm analyze --format json`. Strings copied from the model are untrusted text. Reference: docs/report-format.md.',
    ...rest,
  };
}

/** The schema as committed: stable key order from zod, two-space indent, trailing newline. */
export function renderReportSchema(): string {
  return JSON.stringify(buildReportSchema(), null, 2) + '\n';
}
