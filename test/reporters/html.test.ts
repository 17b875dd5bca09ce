/**
 * The HTML report (issue 5): escaping of every interpolation, the Content-Security-Policy hashes,
 * clustering of big systems before ELK sees them, and byte-stable output.
 * The real-browser checks are in test/browser/html-report.test.ts.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { clip, escapeText, html, join, jsonForScript, raw, safeHttpUrl, truncate } from '../../src/reporters/html/escape.js';
import { clusterGraph, layoutGraph } from '../../src/reporters/html/layout.js';
import { contentSecurityPolicy, renderHtml } from '../../src/reporters/html/page.js';
import { htmlReporter } from '../../src/reporters/html/index.js';
import { reporterById } from '../../src/reporters/index.js';
import { loadModelText } from '../../src/model/load.js';
import { resolveModel } from '../../src/model/resolve.js';
import { analyse } from '../../src/engine/analyse.js';
import { RULES } from '../../src/rules/index.js';
import type { ModelFile } from '../../src/model/schema.js';
import { generateSystem } from '../../bench/gen.js';
import { EXAMPLES, HOSTILE, analysed, catalogue } from './_support.js';

/** The page with the contents of its style and script elements removed (what is left is markup). */
function markupOnly(page: string): string {
  return page.replace(/(<script\b[^>]*>)[\s\S]*?(<\/script>)/gi, '$1$2').replace(/(<style\b[^>]*>)[\s\S]*?(<\/style>)/gi, '$1$2');
}

function decodeEntities(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39|#96);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#96': '`' })[e] ?? '');
}

const SMALL = (name: string, description: string): ModelFile => {
  const text = JSON.stringify({
    version: '1.0',
    system: { name, criticality: 'high', dataSensitivity: 'restricted' },
    humans: [{ id: 'outsider', name, description, role: 'public', trust: 'untrusted' }],
    models: [{ id: 'llm', name, description, hosting: 'hosted-api' }],
    agents: [
      {
        id: 'helper',
        name,
        description,
        autonomy: 'full',
        models: ['llm'],
        tools: [{ ref: 'shell', scopes: ['*'] }],
        memory: { reads: ['notes'], writes: ['notes'] },
      },
    ],
    tools: [{ id: 'shell', name, description, sideEffects: ['execute-code', 'network-egress'] }],
    memories: [{ id: 'notes', name, description, type: 'long-term', sensitivity: 'confidential' }],
    channels: [{ id: 'chat', from: 'outsider', to: 'helper', name, description }],
  });
  const r = loadModelText(text, { file: 'inline.json' });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (!r.model || errors.length) throw new Error(`fixture model does not load: ${errors.map((d) => `${d.message} ${d.pointer ?? ''}`).join('; ')}`);
  return r.model;
};

/** The tags and attributes the reporter writes (a tag from model text would not match). */
const OWN_TAG =
  /<\/?(?:html|head|meta|title|style|script|body|header|h1|h2|h3|h4|p|code|nav|a|svg|defs|marker|path|main|section|div|table|thead|tbody|tr|th|td|span|strong|g|rect|text|line|polyline|figure|figcaption|ol|li|details|summary|article|form|label|select|option|input|button|noscript)(?:\s+(?:[a-zA-Z][a-zA-Z0-9-]*(?::[a-z]+)?)(?:="[^"<>]*")?)*\s*\/?>/y;

/** Strings rich in markup, quote, control and bidi characters, mixed with any code point. */
const MARKUPISH = fc.oneof(fc.constantFrom('<', '>', '&', '"', "'", '`', '=', '/', ' ', '\u202e', '\u2028', '\u0000', '\u001b', '<script>', '</script>'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }));
const markupString = (maxLength: number) => fc.string({ unit: MARKUPISH, maxLength });

async function renderSmall(name: string, description: string): Promise<string> {
  const model = SMALL(name, description);
  const { analysis } = analyse(resolveModel(model), catalogue, RULES);
  return renderHtml(analysis, catalogue, model, {});
}

describe('html tagged template', () => {
  it('escapes every interpolated string, in text and in quoted attributes (property)', () => {
    fc.assert(
      fc.property(markupString(80), (s) => {
        const out = html`<p title="${s}">${s}</p>`.value;
        const inner = out.slice('<p title="'.length, out.length - '</p>'.length);
        // Exactly the template's own markup characters remain: the attribute's closing quote and the tag end.
        expect(inner.split('"').length - 1).toBe(1);
        expect(inner.split('>').length - 1).toBe(1);
        expect(inner).not.toContain('<');
        expect(inner).not.toContain("'");
        // Every ampersand starts one of our entities, and decoding gives the neutralised text back.
        expect(inner.replace(/&(amp|lt|gt|quot|#39|#96);/g, '')).not.toContain('&');
        const [attr, text] = inner.split('">');
        expect(decodeEntities(attr ?? '')).toBe(decodeEntities(text ?? ''));
        expect(out).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u202a-\u202e\u2066-\u2069]/); // eslint-disable-line no-control-regex
      }),
      { numRuns: 300 },
    );
  });

  it('passes markup made by raw() and html itself, joins arrays, drops null/undefined/false', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<div>${inner}${raw('<hr>')}${['a', 1, null, undefined, false]}</div>`.value).toBe('<div><b>&lt;i&gt;</b><hr>a1</div>');
    expect(join([raw('<a>'), raw('<b>')], ',').value).toBe('<a>,<b>');
  });

  it('refuses unquoted attributes and text in script, URL or style attributes', () => {
    const v = 'x';
    expect(() => html`<p title=${v}>`).toThrow(/unquoted/);
    expect(() => html`<a href="${v}">`).toThrow(/URL or style/);
    expect(() => html`<p onclick="${v}">`).toThrow(/URL or style/);
    expect(() => html`<p style="${v}">`).toThrow(/URL or style/);
    expect(() => html`<p class="a" title="${v}">`).not.toThrow();
    expect(() => html`<p>${Number.NaN}</p>`).toThrow(/non-finite/);
  });

  it('JSON for a script block cannot close the element and parses back to the same value (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), markupString(40), (v, s) => {
        const value = { v, s, tricky: `</script><!--${s}\u2028\u2029` };
        const text = jsonForScript(value);
        expect(text).not.toMatch(/[<>\u2028\u2029]/);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
  });

  it('only absolute http(s) URLs without credentials can become link targets', () => {
    expect(safeHttpUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeHttpUrl(' JaVaScRiPt:alert(1)')).toBeUndefined();
    expect(safeHttpUrl('data:text/html,<script>')).toBeUndefined();
    expect(safeHttpUrl('https://user:pw@example.com/')).toBeUndefined();
    expect(safeHttpUrl('/relative')).toBeUndefined();
    expect(safeHttpUrl('https://example.com/a?b="c"')?.value).toBe('https://example.com/a?b=%22c%22');
  });

  it('truncates long text on one line, without splitting a surrogate pair', () => {
    expect(truncate('a\nb', 10)).toBe('a b');
    expect(truncate('x'.repeat(50), 10)).toBe(`${'x'.repeat(10)}…`);
    const cut = truncate(`${'a'.repeat(9)}😀tail`, 10);
    expect(cut).toBe(`${'a'.repeat(9)}…`);
    expect(clip({ a: 1 }, 20)).toBe('{"a":1}');
    expect(escapeText('\u202eevil')).toBe('\\u202eevil');
  });
});

describe('html page: model text is inert', () => {
  it('arbitrary names and descriptions never add markup (property over the whole page)', async () => {
    await fc.assert(
      fc.asyncProperty(markupString(30).filter((s) => s.trim().length > 0), markupString(60), async (name, description) => {
        const page = await renderSmall(`<${name}`, `</script><img src=x onerror=alert(1)>${description}`);
        const markup = markupOnly(page);
        // Every "<" outside the style and script blocks opens one of the reporter's own tags, with
        // only its own, quoted attributes: model text cannot open a tag or an attribute.
        expect(markup.startsWith('<!DOCTYPE html>\n')).toBe(true);
        const body = markup.slice('<!DOCTYPE html>'.length);
        for (let i = body.indexOf('<'); i >= 0; i = body.indexOf('<', i + 1)) {
          OWN_TAG.lastIndex = i;
          const m = OWN_TAG.exec(body);
          expect(m?.index === i, `unexpected markup at ${JSON.stringify(body.slice(i, i + 60))}`).toBe(true);
        }
        const data = /<script type="application\/json" id="mtm-data">([\s\S]*?)<\/script>/.exec(page)?.[1] ?? '';
        expect(data).not.toContain('<');
        expect(() => JSON.parse(data) as unknown).not.toThrow();
      }),
      { numRuns: 8 },
    );
  }, 120_000);

  it('the hostile model renders literally: payloads are shown as escaped text', async () => {
    const { analysis, ctx } = analysed(HOSTILE);
    const page = await htmlReporter.render(analysis, ctx);
    const markup = markupOnly(page);
    expect(markup.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the payload is shown as text').toBe(true);
    expect(markup.includes('<script>alert'), 'live script').toBe(false);
    for (const m of markup.matchAll(/<[A-Za-z][^>]*>/g)) {
      expect(m[0], 'event-handler attribute').not.toMatch(/\son[a-z]+\s*=/i);
      expect(m[0], 'javascript: URL').not.toMatch(/\s(href|src|xlink:href)\s*=\s*["']?\s*javascript:/i);
    }
    expect(/[\u202e\u200b\u2028\u001b]/.test(page), 'raw bidi, zero-width, separator or escape character').toBe(false); // eslint-disable-line no-control-regex
  });

  it('a very long description is truncated in the page', async () => {
    const page = await renderSmall('n', `${'long text '.repeat(400)}END-MARKER`);
    expect(page).not.toContain('END-MARKER');
    expect(page).toContain('…');
  });
});

describe('html page: small and empty systems', () => {
  it('a model with no components, findings or chains still renders every section', async () => {
    const r = loadModelText(JSON.stringify({ version: '1.0', system: { name: 'empty' } }), { file: 'empty.json' });
    if (!r.model) throw new Error('the empty model does not load');
    const { analysis } = analyse(resolveModel(r.model), catalogue, RULES);
    const page = await renderHtml(analysis, catalogue, r.model, {});
    for (const id of ['summary', 'layers', 'graph', 'chains', 'blast', 'heat', 'table', 'plan']) expect(page).toContain(`<section id="${id}"`);
    expect(page).toContain('No attack path from an entry point reaches a crown jewel');
    expect(page).toContain('nothing modelled on this layer');
  });
});

describe('html page: Content-Security-Policy', () => {
  it('allows exactly the inline style and script blocks of the page, by hash, and nothing else', async () => {
    const { analysis, ctx } = analysed(`examples/${EXAMPLES[0] ?? ''}`);
    const page = await htmlReporter.render(analysis, ctx);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(page)?.[1];
    expect(csp).toBeDefined();
    const policy = csp ?? '';
    expect(policy).toMatch(/^default-src 'none';/);
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    const styles = [...page.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1] ?? '');
    const scripts = [...page.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
    expect(styles).toHaveLength(1);
    expect(scripts).toHaveLength(1);
    const hash = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
    expect(policy).toContain(`style-src ${hash(styles[0] ?? '')}`);
    expect(policy).toContain(`script-src ${hash(scripts[0] ?? '')}`);
    // Every other script element is a data block; no inline style attribute exists for the policy to block.
    const scriptTags = [...page.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scriptTags.filter((t) => t !== '<script>')).toEqual(['<script type="application/json" id="mtm-data">']);
    expect(markupOnly(page)).not.toMatch(/\sstyle\s*=/i);
    // The policy comes before anything it governs.
    expect(page.indexOf('Content-Security-Policy')).toBeLessThan(page.indexOf('<style>'));
    // And no reference to anything outside the file.
    expect(markupOnly(page)).not.toMatch(/\s(src|href)\s*=\s*["'](?!#)/i);
  });

  it('a changed block gets a different hash (the policy tracks the text)', () => {
    expect(contentSecurityPolicy('a', 'b')).not.toBe(contentSecurityPolicy('a', 'c'));
    expect(contentSecurityPolicy('a', 'b')).not.toBe(contentSecurityPolicy('x', 'b'));
  });
});

describe('html page: system graph clustering', () => {
  it('draws every element of a small system, with boundaries as frames', () => {
    const { ctx } = analysed('examples/expense-reimbursement.yaml');
    const g = resolveModel(ctx.model).graph;
    const c = clusterGraph(g);
    expect(c.level).toBe('elements');
    expect(c.nodes.length).toBe(c.visible);
    expect(c.nodes.every((n) => n.count === 1)).toBe(true);
    expect(c.frames.length).toBeGreaterThan(0);
  });

  it('groups above the threshold, keeping chain elements single', () => {
    const { analysis, ctx } = analysed('examples/expense-reimbursement.yaml');
    const g = resolveModel(ctx.model).graph;
    const keep = [analysis.crossLayer.chains[0]?.source.id ?? ''];
    const c = clusterGraph(g, { threshold: 5, budget: 20, keep });
    expect(c.level).not.toBe('elements');
    expect(c.nodes.length).toBeLessThan(c.visible);
    expect(c.nodes.some((n) => n.count > 1)).toBe(true);
    expect(c.nodes.find((n) => n.label === keep[0])?.count).toBe(1);
    // Every drawn element is in exactly one node.
    const total = c.nodes.reduce((s, n) => s + n.count, 0);
    expect(total).toBe(c.visible);
  });

  it('a 1,000-agent system reaches ELK as a bounded graph, hubs single, and lays out in seconds', async () => {
    const model = generateSystem({ agents: 1000, topology: 'hub' });
    const g = resolveModel(model).graph;
    const c = clusterGraph(g);
    expect(c.visible).toBeGreaterThan(1000);
    expect(c.level).not.toBe('elements');
    expect(c.nodes.length).toBeLessThanOrEqual(80);
    expect(c.edges.length).toBeLessThanOrEqual(150);
    // The hub topology's shared model and server are used by every agent: they stay single, with their link count.
    const hubs = c.nodes.filter((n) => n.hub);
    expect(hubs.length).toBeGreaterThan(0);
    expect(hubs.every((n) => n.count === 1 && n.links >= 20)).toBe(true);
    expect(c.edges.some((e) => e.count > 1)).toBe(true);
    const t0 = performance.now();
    const laid = await layoutGraph(c);
    expect(performance.now() - t0).toBeLessThan(30_000);
    expect(laid.nodes.size).toBe(c.nodes.length);
  }, 120_000);
});

describe('html page: determinism', () => {
  it.each(EXAMPLES.slice(0, 2))('%s renders to identical bytes twice, with no ELK bookkeeping or dates', async (file) => {
    const { analysis, ctx } = analysed(`examples/${file}`);
    const a = await htmlReporter.render(analysis, ctx);
    const b = await htmlReporter.render(analysis, ctx);
    expect(b === a).toBe(true);
    expect(a).not.toContain('$H');
    expect(a).not.toMatch(/\b20\d\d-\d\d-\d\dT/);
    // Coordinates are whole numbers.
    expect(a).not.toMatch(/\s(x|y|width|height)="-?\d+\.\d+"/);
  });

  it('is registered as --format html with a .html extension', () => {
    expect(reporterById('html')).toBe(htmlReporter);
    expect(htmlReporter.extension).toBe('.html');
  });
});
