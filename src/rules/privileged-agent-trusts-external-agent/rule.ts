import { defineRule } from '../../engine/types.js';
import type { Evidence } from '../../engine/types.js';
import { elements, has, into, out } from '../_helpers/index.js';
import { capEvidence, holdingEvidence, idList, indexIn, isOutsideAgent, PRIVILEGED, ungated } from '../_helpers/agents.js';

export default defineRule({
  meta: {
    id: 'privileged-agent-trusts-external-agent',
    title: 'Own agent with world-changing tools accepts tasks from an agent another party runs',
    threats: ['L3-trust-exploitation', 'L3-negotiation-hijacking', 'T6'],
    appliesTo: ['agent'],
    severity: 'medium',
    message: 'agent {agent} can cause {effects} and accepts tasks from {partners}, which another party runs',
    placeholders: ['agent', 'effects', 'partners'],
    defences: ['input-guardrails', 'circuit-breaker', 'message-signing', 'signed-agent-cards'],
    detectionLogic:
      'For each agent we run (origin not external or third-party) that holds a side effect changing the world (write or an irreversible effect) with no human approval before the action, look for agents of origin external or third-party that it explicitly trusts: listed in its acceptsFrom, or delegating to it. Verifying who the partner is does not help when the partner itself is compromised or negotiates in bad faith: its requests are acted on with our authority. The severity is raised to high when an irreversible side effect is among them.',
    falsePositives:
      'Partners whose requests are limited to a fixed, structured contract (an order id and a quantity, checked against business rules) carry less risk; declare input guardrails or a policy control on the link, or record an accepted risk.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const b of elements(m, 'agent')) {
      if (isOutsideAgent(m, b.i)) continue;
      const partners = new Map<number, Evidence>();
      for (const x of out(m, b.i, 'accepts-from')) {
        if (!isOutsideAgent(m, x)) continue;
        const k = indexIn(b.spec, 'acceptsFrom', m.graph.ids[x] ?? '', m);
        partners.set(x, has(m, b.i, k >= 0 ? ['acceptsFrom', k] : ['acceptsFrom'], m.graph.ids[x], 'accepts tasks from an agent another party runs'));
      }
      for (const x of into(m, b.i, 'delegates')) {
        if (!isOutsideAgent(m, x) || partners.has(x)) continue;
        const k = indexIn(m.graph.specs[x] ?? {}, 'delegatesTo', b.id, m);
        partners.set(x, has(m, x, k >= 0 ? ['delegatesTo', k] : ['delegatesTo'], b.id, 'an agent another party runs delegates tasks to it'));
      }
      if (partners.size === 0) continue;
      const open = ungated(m, b.i, PRIVILEGED, true);
      if (open.length === 0) continue;
      const effects = [...new Set(open.map((h) => h.effect))].sort();
      const evidence: Evidence[] = [...partners.values()];
      for (const x of partners.keys()) evidence.push(has(m, x, ['origin'], m.graph.specs[x]?.['origin']));
      evidence.push(...open.flatMap((h) => holdingEvidence(m, b.i, h)));
      ctx.report({
        at: b.i,
        also: [...partners.keys()],
        evidence: capEvidence(m, b.i, evidence),
        data: { agent: b.id, effects: effects.join(', '), partners: idList(m, [...partners.keys()]) },
        ...(effects.some((e) => e !== 'write') ? { severity: 'high' as const } : {}),
      });
    }
  },
});
