/**
 * A model named on the command line either as a file or as a git revision `<rev>:<path>`
 * (`HEAD:model.yaml`, `origin/main:infra/maestro.yaml`, `HEAD~1:./model.yaml`). A revision is read
 * with `git show`, spawned with execFile (no shell) in the repository that holds the path. As in
 * git, a path after the colon is relative to the repository root, unless it starts with ./ or ../
 * (relative to the current directory) or is absolute.
 */
import { execFile } from 'node:child_process';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { diag, quote } from '../model/diagnostics.js';
import { loadModelBytes, type LoadOptions, type LoadResult } from '../model/load.js';
import { DEFAULT_LIMITS } from '../model/parse.js';
import { loadModelFile } from './files.js';

export type ModelSpec = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'git'; readonly rev: string; readonly path: string };

/** A file when one exists at the literal path (or it looks like a Windows drive path); else `<rev>:<path>` when it has a colon. */
export function parseModelSpec(spec: string, fileExists: (p: string) => boolean = existsSync): ModelSpec {
  if (fileExists(spec) || /^[A-Za-z]:[\\/]/.test(spec)) return { kind: 'file', path: spec };
  const i = spec.indexOf(':');
  if (i > 0) return { kind: 'git', rev: spec.slice(0, i), path: spec.slice(i + 1) };
  return { kind: 'file', path: spec };
}

interface GitRun {
  readonly code: number | 'ENOENT' | 'ERROR';
  readonly stdout: Buffer;
  readonly stderr: string;
}

function git(args: readonly string[], cwd: string, maxBuffer = 1024 * 1024): Promise<GitRun> {
  return new Promise((done) => {
    execFile(
      'git',
      // fsmonitor and pagers could run programs named in a repository's config: keep them off.
      ['-c', 'core.fsmonitor=false', '-c', 'core.pager=cat', '--no-pager', ...args],
      { cwd, encoding: 'buffer', maxBuffer, timeout: 60_000, windowsHide: true, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' } },
      (err, stdout, stderr) => {
        const errno = err as (NodeJS.ErrnoException & { code?: unknown }) | null;
        if (errno && errno.code === 'ENOENT' && typeof errno.errno === 'number') {
          done({ code: 'ENOENT', stdout: Buffer.alloc(0), stderr: '' });
          return;
        }
        const status = errno ? (typeof errno.code === 'number' ? errno.code : 'ERROR') : 0;
        done({ code: status, stdout, stderr: stderr.toString('utf8') });
      },
    );
  });
}

function fail(spec: string, message: string, hint: string): LoadResult {
  return { diagnostics: [{ ...diag('E_GIT', message, { hint }), file: spec }] };
}

/** The nearest existing directory at or above `p`. */
function existingDir(p: string): string {
  let d = p;
  for (let i = 0; i < 4096; i++) {
    try {
      if (statSync(d).isDirectory()) return d;
    } catch {
      /* keep climbing */
    }
    const up = dirname(d);
    if (up === d) return d;
    d = up;
  }
  return d;
}

/**
 * Read a model from a file or a git revision and load it. Never throws: a missing git, revision or
 * path is a diagnostic (code E_GIT) with a hint. Diagnostics name the spec as the user wrote it.
 */
export async function loadModelSpec(spec: string, options: LoadOptions & { cwd?: string } = {}): Promise<LoadResult & { readonly label: string }> {
  const parsed = parseModelSpec(spec);
  if (parsed.kind === 'file') return { ...loadModelFile(parsed.path, options), label: spec };
  const res = await readRevision(spec, parsed.rev, parsed.path, options);
  return { ...res, label: spec };
}

async function readRevision(spec: string, rev: string, path: string, options: LoadOptions & { cwd?: string }): Promise<LoadResult> {
  const cwd = options.cwd ?? process.cwd();
  const maxBytes = options.limits?.maxBytes ?? DEFAULT_LIMITS.maxBytes;
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (rev.startsWith('-') || /[\u0000-\u001f\u007f]/.test(rev)) return fail(spec, `${quote(rev)} is not a git revision`, 'write <rev>:<path>, for example HEAD:model.yaml or origin/main:model.yaml');
  if (path === '') return fail(spec, `no path after the colon in ${quote(spec)}`, 'write <rev>:<path>, for example HEAD:model.yaml');
  if (!existsSync(cwd)) return fail(spec, 'the current directory does not exist', 'run from inside the repository');
  // Which repository: the one holding the path (for ./, ../ and absolute paths), else the current one.
  const local = isAbsolute(path) || path.startsWith('./') || path.startsWith('../') || path === '.' || path === '..';
  const abs = local ? resolve(cwd, path) : undefined;
  const where = abs ? existingDir(dirname(abs)) : cwd;
  const top = await git(['rev-parse', '--show-toplevel'], where);
  if (top.code === 'ENOENT') return fail(spec, `git is not installed or not on PATH, so the revision ${quote(spec)} cannot be read`, 'install git, or check the old version out to a file and pass that file instead');
  if (top.code !== 0) return fail(spec, `${where} is not inside a git repository, so ${quote(spec)} cannot be read`, 'run maestro-tm from inside the repository, or pass a file path instead of <rev>:<path>');
  const root = top.stdout.toString('utf8').trim();
  let rel = path;
  if (abs) {
    let real = abs;
    try {
      const base = existingDir(abs);
      real = resolve(realpathSync(base), relative(base, abs));
    } catch {
      /* keep abs */
    }
    rel = relative(realpathSync(root), real);
    if (rel.startsWith('..') || isAbsolute(rel)) return fail(spec, `${quote(path)} is outside the repository at ${root}`, 'name a model inside the repository');
    rel = rel.split(sep).join('/');
  }
  const verify = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], root);
  if (verify.code !== 0) {
    return fail(
      spec,
      `git revision ${quote(rev)} not found in ${root}`,
      'check it with `git log --oneline`; in CI, fetch enough history (for example actions/checkout with fetch-depth: 0) or fetch the base branch first',
    );
  }
  const object = `${rev}:${rel}`;
  const type = await git(['cat-file', '-t', '--end-of-options', object], root);
  if (type.code !== 0) {
    return fail(spec, `${quote(rel)} does not exist in revision ${quote(rev)}`, 'paths after the colon are relative to the repository root, as in git; write ./path for a path relative to the current directory');
  }
  const kind = type.stdout.toString('utf8').trim();
  if (kind !== 'blob') return fail(spec, `${quote(rel)} in revision ${quote(rev)} is a ${kind}, not a file`, 'name the model file, not a directory');
  const size = await git(['cat-file', '-s', '--end-of-options', object], root);
  const bytes = Number(size.stdout.toString('utf8').trim());
  if (size.code === 0 && Number.isFinite(bytes) && bytes > maxBytes) {
    return { diagnostics: [{ ...diag('E_LIMIT_SIZE', `file is ${bytes} bytes, more than the limit of ${maxBytes} bytes`, { hint: 'split the model, or raise the limit with --max-bytes if the file is trusted', line: 1, column: 1 }), file: spec }] };
  }
  const show = await git(['show', '--no-textconv', '--end-of-options', object], root, maxBytes + 1024);
  if (show.code !== 0) return fail(spec, `git show ${quote(object)} failed: ${quote(show.stderr.trim().split('\n')[0] ?? '', 200)}`, 'check the revision and path with git show');
  return loadModelBytes(new Uint8Array(show.stdout), { ...options, file: spec });
}
