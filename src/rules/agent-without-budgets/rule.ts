import { defineRule } from '../../engine/types.js';
import { elements, has, lacks } from '../_helpers/index.js';
import { isRecord } from '../../model/references.js';
import { capEvidence, isAutonomous } from '../_helpers/agents.js';

const LIMITS = ['maxIterations', 'maxToolCalls', 'timeoutSeconds', 'rateLimitPerMinute'];

export default defineRule({
  meta: {
    id: 'agent-without-budgets',
    title: 'Autonomous agent with no limit on iterations, tool calls or time',
    threats: ['T4', 'MAS-T32', 'L3-denial-of-service-on-framework-apis', 'BV-6'],
    appliesTo: ['agent'],
    severity: 'medium',
    message: 'agent {agent} acts with {autonomy} autonomy and declares no limit on iterations, tool calls, time or call rate',
    placeholders: ['agent', 'autonomy'],
    defences: ['rate-and-budget-limits', 'circuit-breaker', 'kill-switch'],
    detectionLogic:
      'For each agent whose declared autonomy is conditional or full, look at budgets: maxIterations, maxToolCalls, timeoutSeconds and rateLimitPerMinute. When none of them is declared, nothing bounds a loop, a retry storm or an attacker who keeps the agent busy, so report the agent. A spend limit alone does not count here (see agent-spends-without-limit).',
    falsePositives:
      'Frameworks often apply a default recursion or step limit that the model does not mention; declare it in budgets so the model states it.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const a of elements(m, 'agent')) {
      if (!isAutonomous(a.spec)) continue;
      const b = a.spec['budgets'];
      if (isRecord(b) && LIMITS.some((k) => typeof b[k] === 'number')) continue;
      ctx.report({
        at: a.i,
        evidence: capEvidence(m, a.i, [has(m, a.i, ['autonomy'], a.spec['autonomy']), isRecord(b) ? has(m, a.i, ['budgets'], b, 'no iteration, tool-call, time or rate limit') : lacks(m, a.i, ['budgets'])]),
        data: { agent: a.id, autonomy: String(a.spec['autonomy']) },
      });
    }
  },
});
