import { defineRule } from '../../engine/types.js';
import { elements, has, str } from '../_helpers/index.js';
import { declaredCredentials } from '../_helpers/ecosystem.js';

const WEAK = new Set(['hardcoded', 'file', 'env']);

export default defineRule({
  meta: {
    id: 'credential-stored-insecurely',
    title: 'Credential or workload secrets kept in code, files or environment variables',
    threats: ['MAS-T22', 'T3'],
    appliesTo: ['agent', 'tool', 'mcp-server', 'deployment'],
    severity: 'medium',
    message: '{element} keeps its {what} in {storage}',
    placeholders: ['element', 'what', 'storage'],
    defences: ['secrets-vault'],
    detectionLogic:
      'Flag every credential of an agent (identity.credentials), tool or MCP server (credentials) whose storage is hardcoded, file or env, and every deployment whose secrets are hardcoded, file or env. Severity is high when a secret is hardcoded. Storage unknown or not declared is not flagged here, and wallet keys are left to wallet-key-outside-hsm.',
    falsePositives:
      'Environment variables filled at start-up from a vault by the platform are safer than static ones; record that as a secrets-vault control on the deployment.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const c of declaredCredentials(m)) {
      const storage = c.cred['storage'];
      if (typeof storage !== 'string' || !WEAK.has(storage) || c.cred['type'] === 'wallet-key') continue;
      const type = typeof c.cred['type'] === 'string' ? c.cred['type'] : 'credential';
      ctx.report({
        at: c.at,
        evidence: [has(m, c.at, [...c.path, 'storage'], storage, `${type} readable by anything that can read the ${storage === 'env' ? 'process environment' : storage === 'file' ? 'file system' : 'code'}`)],
        data: { element: m.graph.ids[c.at] ?? '', what: type, storage },
        ...(storage === 'hardcoded' ? { severity: 'high' as const } : {}),
      });
    }
    for (const d of elements(m, 'deployment')) {
      const secrets = str(d.spec, 'secrets');
      if (secrets === undefined || !WEAK.has(secrets)) continue;
      ctx.report({
        at: d.i,
        evidence: [has(m, d.i, ['secrets'], secrets, 'workload secrets reach the workload outside a vault')],
        data: { element: d.id, what: 'workload secrets', storage: secrets },
        ...(secrets === 'hardcoded' ? { severity: 'high' as const } : {}),
      });
    }
  },
});
