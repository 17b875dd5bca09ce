import { defineRule, type Evidence } from '../../engine/types.js';
import { elements, into, out } from '../_helpers/index.js';
import { idOf, listEntry, memoryWriters } from '../_helpers/models-data-observability.js';

export default defineRule({
  meta: {
    id: 'model-trained-on-agent-output',
    title: 'Model retrained on what agents write (feedback loop or pooled agent output)',
    threats: ['L1-collaborative-model-poisoning', 'X-learning-model-poisoning', 'X-emergent-bias-amplification'],
    appliesTo: ['model'],
    severity: 'medium',
    message: 'model {model} learns from {data}, which {how}',
    placeholders: ['model', 'data', 'how'],
    defences: ['training-data-validation', 'evaluation-gates', 'memory-provenance'],
    detectionLogic:
      'For each model with trainingData that is a memory, list the agents that write that memory (memory.writes). Flag the model when an agent that uses the model writes its own training data (a closed loop: the model learns from its own outputs and their errors or biases grow with each round), or when two or more agents write it (a shared training pool: one compromised or skewed agent poisons the model every other agent relies on).',
    falsePositives:
      'Training sets built only from human-labelled examples, even when agents write the raw records, break the loop; declare the labelling step as a training-data-validation control.',
    requires: ['models'],
  },
  check(ctx) {
    const m = ctx.model;
    for (const mod of elements(m, 'model')) {
      const users = new Set(into(m, mod.i, 'uses-model'));
      for (const d of out(m, mod.i, 'trained-on')) {
        if (m.kindOf(d) !== 'memory') continue;
        const agents = memoryWriters(m, d).filter((w) => m.kindOf(w.i) === 'agent');
        const loop = agents.filter((w) => users.has(w.i));
        const dId = idOf(m, d);
        const evidence: Evidence[] = [listEntry(m, mod.i, ['trainingData'], dId, 'used to train the model')];
        let how: string;
        if (loop.length > 0) {
          const l0 = loop[0];
          if (l0 === undefined) continue;
          evidence.push(l0.evidence, listEntry(m, l0.i, ['models'], mod.id, 'the writer uses the model it trains'));
          how = `is written by agent ${idOf(m, l0.i)}, which itself runs on the model`;
        } else if (agents.length >= 2) {
          for (const w of agents.slice(0, 5)) evidence.push(w.evidence);
          how = `pools the output of ${agents.length} agents`;
        } else continue;
        ctx.report({ at: mod.i, also: [d, ...agents.map((w) => w.i)], evidence, data: { model: mod.id, data: dId, how } });
      }
    }
  },
});
