import { defineRule, type Evidence } from '../../engine/types.js';
import { elements, has, lacks, str, strings } from '../_helpers/index.js';

const MODEL_CHANGES = ['update', 'retrain', 'fine-tune'];

export default defineRule({
  meta: {
    id: 'model-change-without-evaluation-gate',
    title: 'Model update, retraining or fine-tuning released without evaluation or staging',
    threats: ['LC-model-update-drift', 'MAS-T16', 'L1-backdoor-attacks'],
    appliesTo: ['lifecycle'],
    layer: 'L1',
    severity: 'medium',
    message: 'lifecycle {lifecycle} changes model {model} by {process} and is {gaps}',
    placeholders: ['lifecycle', 'model', 'process', 'gaps'],
    defences: ['evaluation-gates', 'staged-rollout'],
    detectionLogic:
      'For each lifecycle process of type update, retrain or fine-tune that targets at least one model: flag it when evaluated is not true (no regression and safety suite gates the release) or staged is not true (no canary with a way back). A new model version or new weights can change decisions for the same input, lose safety behaviour, or carry a trigger learnt from poisoned data; without a gate nobody sees that before all traffic does. Severity rises to high for retrain and fine-tune processes, which change the weights themselves.',
    falsePositives:
      'A provider-side update that the model pins against never reaches the system; if the process only records that the provider moves an alias the model does not follow, remove it or mark it evaluated. Gates kept outside the model file count only when declared.',
    requires: ['lifecycle'],
  },
  check(ctx) {
    const m = ctx.model;
    for (const lc of elements(m, 'lifecycle')) {
      const process = str(lc.spec, 'process') ?? '';
      if (!MODEL_CHANGES.includes(process)) continue;
      const targets = strings(lc.spec['targets']);
      const models: number[] = [];
      let firstK = -1;
      for (let k = 0; k < targets.length; k++) {
        const t = m.indexOf(targets[k] ?? '');
        if (t >= 0 && m.kindOf(t) === 'model') {
          models.push(t);
          if (firstK < 0) firstK = k;
        }
      }
      if (models.length === 0) continue;
      const gaps: string[] = [];
      const evidence: Evidence[] = [has(m, lc.i, ['targets', firstK], targets[firstK], `${process} of a model`)];
      for (const [key, label] of [['evaluated', 'not evaluated'], ['staged', 'not staged']] as const) {
        const v = lc.spec[key];
        if (v === true) continue;
        gaps.push(label);
        evidence.push(v === undefined ? lacks(m, lc.i, [key]) : has(m, lc.i, [key], v));
      }
      if (gaps.length === 0) continue;
      ctx.report({
        at: lc.i,
        also: models,
        evidence,
        data: { lifecycle: lc.id, model: targets[firstK] ?? '', process, gaps: gaps.join(' and ') },
        ...(process === 'update' ? {} : { severity: 'high' as const }),
      });
    }
  },
});
