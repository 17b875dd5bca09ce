import { defineRule } from '../../engine/types.js';
import { elements, grants, lacks, out } from '../_helpers/index.js';
import { grantEvidence, idOf, isExternalAgent } from '../_helpers/models-data-observability.js';

export default defineRule({
  meta: {
    id: 'model-output-drives-onchain-transactions',
    title: 'Model output turned into blockchain transactions without a per-call check',
    threats: ['MAS-T26', 'MAS-T16'],
    appliesTo: ['tool', 'mcp-server'],
    layer: 'L1',
    severity: 'high',
    message: 'agent {agent} builds blockchain transactions through {tool} from model output, with no human approving each call',
    placeholders: ['agent', 'tool'],
    defences: ['output-validation', 'transaction-limits', 'action-selector', 'human-approval'],
    detectionLogic:
      'For each agent we run (origin not external), look at every tool grant whose effective side effects include blockchain-transaction and that names no per-call approver. A language model gives different answers to the same input, so an agent that composes transactions from that output can send wrong, duplicated or contradictory transactions that cannot be reversed. The finding sits on the tool, with the agent and its models involved, so a control on any of them counts.',
    falsePositives:
      'Agents that only pick from a fixed list of pre-built transactions, or whose wallet enforces a policy module (limits, allow-listed contracts), carry much less risk; declare that as a control with one of the listed patterns.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const a of elements(m, 'agent')) {
      if (isExternalAgent(m, a.i)) continue;
      const models = out(m, a.i, 'uses-model');
      for (const g of grants(m, a.i)) {
        if (!g.sideEffects.includes('blockchain-transaction') || g.approver !== undefined) continue;
        ctx.report({
          at: g.tool,
          also: [a.i, ...models],
          evidence: [grantEvidence(m, a.i, g, 'grant carries blockchain-transaction'), lacks(m, a.i, ['tools', g.index, 'approval'], 'no per-call approver')],
          data: { agent: a.id, tool: idOf(m, g.tool) },
        });
      }
    }
  },
});
