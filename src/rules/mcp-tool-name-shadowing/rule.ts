import { defineRule } from '../../engine/types.js';
import type { Evidence } from '../../engine/types.js';
import { elements, grants, has } from '../_helpers/index.js';
import { capEvidence, idList, mcpToolNames } from '../_helpers/agents.js';

/** Lower-cased copies of the (shared, memoised) MCP tool name lists, built once per list. */
const lowerCache = new WeakMap<readonly string[], string[]>();
function lowered(names: readonly string[]): string[] {
  let res = lowerCache.get(names);
  if (res === undefined) {
    res = names.map((n) => n.toLowerCase());
    lowerCache.set(names, res);
  }
  return res;
}

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
      // Per lower-cased tool name, the servers that give it (first grant and spelling per server);
      // evidence is built only for the names that end up shadowed.
      const byName = new Map<string, { server: number; index: number; name: string }[]>();
      for (const g of gs) {
        const names = mcpToolNames(m, g);
        const lower = lowered(names);
        for (let k = 0; k < names.length; k++) {
          const name = names[k] ?? '';
          const key = lower[k] ?? '';
          const slots = byName.get(key);
          if (slots === undefined) byName.set(key, [{ server: g.tool, index: g.index, name }]);
          else if (!slots.some((x) => x.server === g.tool)) slots.push({ server: g.tool, index: g.index, name });
        }
      }
      const names: string[] = [];
      const involved = new Set<number>();
      const evidence: Evidence[] = [];
      for (const [name, slots] of byName) {
        if (slots.length < 2) continue;
        names.push(name);
        for (const x of slots) {
          involved.add(x.server);
          evidence.push(has(m, a.i, ['tools', x.index], m.graph.ids[x.server], `gives the tool ${x.name}`));
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
