import { defineRule } from '../../engine/types.js';
import type { Evidence } from '../../engine/types.js';
import { channelsInto, elements, has, isRemoteTransport, lacks, str } from '../_helpers/index.js';
import { capEvidence } from '../_helpers/agents.js';

const NO_AUTH = new Set(['none', 'unknown']);

export default defineRule({
  meta: {
    id: 'remote-mcp-server-without-auth',
    title: 'Remote MCP server reached without authentication',
    threats: ['MAS-T30', 'T9'],
    appliesTo: ['mcp-server'],
    severity: 'medium',
    message: 'remote MCP server {server} at {address} {state}',
    placeholders: ['server', 'address', 'state'],
    defences: ['mutual-authentication', 'network-segmentation'],
    detectionLogic:
      'For each MCP server reached over the network (transport http, sse, streamable-http or websocket, or a url with no transport), look at auth. auth none is reported as high: anyone can call the server, and a look-alike server at the same address cannot be told apart. When auth is not declared, the channels into the server are checked: if one of them names an authentication other than none or unknown, the server counts as authenticated; otherwise it is reported as medium, since nothing is known.',
    falsePositives:
      'A server reachable only inside a private network segment is harder to reach, though not to impersonate from inside; declare a network-segmentation control. Public read-only servers without auth (documentation search) are a lower risk; record an accepted risk.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const s of elements(m, 'mcp-server')) {
      if (!isRemoteTransport(s.spec)) continue;
      const auth = str(s.spec, 'auth');
      const address = str(s.spec, 'url') ?? 'an undeclared address';
      const evidence: Evidence[] = [];
      if (auth === 'none') {
        evidence.push(has(m, s.i, ['auth'], 'none', 'clients do not authenticate'));
        ctx.report({ at: s.i, evidence: capEvidence(m, s.i, evidence), data: { server: s.id, address, state: 'accepts calls without any authentication' }, severity: 'high' });
        continue;
      }
      if (auth !== undefined) continue;
      const chans = channelsInto(m, s.i).filter((c) => c.channel >= 0);
      const authed = chans.some((c) => {
        const a = str(m.graph.specs[c.channel] ?? {}, 'authentication');
        return a !== undefined && !NO_AUTH.has(a);
      });
      if (authed) continue;
      evidence.push(lacks(m, s.i, ['auth'], 'how clients authenticate is not declared'));
      for (const c of chans) {
        const a = str(m.graph.specs[c.channel] ?? {}, 'authentication');
        evidence.push(a !== undefined ? has(m, c.channel, ['authentication'], a) : lacks(m, c.channel, ['authentication']));
      }
      ctx.report({ at: s.i, evidence: capEvidence(m, s.i, evidence), data: { server: s.id, address, state: 'declares no authentication' } });
    }
  },
});
