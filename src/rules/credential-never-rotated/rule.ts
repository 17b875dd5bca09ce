import { defineRule } from '../../engine/types.js';
import { has } from '../_helpers/index.js';
import { declaredCredentials } from '../_helpers/ecosystem.js';

export default defineRule({
  meta: {
    id: 'credential-never-rotated',
    title: 'Credential with broad or unknown scope that is never rotated',
    threats: ['MAS-T22', 'T3'],
    appliesTo: ['agent', 'tool', 'mcp-server'],
    severity: 'medium',
    message: '{element} holds a {type} that is never rotated and whose scope is {scope}',
    placeholders: ['element', 'type', 'scope'],
    defences: ['credential-rotation-revocation'],
    detectionLogic:
      'Flag every credential of an agent, tool or MCP server with rotation never whose scope is not narrow (broad, admin or not declared), unless it declares an expiry (expiresDays). Wallet keys are left to wallet-key-outside-hsm, since they are not rotated like service credentials. Severity is high for admin scope.',
    falsePositives:
      'A credential that expires quickly without rotation may be re-issued by another process not modelled; declare expiresDays or a rotation control.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const c of declaredCredentials(m)) {
      if (c.cred['rotation'] !== 'never' || c.cred['type'] === 'wallet-key' || c.cred['expiresDays'] !== undefined) continue;
      const scope = typeof c.cred['scope'] === 'string' ? c.cred['scope'] : undefined;
      if (scope === 'narrow') continue;
      const type = typeof c.cred['type'] === 'string' ? c.cred['type'] : 'credential';
      const evidence = [has(m, c.at, [...c.path, 'rotation'], 'never', 'a leaked copy stays valid indefinitely')];
      evidence.push(scope === undefined ? has(m, c.at, c.path, undefined, 'scope not declared') : has(m, c.at, [...c.path, 'scope'], scope));
      ctx.report({
        at: c.at,
        evidence,
        data: { element: m.graph.ids[c.at] ?? '', type, scope: scope ?? 'not declared' },
        ...(scope === 'admin' ? { severity: 'high' as const } : {}),
      });
    }
  },
});
