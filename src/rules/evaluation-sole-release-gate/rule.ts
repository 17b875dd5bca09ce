import { defineRule } from '../../engine/types.js';
import { elements, has, lacks, str, strings } from '../_helpers/index.js';
import { nameList } from '../_helpers/models-data-observability.js';

const RELEASES = ['update', 'retrain', 'fine-tune', 'prompt-change'];

export default defineRule({
  meta: {
    id: 'evaluation-sole-release-gate',
    title: 'Automated release decided by evaluation scores alone',
    threats: ['L5-manipulation-of-evaluation-metrics'],
    appliesTo: ['lifecycle'],
    layer: 'L5',
    severity: 'low',
    message: 'lifecycle {lifecycle} releases {targets} automatically once the evaluation passes, with no human review and no staged rollout',
    placeholders: ['lifecycle', 'targets'],
    defences: ['human-approval', 'staged-rollout'],
    detectionLogic:
      'For each lifecycle process of type update, retrain, fine-tune or prompt-change that targets a model or an agent: flag it when evaluated and automated are both true while approval and staged are not true. The evaluation suite is then the only gate; whoever can influence the benchmark data, the scoring or the reported metrics decides what ships to all traffic.',
    falsePositives:
      'An evaluation suite kept read-only and separate from the team that trains the model is harder to game; a staged rollout or a human sign-off still catches what the suite misses. Declare either to clear the finding.',
    requires: ['lifecycle'],
  },
  check(ctx) {
    const m = ctx.model;
    for (const lc of elements(m, 'lifecycle')) {
      const s = lc.spec;
      if (!RELEASES.includes(str(s, 'process') ?? '')) continue;
      if (s['evaluated'] !== true || s['automated'] !== true || s['approval'] === true || s['staged'] === true) continue;
      const targets = strings(s['targets']).map((t) => m.indexOf(t)).filter((t) => t >= 0 && (m.kindOf(t) === 'model' || m.kindOf(t) === 'agent'));
      if (targets.length === 0) continue;
      ctx.report({
        at: lc.i,
        also: targets,
        evidence: [has(m, lc.i, ['evaluated'], true), has(m, lc.i, ['automated'], true), s['approval'] === undefined ? lacks(m, lc.i, ['approval']) : has(m, lc.i, ['approval'], s['approval']), s['staged'] === undefined ? lacks(m, lc.i, ['staged']) : has(m, lc.i, ['staged'], s['staged'])],
        data: { lifecycle: lc.id, targets: nameList(targets.map((t) => m.graph.ids[t] ?? '')) },
      });
    }
  },
});
