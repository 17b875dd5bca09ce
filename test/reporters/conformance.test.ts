/**
 * The reporter conformance suite (issue 5, acceptance 3 and 5): EVERY reporter in REPORTERS renders
 * every bundled example and the hostile model (test/fixtures/hostile-text.yaml), twice, with
 * identical bytes, and the hostile text stays inert in its format. A new reporter joins by being
 * in the registry; one without inertness checks here fails until they are written.
 */
import { describe, expect, it } from 'vitest';
import type { AnalysedFinding, Analysis, TrackingStatus } from '../../src/engine/analyse.js';
import { REPORTERS, type ReportContext } from '../../src/reporters/index.js';
import { EXAMPLES, HOSTILE, analysed, parseCsv } from './_support.js';

/** The hostile model with risk-tracking entries whose free text (justification, owner, ticket, key) is hostile too. */
const HOSTILE_TRACKED = `${HOSTILE} + tracking`;
const TRACKING_TEXT = '<script>alert(1)</script> "><img src=x onerror=alert(1)> =HYPERLINK("http://x") [x](javascript:alert(1)) %%{init: {}}%% click n0 call alert() \u001b[31m \u202e`|`';

function withHostileTracking(a: Analysis): Analysis {
  const statuses: TrackingStatus[] = ['accepted', 'false-positive', 'in-progress', 'mitigated', 'open'];
  const findings = a.findings.map((f, i): AnalysedFinding => {
    const status = statuses[i % statuses.length] ?? 'open';
    const expired = i % 7 === 0 && status === 'accepted';
    return {
      ...f,
      tracking: { status, effective: expired ? 'open' : status, key: `${f.rule}@*`, justification: TRACKING_TEXT, owner: TRACKING_TEXT, ticket: TRACKING_TEXT, review: '2026-01-01', expires: '2026-12-31', expired },
    };
  });
  const counts: Record<TrackingStatus, number> = { open: 0, 'in-progress': 0, mitigated: 0, accepted: 0, 'false-positive': 0 };
  for (const f of findings) if (f.tracking) counts[f.tracking.effective]++;
  return { ...a, findings, tracking: { source: TRACKING_TEXT, counts, stale: [{ key: TRACKING_TEXT, line: 3 }] } };
}

function input(file: string): { analysis: Analysis; ctx: ReportContext } {
  if (file !== HOSTILE_TRACKED) return analysed(file);
  const { analysis, ctx } = analysed(HOSTILE);
  return { analysis: withHostileTracking(analysis), ctx };
}

/** Fragments of the hostile payloads that must never come out as live syntax. */
const PAYLOAD_MARKERS = ['<script>alert(1)</script>', 'onerror=alert(1)>', '%%{init', 'click n0 call', '\u001b[31m'];

const C0 = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/; // eslint-disable-line no-control-regex
const INVISIBLE = /[\u0080-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]/;
/** Formats written by this suite's authors with inertJson/neutralise: no invisible characters at all. */
const STRICT_INVISIBLE = new Set(['csv', 'sarif', 'mermaid', 'navigator', 'atlas-navigator', 'otm', 'td']);

type Check = (text: string, hostile: boolean) => void;

/**
 * Markdown without its code spans (their content renders literally, whatever it is). A backtick
 * escaped with a backslash outside a code span is a literal backtick, not the start of one.
 */
function withoutCodeSpans(md: string): string {
  return md.replace(/(?<![\\`])(`+)([\s\S]*?[^`])\1(?!`)/g, '');
}

function noLiveHtml(text: string, allowedTags: RegExp): void {
  for (const m of text.matchAll(/<\/?[A-Za-z][^>]*>?/g)) expect(m[0], 'raw tag in output').toMatch(allowedTags);
}

function jsonOnlyAsData(text: string, hostile: boolean, mustCarry: boolean): void {
  const data: unknown = JSON.parse(text);
  // Walk iteratively: object keys are the format's own, never model text.
  const strings: string[] = [];
  const stack: unknown[] = [data];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') strings.push(v);
    else if (Array.isArray(v)) stack.push(...(v as unknown[]));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        for (const p of PAYLOAD_MARKERS) expect(k.includes(p), `key ${JSON.stringify(k)} carries model text`).toBe(false);
        stack.push(x);
      }
    }
  }
  if (hostile && mustCarry) expect(strings.some((s) => s.includes('<script>alert(1)</script>')), 'the hostile text is kept as data').toBe(true);
}

const MERMAID_LINE = [
  /^flowchart LR$/,
  /^ {2}subgraph layer_L[1-7]\["[^"%`<>]*"\]$/,
  /^ {2}end$/,
  /^ {2,4}[ncg]\d+(\["|\[\("|\(\["|\[\["|\{\{")[^"%`]*("\]|"\)\]|"\]\)|"\]\]|"\}\})$/,
  /^ {2}[ncg]\d+ -->\|"[^"%`]*"\| [ncg]\d+$/,
  /^ {2}classDef (entry|jewel) stroke:#[0-9a-f]{6},stroke-width:3px$/,
  /^ {2}class c\d+ (entry|jewel)$/,
];

const CHECKS: Record<string, Check> = {
  md: (text) => {
    const prose = withoutCodeSpans(text);
    noLiveHtml(prose, /^<\/?(details|summary)>$/);
    expect(prose).not.toMatch(/\]\(\s*javascript:/i);
    for (const p of PAYLOAD_MARKERS.slice(0, 2)) expect(prose).not.toContain(p);
  },
  json: (text, hostile) => jsonOnlyAsData(text, hostile, true),
  sarif: (text, hostile) => jsonOnlyAsData(text, hostile, false),
  navigator: (text, hostile) => jsonOnlyAsData(text, hostile, false),
  'atlas-navigator': (text, hostile) => jsonOnlyAsData(text, hostile, false),
  otm: (text, hostile) => jsonOnlyAsData(text, hostile, true),
  td: (text, hostile) => jsonOnlyAsData(text, hostile, true),
  csv: (text) => {
    const rows = parseCsv(text);
    expect(rows.length).toBeGreaterThan(0);
    const width = rows[0]?.length ?? 0;
    for (const row of rows) {
      expect(row.length, 'every record has the header width').toBe(width);
      for (const cell of row) expect(cell, 'cell opens a formula').not.toMatch(/^[=+\-@\t\r]/);
    }
  },
  mermaid: (text) => {
    expect(text).not.toContain('%%{');
    expect(text).not.toMatch(/click/i);
    expect(text).not.toMatch(/javascript:/i);
    // Outside the fences, the file is Markdown: the Markdown rules apply there.
    const outside = text.replace(/```mermaid\n[\s\S]*?\n```/g, '');
    noLiveHtml(withoutCodeSpans(outside), /^$/);
    expect(outside).not.toMatch(/\]\(\s*javascript:/i);
    // Inside, every line has one of the shapes the reporter writes: no statement comes from model text.
    const blocks = [...text.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1] ?? '');
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) {
      for (const line of block.split('\n')) expect(MERMAID_LINE.some((re) => re.test(line)), `unexpected Mermaid line: ${line}`).toBe(true);
      for (const label of block.matchAll(/"([^"]*)"/g)) expect((label[1] ?? '').replace(/<br\/>/g, ''), 'raw < or > in a label').not.toMatch(/[<>]/);
    }
  },
  html: (text) => {
    // Raw text: the payload never appears as markup anywhere, not even inside the reporter's JSON data.
    expect(text).not.toContain('<script>alert(1)</script>');
    expect(text).not.toMatch(/<img src=x/i);
    const opens = text.match(/<script\b/gi)?.length ?? 0;
    expect(text.match(/<\/script/gi)?.length ?? 0, 'every </script> closes one of the reporter\'s own scripts').toBe(opens);
    // Strip the contents of the reporter's own script and style elements, then look at every tag.
    const body = text.replace(/(<script\b[^>]*>)[\s\S]*?(<\/script>)/gi, '$1$2').replace(/(<style\b[^>]*>)[\s\S]*?(<\/style>)/gi, '$1$2');
    for (const m of body.matchAll(/<[A-Za-z][^>]*>/g)) {
      const tag = m[0];
      expect(tag, 'event-handler attribute').not.toMatch(/\son[a-z]+\s*=/i);
      expect(tag, 'javascript: URL').not.toMatch(/(href|src|action|formaction|xlink:href)\s*=\s*["']?\s*javascript:/i);
    }
  },
};

describe.each(REPORTERS.map((r) => [r.id, r] as const))('reporter %s', (id, reporter) => {
  it('has inertness checks in this suite', () => {
    expect(Object.keys(CHECKS), `add checks for the ${id} format to test/reporters/conformance.test.ts`).toContain(id);
  });

  it.each([...EXAMPLES.map((e) => `examples/${e}`), HOSTILE, HOSTILE_TRACKED])('renders %s deterministically and inertly', async (file) => {
    const { analysis, ctx } = input(file);
    const first = await reporter.render(analysis, ctx);
    const second = await reporter.render(analysis, ctx);
    expect(second === first, 'two renders give identical bytes').toBe(true);
    expect(first.length).toBeGreaterThan(0);
    const hostile = file === HOSTILE || file === HOSTILE_TRACKED;
    expect(first, 'raw C0 control character').not.toMatch(C0);
    if (STRICT_INVISIBLE.has(id)) expect(first, 'raw bidirectional, zero-width or separator character').not.toMatch(INVISIBLE);
    CHECKS[id]?.(first, hostile);
    if (id === 'html') {
      // The reporter's own scripts are the same whatever the model says: model text adds none.
      const baseline = analysed('examples/mcp-client.yaml');
      const own = (await reporter.render(baseline.analysis, baseline.ctx)).match(/<script\b[^>]*>/gi) ?? [];
      expect(first.match(/<script\b[^>]*>/gi) ?? []).toEqual(own);
    }
    // The escape character itself must not survive anywhere, in any format (JSON writes it as \u001b text).
    if (hostile) expect(first.includes('\u001b'), 'raw ESC character').toBe(false);
  });
});

describe('the hostile model', () => {
  it('produces findings and chains, so every format has model text to escape', () => {
    const { analysis, ctx } = analysed(HOSTILE);
    expect(analysis.findings.length).toBeGreaterThan(10);
    expect(analysis.crossLayer.chains.length).toBeGreaterThan(0);
    expect(analysis.system.name).toContain('<script>alert(1)</script>');
    expect(ctx.model.controls?.length).toBeGreaterThan(0);
  });

  it('the checks catch live payloads (each check can fail)', () => {
    const bad: Record<string, string> = {
      md: 'x <img src=x onerror=alert(1)> [a](javascript:alert(1))',
      csv: 'a,b\r\n=HYPERLINK("x"),c\r\n',
      mermaid: '# D\n\n```mermaid\nflowchart LR\n  click n0 call alert()\n```\n',
      json: '{"<script>alert(1)</script>": 1}',
      otm: '{"a": "no payload"}',
      td: '{"a": "no payload"}',
      html: '<p onclick="x">a</p>',
    };
    for (const [id, text] of Object.entries(bad)) expect(() => CHECKS[id]?.(text, true), id).toThrow();
  });
});
