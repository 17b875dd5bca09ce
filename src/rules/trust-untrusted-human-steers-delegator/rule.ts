import { defineRule, type Evidence } from '../../engine/types.js';
import { channelsFrom, elements, has, into, isUntrustedSource, out } from '../_helpers/index.js';
import { handoffEvidence, handoffTargets, idList, irreversibleGrants, reachable } from '../_helpers/ecosystem.js';

export default defineRule({
  meta: {
    id: 'trust-untrusted-human-steers-delegator',
    title: 'Untrusted human talks directly to an agent that hands tasks on to other agents',
    threats: ['T14', 'L6-indirect-privilege-escalation'],
    appliesTo: ['human'],
    severity: 'medium',
    message: 'untrusted human {human} talks to {agents}, whose tasks flow on to {downstream}: requests are relayed with the delegating agent authority',
    placeholders: ['human', 'agents', 'downstream'],
    defences: ['input-guardrails', 'policy-as-code'],
    detectionLogic:
      'For each human that is untrusted (declared untrusted, or of role public, or a customer with no trust declared), find the agents it reaches directly: channels from the human, and entry points whose source is the human. For each such agent, walk the task hand-off graph (delegatesTo, acceptsFrom read backwards, one-way agent channels) breadth-first with a visited set. Flag the human when any agent is reached beyond the first; downstream agents act on a request that now looks as if it came from a peer agent. Severity is high when a downstream agent holds a tool with an irreversible side effect.',
    falsePositives:
      'Downstream agents that authorise each task against the original requester (an end-user token, a policy decision) are not fooled by the relay; declare that as a policy-as-code control.',
  },
  check(ctx) {
    const m = ctx.model;
    const size = m.graph.size;
    for (const h of elements(m, 'human')) {
      if (!isUntrustedSource(m, h.i)) continue;
      const contacts = new Map<number, Evidence>();
      for (const c of channelsFrom(m, h.i)) {
        if (m.kindOf(c.to) === 'agent' && c.channel >= 0 && !contacts.has(c.to)) contacts.set(c.to, has(m, c.channel, ['to'], m.graph.ids[c.to], `${h.id} writes to this agent`));
      }
      for (const ep of into(m, h.i, 'entry-source')) {
        for (const t of out(m, ep, 'entry')) {
          if (m.kindOf(t) === 'agent' && !contacts.has(t)) contacts.set(t, has(m, ep, ['target'], m.graph.ids[t], `input from ${h.id} enters here`));
        }
      }
      const first: number[] = [];
      const downstream = new Set<number>();
      const evidence: Evidence[] = [];
      for (const [a, e] of contacts) {
        const reach = reachable(a, (n) => handoffTargets(m, n), size).filter((x) => x !== a && !contacts.has(x));
        if (reach.length === 0) continue;
        first.push(a);
        evidence.push(e);
        const next = handoffTargets(m, a).find((x) => reach.includes(x));
        const hop = next === undefined ? undefined : handoffEvidence(m, a, next);
        if (hop) evidence.push(hop);
        for (const r of reach) downstream.add(r);
      }
      if (first.length === 0) continue;
      const down = [...downstream].sort((x, y) => x - y);
      const risky = down.find((d) => m.kindOf(d) === 'agent' && irreversibleGrants(m, d).length > 0);
      if (risky !== undefined) {
        const g = irreversibleGrants(m, risky)[0];
        if (g) evidence.push(has(m, risky, ['tools', g.grant.index], m.graph.ids[g.grant.tool], `reached through delegation; can cause ${g.effects.join(', ')}`));
      }
      ctx.report({
        at: h.i,
        also: [...first, ...down],
        evidence,
        data: { human: h.id, agents: idList(m, first), downstream: idList(m, down) },
        ...(risky !== undefined ? { severity: 'high' as const } : {}),
      });
    }
  },
});
