import { defineRule, type Evidence } from '../../engine/types.js';
import { bool, elements, get, has, lacks } from '../_helpers/index.js';
import { hostedOn } from '../_helpers/ecosystem.js';

export default defineRule({
  meta: {
    id: 'deployment-autoscaling-unbounded',
    title: 'Agent deployment scales automatically with no upper limit',
    threats: ['LC-unsafe-autoscaling', 'MAS-T33', 'MAS-T39', 'X-systemic-resource-starvation', 'L4-resource-hijacking'],
    appliesTo: ['deployment'],
    severity: 'medium',
    message: 'deployment {deployment} scales automatically with no maximum, so a loop or a flood of requests grows it without bound',
    placeholders: ['deployment'],
    defences: ['rate-and-budget-limits'],
    detectionLogic:
      'Flag every deployment with scaling.auto true and no scaling.max. Severity is high when an agent running on it can spawn agents (a spawning loop then turns straight into new instances and cost).',
    falsePositives:
      'The platform account may cap instances or spend even when the deployment does not; declare that cap as scaling.max or as a rate-and-budget-limits control.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const d of elements(m, 'deployment')) {
      if (get(d.spec, ['scaling', 'auto']) !== true || get(d.spec, ['scaling', 'max']) !== undefined) continue;
      const evidence: Evidence[] = [has(m, d.i, ['scaling', 'auto'], true), lacks(m, d.i, ['scaling', 'max'], 'no upper bound')];
      const hosted = hostedOn(m, d.i);
      const spawner = hosted.find((h) => m.kindOf(h) === 'agent' && bool(m.graph.specs[h] ?? {}, 'canSpawnAgents') === true);
      if (spawner !== undefined) evidence.push(has(m, spawner, ['canSpawnAgents'], true, 'runs here and creates agents'));
      ctx.report({ at: d.i, also: hosted.filter((h) => m.kindOf(h) === 'agent'), evidence, data: { deployment: d.id }, ...(spawner !== undefined ? { severity: 'high' as const } : {}) });
    }
  },
});
