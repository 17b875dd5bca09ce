import { defineRule } from '../../engine/types.js';
import { elements, get, has } from '../_helpers/index.js';
import { idList, irreversibleGrants } from '../_helpers/ecosystem.js';

export default defineRule({
  meta: {
    id: 'credential-shared-across-agents',
    title: 'Agent acts under an identity or credentials shared with other agents',
    threats: ['T9', 'L7-agent-identity-attack', 'L7-repudiation', 'T8'],
    appliesTo: ['agent'],
    severity: 'medium',
    message: 'agent {agent} acts under a shared identity ({detail}), so its actions cannot be told apart from other agents',
    placeholders: ['agent', 'detail'],
    defences: ['per-agent-identity'],
    detectionLogic:
      'For each agent, flag identity.type shared or identity.perAgent false. When several agents are flagged, each finding names the others as involved. Severity is high when the agent holds a tool with an irreversible side effect (payment, deletion, code execution, outbound messages, blockchain transactions, system configuration).',
    falsePositives:
      'Replicas of one agent may share an identity on purpose; that is fine when they are modelled as one agent. Distinct agents sharing one service account remain a finding.',
  },
  check(ctx) {
    const m = ctx.model;
    const flagged: { i: number; id: string; detail: string; path: string[]; value: unknown }[] = [];
    for (const a of elements(m, 'agent')) {
      const type = get(a.spec, ['identity', 'type']);
      const perAgent = get(a.spec, ['identity', 'perAgent']);
      if (type === 'shared') flagged.push({ i: a.i, id: a.id, detail: 'identity type shared', path: ['identity', 'type'], value: type });
      else if (perAgent === false) flagged.push({ i: a.i, id: a.id, detail: 'perAgent is false', path: ['identity', 'perAgent'], value: false });
    }
    for (const f of flagged) {
      const others = flagged.filter((o) => o.i !== f.i).map((o) => o.i);
      const evidence = [has(m, f.i, f.path, f.value, others.length > 0 ? `also shared by ${idList(m, others)}` : 'identity not unique to this agent')];
      const risky = irreversibleGrants(m, f.i)[0];
      if (risky) evidence.push(has(m, f.i, ['tools', risky.grant.index], m.graph.ids[risky.grant.tool], `can cause ${risky.effects.join(', ')} under the shared identity`));
      ctx.report({ at: f.i, also: others, evidence, data: { agent: f.id, detail: f.detail }, ...(risky ? { severity: 'high' as const } : {}) });
    }
  },
});
