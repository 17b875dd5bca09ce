/**
 * The command line. This is the only module that touches process.argv, stdout, stderr and exit codes;
 * `main` returns the exit code so tests can run it in-process.
 *
 * Exit codes: 0 success; 1 the check found what it was asked to fail on; 2 bad input or usage.
 */
import { toolVersion } from './version.js';
import { Command, CommanderError } from '@commander-js/extra-typings';
import { registerInit } from './commands/init.js';
import { registerValidate } from './commands/validate.js';
import { registerAnalyze } from './commands/analyze.js';
import { registerExplain } from './commands/explain.js';
import { registerImport } from './commands/import.js';
import { registerCheck } from './commands/check.js';
import { registerDiff } from './commands/diff.js';
import { registerTrack } from './commands/track.js';
import { registerServe } from './commands/serve.js';
import { safe, type Io } from './output.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_BAD_INPUT = 2;

let pipeGuard = false;

export function defaultIo(): Io {
  if (!pipeGuard) {
    pipeGuard = true;
    // A closed pipe (maestro-tm ... | head) is not an error: stop writing quietly.
    for (const stream of [process.stdout, process.stderr]) {
      stream.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
        throw err;
      });
    }
  }
  const color = process.stdout.isTTY && !process.env['NO_COLOR'] && process.env['TERM'] !== 'dumb';
  // Progress only on an interactive terminal, never in CI or a dumb terminal (and the commands honour --quiet).
  const interactive = process.stderr.isTTY && !process.env['CI'] && process.env['TERM'] !== 'dumb';
  return {
    out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
    err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
    color: process.env['FORCE_COLOR'] ? true : color,
    ...(interactive ? { progress: (line: string) => process.stderr.write(line === '' ? '\r\x1b[K' : `\r\x1b[K${line.slice(0, (process.stderr.columns || 80) - 1)}`) } : {}),
  };
}

export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command()
    .name('maestro-tm')
    .description('Threat-model multi-agent AI systems with the MAESTRO framework (OWASP GenAI Security Project).')
    .version(toolVersion(), '-V, --version', 'print the version')
    .option('--debug', 'print stack traces for internal errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, '')),
      writeErr: (s) => io.err(safe(s.replace(/\n$/, ''))),
    });
  program.addHelpText(
    'after',
    `
Examples:
  $ maestro-tm init my-system          write a commented starter model
  $ maestro-tm validate maestro.yaml   check a model; exit 0 when valid, 2 when not
  $ maestro-tm analyze maestro.yaml -o report.md   derive threats, write a Markdown report
  $ maestro-tm explain T1              what a threat, rule or element kind means
  $ maestro-tm diff HEAD:maestro.yaml maestro.yaml --format md   what a change does, for a PR comment
  $ maestro-tm check maestro.yaml --fail-on high --baseline origin/main:maestro.yaml   CI gate
  $ maestro-tm track maestro.yaml 'rule@element' --status accepted --reason "..."   triage a finding

Exit codes: 0 ok, 1 findings at or above a threshold (check), 2 bad input or usage.`,
  );
  registerInit(program, io, setExit);
  registerValidate(program, io, setExit);
  registerAnalyze(program, io, setExit);
  registerExplain(program, io, setExit);
  registerImport(program, io, setExit);
  registerDiff(program, io, setExit);
  registerCheck(program, io, setExit);
  registerTrack(program, io, setExit);
  registerServe(program, io, setExit);
  return program;
}

/** Run the CLI. Returns the exit code; never calls process.exit. */
export async function main(argv: readonly string[], io: Io = defaultIo()): Promise<number> {
  let code = EXIT_OK;
  const setExit = (c: number) => {
    code = Math.max(code, c);
  };
  const program = buildProgram(io, setExit);
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT_OK;
      return err.exitCode === 0 ? EXIT_OK : EXIT_BAD_INPUT;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.err(safe(`maestro-tm: internal error: ${message}`));
    if (debug && err instanceof Error && err.stack) io.err(safe(err.stack));
    else io.err('(run again with --debug for a stack trace, and please report it)');
    return EXIT_BAD_INPUT;
  }
}
