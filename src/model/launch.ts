/**
 * Reading an MCP server's launch command line without running it: the package it fetches
 * (`npx -y pkg@1.2.3`, `uvx pkg==1.0`, `docker run image:tag`), shells and inline code, and
 * arguments that open the whole file system or a home folder. Pure string work; nothing is executed.
 */

export type Registry = 'npm' | 'pypi' | 'docker' | 'github' | 'other';

export interface PackageSpec {
  readonly name: string;
  readonly registry: Registry;
  /** As written: an exact version, a range, a tag such as latest, or a digest; absent when none. */
  readonly version?: string;
  /** Index in the (split) argument list where the package is named. */
  readonly argIndex: number;
}

/** A risk read from a launch command line (the rules call it a LaunchFinding). */
export interface Finding {
  readonly code: 'shell' | 'inline-code' | 'broad-path' | 'privileged-container';
  readonly message: string;
  /** Index of the argument concerned; -1 for the command itself. */
  readonly argIndex: number;
}

export type LaunchFinding = Finding;

/** The tag an importer puts on an element for a launch finding (`shell-command`, `broad-filesystem-argument`, ...). */
export function findingTag(code: Finding['code']): string {
  return code === 'shell' ? 'shell-command' : code === 'broad-path' ? 'broad-filesystem-argument' : code;
}

/** The code of the import note for a launch finding (I_SHELL, I_INLINE_CODE, ...). */
export function findingNoteCode(code: Finding['code']): string {
  return `I_${code.toUpperCase().replace(/-/g, '_')}`;
}

export interface LaunchInfo {
  readonly command: string;
  readonly args: string[];
  /** How many leading entries of `args` came from splitting the command string. */
  readonly fromCommand: number;
  readonly pkg?: PackageSpec;
  /** Further packages fetched at launch (uv --with). */
  readonly extra: PackageSpec[];
  readonly findings: Finding[];
}

/** An exact version: 1.2.3, v1.2.3, 1.2.3-beta.1 (the same test the rules use). */
export function isExactVersion(v: unknown): boolean {
  return typeof v === 'string' && EXACT_VERSION.test(v);
}

const EXACT_VERSION = /^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/;

/** Split a command line into words, honouring single and double quotes (no expansion of anything). */
export function splitWords(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: '"' | "'" | undefined;
  let any = false;
  for (const c of s) {
    if (quote) {
      if (c === quote) quote = undefined;
      else cur += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      any = true;
      continue;
    }
    if (/\s/.test(c)) {
      if (cur !== '' || any) out.push(cur);
      cur = '';
      any = false;
      continue;
    }
    cur += c;
  }
  if (cur !== '' || any) out.push(cur);
  return out;
}

function looksLikePath(s: string): boolean {
  return /^(\/|~|\.{1,2}[\\/]|[A-Za-z]:[\\/]|\\\\|\$\{)/.test(s);
}

function baseName(cmd: string): string {
  const b = cmd.split(/[\\/]/).pop() ?? cmd;
  return b.toLowerCase().replace(/\.(cmd|exe|bat|ps1)$/, '');
}

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish', 'cmd', 'powershell', 'pwsh']);
const INTERPRETERS = new Map<string, readonly string[]>([
  ['python', ['-c']],
  ['node', ['-e', '--eval', '-p', '--print']],
  ['deno', ['eval']],
  ['bun', ['-e', '--eval']],
  ['perl', ['-e', '-E']],
  ['ruby', ['-e']],
]);
/** Shell syntax in a command line: command separators, pipes, substitution, redirection. */
const SHELL_SYNTAX = /(;|&&|\|\||\||`|\$\(|(^|\s)(>>?|<|2>)(\s|$))/;

/**
 * Analyse a server's command and arguments. When the command holds several words (`uv run python`)
 * and is not a path, it is split: clients pass it to the OS as one program name, so this is either a
 * mistake or meant for a shell.
 */
export function analyseLaunch(command: string, rawArgs: readonly string[]): LaunchInfo {
  let cmd = command.trim();
  let args = [...rawArgs];
  let fromCommand = 0;
  if (/\s/.test(cmd) && !looksLikePath(cmd)) {
    const words = splitWords(cmd);
    if (words.length > 1) {
      cmd = words[0] ?? cmd;
      fromCommand = words.length - 1;
      args = [...words.slice(1), ...args];
    }
  }
  const findings: Finding[] = [];
  const base = baseName(cmd);
  const extra: PackageSpec[] = [];
  let pkg: PackageSpec | undefined;

  // Shells and inline code.
  if (SHELLS.has(base)) {
    const c = args.findIndex((a) => /^-[a-z]*c$/i.test(a) || /^\/c$/i.test(a) || /^-(command|c)$/i.test(a));
    findings.push({ code: 'shell', message: c >= 0 ? `runs through a shell (${base} ${args[c] ?? ''}): the command line is shell code` : `the command is a shell (${base})`, argIndex: c >= 0 ? c + 1 : -1 });
  }
  // An interpreter given code inline (python -c, node -e), directly or behind a launcher (uv run python -c).
  const words = [cmd, ...args];
  for (let w = 0; w + 1 < words.length && w < 4; w++) {
    const name = baseName(words[w] ?? '');
    const flags = INTERPRETERS.get(name.replace(/\d+(\.\d+)*$/, ''));
    if (!flags?.includes(words[w + 1] ?? '')) continue;
    findings.push({ code: 'inline-code', message: `runs code written inline in the configuration (${name} ${words[w + 1] ?? ''})`, argIndex: w + 1 < args.length ? w + 1 : w });
    break;
  }
  // Shell syntax anywhere on the line, except in code given inline to an interpreter (a ; there is Python's or JavaScript's).
  const inlineAt = findings.find((f) => f.code === 'inline-code')?.argIndex ?? -2;
  const syntaxAt = [cmd, ...args].findIndex((a, w) => w - 1 !== inlineAt && !/^[a-z][a-z0-9+.-]*:\/\//i.test(a) && SHELL_SYNTAX.test(a.replace(/\$\{[^}]*\}/g, '')));
  if (syntaxAt >= 0 && !findings.some((f) => f.code === 'shell')) {
    findings.push({ code: 'shell', message: 'the command line holds shell syntax (; && | ` $( or a redirection): it only works through a shell, which would also run anything injected into it', argIndex: syntaxAt - 1 });
  }

  // Packages fetched at launch.
  const sub = args[0]?.toLowerCase();
  if (base === 'npx' || base === 'bunx' || base === 'pnpx') pkg = npmPackage(args, 0, findings);
  else if ((base === 'pnpm' || base === 'yarn') && sub === 'dlx') pkg = npmPackage(args, 1, findings);
  else if ((base === 'npm' && sub === 'exec') || (base === 'bun' && sub === 'x')) pkg = npmPackage(args, 1, findings);
  else if (base === 'uvx') pkg = uvPackage(args, 0, extra);
  else if (base === 'uv' && sub === 'tool' && args[1] === 'run') pkg = uvPackage(args, 2, extra);
  else if (base === 'uv' && sub === 'run') uvPackage(args, 1, extra, true);
  else if (base === 'pipx' && sub === 'run') pkg = pipxPackage(args, 1);
  else if (base === 'docker' || base === 'podman') pkg = dockerImage(args, findings);

  // Arguments that open a root or home folder.
  args.forEach((a, i) => {
    for (const candidate of pathCandidates(a, i > 0 ? (args[i - 1] ?? '') : '', base)) {
      const b = breadth(candidate);
      if (b) findings.push({ code: 'broad-path', message: `the argument ${JSON.stringify(candidate)} opens ${b === 'root' ? 'the whole file system' : 'a home or system folder'}`, argIndex: i });
    }
  });
  return { command: cmd, args, fromCommand, ...(pkg ? { pkg } : {}), extra, findings };
}

// ---------------------------------------------------------------------------------------------------------------------
// npm

const NPX_VALUE_FLAGS = new Set(['--registry', '--cache', '--userconfig', '--node-options', '--prefix', '--workspace', '-w', '--loglevel']);

function npmPackage(args: readonly string[], start: number, findings: Finding[]): PackageSpec | undefined {
  let explicit: PackageSpec | undefined;
  for (let i = start; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--') {
      const next = args[i + 1];
      return explicit ?? (next !== undefined ? parseNpmSpec(next, i + 1) : undefined);
    }
    if (a === '-p' || a === '--package') {
      const v = args[i + 1];
      if (v !== undefined) explicit ??= parseNpmSpec(v, i + 1);
      i++;
      continue;
    }
    if (a.startsWith('--package=')) {
      explicit ??= parseNpmSpec(a.slice('--package='.length), i);
      continue;
    }
    if (a === '-c' || a === '--call') {
      findings.push({ code: 'shell', message: 'npx --call runs a shell command string', argIndex: i + 1 });
      return explicit;
    }
    if (NPX_VALUE_FLAGS.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    return explicit ?? parseNpmSpec(a, i);
  }
  return explicit;
}

export function parseNpmSpec(spec: string, argIndex: number): PackageSpec | undefined {
  const s = spec.trim();
  if (s === '' || looksLikePath(s) || s.startsWith('file:')) return undefined;
  if (/^(github:|git\+|git:|https?:\/\/)/i.test(s) || /^[\w.-]+\/[\w.-]+(#.*)?$/.test(s)) {
    const hash = s.indexOf('#');
    return { name: hash >= 0 ? s.slice(0, hash) : s, registry: /github/i.test(s) || !s.includes(':') ? 'github' : 'other', ...(hash >= 0 ? { version: s.slice(hash + 1) } : {}), argIndex };
  }
  const at = s.indexOf('@', s.startsWith('@') ? 1 : 0);
  if (at < 0) return { name: s, registry: 'npm', argIndex };
  const version = s.slice(at + 1);
  return { name: s.slice(0, at), registry: 'npm', ...(version !== '' ? { version } : {}), argIndex };
}

// ---------------------------------------------------------------------------------------------------------------------
// Python (uvx, uv tool run, uv run --with, pipx run)

const UV_VALUE_FLAGS = new Set(['--python', '-p', '--index', '--index-url', '--extra-index-url', '--default-index', '--directory', '--project', '--with-editable', '--with-requirements', '--constraints', '-c', '--cache-dir', '--config-file', '--env-file', '--find-links', '-f']);

function uvPackage(args: readonly string[], start: number, extra: PackageSpec[], withOnly = false): PackageSpec | undefined {
  let from: PackageSpec | undefined;
  for (let i = start; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--from' || a === '--with') {
      const v = args[i + 1];
      const p = v !== undefined ? parsePySpec(v, i + 1) : undefined;
      if (p && a === '--from') from ??= p;
      else if (p) extra.push(p);
      i++;
      continue;
    }
    if (a.startsWith('--from=') || a.startsWith('--with=')) {
      const p = parsePySpec(a.slice(7), i);
      if (p && a.startsWith('--from=')) from ??= p;
      else if (p) extra.push(p);
      continue;
    }
    if (UV_VALUE_FLAGS.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    if (withOnly) return undefined;
    return from ?? parsePySpec(a, i);
  }
  return withOnly ? undefined : from;
}

function pipxPackage(args: readonly string[], start: number): PackageSpec | undefined {
  for (let i = start; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--spec') {
      const v = args[i + 1];
      return v !== undefined ? parsePySpec(v, i + 1) : undefined;
    }
    if (a === '--python' || a === '--index-url' || a === '--pip-args') {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    return parsePySpec(a, i);
  }
  return undefined;
}

export function parsePySpec(spec: string, argIndex: number): PackageSpec | undefined {
  const s = spec.trim();
  if (s === '' || looksLikePath(s)) return undefined;
  if (/^(git\+|https?:\/\/)/i.test(s)) return { name: s.replace(/@[^@/]*$/, ''), registry: /github/i.test(s) ? 'github' : 'other', argIndex };
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(.*)$/.exec(s);
  if (!m) return undefined;
  const name = m[1] ?? s;
  const rest = (m[3] ?? '').trim();
  if (rest === '') return { name, registry: 'pypi', argIndex };
  if (rest.startsWith('==') && !rest.includes(',')) return { name, registry: 'pypi', version: rest.slice(2).trim(), argIndex };
  if (rest.startsWith('@')) return { name, registry: 'pypi', version: rest.slice(1).trim(), argIndex };
  return { name, registry: 'pypi', version: rest, argIndex };
}

// ---------------------------------------------------------------------------------------------------------------------
// docker / podman

const DOCKER_VALUE_FLAGS = new Set([
  '-e', '--env', '-v', '--volume', '--name', '-p', '--publish', '--network', '--net', '--mount', '-w', '--workdir', '--entrypoint',
  '--env-file', '-u', '--user', '--platform', '--pull', '--label', '-l', '--add-host', '--cpus', '--memory', '-m', '--hostname', '-h',
  '--cap-add', '--cap-drop', '--security-opt', '--pid', '--ipc', '--userns', '--device', '--tmpfs', '--restart', '--runtime', '--gpus',
  '--log-driver', '--dns', '--ulimit', '--shm-size', '--cidfile', '--stop-signal', '--health-cmd', '--uts',
]);

function dockerImage(args: readonly string[], findings: Finding[]): PackageSpec | undefined {
  let i = 0;
  if (args[0] === 'container') i = 1;
  if (args[i] !== 'run') return undefined;
  for (i = i + 1; i < args.length; i++) {
    const a = args[i] ?? '';
    const flag = a.split('=')[0] ?? a;
    const value = a.includes('=') && a.startsWith('--') ? a.slice(a.indexOf('=') + 1) : args[i + 1];
    if (a === '--privileged') findings.push({ code: 'privileged-container', message: 'the container runs --privileged: it can reach the host', argIndex: i });
    if ((flag === '--network' || flag === '--net' || flag === '--pid' || flag === '--ipc' || flag === '--userns' || flag === '--uts') && value === 'host') {
      findings.push({ code: 'privileged-container', message: `the container shares the host's ${flag.slice(2)} namespace (${flag} host)`, argIndex: a.includes('=') ? i : i + 1 });
    }
    if (flag === '--cap-add' && value !== undefined && /^(all|sys_admin|sys_ptrace|net_admin)$/i.test(value)) {
      findings.push({ code: 'privileged-container', message: `the container is given the ${value} capability`, argIndex: a.includes('=') ? i : i + 1 });
    }
    if (a.startsWith('--') && a.includes('=')) continue;
    if (DOCKER_VALUE_FLAGS.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    return parseImage(a, i);
  }
  return undefined;
}

export function parseImage(ref: string, argIndex: number): PackageSpec {
  const at = ref.indexOf('@');
  if (at >= 0) return { name: ref.slice(0, at), registry: 'docker', version: ref.slice(at + 1), argIndex };
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) return { name: ref.slice(0, colon), registry: 'docker', version: ref.slice(colon + 1), argIndex };
  return { name: ref, registry: 'docker', argIndex };
}

// ---------------------------------------------------------------------------------------------------------------------
// Broad paths

/** The paths an argument names: itself, the value of --flag=value, the host side of a docker volume. */
function pathCandidates(arg: string, prev: string, base: string): string[] {
  const out: string[] = [];
  const docker = base === 'docker' || base === 'podman';
  if (docker && (prev === '-v' || prev === '--volume')) out.push(arg.split(':')[0] ?? arg);
  else if (docker && prev === '--mount') {
    const src = /(?:^|,)(?:source|src)=([^,]+)/.exec(arg);
    if (src?.[1] !== undefined) out.push(src[1]);
  } else if (docker && /^--(volume|mount)=/.test(arg)) {
    const v = arg.slice(arg.indexOf('=') + 1);
    const src = /(?:^|,)(?:source|src)=([^,]+)/.exec(v);
    out.push(src?.[1] ?? v.split(':')[0] ?? v);
  } else if (/^--?[A-Za-z][\w-]*=/.test(arg)) out.push(arg.slice(arg.indexOf('=') + 1));
  else out.push(arg);
  return out;
}

const SYSTEM_DIRS = new Set(['/etc', '/var', '/usr', '/opt', '/root', '/home', '/users', '/private', '/library', '/system']);
const HOME_TOKENS = new Set(['~', '$home', '${home}', '${env:home}', '${userhome}', '%userprofile%', '%homepath%', '$env:userprofile']);

/** 'root' for a file-system root, 'broad' for a home or top-level system folder, else undefined. */
export function breadth(path: string): 'root' | 'broad' | undefined {
  const a = path.trim();
  if (a === '/' || /^[A-Za-z]:[\\/]?$/.test(a) || a === '\\') return 'root';
  const norm = a.replace(/[\\/]+$/, '').toLowerCase();
  if (HOME_TOKENS.has(norm)) return 'broad';
  if (SYSTEM_DIRS.has(norm)) return 'broad';
  if (/^\/(home|users)\/[^/\\]+$/.test(norm)) return 'broad';
  if (/^[a-z]:[\\/]users([\\/][^\\/]+)?$/.test(norm)) return 'broad';
  if (/^~[a-z0-9_-]*$/.test(norm)) return 'broad';
  return undefined;
}
