import { defineRule, type Evidence } from '../../engine/types.js';
import { boundedAlso, channelsFrom, elements, has, into, isUntrustedSource, out } from '../_helpers/index.js';
import { handoffEvidence, handoffReach, handoffTargets, idList, irreversibleGrants } from '../_helpers/ecosystem.js';

/** Agents named as involved in a finding: the first ones, then only those that carry a relevant control. */
const MAX_ALSO = 24;
const DEFENCES = ['input-guardrails', 'policy-as-code'];

export default defineRule({
  meta: {
    id: 'trust-untrusted-human-steers-delegator',
    title: 'Untrusted human talks directly to an agent that hands tasks on to other agents',
    threats: ['T14', 'L6-indirect-privilege-escalation'],
    appliesTo: ['human'],
    severity: 'medium',
    message: 'untrusted human {human} talks to {agents}, whose tasks flow on to {downstream}: requests are relayed with the delegating agent authority',
    placeholders: ['human', 'agents', 'downstream'],
    defences: DEFENCES,
    detectionLogic:
      'For each human that is untrusted (declared untrusted, or of role public, or a customer with no trust declared), find the agents it reaches directly: channels from the human, and entry points whose source is the human. For each such agent, find what it reaches over the task hand-off graph (delegatesTo, acceptsFrom read backwards, one-way agent channels; reachability is computed once per model over its strongly connected components). Flag the human when any agent is reached beyond the first; downstream agents act on a request that now looks as if it came from a peer agent. Severity is high when a downstream agent holds a tool with an irreversible side effect. The message counts every downstream agent; the finding names the first 24 agents (contacts first) as involved, plus any other that carries an input-guardrails or policy-as-code control, so its mitigation is as if all were named.',
    falsePositives:
      'Downstream agents that authorise each task against the original requester (an end-user token, a policy decision) are not fooled by the relay; declare that as a policy-as-code control.',
  },
  check(ctx) {
    const m = ctx.model;
    const reachIndex = handoffReach(m);
    const controlMemo: (number[] | undefined)[] = [];
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
      // Contacts that hand tasks on to an agent the human does not reach directly, and everything they reach.
      const { escaping, reached } = reachIndex.reachOutside([...contacts.keys()], new Set(contacts.keys()));
      const first: number[] = [];
      const evidence: Evidence[] = [];
      for (const a of escaping) {
        first.push(a);
        evidence.push(contacts.get(a) ?? has(m, a, []));
        // A direct hand-off target is always reached; the first that is not itself a contact.
        const next = handoffTargets(m, a).find((x) => !contacts.has(x));
        const hop = next === undefined ? undefined : handoffEvidence(m, a, next);
        if (hop) evidence.push(hop);
      }
      if (first.length === 0) continue;
      const down = reached;
      const risky = down.find((d) => m.kindOf(d) === 'agent' && irreversibleGrants(m, d).length > 0);
      if (risky !== undefined) {
        const g = irreversibleGrants(m, risky)[0];
        if (g) evidence.push(has(m, risky, ['tools', g.grant.index], m.graph.ids[g.grant.tool], `reached through delegation; can cause ${g.effects.join(', ')}`));
      }
      ctx.report({
        at: h.i,
        also: boundedAlso(m, h.i, [...first, ...down], DEFENCES, MAX_ALSO, controlMemo),
        evidence,
        data: { human: h.id, agents: idList(m, first), downstream: idList(m, down) },
        ...(risky !== undefined ? { severity: 'high' as const } : {}),
      });
    }
  },
});
