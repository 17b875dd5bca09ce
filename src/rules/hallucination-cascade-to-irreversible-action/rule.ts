import { defineRule, type Evidence } from '../../engine/types.js';
import { channelsInto, elements, has, into, lacks, out } from '../_helpers/index.js';
import { grantEvidence, idOf, irreversibleGrants, isExternalAgent, listEntry, nameList } from '../_helpers/models-data-observability.js';

export default defineRule({
  meta: {
    id: 'hallucination-cascade-to-irreversible-action',
    title: "Another agent's model output becomes irreversible actions with no checkpoint",
    threats: ['T5', 'X-cascading-trust-failures'],
    appliesTo: ['agent'],
    layer: 'L1',
    severity: 'high',
    message: 'output of agent(s) {upstream} flows into agent {agent}, which acts irreversibly through {tool} with no approval step',
    placeholders: ['upstream', 'agent', 'tool'],
    defences: ['output-validation', 'output-grounding', 'human-approval', 'circuit-breaker'],
    detectionLogic:
      'For each agent we run that holds a tool grant with an irreversible side effect (payment, blockchain transaction, delete, code execution, sending messages, system configuration), without a per-call approver on that grant and with no approvals declared on the agent: list the agents whose output reaches it (they delegate to it, it accepts tasks from them, or a channel runs from them to it). A hallucinated fact in the upstream output is taken as a task and executed; nothing between the two models checks it.',
    falsePositives:
      'The receiving agent may validate each task against a schema or a system of record before acting; declare that as an output-validation control. Approvals declared with thresholds are taken as a checkpoint even when they cover only part of the actions.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const b of elements(m, 'agent')) {
      if (isExternalAgent(m, b.i)) continue;
      const approvals = b.spec['approvals'];
      if (Array.isArray(approvals) && approvals.length > 0) continue;
      const risky = irreversibleGrants(m, b.i).filter((g) => g.approver === undefined);
      const g0 = risky[0];
      if (g0 === undefined) continue;
      const ups = new Map<number, Evidence>();
      for (const a of into(m, b.i, 'delegates')) if (!ups.has(a)) ups.set(a, listEntry(m, a, ['delegatesTo'], b.id, 'hands tasks to the agent'));
      for (const a of out(m, b.i, 'accepts-from')) if (!ups.has(a)) ups.set(a, listEntry(m, b.i, ['acceptsFrom'], idOf(m, a), 'takes tasks from this agent'));
      for (const c of channelsInto(m, b.i)) {
        if (m.kindOf(c.from) !== 'agent' || ups.has(c.from) || c.channel < 0) continue;
        ups.set(c.from, has(m, c.channel, ['from'], idOf(m, c.from), 'sends to the agent'));
      }
      if (ups.size === 0) continue;
      const upIds = [...ups.keys()];
      ctx.report({
        at: b.i,
        also: [...upIds, ...risky.map((g) => g.tool)],
        evidence: [...ups.values(), grantEvidence(m, b.i, g0), lacks(m, b.i, ['approvals'], 'no approval step declared')],
        data: { upstream: nameList(upIds.map((u) => idOf(m, u))), agent: b.id, tool: idOf(m, g0.tool) },
      });
    }
  },
});
