import { describe, expect, it } from 'vitest';
import { mdCode, mdText, neutralise } from '../../src/reporters/_escape.js';
import { loadModelText } from '../../src/model/load.js';
import { resolveModel } from '../../src/model/resolve.js';
import { analyse } from '../../src/engine/analyse.js';
import { loadCatalogue } from '../../src/io/catalogue.js';
import { RULES } from '../../src/rules/index.js';
import { renderMarkdown } from '../../src/reporters/markdown/index.js';
import { renderJson } from '../../src/reporters/json/index.js';

describe('Markdown escaping', () => {
  it('renders HTML, links, emphasis and table breaks literally', () => {
    expect(mdText('<script>alert(1)</script>')).toBe('&lt;script&gt;alert\\(1\\)&lt;/script&gt;');
    expect(mdText('[x](javascript:alert(1))')).not.toMatch(/\]\(/);
    expect(mdText('a | b')).toBe('a \\| b');
    expect(mdText('**bold** _it_')).toBe('\\*\\*bold\\*\\* \\_it\\_');
    expect(mdText('line1\nline2')).toBe('line1 line2');
  });

  it('neutralises ANSI escapes and bidi controls', () => {
    expect(neutralise('\u001b[31mred\u202e')).toBe('\\u001b[31mred\\u202e');
  });

  it('code spans cannot be broken out of', () => {
    const s = mdCode('a`b``c');
    expect(s.startsWith('```')).toBe(true);
    expect(mdCode('x|y')).toBe('`x\\|y`');
  });
});

describe('reports over hostile model text', () => {
  const hostile = '<img src=x onerror=alert(1)> [click](javascript:alert(1)) \u001b[2J =cmd|calc ```';
  const text = `version: "1.0"
system:
  name: ${JSON.stringify(hostile)}
humans:
  - {id: boss, role: approver}
agents:
  - id: payer
    description: ${JSON.stringify(hostile)}
    autonomy: full
    tools: [pay]
    approvals: [{action: ${JSON.stringify(hostile)}, approver: boss}]
tools:
  - {id: pay, type: payment, sideEffects: [payment], description: ${JSON.stringify(hostile)}}
`;
  const res = loadModelText(text);
  const { catalogue } = loadCatalogue();
  const { analysis } = analyse(resolveModel(res.model!), catalogue, RULES);

  it('Markdown keeps no live HTML, link or escape sequence', () => {
    const md = renderMarkdown(analysis, catalogue);
    expect(md).not.toContain('<img');
    expect(md).not.toMatch(/\]\(javascript:/);
    expect(md).not.toContain('\u001b');
    expect(md).toContain('&lt;img');
  });

  it('JSON escapes control characters and round-trips the text exactly', () => {
    const json = renderJson(analysis, catalogue);
    expect(json).not.toContain('\u001b');
    expect((JSON.parse(json) as { system: { name: string } }).system.name).toBe(hostile);
  });
});
