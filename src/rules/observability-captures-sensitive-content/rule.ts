import { defineRule, type Evidence } from '../../engine/types.js';
import type { ResolvedModel } from '../../model/resolve.js';
import { effectiveBoundary, elements, has, into, out, sensitivityRank, str, strings } from '../_helpers/index.js';
import { CONFIDENTIAL, idOf } from '../_helpers/models-data-observability.js';

const CONTENT = ['prompts', 'responses', 'messages', 'memory-writes'];
const LEVELS = ['public', 'internal', 'confidential', 'restricted'];
/** Assets that are data an agent reads into its context (credentials, funds and actions are not). */
const DATA_ASSETS = ['data', 'pii'];

/** Highest sensitivity of what element i handles: its own, its memories and channels, assets it holds. */
function handled(m: ResolvedModel, i: number): { rank: number; evidence?: Evidence } {
  let best: { rank: number; evidence?: Evidence } = { rank: -1 };
  const consider = (x: number, note: string) => {
    const r = sensitivityRank((m.graph.specs[x] ?? {})['sensitivity']);
    if (r > best.rank) best = { rank: r, evidence: has(m, x, ['sensitivity'], LEVELS[r], note) };
  };
  consider(i, 'data of a covered element');
  if (m.kindOf(i) === 'agent') {
    for (const x of [...out(m, i, 'reads'), ...out(m, i, 'writes')]) consider(x, `memory used by ${idOf(m, i)}`);
  }
  for (const x of out(m, i, 'holds')) if (DATA_ASSETS.includes(str(m.graph.specs[x] ?? {}, 'type') ?? 'data')) consider(x, `asset held by ${idOf(m, i)}`);
  return best;
}

export default defineRule({
  meta: {
    id: 'observability-captures-sensitive-content',
    title: 'Logs or traces capture prompts, responses or messages of a system handling confidential data',
    threats: ['L5-data-leakage-through-observability', 'X-data-leakage'],
    appliesTo: ['observability'],
    severity: 'medium',
    message: 'observability {observability} captures {captures} from elements that handle {sensitivity} data{where}',
    placeholders: ['observability', 'captures', 'sensitivity', 'where'],
    defences: ['data-loss-prevention', 'context-minimisation'],
    detectionLogic:
      'For each observability element other than an evaluation suite that captures prompts, responses, messages or memory writes: take the highest sensitivity among the elements it covers (their own sensitivity, the memories a covered agent reads or writes, the data or personal-data assets a covered element holds), or else the system dataSensitivity. Flag it when that is confidential or restricted: the log store becomes a second copy of the sensitive data, usually with wider access and weaker protection. Severity rises to high when the observability sits in, or runs on a deployment in, a boundary declared partner or untrusted (a third-party service).',
    falsePositives:
      'Redaction before the log leaves the process removes the exposure; declare it as a data-loss-prevention control on the observability element.',
    requires: ['observability'],
  },
  check(ctx) {
    const m = ctx.model;
    const sys = (m.model as { system?: { dataSensitivity?: unknown } }).system?.dataSensitivity;
    for (const o of elements(m, 'observability')) {
      if (str(o.spec, 'type') === 'evaluation') continue;
      const caps = strings(o.spec['captures']).filter((c) => CONTENT.includes(c));
      if (caps.length === 0) continue;
      let best: { rank: number; evidence?: Evidence } = { rank: -1 };
      for (const x of new Set(into(m, o.i, 'observed-by'))) {
        const h = handled(m, x);
        if (h.rank > best.rank) best = h;
      }
      if (best.rank < CONFIDENTIAL) {
        const r = sensitivityRank(sys);
        if (r < CONFIDENTIAL) continue;
        best = { rank: r, evidence: { element: 'system', pointer: '/system/dataSensitivity', attribute: 'dataSensitivity', value: sys, note: 'system-wide classification' } };
      }
      const evidence: Evidence[] = [has(m, o.i, ['captures'], o.spec['captures'])];
      if (best.evidence) evidence.push(best.evidence);
      let where = '';
      const b = effectiveBoundary(m, o.i);
      const trust = b >= 0 ? str(m.graph.specs[b] ?? {}, 'trust') : undefined;
      if (trust === 'partner' || trust === 'untrusted') {
        where = `, and it runs in ${trust} boundary ${idOf(m, b)}`;
        evidence.push(has(m, b, ['trust'], trust, 'the log store is outside our control'));
      }
      ctx.report({
        at: o.i,
        evidence,
        data: { observability: o.id, captures: caps.join(', '), sensitivity: LEVELS[best.rank] ?? '', where },
        ...(where !== '' ? { severity: 'high' as const } : {}),
      });
    }
  },
});
