import { defineRule } from '../../engine/types.js';
import { elements, has, str } from '../_helpers/index.js';
import { internetPlacement } from '../_helpers/models-data-observability.js';

export default defineRule({
  meta: {
    id: 'self-hosted-model-internet-exposed',
    title: 'Self-hosted model served from an internet-exposed place',
    threats: ['L1-model-stealing', 'L1-denial-of-service-dos-attacks'],
    appliesTo: ['model'],
    severity: 'high',
    message: 'self-hosted model {model} runs where the internet can reach it ({where})',
    placeholders: ['model', 'where'],
    defences: ['network-segmentation', 'rate-and-budget-limits'],
    detectionLogic:
      'For each model with hosting self-hosted: flag it when its own deployment declares networkExposure internet, or when the model is placed in a boundary declared untrusted. Anyone who reaches the inference endpoint can query it at will to copy its behaviour, pull the weights through a weak serving API, or exhaust the GPUs that every agent depends on.',
    falsePositives:
      'An endpoint on an internet-facing deployment may still sit behind authentication and a gateway with quotas; declare that as a network-segmentation or rate-and-budget-limits control. Open-weight models that are public anyway lose little to theft, but the denial-of-service exposure remains.',
    requires: ['models'],
  },
  check(ctx) {
    const m = ctx.model;
    for (const mod of elements(m, 'model')) {
      if (str(mod.spec, 'hosting') !== 'self-hosted') continue;
      const where = internetPlacement(m, mod.i);
      if (where === undefined) continue;
      const d = m.graph.deployment[mod.i] ?? -1;
      ctx.report({
        at: mod.i,
        ...(d >= 0 ? { also: [d] } : {}),
        evidence: [has(m, mod.i, ['hosting'], 'self-hosted'), where],
        data: { model: mod.id, where: `${where.element} ${where.attribute}` },
      });
    }
  },
});
