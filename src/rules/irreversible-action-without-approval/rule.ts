import { defineRule } from '../../engine/types.js';
import { IRREVERSIBLE, elements, lacks } from '../_helpers/index.js';
import { capEvidence, holdingEvidence, idList, MONEY, ungated } from '../_helpers/agents.js';

export default defineRule({
  meta: {
    id: 'irreversible-action-without-approval',
    title: 'Agent can take an irreversible action with no human approval before it',
    threats: ['T2', 'X-confused-deputy-excessive-agency', 'L7-agent-tool-misuse'],
    appliesTo: ['agent'],
    severity: 'high',
    message: 'agent {agent} can cause {effects} through {tools} with no human approving the action before it happens',
    placeholders: ['agent', 'effects', 'tools'],
    defences: ['human-approval', 'risk-based-escalation', 'transaction-limits', 'action-selector', 'policy-as-code'],
    detectionLogic:
      'For each agent, take the side effects it holds through its tool grants that cannot be undone (payment, blockchain-transaction, delete, execute-code, send-message, system-config). A side effect counts as gated when the agent autonomy is none, assistive or supervised, when the grant names an approver, or when an approvals entry covers it before the action: an entry whose action text names the tool (id, display name or MCP tool name) covers that tool only; otherwise an entry whose action names the side effect in words (for example payment, refund, delete, send, email) or says all covers the effect on every grant. Entries with mode after or sampled do not count, since they cannot stop the action. Any irreversible side effect left without a gate is reported; payment and blockchain-transaction raise the severity to critical.',
    falsePositives:
      'Approval matching reads free text: an approval phrased in words the rule does not know (for example "book travel" for a payment) is missed; add the side effect name to the action. An approval limited by a threshold counts as covering the effect, so small payments below it are not reported here. Actions that are reversible in practice (a soft delete, a draft message) are still reported when declared with an irreversible side effect.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const a of elements(m, 'agent')) {
      const open = ungated(m, a.i, IRREVERSIBLE, true);
      if (open.length === 0) continue;
      const evidence = open.flatMap((h) => holdingEvidence(m, a.i, h));
      if (!Array.isArray(a.spec['approvals'])) evidence.push(lacks(m, a.i, ['approvals'], 'no approval points declared'));
      const effects = [...new Set(open.map((h) => h.effect))].sort();
      const tools = [...new Set(open.map((h) => h.grant.tool))];
      ctx.report({
        at: a.i,
        also: tools,
        evidence: capEvidence(m, a.i, evidence),
        data: { agent: a.id, effects: effects.join(', '), tools: idList(m, tools) },
        ...(effects.some((e) => MONEY.includes(e)) ? { severity: 'critical' as const } : {}),
      });
    }
  },
});
