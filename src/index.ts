/**
 * maestro-tm library API. Explicit named exports only: anything not listed here is internal.
 */
export { loadModelText, loadModelBytes, validateData, type LoadOptions, type LoadResult } from './model/load.js';
export { loadModelFile, writeFileAtomic } from './io/files.js';
export { resolveModel, elementsPerLayer, KIND_INDEX, type ModelGraph, type ResolvedModel } from './model/resolve.js';
export { editModel, writeModel, type ModelEditor, type ModelPath } from './model/write.js';
export { DEFAULT_LIMITS, type Limits, type ParsedSource, type SourceFormat, type SourceMap } from './model/parse.js';
export { type Diagnostic, type Severity, hasErrors } from './model/diagnostics.js';
export { LAYERS, LAYER_IDS, layerName, type LayerId } from './model/layers.js';
export { KIND_TABLE, ELEMENT_KINDS, inferLayer, type ElementKind, type KindRow } from './model/kinds.js';
export { EDGE_TYPES, REFERENCE_RULES, type EdgeType } from './model/references.js';
export { ModelFile as ModelSchema, MODEL_MAJOR_VERSION, MODEL_MINOR_VERSION, type ModelFile } from './model/schema.js';
export { STARTER_MODEL } from './model/starter.js';
export { buildJsonSchema, renderJsonSchema, SCHEMA_ID } from './model/json-schema.js';
export { renderFormatDoc } from './model/format-doc.js';
export { parseCatalogue, compareThreatIds, type Catalogue, type CatalogueFile } from './catalogue/load.js';
export { ThreatEntry, PatternEntry } from './catalogue/schema.js';
export { renderCatalogueDocs, type FixtureDoc } from './catalogue/docs.js';
export { loadCatalogue, readCatalogueFiles, catalogueDir } from './io/catalogue.js';
export { readRuleFixtures } from './io/docs-inputs.js';
export { analyse, ANALYSIS_SCHEMA_VERSION, type Analysis, type LayerSummary, type ThreatGap } from './engine/analyse.js';
export { runRules, type RunResult, type RuleTiming } from './engine/run.js';
export { defineRule, SEVERITIES, type Rule, type RuleMeta, type Finding, type Evidence, type Severity as FindingSeverity } from './engine/types.js';
export { RULES } from './rules/index.js';
export { renderMarkdown } from './reporters/markdown/index.js';
export { renderJson } from './reporters/json/index.js';
export { JsonReport, buildReportSchema, renderReportSchema, REPORT_SCHEMA_ID, REPORT_SCHEMA_MINOR } from './reporters/json/schema.js';
export { renderReportDoc } from './reporters/json/doc.js';
export { analyseCrossLayer, buildPropagation, STEP_KINDS, BLAST_KINDS, type CrossLayerResult, type CrossLayerView, type CrossLayerOptions, type ChainView, type BlastView } from './graph/index.js';
export { scoreFindings, compareByRisk, type RiskScore, type RiskFactor, type ScoredFinding, type RiskInputs } from './risk/index.js';
export { applyWhatIf, parseWhatIf, type WhatIfAdd } from './engine/whatif.js';
export { type ValidationItem, type RiskSummary, type PhaseTiming } from './engine/analyse.js';
export { type AnalysedFinding, type FindingTracking, type TrackingStatus, type TrackingSummary } from './engine/analyse.js';
export { REPORTERS, reporterById, type Reporter, type ReportContext } from './reporters/index.js';
export { locatePointer } from './model/load.js';
