import { defineRule } from '../../engine/types.js';
import { elements, str } from '../_helpers/index.js';
import { CONTEXT_TYPES, idOf, listEntry, memoryReaders, untrustedFeeds } from '../_helpers/models-data-observability.js';

export default defineRule({
  meta: {
    id: 'rag-ingests-untrusted-source',
    title: 'Retrieval or long-lived memory ingests content from untrusted sources',
    threats: ['MAS-T18', 'L2-compromised-rag-pipelines', 'X-hallucination-rag-tool-misuse', 'L2-data-poisoning', 'T1'],
    appliesTo: ['memory'],
    severity: 'high',
    message: 'memory {memory} ingests untrusted content from {source} and agent {reader} retrieves from it',
    placeholders: ['memory', 'source', 'reader'],
    defences: ['rag-source-allowlist', 'memory-provenance', 'output-grounding'],
    detectionLogic:
      'For each memory an agent recalls from (vector store, RAG corpus, knowledge graph, long-term, episodic, shared scratchpad) that at least one agent reads: flag it when it ingests from an untrusted source, or an untrusted entry point targets it. A source is untrusted when declared so, or when it is a website, e-mail source, public or customer human, external agent, or a browsing, search or e-mail tool without a trust level; entry points marked authenticated or partner are not counted. Whoever writes the source can place passages that later come back as trusted context, phrased to match the queries that matter.',
    falsePositives:
      'Content that passes a review queue before it is indexed is no longer untrusted; declare the review as a rag-source-allowlist control, or mark the entry point authenticated.',
    requires: ['memories'],
  },
  check(ctx) {
    const m = ctx.model;
    for (const mem of elements(m, 'memory')) {
      if (!CONTEXT_TYPES.includes(str(mem.spec, 'type') ?? '')) continue;
      const readers = memoryReaders(m, mem.i);
      const r0 = readers[0];
      if (r0 === undefined) continue;
      const feeds = untrustedFeeds(m, mem.i);
      const f0 = feeds[0];
      if (f0 === undefined) continue;
      const rId = idOf(m, r0);
      ctx.report({
        at: mem.i,
        also: [...feeds.map((f) => f.from), ...readers],
        evidence: [...feeds.map((f) => f.evidence), listEntry(m, r0, ['memory', 'reads'], mem.id, 'retrieves from the memory')],
        data: { memory: mem.id, source: idOf(m, f0.from), reader: rId },
      });
    }
  },
});
