/**
 * `maestro-tm serve <model> [--port N] [--no-open]`: the local web UI (src/web). Checks the model
 * first (bad input: diagnostics and exit 2), then listens on 127.0.0.1 only, prints the URL with its
 * per-launch token and, unless --no-open, opens it with the platform's opener (execFile, no shell).
 * Runs until interrupted (Ctrl+C).
 */
import { InvalidArgumentError, type Command } from '@commander-js/extra-typings';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadModelFile } from '../../io/files.js';
import { loadTrackingFile } from '../../io/tracking.js';
import { hasErrors } from '../../model/diagnostics.js';
import { workerAnalyser } from '../../web/analyser.js';
import { startServer } from '../../web/server.js';
import { openSession } from '../../web/session.js';
import { formatDiagnostic, safe, type Io } from '../output.js';
import { parseByteSize } from './validate.js';

function portArg(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 65535) throw new InvalidArgumentError(`expected a port number from 0 to 65535 (0 picks a free one), got ${JSON.stringify(v)}`);
  return n;
}

/** Open a URL in the default browser: a fixed program per platform, the URL as its only argument. */
function openBrowser(url: string, io: Io): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['rundll32.exe', ['url.dll,FileProtocolHandler', url]] : ['xdg-open', [url]];
  try {
    const child = execFile(cmd, args, { shell: false, windowsHide: true, timeout: 15_000 }, (err) => {
      if (err) io.err(`could not open a browser (${cmd}): open the URL above yourself`);
    });
    child.unref();
  } catch {
    io.err('could not open a browser: open the URL above yourself');
  }
}

export function registerServe(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('serve')
    .description('explore and edit the model, findings and attack chains in a local web UI (127.0.0.1 only)')
    .argument('<model>', 'model file (.yaml, .yml or .json); saves go back to it')
    .option('--port <n>', 'port to listen on (default: a free one)', portArg)
    .option('--no-open', 'do not open a browser; just print the URL')
    .option('--max-bytes <size>', 'largest model file accepted (default 10mb)', parseByteSize)
    .addHelpText(
      'after',
      `
The URL carries a random token (after #token=) that every API call must present; only this machine
can reach the server. The browser serve opens gets a one-time launch link instead (#launch=), which
the page trades for the token once: a command line is visible to other local users. Edits stay in memory until you press Save, which writes the model file
atomically, keeping comments, order and unknown fields, and refuses when the file changed on disk.
Triage decisions go to <model>.tracking.yaml beside the model. See docs/web-ui.md.
Exit codes: 0 stopped with Ctrl+C, 2 bad input (invalid model, port in use).`,
    )
    .action(async (file, opts) => {
      const path = resolve(file);
      const res = loadModelFile(path, { file, ...(opts.maxBytes !== undefined ? { limits: { maxBytes: opts.maxBytes } } : {}) });
      for (const d of res.diagnostics) io.err(formatDiagnostic(d, io.color));
      if (!res.model || hasErrors(res.diagnostics)) {
        io.err(safe(`${file}: invalid model, not served (fix the errors above; maestro-tm validate ${file} checks it)`));
        setExit(2);
        return;
      }
      const session = openSession(path, { maxBytes: opts.maxBytes });
      if (typeof session === 'string') {
        io.err(safe(session));
        setExit(2);
        return;
      }
      // The tracking sidecar is read as analyze reads it, so its problems are said at the start (file:line),
      // not only as a warning inside the page.
      if (existsSync(session.trackingPath)) {
        const t = loadTrackingFile(session.trackingPath);
        for (const d of t.diagnostics) io.err(formatDiagnostic(d, io.color));
        if (!t.tracking) io.err(safe(`${session.trackingPath}: invalid tracking file: findings are shown untracked until it is fixed`));
      }
      let server;
      try {
        server = await startServer({ session, analyser: workerAnalyser(), port: opts.port });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        io.err(safe(code === 'EADDRINUSE' ? `port ${opts.port ?? 0} is in use: pick another with --port, or leave it out for a free one` : `cannot start the server: ${err instanceof Error ? err.message : String(err)}`));
        setExit(2);
        return;
      }
      io.out(safe(`maestro-tm serve: ${file}`));
      io.out(`open ${server.url}`);
      io.out('(the token in the URL is the key to this session; press Ctrl+C to stop)');
      // The browser opener gets a one-time launch link, not the token: its command line is visible to
      // other local users (ps), and the page spends the code as it loads.
      if (opts.open) openBrowser(server.launchUrl, io);
      // Runs until interrupted; the CLI shell owns the process, so this is the one place serve listens to signals.
      await new Promise<void>((done) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.close().then(done, done);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
