import { defineRule } from '../../engine/types.js';
import { elements, lacks } from '../_helpers/index.js';
import { isRecord } from '../../model/references.js';
import { capEvidence, holdingEvidence, holdings, idList, isBlocking } from '../_helpers/agents.js';

/** On-chain transfers are judged by wallet-transfer-without-limit. */
const PAYMENT = ['payment'] as const;

export default defineRule({
  meta: {
    id: 'agent-spends-without-limit',
    title: 'Agent can make payments with no spend limit',
    threats: ['MAS-T32', 'T4', 'T2', 'BV-6'],
    appliesTo: ['agent'],
    severity: 'high',
    message: 'agent {agent} can make {effects} through {tools} and declares no maximum spend',
    placeholders: ['agent', 'effects', 'tools'],
    defences: ['transaction-limits', 'rate-and-budget-limits'],
    detectionLogic:
      'For each agent holding the payment side effect through a tool grant (on-chain transfers are left to wallet-transfer-without-limit), report it when budgets.maxSpend is not declared, unless every such call waits for a human: the grant names an approver, the autonomy is none, assistive or supervised, or the approvals entry covering it has mode before and no threshold. A threshold approval, or a review after the fact or on a sample, leaves every payment below it unchecked, so a loop or an injected instruction can repeat small payments without end.',
    falsePositives:
      'A limit enforced by the payment provider (a card limit, an ERP payment profile) is not seen unless declared: add a transaction-limits control on the tool or the agent.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const a of elements(m, 'agent')) {
      const b = a.spec['budgets'];
      if (isRecord(b) && typeof b['maxSpend'] === 'number') continue;
      // Every call is checked by a human only with a grant approver, a human-driven autonomy level,
      // or an approvals entry with mode before and no threshold.
      const holdingsOf = holdings(m, a.i, PAYMENT).filter((h) => h.gate === undefined || !isThresholdFree(a.spec, h.gate.evidence.pointer));
      if (holdingsOf.length === 0) continue;
      const tools = [...new Set(holdingsOf.map((h) => h.grant.tool))];
      ctx.report({
        at: a.i,
        also: tools,
        evidence: capEvidence(m, a.i, [
          ...holdingsOf.flatMap((h) => [
            ...holdingEvidence(m, a.i, h),
            ...(h.gate !== undefined && isBlocking(h.gate) ? [{ ...h.gate.evidence, note: 'approval only above a threshold: calls below it go out unchecked' }] : []),
          ]),
          lacks(m, a.i, ['budgets', 'maxSpend']),
        ]),
        data: { agent: a.id, effects: [...new Set(holdingsOf.map((h) => h.effect))].sort().join(', '), tools: idList(m, tools) },
      });
    }
  },
});

/** Does the gate stop every call? Gates that are not approvals entries (grant approver, autonomy) do. */
function isThresholdFree(spec: Readonly<Record<string, unknown>>, pointer: string): boolean {
  const match = /\/approvals\/(\d+)\//.exec(pointer);
  if (!match) return true;
  const list = spec['approvals'];
  const entry: unknown = Array.isArray(list) ? list[Number(match[1])] : undefined;
  return isRecord(entry) && entry['threshold'] === undefined && (entry['mode'] === undefined || entry['mode'] === 'before');
}
