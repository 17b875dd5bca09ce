import { defineRule, type Evidence } from '../../engine/types.js';
import { has, lacks } from '../_helpers/index.js';
import { fromMarketplaceUnverified, publisherOf, usageEvidence } from '../_helpers/ecosystem.js';

export default defineRule({
  meta: {
    id: 'dependency-marketplace-unverified-publisher',
    title: 'Plugin, tool or MCP server installed from a marketplace without a verified publisher',
    threats: ['ECO-marketplace-typosquatting', 'L7-marketplace-manipulation', 'ECO-unknown-publisher'],
    appliesTo: ['dependency', 'tool', 'mcp-server'],
    severity: 'medium',
    message: '{element} comes from the marketplace {market} but its publisher {publisher} is not verified',
    placeholders: ['element', 'market', 'publisher'],
    defences: ['dependency-verification'],
    detectionLogic:
      'For plugins and other artefact dependencies, tools and MCP servers that come from a marketplace (they depend on a dependency of type marketplace, or their package registry is marketplace): flag them unless the publisher is verified or first-party. Marketplace listings are where look-alike names and fake ratings are used to get a malicious artefact installed.',
    falsePositives:
      'A marketplace that itself vets every publisher makes this lower risk; declare publisher.verified on the artefact when that check was done.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const kind of ['dependency', 'tool', 'mcp-server'] as const) {
      for (const i of m.ofKind(kind)) {
        const market = fromMarketplaceUnverified(m, i);
        if (market === undefined) continue;
        const spec = m.graph.specs[i] ?? {};
        const pub = publisherOf(spec);
        const evidence: Evidence[] = [];
        if (market >= 0) {
          evidence.push(usageEvidence(m, i, market, 'installed from this marketplace'));
        } else evidence.push(has(m, i, ['package', 'registry'], 'marketplace'));
        evidence.push(pub?.verified === false ? has(m, i, ['publisher', 'verified'], false) : lacks(m, i, ['publisher', 'verified'], 'publisher identity not verified'));
        ctx.report({
          at: i,
          ...(market >= 0 ? { also: [market] } : {}),
          evidence,
          data: { element: m.graph.ids[i] ?? '', market: market >= 0 ? (m.graph.ids[market] ?? '') : 'registry', publisher: pub?.name ?? '(unnamed)' },
        });
      }
    }
  },
});
