/**
 * Render a ModelDiff as terminal text, as Markdown for a pull-request comment, or as JSON. Model text
 * (ids, labels) is untrusted: text output is neutralised, Markdown goes through mdText/mdCode.
 */
import { mdCode, mdText, neutralise } from '../reporters/_escape.js';
import type { ChangedFinding, DiffChain, DiffFinding, ModelDiff } from './compare.js';

/** Longest list per section in Markdown (GitHub comments are capped at 65,536 characters). */
export const MD_SECTION_LIMIT = 50;

const n1 = (x: number): string => x.toFixed(1);
const signed = (x: number): string => (x > 0 ? `+${n1(x)}` : x < 0 ? `-${n1(-x)}` : '0.0');
const t = (s: string): string => neutralise(s);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function totalsRows(d: ModelDiff): [string, string, string, string][] {
  const b = d.totals.before;
  const a = d.totals.after;
  const intRow = (label: string, x: number, y: number): [string, string, string, string] => [label, String(x), String(y), y - x > 0 ? `+${y - x}` : String(y - x)];
  return [
    ['Residual risk (sum over findings)', n1(b.residualTotal), n1(a.residualTotal), signed(Math.round((a.residualTotal - b.residualTotal) * 10) / 10)],
    intRow('Findings', b.findings, a.findings),
    intRow('Open findings', b.open, a.open),
    intRow('Critical (residual)', b.byResidualBand.critical, a.byResidualBand.critical),
    intRow('High (residual)', b.byResidualBand.high, a.byResidualBand.high),
    intRow('Attack chains (top ranked)', b.chains, a.chains),
    intRow('Elements', b.elements, a.elements),
  ];
}

export function renderDiffText(d: ModelDiff): string {
  const out: string[] = [];
  out.push(`maestro-tm diff: ${t(d.before.label)} -> ${t(d.after.label)}`);
  if (d.unchanged) out.push('No change in elements, findings, attack chains or controls.');
  const rows = totalsRows(d);
  out.push(`${''.padEnd(36)} ${'before'.padStart(8)} ${'after'.padStart(8)} ${'change'.padStart(8)}`);
  for (const [label, b, a, c] of rows) out.push(`${label.padEnd(36)} ${b.padStart(8)} ${a.padStart(8)} ${c.padStart(8)}`);
  const section = <T>(title: string, items: readonly T[], line: (x: T) => string) => {
    out.push('');
    out.push(`${title} (${items.length})${items.length === 0 ? ': none' : ':'}`);
    for (const x of items) out.push(`  ${line(x)}`);
  };
  section('Elements added', d.elements.added, (e) => `+ ${t(e.id)}  ${e.kind}  ${e.layer}`);
  section('Elements removed', d.elements.removed, (e) => `- ${t(e.id)}  ${e.kind}  ${e.layer}`);
  const fLine = (sign: string) => (f: DiffFinding) => `${sign} ${t(f.id)}  ${f.band} ${n1(f.residual)}  ${f.status}  ${f.layer}`;
  section('New findings', d.findings.new, fLine('+'));
  section('Gone findings', d.findings.gone, fLine('-'));
  section('Changed findings', d.findings.changed, (c: ChangedFinding) => `~ ${t(c.id)}  ${changeText(c)}`);
  const cLine = (sign: string) => (c: DiffChain) => `${sign} ${c.path.map(t).join(' -> ')}  (p ${c.probability.toFixed(3)})`;
  section('New attack chains', d.chains.new, cLine('+'));
  section('Gone attack chains', d.chains.gone, cLine('-'));
  if (d.chains.rose.length) section('Attack chains now in the top ranks (possible before too)', d.chains.rose, cLine('^'));
  if (d.chains.fell.length) section('Attack chains out of the top ranks (still possible)', d.chains.fell, cLine('v'));
  section('Controls removed', d.controls.removed, (c) => `- ${t(c.id)}${c.pattern ? `  ${t(c.pattern)}` : ''}  (${c.status})`);
  if (d.controls.weakened.length) section('Controls weakened', d.controls.weakened, (c) => `~ ${t(c.id)}${c.pattern ? `  ${t(c.pattern)}` : ''}  ${c.before} -> ${c.after}`);
  return out.join('\n') + '\n';
}

function changeText(c: ChangedFinding): string {
  const parts = [`residual ${n1(c.before.residual)} -> ${n1(c.after.residual)} (${signed(c.delta)})`];
  if (c.before.band !== c.after.band) parts.push(`${c.before.band} -> ${c.after.band}`);
  if (c.before.status !== c.after.status) parts.push(`${c.before.status} -> ${c.after.status}`);
  return parts.join(', ');
}

export function renderDiffMarkdown(d: ModelDiff): string {
  const out: string[] = [];
  out.push('<!-- maestro-tm:diff -->');
  out.push(`### Threat model change: ${mdCode(d.before.label, 200, false)} → ${mdCode(d.after.label, 200, false)}`);
  out.push('');
  const summary = [
    plural(d.elements.added.length, 'element') + ' added',
    `${d.elements.removed.length} removed`,
    plural(d.findings.new.length, 'new finding'),
    `${d.findings.gone.length} gone`,
    `${d.findings.changed.length} changed`,
    plural(d.chains.new.length, 'new attack chain'),
    plural(d.controls.removed.length, 'control') + ' removed',
  ];
  out.push(d.unchanged ? 'No change in elements, findings, attack chains or controls.' : summary.join(' · '));
  out.push('');
  out.push('| | Before | After | Change |');
  out.push('|---|---:|---:|---:|');
  for (const [label, b, a, c] of totalsRows(d)) out.push(`| ${label} | ${b} | ${a} | ${c} |`);
  const table = <T>(title: string, items: readonly T[], head: string[], cells: (x: T) => string[]) => {
    if (items.length === 0) return;
    out.push('');
    out.push(`#### ${title} (${items.length})`);
    out.push('');
    out.push(`| ${head.join(' | ')} |`);
    out.push(`|${head.map(() => '---').join('|')}|`);
    for (const x of items.slice(0, MD_SECTION_LIMIT)) out.push(`| ${cells(x).join(' | ')} |`);
    if (items.length > MD_SECTION_LIMIT) {
      out.push('');
      out.push(`… and ${items.length - MD_SECTION_LIMIT} more (run \`maestro-tm diff --format json\` for all).`);
    }
  };
  table('Elements added', d.elements.added, ['Element', 'Kind', 'Layer'], (e) => [mdCode(e.id), e.kind, e.layer]);
  table('Elements removed', d.elements.removed, ['Element', 'Kind', 'Layer'], (e) => [mdCode(e.id), e.kind, e.layer]);
  const fCells = (f: DiffFinding) => [mdCode(f.id), mdCode(f.element), f.layer, `${f.band} ${n1(f.residual)}`, f.status];
  table('New findings', d.findings.new, ['Finding', 'Element', 'Layer', 'Residual risk', 'Status'], fCells);
  table('Gone findings', d.findings.gone, ['Finding', 'Element', 'Layer', 'Residual risk', 'Status'], fCells);
  table('Changed findings', d.findings.changed, ['Finding', 'Residual risk', 'Status'], (c) => [
    mdCode(c.id),
    `${c.before.band} ${n1(c.before.residual)} → ${c.after.band} ${n1(c.after.residual)} (${signed(c.delta)})`,
    c.before.status === c.after.status ? c.after.status : `${c.before.status} → ${c.after.status}`,
  ]);
  const chainCells = (c: DiffChain) => [c.path.map((x) => mdCode(x)).join(' → '), c.probability.toFixed(3)];
  table('New attack chains', d.chains.new, ['Chain (entry → target)', 'Likelihood'], chainCells);
  table('Gone attack chains', d.chains.gone, ['Chain (entry → target)', 'Likelihood'], chainCells);
  table('Attack chains now in the top ranks (possible before too)', d.chains.rose, ['Chain (entry → target)', 'Likelihood'], chainCells);
  table('Attack chains out of the top ranks (still possible)', d.chains.fell, ['Chain (entry → target)', 'Likelihood'], chainCells);
  table('Controls removed', d.controls.removed, ['Control', 'Pattern', 'Status'], (c) => [mdCode(c.id), c.pattern ? mdCode(c.pattern) : '', c.status]);
  table('Controls weakened', d.controls.weakened, ['Control', 'Pattern', 'Status'], (c) => [mdCode(c.id), c.pattern ? mdCode(c.pattern) : '', `${c.before} → ${c.after}`]);
  out.push('');
  out.push(`<sub>${mdText(d.chains.note)}. Generated by maestro-tm.</sub>`);
  return out.join('\n') + '\n';
}

export function renderDiffJson(d: ModelDiff): string {
  return JSON.stringify(d, null, 2) + '\n';
}
