import { defineRule, type Evidence } from '../../engine/types.js';
import { elements, has, into, out, sensitivityRank } from '../_helpers/index.js';
import { irreversibleGrants } from '../_helpers/ecosystem.js';

export default defineRule({
  meta: {
    id: 'policy-enforcement-not-centralised',
    title: 'Agent acts irreversibly on restricted data with no central policy decision point',
    threats: ['MAS-T24', 'L6-policy-violation', 'L6-real-time-security-violation'],
    appliesTo: ['agent'],
    layer: 'L6',
    severity: 'medium',
    message: 'agent {agent} can cause {effects} with access to restricted {data}, and no policy-as-code control decides each action',
    placeholders: ['agent', 'effects', 'data'],
    defences: ['policy-as-code'],
    detectionLogic:
      'For each agent holding a tool with an irreversible side effect that also reads or writes a memory declared restricted, or holds an asset declared restricted or crown jewel: flag it; a policy-as-code control on the agent, its boundary, its deployment or the whole system marks it mitigated. The rule needs declared controls to say anything: when the model declares none, it is reported as not assessed rather than flagging every agent.',
    falsePositives:
      'Tool scopes and per-action human approval can enforce policy without a separate engine; the finding asks whether the rules are written once and applied on every action. Declare the mechanism as a policy-as-code control when it is.',
    requires: ['controls'],
  },
  check(ctx) {
    const m = ctx.model;
    for (const a of elements(m, 'agent')) {
      const risky = irreversibleGrants(m, a.i);
      if (risky.length === 0) continue;
      const evidence: Evidence[] = [];
      let data: string | undefined;
      for (const mem of [...out(m, a.i, 'reads'), ...out(m, a.i, 'writes')]) {
        const s = m.graph.specs[mem] ?? {};
        if (sensitivityRank(s['sensitivity']) === 3) {
          data ??= `memory ${m.graph.ids[mem] ?? ''}`;
          evidence.push(has(m, mem, ['sensitivity'], 'restricted', `used by ${a.id}`));
          break;
        }
      }
      if (data === undefined) {
        for (const asset of out(m, a.i, 'holds').concat(into(m, a.i, 'holds'))) {
          if (m.kindOf(asset) !== 'asset') continue;
          const s = m.graph.specs[asset] ?? {};
          if (sensitivityRank(s['sensitivity']) === 3 || s['crownJewel'] === true) {
            data = `asset ${m.graph.ids[asset] ?? ''}`;
            evidence.push(s['crownJewel'] === true ? has(m, asset, ['crownJewel'], true) : has(m, asset, ['sensitivity'], 'restricted'));
            break;
          }
        }
      }
      if (data === undefined) continue;
      const effects = [...new Set(risky.flatMap((r) => r.effects))].sort();
      for (const r of risky.slice(0, 3)) evidence.push(has(m, a.i, ['tools', r.grant.index], m.graph.ids[r.grant.tool], `can cause ${r.effects.join(', ')}`));
      ctx.report({ at: a.i, evidence, data: { agent: a.id, effects: effects.join(', '), data } });
    }
  },
});
