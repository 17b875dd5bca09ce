import { defineRule } from '../../engine/types.js';
import { elements, has, lacks, str } from '../_helpers/index.js';
import { CONFIDENTIAL, sensitivityOf } from '../_helpers/models-data-observability.js';

export default defineRule({
  meta: {
    id: 'sensitive-memory-unencrypted',
    title: 'Confidential or restricted memory not encrypted at rest',
    threats: ['L2-data-exfiltration', 'X-data-leakage'],
    appliesTo: ['memory'],
    severity: 'medium',
    message: 'memory {memory} holds {sensitivity} data and is {state}',
    placeholders: ['memory', 'sensitivity', 'state'],
    defences: ['encryption-at-rest', 'memory-isolation', 'network-segmentation'],
    detectionLogic:
      'For each memory that is not session-only and whose sensitivity is confidential or restricted: flag it when encryptedAtRest is false, or not declared. A copied disk, snapshot, backup or index file then exposes everything the agents stored. The severity rises to high for restricted data declared unencrypted.',
    falsePositives:
      'Disk or volume encryption provided by the host or cloud account covers the store even when the memory does not say so; declare encryptedAtRest: true.',
    requires: ['memories'],
  },
  check(ctx) {
    const m = ctx.model;
    for (const mem of elements(m, 'memory')) {
      const s = mem.spec;
      if (str(s, 'persistence') === 'session') continue;
      const rank = sensitivityOf(m, mem.i);
      if (rank < CONFIDENTIAL) continue;
      const enc = s['encryptedAtRest'];
      if (enc === true) continue;
      const sensitivity = str(s, 'sensitivity') ?? '';
      const declaredFalse = enc === false;
      ctx.report({
        at: mem.i,
        evidence: [has(m, mem.i, ['sensitivity'], sensitivity), declaredFalse ? has(m, mem.i, ['encryptedAtRest'], false) : lacks(m, mem.i, ['encryptedAtRest'])],
        data: { memory: mem.id, sensitivity, state: declaredFalse ? 'declared unencrypted at rest' : 'not declared as encrypted at rest' },
        ...(declaredFalse && sensitivity === 'restricted' ? { severity: 'high' as const } : {}),
      });
    }
  },
});
