import { defineRule } from '../../engine/types.js';
import type { Evidence } from '../../engine/types.js';
import { channelsFrom, channelsInto, elements, has, into, out } from '../_helpers/index.js';
import { capEvidence, idList, isAutonomous } from '../_helpers/agents.js';

const LAY_ROLES = new Set(['user', 'customer', 'public']);

export default defineRule({
  meta: {
    id: 'human-facing-agent-without-disclosure',
    title: 'Autonomous agent talks to users, customers or the public',
    threats: ['T15'],
    appliesTo: ['agent'],
    severity: 'medium',
    message: 'agent {agent} acts on its own and talks directly to {humans}; people may not know they deal with an AI or may be steered by it',
    placeholders: ['agent', 'humans'],
    defences: ['ai-disclosure'],
    detectionLogic:
      'For each agent whose declared autonomy is conditional or full, find humans with role user, customer or public that it talks to: a channel in either direction between them, or an entry point that targets the agent with such a human as its source. Such an agent can persuade, pressure or mislead people without anyone in between. The finding stays open until an ai-disclosure control (people are told they deal with an agent, and warned about manipulation) applies to the agent, the humans or the system.',
    falsePositives:
      'Internal staff tools with role user are included: disclosure is cheap there too, but the manipulation risk is lower; record an accepted risk if it does not apply.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const a of elements(m, 'agent')) {
      if (!isAutonomous(a.spec)) continue;
      const humans = new Map<number, Evidence>();
      const isLay = (h: number) => m.kindOf(h) === 'human' && LAY_ROLES.has(String(m.graph.specs[h]?.['role']));
      for (const c of channelsFrom(m, a.i)) if (isLay(c.to) && c.channel >= 0 && !humans.has(c.to)) humans.set(c.to, has(m, c.channel, ['to'], m.graph.ids[c.to], 'the agent talks to this person'));
      for (const c of channelsInto(m, a.i)) if (isLay(c.from) && c.channel >= 0 && !humans.has(c.from)) humans.set(c.from, has(m, c.channel, ['from'], m.graph.ids[c.from], 'this person talks to the agent'));
      for (const ep of into(m, a.i, 'entry')) {
        for (const src of out(m, ep, 'entry-source')) if (isLay(src) && !humans.has(src)) humans.set(src, has(m, ep, ['source'], m.graph.ids[src], 'input from this person reaches the agent'));
      }
      if (humans.size === 0) continue;
      const evidence: Evidence[] = [has(m, a.i, ['autonomy'], a.spec['autonomy'])];
      for (const [h, e] of humans) evidence.push(e, has(m, h, ['role'], m.graph.specs[h]?.['role']));
      ctx.report({
        at: a.i,
        also: [...humans.keys()],
        evidence: capEvidence(m, a.i, evidence),
        data: { agent: a.id, humans: idList(m, [...humans.keys()]) },
      });
    }
  },
});
