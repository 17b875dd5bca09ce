import { defineRule } from '../../engine/types.js';
import type { Evidence } from '../../engine/types.js';
import { isRecord } from '../../model/references.js';
import { elements, has, into } from '../_helpers/index.js';
import { capEvidence, idList } from '../_helpers/agents.js';
import { nameList } from '../_helpers/models-data-observability.js';

/** Tags written by `maestro-tm import mcp --live` when a listing differs from its lock file. */
const CHANGED = 'tool-definition-changed';
const TOOL_PREFIX = 'changed-tool:';

export default defineRule({
  meta: {
    id: 'mcp-tool-definition-changed',
    title: 'MCP server lists tool definitions that changed since they were locked',
    threats: ['LC-tool-definition-drift', 'BV-2'],
    appliesTo: ['mcp-server'],
    severity: 'high',
    message: 'MCP server {server} lists {what} that changed since its definitions were locked; agents using it: {agents}',
    placeholders: ['server', 'what', 'agents'],
    defences: ['tool-definition-locking'],
    detectionLogic:
      'Report each MCP server tagged tool-definition-changed: maestro-tm import mcp --live sets this tag (and one changed-tool:NAME tag per changed, added or removed tool) when what the server lists now differs from the hashes in its lock file, and keeps the locked hash in lock.hash until the change is accepted with --update-lock. A definition that changes after approval is how a rug pull works: the new description can carry instructions for the model, a new tool can add side effects. Evidence names the tag, the locked hash and each changed tool in the list.',
    falsePositives:
      'A server update can change descriptions for honest reasons (a new feature, a typo fixed). Read the new definitions (the W_MCP_DEFINITION_CHANGED warnings name them, the lock file holds the old ones) and accept them with import --live --update-lock when they are what you expect.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const s of elements(m, 'mcp-server')) {
      const tags = s.spec['tags'];
      if (!Array.isArray(tags)) continue;
      const at = tags.indexOf(CHANGED);
      if (at < 0) continue;
      const evidence: Evidence[] = [has(m, s.i, ['tags', at], CHANGED, 'the listing differs from the lock file')];
      const lock = s.spec['lock'];
      if (isRecord(lock) && typeof lock['hash'] === 'string') evidence.push(has(m, s.i, ['lock', 'hash'], lock['hash'], 'the definitions that were locked'));
      const changed = new Set<string>();
      for (const t of tags) if (typeof t === 'string' && t.startsWith(TOOL_PREFIX)) changed.add(t.slice(TOOL_PREFIX.length));
      const tools = s.spec['tools'];
      const seen = new Set<string>();
      if (Array.isArray(tools)) {
        tools.forEach((tool: unknown, k) => {
          if (!isRecord(tool) || typeof tool['name'] !== 'string' || !changed.has(tool['name'])) return;
          seen.add(tool['name']);
          evidence.push(has(m, s.i, ['tools', k], tool['name'], 'changed or added since it was locked'));
        });
      }
      const removed = [...changed].filter((n) => !seen.has(n)).sort();
      if (removed.length > 0) evidence.push(has(m, s.i, ['tags'], removed.slice(0, 10).join(', '), 'locked tools no longer listed'));
      const names = [...changed].sort();
      const what = names.length === 0 ? 'definitions (instructions, prompts or resources)' : `the tool${names.length === 1 ? '' : 's'} ${nameList(names, 6)}`;
      const agents = [...new Set(into(m, s.i, 'invokes'))];
      ctx.report({
        at: s.i,
        also: agents,
        evidence: capEvidence(m, s.i, evidence),
        data: { server: s.id, what, agents: agents.length > 0 ? idList(m, agents) : 'none' },
      });
    }
  },
});
