/**
 * Security review of report escaping: a lone carriage return is a line ending in CommonMark (and so
 * on GitHub), so model text holding one could start its own Markdown line (a heading, a list item, a
 * table row) in the md and mermaid reports. Every line ending must become a space.
 */
import { describe, expect, it } from 'vitest';
import { mdCode, mdText } from '../../src/reporters/_escape.js';
import { REPORTERS } from '../../src/reporters/index.js';
import { analysed } from '../reporters/_support.js';

const FIXTURE = 'test/security/fixtures/lone-cr.yaml';

describe('Markdown escaping: every CommonMark line ending', () => {
  it('mdText and mdCode turn LF, CRLF and a lone CR into spaces', () => {
    for (const f of [mdText, mdCode]) {
      const out = f('a\r# heading\r\n- item\nb\r\r| x |');
      expect(out, f.name).not.toMatch(/[\r\n]/);
      expect(out, f.name).toContain('a # heading');
    }
  });

  it.each(['md', 'mermaid'])('the %s report never lets model text start a line', async (id) => {
    const reporter = REPORTERS.find((r) => r.id === id);
    expect(reporter, id).toBeDefined();
    if (!reporter) return;
    const { analysis, ctx } = analysed(FIXTURE);
    const out = await reporter.render(analysis, ctx);
    expect(out).toContain('Injected heading');
    expect(out, 'raw carriage return').not.toContain('\r');
    for (const line of out.split('\n')) {
      expect(line, 'a line opened by model text').not.toMatch(/^\s*(# (Injected|HEAD)|- injected|\\?\| forged)/);
    }
  });
});
