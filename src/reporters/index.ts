/**
 * The reporter registry: every output format of `maestro-tm analyze --format`, in one table.
 *
 * A reporter is a pure function from the analysis (plus the context below) to the file's text.
 * Reporters never compute risk and never read files; the CLI writes what they return, each to a
 * temporary name then renamed, and one failing reporter does not stop the others.
 *
 * Adding a format: a folder src/reporters/<id>/index.ts exporting a `Reporter`, one line in
 * REPORTERS below; the conformance suite (test/reporters/conformance.test.ts) and the golden files
 * (test/golden/) pick it up from this table.
 */
import type { Analysis } from '../engine/analyse.js';
import type { Catalogue } from '../catalogue/load.js';
import type { ModelFile } from '../model/schema.js';
import { markdownReporter } from './markdown/index.js';
import { jsonReporter } from './json/index.js';
import { csvReporter } from './csv/index.js';
import { sarifReporter } from './sarif/index.js';
import { mermaidReporter } from './mermaid/index.js';
import { navigatorReporter, atlasNavigatorReporter } from './navigator/index.js';
import { otmReporter } from './otm/index.js';
import { threatDragonReporter } from './td/index.js';
import { htmlReporter } from './html/index.js';

export interface ReportContext {
  readonly catalogue: Catalogue;
  /** The model as loaded (no defaults applied): element lists, descriptions, boundaries. */
  readonly model: ModelFile;
  /** The model file's path as the user gave it, with forward slashes (SARIF artifact locations, titles). */
  readonly modelPath: string;
  /** 1-based line and column of a JSON pointer (e.g. a finding's evidence pointer) in the model file. */
  readonly locate: (pointer: string) => { readonly line: number; readonly column: number } | undefined;
  /** maestro-tm's version (package.json). */
  readonly toolVersion: string;
}

export interface Reporter {
  /** The --format value. */
  readonly id: string;
  /** File extension chosen when -o names a directory or several formats share a stem, with the dot. */
  readonly extension: string;
  /** One line for --help. */
  readonly description: string;
  /** The file's text; may be async (the HTML report awaits its graph layout). Must be deterministic. */
  render(analysis: Analysis, ctx: ReportContext): string | Promise<string>;
}

/** In --help order. */
export const REPORTERS: readonly Reporter[] = [
  markdownReporter,
  jsonReporter,
  htmlReporter,
  csvReporter,
  sarifReporter,
  mermaidReporter,
  navigatorReporter,
  atlasNavigatorReporter,
  otmReporter,
  threatDragonReporter,
];

export function reporterById(id: string): Reporter | undefined {
  return REPORTERS.find((r) => r.id === id);
}
