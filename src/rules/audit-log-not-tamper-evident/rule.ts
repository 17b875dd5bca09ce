import { defineRule, type Evidence } from '../../engine/types.js';
import { elements, has, into, lacks, str, strings } from '../_helpers/index.js';
import { grantEvidence, idOf, irreversibleGrants, listEntry, nameList, observedWith } from '../_helpers/models-data-observability.js';

const RECORD_CAPTURES = ['tool-calls', 'decisions', 'approvals'];

export default defineRule({
  meta: {
    id: 'audit-log-not-tamper-evident',
    title: 'Audit trail can be edited or pruned without trace',
    threats: ['MAS-T23', 'X-log-manipulation-security-evasion-undetected-fraud', 'T8'],
    appliesTo: ['observability'],
    severity: 'medium',
    message: 'observability {observability} ({type}) is not tamper-evident, and it is {role}',
    placeholders: ['observability', 'type', 'role'],
    defences: ['immutable-audit-log'],
    detectionLogic:
      'Flag every observability element of type audit-log whose tamperEvident is not true. Flag a logs or traces element whose tamperEvident is not true when it covers an agent holding an irreversible tool grant and no tamper-evident observability that records tool calls, decisions or approvals (or an audit log) covers that agent. An agent or operator who can rewrite or drop single records can hide the actions that matter and stay under alert thresholds. Severity rises to high when tamperEvident is declared false on an audit log.',
    falsePositives:
      'Logs shipped at once to write-once storage are tamper-evident even if the model does not say so; declare tamperEvident: true or an immutable-audit-log control.',
    requires: ['observability'],
  },
  check(ctx) {
    const m = ctx.model;
    for (const o of elements(m, 'observability')) {
      const type = str(o.spec, 'type') ?? '';
      const te = o.spec['tamperEvident'];
      if (te === true) continue;
      const teEv = te === undefined ? lacks(m, o.i, ['tamperEvident']) : has(m, o.i, ['tamperEvident'], te);
      if (type === 'audit-log') {
        ctx.report({ at: o.i, evidence: [teEv], data: { observability: o.id, type, role: 'the audit log' }, ...(te === false ? { severity: 'high' as const } : {}) });
        continue;
      }
      if (type !== 'logs' && type !== 'traces') continue;
      const evidence: Evidence[] = [teEv];
      const also: number[] = [];
      for (const a of new Set(into(m, o.i, 'observed-by'))) {
        if (m.kindOf(a) !== 'agent') continue;
        const irr = irreversibleGrants(m, a)[0];
        if (irr === undefined) continue;
        const sound = observedWith(m, a, { tamperEvident: true }).filter((x) => str(m.graph.specs[x] ?? {}, 'type') === 'audit-log' || strings((m.graph.specs[x] ?? {})['captures']).some((c) => RECORD_CAPTURES.includes(c)));
        if (sound.length > 0) continue;
        evidence.push(listEntry(m, o.i, ['covers'], idOf(m, a), 'only record of this agent'), grantEvidence(m, a, irr));
        also.push(a);
      }
      if (also.length === 0) continue;
      ctx.report({ at: o.i, also, evidence, data: { observability: o.id, type, role: `the only record of ${nameList(also.map((a) => idOf(m, a)))}` } });
    }
  },
});
