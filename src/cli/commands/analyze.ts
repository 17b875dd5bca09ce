import { InvalidArgumentError, type Command } from '@commander-js/extra-typings';
import { extname } from 'node:path';
import { loadModelFile, writeFileAtomic } from '../../io/files.js';
import { loadCatalogue } from '../../io/catalogue.js';
import { hasErrors, nearest } from '../../model/diagnostics.js';
import { resolveModel } from '../../model/resolve.js';
import { analyse } from '../../engine/analyse.js';
import { RULES } from '../../rules/index.js';
import { markdownReporter } from '../../reporters/markdown/index.js';
import { REPORTERS, reporterById, type ReportContext, type Reporter } from '../../reporters/index.js';
import { locatePointer } from '../../model/load.js';
import { toolVersion } from '../version.js';
import { formatDiagnostic, safe, type Io } from '../output.js';
import { parseByteSize } from './validate.js';
import { applyWhatIf, parseWhatIf, type WhatIfAdd } from '../../engine/whatif.js';
import type { Analysis } from '../../engine/analyse.js';
import type { ModelFile } from '../../model/schema.js';
import { applyTrackingWithWarnings, isoDateArg, loadTrackingFor, todayOr } from './check.js';

/** Commander option parser for --chains/--depth style bounds (1..1000); shared by analyze and diff. */
export function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError(`expected a whole number from 1 to 1000, got ${JSON.stringify(v)}`);
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

/** Systems at least this big show a progress line on a terminal. */
const PROGRESS_MIN_ELEMENTS = 300;

/** `--format md,json --format sarif` → ['md', 'json', 'sarif'], or an error naming the unknown ones. */
function parseFormats(values: readonly string[]): Reporter[] | string {
  const out: Reporter[] = [];
  for (const v of values.flatMap((x) => x.split(','))) {
    const id = v.trim().toLowerCase();
    if (id === '') continue;
    const r = reporterById(id);
    if (!r) return `unknown format ${JSON.stringify(v)}; use one of ${REPORTERS.map((x) => x.id).join(', ')}`;
    if (!out.includes(r)) out.push(r);
  }
  return out;
}

/** The reporter whose extension the file name ends with (`.sarif.json` before `.json`). */
function reporterForPath(path: string): Reporter | undefined {
  const lower = path.toLowerCase();
  return [...REPORTERS].sort((a, b) => b.extension.length - a.extension.length).find((r) => lower.endsWith(r.extension));
}

export function registerAnalyze(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('analyze')
    .alias('analyse')
    .description('derive MAESTRO threats from a model: per-layer summary on the terminal, reports with -o')
    .argument('<model>', 'model file (.yaml, .yml or .json)')
    .option('--format <formats...>', `report formats, comma-separated or repeated: ${REPORTERS.map((r) => r.id).join(', ')} (default: from the -o extension)`)
    .option('-o, --output <file>', 'write the report to this file (atomically); with several formats, the file name without extension (each format adds its own)')
    .option('-q, --quiet', 'no terminal summary')
    .option('--timing', 'print the time each rule took, slowest first')
    .option('--max-bytes <size>', 'largest model file accepted (default 10mb)', parseByteSize)
    .option('--what-if <change...>', 'add a control without editing the model, e.g. add:human-approval@payment_agent (repeatable); prints the risk it removes')
    .option('--chains <k>', 'attack chains to report (default 10)', positiveInt)
    .option('--depth <n>', 'longest attack chain in steps (default 8)', positiveInt)
    .option('--tracking <file>', 'risk-tracking file to apply (default: <model>.tracking.yaml beside the model, when it exists)')
    .option('--today <date>', 'judge tracking expiry dates on this day, YYYY-MM-DD (default: today, UTC)', isoDateArg)
    .addHelpText(
      'after',
      `
Without -o and --format, prints a per-layer summary. With --format and no -o, prints the report.
Output is deterministic: the same model gives byte-identical reports. Finding ids are <rule>@<element>.
Formats:
${REPORTERS.map((r) => `  ${r.id.padEnd(16)} ${r.extension.padEnd(18)} ${r.description}`).join('\n')}
Several formats at once: --format md,html,sarif -o report writes report.md, report.html and report.sarif.
Exit codes: 0 analysed (whatever was found; use "check" to gate), 1 a report could not be rendered or
written (the others still are), 2 bad input.`,
    )
    .action(async (file, opts) => {
      const formats = parseFormats(opts.format ?? []);
      if (typeof formats === 'string') {
        io.err(safe(`--format: ${formats}`));
        setExit(2);
        return;
      }
      if (formats.length === 0 && opts.output !== undefined) {
        const byExt = reporterForPath(opts.output);
        formats.push(byExt ?? markdownReporter);
      }
      if (formats.length > 1 && opts.output === undefined) {
        io.err('several --format values need -o <name>: each report goes to <name> plus its extension');
        setExit(2);
        return;
      }
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
      // Risk tracking (triage decisions beside the model): invalid tracking is bad input.
      const tracking = whatIf.length === 0 ? loadTrackingFor(file, opts.tracking, io) : null;
      if (tracking === undefined) {
        setExit(2);
        return;
      }
      const crossLayer = { ...(opts.chains !== undefined ? { k: opts.chains } : {}), ...(opts.depth !== undefined ? { maxDepth: opts.depth } : {}) };
      const resolved = resolveModel(res.model);
      // A status line on an interactive terminal for systems big enough to take a while (never in CI, never with -q).
      const progress = !opts.quiet && io.progress && resolved.graph.size >= PROGRESS_MIN_ELEMENTS ? io.progress : undefined;
      const say = (what: string): void => progress?.(`maestro-tm: ${what} (${resolved.graph.size.toLocaleString('en')} elements)…`);
      const analysed = analyse(resolved, cat.catalogue, RULES, { crossLayer, ...(opts.timing ? { timing: true } : {}), ...(progress ? { onPhase: (p) => { say(p === 'summaries' ? 'summarising' : p === 'cross-layer' ? 'following attack chains and blast radius' : p === 'risk' ? 'scoring risk' : 'running rules'); } } : {}) });
      progress?.('');
      const { timing, phases } = analysed;
      const analysis = applyTrackingWithWarnings(analysed.analysis, tracking, todayOr(opts.today), io);
      if (whatIf.length > 0) {
        const after = analyse(resolveModel(applyWhatIf(res.model, whatIf)), cat.catalogue, RULES, { crossLayer }).analysis;
        printWhatIf(io, analysis, after, whatIf);
        return;
      }
      const ctx: ReportContext = {
        catalogue: cat.catalogue,
        model: res.model,
        modelPath: file.replace(/\\/g, '/'),
        locate: (pointer) => (res.source ? locatePointer(res.source, pointer) : undefined),
        toolVersion: toolVersion(),
      };
      const written: string[] = [];
      const only = formats.length === 1 && opts.output === undefined ? formats[0] : undefined;
      if (only) {
        try {
          io.out((await only.render(analysis, ctx)).replace(/\n$/, ''));
        } catch (err) {
          io.err(safe(`${only.id} report failed: ${err instanceof Error ? err.message : String(err)}`));
          setExit(1);
        }
      } else if (opts.output !== undefined) {
        // One format: -o is the file. Several: -o is a stem (a known extension is dropped) and each adds its own.
        const out = opts.output;
        const stemOf = (p: string): string => {
          const r = reporterForPath(p);
          return r ? p.slice(0, p.length - r.extension.length) : extname(p) === '' ? p : p.slice(0, p.length - extname(p).length);
        };
        for (const r of formats) {
          const target = formats.length === 1 ? out : `${stemOf(out)}${r.extension}`;
          try {
            say(`writing the ${r.id} report`);
            writeFileAtomic(target, await r.render(analysis, ctx));
            progress?.('');
            written.push(target);
          } catch (err) {
            io.err(safe(`${r.id} report not written to ${target}: ${err instanceof Error ? err.message : String(err)}`));
            setExit(1);
          }
        }
      }
      const toStdout = formats.length === 1 && opts.output === undefined; // the report is the output: no summary
      if (!toStdout && !opts.quiet) {
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
        if (analysis.tracking) {
          const tc = analysis.tracking.counts;
          io.out(safe(`Tracking (${analysis.tracking.source}): ${tc.accepted} accepted, ${tc['false-positive']} false positive, ${tc.mitigated} mitigated, ${tc['in-progress']} in progress, ${tc.open} open${analysis.tracking.stale.length ? `; ${analysis.tracking.stale.length} stale entries` : ''}`));
        }
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
        for (const w of written) io.out(safe(`wrote ${w}`));
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
