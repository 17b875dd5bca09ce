import { defineRule } from '../../engine/types.js';
import { elements, has, lacks, str, strings } from '../_helpers/index.js';
import { capEvidence, isAutonomous } from '../_helpers/agents.js';

export default defineRule({
  meta: {
    id: 'agent-without-role-or-goals',
    title: 'Autonomous agent with no stated role or goals',
    threats: ['T6', 'T7'],
    appliesTo: ['agent'],
    severity: 'low',
    message: 'agent {agent} acts with {autonomy} autonomy but states neither a role nor goals, so a change of intent has nothing to be measured against',
    placeholders: ['agent', 'autonomy'],
    defences: ['anomaly-detection', 'evaluation-gates'],
    detectionLogic:
      'For each agent whose declared autonomy is conditional or full, report it when it declares no role and no goals (an empty goals list counts as none). Goal manipulation and misaligned behaviour are found by comparing what an agent does with what it is for; without a stated purpose neither reviewers nor monitoring have a baseline.',
    falsePositives:
      'The purpose may be written in the system prompt or the name; copy it into role or goals so the model states it.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const a of elements(m, 'agent')) {
      if (!isAutonomous(a.spec)) continue;
      const role = str(a.spec, 'role');
      if ((role !== undefined && role.trim() !== '') || strings(a.spec['goals']).some((g) => g.trim() !== '')) continue;
      ctx.report({
        at: a.i,
        evidence: capEvidence(m, a.i, [has(m, a.i, ['autonomy'], a.spec['autonomy']), lacks(m, a.i, ['role']), lacks(m, a.i, ['goals'])]),
        data: { agent: a.id, autonomy: String(a.spec['autonomy']) },
      });
    }
  },
});
