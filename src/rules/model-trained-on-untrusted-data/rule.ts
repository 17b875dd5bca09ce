import { defineRule, type Evidence } from '../../engine/types.js';
import { elements, isUntrustedSource, out } from '../_helpers/index.js';
import { idOf, listEntry, memoryWriters, untrustedFeeds, untrustedReach } from '../_helpers/models-data-observability.js';

export default defineRule({
  meta: {
    id: 'model-trained-on-untrusted-data',
    title: 'Model trained or fine-tuned on data that untrusted parties can shape',
    threats: ['L1-data-poisoning-training-phase', 'LC-retraining-poisoned-data', 'X-learning-model-poisoning', 'L1-backdoor-attacks', 'L2-data-poisoning'],
    appliesTo: ['model'],
    severity: 'high',
    message: 'model {model} is trained on {data}, which {how}',
    placeholders: ['model', 'data', 'how'],
    defences: ['training-data-validation', 'memory-provenance', 'memory-write-controls'],
    detectionLogic:
      'For each model with trainingData, look at each training source. An external system counts when it is untrusted (declared untrusted, or a website or e-mail source without a trust level). A memory counts when it ingests untrusted content (an untrusted source or entry point), when an untrusted party may write it (its writers), or when an agent that writes it is itself reached by untrusted content. Each retraining then lets outsiders shift what the model learns, or plant a trigger.',
    falsePositives:
      'A training pipeline that filters, labels or samples the data by hand before use breaks the path; declare it as a training-data-validation control on the model or the data set.',
    requires: ['models'],
  },
  check(ctx) {
    const m = ctx.model;
    for (const mod of elements(m, 'model')) {
      for (const d of out(m, mod.i, 'trained-on')) {
        const dId = idOf(m, d);
        const evidence: Evidence[] = [listEntry(m, mod.i, ['trainingData'], dId, 'used to train the model')];
        const also: number[] = [d];
        let how = '';
        if (m.kindOf(d) === 'external-system') {
          if (!isUntrustedSource(m, d)) continue;
          how = 'is an untrusted outside source';
        } else {
          const feeds = untrustedFeeds(m, d);
          const f0 = feeds[0];
          if (f0 !== undefined) {
            evidence.push(f0.evidence);
            also.push(f0.from);
            how = `ingests untrusted content from ${idOf(m, f0.from)}`;
          } else {
            for (const w of memoryWriters(m, d)) {
              if (m.kindOf(w.i) === 'agent') {
                const reach = untrustedReach(m, w.i)[0];
                if (reach === undefined) continue;
                evidence.push(w.evidence, reach.evidence);
                also.push(w.i);
                how = `is written by agent ${idOf(m, w.i)}, which handles untrusted content`;
              } else {
                if (!isUntrustedSource(m, w.i)) continue;
                evidence.push(w.evidence);
                also.push(w.i);
                how = `may be written by untrusted ${idOf(m, w.i)}`;
              }
              break;
            }
          }
          if (how === '') continue;
        }
        ctx.report({ at: mod.i, also, evidence, data: { model: mod.id, data: dId, how } });
      }
    }
  },
});
