import { defineRule } from '../../engine/types.js';
import type { Evidence } from '../../engine/types.js';
import { IRREVERSIBLE, elements } from '../_helpers/index.js';
import { capEvidence, delegationIndex, effectMask, holdings, idList, isBlocking, maskEffects } from '../_helpers/agents.js';

export default defineRule({
  meta: {
    id: 'approval-bypass-via-delegation',
    title: 'An action that needs approval on one agent runs unapproved on the agent it delegates to',
    threats: ['MAS-T19', 'X-excessive-agency-chained-authorization'],
    appliesTo: ['agent'],
    severity: 'high',
    message: 'agent {agent} must get approval for {effects}, but can delegate to {delegates}, which does it without approval',
    placeholders: ['agent', 'effects', 'delegates'],
    defences: ['human-approval', 'policy-as-code'],
    detectionLogic:
      'For each agent, take the irreversible side effects whose every grant is gated by a human before the action (a grant approver, a matching approvals entry with mode before, or none, assistive or supervised autonomy). If an agent it can reach through delegatesTo, over any number of hops, holds one of those side effects with no human approval before the action, the approval step can be skipped by asking the delegate instead. Reachability is computed once per model through the strongly connected components of the delegation graph; the nearest such delegate is named with the delegation path.',
    falsePositives:
      'The two agents may guard different targets with the same side effect (for example sending internal chat messages versus emailing customers); narrow the grants or side effects in the model to show the difference.',
  },
  check(ctx) {
    const m = ctx.model;
    const index = delegationIndex(m);
    for (const a of elements(m, 'agent')) {
      const below = index.downstream(a.i);
      if (below === 0) continue;
      const own = holdings(m, a.i, IRREVERSIBLE);
      let gated = effectMask(own.map((h) => h.effect));
      for (const h of own) if (h.gate === undefined || !isBlocking(h.gate)) gated &= ~effectMask([h.effect]);
      const bypassed = gated & below;
      if (bypassed === 0) continue;
      const found = index.nearest(a.i, bypassed);
      if (found.length === 0) continue;
      const evidence: Evidence[] = [];
      for (const h of own) if (h.gate !== undefined && (effectMask([h.effect]) & bypassed) !== 0) evidence.push({ ...h.gate.evidence, note: `${h.effect} needs approval here` });
      evidence.push(...found.flatMap((f) => f.evidence));
      const delegates = found.map((f) => f.delegate);
      ctx.report({
        at: a.i,
        also: delegates,
        evidence: capEvidence(m, a.i, evidence),
        data: { agent: a.id, effects: maskEffects(bypassed).join(', '), delegates: idList(m, delegates) },
      });
    }
  },
});
