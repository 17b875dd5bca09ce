import { InvalidArgumentError, type Command } from '@commander-js/extra-typings';
import { existsSync, readFileSync } from 'node:fs';
import { loadModelFile, writeFileAtomic } from '../../io/files.js';
import { readImportInputs } from '../../io/import.js';
import { ttyConfirm, withMcpLive } from '../../io/mcp-live.js';
import { fetchCardInput } from '../../io/fetch-card.js';
import { hasErrors } from '../../model/diagnostics.js';
import { elementIds, importerById, IMPORTERS, prepareImporters, runImport, type ImportNote } from '../../importers/index.js';
import { mergeImported, renderImportedModel } from '../../importers/write.js';
import { formatDiagnostic, safe, type Io } from '../output.js';
import { parseByteSize } from './validate.js';

function formatNote(n: ImportNote): string {
  const where = `${n.file}${n.line !== undefined ? `:${n.line}:${n.column ?? 1}` : ''}`;
  return safe(`${where}  ${n.code}  ${n.message}`);
}

export function registerImport(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('import')
    .description('build a model from what you already have (MCP client configurations, ...), or update one with --merge')
    .argument('<format>', `what the files are: auto, ${IMPORTERS.map((i) => i.id).join(', ')}`)
    .argument('[paths...]', 'files, folders or archives (.zip, .tar, .tar.gz) to import; links inside folders and archives are never followed')
    .option('-o, --output <file>', 'write the model here (default: print it; with --merge: update the merged file)')
    .option('--merge <model>', 'update this existing model: your comments, edits and other elements are kept')
    .option('--force', 'overwrite an existing -o file (without --merge)')
    .option('--max-bytes <size>', 'largest input file read (default 10mb)', parseByteSize)
    .option('-q, --quiet', 'no notes and no summary, only problems')
    .option('--live [servers...]', 'mcp: START these servers (names as in the configuration; none = confirm each on the terminal) to list their tools, prompts and resources')
    .option('--lock <file>', 'mcp: the lock file of listed definitions (default <config>.mcp-lock.json; read offline without --live)')
    .option('--update-lock', 'mcp: with --live, accept definitions that changed since they were locked')
    .option('--live-timeout <seconds>', 'mcp: deadline per server for --live (default 15)', (v: string) => {
      const n = Number(v.replace(/s$/, ''));
      if (!Number.isFinite(n) || n <= 0 || n > 600) throw new InvalidArgumentError('a number of seconds between 0 and 600');
      return n;
    })
    .option('--fetch <url>', 'a2a only: also fetch this https Agent Card URL (public addresses only; 1 MB, 10 s, 3 redirects; URLs inside the card are never followed)')
    .addHelpText(
      'after',
      `
Formats:
  auto       detect each file's format from its name and content
${IMPORTERS.map((i) => `  ${i.id.padEnd(10)} ${i.description}`).join('\n')}
Nothing is run or fetched: commands in a configuration are read as text (mcp --live starts only the
servers it names, without a shell, with PATH, HOME and their declared env, and stops them after listing). Secret values (env, headers,
tokens in arguments or URLs) are never written to the model: only their names and where they are kept.
Problems are printed as file:line:column  CODE  message  (hint); notes (I_...) are security-relevant
facts found in the files, also recorded on the imported elements.
Exit codes: 0 imported; 2 bad usage, or a file could not be imported (the others still are).`,
    )
    .action(async (format, paths, opts) => {
      const importer = format.toLowerCase() === 'auto' ? undefined : importerById(format);
      if (format.toLowerCase() !== 'auto' && !importer) {
        io.err(safe(`unknown import format ${JSON.stringify(format)}; use one of: auto, ${IMPORTERS.map((i) => i.id).join(', ')}`));
        setExit(2);
        return;
      }
      if (opts.output !== undefined && opts.merge === undefined && existsSync(opts.output) && !opts.force) {
        io.err(safe(`${opts.output}  E_EXISTS  the file already exists; nothing was written  (use --merge ${opts.output} to update it, or --force to replace it)`));
        setExit(2);
        return;
      }
      const wants = importer ? (p: string) => importer.wantsPath(p) : (p: string) => IMPORTERS.some((i) => i.wantsPath(p));
      const read = readImportInputs(paths, wants, opts.maxBytes !== undefined ? { maxFileBytes: opts.maxBytes } : {});
      for (const d of read.diagnostics) io.err(formatDiagnostic(d, io.color));
      if (hasErrors(read.diagnostics)) setExit(2);
      if (opts.fetch !== undefined) {
        if (importer?.id !== 'a2a') {
          io.err('--fetch reads A2A Agent Cards only: use import a2a --fetch <url>');
          setExit(2);
          return;
        }
        const fetched = await fetchCardInput(opts.fetch);
        if (fetched.input) read.inputs.push(fetched.input);
        else {
          io.err(safe(`${opts.fetch}  E_FETCH  ${fetched.message}  (${fetched.hint})`));
          setExit(2);
        }
      }
      if (read.inputs.length === 0) {
        io.err('nothing to import');
        setExit(2);
        return;
      }
      let existingIds: Map<string, string> | undefined;
      if (opts.merge !== undefined) {
        const existing = loadModelFile(opts.merge);
        if (!existing.model || hasErrors(existing.diagnostics)) {
          for (const d of existing.diagnostics) if (d.severity === 'error') io.err(formatDiagnostic(d, io.color));
          io.err(safe(`${opts.merge}: the model to merge into is not valid; nothing was imported`));
          setExit(2);
          return;
        }
        existingIds = elementIds(existing.model);
      }
      await prepareImporters(format);
      const confirm = opts.live === true ? ttyConfirm((t) => io.err(safe(t))) : undefined;
      const result = await withMcpLive(runImport(format, read.inputs, existingIds ? { existingIds } : {}), read.inputs, {
        ...(opts.live !== undefined ? { live: opts.live } : {}),
        ...(confirm !== undefined ? { confirm } : {}),
        ...(opts.lock !== undefined ? { lock: opts.lock } : {}),
        ...(opts.updateLock === true ? { updateLock: true } : {}),
        ...(opts.liveTimeout !== undefined ? { timeoutMs: opts.liveTimeout * 1000 } : {}),
        progress: (line) => {
          if (!opts.quiet) io.err(safe(line));
        },
      });
      for (const d of result.diagnostics) io.err(formatDiagnostic(d, io.color));
      if (!opts.quiet) for (const n of result.notes) io.err(formatNote(n));
      if (hasErrors(result.diagnostics)) setExit(2);
      if (!result.model) {
        io.err('nothing was imported');
        setExit(2);
        return;
      }
      const importedFiles = result.files.filter((f) => f.status === 'imported').map((f) => f.file);
      let out: string;
      let target = opts.output;
      if (opts.merge !== undefined) {
        let existingText: string;
        try {
          existingText = readFileSync(opts.merge, 'utf8');
        } catch {
          io.err(safe(`${opts.merge}: cannot be read`));
          setExit(2);
          return;
        }
        const merged = mergeImported(existingText, opts.merge, result.model, importedFiles);
        for (const d of merged.diagnostics) io.err(formatDiagnostic(d, io.color));
        if (merged.text === undefined) {
          setExit(2);
          return;
        }
        out = merged.text;
        target ??= opts.merge;
        if (!opts.quiet) io.err(safe(`merged into ${opts.merge}: ${merged.added} elements added, ${merged.updated} updated`));
      } else {
        out = renderImportedModel(result.model, result.files, importer?.id ?? 'auto');
      }
      if (target === undefined) {
        io.out(out.replace(/\n$/, ''));
      } else {
        try {
          writeFileAtomic(target, out);
        } catch (err) {
          io.err(safe(`${target}: not written (${err instanceof Error ? err.message : String(err)})`));
          setExit(2);
          return;
        }
      }
      if (!opts.quiet) {
        const refused = result.files.filter((f) => f.status === 'refused').length;
        const warnings = result.diagnostics.filter((d) => d.severity === 'warning').length;
        io.err(
          safe(
            `imported ${importedFiles.length} file${importedFiles.length === 1 ? '' : 's'}${refused ? ` (${refused} refused)` : ''}: ${result.model.agents?.length ?? 0} agents, ${result.model.mcpServers?.length ?? 0} MCP servers; ${warnings} warnings, ${result.notes.length} notes${target !== undefined ? `; wrote ${target}` : ''}`,
          ),
        );
        if (target !== undefined) io.err(safe(`next: maestro-tm analyze ${target}`));
      }
    });
}
