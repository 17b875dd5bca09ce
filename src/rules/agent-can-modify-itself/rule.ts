import { defineRule } from '../../engine/types.js';
import type { Evidence } from '../../engine/types.js';
import { elements, has, out, untrustedInputs } from '../_helpers/index.js';
import { capEvidence, indexIn } from '../_helpers/agents.js';

export default defineRule({
  meta: {
    id: 'agent-can-modify-itself',
    title: 'Agent can change its own instructions, tools or memory policy',
    threats: ['T7', 'X-planning-and-reflection-exploitation', 'L3-framework-evasion', 'T6'],
    appliesTo: ['agent'],
    severity: 'medium',
    message: 'agent {agent} can modify itself{exposure}',
    placeholders: ['agent', 'exposure'],
    defences: ['evaluation-gates', 'memory-write-controls', 'immutable-audit-log', 'policy-as-code'],
    detectionLogic:
      'Report every agent with canModifySelf true. An agent that rewrites its own instructions, tools or memory policy can drift from its goals through its own reflection, and can switch off the checks the framework put around it. Memories the agent both writes and reads are listed as the likely place where changes persist. When untrusted content reaches the agent the severity is raised to high, since injected text can then be made permanent.',
    falsePositives:
      'Self-modification limited to harmless preferences (tone, formatting) is a small risk; when changes go through review before they take effect, declare an evaluation-gates or policy-as-code control.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const a of elements(m, 'agent')) {
      if (a.spec['canModifySelf'] !== true) continue;
      const evidence: Evidence[] = [has(m, a.i, ['canModifySelf'], true)];
      const reads = new Set(out(m, a.i, 'reads'));
      const loops = out(m, a.i, 'writes').filter((x) => reads.has(x));
      const mem = a.spec['memory'];
      for (const x of loops) {
        const id = m.graph.ids[x] ?? '';
        const k = typeof mem === 'object' && mem !== null ? indexIn(mem as Record<string, unknown>, 'writes', id, m) : -1;
        evidence.push(has(m, a.i, k >= 0 ? ['memory', 'writes', k] : ['memory', 'writes'], id, 'writes a memory it also reads: changes persist into later runs'));
      }
      const inputs = untrustedInputs(m, a.i);
      evidence.push(...inputs.map((x) => x.evidence));
      ctx.report({
        at: a.i,
        also: loops,
        evidence: capEvidence(m, a.i, evidence),
        data: { agent: a.id, exposure: inputs.length > 0 ? ' and untrusted content reaches it, so injected text can become permanent' : '' },
        ...(inputs.length > 0 ? { severity: 'high' as const } : {}),
      });
    }
  },
});
