import { defineRule } from '../../engine/types.js';
import type { Evidence } from '../../engine/types.js';
import { elements, has } from '../_helpers/index.js';
import { capEvidence } from '../_helpers/agents.js';
import { isRecord } from '../../model/references.js';

/** One person approving for this many agents, or at this many approval points, is reported. */
const MAX_AGENTS = 4;
const MAX_POINTS = 8;

export default defineRule({
  meta: {
    id: 'approver-overloaded',
    title: 'One human is the approver for many agents or many kinds of action',
    threats: ['T10', 'X-hitl-overwhelm-trust-manipulation'],
    appliesTo: ['human'],
    severity: 'medium',
    message: 'human {human} is the approver at {points} approval points across {agents} agents',
    placeholders: ['human', 'points', 'agents'],
    defences: ['risk-based-escalation', 'policy-as-code'],
    detectionLogic:
      'Count, for each human, the approval points that name them: approvals entries of agents and tool grants with an approval. Report the human when they approve for at least 4 different agents or at at least 8 approval points. The thresholds are a judgement, not a measurement: the model says nothing about volume, but every extra queue one person watches makes rubber-stamping more likely, and an attacker can flood one of them to hide a request in another.',
    falsePositives:
      'A human entry may stand for a team with a rota; model the team members or record an accepted risk. A rarely used approval point (a yearly configuration change) adds little load but is still counted.',
  },
  check(ctx) {
    const m = ctx.model;
    const points = new Map<number, { evidence: Evidence[]; agents: Set<number> }>();
    const add = (human: number, agent: number, e: Evidence) => {
      if (human < 0 || m.kindOf(human) !== 'human') return;
      const p = points.get(human) ?? { evidence: [], agents: new Set<number>() };
      p.evidence.push(e);
      p.agents.add(agent);
      points.set(human, p);
    };
    for (const a of elements(m, 'agent')) {
      const list = a.spec['approvals'];
      if (Array.isArray(list)) {
        list.forEach((entry: unknown, k) => {
          if (isRecord(entry) && typeof entry['approver'] === 'string') add(m.indexOf(entry['approver']), a.i, has(m, a.i, ['approvals', k, 'approver'], entry['approver'], `approves: ${String(entry['action'])}`));
        });
      }
      const tools = a.spec['tools'];
      if (Array.isArray(tools)) {
        tools.forEach((g: unknown, k) => {
          if (isRecord(g) && typeof g['approval'] === 'string') add(m.indexOf(g['approval']), a.i, has(m, a.i, ['tools', k, 'approval'], g['approval'], `approves each call of ${String(g['ref'])}`));
        });
      }
    }
    for (const [human, p] of points) {
      if (p.agents.size < MAX_AGENTS && p.evidence.length < MAX_POINTS) continue;
      ctx.report({
        at: human,
        also: [...p.agents],
        evidence: capEvidence(m, human, p.evidence),
        data: { human: m.graph.ids[human] ?? '', points: p.evidence.length, agents: p.agents.size },
      });
    }
  },
});
