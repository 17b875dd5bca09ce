import { defineRule } from '../../engine/types.js';
import { elements, has, lacks, str } from '../_helpers/index.js';
import { CONFIDENTIAL, sensitivityOf } from '../_helpers/models-data-observability.js';

/** Memory an agent fills as it works; systems of record (database, file store, ledger) have their own retention rules. */
const ACCUMULATING = ['vector-store', 'rag-corpus', 'knowledge-graph', 'long-term', 'episodic', 'short-term', 'shared-scratchpad', 'cache'];

export default defineRule({
  meta: {
    id: 'sensitive-memory-without-retention',
    title: 'Agent memory keeps confidential data with no retention limit',
    threats: ['L2-data-exfiltration', 'X-data-leakage'],
    appliesTo: ['memory'],
    severity: 'low',
    message: 'memory {memory} accumulates {sensitivity} data with no retention period declared',
    placeholders: ['memory', 'sensitivity'],
    defences: ['data-retention-limits', 'context-minimisation', 'decommissioning-procedure'],
    detectionLogic:
      'For each memory an agent fills while working (vector store, RAG corpus, knowledge graph, long-term, episodic, short-term, shared scratchpad, cache) that is persistent, or whose persistence is not declared for a long-term, episodic or vector-store memory, and whose sensitivity is confidential or restricted: flag it when retentionDays is not declared. Everything the agents ever saw stays available to a later leak, a later injection, or a later reader.',
    falsePositives:
      'A purge job or time-to-live configured in the store itself limits retention; declare retentionDays. Databases, file stores and ledgers are not checked because they usually follow a records policy outside the agent system.',
    requires: ['memories'],
  },
  check(ctx) {
    const m = ctx.model;
    for (const mem of elements(m, 'memory')) {
      const s = mem.spec;
      const type = str(s, 'type') ?? '';
      if (!ACCUMULATING.includes(type)) continue;
      const persistence = str(s, 'persistence');
      if (persistence === 'session') continue;
      if (persistence === undefined && !['long-term', 'episodic', 'vector-store'].includes(type)) continue;
      if (sensitivityOf(m, mem.i) < CONFIDENTIAL) continue;
      if (s['retentionDays'] !== undefined) continue;
      const sensitivity = str(s, 'sensitivity') ?? '';
      ctx.report({
        at: mem.i,
        evidence: [has(m, mem.i, ['sensitivity'], sensitivity), persistence === undefined ? has(m, mem.i, ['type'], type, 'persistent by nature') : has(m, mem.i, ['persistence'], persistence), lacks(m, mem.i, ['retentionDays'])],
        data: { memory: mem.id, sensitivity },
      });
    }
  },
});
