import { defineRule } from '../../engine/types.js';
import type { Evidence } from '../../engine/types.js';
import { elements, untrustedInputs } from '../_helpers/index.js';
import { capEvidence, delegationIndex, effectMask, effectsOf, idList, maskEffects } from '../_helpers/agents.js';

export default defineRule({
  meta: {
    id: 'delegation-escalates-privilege',
    title: 'Delegation gives an agent irreversible powers it does not hold itself',
    threats: ['X-excessive-agency-chained-authorization', 'T3'],
    appliesTo: ['agent'],
    severity: 'medium',
    message: 'agent {agent} cannot cause {effects} itself but can have {delegates} do it by delegating',
    placeholders: ['agent', 'effects', 'delegates'],
    defences: ['policy-as-code', 'least-privilege-tool-scopes'],
    detectionLogic:
      'For each agent, compute the irreversible side effects (payment, blockchain-transaction, delete, execute-code, send-message, system-config) held with no human approval before the action by any agent it can reach through delegatesTo, over any number of hops (once per model, through the strongly connected components of the delegation graph). Keep those the agent does not hold through any grant of its own: each is authority it gains by asking, and unless the delegate checks the original requester the chain exceeds what the agent was given. The nearest delegate holding each such effect is named, breadth-first, with the delegation path. The severity is raised to high when the delegating agent is exposed to untrusted content.',
    falsePositives:
      'An orchestrator that hands payment to a dedicated payment agent is a normal design; the finding asks whether the payment agent checks on whose behalf it acts (for example with the end user token or a policy decision). Declare a policy-as-code control when it does.',
  },
  check(ctx) {
    const m = ctx.model;
    const index = delegationIndex(m);
    for (const a of elements(m, 'agent')) {
      const gained = index.downstream(a.i) & ~effectMask(effectsOf(m, a.i));
      if (gained === 0) continue;
      const found = index.nearest(a.i, gained);
      if (found.length === 0) continue;
      const evidence: Evidence[] = found.flatMap((f) => f.evidence);
      const inputs = untrustedInputs(m, a.i);
      evidence.push(...inputs.slice(0, 3).map((x) => x.evidence));
      const delegates = found.map((f) => f.delegate);
      ctx.report({
        at: a.i,
        also: delegates,
        evidence: capEvidence(m, a.i, evidence),
        data: { agent: a.id, effects: maskEffects(gained).join(', '), delegates: idList(m, delegates) },
        ...(inputs.length > 0 ? { severity: 'high' as const } : {}),
      });
    }
  },
});
