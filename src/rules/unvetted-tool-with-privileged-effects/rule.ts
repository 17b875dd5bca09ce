import { defineRule } from '../../engine/types.js';
import type { Evidence } from '../../engine/types.js';
import type { SideEffectName } from '../../model/schema.js';
import { elements, get, has } from '../_helpers/index.js';
import { capEvidence, effectMask, idList, maskEffects, PRIVILEGED, toolUses } from '../_helpers/agents.js';

const UNVETTED = new Set(['community', 'unknown']);
const POWERFUL: readonly SideEffectName[] = [...PRIVILEGED, 'credential-access'];

export default defineRule({
  meta: {
    id: 'unvetted-tool-with-privileged-effects',
    title: 'Tool or MCP server from an unvetted publisher holds powerful side effects or secrets',
    threats: ['MAS-T29', 'T2'],
    appliesTo: ['tool', 'mcp-server'],
    severity: 'high',
    message: '{tool} is published by a party of {trust} trust and can cause {effects} for {agents}',
    placeholders: ['tool', 'trust', 'effects', 'agents'],
    defences: ['pinned-signed-tools', 'dependency-verification', 'agent-isolation'],
    detectionLogic:
      'For each tool or MCP server whose declared publisher trust is community or unknown, collect the side effects it carries for the agents granted it (as the grants narrow them). Report it when one of them changes the world or reaches secrets (write, delete, execute-code, send-message, payment, blockchain-transaction, system-config, credential-access), or when the tool itself holds credentials or receives environment variables: a flawed or malicious plugin then acts, or leaks, with that power. A tool whose publisher is not declared is not judged here.',
    falsePositives:
      'A community tool that was reviewed line by line and is pinned to that exact version is much safer; declare a pinned-signed-tools or dependency-verification control on it.',
  },
  check(ctx) {
    const m = ctx.model;
    const uses = toolUses(m);
    const powerful = effectMask(POWERFUL);
    for (const kind of ['tool', 'mcp-server'] as const) {
      for (const t of elements(m, kind)) {
        const trust = get(t.spec, ['publisher', 'trust']);
        if (typeof trust !== 'string' || !UNVETTED.has(trust)) continue;
        const agents = [...(uses.holders[t.i] ?? [])];
        if (agents.length === 0) continue;
        const effects = maskEffects((uses.effects[t.i] ?? 0) & powerful).sort();
        const evidence: Evidence[] = [has(m, t.i, ['publisher', 'trust'], trust)];
        const verified = get(t.spec, ['publisher', 'verified']);
        if (verified === false) evidence.push(has(m, t.i, ['publisher', 'verified'], false));
        if (effects.length > 0) evidence.push(has(m, t.i, [Array.isArray(t.spec['sideEffects']) ? 'sideEffects' : 'tools'], undefined, `side effects granted to agents: ${effects.join(', ')}`));
        const creds = t.spec['credentials'];
        const env = t.spec['env'];
        if (Array.isArray(creds) && creds.length > 0) evidence.push(has(m, t.i, ['credentials'], undefined, `holds ${String(creds.length)} credential(s)`));
        if (Array.isArray(env) && env.length > 0) evidence.push(has(m, t.i, ['env'], env, 'receives these environment variables'));
        const secrets = (Array.isArray(creds) && creds.length > 0) || (Array.isArray(env) && env.length > 0);
        if (effects.length === 0 && !secrets) continue;
        ctx.report({
          at: t.i,
          also: agents,
          evidence: capEvidence(m, t.i, evidence),
          data: { tool: t.id, trust, effects: effects.length > 0 ? effects.join(', ') : 'secret access', agents: idList(m, agents) },
        });
      }
    }
  },
});
