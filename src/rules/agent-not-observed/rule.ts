import { defineRule, type Evidence } from '../../engine/types.js';
import { elements } from '../_helpers/index.js';
import { grantEvidence, irreversibleGrants, isExternalAgent, notObserved, observedWith } from '../_helpers/models-data-observability.js';

const RECORDS = ['logs', 'traces', 'audit-log'];

export default defineRule({
  meta: {
    id: 'agent-not-observed',
    title: 'Agent not covered by any logs, traces or audit log',
    threats: ['MAS-T44', 'T8', 'L5-evasion-of-detection'],
    appliesTo: ['agent'],
    layer: 'L5',
    severity: 'medium',
    message: 'agent {agent} is not covered by any logs, traces or audit log, so what it did cannot be reconstructed',
    placeholders: ['agent'],
    defences: ['immutable-audit-log', 'anomaly-detection'],
    detectionLogic:
      'For each agent we run (origin not external): look for an observability element of type logs, traces or audit-log that covers it, directly in covers, through its boundary or deployment, or without any covers list (taken as system-wide). Flag the agent when none does; this includes models with no observability section at all, because the absence is the finding. Severity rises to high when the agent holds a tool with an irreversible side effect.',
    falsePositives:
      'Logging done by a platform the model does not describe still counts; add it as an observability element that covers the agent or its deployment.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const a of elements(m, 'agent')) {
      if (isExternalAgent(m, a.i)) continue;
      if (observedWith(m, a.i, { types: RECORDS }).length > 0) continue;
      const evidence: Evidence[] = [notObserved(m, a.i, 'logs, traces or audit log')];
      const irr = irreversibleGrants(m, a.i)[0];
      if (irr !== undefined) evidence.push(grantEvidence(m, a.i, irr, 'irreversible actions go unrecorded'));
      ctx.report({ at: a.i, evidence, data: { agent: a.id }, ...(irr !== undefined ? { severity: 'high' as const } : {}) });
    }
  },
});
