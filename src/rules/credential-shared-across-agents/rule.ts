import { defineRule } from '../../engine/types.js';
import { defendingControls, elements, get, has } from '../_helpers/index.js';
import { irreversibleGrants } from '../_helpers/ecosystem.js';

/** Other flagged agents named as involved in each finding (the first in document order). */
const MAX_ALSO = 24;
/** Other flagged agents named in the evidence note before "and N more". */
const MAX_NAMED = 5;
const DEFENCES = ['per-agent-identity'];

export default defineRule({
  meta: {
    id: 'credential-shared-across-agents',
    title: 'Agent acts under an identity or credentials shared with other agents',
    threats: ['T9', 'L7-agent-identity-attack', 'L7-repudiation', 'T8'],
    appliesTo: ['agent'],
    severity: 'medium',
    message: 'agent {agent} acts under a shared identity ({detail}), so its actions cannot be told apart from other agents',
    placeholders: ['agent', 'detail'],
    defences: DEFENCES,
    detectionLogic:
      'For each agent, flag identity.type shared or identity.perAgent false. When several agents are flagged, each finding names the others as involved: the first 24 in document order, plus, for each per-agent-identity control covering any flagged agent, the first flagged agent it covers (so the mitigation of the finding is the same as with all of them named); the evidence note gives the total count. Severity is high when the agent holds a tool with an irreversible side effect (payment, deletion, code execution, outbound messages, blockchain transactions, system configuration).',
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
    // A control that would mitigate (or partly mitigate) the finding of any flagged agent: keep the
    // first flagged agent it covers among the involved of every finding, so statuses do not depend on the cap.
    const representatives: number[] = [];
    const seenControls = new Set<number>();
    for (const f of flagged) {
      for (const c of defendingControls(m, f.i, DEFENCES)) {
        if (seenControls.has(c)) continue;
        seenControls.add(c);
        representatives.push(f.i);
      }
    }
    const head = flagged.slice(0, MAX_ALSO + 1).map((f) => f.i);
    for (const f of flagged) {
      const others = head.filter((x) => x !== f.i).slice(0, MAX_ALSO);
      for (const r of representatives) if (r !== f.i && !others.includes(r)) others.push(r);
      const total = flagged.length - 1;
      const named = head.filter((x) => x !== f.i).slice(0, MAX_NAMED).map((x) => m.graph.ids[x] ?? '');
      const note = total === 0 ? 'identity not unique to this agent' : `also shared by ${named.join(', ')}${total > MAX_NAMED ? ` and ${String(total - MAX_NAMED)} more` : ''}`;
      const evidence = [has(m, f.i, f.path, f.value, note)];
      const risky = irreversibleGrants(m, f.i)[0];
      if (risky) evidence.push(has(m, f.i, ['tools', risky.grant.index], m.graph.ids[risky.grant.tool], `can cause ${risky.effects.join(', ')} under the shared identity`));
      ctx.report({ at: f.i, also: others, evidence, data: { agent: f.id, detail: f.detail }, ...(risky ? { severity: 'high' as const } : {}) });
    }
  },
});
