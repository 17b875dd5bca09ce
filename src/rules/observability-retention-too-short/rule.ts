import { defineRule, type Evidence } from '../../engine/types.js';
import { elements, has, into, str, strings } from '../_helpers/index.js';
import { grantEvidence, idOf, irreversibleGrants, listEntry, nameList } from '../_helpers/models-data-observability.js';

const AUDIT_MIN = 90;
const RECORD_MIN = 30;
const RECORD_CAPTURES = ['tool-calls', 'decisions', 'approvals'];

export default defineRule({
  meta: {
    id: 'observability-retention-too-short',
    title: 'Audit records are deleted before an incident is likely to be investigated',
    threats: ['T8', 'MAS-T44', 'L7-repudiation'],
    appliesTo: ['observability'],
    severity: 'medium',
    message: 'observability {observability} keeps records for {days} days, less than {minimum} days for {why}',
    placeholders: ['observability', 'days', 'minimum', 'why'],
    defences: ['immutable-audit-log'],
    detectionLogic:
      'Flag an audit-log element with retentionDays under 90. Flag a logs or traces element that captures tool calls, decisions or approvals, covers an agent holding an irreversible tool grant, and keeps them under 30 days. Misuse by an agent is often found weeks later (a disputed payment, a leaked record); by then the records that would show which agent did what are gone. Elements without retentionDays are not flagged.',
    falsePositives:
      'Records copied to longer-term storage elsewhere are kept even if this element deletes them; model the archive as its own observability element.',
    requires: ['observability'],
  },
  check(ctx) {
    const m = ctx.model;
    for (const o of elements(m, 'observability')) {
      const days = o.spec['retentionDays'];
      if (typeof days !== 'number') continue;
      const type = str(o.spec, 'type') ?? '';
      const evidence: Evidence[] = [has(m, o.i, ['retentionDays'], days)];
      if (type === 'audit-log') {
        if (days >= AUDIT_MIN) continue;
        ctx.report({ at: o.i, evidence, data: { observability: o.id, days, minimum: AUDIT_MIN, why: 'an audit log' } });
        continue;
      }
      if ((type !== 'logs' && type !== 'traces') || days >= RECORD_MIN) continue;
      if (!strings(o.spec['captures']).some((c) => RECORD_CAPTURES.includes(c))) continue;
      const also: number[] = [];
      for (const a of new Set(into(m, o.i, 'observed-by'))) {
        if (m.kindOf(a) !== 'agent') continue;
        const irr = irreversibleGrants(m, a)[0];
        if (irr === undefined) continue;
        also.push(a);
        evidence.push(listEntry(m, o.i, ['covers'], idOf(m, a)), grantEvidence(m, a, irr));
      }
      if (also.length === 0) continue;
      ctx.report({ at: o.i, also, evidence, data: { observability: o.id, days, minimum: RECORD_MIN, why: `the action records of ${nameList(also.map((a) => idOf(m, a)))}` } });
    }
  },
});
