import { defineRule, type Evidence } from '../../engine/types.js';
import { cycles, handoffEvidence, handoffTargets, idList, isAgentLike, isExternalAgent } from '../_helpers/ecosystem.js';

/** Largest loop described member by member in the evidence. */
const MAX_EVIDENCE = 8;

export default defineRule({
  meta: {
    id: 'trust-agent-feedback-loop',
    title: 'Agents hand tasks to each other in a loop',
    threats: ['X-cross-agent-feedback-loop-manipulation', 'MAS-T38', 'T13', 'MAS-T33'],
    appliesTo: ['agent', 'external-system'],
    severity: 'medium',
    message: 'agents {agents} hand tasks to each other in a loop ({size} agents), so one manipulated output can circulate and amplify',
    placeholders: ['agents', 'size'],
    defences: ['circuit-breaker', 'rate-and-budget-limits'],
    detectionLogic:
      'Build the task hand-off graph among agents (and external systems of type agent): delegatesTo edges, acceptsFrom edges read backwards, and channels between two agents in their declared from-to direction (a bidirectional channel counts once, since replies are not new tasks). Find its strongly connected components with an iterative Tarjan walk; each component of two or more agents is a loop and is reported once, on its first agent in document order. Severity is high when an agent run by another party is part of the loop.',
    falsePositives:
      'Review loops (writer and critic) are often intended; they still need an iteration cap or circuit breaker across the agents, which should be declared as a control.',
  },
  check(ctx) {
    const m = ctx.model;
    const nodes = [...m.ofKind('agent'), ...m.ofKind('external-system')].filter((i) => isAgentLike(m, i));
    const succ = new Map<number, number[]>();
    for (const n of nodes) succ.set(n, handoffTargets(m, n));
    for (const comp of cycles(nodes, (n) => succ.get(n) ?? [])) {
      const inComp = new Set(comp);
      const evidence: Evidence[] = [];
      for (const a of comp.slice(0, MAX_EVIDENCE)) {
        const next = (succ.get(a) ?? []).find((b) => inComp.has(b));
        if (next === undefined) continue;
        const e = handoffEvidence(m, a, next);
        if (e) evidence.push(e);
      }
      const at = comp[0] ?? 0;
      const external = comp.some((x) => isExternalAgent(m, x));
      ctx.report({ at, also: comp.slice(1), evidence, data: { agents: idList(m, comp), size: comp.length }, ...(external ? { severity: 'high' as const } : {}) });
    }
  },
});
