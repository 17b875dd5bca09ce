/**
 * CSV report: one row per finding, for spreadsheets and ticket imports.
 *
 * RFC 4180 (comma separator, CRLF line ends, fields quoted when needed, quotes doubled) through
 * csv-stringify. Spreadsheet formula injection is neutralised by csv-stringify's `escape_formulas`
 * (a cell starting with = + - @ tab or CR gets a leading apostrophe); before that, control,
 * bidirectional and zero-width characters become visible \uXXXX escapes and line breaks become
 * spaces, so every record is one line and no cell can start with a hidden character.
 */
import { stringify } from 'csv-stringify/sync';
import type { Reporter, ReportContext } from '../index.js';
import type { Analysis } from '../../engine/analyse.js';
import { neutralise } from '../_escape.js';
import { mappingsOf } from '../navigator/techniques.js';
import { pointerIndex, primaryPointer } from '../otm/elements.js';

export const CSV_COLUMNS = [
  'id',
  'rule',
  'status',
  'tracking',
  'severity',
  'inherent',
  'residual',
  'residual_band',
  'layer',
  'element',
  'kind',
  'threats',
  'atlas',
  'attack',
  'message',
  'defences',
  'location',
] as const;

/** One cell: text with no line breaks and no invisible characters (formulas are handled by csv-stringify). */
function cell(value: string): string {
  const s = neutralise(value.replace(/\r\n|[\r\n\u2028\u2029]/g, ' '));
  // Some spreadsheets trim before evaluating: a formula behind leading blanks is escaped too.
  return /^\s+[=+\-@]/.test(s) ? `'${s}` : s;
}

export function renderCsv(a: Analysis, ctx: ReportContext): string {
  const pointers = pointerIndex(ctx.model);
  const rows: string[][] = [[...CSV_COLUMNS]];
  for (const f of a.findings) {
    const m = mappingsOf(f.threats, ctx.catalogue);
    const pos = ctx.locate(primaryPointer(f.evidence, f.element, pointers));
    rows.push(
      [
        f.id,
        f.rule,
        f.status,
        f.tracking ? f.tracking.effective + (f.tracking.effective !== f.tracking.status ? ` (declared ${f.tracking.status}, expired)` : '') : '',
        f.severity,
        f.risk.inherent.toFixed(1),
        f.risk.residual.toFixed(1),
        f.risk.residualBand,
        f.layer,
        f.element,
        f.kind,
        f.threats.join(' '),
        m.atlas.map((t) => t.id).join(' '),
        m.attack.map((t) => t.id).join(' '),
        f.message,
        f.defences.join(' '),
        `${ctx.modelPath}:${pos?.line ?? 1}`,
      ].map(cell),
    );
  }
  return stringify(rows, { escape_formulas: true, record_delimiter: 'windows', quoted_match: /^\s|\s$/ });
}

export const csvReporter: Reporter = {
  id: 'csv',
  extension: '.csv',
  description: 'one row per finding (risk, status, threats, ATLAS/ATT&CK ids, location); formula-safe',
  render: (a, ctx) => renderCsv(a, ctx),
};
