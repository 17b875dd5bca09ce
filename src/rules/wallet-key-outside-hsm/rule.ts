import { defineRule } from '../../engine/types.js';
import { has, lacks, str, toolSideEffects } from '../_helpers/index.js';
import { declaredCredentials } from '../_helpers/ecosystem.js';

const PROTECTED = new Set(['hsm', 'kms', 'vault']);
const EXPOSED = new Set(['hardcoded', 'env', 'file']);

export default defineRule({
  meta: {
    id: 'wallet-key-outside-hsm',
    title: 'Wallet or signing key that can move funds is not held in an HSM, KMS or vault',
    threats: ['MAS-T34'],
    appliesTo: ['agent', 'tool', 'mcp-server'],
    severity: 'high',
    message: '{element} holds a {type} able to sign transactions, stored in {storage}',
    placeholders: ['element', 'type', 'storage'],
    defences: ['secrets-vault', 'transaction-limits'],
    detectionLogic:
      'Flag every wallet-key credential, and every private-key credential held by a wallet tool or by an element whose tools can make blockchain transactions, whose storage is not hsm, kms or vault. Storage hardcoded, env or file is critical; unknown or not declared is high, because a hot key drains the wallet at once when leaked.',
    falsePositives:
      'A key that controls only a small, capped hot wallet may be accepted; declare a transaction-limits control (limits or multi-signature) on the holder.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const c of declaredCredentials(m)) {
      const type = c.cred['type'];
      const spec = m.graph.specs[c.at] ?? {};
      const signsChain = str(spec, 'type') === 'wallet' || toolSideEffects(spec).includes('blockchain-transaction');
      if (type !== 'wallet-key' && !(type === 'private-key' && signsChain)) continue;
      const storage = typeof c.cred['storage'] === 'string' ? c.cred['storage'] : undefined;
      if (storage !== undefined && PROTECTED.has(storage)) continue;
      ctx.report({
        at: c.at,
        evidence: [storage === undefined ? lacks(m, c.at, [...c.path, 'storage'], 'where the key lives is not declared') : has(m, c.at, [...c.path, 'storage'], storage, 'the key can be copied and used from anywhere')],
        data: { element: m.graph.ids[c.at] ?? '', type, storage: storage ?? 'an undeclared place' },
        ...(storage !== undefined && EXPOSED.has(storage) ? { severity: 'critical' as const } : {}),
      });
    }
  },
});
