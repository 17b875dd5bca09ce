import { defineRule, type Evidence } from '../../engine/types.js';
import { has, into } from '../_helpers/index.js';
import { declaredCredentials, idList } from '../_helpers/ecosystem.js';

export default defineRule({
  meta: {
    id: 'credential-admin-scope',
    title: 'Agent, tool or MCP server holds an administrator credential',
    threats: ['L6-indirect-privilege-escalation', 'T3', 'X-privilege-escalation'],
    appliesTo: ['agent', 'tool', 'mcp-server'],
    layer: 'L6',
    severity: 'high',
    message: '{element} holds an administrator {type}, which {reach}',
    placeholders: ['element', 'type', 'reach'],
    defences: ['least-privilege-tool-scopes', 'policy-as-code'],
    detectionLogic:
      'Flag every credential of an agent (identity.credentials), tool or MCP server (credentials) whose scope is admin. For a tool or MCP server, the agents granted it are listed as involved: each of them can act with the administrator credential through the tool, whatever its own permissions (indirect privilege escalation).',
    falsePositives:
      'Some platform APIs offer no narrower credential; then record the least-privilege work-around (a proxy, a policy engine in front of the tool) as a control.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const c of declaredCredentials(m)) {
      if (c.cred['scope'] !== 'admin') continue;
      const type = typeof c.cred['type'] === 'string' ? c.cred['type'] : 'credential';
      const evidence: Evidence[] = [has(m, c.at, [...c.path, 'scope'], 'admin')];
      const users = m.kindOf(c.at) === 'agent' ? [] : into(m, c.at, 'invokes');
      for (const a of users.slice(0, 5)) evidence.push(has(m, a, ['tools'], undefined, `can use ${m.graph.ids[c.at] ?? ''} and its administrator credential`));
      ctx.report({
        at: c.at,
        also: users,
        evidence,
        data: {
          element: m.graph.ids[c.at] ?? '',
          type,
          reach: users.length > 0 ? `every agent granted it can use (${idList(m, users)})` : m.kindOf(c.at) === 'agent' ? 'the agent can use on any task' : 'any caller of it can use',
        },
      });
    }
  },
});
