/**
 * `maestro-tm check <model> --fail-on <band>`: the CI gate. Exit 1 when findings block (open, not
 * resolved in tracking, residual band at or above the threshold; with --baseline only those new
 * since it), 0 when none do, 2 on bad input. Always prints why. Also the shared helpers the diff,
 * track and analyze commands use: load a model (file or git revision) to an analysis, and load and
 * apply the risk-tracking sidecar with its warnings.
 */
import { InvalidArgumentError, Option, type Command } from '@commander-js/extra-typings';
import { loadCatalogue } from '../../io/catalogue.js';
import { loadModelSpec, parseModelSpec } from '../../io/revision.js';
import { loadTrackingFile, trackingPathFor } from '../../io/tracking.js';
import { hasErrors, diag, quote, type Diagnostic } from '../../model/diagnostics.js';
import { resolveModel, type ResolvedModel } from '../../model/resolve.js';
import { analyse, type Analysis } from '../../engine/analyse.js';
import { RULES } from '../../rules/index.js';
import { applyTracking, isIsoDate, type TrackingFile, type TrackingResult } from '../../tracking/index.js';
import { evaluateGate, FAIL_ON, type GateResult } from '../../gate/index.js';
import type { ModelFile } from '../../model/schema.js';
import type { ParsedSource } from '../../model/parse.js';
import { formatDiagnostic, safe, type Io } from '../output.js';
import { parseByteSize } from './validate.js';

export interface AnalysedSpec {
  readonly label: string;
  readonly model: ModelFile;
  readonly source?: ParsedSource;
  readonly resolved: ResolvedModel;
  readonly analysis: Analysis;
}

export interface SpecOptions {
  readonly maxBytes?: number | undefined;
  readonly chains?: number | undefined;
}

/** Load a model (a file or `<rev>:<path>`) and analyse it; prints diagnostics; undefined when it cannot be analysed. */
export async function analyseSpec(spec: string, io: Io, options: SpecOptions = {}): Promise<AnalysedSpec | undefined> {
  const res = await loadModelSpec(spec, options.maxBytes !== undefined ? { limits: { maxBytes: options.maxBytes } } : {});
  for (const d of res.diagnostics) io.err(formatDiagnostic(d, io.color));
  if (!res.model || hasErrors(res.diagnostics)) {
    const unread = res.diagnostics.some((d) => d.code === 'E_GIT' || d.code === 'E_FILE');
    io.err(safe(`${spec}: ${unread ? 'cannot be read' : 'invalid model'}, not analysed`));
    return undefined;
  }
  const cat = loadCatalogue();
  if (cat.diagnostics.length > 0) {
    for (const d of cat.diagnostics) io.err(formatDiagnostic(d, io.color));
    io.err('the packaged threat catalogue is invalid: please report this');
    return undefined;
  }
  const resolved = resolveModel(res.model);
  const { analysis } = analyse(resolved, cat.catalogue, RULES, options.chains !== undefined ? { crossLayer: { k: options.chains } } : {});
  return { label: res.label, model: res.model, ...(res.source ? { source: res.source } : {}), resolved, analysis };
}

/** Today's date in UTC (YYYY-MM-DD), or the --today value. Expiry dates are compared with it. */
export function todayOr(value: string | undefined): string {
  return value ?? new Date().toISOString().slice(0, 10);
}

/** commander parser for --today and --expires. */
export function isoDateArg(value: string): string {
  if (!isIsoDate(value)) throw new InvalidArgumentError(`invalid date ${JSON.stringify(value)}: write YYYY-MM-DD, for example 2026-06-30`);
  return value;
}

/**
 * The tracking file for a model: --tracking, else `<stem>.tracking.yaml` beside a model file when it
 * exists. Returns null when there is none, undefined (after printing why) when it is invalid.
 */
export function loadTrackingFor(modelSpec: string, explicit: string | undefined, io: Io): TrackingFile | null | undefined {
  // A git revision has no sidecar of its own: only an explicit --tracking applies to it.
  if (explicit === undefined && parseModelSpec(modelSpec).kind === 'git') return null;
  const path = trackingPathFor(modelSpec, explicit);
  if (path === undefined) return null;
  const res = loadTrackingFile(path);
  for (const d of res.diagnostics) io.err(formatDiagnostic(d, io.color));
  if (!res.tracking) {
    io.err(safe(`${path}: invalid tracking file, nothing was checked`));
    return undefined;
  }
  return res.tracking;
}

/** Warnings about the entries: stale (line numbers), expired, review due. */
export function trackingWarnings(result: TrackingResult, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (x: { line?: number; column?: number }) => ({ ...(x.line !== undefined ? { line: x.line, column: x.column ?? 1 } : {}) });
  for (const s of result.stale) {
    const message =
      s.reason === 'no-match'
        ? `entry ${quote(s.key)} matches no finding (stale)`
        : `entry ${quote(s.key)} applies to no finding (stale): every finding it matches has a more specific entry (${s.shadowedBy.slice(0, 3).map((k) => quote(k)).join(', ')})`;
    const hint =
      s.reason === 'no-match'
        ? s.suggestions.length
          ? `did you mean ${s.suggestions.join(' or ')}? Otherwise remove the entry: the finding is gone`
          : 'remove the entry: the finding is gone (fixed, or its rule or element was renamed)'
        : 'remove it, or make it the only entry for those findings';
    out.push({ ...diag('W_TRACKING_STALE', message, { hint, ...at(s) }), file });
  }
  for (const e of result.expired) {
    out.push({
      ...diag('W_TRACKING_EXPIRED', `entry ${quote(e.key)} (${e.status}) expired on ${e.expires}: its ${e.findings === 1 ? 'finding counts' : `${e.findings} findings count`} as open again`, {
        hint: 'review the decision: renew it with a later `expires`, or fix the finding',
        ...at(e),
      }),
      file,
    });
  }
  for (const r of result.reviewDue) {
    out.push({ ...diag('W_TRACKING_REVIEW_DUE', `entry ${quote(r.key)} was due for review on ${r.review}`, { hint: 'review it and move `review` to the next date', ...at(r) }), file });
  }
  return out;
}

/** Apply tracking to an analysis and print the warnings; the analysis unchanged when there is no tracking. */
export function applyTrackingWithWarnings(analysis: Analysis, tracking: TrackingFile | null, today: string, io: Io, warn = true): Analysis {
  if (!tracking) return analysis;
  const result = applyTracking(analysis, tracking, { today });
  if (warn) for (const d of trackingWarnings(result, tracking.source)) io.err(formatDiagnostic(d, io.color));
  return result.analysis;
}

const REASON_TEXT: Readonly<Record<string, string>> = {
  open: '',
  new: 'new since the baseline',
  'risk-rose': 'risk rose into the threshold',
  'control-removed': 'no longer mitigated by a control',
  'tracking-lapsed': 'no longer resolved in tracking',
};

export function printGate(gate: GateResult, io: Io): void {
  const scope = gate.baseline ? ' new since the baseline' : '';
  const what = `open findings, not accepted, false positive or mitigated in tracking, with residual risk ${gate.failOn === 'info' ? 'of any band' : `${gate.failOn} or above`}`;
  if (gate.passed) {
    io.out(`PASS: no ${what}${scope}.`);
  } else {
    io.out(`FAIL: ${gate.failing.length} ${gate.failing.length === 1 ? 'finding blocks' : 'findings block'}: ${what}${scope}.`);
    io.out(`  ${'band'.padEnd(8)} ${'risk'.padStart(4)}  ${'finding'.padEnd(58)} element`);
    for (const f of gate.failing) {
      const notes = [REASON_TEXT[f.reason] ?? '', f.baselineResidual !== undefined && f.reason === 'risk-rose' ? `was ${f.baselineResidual.toFixed(1)}` : '', f.tracking ? `tracking: ${f.tracking.expired ? `${f.tracking.status}, expired` : f.tracking.effective}` : ''].filter((x) => x !== '');
      io.out(safe(`  ${f.band.padEnd(8)} ${f.residual.toFixed(1).padStart(4)}  ${f.id.padEnd(58)} ${f.element}${notes.length ? `  (${notes.join('; ')})` : ''}`));
    }
  }
  const e = gate.excused;
  const parts = [
    e.accepted ? `${e.accepted} accepted` : '',
    e.falsePositive ? `${e.falsePositive} false positive` : '',
    e.trackedMitigated ? `${e.trackedMitigated} mitigated (tracking)` : '',
    e.controlMitigated ? `${e.controlMitigated} mitigated by controls` : '',
    e.inBaseline ? `${e.inBaseline} already in the baseline` : '',
    gate.belowThreshold ? `${gate.belowThreshold} below ${gate.failOn}` : '',
  ].filter((x) => x !== '');
  if (parts.length) io.out(`Not blocking: ${parts.join(', ')}.`);
}

export function registerCheck(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('check')
    .description('CI gate: exit 1 when open, untracked findings reach a residual risk band (only new ones with --baseline)')
    .argument('<model>', 'model file (.yaml, .yml or .json), or <rev>:<path> for a git revision')
    .addOption(new Option('--fail-on <band>', 'lowest residual risk band that fails the check').choices(FAIL_ON).makeOptionMandatory())
    .option('--baseline <old>', 'only fail on findings that are new (or worse) since this model: a file or <rev>:<path>, e.g. origin/main:maestro.yaml')
    .option('--tracking <file>', 'risk-tracking file (default: <model>.tracking.yaml beside the model, when it exists)')
    .option('--today <date>', 'judge expiry dates on this day, YYYY-MM-DD (default: today, UTC)', isoDateArg)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json'] as const).default('text' as const))
    .option('--max-bytes <size>', 'largest model file accepted (default 10mb)', parseByteSize)
    .addHelpText(
      'after',
      `
A finding blocks when no declared control mitigates it, its tracking entry does not resolve it
(accepted, false-positive or mitigated, and not past its expiry date), and its residual risk band is
at or above --fail-on (critical > high > medium > low > info; info means any band).
With --baseline, only findings that block now and did not block in the baseline fail the check.
The same tracking file applies to both sides.
Exit codes: 0 nothing blocks, 1 findings block (listed), 2 bad input.`,
    )
    .action(async (file, opts) => {
      const today = todayOr(opts.today);
      const tracking = loadTrackingFor(file, opts.tracking, io);
      if (tracking === undefined) {
        setExit(2);
        return;
      }
      const current = await analyseSpec(file, io, { maxBytes: opts.maxBytes });
      if (!current) {
        setExit(2);
        return;
      }
      let baseline: Analysis | undefined;
      if (opts.baseline !== undefined) {
        const old = await analyseSpec(opts.baseline, io, { maxBytes: opts.maxBytes });
        if (!old) {
          io.err(safe(`--baseline ${opts.baseline}: cannot be analysed, nothing was checked`));
          setExit(2);
          return;
        }
        baseline = applyTrackingWithWarnings(old.analysis, tracking, today, io, false);
      }
      const analysis = applyTrackingWithWarnings(current.analysis, tracking, today, io);
      const gate = evaluateGate(analysis, { failOn: opts.failOn, ...(baseline ? { baseline } : {}) });
      if (opts.format === 'json') {
        io.out(JSON.stringify({ model: file, ...(opts.baseline !== undefined ? { baseline: opts.baseline } : {}), ...(tracking ? { tracking: tracking.source } : {}), today, ...gate }, null, 2));
      } else {
        io.out(safe(`check ${file}${opts.baseline !== undefined ? ` against baseline ${opts.baseline}` : ''}${tracking ? ` with tracking ${tracking.source}` : ''}: fail on ${opts.failOn}`));
        printGate(gate, io);
      }
      if (!gate.passed) setExit(1);
    });
}
