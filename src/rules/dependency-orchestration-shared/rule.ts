import { defineRule, type Evidence } from '../../engine/types.js';
import { effectiveBoundary, elements, has } from '../_helpers/index.js';
import { agentsRelyingOn, dependencyUsers, idList, irreversibleGrants, usageEvidence } from '../_helpers/ecosystem.js';

export default defineRule({
  meta: {
    id: 'dependency-orchestration-shared',
    title: 'One cloud orchestration service runs many agents: a single point of compromise',
    threats: ['ECO-orchestration-service-compromise', 'L4-compromised-orchestration', 'L4-orchestration-attacks', 'MAS-T25'],
    appliesTo: ['dependency'],
    severity: 'medium',
    message: 'orchestration service {service} runs {count} agents ({agents}); whoever controls it controls all of them',
    placeholders: ['service', 'count', 'agents'],
    defences: ['agent-isolation', 'dependency-verification'],
    detectionLogic:
      'For each dependency of type cloud-orchestration, count the agents that rely on it directly, through a tool they use, or through the deployment they run on. Flag it when two or more agents rely on it. Severity is high when those agents sit in more than one trust boundary (the service bridges the boundaries); an agent with an irreversible side effect among them is shown as evidence of the impact.',
    falsePositives:
      'Sharing an orchestrator is normal; the finding asks whether its compromise or outage was considered. Per-agent isolation inside the orchestrator (separate namespaces, accounts and credentials) lowers the impact: record it as an agent-isolation control.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const d of elements(m, 'dependency')) {
      if (d.spec['type'] !== 'cloud-orchestration') continue;
      const agents = agentsRelyingOn(m, d.i);
      if (agents.length < 2) continue;
      const evidence: Evidence[] = [has(m, d.i, ['type'], 'cloud-orchestration')];
      for (const u of dependencyUsers(m, d.i).slice(0, 5)) evidence.push(usageEvidence(m, u, d.i, 'runs through this service'));
      const boundaries = new Set(agents.map((a) => effectiveBoundary(m, a)).filter((b) => b >= 0));
      const high = boundaries.size > 1;
      if (high) evidence.push(has(m, d.i, [], undefined, `the agents sit in ${boundaries.size} trust boundaries`));
      const risky = agents.find((a) => irreversibleGrants(m, a).length > 0);
      if (risky !== undefined) {
        const g = irreversibleGrants(m, risky)[0];
        if (g) evidence.push(has(m, risky, ['tools', g.grant.index], m.graph.ids[g.grant.tool], `can cause ${g.effects.join(', ')}`));
      }
      ctx.report({ at: d.i, also: agents, evidence, data: { service: d.id, count: agents.length, agents: idList(m, agents) }, ...(high ? { severity: 'high' as const } : {}) });
    }
  },
});
