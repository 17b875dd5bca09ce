import { defineRule } from '../../engine/types.js';
import { IRREVERSIBLE, elements, has, lacks, observedBy } from '../_helpers/index.js';
import { capEvidence, holdingEvidence, isAutonomous, ungated } from '../_helpers/agents.js';

const WATCHERS = ['anomaly-detection', 'alerting', 'inter-agent-monitoring'];

export default defineRule({
  meta: {
    id: 'autonomous-irreversible-agent-without-oversight',
    title: 'Autonomous agent with irreversible tools that nothing watches or can stop',
    threats: ['MAS-T32', 'T13', 'T6'],
    appliesTo: ['agent'],
    severity: 'high',
    message: 'agent {agent} acts with {autonomy} autonomy and can cause {effects} alone, and no anomaly detection, alerting or monitoring covers it',
    placeholders: ['agent', 'autonomy', 'effects'],
    defences: ['kill-switch', 'anomaly-detection', 'circuit-breaker'],
    detectionLogic:
      'For each agent whose declared autonomy is conditional or full, take the irreversible side effects (payment, blockchain-transaction, delete, execute-code, send-message, system-config) it holds with no human approval before the action. If there is at least one, and no observability element of type anomaly-detection, alerting or inter-agent-monitoring covers the agent, a runaway or hijacked agent would act until someone happens to notice: report it.',
    falsePositives:
      'Monitoring that exists but is not declared in the model (for example a provider-side spend alert) is not seen; declare it under observability or as a control. Plain logs and traces do not count, because nobody is alerted by them.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const a of elements(m, 'agent')) {
      if (!isAutonomous(a.spec)) continue;
      const open = ungated(m, a.i, IRREVERSIBLE, true);
      if (open.length === 0) continue;
      if (observedBy(m, a.i, WATCHERS).length > 0) continue;
      const effects = [...new Set(open.map((h) => h.effect))].sort();
      ctx.report({
        at: a.i,
        also: [...new Set(open.map((h) => h.grant.tool))],
        evidence: capEvidence(m, a.i, [
          has(m, a.i, ['autonomy'], a.spec['autonomy']),
          ...open.flatMap((h) => holdingEvidence(m, a.i, h)),
          lacks(m, a.i, ['observed-by'], 'no anomaly detection, alerting or inter-agent monitoring covers this agent'),
        ]),
        data: { agent: a.id, autonomy: String(a.spec['autonomy']), effects: effects.join(', ') },
      });
    }
  },
});
