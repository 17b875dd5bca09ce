import { defineRule } from '../../engine/types.js';
import type { Evidence } from '../../engine/types.js';
import { elements, has, lacks, out } from '../_helpers/index.js';
import { isRecord } from '../../model/references.js';
import { capEvidence, delegationComponents, idList, indexIn } from '../_helpers/agents.js';

const LOOP_LIMITS = ['maxIterations', 'maxToolCalls', 'timeoutSeconds'];

export default defineRule({
  meta: {
    id: 'delegation-cycle-without-budgets',
    title: 'Agents can delegate to each other in a loop that nothing bounds',
    threats: ['MAS-T32', 'T4', 'L3-denial-of-service-on-framework-apis'],
    appliesTo: ['agent'],
    severity: 'medium',
    message: 'agents {cycle} can delegate to each other in a loop, and {unbounded} declare no iteration, tool-call or time limit',
    placeholders: ['cycle', 'unbounded'],
    defences: ['circuit-breaker', 'rate-and-budget-limits'],
    detectionLogic:
      'Find the strongly connected components of the delegatesTo graph between agents (iterative Kosaraju: one depth-first pass for finishing order, one over reversed edges), keeping components of two or more agents: within each, a task can be handed round and round. Report the component, at its first agent in document order, when at least one member declares none of budgets.maxIterations, maxToolCalls or timeoutSeconds, so the loop has no guaranteed end.',
    falsePositives:
      'A framework may cap the depth of a delegation chain globally without the model saying so; declare the cap as a budget on the agents or as a circuit-breaker control.',
  },
  check(ctx) {
    const m = ctx.model;
    const agents = elements(m, 'agent').map((a) => a.i);
    for (const cycle of delegationComponents(m, agents).comps.filter((c) => c.length > 1)) {
      const inCycle = new Set(cycle);
      const unbounded = cycle.filter((x) => {
        const b = m.graph.specs[x]?.['budgets'];
        return !(isRecord(b) && LOOP_LIMITS.some((k) => typeof b[k] === 'number'));
      });
      if (unbounded.length === 0) continue;
      const evidence: Evidence[] = [];
      for (const x of cycle) {
        for (const y of out(m, x, 'delegates')) {
          if (!inCycle.has(y)) continue;
          const id = m.graph.ids[y] ?? '';
          const k = indexIn(m.graph.specs[x] ?? {}, 'delegatesTo', id, m);
          evidence.push(has(m, x, k >= 0 ? ['delegatesTo', k] : ['delegatesTo'], id, 'delegation inside the loop'));
        }
      }
      for (const x of unbounded) evidence.push(lacks(m, x, ['budgets'], 'no iteration, tool-call or time limit'));
      const [first, ...rest] = cycle;
      if (first === undefined) continue;
      ctx.report({
        at: first,
        also: rest,
        evidence: capEvidence(m, first, evidence),
        data: { cycle: idList(m, cycle), unbounded: idList(m, unbounded) },
      });
    }
  },
});
