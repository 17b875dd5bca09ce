import { defineRule, type Evidence } from '../../engine/types.js';
import { channelsFrom, channelsInto, has, lacks, out, into, str } from '../_helpers/index.js';
import { STRONG_CHANNEL_AUTH, attr, handoffEvidence, idList, isExternalAgent, isOwnAgent } from '../_helpers/ecosystem.js';

export default defineRule({
  meta: {
    id: 'external-agent-identity-unverified',
    title: 'Agent run by another party exchanges tasks with own agents without a verified identity',
    threats: ['T9', 'L7-agent-impersonation', 'L7-compromised-agents', 'L7-inaccurate-agent-capability-description', 'L7-integration-risks'],
    appliesTo: ['agent', 'external-system'],
    severity: 'high',
    message: 'external agent {agent} exchanges tasks with {peers} but none of the links verifies its identity',
    placeholders: ['agent', 'peers'],
    defences: ['signed-agent-cards', 'mutual-authentication'],
    detectionLogic:
      'For each agent whose origin is external (run by another party), and each external system of type agent: collect the agents the system runs itself (origin first-party, third-party or not declared) linked to it by a channel in either direction, a delegatesTo or an acceptsFrom. Flag it when it has such links and no channel between it and those agents verifies identity: mTLS, signed tokens or DIDs, or an agent card together with message signing. A link declared only by delegation, with no channel, counts as unverified.',
    falsePositives:
      'The other party may be authenticated by a gateway that is not modelled; declare the gateway as the channel authentication or as a control on the external agent.',
  },
  check(ctx) {
    const m = ctx.model;
    const candidates = [...m.ofKind('agent'), ...m.ofKind('external-system')].filter((i) => isExternalAgent(m, i));
    for (const x of candidates) {
      // Own agents linked to x, read off x's own edges: channels in either direction (in the order
      // channelsBetween(a, x) lists them), a delegating to or accepting from x, and x delegating to a.
      const between = new Map<number, number[]>();
      const linked = new Set<number>();
      const addChannel = (a: number, c: number) => {
        if (c < 0 || !isOwnAgent(m, a)) return;
        linked.add(a);
        const list = between.get(a);
        if (list === undefined) between.set(a, [c]);
        else if (!list.includes(c)) list.push(c);
      };
      for (const c of channelsInto(m, x)) addChannel(c.from, c.channel);
      for (const c of channelsFrom(m, x)) addChannel(c.to, c.channel);
      for (const a of [...into(m, x, 'delegates'), ...into(m, x, 'accepts-from'), ...out(m, x, 'delegates')]) if (isOwnAgent(m, a)) linked.add(a);
      linked.delete(x);
      if (linked.size === 0) continue;
      const peers = [...linked].sort((p, q) => p - q);
      const evidence: Evidence[] = [];
      let verified = false;
      for (const a of peers) {
        const chans = between.get(a) ?? [];
        if (chans.length === 0) {
          const note = 'linked by delegation only: no channel is declared, so how identity is checked is unknown';
          evidence.push(handoffEvidence(m, a, x, note) ?? handoffEvidence(m, x, a, note) ?? lacks(m, a, ['delegatesTo'], note));
          continue;
        }
        for (const c of chans) {
          const s = m.graph.specs[c] ?? {};
          const auth = str(s, 'authentication');
          if ((auth !== undefined && STRONG_CHANNEL_AUTH.includes(auth)) || (auth === 'agent-card' && s['signing'] === true)) verified = true;
          else evidence.push(attr(m, c, 'authentication', auth === 'agent-card' ? 'agent card without message signing' : 'identity of the other agent is not verified'));
        }
      }
      if (verified) continue;
      const k = m.kindOf(x);
      evidence.unshift(k === 'agent' ? has(m, x, ['origin'], str(m.graph.specs[x] ?? {}, 'origin')) : has(m, x, ['type'], 'agent'));
      const list = peers;
      ctx.report({ at: x, also: list, evidence, data: { agent: m.graph.ids[x] ?? '', peers: idList(m, list) } });
    }
  },
});
