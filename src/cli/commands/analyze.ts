import { Option, type Command } from '@commander-js/extra-typings';
import { extname } from 'node:path';
import { loadModelFile, writeFileAtomic } from '../../io/files.js';
import { loadCatalogue } from '../../io/catalogue.js';
import { hasErrors, nearest } from '../../model/diagnostics.js';
import { resolveModel } from '../../model/resolve.js';
import { analyse } from '../../engine/analyse.js';
import { RULES } from '../../rules/index.js';
import { renderMarkdown } from '../../reporters/markdown/index.js';
import { renderJson } from '../../reporters/json/index.js';
import { formatDiagnostic, safe, type Io } from '../output.js';
import { parseByteSize } from './validate.js';

const FORMATS = ['md', 'json'] as const;
type Format = (typeof FORMATS)[number];

export function registerAnalyze(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('analyze')
    .alias('analyse')
    .description('derive MAESTRO threats from a model: per-layer summary on the terminal, reports with -o')
    .argument('<model>', 'model file (.yaml, .yml or .json)')
    .addOption(new Option('--format <format>', 'report format (default: from the -o extension, else md)').choices(FORMATS))
    .option('-o, --output <file>', 'write the report to this file (atomically) instead of standard output')
    .option('-q, --quiet', 'no terminal summary')
    .option('--timing', 'print the time each rule took, slowest first')
    .option('--max-bytes <size>', 'largest model file accepted (default 10mb)', parseByteSize)
    .addHelpText(
      'after',
      `
Without -o and --format, prints a per-layer summary. With --format and no -o, prints the report.
Output is deterministic: the same model gives byte-identical reports. Finding ids are <rule>@<element>.
Exit codes: 0 analysed (whatever was found; use "check" to gate), 2 bad input.`,
    )
    .action((file, opts) => {
      const res = loadModelFile(file, opts.maxBytes !== undefined ? { limits: { maxBytes: opts.maxBytes } } : {});
      for (const d of res.diagnostics) io.err(formatDiagnostic(d, io.color));
      if (!res.model || hasErrors(res.diagnostics)) {
        io.err(safe(`${file}: invalid model, not analysed`));
        setExit(2);
        return;
      }
      const cat = loadCatalogue();
      if (cat.diagnostics.length > 0) {
        for (const d of cat.diagnostics) io.err(formatDiagnostic(d, io.color));
        io.err('the packaged threat catalogue is invalid: please report this');
        setExit(2);
        return;
      }
      // A control whose pattern the catalogue does not know can never mitigate anything: say so.
      for (const [i, c] of (res.model.controls ?? []).entries()) {
        if (c.pattern !== undefined && !cat.catalogue.patterns.has(c.pattern)) {
          const pos = res.source?.map.locate(['controls', i, 'pattern']);
          const near = nearest(c.pattern, cat.catalogue.patterns.keys(), 2);
          io.err(
            formatDiagnostic(
              {
                code: 'W_UNKNOWN_PATTERN',
                severity: 'warning',
                message: `control ${JSON.stringify(c.id)} names the pattern ${JSON.stringify(c.pattern)}, which is not in the catalogue, so it mitigates nothing`,
                hint: near.length ? `did you mean ${near.join(' or ')}? (maestro-tm explain <pattern>)` : 'see docs/patterns/README.md for pattern ids',
                file,
                ...(pos ? { line: pos.line, column: pos.column } : {}),
              },
              io.color,
            ),
          );
        }
      }
      const resolved = resolveModel(res.model);
      const { analysis, timing } = analyse(resolved, cat.catalogue, RULES, opts.timing ? { timing: true } : {});
      const format: Format | undefined = opts.format ?? (opts.output ? (extname(opts.output).toLowerCase() === '.json' ? 'json' : 'md') : undefined);
      const report = format === undefined ? undefined : format === 'json' ? renderJson(analysis, cat.catalogue) : renderMarkdown(analysis, cat.catalogue);
      if (report !== undefined && opts.output) {
        writeFileAtomic(opts.output, report);
      }
      if (report !== undefined && !opts.output) {
        io.out(report.replace(/\n$/, ''));
      } else if (!opts.quiet) {
        io.out(safe(`${analysis.system.name}: ${analysis.counts.findings} findings (${analysis.counts.open} open, ${analysis.counts.mitigated} mitigated), ${analysis.counts.threats} threats, ${analysis.counts.elements} elements`));
        io.out('Layer                                  Elements  Open  Mitigated  Highest   Threats');
        for (const l of analysis.layers) {
          const threats = l.silent ? '(the model says nothing about this layer)' : l.threats.slice(0, 8).join(' ') + (l.threats.length > 8 ? ` +${l.threats.length - 8}` : '');
          io.out(
            safe(
              `${`${l.layer} ${l.name}`.padEnd(38)} ${String(l.elements).padStart(8)}  ${String(l.open).padStart(4)}  ${String(l.mitigated).padStart(9)}  ${(l.highest ?? '-').padEnd(8)}  ${threats}`,
            ),
          );
        }
        if (analysis.unassessed.length) io.out(safe(`Not assessed (the model lacks the information): ${analysis.unassessed.map((t) => t.id).join(', ')}`));
        if (analysis.manual.length) io.out(`Needs a reviewer (no model attribute can show them): ${analysis.manual.length} threats; see the report`);
        if (opts.output) io.out(safe(`wrote ${opts.output}`));
      }
      if (timing) {
        const total = timing.reduce((s, t) => s + t.ms, 0);
        io.err(`rule timing: ${total.toFixed(1)} ms in ${timing.length} rules; slowest:`);
        for (const t of [...timing].sort((a, b) => b.ms - a.ms).slice(0, 10)) io.err(`  ${t.ms.toFixed(2).padStart(9)} ms  ${t.rule} (${t.findings} findings)`);
      }
    });
}
