import { defineRule } from '../../engine/types.js';
import type { Evidence } from '../../engine/types.js';
import type { ResolvedModel } from '../../model/resolve.js';
import { elements, grants, has, lacks, str, untrustedInputs } from '../_helpers/index.js';
import { capEvidence, idList } from '../_helpers/agents.js';

const CODE_TOOL_TYPES = new Set(['shell', 'code-interpreter']);
const ISOLATING = new Set(['container', 'gvisor', 'vm', 'wasm', 'browser']);

/** The isolating sandbox on deployment d or one of its parents, or evidence of its absence. */
function sandboxOf(m: ResolvedModel, d: number): { isolated: boolean; evidence: Evidence } {
  const g = m.graph;
  let weakest: Evidence | undefined;
  const seen = new Set<number>();
  for (let cur = d; cur >= 0 && !seen.has(cur); cur = g.parent[cur] ?? -1) {
    seen.add(cur);
    const s = str(g.specs[cur] ?? {}, 'sandbox');
    if (s !== undefined && ISOLATING.has(s)) return { isolated: true, evidence: has(m, cur, ['sandbox'], s) };
    if (s !== undefined) weakest ??= has(m, cur, ['sandbox'], s, s === 'none' ? 'no sandbox' : 'a process boundary only: code shares the host kernel and files');
  }
  return { isolated: false, evidence: weakest ?? lacks(m, d, ['sandbox'], 'no sandbox declared on this deployment or its parents') };
}

export default defineRule({
  meta: {
    id: 'code-execution-without-sandbox',
    title: 'Code execution granted to an agent runs outside an isolating sandbox',
    threats: ['T11', 'MAS-T31', 'MAS-T20'],
    appliesTo: ['tool', 'mcp-server'],
    severity: 'high',
    message: '{tool} lets agent {agents} execute code, and where it runs has no isolating sandbox ({where})',
    placeholders: ['tool', 'agents', 'where'],
    defences: ['code-sandbox', 'agent-isolation'],
    detectionLogic:
      'For each tool or MCP server granted to an agent with the execute-code side effect, or of type shell or code-interpreter, find where the code runs: the deployment of the tool, or else the deployment of each agent that holds it. Walk that deployment and its parents; a sandbox of container, gvisor, vm, wasm or browser isolates the code. A sandbox of none or process, no sandbox field, or no deployment at all is reported (absent means unknown). When an agent holding the tool is exposed to untrusted content the severity is raised to critical.',
    falsePositives:
      'A tool that runs code on a vendor service (a hosted code interpreter) is isolated by the vendor: give the tool a deployment with the sandbox the vendor uses. The rule does not judge how strong a container is (privileged mode, mounted host paths).',
  },
  check(ctx) {
    const m = ctx.model;
    const byTool = new Map<number, { agent: number; index: number }[]>();
    for (const a of elements(m, 'agent')) {
      for (const g of grants(m, a.i)) {
        const type = str(m.graph.specs[g.tool] ?? {}, 'type');
        if (!g.sideEffects.includes('execute-code') && !(type !== undefined && CODE_TOOL_TYPES.has(type))) continue;
        const list = byTool.get(g.tool) ?? [];
        list.push({ agent: a.i, index: g.index });
        byTool.set(g.tool, list);
      }
    }
    for (const [tool, holders] of byTool) {
      const toolId = m.graph.ids[tool] ?? '';
      const evidence: Evidence[] = [];
      const where: string[] = [];
      const dep = m.graph.deployment[tool] ?? -1;
      if (dep >= 0) {
        const sb = sandboxOf(m, dep);
        if (sb.isolated) continue;
        evidence.push(sb.evidence);
        where.push(`${m.graph.ids[dep] ?? ''}: ${typeof sb.evidence.value === 'string' ? sb.evidence.value : 'not declared'}`);
      } else {
        for (const h of holders) {
          const ad = m.graph.deployment[h.agent] ?? -1;
          if (ad < 0) {
            evidence.push(lacks(m, tool, ['deployment'], 'neither the tool nor the agent declares where the code runs'));
            where.push('no deployment declared');
            continue;
          }
          const sb = sandboxOf(m, ad);
          if (sb.isolated) continue;
          evidence.push(sb.evidence);
          where.push(`${m.graph.ids[ad] ?? ''}: ${typeof sb.evidence.value === 'string' ? sb.evidence.value : 'not declared'}`);
        }
        if (evidence.length === 0) continue;
      }
      let exposed = false;
      for (const h of holders) {
        evidence.push(has(m, h.agent, ['tools', h.index], toolId, 'granted code execution'));
        const inputs = untrustedInputs(m, h.agent);
        if (inputs.length > 0) {
          exposed = true;
          evidence.push(...inputs.slice(0, 3).map((x) => x.evidence));
        }
      }
      const agents = [...new Set(holders.map((h) => h.agent))];
      ctx.report({
        at: tool,
        also: agents,
        evidence: capEvidence(m, tool, evidence),
        data: { tool: toolId, agents: idList(m, agents), where: [...new Set(where)].join('; ') },
        ...(exposed ? { severity: 'critical' as const } : {}),
      });
    }
  },
});
