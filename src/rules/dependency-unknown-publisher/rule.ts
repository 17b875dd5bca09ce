import { defineRule, type Evidence } from '../../engine/types.js';
import { elements, has, lacks } from '../_helpers/index.js';
import { ARTEFACT_DEPENDENCY_TYPES, fromMarketplaceUnverified, publisherOf } from '../_helpers/ecosystem.js';

export default defineRule({
  meta: {
    id: 'dependency-unknown-publisher',
    title: 'Plugin or package from an unknown or unverified community publisher',
    threats: ['ECO-unknown-publisher', 'X-supply-chain-attacks'],
    appliesTo: ['dependency'],
    severity: 'medium',
    message: 'dependency {dependency} comes from {who}',
    placeholders: ['dependency', 'who'],
    defences: ['dependency-verification', 'pinned-signed-tools'],
    detectionLogic:
      'For plugins and other artefact dependencies (plugin, framework, library, other) and model hubs: flag publisher trust unknown, and publisher trust community without verified true. A plugin with no publisher at all is flagged as well (nobody is known to stand behind code that runs in the agent). Artefacts from a marketplace are left to dependency-marketplace-unverified-publisher.',
    falsePositives:
      'Well-known community projects may be trustworthy without a verified namespace; record the review that established it as a dependency-verification control.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const d of elements(m, 'dependency')) {
      const type = String(d.spec['type']);
      if (!ARTEFACT_DEPENDENCY_TYPES.includes(type) && type !== 'model-hub') continue;
      if (fromMarketplaceUnverified(m, d.i) !== undefined) continue;
      const pub = publisherOf(d.spec);
      let evidence: Evidence | undefined;
      let who = '';
      if (pub === undefined) {
        if (type !== 'plugin') continue;
        evidence = lacks(m, d.i, ['publisher'], 'nobody is declared to stand behind this plugin');
        who = 'an undeclared publisher';
      } else if (pub.trust === 'unknown') {
        evidence = has(m, d.i, ['publisher', 'trust'], 'unknown');
        who = `an unknown publisher${pub.name === undefined ? '' : ` (${pub.name})`}`;
      } else if (pub.trust === 'community' && pub.verified !== true) {
        evidence = has(m, d.i, ['publisher', 'trust'], 'community', pub.verified === false ? 'publisher not verified' : 'verification not declared');
        who = `an unverified community publisher${pub.name === undefined ? '' : ` (${pub.name})`}`;
      }
      if (evidence === undefined) continue;
      ctx.report({ at: d.i, evidence: [evidence], data: { dependency: d.id, who } });
    }
  },
});
