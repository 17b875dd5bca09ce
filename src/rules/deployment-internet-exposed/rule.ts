import { defineRule, type Evidence } from '../../engine/types.js';
import { elements, has, str } from '../_helpers/index.js';
import { hostedOn, idList } from '../_helpers/ecosystem.js';

const SERVICES = new Set(['agent', 'mcp-server', 'tool']);

export default defineRule({
  meta: {
    id: 'deployment-internet-exposed',
    title: 'Deployment hosting agents or MCP servers is reachable from the internet',
    threats: ['MAS-T43', 'L4-ddos-on-agent-infrastructure', 'L4-denial-of-service-dos-attacks'],
    appliesTo: ['deployment'],
    severity: 'medium',
    message: 'deployment {deployment} is exposed to the internet and hosts {hosted}',
    placeholders: ['deployment', 'hosted'],
    defences: ['network-segmentation', 'rate-and-budget-limits'],
    detectionLogic:
      'For each deployment with networkExposure internet, collect the agents, MCP servers and tools that run on it or on a deployment nested in it that does not declare its own exposure. Flag it when there is at least one. Severity is high when a hosted MCP server or tool declares auth none (anyone on the internet can call it).',
    falsePositives:
      'A public chat front end must be reachable; the finding then asks for rate limits and a gateway in front of the agent. Record them as controls on the deployment.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const d of elements(m, 'deployment')) {
      if (str(d.spec, 'networkExposure') !== 'internet') continue;
      const hosted = hostedOn(m, d.i, (c) => c['networkExposure'] !== undefined).filter((h) => SERVICES.has(m.kindOf(h)));
      if (hosted.length === 0) continue;
      const evidence: Evidence[] = [has(m, d.i, ['networkExposure'], 'internet')];
      const open = hosted.find((h) => m.kindOf(h) !== 'agent' && str(m.graph.specs[h] ?? {}, 'auth') === 'none');
      if (open !== undefined) evidence.push(has(m, open, ['auth'], 'none', 'callable by anyone who can reach the deployment'));
      for (const h of hosted.slice(0, 3)) evidence.push(has(m, h, ['deployment'], str(m.graph.specs[h] ?? {}, 'deployment'), 'runs here'));
      ctx.report({ at: d.i, also: hosted, evidence, data: { deployment: d.id, hosted: idList(m, hosted) }, ...(open !== undefined ? { severity: 'high' as const } : {}) });
    }
  },
});
