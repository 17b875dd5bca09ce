import { defineRule, type Evidence } from '../../engine/types.js';
import { IRREVERSIBLE, elements } from '../_helpers/index.js';
import { actingGrants, grantEvidence, idOf, isExternalAgent, notObserved, observedWith } from '../_helpers/models-data-observability.js';

export default defineRule({
  meta: {
    id: 'tool-calls-not-recorded',
    title: 'Tool calls that change things are not recorded',
    threats: ['T8', 'MAS-T44', 'L7-repudiation'],
    appliesTo: ['agent'],
    layer: 'L5',
    severity: 'medium',
    message: 'calls from agent {agent} to {tools} change things, but no observability captures tool calls for them',
    placeholders: ['agent', 'tools'],
    defences: ['immutable-audit-log'],
    detectionLogic:
      'For each agent we run, take the tool grants with any side effect other than read. A grant counts as recorded when an observability element that captures tool-calls covers the agent or the tool (directly, through boundary or deployment, or system-wide). Flag the agent when some grants are not recorded; logs of prompts and errors alone do not show which action was taken with which arguments. Severity rises to high when an unrecorded grant has an irreversible side effect.',
    falsePositives:
      'A tool whose own back end keeps an audit trail (a payment provider, a ticket system) records the call; model that trail as observability covering the tool.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const a of elements(m, 'agent')) {
      if (isExternalAgent(m, a.i)) continue;
      const acting = actingGrants(m, a.i);
      if (acting.length === 0) continue;
      const agentRecorded = observedWith(m, a.i, { captures: ['tool-calls'] }).length > 0;
      if (agentRecorded) continue;
      const missing = acting.filter((g) => observedWith(m, g.tool, { captures: ['tool-calls'] }).length === 0);
      if (missing.length === 0) continue;
      const evidence: Evidence[] = missing.map((g) => grantEvidence(m, a.i, g));
      evidence.push(notObserved(m, a.i, 'observability capturing tool-calls'));
      const irreversible = missing.some((g) => g.sideEffects.some((s) => IRREVERSIBLE.includes(s)));
      const tools = [...new Set(missing.map((g) => idOf(m, g.tool)))];
      ctx.report({
        at: a.i,
        also: missing.map((g) => g.tool),
        evidence,
        data: { agent: a.id, tools: tools.join(', ') },
        ...(irreversible ? { severity: 'high' as const } : {}),
      });
    }
  },
});
