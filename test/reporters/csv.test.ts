/** CSV output: RFC 4180, one row per finding, formula and control-character safe. */
import { describe, expect, it } from 'vitest';
import type { AnalysedFinding, Analysis } from '../../src/engine/analyse.js';
import { CSV_COLUMNS, renderCsv } from '../../src/reporters/csv/index.js';
import { analysed, parseCsv } from './_support.js';

const file = 'examples/mcp-client.yaml';

describe('CSV report', () => {
  const { analysis, ctx } = analysed(file);
  const text = renderCsv(analysis, ctx);
  const rows = parseCsv(text);

  it('has the documented header and one CRLF-terminated record per finding', () => {
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.length).toBe(analysis.findings.length + 1);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.split('\r\n').length).toBe(analysis.findings.length + 2);
  });

  it('each row carries the finding, its risk and the model line of its first evidence', () => {
    const col = (name: (typeof CSV_COLUMNS)[number]): number => CSV_COLUMNS.indexOf(name);
    analysis.findings.forEach((f, i) => {
      const row = rows[i + 1] ?? [];
      expect(row[col('id')]).toBe(f.id);
      expect(row[col('residual')]).toBe(f.risk.residual.toFixed(1));
      expect(row[col('residual_band')]).toBe(f.risk.residualBand);
      expect(row[col('threats')]).toBe(f.threats.join(' '));
      const pointer = f.evidence.find((e) => e.pointer !== '')?.pointer ?? '';
      expect(row[col('location')]).toBe(`${file}:${ctx.locate(pointer)?.line ?? 1}`);
    });
  });

  it('neutralises formulas, line breaks and control characters, and keeps quotes and commas as data', () => {
    const payloads = ['=HYPERLINK("http://x")', '+cmd|calc', '-2+3', '@SUM(1)', '\tx', '\r=1', '  =1+1', 'a "quoted", text\nnext line \u001b[31m\u202e'];
    const first = analysis.findings[0] as AnalysedFinding;
    const crafted: Analysis = { ...analysis, findings: payloads.map((message, i) => ({ ...first, id: `${first.id}-${i}`, message })) };
    const parsed = parseCsv(renderCsv(crafted, ctx));
    const messages = parsed.slice(1).map((r) => r[CSV_COLUMNS.indexOf('message')] ?? '');
    expect(messages.length).toBe(payloads.length);
    for (const m of messages) expect(m).not.toMatch(/^\s*[=+\-@\t\r]/);
    expect(messages[0]).toBe(`'=HYPERLINK("http://x")`);
    expect(messages[2]).toBe(`'-2+3`);
    expect(messages[7]).toBe('a "quoted", text next line \\u001b[31m\\u202e');
  });
});
