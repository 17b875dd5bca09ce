/**
 * `maestro-tm track <model> <finding|pattern> --status <s> --reason "..."`: add or update one entry of
 * the risk-tracking sidecar, keeping the file's comments, order and unknown fields (edits go through
 * src/model/write.ts). The result is validated again before it is written atomically.
 */
import { Option, type Command } from '@commander-js/extra-typings';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { writeFileAtomic } from '../../io/files.js';
import { defaultTrackingPath } from '../../io/tracking.js';
import { parseModelSpec } from '../../io/revision.js';
import { nearest, quote } from '../../model/diagnostics.js';
import { decodeModelBytes, detectFormat, parseSource } from '../../model/parse.js';
import { editModel } from '../../model/write.js';
import { loadTrackingText, NEEDS_JUSTIFICATION, TRACKING_STATUSES, trackingKeyProblem, wildcardMatch, isPattern, type TrackingEntry } from '../../tracking/index.js';
import { formatDiagnostic, safe, type Io } from '../output.js';
import { analyseSpec, isoDateArg, todayOr } from './check.js';

function template(modelFile: string): string {
  return [
    `# Risk tracking for ${basename(modelFile).replace(/[\r\n]/g, '')}: triage decisions that survive re-analysis (docs/tracking.md).`,
    '# Keys are finding ids (<rule>@<element>) or patterns with * (quote keys that start with *).',
    '# The most specific key wins. Status: open, in-progress, mitigated, accepted, false-positive;',
    '# accepted, false-positive and mitigated need a justification. After `expires` an entry counts as open.',
    'version: 1',
    'findings:',
    '',
  ].join('\n');
}

export function registerTrack(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('track')
    .description('record a triage decision (accepted, false-positive, ...) for a finding or pattern in the tracking file')
    .argument('<model>', 'model file (.yaml, .yml or .json)')
    .argument('<finding>', 'finding id <rule>@<element>, or a pattern with * wildcards (quote it in the shell)')
    .addOption(new Option('--status <status>', 'triage status').choices(TRACKING_STATUSES).makeOptionMandatory())
    .option('--reason <text>', 'justification: required for accepted, false-positive and mitigated')
    .option('--owner <name>', 'who is accountable')
    .option('--ticket <ref>', 'ticket reference, e.g. SEC-123')
    .option('--expires <date>', 'YYYY-MM-DD; after this day the entry counts as open again', isoDateArg)
    .option('--review <date>', 'YYYY-MM-DD; when to review the decision', isoDateArg)
    .option('--tracking <file>', 'tracking file to edit (default: <model>.tracking.yaml beside the model; created when missing)')
    .option('--force', 'write the entry even when it matches no finding of the model now')
    .addHelpText(
      'after',
      `
Example:
  $ maestro-tm track maestro.yaml 'lethal-trifecta-in-agent@*' --status accepted \\
      --reason "sandboxed demo system, no production data" --owner secops --expires 2026-12-31
An existing entry keeps the fields you do not pass, its comments and its unknown fields.
Exit codes: 0 written, 2 bad input (nothing is written).`,
    )
    .action(async (modelFile, key, opts) => {
      const bad = (message: string) => {
        io.err(safe(message));
        setExit(2);
      };
      const keyProblem = trackingKeyProblem(key);
      if (keyProblem) return bad(`${keyProblem.message} (${keyProblem.hint})`);
      if (opts.reason !== undefined && opts.reason.trim() === '') return bad('--reason is empty: say why in a sentence');
      if (opts.tracking === undefined && parseModelSpec(modelFile).kind === 'git') return bad('a git revision has no tracking file of its own: name the file with --tracking');
      const model = await analyseSpec(modelFile, io);
      if (!model) {
        setExit(2);
        return;
      }
      const ids = model.analysis.findings.map((f) => f.id);
      const matches = isPattern(key) ? ids.filter((id) => wildcardMatch(key, id)).length : ids.includes(key) ? 1 : 0;
      if (matches === 0 && opts.force !== true) {
        const near = isPattern(key) ? [] : nearest(key, ids, 3);
        return bad(`${quote(key)} matches no finding of ${modelFile}${near.length ? `; did you mean ${near.join(' or ')}?` : ''} (finding ids are listed by: maestro-tm analyze ${modelFile} --format json; --force writes it anyway)`);
      }
      const path = opts.tracking ?? defaultTrackingPath(modelFile);
      let text: string;
      let entries: readonly TrackingEntry[] = [];
      if (existsSync(path)) {
        if (statSync(path).isDirectory()) return bad(`${path} is a directory, not a tracking file`);
        const decoded = decodeModelBytes(readFileSync(path));
        if (decoded.text === undefined) {
          for (const d of decoded.diagnostics) io.err(formatDiagnostic({ ...d, file: path }, io.color));
          return bad(`${path}: not changed`);
        }
        text = decoded.text;
        const loaded = loadTrackingText(text, path);
        for (const d of loaded.diagnostics) io.err(formatDiagnostic(d, io.color));
        if (!loaded.tracking) return bad(`${path}: invalid tracking file, not changed (fix the errors above first)`);
        entries = loaded.tracking.entries;
      } else {
        text = template(modelFile);
      }
      const existing = entries.find((e) => e.key === key);
      const justification = opts.reason ?? existing?.justification;
      if (NEEDS_JUSTIFICATION.has(opts.status) && justification === undefined) {
        return bad(`status ${opts.status} needs a justification: pass --reason "why" (who decided, on what grounds)`);
      }
      const fields: [string, string][] = [['status', opts.status]];
      if (opts.reason !== undefined) fields.push(['justification', opts.reason.trim()]);
      if (opts.owner !== undefined) fields.push(['owner', opts.owner]);
      if (opts.ticket !== undefined) fields.push(['ticket', opts.ticket]);
      if (opts.review !== undefined) fields.push(['review', opts.review]);
      if (opts.expires !== undefined) fields.push(['expires', opts.expires]);
      const format = detectFormat(path, text);
      const editor = editModel({ format, text });
      const data = parseSource(text, format).parsed?.data;
      const section = data && typeof data === 'object' ? (data as Record<string, unknown>)['findings'] : undefined;
      const entryValue = new Map(fields);
      if (existing) {
        for (const [f, v] of fields) editor.set(['findings', key, f], v);
      } else if (section === undefined || section === null) {
        editor.set(['findings'], Object.fromEntries([[key, Object.fromEntries(entryValue)]]));
      } else {
        editor.set(['findings', key], Object.fromEntries(entryValue));
      }
      const out = editor.toString();
      const check = loadTrackingText(out, path);
      if (!check.tracking) {
        for (const d of check.diagnostics) io.err(formatDiagnostic(d, io.color));
        return bad(`${path}: the edit would make the file invalid, not written`);
      }
      try {
        writeFileAtomic(path, out.endsWith('\n') ? out : out + '\n');
      } catch (err) {
        return bad(`${path}: cannot write (${err instanceof Error ? err.message : String(err)})`);
      }
      io.out(safe(`${existing ? 'updated' : 'added'} ${key}: ${opts.status} in ${path} (matches ${matches} finding${matches === 1 ? '' : 's'} now)`));
      const expires = opts.expires ?? existing?.expires;
      if (expires !== undefined && todayOr(undefined) > expires) io.err(safe(`warning: the entry expired on ${expires}, so it counts as open; pass a later --expires`));
    });
}
