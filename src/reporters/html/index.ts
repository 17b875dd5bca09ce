/** The self-contained HTML report (docs/reports-html.md). */
import type { Reporter } from '../index.js';
import { renderHtml } from './page.js';

export { renderHtml, contentSecurityPolicy, sha256Base64, type HtmlOptions } from './page.js';
export { html, raw, escapeText, jsonForScript, type SafeHtml } from './escape.js';

export const htmlReporter: Reporter = {
  id: 'html',
  extension: '.html',
  description: 'one self-contained HTML page: diagrams, attack chains, heat map, a findings table that filters and sorts',
  render: (a, ctx) => renderHtml(a, ctx.catalogue, ctx.model, { modelPath: ctx.modelPath, toolVersion: ctx.toolVersion }),
};
