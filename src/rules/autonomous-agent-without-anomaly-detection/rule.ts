import { defineRule, type Evidence } from '../../engine/types.js';
import { elements, has, str } from '../_helpers/index.js';
import { actingGrants, grantEvidence, irreversibleGrants, isExternalAgent, notObserved, observedWith } from '../_helpers/models-data-observability.js';

const AUTONOMOUS = ['conditional', 'full'];

export default defineRule({
  meta: {
    id: 'autonomous-agent-without-anomaly-detection',
    title: 'Autonomous agent acts with no behavioural anomaly detection',
    threats: ['L5-distributed-performance-degradation-masking', 'L5-evasion-of-detection'],
    appliesTo: ['agent'],
    layer: 'L5',
    severity: 'medium',
    message: 'agent {agent} acts on its own (autonomy {autonomy}) and no anomaly detection or alerting watches it',
    placeholders: ['agent', 'autonomy'],
    defences: ['anomaly-detection'],
    detectionLogic:
      'For each agent we run with autonomy conditional or full that can change something (a tool grant with any side effect other than read, or canSpawnAgents true): flag it when no observability of type anomaly-detection or alerting covers it (directly, through its boundary or deployment, or system-wide). Logs are read after the fact; without a baseline of normal behaviour and an alert, a slowly degrading or compromised agent looks healthy for as long as its metrics are not examined. Severity rises to high when the agent holds an irreversible tool grant.',
    falsePositives:
      'Alerting built into a tool (for example a payment provider fraud check) covers that tool only; model it as anomaly-detection covering the tool and the agent if it really watches the agent behaviour.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const a of elements(m, 'agent')) {
      if (isExternalAgent(m, a.i)) continue;
      const autonomy = str(a.spec, 'autonomy');
      if (autonomy === undefined || !AUTONOMOUS.includes(autonomy)) continue;
      const acting = actingGrants(m, a.i);
      const spawns = a.spec['canSpawnAgents'] === true;
      if (acting.length === 0 && !spawns) continue;
      if (observedWith(m, a.i, { types: ['anomaly-detection', 'alerting'] }).length > 0) continue;
      const evidence: Evidence[] = [has(m, a.i, ['autonomy'], autonomy)];
      const g0 = acting[0];
      if (g0 !== undefined) evidence.push(grantEvidence(m, a.i, g0));
      else evidence.push(has(m, a.i, ['canSpawnAgents'], true));
      evidence.push(notObserved(m, a.i, 'anomaly detection or alerting'));
      const irreversible = irreversibleGrants(m, a.i).length > 0;
      ctx.report({ at: a.i, evidence, data: { agent: a.id, autonomy }, ...(irreversible ? { severity: 'high' as const } : {}) });
    }
  },
});
