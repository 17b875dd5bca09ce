import { defineRule } from '../../engine/types.js';
import { crossesBoundary, elements, str } from '../_helpers/index.js';
import { attr, isLocalChannel, channelEnds, isAgentLike, isExternalAgent, placement } from '../_helpers/ecosystem.js';

/** Receivers whose callers should prove who they are: agents and the servers agents call. */
const SERVICE_KINDS = new Set(['agent', 'mcp-server', 'tool']);

export default defineRule({
  meta: {
    id: 'channel-without-authentication',
    title: 'Channel between agents, or from an agent to a server, that does not authenticate the sender',
    threats: ['T9', 'T12', 'ASI-T16', 'L7-agent-impersonation', 'MAS-T40'],
    appliesTo: ['channel'],
    severity: 'medium',
    message: 'channel {channel} from {from} to {to} does not authenticate the sender (authentication: {auth})',
    placeholders: ['channel', 'from', 'to', 'auth'],
    defences: ['mutual-authentication', 'signed-agent-cards'],
    detectionLogic:
      'For each channel whose ends are two agents, or an agent and an MCP server or tool (in either direction), and that is not local (protocol function-call or stdio, or an end that is a tool or MCP server started with transport stdio or in-process): flag it when authentication is none. When authentication is not declared or unknown, flag it only when the channel crosses a trust boundary or one end is an agent run by another party (origin external, or an external system of type agent). Severity rises to high when the channel crosses a boundary or reaches an external agent.',
    falsePositives:
      'Two agents in one process or pod may rely on the platform for identity (for example a service mesh that injects mTLS): declare that as the channel authentication or as a mutual-authentication control.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const c of elements(m, 'channel')) {
      if (isLocalChannel(m, c.i)) continue;
      const { from, to } = channelEnds(m, c.i);
      if (from < 0 || to < 0) continue;
      const fromAgent = isAgentLike(m, from);
      const toAgent = isAgentLike(m, to);
      const serviceLink = (fromAgent && (toAgent || SERVICE_KINDS.has(m.kindOf(to)))) || (toAgent && SERVICE_KINDS.has(m.kindOf(from)));
      if (!serviceLink) continue;
      const auth = str(c.spec, 'authentication');
      const external = isExternalAgent(m, from) || isExternalAgent(m, to);
      const crosses = crossesBoundary(m, from, to) === true || external;
      if (auth !== 'none' && !((auth === undefined || auth === 'unknown') && crosses)) continue;
      const evidence = [attr(m, c.i, 'authentication', 'the receiver cannot tell who sent a message')];
      if (crosses) evidence.push(placement(m, from), placement(m, to));
      ctx.report({
        at: c.i,
        also: [from, to],
        evidence,
        data: { channel: c.id, from: m.graph.ids[from] ?? '', to: m.graph.ids[to] ?? '', auth: auth ?? 'not declared' },
        ...(crosses ? { severity: 'high' as const } : {}),
      });
    }
  },
});
