import { defineRule } from '../../engine/types.js';
import { elements, has, str } from '../_helpers/index.js';
import { STRONG_CHANNEL_AUTH, attr, channelEnds, irreversibleGrants, isAgentLike } from '../_helpers/ecosystem.js';

const MESSAGE_PROTOCOLS = new Set(['a2a', 'message-queue']);

export default defineRule({
  meta: {
    id: 'channel-agent-messages-unsigned',
    title: 'Agent-to-agent messages over A2A or a message queue are not signed by their sender',
    threats: ['T12', 'MAS-T36', 'X-cascading-trust-failures', 'ASI-T16'],
    appliesTo: ['channel'],
    severity: 'medium',
    message: 'messages on {channel} ({protocol}) from {from} to {to} are not signed, so the receiver cannot prove who wrote them',
    placeholders: ['channel', 'protocol', 'from', 'to'],
    defences: ['message-signing'],
    detectionLogic:
      'For each channel with protocol a2a or message-queue whose two ends are agents (or agents run by other parties): flag it when signing is false, or when signing is not declared, except for a direct A2A channel that already authenticates both ends with mTLS, signed tokens or DIDs (a queue is never exempt: the broker sits between the agents). Severity is high when the receiving agent holds a tool with an irreversible side effect.',
    falsePositives:
      'Messages that only carry read-only queries may not need per-message signatures; a broker that authenticates and stamps each publisher may give similar assurance (declare it as a message-signing control).',
  },
  check(ctx) {
    const m = ctx.model;
    for (const c of elements(m, 'channel')) {
      const protocol = str(c.spec, 'protocol');
      if (protocol === undefined || !MESSAGE_PROTOCOLS.has(protocol)) continue;
      const { from, to } = channelEnds(m, c.i);
      if (from < 0 || to < 0 || !isAgentLike(m, from) || !isAgentLike(m, to)) continue;
      const signing = c.spec['signing'];
      if (signing === true) continue;
      const auth = str(c.spec, 'authentication');
      if (signing === undefined && protocol === 'a2a' && auth !== undefined && STRONG_CHANNEL_AUTH.includes(auth)) continue;
      const evidence = [attr(m, c.i, 'signing', 'messages carry no sender signature'), has(m, c.i, ['protocol'], protocol)];
      const risky = m.kindOf(to) === 'agent' ? irreversibleGrants(m, to) : [];
      const first = risky[0];
      if (first) evidence.push(has(m, to, ['tools', first.grant.index], m.graph.ids[first.grant.tool], `receiver can cause ${first.effects.join(', ')}`));
      ctx.report({
        at: c.i,
        also: [from, to],
        evidence,
        data: { channel: c.id, protocol, from: m.graph.ids[from] ?? '', to: m.graph.ids[to] ?? '' },
        ...(first ? { severity: 'high' as const } : {}),
      });
    }
  },
});
