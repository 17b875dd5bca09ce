import { defineRule, type Evidence } from '../../engine/types.js';
import { elements, has, lacks, str } from '../_helpers/index.js';
import { RETRIEVAL_TYPES, idOf, lifecyclesOf } from '../_helpers/models-data-observability.js';

const NOT_A_REFRESH = ['decommission', 'scale', 'onboarding'];

export default defineRule({
  meta: {
    id: 'rag-corpus-refresh-unmanaged',
    title: 'Retrieval corpus has no managed refresh, or is re-indexed unchecked',
    threats: ['MAS-T17', 'X-hallucination-rag-tool-misuse'],
    appliesTo: ['memory'],
    severity: 'medium',
    message: 'retrieval memory {memory} {problem}, so superseded or unreviewed passages can be served as current',
    placeholders: ['memory', 'problem'],
    defences: ['evaluation-gates', 'staged-rollout', 'memory-provenance'],
    detectionLogic:
      'For each vector store, RAG corpus or knowledge graph that is not session-only: flag it when no lifecycle process targets it (nobody is responsible for removing superseded content or re-embedding after a model change), or when a lifecycle process that targets it (other than decommission, scale or onboarding) has neither approval nor evaluated set to true (whatever lands in the source is re-indexed without anyone checking retrieval still returns the right passages). The rule needs a lifecycle section: without one it reports the model as unassessed.',
    falsePositives:
      'A corpus rebuilt from scratch from a controlled source on every release has no stale entries; declare that rebuild as a lifecycle process with approval or evaluation.',
    requires: ['lifecycle'],
  },
  check(ctx) {
    const m = ctx.model;
    for (const mem of elements(m, 'memory')) {
      if (!RETRIEVAL_TYPES.includes(str(mem.spec, 'type') ?? '')) continue;
      if (str(mem.spec, 'persistence') === 'session') continue;
      const lcs = lifecyclesOf(m, mem.i).filter((l) => !NOT_A_REFRESH.includes(str(m.graph.specs[l] ?? {}, 'process') ?? ''));
      if (lcs.length === 0) {
        ctx.report({ at: mem.i, evidence: [lacks(m, mem.i, ['lifecycle'], 'no lifecycle process targets the memory')], data: { memory: mem.id, problem: 'has no refresh or re-index process' } });
        continue;
      }
      const unchecked = lcs.filter((l) => {
        const s = m.graph.specs[l] ?? {};
        return s['approval'] !== true && s['evaluated'] !== true;
      });
      const u0 = unchecked[0];
      if (u0 === undefined || unchecked.length < lcs.length) continue;
      const s0 = m.graph.specs[u0] ?? {};
      const evidence: Evidence[] = [
        s0['approval'] === undefined ? lacks(m, u0, ['approval']) : has(m, u0, ['approval'], s0['approval']),
        s0['evaluated'] === undefined ? lacks(m, u0, ['evaluated']) : has(m, u0, ['evaluated'], s0['evaluated']),
      ];
      ctx.report({ at: mem.i, also: [u0], evidence, data: { memory: mem.id, problem: `is refreshed by ${idOf(m, u0)} with no review or evaluation` } });
    }
  },
});
