/**
 * Python source → a plain, immutable syntax tree, through tree-sitter (web-tree-sitter + the
 * tree-sitter-python grammar, both WebAssembly). Nothing is ever executed: the code is only parsed.
 *
 * The wasm parser loads asynchronously, so importers that read Python have a `prepare()` step that
 * the CLI awaits before importing (`prepareImporters` in ../index.ts). Until it has run, `parsePython`
 * says so with a diagnostic instead of parsing.
 *
 * Where the grammar comes from: `npm run build` copies tree-sitter-python.wasm into
 * dist/grammars/ (tools/copy-grammars.js), so the installed CLI needs no dev dependency; when running
 * from the sources (tests), the copy in node_modules is used.
 *
 * The wasm tree is copied into plain objects with an explicit stack (no recursion) and freed at once,
 * so the rest of the importer works on ordinary data and never leaks wasm memory.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { diag, type Diagnostic } from '../../model/diagnostics.js';

/** One named syntax node. `text` is kept for leaves only (identifiers, numbers, string parts). */
export interface PyNode {
  readonly type: string;
  /** The field this node fills in its parent (for example "function", "arguments", "name"). */
  readonly field: string | null;
  /** 1-based line and column. */
  readonly line: number;
  readonly column: number;
  readonly start: number;
  readonly end: number;
  readonly children: PyNode[];
  readonly text?: string;
}

export interface PythonLimits {
  /** Largest Python file parsed, in characters. */
  readonly maxChars: number;
  /** Most syntax nodes kept from one file. */
  readonly maxNodes: number;
  /** Deepest nesting kept; deeper nodes are dropped (with a warning). */
  readonly maxDepth: number;
  /** Parse time budget per file, in milliseconds. */
  readonly maxMillis: number;
}

export const PYTHON_LIMITS: PythonLimits = { maxChars: 2_000_000, maxNodes: 1_500_000, maxDepth: 200, maxMillis: 5_000 };

/** Leaf types whose text is kept. */
const LEAF_TEXT = new Set(['identifier', 'string_content', 'escape_sequence', 'integer', 'float', 'true', 'false', 'none', 'string_start', 'comment', 'keyword_identifier']);

interface Loaded {
  readonly parse: (text: string, deadline: number) => { root: unknown } | undefined;
}

let loaded: Loaded | undefined;
let loadError: string | undefined;
let loading: Promise<void> | undefined;

/** Where the grammar wasm is: next to the built code (dist/grammars), else in node_modules. */
export function grammarPath(): string | undefined {
  const candidates: string[] = [];
  try {
    candidates.push(fileURLToPath(new URL('../../grammars/tree-sitter-python.wasm', import.meta.url)));
  } catch {
    // not a file URL (bundled): fall through to node_modules
  }
  try {
    candidates.push(createRequire(import.meta.url).resolve('tree-sitter-python/tree-sitter-python.wasm'));
  } catch {
    // dev dependency not installed
  }
  return candidates.find((p) => existsSync(p));
}

/** Load the parser once. Never rejects: a failure is remembered and reported by `parsePython`. */
export function loadPython(): Promise<void> {
  loading ??= (async () => {
    try {
      const path = grammarPath();
      if (path === undefined) {
        loadError = 'the Python grammar (tree-sitter-python.wasm) is missing: reinstall maestro-tm, or run npm run build';
        return;
      }
      const { Parser, Language } = await import('web-tree-sitter');
      await Parser.init();
      const language = await Language.load(new Uint8Array(readFileSync(path)));
      const parser = new Parser();
      parser.setLanguage(language);
      loaded = {
        parse(text, deadline) {
          const tree = parser.parse(text, null, { progressCallback: () => Date.now() > deadline });
          parser.reset();
          return tree ? { root: tree } : undefined;
        },
      };
    } catch (err) {
      loadError = `the Python parser could not be loaded (${err instanceof Error ? err.name : 'Error'})`;
    }
  })();
  return loading;
}

/** Minimal view of web-tree-sitter's tree and cursor, as used below. */
interface WasmCursor {
  readonly nodeType: string;
  readonly nodeIsNamed: boolean;
  readonly nodeIsMissing: boolean;
  readonly nodeText: string;
  readonly currentFieldName: string | null;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startPosition: { row: number; column: number };
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  delete(): void;
}
interface WasmTree {
  readonly rootNode: { walk(): WasmCursor };
  delete(): void;
}

export interface ParsedPython {
  readonly root?: PyNode;
  /** Places the parser could not make sense of (syntax errors), at most a few. */
  readonly errors: { line: number; column: number }[];
  readonly diagnostics: Diagnostic[];
}

/** Parse one file. Never throws; limits give diagnostics. */
export function parsePython(text: string, file: string, limits: PythonLimits = PYTHON_LIMITS): ParsedPython {
  const at = (d: Diagnostic): Diagnostic => ({ ...d, file });
  if (!loaded) {
    return {
      errors: [],
      diagnostics: [at(diag('E_IMPORT_PYTHON_PARSER', loadError ?? 'the Python parser is not loaded (call prepareImporters first)', { hint: 'this is a bug or a broken install; the YAML files of a CrewAI project can still be imported', line: 1, column: 1 }))],
    };
  }
  if (text.length > limits.maxChars) {
    return { errors: [], diagnostics: [at(diag('E_LIMIT_SIZE', `the Python file has ${text.length} characters, more than the limit of ${limits.maxChars}`, { hint: 'name the files that define the agents, not generated or vendored code', line: 1, column: 1 }))] };
  }
  if (text.includes('\u0000')) {
    return { errors: [], diagnostics: [at(diag('E_ENCODING', 'NUL character in the text', { hint: 'this looks like a binary file, not Python source', line: 1, column: 1 }))] };
  }
  let tree: WasmTree | undefined;
  try {
    tree = loaded.parse(text, Date.now() + limits.maxMillis)?.root as WasmTree | undefined;
    if (!tree) {
      return { errors: [], diagnostics: [at(diag('E_IMPORT_PYTHON_TIME', `parsing took longer than ${limits.maxMillis} ms and was stopped`, { hint: 'the file is unusually large or adversarial', line: 1, column: 1 }))] };
    }
    return copyTree(tree, limits, file);
  } catch (err) {
    return { errors: [], diagnostics: [at(diag('E_PARSE_FAILED', `the Python parser failed (${err instanceof Error ? err.name : 'Error'})`, { hint: 'the file is malformed or adversarial', line: 1, column: 1 }))] };
  } finally {
    tree?.delete();
  }
}

function copyTree(tree: WasmTree, limits: PythonLimits, file: string): ParsedPython {
  const cursor = tree.rootNode.walk();
  const diagnostics: Diagnostic[] = [];
  const errors: { line: number; column: number }[] = [];
  try {
    const make = (): PyNode => {
      const p = cursor.startPosition;
      const node: PyNode = {
        type: cursor.nodeType,
        field: cursor.currentFieldName,
        line: p.row + 1,
        column: p.column + 1,
        start: cursor.startIndex,
        end: cursor.endIndex,
        children: [],
        ...(LEAF_TEXT.has(cursor.nodeType) ? { text: cursor.nodeText } : {}),
      };
      return node;
    };
    const root = make();
    // Pre-order walk with the cursor; `parents` is the explicit stack of open nodes.
    const parents: PyNode[] = [root];
    let count = 1;
    let tooDeep = false;
    let stopped = false;
    for (;;) {
      let moved = false;
      if (parents.length <= limits.maxDepth && cursor.gotoFirstChild()) moved = true;
      else {
        if (parents.length > limits.maxDepth) tooDeep = true;
        for (;;) {
          if (cursor.gotoNextSibling()) {
            parents.pop();
            moved = true;
            break;
          }
          if (!cursor.gotoParent()) break;
          parents.pop();
        }
        if (!moved) break;
      }
      const parent = parents[parents.length - 1];
      if (!parent) break;
      if (cursor.nodeType === 'ERROR' || cursor.nodeIsMissing) {
        if (errors.length < 20) errors.push({ line: cursor.startPosition.row + 1, column: cursor.startPosition.column + 1 });
      }
      if (!cursor.nodeIsNamed) {
        // Anonymous tokens ("=", "(") carry nothing we read; keep the stack shape by pushing a stand-in.
        parents.push(parent);
        continue;
      }
      if (++count > limits.maxNodes) {
        stopped = true;
        break;
      }
      const node = make();
      parent.children.push(node);
      parents.push(node);
    }
    if (stopped) diagnostics.push({ ...diag('W_LIMIT_NODES', `the file has more than ${limits.maxNodes} syntax nodes: the rest is not read`, { hint: 'name the files that define the agents', line: 1, column: 1, severity: 'warning' }), file });
    if (tooDeep) diagnostics.push({ ...diag('W_IMPORT_PYTHON_DEPTH', `code nested deeper than ${limits.maxDepth} levels is not read`, { hint: 'the file is unusually deep or adversarial', line: 1, column: 1, severity: 'warning' }), file });
    return { root, errors, diagnostics };
  } finally {
    cursor.delete();
  }
}
