import { InvalidArgumentError, Option, type Command } from '@commander-js/extra-typings';
import { loadModelFile } from '../../io/files.js';
import { hasErrors, type Diagnostic } from '../../model/diagnostics.js';
import { LAYERS } from '../../model/layers.js';
import { ELEMENT_KINDS, type ElementKind } from '../../model/kinds.js';
import { resolveModel } from '../../model/resolve.js';
import { formatDiagnostic, safe, type Io } from '../output.js';

export function parseByteSize(value: string): number {
  const m = /^(\d+)(k|kb|m|mb|g|gb)?$/i.exec(value.trim());
  if (!m) throw new InvalidArgumentError(`invalid size ${JSON.stringify(value)}: use a number of bytes, or 500kb / 20mb`);
  const n = Number(m[1]);
  const unit = (m[2] ?? '').toLowerCase();
  const mult = unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 * 1024 : unit.startsWith('g') ? 1024 ** 3 : 1;
  return n * mult;
}

interface FileReport {
  file: string;
  valid: boolean;
  diagnostics: Diagnostic[];
  layers?: { layer: string; name: string; count: number; kinds: Record<string, number> }[];
  elements?: number;
  edges?: number;
}

export function registerValidate(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('validate')
    .description('check models against the schema, ids and references; print every problem with file:line:column')
    .argument('<files...>', 'model files (.yaml, .yml or .json)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json'] as const).default('text' as const))
    .option('-q, --quiet', 'print problems only, not the per-layer summary')
    .option('--strict', 'treat warnings as errors (exit 2)')
    .option('--max-bytes <size>', 'largest model file accepted (default 10mb)', parseByteSize)
    .addHelpText(
      'after',
      `
Each problem is printed as:  file:line:column  CODE  message  (hint)
Exit codes: 0 all files valid; 2 any file invalid (or a warning with --strict).`,
    )
    .action((files, opts) => {
      const reports: FileReport[] = [];
      for (const file of files) {
        const limits = opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {};
        const res = loadModelFile(file, { limits });
        const failed = hasErrors(res.diagnostics) || (opts.strict === true && res.diagnostics.length > 0);
        const report: FileReport = { file, valid: !failed, diagnostics: res.diagnostics };
        if (res.model) {
          const resolved = resolveModel(res.model);
          const g = resolved.graph;
          report.elements = g.size;
          report.edges = g.edgeCount;
          report.layers = LAYERS.map((l, li) => {
            const kinds: Record<string, number> = {};
            for (let i = 0; i < g.size; i++) {
              if (g.layers[i] !== li) continue;
              const k = ELEMENT_KINDS[g.kinds[i] ?? 0] as ElementKind;
              kinds[k] = (kinds[k] ?? 0) + 1;
            }
            const count = Object.values(kinds).reduce((a, b) => a + b, 0);
            return { layer: l.id, name: l.name, count, kinds };
          });
        }
        reports.push(report);
        if (failed) setExit(2);
      }
      if (opts.format === 'json') {
        io.out(JSON.stringify({ files: reports }, null, 2));
        return;
      }
      for (const r of reports) {
        for (const d of r.diagnostics) io.err(formatDiagnostic(d, io.color));
        const errors = r.diagnostics.filter((d) => d.severity === 'error').length;
        const warnings = r.diagnostics.length - errors;
        if (!r.valid) {
          io.err(safe(`${r.file}: invalid (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'})`));
          continue;
        }
        io.out(safe(`${r.file}: valid (${r.elements ?? 0} elements, ${r.edges ?? 0} links, ${warnings} warning${warnings === 1 ? '' : 's'})`));
        if (opts.quiet || !r.layers) continue;
        io.out('Elements per MAESTRO layer:');
        for (const l of r.layers) {
          const detail = Object.entries(l.kinds)
            .map(([k, n]) => `${k} ${n}`)
            .join(', ');
          io.out(safe(`  ${l.layer} ${l.name.padEnd(30)} ${String(l.count).padStart(5)}${detail ? `  ${detail}` : ''}`));
        }
      }
    });
}
