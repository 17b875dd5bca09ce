import { defineRule } from '../../engine/types.js';
import { elements, str } from '../_helpers/index.js';
import { internetPlacement } from '../_helpers/models-data-observability.js';

export default defineRule({
  meta: {
    id: 'memory-store-internet-exposed',
    title: 'Memory or data store reachable from the internet',
    threats: ['L2-denial-of-service-on-data-infrastructure', 'L2-data-exfiltration', 'MAS-T28'],
    appliesTo: ['memory'],
    severity: 'high',
    message: 'memory {memory} ({type}) is placed where the internet reaches it ({where})',
    placeholders: ['memory', 'type', 'where'],
    defences: ['network-segmentation'],
    detectionLogic:
      'For each memory: flag it when its own deployment declares networkExposure internet, or when it is placed in a boundary declared untrusted. Anyone who can reach the store can try to read its contents directly, flood it with queries or writes, or delete it, and every agent that depends on it stops working or works from bad data. Severity drops to medium for public data.',
    falsePositives:
      'A managed store on the internet may require strong authentication and private endpoints that the model does not show; declare a network-segmentation control, or place it in a boundary that reflects the private endpoint.',
    requires: ['memories'],
  },
  check(ctx) {
    const m = ctx.model;
    for (const mem of elements(m, 'memory')) {
      const where = internetPlacement(m, mem.i);
      if (where === undefined) continue;
      const d = m.graph.deployment[mem.i] ?? -1;
      ctx.report({
        at: mem.i,
        ...(d >= 0 ? { also: [d] } : {}),
        evidence: [where],
        data: { memory: mem.id, type: str(mem.spec, 'type') ?? '', where: `${where.element} ${where.attribute}` },
        ...(str(mem.spec, 'sensitivity') === 'public' ? { severity: 'medium' as const } : {}),
      });
    }
  },
});
