import { defineRule, type Evidence } from '../../engine/types.js';
import { elements, grants, has, out } from '../_helpers/index.js';
import { idOf, isExternalAgent, notObserved, observedWith } from '../_helpers/models-data-observability.js';

export default defineRule({
  meta: {
    id: 'approvals-not-recorded',
    title: 'Human approvals are not recorded by any observability',
    threats: ['T8', 'MAS-T44'],
    appliesTo: ['agent'],
    layer: 'L5',
    severity: 'medium',
    message: 'agent {agent} waits for approvals from {approver}, but no observability captures approvals for it',
    placeholders: ['agent', 'approver'],
    defences: ['immutable-audit-log'],
    detectionLogic:
      'For each agent we run that declares approvals or a tool grant with a per-call approver: flag it when no observability that captures approvals covers the agent or one of its approvers (directly, through boundary or deployment, or system-wide). Without a record of who approved what and when, an approval that was skipped, forged or rubber-stamped cannot be shown afterwards, and the agent or the approver can deny the action.',
    falsePositives:
      'Approvals recorded by the ticketing or workflow tool that carries them count; model that tool as observability capturing approvals.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const a of elements(m, 'agent')) {
      if (isExternalAgent(m, a.i)) continue;
      const raw = a.spec['approvals'];
      const count = Array.isArray(raw) ? raw.length : 0;
      const hasList = count > 0;
      const perCall = grants(m, a.i).filter((g) => g.approver !== undefined);
      if (!hasList && perCall.length === 0) continue;
      const approvers = [...new Set(out(m, a.i, 'approved-by'))];
      const watched = [a.i, ...approvers].some((x) => observedWith(m, x, { captures: ['approvals'] }).length > 0);
      if (watched) continue;
      const g0 = perCall[0];
      const evidence: Evidence[] = [hasList ? has(m, a.i, ['approvals'], count, 'approval points declared') : has(m, a.i, ['tools', g0?.index ?? 0, 'approval'], g0?.approver)];
      evidence.push(notObserved(m, a.i, 'observability capturing approvals'));
      ctx.report({ at: a.i, also: approvers, evidence, data: { agent: a.id, approver: approvers.map((h) => idOf(m, h)).join(', ') } });
    }
  },
});
