import { defineRule } from '../../engine/types.js';
import { elements, grants, has } from '../_helpers/index.js';

const WILDCARDS = new Set(['*', 'all', 'admin', '*:*', 'full', 'full-access', 'root']);

export default defineRule({
  meta: {
    id: 'tool-grant-wildcard-scope',
    title: 'Agent granted a tool with a wildcard or admin scope',
    threats: ['T3', 'T2'],
    appliesTo: ['agent'],
    severity: 'high',
    message: 'agent {agent} holds {tool} with the unrestricted scope {scope}',
    placeholders: ['agent', 'tool', 'scope'],
    defences: ['least-privilege-tool-scopes'],
    detectionLogic: 'For each tool grant of each agent, look for a scope that grants everything ("*", "all", "admin", "*:*", "full", "root"), on the grant or, when the grant names none, on the tool.',
    falsePositives: 'A tool whose only capability is harmless may be granted broadly on purpose; record that as an accepted risk.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const a of elements(m, 'agent')) {
      for (const g of grants(m, a.i)) {
        const bad = g.scopes.find((s) => WILDCARDS.has(s.toLowerCase()));
        if (bad === undefined) continue;
        ctx.report({
          at: a.i,
          also: [g.tool],
          evidence: [has(m, a.i, ['tools', g.index], m.graph.ids[g.tool], `scope ${bad}`)],
          data: { agent: a.id, tool: m.graph.ids[g.tool] ?? '', scope: bad },
        });
      }
    }
  },
});
