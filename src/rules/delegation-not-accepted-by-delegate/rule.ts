import { defineRule } from '../../engine/types.js';
import type { Evidence } from '../../engine/types.js';
import { elements, has, out, positionIn, strings } from '../_helpers/index.js';
import { capEvidence, idList, indexIn } from '../_helpers/agents.js';

export default defineRule({
  meta: {
    id: 'delegation-not-accepted-by-delegate',
    title: 'Agent delegates to an agent whose acceptsFrom list leaves it out',
    threats: ['MAS-T21', 'MAS-T19'],
    appliesTo: ['agent'],
    severity: 'low',
    message: 'agent {agent} delegates to {delegates}, whose acceptsFrom lists do not include it',
    placeholders: ['agent', 'delegates'],
    defences: ['policy-as-code'],
    detectionLogic:
      'For each delegatesTo edge from agent A to agent B where B declares acceptsFrom and the list does not name A, report A. The two agents disagree about the workflow: either B refuses the task and the step silently fails or is skipped while A believes it was done, or B does not enforce its list and the list gives false assurance. Either way the shared view of the workflow is inconsistent.',
    falsePositives:
      'The delegation may be dead configuration that is never used at run time; remove it from the model. A delegate that accepts the sender through a group or role not expressed in acceptsFrom is reported too.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const a of elements(m, 'agent')) {
      const evidence: Evidence[] = [];
      const refused: number[] = [];
      for (const b of out(m, a.i, 'delegates')) {
        const spec = m.graph.specs[b] ?? {};
        if (!Array.isArray(spec['acceptsFrom'])) continue;
        if (positionIn(m, spec['acceptsFrom'], a.id) >= 0) continue;
        const list = strings(spec['acceptsFrom']);
        const bid = m.graph.ids[b] ?? '';
        const k = indexIn(a.spec, 'delegatesTo', bid, m);
        refused.push(b);
        evidence.push(has(m, a.i, k >= 0 ? ['delegatesTo', k] : ['delegatesTo'], bid, 'delegates to'), has(m, b, ['acceptsFrom'], list, `does not list ${a.id}`));
      }
      if (refused.length === 0) continue;
      ctx.report({ at: a.i, also: refused, evidence: capEvidence(m, a.i, evidence), data: { agent: a.id, delegates: idList(m, refused) } });
    }
  },
});
