/**
 * The Mermaid report's diagrams are valid Mermaid: every ```mermaid block of every bundled example,
 * of the hostile-text model and of the line-break fixture is parsed by mermaid@11 itself (its
 * self-contained bundle, loaded into headless Chromium because Mermaid needs a DOM). The hostile
 * model's diagrams are also rendered to SVG, which must hold no element or attribute from model text.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPORTERS } from '../../src/reporters/index.js';
import { EXAMPLES, HOSTILE, ROOT, analysed } from '../reporters/_support.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const MERMAID = `${ROOT}node_modules/mermaid/dist/mermaid.min.js`;
const FILES = [...EXAMPLES.map((e) => `examples/${e}`), HOSTILE, 'test/security/fixtures/lone-cr.yaml'];

/** The part of the mermaid global the page callbacks use (the tsconfig has no DOM library). */
interface MermaidGlobal {
  mermaid: {
    initialize(config: Record<string, unknown>): void;
    parse(text: string): Promise<unknown>;
    render(id: string, text: string): Promise<{ svg: string }>;
  };
}

let browser: Browser | undefined;
let page: Page | undefined;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH). The browser tests never skip.`);
  if (!existsSync(MERMAID)) throw new Error(`${MERMAID} is missing: run npm install (mermaid is a dev dependency)`);
  browser = await chromium.launch({ executablePath: CHROMIUM });
  page = await browser.newPage();
  await page.setContent('<!DOCTYPE html><html><body><div id="out"></div></body></html>');
  await page.addScriptTag({ path: MERMAID });
  await page.evaluate(() => {
    (globalThis as unknown as MermaidGlobal).mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** Mermaid's verdict on one diagram: 'ok' or its error message. */
async function parse(text: string): Promise<string> {
  if (!page) throw new Error('the browser did not start');
  return page.evaluate(async (src) => {
    try {
      await (globalThis as unknown as MermaidGlobal).mermaid.parse(src);
      return 'ok';
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }, text);
}

async function blocksOf(file: string): Promise<string[]> {
  const reporter = REPORTERS.find((r) => r.id === 'mermaid');
  if (!reporter) throw new Error('no mermaid reporter');
  const { analysis, ctx } = analysed(file);
  const text = await reporter.render(analysis, ctx);
  return [...text.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1] ?? '');
}

describe('Mermaid report: mermaid@11 parses every diagram', () => {
  it('the parser in the page rejects a broken diagram (the check can fail)', async () => {
    expect(await parse('flowchart LR\n  n0["a"] -->|"x| n1')).not.toBe('ok');
    expect(await parse('flowchart LR\n  n0["a"] --> n1["b"]')).toBe('ok');
  });

  it.each(FILES)('%s', async (file) => {
    const blocks = await blocksOf(file);
    expect(blocks.length).toBeGreaterThan(0);
    for (const [i, block] of blocks.entries()) expect(await parse(block), `block ${i} of ${file}:\n${block}`).toBe('ok');
  }, 60_000);

  it('the hostile model renders to SVG where model text is only text: no element or attribute from it', async () => {
    if (!page) throw new Error('the browser did not start');
    const blocks = await blocksOf(HOSTILE);
    let carried = false;
    for (const [i, block] of blocks.entries()) {
      // Rendered and then read back as a document in the page: tags, attribute names and values, text.
      const seen = await page.evaluate(
        async ([src, id]) => {
          const g = globalThis as unknown as MermaidGlobal & { DOMParser: new () => { parseFromString(t: string, type: string): DocLike } };
          interface ElLike {
            readonly localName: string;
            readonly attributes: ArrayLike<{ readonly name: string; readonly value: string }>;
          }
          interface DocLike {
            querySelectorAll(sel: string): ArrayLike<ElLike>;
            readonly documentElement: { readonly textContent: string | null };
          }
          const { svg } = await g.mermaid.render(id, src);
          const doc = new g.DOMParser().parseFromString(svg, 'image/svg+xml');
          const tags = new Set<string>();
          const attrs: string[] = [];
          const all = doc.querySelectorAll('*');
          for (let k = 0; k < all.length; k++) {
            const el = all[k];
            if (!el) continue;
            tags.add(el.localName.toLowerCase());
            for (let a = 0; a < el.attributes.length; a++) {
              const at = el.attributes[a];
              if (at) attrs.push(`${at.name}=${at.value}`);
            }
          }
          return { tags: [...tags].sort(), attrs, text: doc.documentElement.textContent ?? '' };
        },
        [block, `m${i}`] as const,
      );
      expect(seen.tags).toContain('svg');
      for (const t of ['script', 'img', 'iframe', 'a', 'object', 'embed', 'image', 'animate', 'set', 'form', 'input']) expect(seen.tags, `<${t}> in diagram ${i}`).not.toContain(t);
      for (const a of seen.attrs) {
        expect(a, `event handler in diagram ${i}`).not.toMatch(/^on/i);
        expect(a, `script URL in diagram ${i}`).not.toMatch(/javascript:/i);
      }
      if (seen.text.includes('<script>alert(1)</script>')) carried = true;
    }
    // The hostile text did reach the diagrams, as text.
    expect(carried).toBe(true);
  }, 60_000);
});
