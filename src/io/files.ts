/**
 * File access for the library and the CLI: reading models and writing outputs atomically. The pure
 * layers (model, engine, graph, risk, rules) never touch the file system; they get text from here.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { diag } from '../model/diagnostics.js';
import { loadModelBytes, type LoadOptions, type LoadResult } from '../model/load.js';
import { DEFAULT_LIMITS } from '../model/parse.js';

/** Read and load a model file. Never throws for a missing or unreadable file: that is a diagnostic. */
export function loadModelFile(path: string, options: LoadOptions = {}): LoadResult {
  const file = options.file ?? path;
  const maxBytes = options.limits?.maxBytes ?? DEFAULT_LIMITS.maxBytes;
  let bytes: Uint8Array;
  try {
    const st = statSync(path);
    if (st.isDirectory()) {
      return { diagnostics: [{ ...diag('E_FILE', 'this is a directory, not a model file', { hint: 'name a .yaml or .json model file' }), file }] };
    }
    if (st.size > maxBytes) {
      return {
        diagnostics: [
          {
            ...diag('E_LIMIT_SIZE', `file is ${st.size} bytes, more than the limit of ${maxBytes} bytes`, {
              hint: 'split the model, or raise the limit with --max-bytes if the file is trusted',
              line: 1,
              column: 1,
            }),
            file,
          },
        ],
      };
    }
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : `cannot read the file (${code ?? 'error'})`;
    return { diagnostics: [{ ...diag('E_FILE', message, { hint: 'check the path' }), file }] };
  }
  return loadModelBytes(bytes, { ...options, file });
}

/**
 * Write a file atomically: write a temporary file beside the target, flush it, then rename it over the
 * target. A reader never sees a half-written file, and a failure leaves the old file untouched.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    const buf = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        /* already closed */
      }
    }
    try {
      unlinkSync(tmp);
    } catch {
      /* nothing to clean */
    }
    throw err;
  }
}
