/**
 * Reading the files to import. Files named on the command line are read as given; directories are
 * walked iteratively, symbolic links inside them are never followed (each one skipped is reported),
 * and the walk is capped in depth, file count, per-file size and total size (HOSTILE-INPUTS I1, I2).
 * Only files an importer asks for (`wantsPath`) are read from a directory. An archive named on the
 * command line (.zip, .tar, .tar.gz, .tgz) is read in memory like a folder (src/io/archive.ts): its
 * entries become inputs named `<archive>!/<entry>`.
 */
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { diag, type Diagnostic } from '../model/diagnostics.js';
import { decodeImportBytes, type ImportInput } from '../importers/index.js';
import { archiveKind, readArchive } from './archive.js';

export interface ReadLimits {
  /** Largest file read, in bytes. */
  readonly maxFileBytes: number;
  /** Most files read in one import. */
  readonly maxFiles: number;
  /** Most bytes read in one import. */
  readonly maxTotalBytes: number;
  /** Deepest folder level walked below a named directory. */
  readonly maxDepth: number;
  /** Most directory entries looked at in one walk. */
  readonly maxEntries: number;
}

export const READ_LIMITS: ReadLimits = { maxFileBytes: 10 * 1024 * 1024, maxFiles: 1_000, maxTotalBytes: 100 * 1024 * 1024, maxDepth: 8, maxEntries: 100_000 };

/** Folders never worth walking into. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '__pycache__', '.venv', 'venv', 'dist', 'build', '.next', 'target']);

function toVirtual(p: string): string {
  return p.replace(/\\/g, '/');
}

/**
 * Read import inputs from files and directories. `wants` decides which files found inside a directory
 * are read. Never throws: every problem (missing file, link skipped, limit reached) is a diagnostic.
 */
export function readImportInputs(paths: readonly string[], wants: (path: string) => boolean, limits: Partial<ReadLimits> = {}): { inputs: ImportInput[]; diagnostics: Diagnostic[] } {
  const lim: ReadLimits = { ...READ_LIMITS, ...limits };
  const inputs: ImportInput[] = [];
  const diagnostics: Diagnostic[] = [];
  let total = 0;
  let stopped = false;
  const seen = new Set<string>();

  const readOne = (path: string, shown: string, inFolder = false): void => {
    if (stopped || seen.has(shown)) return;
    seen.add(shown);
    if (inputs.length >= lim.maxFiles) {
      diagnostics.push({ ...diag('W_IMPORT_LIMIT', `more than ${lim.maxFiles} files: the rest are not read`, { hint: 'name fewer files or a smaller folder' }), file: shown });
      stopped = true;
      return;
    }
    let bytes: Uint8Array;
    try {
      const st = statSync(path);
      if (!st.isFile()) {
        diagnostics.push({ ...diag('E_FILE', 'not a regular file', { hint: 'name a configuration file or a folder' }), file: shown });
        return;
      }
      if (st.size > lim.maxFileBytes) {
        diagnostics.push({ ...diag('E_LIMIT_SIZE', `file is ${st.size} bytes, more than the limit of ${lim.maxFileBytes} bytes`, { hint: 'raise the limit with --max-bytes if the file is trusted', line: 1, column: 1 }), file: shown });
        return;
      }
      if (total + st.size > lim.maxTotalBytes) {
        diagnostics.push({ ...diag('W_IMPORT_LIMIT', `more than ${lim.maxTotalBytes} bytes in total: the rest is not read`, { hint: 'name fewer files' }), file: shown });
        stopped = true;
        return;
      }
      bytes = readFileSync(path);
      total += bytes.length;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const message = code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : `cannot read the file (${code ?? 'error'})`;
      diagnostics.push({ ...diag('E_FILE', message, { hint: 'check the path' }), file: shown });
      return;
    }
    const decoded = decodeImportBytes(shown, bytes, lim.maxFileBytes);
    diagnostics.push(...decoded.diagnostics);
    if (decoded.input) inputs.push(inFolder ? { ...decoded.input, inFolder: true } : decoded.input);
  };

  // An archive is read in memory; its wanted regular files are added like files found in a folder.
  const readArchiveFile = (given: string, size: number, kind: NonNullable<ReturnType<typeof archiveKind>>): void => {
    const shown = toVirtual(given);
    if (stopped || seen.has(shown)) return;
    seen.add(shown);
    if (size > lim.maxTotalBytes) {
      diagnostics.push({ ...diag('E_LIMIT_SIZE', `archive is ${size} bytes, more than the limit of ${lim.maxTotalBytes} bytes`, { hint: 'extract it and import the project folder' }), file: shown });
      return;
    }
    let data: Uint8Array;
    try {
      data = readFileSync(given);
    } catch (err) {
      diagnostics.push({ ...diag('E_FILE', `cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { hint: 'check the path' }), file: shown });
      return;
    }
    const wantsEntry = (name: string): boolean => !name.split('/').slice(0, -1).some((d) => SKIP_DIRS.has(d)) && (wants(name) || wants(`${shown}!/${name}`));
    const r = readArchive(shown, data, kind, wantsEntry, { maxEntryBytes: lim.maxFileBytes, maxTotalBytes: lim.maxTotalBytes });
    diagnostics.push(...r.diagnostics);
    if (r.ok && r.entries.length === 0) {
      diagnostics.push({ ...diag('W_IMPORT_NOTHING', 'no file in this archive looks like something the importer reads', { hint: 'check that it holds the project, or name the format' }), file: shown });
    }
    for (const e of r.entries) {
      if (stopped) return;
      const path = `${shown}!/${e.name}`;
      if (inputs.length >= lim.maxFiles || total + e.bytes.length > lim.maxTotalBytes) {
        diagnostics.push({ ...diag('W_IMPORT_LIMIT', inputs.length >= lim.maxFiles ? `more than ${lim.maxFiles} files: the rest are not read` : `more than ${lim.maxTotalBytes} bytes in total: the rest is not read`, { hint: 'name fewer files' }), file: path });
        stopped = true;
        return;
      }
      total += e.bytes.length;
      const decoded = decodeImportBytes(path, e.bytes, lim.maxFileBytes);
      diagnostics.push(...decoded.diagnostics);
      if (decoded.input) inputs.push({ ...decoded.input, inFolder: true });
    }
  };

  for (const given of paths) {
    let st;
    try {
      st = statSync(given);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      diagnostics.push({ ...diag('E_FILE', code === 'ENOENT' ? 'file not found' : `cannot read it (${code ?? 'error'})`, { hint: 'check the path' }), file: toVirtual(given) });
      continue;
    }
    if (!st.isDirectory()) {
      const kind = st.isFile() ? archiveKind(given) : undefined;
      if (kind) readArchiveFile(given, st.size, kind);
      else readOne(given, toVirtual(given));
      continue;
    }
    // Iterative walk of a directory, sorted for a deterministic order; links are not followed.
    const stack: { dir: string; depth: number }[] = [{ dir: given, depth: 0 }];
    let entries = 0;
    const found: string[] = [];
    while (stack.length > 0 && !stopped) {
      const top = stack.pop();
      if (!top) break;
      let names: string[];
      try {
        names = readdirSync(top.dir).sort();
      } catch {
        diagnostics.push({ ...diag('W_IMPORT_UNREADABLE', 'folder cannot be read: skipped', { hint: 'check its permissions' }), file: toVirtual(top.dir) });
        continue;
      }
      const subdirs: string[] = [];
      for (const name of names) {
        if (++entries > lim.maxEntries) {
          diagnostics.push({ ...diag('W_IMPORT_LIMIT', `more than ${lim.maxEntries} entries in the folder: the walk stopped`, { hint: 'name a smaller folder' }), file: toVirtual(given) });
          stopped = true;
          break;
        }
        const full = join(top.dir, name);
        let ls;
        try {
          ls = lstatSync(full);
        } catch {
          continue;
        }
        const shown = toVirtual(join(given, relative(given, full)));
        if (ls.isSymbolicLink()) {
          if (wants(toVirtual(relative(given, full))) || wants(shown)) {
            diagnostics.push({ ...diag('W_IMPORT_SYMLINK', 'symbolic link not followed', { hint: 'links inside an imported folder are never followed; name the target file directly if you trust it' }), file: shown });
          }
          continue;
        }
        if (ls.isDirectory()) {
          if (!SKIP_DIRS.has(name) && top.depth + 1 <= lim.maxDepth) subdirs.push(full);
          continue;
        }
        if (ls.isFile() && (wants(toVirtual(relative(given, full))) || wants(shown))) found.push(full);
      }
      for (let i = subdirs.length - 1; i >= 0; i--) stack.push({ dir: subdirs[i] ?? '', depth: top.depth + 1 });
    }
    if (found.length === 0 && !stopped) {
      diagnostics.push({ ...diag('W_IMPORT_NOTHING', 'no file in this folder looks like something the importer reads', { hint: 'name the configuration file itself' }), file: toVirtual(given) });
    }
    for (const f of found.sort()) readOne(f, toVirtual(join(given, relative(given, f))), true);
  }
  return { inputs, diagnostics };
}
