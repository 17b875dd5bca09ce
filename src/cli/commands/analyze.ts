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
import { applyWhatIf, parseWhatIf, type WhatIfAdd } from '../../engine/whatif.js';
import type { Analysis } from '../../engine/analyse.js';
import type { ModelFile } from '../../model/schema.js';

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new Error(`expected a whole number from 1 to 1000, got ${JSON.stringify(v)}`);
  return n;
}

function elementIds(model: ModelFile): Set<string> {
  const ids = new Set<string>();
  for (const section of Object.values(model as unknown as Record<string, unknown>)) {
    if (!Array.isArray(section)) continue;
    for (const el of section) if (el && typeof el === 'object' && typeof (el as { id?: unknown }).id === 'string') ids.add((el as { id: string }).id);
  }
  return ids;
}

function printWhatIf(io: Io, before: Analysis, after: Analysis, adds: readonly WhatIfAdd[]): void {
  io.out(safe(`What if: ${adds.map((a) => `add ${a.pattern} on ${a.element}`).join('; ')} (the model file is not changed)`));
  const rows: [string, string, string][] = [
    ['residual risk (sum over findings)', before.risk.residualTotal.toFixed(1), after.risk.residualTotal.toFixed(1)],
    ['findings mitigated', String(before.counts.mitigated), String(after.counts.mitigated)],
    ['open critical / high', `${before.risk.byResidualBand.critical} / ${before.risk.byResidualBand.high}`, `${after.risk.byResidualBand.critical} / ${after.risk.byResidualBand.high}`],
    ['most likely chain', (before.crossLayer.chains[0]?.probability ?? 0).toFixed(3), (after.crossLayer.chains[0]?.probability ?? 0).toFixed(3)],
  ];
  io.out(`${''.padEnd(36)} ${'before'.padStart(10)} ${'after'.padStart(10)}`);
  for (const [label, b, a] of rows) io.out(`${label.padEnd(36)} ${b.padStart(10)} ${a.padStart(10)}`);
  const beforeById = new Map(before.findings.map((f) => [f.id, f]));
  const changed = after.findings
    .map((f) => ({ f, b: beforeById.get(f.id) }))
    .filter((x) => x.b !== undefined && x.b.risk.residual !== x.f.risk.residual)
    .sort((x, y) => (y.b?.risk.residual ?? 0) - y.f.risk.residual - ((x.b?.risk.residual ?? 0) - x.f.risk.residual) || (x.f.id < y.f.id ? -1 : 1));
  if (changed.length === 0) io.out('No finding changes: the pattern does not reduce any threat raised on that element.');
  for (const { f, b } of changed.slice(0, 15)) io.out(safe(`  ${f.id}: residual ${b?.risk.residual.toFixed(1) ?? '?'} -> ${f.risk.residual.toFixed(1)}${f.status !== b?.status ? ` (now ${f.status})` : ''}`));
  if (changed.length > 15) io.out(`  … and ${changed.length - 15} more findings`);
}

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
    .option('--what-if <change...>', 'add a control without editing the model, e.g. add:human-approval@payment_agent (repeatable); prints the risk it removes')
    .option('--chains <k>', 'attack chains to report (default 10)', positiveInt)
    .option('--depth <n>', 'longest attack chain in steps (default 8)', positiveInt)
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
      const whatIf: WhatIfAdd[] = [];
      for (const w of opts.whatIf ?? []) {
        const parsed = parseWhatIf(w);
        const problem = !parsed
          ? 'write it as add:<pattern>@<element>'
          : !cat.catalogue.patterns.has(parsed.pattern)
            ? `unknown pattern ${JSON.stringify(parsed.pattern)}${(() => {
                const near = nearest(parsed.pattern, cat.catalogue.patterns.keys(), 2);
                return near.length ? ` (did you mean ${near.join(' or ')}?)` : '';
              })()}`
            : !elementIds(res.model).has(parsed.element)
              ? `no element ${JSON.stringify(parsed.element)} in the model`
              : undefined;
        if (problem || !parsed) {
          io.err(safe(`--what-if ${w}: ${problem ?? 'invalid'}`));
          setExit(2);
          return;
        }
        whatIf.push(parsed);
      }
      const crossLayer = { ...(opts.chains !== undefined ? { k: opts.chains } : {}), ...(opts.depth !== undefined ? { maxDepth: opts.depth } : {}) };
      const resolved = resolveModel(res.model);
      const { analysis, timing, phases } = analyse(resolved, cat.catalogue, RULES, { crossLayer, ...(opts.timing ? { timing: true } : {}) });
      if (whatIf.length > 0) {
        const after = analyse(resolveModel(applyWhatIf(res.model, whatIf)), cat.catalogue, RULES, { crossLayer }).analysis;
        printWhatIf(io, analysis, after, whatIf);
        return;
      }
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
        const x = analysis.crossLayer;
        const rb = analysis.risk.byResidualBand;
        io.out(safe(`Residual risk: ${rb.critical} critical, ${rb.high} high, ${rb.medium} medium, ${rb.low} low (total ${analysis.risk.residualTotal.toFixed(1)}; ${analysis.risk.inherentTotal.toFixed(1)} before controls)`));
        io.out(
          safe(
            `Attack chains: ${x.chains.length} from ${x.stats.entrySources} entry points to ${x.stats.crownJewels} crown jewels${x.chainStats.truncated ? ` (search cut short by ${x.chainStats.cutBy.join(', ')})` : ''}${x.chains[0] ? `; most likely: ${x.chains[0].steps.map((st) => st.from).join(' -> ')} -> ${x.chains[0].target.id} (${x.chains[0].probability.toFixed(3)})` : ''}`,
          ),
        );
        const wide = x.blast.find((b) => b.kind === 'agent');
        if (wide) io.out(safe(`Widest blast radius: agent ${wide.id} reaches ${wide.reach} elements and ${wide.crownJewels} crown jewels`));
        const first = x.suggestions[0];
        if (first) io.out(safe(`First defence to add: ${first.patternName} on ${first.element} (weakens chains ${first.chains.join(', ')}); try --what-if add:${first.pattern}@${first.element}`));
        if (analysis.unassessed.length) io.out(safe(`Not assessed (the model lacks the information): ${analysis.unassessed.map((t) => t.id).join(', ')}`));
        if (analysis.manual.length) io.out(`Needs a reviewer (no model attribute can show them): ${analysis.manual.length} threats; see the report`);
        if (opts.output) io.out(safe(`wrote ${opts.output}`));
      }
      if (phases) {
        io.err(`phase timing: ${phases.map((p) => `${p.phase} ${p.ms.toFixed(1)} ms`).join(', ')}`);
      }
      if (timing) {
        const total = timing.reduce((s, t) => s + t.ms, 0);
        io.err(`rule timing: ${total.toFixed(1)} ms in ${timing.length} rules; slowest:`);
        for (const t of [...timing].sort((a, b) => b.ms - a.ms).slice(0, 10)) io.err(`  ${t.ms.toFixed(2).padStart(9)} ms  ${t.rule} (${t.findings} findings)`);
      }
    });
}
