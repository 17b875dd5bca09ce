import { defineRule, type Evidence } from '../../engine/types.js';
import { channelsFrom, channelsInto, get, has, into, isRemoteTransport, lacks, out, sensitivityRank, str } from '../_helpers/index.js';
import { idList, isOwnAgent, publisherOf } from '../_helpers/ecosystem.js';

export default defineRule({
  meta: {
    id: 'external-mcp-server-unverified',
    title: 'Agents connect to a remote MCP server whose operator and identity are not verified',
    threats: ['MAS-T47', 'ECO-unknown-publisher', 'L7-integration-risks'],
    appliesTo: ['mcp-server'],
    severity: 'medium',
    message: 'remote MCP server {server} used by {agents} is not verified: {why}',
    placeholders: ['server', 'agents', 'why'],
    defences: ['mutual-authentication', 'tool-definition-locking', 'dependency-verification'],
    detectionLogic:
      'For each MCP server reached over the network (transport http, sse, streamable-http or websocket, or a url with no transport) that first-party agents use through a grant or a channel: flag it when nothing ties it to a known operator, that is the publisher is neither first-party nor verified, its signature is not verified, no definition lock hash is recorded, and no channel from its agents authenticates it with mTLS. Severity is high when an agent using it reads or writes a confidential or restricted memory (a rogue server can ask for that data).',
    falsePositives:
      'A vendor server reached through a well-known domain may be trusted on its TLS certificate alone; declare the publisher as vendor with verified true, or record a tool-definition-locking control.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const s of m.ofKind('mcp-server')) {
      const spec = m.graph.specs[s] ?? {};
      if (!isRemoteTransport(spec)) continue;
      const agents = new Set<number>(into(m, s, 'invokes').filter((a) => isOwnAgent(m, a)));
      // Channels between the server and own agents, in either direction, read off the server's own edges.
      const agentChannels: number[] = [];
      for (const c of channelsInto(m, s)) {
        if (c.channel < 0 || !isOwnAgent(m, c.from)) continue;
        agents.add(c.from);
        agentChannels.push(c.channel);
      }
      for (const c of channelsFrom(m, s)) {
        if (c.channel < 0 || !isOwnAgent(m, c.to)) continue;
        agents.add(c.to);
        agentChannels.push(c.channel);
      }
      if (agents.size === 0) continue;
      const pub = publisherOf(spec);
      if (pub?.trust === 'first-party' || pub?.verified === true) continue;
      if (get(spec, ['signature', 'verified']) === true || get(spec, ['lock', 'hash']) !== undefined) continue;
      const users = [...agents].sort((x, y) => x - y);
      const mtls = agentChannels.some((c) => str(m.graph.specs[c] ?? {}, 'authentication') === 'mtls');
      if (mtls) continue;
      const evidence: Evidence[] = [
        has(m, s, [typeof spec['transport'] === 'string' ? 'transport' : 'url'], typeof spec['transport'] === 'string' ? spec['transport'] : spec['url'], 'reached over the network'),
        pub === undefined ? lacks(m, s, ['publisher'], 'operator unknown') : has(m, s, ['publisher', 'trust'], pub.trust ?? 'not declared', 'publisher not verified'),
        lacks(m, s, ['lock'], 'no approved definition hash'),
      ];
      let secret: number | undefined;
      for (let k = 0; k < users.length && secret === undefined; k++) {
        const a = users[k] ?? -1;
        secret = [...out(m, a, 'reads'), ...out(m, a, 'writes')].find((mem) => sensitivityRank((m.graph.specs[mem] ?? {})['sensitivity']) >= 2);
      }
      if (secret !== undefined) evidence.push(has(m, secret, ['sensitivity'], (m.graph.specs[secret] ?? {})['sensitivity'], 'data an agent using the server can hand over'));
      ctx.report({
        at: s,
        also: users,
        evidence,
        data: { server: m.graph.ids[s] ?? '', agents: idList(m, users), why: `publisher ${pub?.trust ?? 'unknown'}, no verified signature, no definition lock, no mTLS` },
        ...(secret !== undefined ? { severity: 'high' as const } : {}),
      });
    }
  },
});
