import { defineRule, type Evidence } from '../../engine/types.js';
import { bool, elements, get, has, lacks, out } from '../_helpers/index.js';
import { agentsRelyingOn, idList } from '../_helpers/ecosystem.js';

export default defineRule({
  meta: {
    id: 'dependency-agent-registry-unverified',
    title: 'Agents are discovered through a registry whose entries are not verified',
    threats: ['MAS-T37', 'L7-compromised-agent-registry', 'L7-malicious-agent-discovery', 'L7-inaccurate-agent-capability-description'],
    appliesTo: ['dependency'],
    severity: 'medium',
    message: 'agent registry {registry} is used by {users} but its entries are not verified ({why})',
    placeholders: ['registry', 'users', 'why'],
    defences: ['signed-agent-cards', 'dependency-verification', 'agent-inventory'],
    detectionLogic:
      'For each dependency of type agent-registry that at least one agent relies on: flag it unless signature.verified is true (entries, such as agent cards, are signed and checked before use). Severity is high when a relying agent delegates tasks or can spawn agents, since a poisoned entry then receives work.',
    falsePositives:
      'A private registry that only the operator writes to is lower risk; declare its publisher as first-party and verified, and an agent-inventory control.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const d of elements(m, 'dependency')) {
      if (d.spec['type'] !== 'agent-registry') continue;
      const verified = get(d.spec, ['signature', 'verified']);
      if (verified === true) continue;
      const agents = agentsRelyingOn(m, d.i);
      if (agents.length === 0) continue;
      const evidence: Evidence[] = [verified === false ? has(m, d.i, ['signature', 'verified'], false) : lacks(m, d.i, ['signature', 'verified'], 'entries are taken as published')];
      const acting = agents.find((a) => out(m, a, 'delegates').length > 0 || bool(m.graph.specs[a] ?? {}, 'canSpawnAgents') === true);
      if (acting !== undefined) {
        const s = m.graph.specs[acting] ?? {};
        evidence.push(Array.isArray(s['delegatesTo']) ? has(m, acting, ['delegatesTo'], s['delegatesTo'], 'hands tasks to other agents') : has(m, acting, ['canSpawnAgents'], true));
      }
      ctx.report({
        at: d.i,
        also: agents,
        evidence,
        data: { registry: d.id, users: idList(m, agents), why: verified === false ? 'signature checks are off' : 'no signature check is declared' },
        ...(acting !== undefined ? { severity: 'high' as const } : {}),
      });
    }
  },
});
