/**
 * The importer contract. An importer is pure: it gets file texts with virtual paths (the CLI reads
 * them, see src/io/import.ts) and returns a model plus diagnostics. It never reads files, spawns
 * processes or fetches anything. Whatever it cannot use becomes a warning naming the file and the
 * place (line:column and JSON pointer), never an exception.
 */
import type { Diagnostic } from '../model/diagnostics.js';
import type { ModelFile } from '../model/schema.js';

/** One file to import: its path as the user named it (forward slashes) and its decoded text. */
export interface ImportInput {
  readonly path: string;
  readonly text: string;
  /** Found while walking a folder the user named (not named itself): with `auto`, a file no importer recognises is skipped with a warning instead of refused. */
  readonly inFolder?: boolean;
}

/**
 * A security-relevant fact the importer saw in the source (an unpinned package, a secret in the file,
 * a shell command line...). Also recorded on the element (tags, attributes the rules read); listed
 * here so the CLI can show each with its file and line.
 */
export interface ImportNote {
  readonly code: string;
  /** Plain text; never contains a secret value. */
  readonly message: string;
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly pointer?: string;
  /** The element id the fact was recorded on. */
  readonly element?: string;
}

/** What happened to each input file. */
export interface ImportFileReport {
  readonly file: string;
  readonly status: 'imported' | 'refused';
  /** The dialect or client recognised, for example "VS Code (.vscode/mcp.json)". */
  readonly dialect?: string;
  /** Elements created from this file. */
  readonly elements: number;
}

export interface ImportResult {
  /** Present when at least one file could be imported. Always passes validateData without errors. */
  readonly model?: ModelFile;
  /** Errors (a refused file) and warnings (a skipped part), each naming its file and place. */
  readonly diagnostics: Diagnostic[];
  readonly notes: ImportNote[];
  readonly files: ImportFileReport[];
}

export interface ImportOptions {
  /**
   * Ids already used by a model the result will be merged into, with their section. An imported
   * element may reuse an id only in the same section (it then updates that element); the importer
   * picks other ids for its elements to avoid clashes with the rest.
   */
  readonly existingIds?: ReadonlyMap<string, string>;
}

export interface Importer {
  /** The `maestro-tm import <format>` value. */
  readonly id: string;
  readonly aliases: readonly string[];
  /** One line for --help. */
  readonly description: string;
  /**
   * How sure the importer is that this file is in its format, from 0 (not at all) to 1 (certain).
   * Cheap: looks at the name and the text, never throws. `import auto` picks the highest score.
   */
  detect(input: ImportInput): number;
  /** Whether a file found while walking a directory is worth reading (by its path alone). */
  wantsPath(path: string): boolean;
  import(inputs: readonly ImportInput[], options?: ImportOptions): ImportResult;
  /**
   * Optional one-time asynchronous set-up (for example loading a wasm parser), awaited by
   * `prepareImporters` before `import` runs. Never rejects: a failure shows up as import diagnostics.
   */
  prepare?(): Promise<void>;
}
