import { defineRule } from '../../engine/types.js';
import { effectiveBoundary, has, lacks, out, str } from '../_helpers/index.js';
import { CappedEvidence, effectMask, idList, maskEffects, toolUses } from '../_helpers/agents.js';
import type { SideEffectName } from '../../model/schema.js';

/** Transports where every client gets its own server process. */
const PER_CLIENT = new Set(['stdio']);
/** Side effects that leave state behind in the server or what it manages. */
const STATEFUL: readonly SideEffectName[] = ['write', 'delete', 'system-config'];

export default defineRule({
  meta: {
    id: 'mcp-server-shared-across-boundaries',
    title: 'One stateful MCP server or tool instance serves agents in different trust boundaries',
    threats: ['MAS-T42', 'MAS-T31'],
    appliesTo: ['mcp-server', 'tool'],
    severity: 'medium',
    message: '{server} keeps state and serves agents in different trust boundaries: {agents}',
    placeholders: ['server', 'agents'],
    defences: ['agent-isolation', 'memory-isolation'],
    detectionLogic:
      'For each MCP server or tool that is not started per client (transport other than stdio) and that keeps state (it writes, deletes or changes configuration, or it accesses a memory), collect the agents granted it and the trust boundary each sits in (its own, or its deployment\'s). When those agents sit in two or more different boundaries, one shared instance links them: what one agent stores, caches or breaks is seen by the others, across a boundary the model says should separate them.',
    falsePositives:
      'A server that partitions state per caller (per tenant, per token) is not shared in practice; declare a memory-isolation or agent-isolation control on it. Agents without a boundary are not compared.',
  },
  check(ctx) {
    const m = ctx.model;
    const uses = toolUses(m);
    const stateful = effectMask(STATEFUL);
    for (const tool of uses.order) {
      const list = uses.holders[tool] ?? [];
      if (list.length < 2) continue;
      const spec = m.graph.specs[tool] ?? {};
      const transport = str(spec, 'transport');
      if (transport !== undefined && PER_CLIENT.has(transport)) continue;
      const stores = out(m, tool, 'accesses').filter((x) => m.kindOf(x) === 'memory');
      const writes = maskEffects((uses.effects[tool] ?? 0) & stateful);
      if (stores.length === 0 && writes.length === 0) continue;
      const boundaries = new Map<number, number[]>();
      for (const agent of list) {
        const b = effectiveBoundary(m, agent);
        if (b < 0) continue;
        const members = boundaries.get(b) ?? [];
        members.push(agent);
        boundaries.set(b, members);
      }
      if (boundaries.size < 2) continue;
      // Only the evidence the cap keeps is built: a widely shared server has thousands of agents.
      const evidence = new CappedEvidence();
      evidence.add(() => (transport !== undefined ? has(m, tool, ['transport'], transport, 'one instance for every client') : lacks(m, tool, ['transport'], 'transport not declared: assumed shared')));
      if (writes.length > 0) evidence.add(() => has(m, tool, ['sideEffects'], undefined, `state-changing side effects: ${writes.sort().join(', ')}`));
      for (const s of stores) evidence.add(() => has(m, tool, ['accesses'], m.graph.ids[s], 'keeps state in this memory'));
      for (const [b, agents] of boundaries) {
        for (const a of agents) {
          const own = m.graph.boundary[a] === b;
          evidence.add(() => (own ? has(m, a, ['boundary'], m.graph.ids[b], 'agent trust boundary') : has(m, a, ['deployment'], m.graph.ids[m.graph.deployment[a] ?? -1], `runs in trust boundary ${m.graph.ids[b] ?? ''}`)));
        }
      }
      const agents = [...boundaries.values()].flat();
      ctx.report({
        at: tool,
        also: agents,
        evidence: evidence.done(m, tool),
        data: { server: m.graph.ids[tool] ?? '', agents: idList(m, agents) },
      });
    }
  },
});
