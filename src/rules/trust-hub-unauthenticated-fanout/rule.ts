import { defineRule, type Evidence } from '../../engine/types.js';
import { channelsFrom, channelsInto, elements, has, str } from '../_helpers/index.js';
import { attr, handoffReach, handoffTargets, idList, irreversibleGrants } from '../_helpers/ecosystem.js';

/** Fewest direct delegates that make an agent a hub. */
const MIN_FANOUT = 3;

export default defineRule({
  meta: {
    id: 'trust-hub-unauthenticated-fanout',
    title: 'Hub agent hands tasks to many agents, some over unauthenticated channels',
    threats: ['X-cascading-trust-failures', 'X-cascading-trust-failure', 'MAS-T36'],
    appliesTo: ['agent'],
    severity: 'medium',
    message: 'agent {agent} hands tasks to {fanout} agents and reaches {reach} in all; the links to {weak} do not authenticate, so a forged or compromised hub cascades',
    placeholders: ['agent', 'fanout', 'reach', 'weak'],
    defences: ['mutual-authentication', 'message-signing', 'circuit-breaker'],
    detectionLogic:
      'For each agent, take the agents it hands tasks to (delegatesTo, acceptsFrom read backwards, one-way channels). When there are three or more, look at the channels between the hub and each of them: a link is weak when a channel declares authentication none, unknown or nothing. Links declared only by delegation, with no channel, are not counted (unknown). Flag the hub when at least one link is weak, and count every agent reachable from it (through the hand-off components computed once per model). Severity is high when a reachable agent holds a tool with an irreversible side effect.',
    falsePositives:
      'Hubs inside one process may pass tasks as function calls where authentication means little; model those links with protocol function-call or declare a mutual-authentication control.',
  },
  check(ctx) {
    const m = ctx.model;
    const reachIndex = handoffReach(m);
    const riskyMemo = new Map<number, boolean>();
    const isRisky = (r: number): boolean => {
      let v = riskyMemo.get(r);
      if (v === undefined) {
        v = m.kindOf(r) === 'agent' && irreversibleGrants(m, r).length > 0;
        riskyMemo.set(r, v);
      }
      return v;
    };
    for (const a of elements(m, 'agent')) {
      const peers = handoffTargets(m, a.i);
      if (peers.length < MIN_FANOUT) continue;
      // Channels between the hub and each peer, in either direction (as channelsBetween lists them).
      const between = new Map<number, number[]>();
      const addChannel = (peer: number, c: number) => {
        if (c < 0) return;
        const list = between.get(peer);
        if (list === undefined) between.set(peer, [c]);
        else if (!list.includes(c)) list.push(c);
      };
      for (const c of channelsFrom(m, a.i)) addChannel(c.to, c.channel);
      for (const c of channelsInto(m, a.i)) addChannel(c.from, c.channel);
      const weak: number[] = [];
      const evidence: Evidence[] = [];
      for (const p of peers) {
        const bad = (between.get(p) ?? []).find((c) => {
          const s = m.graph.specs[c] ?? {};
          const auth = str(s, 'authentication');
          const proto = str(s, 'protocol');
          return proto !== 'function-call' && proto !== 'stdio' && (auth === undefined || auth === 'none' || auth === 'unknown');
        });
        if (bad === undefined) continue;
        weak.push(p);
        evidence.push(attr(m, bad, 'authentication', `link from the hub to ${m.graph.ids[p] ?? ''}`));
      }
      if (weak.length === 0) continue;
      const reach = reachIndex.count(a.i);
      // The risky agent named is the first one a breadth-first walk from the hub meets.
      let risky: number | undefined;
      if (reachIndex.reachesAny(a.i, isRisky)) {
        const seen = new Set<number>([a.i]);
        const queue = [a.i];
        for (let q = 0; q < queue.length && risky === undefined; q++) {
          for (const y of handoffTargets(m, queue[q] ?? -1)) {
            if (seen.has(y)) continue;
            seen.add(y);
            if (isRisky(y)) {
              risky = y;
              break;
            }
            queue.push(y);
          }
        }
      }
      if (risky !== undefined) {
        const g = irreversibleGrants(m, risky)[0];
        if (g) evidence.push(has(m, risky, ['tools', g.grant.index], m.graph.ids[g.grant.tool], `reachable from the hub; can cause ${g.effects.join(', ')}`));
      }
      ctx.report({
        at: a.i,
        also: weak,
        evidence,
        data: { agent: a.id, fanout: peers.length, reach, weak: idList(m, weak) },
        ...(risky !== undefined ? { severity: 'high' as const } : {}),
      });
    }
  },
});
