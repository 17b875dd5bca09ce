import { defineRule, type Evidence } from '../../engine/types.js';
import { elements, get, has, lacks, str } from '../_helpers/index.js';
import { CONTEXT_TYPES, memoryWriters, untrustedFeeds } from '../_helpers/models-data-observability.js';

export default defineRule({
  meta: {
    id: 'memory-without-provenance',
    title: 'Memory entries do not record where they came from',
    threats: ['T1', 'L2-data-poisoning', 'L2-data-tampering'],
    appliesTo: ['memory'],
    severity: 'medium',
    message: 'memory {memory} ({type}) does not track the origin of its entries, so planted or stale content cannot be told apart or purged',
    placeholders: ['memory', 'type'],
    defences: ['memory-provenance'],
    detectionLogic:
      'For each memory that is not session-only: flag it when it is a store agents recall from (vector store, RAG corpus, knowledge graph, long-term, episodic, shared scratchpad) and provenance.tracked is not true; for other stores (database, file store, cache, ledger), flag only when provenance.tracked is declared false and the store ingests content or has declared writers. Severity rises to high when the memory ingests untrusted content or has two or more writers.',
    falsePositives:
      'Provenance may be kept in a separate index or in document metadata that the model file does not mention; declare provenance.tracked or a memory-provenance control.',
    requires: ['memories'],
  },
  check(ctx) {
    const m = ctx.model;
    for (const mem of elements(m, 'memory')) {
      const s = mem.spec;
      if (str(s, 'persistence') === 'session') continue;
      const type = str(s, 'type') ?? '';
      const tracked = get(s, ['provenance', 'tracked']);
      if (tracked === true) continue;
      const feeds = untrustedFeeds(m, mem.i);
      const writers = memoryWriters(m, mem.i);
      const recall = CONTEXT_TYPES.includes(type);
      const hasInflow = (Array.isArray(s['ingests']) && s['ingests'].length > 0) || writers.length > 0;
      if (!recall && !(tracked === false && hasInflow)) continue;
      const evidence: Evidence[] = [tracked === false ? has(m, mem.i, ['provenance', 'tracked'], false) : lacks(m, mem.i, ['provenance', 'tracked'])];
      let severity: 'high' | undefined;
      const f0 = feeds[0];
      if (f0 !== undefined) {
        evidence.push(f0.evidence);
        severity = 'high';
      } else if (writers.length >= 2) {
        for (const w of writers.slice(0, 5)) evidence.push(w.evidence);
        severity = 'high';
      }
      ctx.report({ at: mem.i, evidence, data: { memory: mem.id, type }, ...(severity ? { severity } : {}) });
    }
  },
});
