import { defineRule } from '../../engine/types.js';
import { crossesBoundary, elements, sensitivityRank, str } from '../_helpers/index.js';
import { attr, isLocalChannel, channelEnds, isExternalAgent, placement } from '../_helpers/ecosystem.js';

export default defineRule({
  meta: {
    id: 'channel-unencrypted-across-boundary',
    title: 'Channel that leaves its trust boundary, or carries sensitive data, without encryption',
    threats: ['T12', 'L6-data-privacy-violations-in-inter-agent-interactions', 'X-data-leakage'],
    appliesTo: ['channel'],
    layer: 'L6',
    severity: 'medium',
    message: 'channel {channel} from {from} to {to} is not encrypted (encryption: {encryption}) although {why}',
    placeholders: ['channel', 'from', 'to', 'encryption', 'why'],
    defences: ['encryption-in-transit'],
    detectionLogic:
      'For each channel that is not a blockchain transaction and not local (protocol function-call or stdio, or an end that is a tool or MCP server started with transport stdio or in-process): flag it when encryption is none or not declared and its ends sit in different trust boundaries or one end is an agent run by another party (origin external); also flag encryption none on a channel declared confidential or restricted, whatever the boundaries. Severity is high when the channel is declared confidential or restricted.',
    falsePositives:
      'Encryption may be provided below the channel (a VPN, a service mesh, an encrypted overlay network); declare encryption on the channel or an encryption-in-transit control on the boundary.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const c of elements(m, 'channel')) {
      if (str(c.spec, 'protocol') === 'blockchain' || isLocalChannel(m, c.i)) continue;
      const enc = str(c.spec, 'encryption');
      if (enc !== undefined && enc !== 'none') continue;
      const { from, to } = channelEnds(m, c.i);
      if (from < 0 || to < 0) continue;
      const sensitive = sensitivityRank(c.spec['sensitivity']) >= 2;
      const crosses = crossesBoundary(m, from, to) === true || isExternalAgent(m, from) || isExternalAgent(m, to);
      if (!crosses && !(enc === 'none' && sensitive)) continue;
      const evidence = [attr(m, c.i, 'encryption', 'traffic can be read or altered on the way')];
      if (crosses) evidence.push(placement(m, from), placement(m, to));
      if (sensitive) evidence.push(attr(m, c.i, 'sensitivity'));
      ctx.report({
        at: c.i,
        also: [from, to],
        evidence,
        data: {
          channel: c.id,
          from: m.graph.ids[from] ?? '',
          to: m.graph.ids[to] ?? '',
          encryption: enc ?? 'not declared',
          why: crosses ? 'it crosses a trust boundary' : `it carries ${String(c.spec['sensitivity'])} data`,
        },
        ...(sensitive ? { severity: 'high' as const } : {}),
      });
    }
  },
});
