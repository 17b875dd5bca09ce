import { defineRule, type Evidence } from '../../engine/types.js';
import { elements, get, has, into, lacks, str, strings } from '../_helpers/index.js';
import { idOf, untrustedReach } from '../_helpers/models-data-observability.js';

export default defineRule({
  meta: {
    id: 'owned-model-queried-without-rate-limit',
    title: 'Our own model can be queried by untrusted parties without a rate limit',
    threats: ['L1-model-stealing', 'L1-denial-of-service-dos-attacks', 'L2-model-inversion-extraction', 'L1-membership-inference-attacks'],
    appliesTo: ['model'],
    severity: 'medium',
    message: 'model {model} ({why}) answers untrusted input through agent {agent}, which declares no rate limit',
    placeholders: ['model', 'why', 'agent'],
    defences: ['rate-and-budget-limits', 'anomaly-detection'],
    detectionLogic:
      'For each model that is ours to lose (self-hosted, fine-tuned, or with trainingData), look at the agents that use it. Flag the model when one of them is reached by untrusted content and declares no budgets.rateLimitPerMinute. Without a per-client limit, an outsider can send as many queries as needed to copy the model, infer or extract its training records, or saturate its serving capacity.',
    falsePositives:
      'A rate limit enforced in an API gateway or web front end is not visible on the agent; declare it as a rate-and-budget-limits control on the agent or its deployment.',
    requires: ['models'],
  },
  check(ctx) {
    const m = ctx.model;
    for (const mod of elements(m, 'model')) {
      const s = mod.spec;
      const why: string[] = [];
      const ev: Evidence[] = [];
      if (str(s, 'hosting') === 'self-hosted') {
        why.push('self-hosted');
        ev.push(has(m, mod.i, ['hosting'], 'self-hosted'));
      }
      if (s['fineTuned'] === true) {
        why.push('fine-tuned');
        ev.push(has(m, mod.i, ['fineTuned'], true));
      } else if (strings(s['trainingData']).length > 0) {
        why.push('trained on our data');
        ev.push(has(m, mod.i, ['trainingData'], s['trainingData']));
      }
      if (why.length === 0) continue;
      for (const a of into(m, mod.i, 'uses-model')) {
        if (get(m.graph.specs[a] ?? {}, ['budgets', 'rateLimitPerMinute']) !== undefined) continue;
        const reach = untrustedReach(m, a)[0];
        if (reach === undefined) continue;
        ctx.report({
          at: mod.i,
          also: [a],
          evidence: [...ev, reach.evidence, lacks(m, a, ['budgets', 'rateLimitPerMinute'])],
          data: { model: mod.id, why: why.join(', '), agent: idOf(m, a) },
        });
      }
    }
  },
});
