import { defineRule } from '../../engine/types.js';
import type { Evidence } from '../../engine/types.js';
import { channelsInto, elements, has, into, lacks, strings, untrustedInputs } from '../_helpers/index.js';
import { CappedEvidence, holdingEvidence, idList, indexIn, PRIVILEGED, ungated } from '../_helpers/agents.js';

export default defineRule({
  meta: {
    id: 'privileged-agent-accepts-unlisted-delegators',
    title: 'Privileged agent takes tasks from agents it does not list as allowed senders',
    threats: ['X-confused-deputy-excessive-agency', 'L3-trust-exploitation', 'T3'],
    appliesTo: ['agent'],
    severity: 'medium',
    message: 'agent {agent} can cause {effects} and takes tasks from {senders} without listing them in acceptsFrom',
    placeholders: ['agent', 'effects', 'senders'],
    defences: ['policy-as-code', 'mutual-authentication', 'per-agent-identity'],
    detectionLogic:
      'For each agent that holds a side effect changing the world (write or an irreversible effect) with no human approval before the action, find the agents that send it work: agents that delegate to it and agents with a channel to it. When acceptsFrom is not declared, or is declared but leaves out one of those senders, the privileged agent acts on requests from senders it never vetted, with its own authority: a confused deputy. The severity is raised to high when one of those senders is itself exposed to untrusted content.',
    falsePositives:
      'Some frameworks restrict who may call an agent outside the agent definition (a router, a gateway policy); declare acceptsFrom to state it, or a policy-as-code control. A sender the list leaves out on purpose (the call is rejected at run time) is still reported, since the model then contradicts itself.',
  },
  check(ctx) {
    const m = ctx.model;
    const exposure = new Map<number, Evidence[]>();
    const inputsOf = (a: number): Evidence[] => {
      let ev = exposure.get(a);
      if (ev === undefined) {
        ev = untrustedInputs(m, a)
          .slice(0, 2)
          .map((x) => x.evidence);
        exposure.set(a, ev);
      }
      return ev;
    };
    for (const b of elements(m, 'agent')) {
      const open = ungated(m, b.i, PRIVILEGED, true);
      if (open.length === 0) continue;
      // Evidence builders per sender: only the evidence the cap keeps is built (a hub has thousands of senders).
      const senders = new Map<number, () => Evidence>();
      for (const a of into(m, b.i, 'delegates')) {
        senders.set(a, () => {
          const k = indexIn(m.graph.specs[a] ?? {}, 'delegatesTo', b.id, m);
          return has(m, a, k >= 0 ? ['delegatesTo', k] : ['delegatesTo'], b.id, 'delegates tasks to it');
        });
      }
      for (const c of channelsInto(m, b.i)) {
        if (m.kindOf(c.from) === 'agent' && c.channel >= 0 && !senders.has(c.from)) senders.set(c.from, () => has(m, c.channel, ['from'], m.graph.ids[c.from], 'sends it messages'));
      }
      if (senders.size === 0) continue;
      const declared = Array.isArray(b.spec['acceptsFrom']);
      const allowed = new Set(strings(b.spec['acceptsFrom']));
      const unlisted = [...senders.keys()].filter((a) => !allowed.has(m.graph.ids[a] ?? ''));
      if (unlisted.length === 0) continue;
      const evidence = new CappedEvidence();
      for (const a of unlisted) {
        const make = senders.get(a);
        if (make !== undefined) evidence.add(make);
      }
      evidence.add(() => (declared ? has(m, b.i, ['acceptsFrom'], b.spec['acceptsFrom'], `does not list ${idList(m, unlisted)}`) : lacks(m, b.i, ['acceptsFrom'], 'no list of agents it accepts tasks from')));
      for (const h of open) evidence.addAll(holdingEvidence(m, b.i, h));
      let exposed = false;
      for (const a of unlisted) {
        const inputs = inputsOf(a);
        if (inputs.length > 0) {
          exposed = true;
          evidence.addAll(inputs);
        }
      }
      ctx.report({
        at: b.i,
        also: unlisted,
        evidence: evidence.done(m, b.i),
        data: { agent: b.id, effects: [...new Set(open.map((h) => h.effect))].sort().join(', '), senders: idList(m, unlisted) },
        ...(exposed ? { severity: 'high' as const } : {}),
      });
    }
  },
});
