import { defineRule, type Evidence } from '../../engine/types.js';
import { get, grants, has, lacks, elements } from '../_helpers/index.js';

export default defineRule({
  meta: {
    id: 'wallet-transfer-without-limit',
    title: 'Agent can sign blockchain transactions with no spend limit and no approval threshold',
    threats: ['MAS-T34', 'T2'],
    appliesTo: ['agent'],
    severity: 'high',
    message: 'agent {agent} can make blockchain transactions through {tool} with no spend limit and no approval threshold',
    placeholders: ['agent', 'tool'],
    defences: ['transaction-limits', 'human-approval'],
    detectionLogic:
      'For each agent granted a tool or MCP server whose side effects include blockchain-transaction: flag it when the grant names no approver, the agent declares no budgets.maxSpend, and none of its approvals sets a threshold. One finding per agent, naming the first such grant; every such grant is listed as evidence.',
    falsePositives:
      'Limits may be enforced by the wallet or the smart contract itself (a spending cap, a multi-signature policy); declare that as a transaction-limits control on the tool.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const a of elements(m, 'agent')) {
      const chain = grants(m, a.i).filter((g) => g.sideEffects.includes('blockchain-transaction') && g.approver === undefined);
      const first = chain[0];
      if (!first) continue;
      if (typeof get(a.spec, ['budgets', 'maxSpend']) === 'number') continue;
      const approvals = a.spec['approvals'];
      if (Array.isArray(approvals) && approvals.some((x) => typeof get(x as Record<string, unknown>, ['threshold']) === 'number')) continue;
      const evidence: Evidence[] = chain.map((g) => has(m, a.i, ['tools', g.index], m.graph.ids[g.tool], 'can sign blockchain transactions, no approver on the grant'));
      evidence.push(lacks(m, a.i, ['budgets', 'maxSpend']));
      ctx.report({ at: a.i, also: chain.map((g) => g.tool), evidence, data: { agent: a.id, tool: m.graph.ids[first.tool] ?? '' } });
    }
  },
});
