import { defineRule, type Evidence } from '../../engine/types.js';
import { elements, has, out, sensitivityRank, str, untrustedInputs } from '../_helpers/index.js';
import { hostedOn, idList } from '../_helpers/ecosystem.js';

export default defineRule({
  meta: {
    id: 'deployment-open-egress-untrusted-input',
    title: 'Deployment with open outbound network hosts agents that read untrusted content',
    threats: ['L4-lateral-movement', 'X-data-leakage', 'X-lateral-movement'],
    appliesTo: ['deployment'],
    severity: 'medium',
    message: 'deployment {deployment} allows any outbound traffic and hosts {agents}, which read untrusted content',
    placeholders: ['deployment', 'agents'],
    defences: ['egress-allowlist', 'data-loss-prevention'],
    detectionLogic:
      'For each deployment with egress open, collect the agents running on it (or on deployments nested in it that do not declare egress themselves) that receive untrusted content: untrusted entry points, channels from untrusted parties, browsing, search or email tools, or memories fed by untrusted sources. Flag the deployment when there is at least one. Severity is high when such an agent reads or writes a memory declared confidential or restricted.',
    falsePositives:
      'Agents whose job is to browse the web need broad egress; an egress proxy that filters destinations counts as an egress-allowlist control and should be declared.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const d of elements(m, 'deployment')) {
      if (str(d.spec, 'egress') !== 'open') continue;
      const agents = hostedOn(m, d.i, (c) => c['egress'] !== undefined).filter((h) => m.kindOf(h) === 'agent');
      const exposed: number[] = [];
      const evidence: Evidence[] = [has(m, d.i, ['egress'], 'open', 'an injected instruction can send data anywhere')];
      let high = false;
      for (const a of agents) {
        const inputs = untrustedInputs(m, a);
        const first = inputs[0];
        if (!first) continue;
        exposed.push(a);
        evidence.push(first.evidence);
        const memories = [...out(m, a, 'reads'), ...out(m, a, 'writes')];
        const secret = memories.find((x) => sensitivityRank((m.graph.specs[x] ?? {})['sensitivity']) >= 2);
        if (secret !== undefined && !high) {
          high = true;
          evidence.push(has(m, secret, ['sensitivity'], (m.graph.specs[secret] ?? {})['sensitivity'], `reachable by ${m.graph.ids[a] ?? ''}`));
        }
      }
      if (exposed.length === 0) continue;
      ctx.report({ at: d.i, also: exposed, evidence, data: { deployment: d.id, agents: idList(m, exposed) }, ...(high ? { severity: 'high' as const } : {}) });
    }
  },
});
