/** Compare two models' analyses (maestro-tm diff) and render the comparison. */
export { diffModels, sideOf, chainPath, stepKey, DIFF_SCHEMA_VERSION, type ModelDiff, type DiffSide, type DiffElement, type DiffControl, type DiffFinding, type ChangedFinding, type DiffChain, type DiffTotals } from './compare.js';
export { renderDiffText, renderDiffMarkdown, renderDiffJson, MD_SECTION_LIMIT } from './render.js';
