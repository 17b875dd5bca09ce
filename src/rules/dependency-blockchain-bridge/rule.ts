import { defineRule, type Evidence } from '../../engine/types.js';
import { elements, has } from '../_helpers/index.js';
import { agentsRelyingOn, dependencyUsers, idList, usageEvidence } from '../_helpers/ecosystem.js';

export default defineRule({
  meta: {
    id: 'dependency-blockchain-bridge',
    title: 'System relies on a cross-chain bridge',
    threats: ['MAS-T35', 'L7-cross-chain-cross-system-bridge-attacks', 'ECO-cross-chain-bridge-dependency', 'MAS-T25'],
    appliesTo: ['dependency'],
    severity: 'high',
    message: 'cross-chain bridge {bridge} is relied on by {users}',
    placeholders: ['bridge', 'users'],
    defences: ['transaction-limits', 'dependency-verification'],
    detectionLogic:
      'Flag each dependency of type blockchain-bridge that at least one element relies on (listed in its usedBy, or naming it in dependsOn). Agents that rely on it directly, through a tool, or through the deployment they run on are listed as involved. A declared bridge nobody uses is not flagged.',
    falsePositives:
      'Bridges are a deliberate design choice; the finding asks for limits on what can cross the bridge and for a plan when it halts or is drained. Record an accepted risk when those are in place outside the model.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const d of elements(m, 'dependency')) {
      if (d.spec['type'] !== 'blockchain-bridge') continue;
      const users = dependencyUsers(m, d.i);
      if (users.length === 0) continue;
      const agents = agentsRelyingOn(m, d.i);
      const evidence: Evidence[] = [has(m, d.i, ['type'], 'blockchain-bridge', 'funds or messages cross chains through it')];
      for (const u of users.slice(0, 5)) evidence.push(usageEvidence(m, u, d.i, 'relies on the bridge'));
      ctx.report({ at: d.i, also: [...new Set([...users, ...agents])], evidence, data: { bridge: d.id, users: idList(m, users) } });
    }
  },
});
