import { defineRule } from '../../engine/types.js';
import type { Evidence } from '../../engine/types.js';
import { IRREVERSIBLE, elements, has, out } from '../_helpers/index.js';
import { capEvidence, effectsOf, idList } from '../_helpers/agents.js';

export default defineRule({
  meta: {
    id: 'agent-can-spawn-agents',
    title: 'Agent can create new agents at run time',
    threats: ['T13', 'MAS-T32'],
    appliesTo: ['agent'],
    severity: 'medium',
    message: 'agent {agent} can create agents at run time ({how}); spawned agents escape review unless they are registered and can be stopped',
    placeholders: ['agent', 'how'],
    defences: ['agent-inventory', 'kill-switch'],
    detectionLogic:
      'Report every agent with canSpawnAgents true or a non-empty spawns list. Agents created at run time are easy to miss in inventories, monitoring and kill switches, and a hijacked or looping spawner can multiply itself. The severity is raised to high when a spawned template holds an irreversible side effect (payment, blockchain-transaction, delete, execute-code, send-message, system-config) or when the spawner itself has full autonomy.',
    falsePositives:
      'Frameworks that create short-lived worker agents from a fixed, reviewed template with a hard cap are a lower risk; declare an agent-inventory control to show the registry and cap.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const a of elements(m, 'agent')) {
      const templates = out(m, a.i, 'spawns');
      const can = a.spec['canSpawnAgents'] === true;
      if (!can && templates.length === 0) continue;
      const evidence: Evidence[] = [];
      if (can) evidence.push(has(m, a.i, ['canSpawnAgents'], true));
      if (templates.length > 0) evidence.push(has(m, a.i, ['spawns'], templates.map((t) => m.graph.ids[t] ?? '')));
      let high = a.spec['autonomy'] === 'full';
      if (high) evidence.push(has(m, a.i, ['autonomy'], 'full'));
      for (const t of templates) {
        const bad = [...effectsOf(m, t)].filter((e) => IRREVERSIBLE.includes(e)).sort();
        if (bad.length > 0) {
          high = true;
          evidence.push(has(m, t, ['tools'], undefined, `spawned template holds ${bad.join(', ')}`));
        }
      }
      ctx.report({
        at: a.i,
        also: templates,
        evidence: capEvidence(m, a.i, evidence),
        data: { agent: a.id, how: templates.length > 0 ? `templates ${idList(m, templates)}` : 'any agent' },
        ...(high ? { severity: 'high' as const } : {}),
      });
    }
  },
});
