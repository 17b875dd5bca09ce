import { defineRule } from '../../engine/types.js';
import type { Evidence } from '../../engine/types.js';
import { elements, grants, has } from '../_helpers/index.js';
import { capEvidence, idList, mcpToolNames } from '../_helpers/agents.js';

export default defineRule({
  meta: {
    id: 'mcp-tool-name-shadowing',
    title: 'Two MCP servers give one agent tools with the same name',
    threats: ['T2', 'MAS-T41', 'BV-2'],
    appliesTo: ['agent'],
    severity: 'medium',
    message: 'agent {agent} sees the tool names {names} from more than one server ({servers})',
    placeholders: ['agent', 'names', 'servers'],
    defences: ['tool-definition-locking', 'least-privilege-tool-scopes'],
    detectionLogic:
      'For each agent, list the MCP tool names each granted MCP server gives it (the names a grant limits it to, else every tool the server lists). A name that comes from two or more different servers is reported: the model chooses between them by description alone, so a server can shadow a trusted tool (for example a second send_email) and receive calls, arguments and data meant for the other. Names are compared case-insensitively.',
    falsePositives:
      'Some clients prefix tool names with the server name, which removes the ambiguity for the client (not always for the model); limit the grants to the tools the agent needs to make the model state it.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const a of elements(m, 'agent')) {
      // A name can only be shadowed when the agent holds two different MCP servers.
      const gs = grants(m, a.i);
      let first = -1;
      let several = false;
      for (const g of gs) {
        if (m.kindOf(g.tool) !== 'mcp-server') continue;
        if (first < 0) first = g.tool;
        else if (g.tool !== first) {
          several = true;
          break;
        }
      }
      if (!several) continue;
      const byName = new Map<string, Map<number, Evidence>>();
      for (const g of gs) {
        for (const name of mcpToolNames(m, g)) {
          const key = name.toLowerCase();
          const servers = byName.get(key) ?? new Map<number, Evidence>();
          if (!servers.has(g.tool)) servers.set(g.tool, has(m, a.i, ['tools', g.index], m.graph.ids[g.tool], `gives the tool ${name}`));
          byName.set(key, servers);
        }
      }
      const names: string[] = [];
      const involved = new Set<number>();
      const evidence: Evidence[] = [];
      for (const [name, servers] of byName) {
        if (servers.size < 2) continue;
        names.push(name);
        for (const [s, e] of servers) {
          involved.add(s);
          evidence.push(e);
        }
      }
      if (names.length === 0) continue;
      ctx.report({
        at: a.i,
        also: [...involved],
        evidence: capEvidence(m, a.i, evidence),
        data: { agent: a.id, names: names.length > 6 ? `${names.slice(0, 6).join(', ')} and ${String(names.length - 6)} more` : names.join(', '), servers: idList(m, involved) },
      });
    }
  },
});
