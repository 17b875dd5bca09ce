import { defineRule } from '../../engine/types.js';
import type { Evidence } from '../../engine/types.js';
import { isRecord } from '../../model/references.js';
import { elements, get, has, into, isRemoteTransport, lacks } from '../_helpers/index.js';
import { capEvidence, idList } from '../_helpers/agents.js';

const UNVETTED = new Set(['community', 'unknown']);

export default defineRule({
  meta: {
    id: 'mcp-server-without-lock',
    title: 'MCP server used by an agent with no locked, reviewed tool definitions',
    threats: ['LC-tool-definition-drift', 'BV-2'],
    appliesTo: ['mcp-server'],
    severity: 'medium',
    message: 'MCP server {server} is used by {agents} but no hash of its reviewed tool definitions is recorded, so changed descriptions go unnoticed',
    placeholders: ['server', 'agents'],
    defences: ['tool-definition-locking', 'pinned-signed-tools'],
    detectionLogic:
      'For each MCP server granted to at least one agent, report it when lock.hash is not declared: without a hash of the tool list and descriptions that were reviewed, a server can change what its tools say or do after approval and nobody is alerted. The severity is raised to high for a remote server (its operator can change it at any moment) or one whose publisher trust is community or unknown.',
    falsePositives:
      'A server built and released in-house through a reviewed pipeline changes only with a release; still record the lock so the model states what was reviewed, or declare a tool-definition-locking control.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const s of elements(m, 'mcp-server')) {
      const agents = [...new Set(into(m, s.i, 'invokes'))];
      if (agents.length === 0) continue;
      const lock = s.spec['lock'];
      if (isRecord(lock) && typeof lock['hash'] === 'string' && lock['hash'] !== '') continue;
      const evidence: Evidence[] = [lacks(m, s.i, ['lock'], 'no hash of the approved tool definitions')];
      const tools = s.spec['tools'];
      if (Array.isArray(tools)) evidence.push(has(m, s.i, ['tools'], undefined, `${String(tools.length)} tools listed`));
      let high = false;
      if (isRemoteTransport(s.spec)) {
        high = true;
        evidence.push(has(m, s.i, [s.spec['transport'] !== undefined ? 'transport' : 'url'], s.spec['transport'] ?? s.spec['url'], 'remote: its operator can change it at any time'));
      }
      const trust = get(s.spec, ['publisher', 'trust']);
      if (typeof trust === 'string' && UNVETTED.has(trust)) {
        high = true;
        evidence.push(has(m, s.i, ['publisher', 'trust'], trust));
      }
      ctx.report({
        at: s.i,
        also: agents,
        evidence: capEvidence(m, s.i, evidence),
        data: { server: s.id, agents: idList(m, agents) },
        ...(high ? { severity: 'high' as const } : {}),
      });
    }
  },
});
