import { defineRule, type Evidence } from '../../engine/types.js';
import { elements, has, lacks, str } from '../_helpers/index.js';
import { hostedOn } from '../_helpers/ecosystem.js';

export default defineRule({
  meta: {
    id: 'deployment-multi-tenant-unsandboxed',
    title: 'Multi-tenant deployment runs agents or servers without a sandbox',
    threats: ['L4-lateral-movement', 'MAS-T45', 'X-lateral-movement'],
    appliesTo: ['deployment'],
    severity: 'medium',
    message: 'deployment {deployment} serves several tenants with sandbox {sandbox}, so one tenant can reach another',
    placeholders: ['deployment', 'sandbox'],
    defences: ['agent-isolation', 'code-sandbox'],
    detectionLogic:
      'Flag every deployment with multiTenant true whose sandbox is none (high) or not declared (medium). Deployments that host nothing are flagged too: the tenancy is declared on the deployment itself.',
    falsePositives:
      'Isolation may be provided by a parent deployment (for example each tenant gets its own VM under a shared host); declare the sandbox on the deployment that runs the workload, or an agent-isolation control.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const d of elements(m, 'deployment')) {
      if (d.spec['multiTenant'] !== true) continue;
      const sandbox = str(d.spec, 'sandbox');
      if (sandbox !== undefined && sandbox !== 'none') continue;
      const evidence: Evidence[] = [has(m, d.i, ['multiTenant'], true), sandbox === undefined ? lacks(m, d.i, ['sandbox'], 'isolation between tenants is unknown') : has(m, d.i, ['sandbox'], 'none')];
      const hosted = hostedOn(m, d.i).filter((h) => ['agent', 'mcp-server', 'tool'].includes(m.kindOf(h)));
      ctx.report({ at: d.i, also: hosted, evidence, data: { deployment: d.id, sandbox: sandbox ?? 'not declared' }, ...(sandbox === 'none' ? { severity: 'high' as const } : {}) });
    }
  },
});
