import { defineRule, type Evidence } from '../../engine/types.js';
import { elements, has, into, lacks } from '../_helpers/index.js';
import { idOf, untrustedReach } from '../_helpers/models-data-observability.js';

export default defineRule({
  meta: {
    id: 'model-unguarded-on-untrusted-path',
    title: 'Model without input or output guardrails reads untrusted content',
    threats: ['L1-adversarial-examples', 'BV-1', 'BV-4'],
    appliesTo: ['model'],
    severity: 'medium',
    message: 'model {model} has no guardrails declared, yet agent {agent} feeds it untrusted content',
    placeholders: ['model', 'agent'],
    defences: ['input-guardrails', 'output-validation', 'context-minimisation'],
    detectionLogic:
      'For each model whose guardrails list is missing or empty, look at the agents that use it. When one of them is reached by untrusted content (an untrusted entry point, a channel from an untrusted party, a browsing, search or e-mail tool, a tool or memory that an untrusted entry point writes into, or a memory that ingests untrusted sources), the model sees crafted or flooding input with no filter in front of it and no check on what it returns. Tool hijacking through prompt injection is covered by the agent rules; this rule is about the model layer itself.',
    falsePositives:
      'Guardrails may sit in the agent framework or an AI gateway rather than on the model; declare them on the model (guardrails) or as a control. Small classifiers that only emit a label have a narrow output but can still be steered by adversarial input.',
    requires: ['models'],
  },
  check(ctx) {
    const m = ctx.model;
    for (const mod of elements(m, 'model')) {
      const gr = mod.spec['guardrails'];
      if (Array.isArray(gr) && gr.length > 0) continue;
      for (const a of into(m, mod.i, 'uses-model')) {
        const reach = untrustedReach(m, a);
        const first = reach[0];
        if (first === undefined) continue;
        const evidence: Evidence[] = [Array.isArray(gr) ? has(m, mod.i, ['guardrails'], [], 'declared empty') : lacks(m, mod.i, ['guardrails']), first.evidence];
        ctx.report({ at: mod.i, also: [a, first.from], evidence, data: { model: mod.id, agent: idOf(m, a) } });
      }
    }
  },
});
