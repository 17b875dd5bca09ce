import { defineRule, type Evidence } from '../../engine/types.js';
import { elements, has, lacks, str, strings } from '../_helpers/index.js';
import { nameList } from '../_helpers/models-data-observability.js';

export default defineRule({
  meta: {
    id: 'prompt-change-without-evaluation',
    title: 'System prompt changes released without an evaluation suite',
    threats: ['LC-prompt-update-drift'],
    appliesTo: ['lifecycle'],
    severity: 'medium',
    message: 'prompt changes to {targets} through {lifecycle} are not evaluated before release{review}',
    placeholders: ['targets', 'lifecycle', 'review'],
    defences: ['evaluation-gates', 'staged-rollout'],
    detectionLogic:
      'For each lifecycle process of type prompt-change: flag it when evaluated is not true. A reworded instruction can quietly drop a refusal, widen what the agent agrees to do, or change how it reads retrieved policy; without known-good and known-bad cases run before release, the change is tested on real traffic. Severity rises to high when approval is not true either (nobody reviews the change at all).',
    falsePositives:
      'Prompt changes that are tested in a CI job not described in the model count once declared; set evaluated: true or add an evaluation-gates control.',
    requires: ['lifecycle'],
  },
  check(ctx) {
    const m = ctx.model;
    for (const lc of elements(m, 'lifecycle')) {
      if (str(lc.spec, 'process') !== 'prompt-change') continue;
      const ev = lc.spec['evaluated'];
      if (ev === true) continue;
      const targets = strings(lc.spec['targets']).map((t) => m.indexOf(t)).filter((t) => t >= 0);
      const evidence: Evidence[] = [ev === undefined ? lacks(m, lc.i, ['evaluated']) : has(m, lc.i, ['evaluated'], ev)];
      const approved = lc.spec['approval'] === true;
      if (!approved) evidence.push(lc.spec['approval'] === undefined ? lacks(m, lc.i, ['approval']) : has(m, lc.i, ['approval'], lc.spec['approval']));
      ctx.report({
        at: lc.i,
        also: targets,
        evidence,
        data: { targets: targets.length > 0 ? nameList(targets.map((t) => m.graph.ids[t] ?? '')) : 'the agents', lifecycle: lc.id, review: approved ? '' : ', nor reviewed' },
        ...(approved ? {} : { severity: 'high' as const }),
      });
    }
  },
});
