import { defineRule, type Evidence } from '../../engine/types.js';
import { elements, has, into, lacks, str } from '../_helpers/index.js';
import { irreversibleGrants } from '../_helpers/ecosystem.js';

const UPDATES = new Set(['update', 'prompt-change', 'tool-update']);

export default defineRule({
  meta: {
    id: 'lifecycle-update-unstaged',
    title: 'Agent, prompt or tool updates go to all traffic at once',
    threats: ['LC-unstaged-agent-update'],
    appliesTo: ['lifecycle'],
    severity: 'low',
    message: '{process} process {element} releases changes without a staged rollout ({why})',
    placeholders: ['process', 'element', 'why'],
    defences: ['staged-rollout'],
    detectionLogic:
      'For each lifecycle process update, prompt-change or tool-update: flag it when staged is not true. Severity is low when staging is simply not declared, medium when staged is false, and raised one step further (to medium or high) when a target agent, or any agent when the process names no targets, holds a tool with an irreversible side effect.',
    falsePositives:
      'Small systems may update everything at once with a fast rollback; declare a rollback process and a staged-rollout control that describes it.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const l of elements(m, 'lifecycle')) {
      const process = str(l.spec, 'process');
      if (process === undefined || !UPDATES.has(process) || l.spec['staged'] === true) continue;
      const explicit = l.spec['staged'] === false;
      const evidence: Evidence[] = [explicit ? has(m, l.i, ['staged'], false) : lacks(m, l.i, ['staged'], 'no canary or staged release declared')];
      const targets = into(m, l.i, 'managed-by');
      const agents = targets.length > 0 || Array.isArray(l.spec['targets']) ? targets.filter((t) => m.kindOf(t) === 'agent') : [...m.ofKind('agent')];
      const risky = agents.find((a) => irreversibleGrants(m, a).length > 0);
      if (risky !== undefined) {
        const g = irreversibleGrants(m, risky)[0];
        if (g) evidence.push(has(m, risky, ['tools', g.grant.index], m.graph.ids[g.grant.tool], `an updated agent can cause ${g.effects.join(', ')}`));
      }
      const rank = (explicit ? 1 : 0) + (risky !== undefined ? 1 : 0);
      ctx.report({
        at: l.i,
        also: targets,
        evidence,
        data: { process, element: l.id, why: explicit ? 'staged is false' : 'staging not declared' },
        ...(rank === 2 ? { severity: 'high' as const } : rank === 1 ? { severity: 'medium' as const } : {}),
      });
    }
  },
});
