import { defineRule, type Evidence } from '../../engine/types.js';
import { elements, get, has, lacks } from '../_helpers/index.js';
import { ARTEFACT_DEPENDENCY_TYPES, packageOf, publisherOf } from '../_helpers/ecosystem.js';

export default defineRule({
  meta: {
    id: 'dependency-unsigned',
    title: 'Plugin or package installed without a verified signature',
    threats: ['ECO-unsigned-artifact', 'X-supply-chain-attacks', 'ASI-T17'],
    appliesTo: ['dependency'],
    severity: 'medium',
    message: 'dependency {dependency} ({type}) is installed without a verified signature: {why}',
    placeholders: ['dependency', 'type', 'why'],
    defences: ['pinned-signed-tools', 'dependency-verification'],
    detectionLogic:
      'Plugins run inside the agent runtime, so every plugin dependency not published by the first party is flagged unless signature.verified is true. For frameworks, libraries and other artefacts, only an explicit signature.signed false or signature.verified false is flagged (most package ecosystems do not sign, so silence is not singled out). Container images are left to dependency-container-image-unpinned.',
    falsePositives:
      'Some plugin ecosystems offer no signing; then pinning plus a reviewed lock hash is the practical substitute, recorded as a dependency-verification control.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const d of elements(m, 'dependency')) {
      const type = String(d.spec['type']);
      if (!ARTEFACT_DEPENDENCY_TYPES.includes(type) || packageOf(d.spec)?.registry === 'docker') continue;
      const signed = get(d.spec, ['signature', 'signed']);
      const verified = get(d.spec, ['signature', 'verified']);
      if (verified === true) continue;
      let evidence: Evidence | undefined;
      let why = '';
      if (signed === false) {
        evidence = has(m, d.i, ['signature', 'signed'], false);
        why = 'it is not signed';
      } else if (verified === false) {
        evidence = has(m, d.i, ['signature', 'verified'], false, 'the signature is not checked at install or load');
        why = 'its signature is not checked';
      } else if (type === 'plugin' && publisherOf(d.spec)?.trust !== 'first-party') {
        evidence = lacks(m, d.i, ['signature', 'verified'], 'a third-party plugin with no signature check declared');
        why = 'no signature check is declared';
      }
      if (evidence === undefined) continue;
      ctx.report({ at: d.i, evidence: [evidence], data: { dependency: d.id, type, why } });
    }
  },
});
