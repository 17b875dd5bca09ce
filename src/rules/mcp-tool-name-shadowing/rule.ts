import { defineRule } from '../../engine/types.js';
import type { Evidence } from '../../engine/types.js';
import type { ResolvedModel } from '../../model/resolve.js';
import { elements, grants, has } from '../_helpers/index.js';
import { capEvidence, idList, mcpToolNames } from '../_helpers/agents.js';

/**
 * Lower-cased MCP tool names interned as small integers, per model: `ids` maps a (shared, memoised)
 * name list to the ids of its lower-cased names, `names` gives the lower-cased name of an id.
 */
interface NameTable {
  readonly byName: Map<string, number>;
  readonly names: string[];
  readonly lists: WeakMap<readonly string[], Int32Array>;
}
const tables = new WeakMap<ResolvedModel, NameTable>();
function tableOf(m: ResolvedModel): NameTable {
  let table = tables.get(m);
  if (table === undefined) {
    table = { byName: new Map(), names: [], lists: new WeakMap() };
    tables.set(m, table);
  }
  return table;
}
function nameIds(table: NameTable, list: readonly string[]): Int32Array {
  let ids = table.lists.get(list);
  if (ids === undefined) {
    ids = new Int32Array(list.length);
    for (let k = 0; k < list.length; k++) {
      const key = (list[k] ?? '').toLowerCase();
      let id = table.byName.get(key);
      if (id === undefined) {
        id = table.names.length;
        table.byName.set(key, id);
        table.names.push(key);
      }
      ids[k] = id;
    }
    table.lists.set(list, ids);
  }
  return ids;
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
    let stamp = new Int32Array(0);
    let firstServer = new Int32Array(0);
    let shadowed = new Uint8Array(0);
    let epoch = 0;
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
      // First pass: which lower-cased names come from two different servers (stamped scratch arrays,
      // no per-agent map of every name). Second pass, for those names only: the servers that give
      // each, with the first grant and spelling per server, in the order a pairwise scan meets them.
      const table = tableOf(m);
      const lists = gs.map((g) => {
        const names = mcpToolNames(m, g);
        return { g, names, ids: nameIds(table, names) };
      });
      if (stamp.length < table.names.length) {
        stamp = new Int32Array(table.names.length * 2);
        firstServer = new Int32Array(table.names.length * 2);
        shadowed = new Uint8Array(table.names.length * 2);
      }
      epoch++;
      const order: number[] = [];
      let any = false;
      for (const { g, ids } of lists) {
        for (const id of ids) {
          if (stamp[id] !== epoch) {
            stamp[id] = epoch;
            firstServer[id] = g.tool;
            shadowed[id] = 0;
            order.push(id);
          } else if (shadowed[id] === 0 && firstServer[id] !== g.tool) {
            shadowed[id] = 1;
            any = true;
          }
        }
      }
      if (!any) continue;
      const slotsOf = new Map<number, { server: number; index: number; name: string }[]>();
      for (const { g, names, ids } of lists) {
        for (let k = 0; k < ids.length; k++) {
          const id = ids[k] ?? 0;
          if (shadowed[id] !== 1) continue;
          const slots = slotsOf.get(id);
          if (slots === undefined) slotsOf.set(id, [{ server: g.tool, index: g.index, name: names[k] ?? '' }]);
          else if (!slots.some((x) => x.server === g.tool)) slots.push({ server: g.tool, index: g.index, name: names[k] ?? '' });
        }
      }
      const names: string[] = [];
      const involved = new Set<number>();
      const evidence: Evidence[] = [];
      for (const id of order) {
        const slots = slotsOf.get(id);
        if (slots === undefined) continue;
        names.push(table.names[id] ?? '');
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
