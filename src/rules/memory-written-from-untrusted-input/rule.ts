import { defineRule } from '../../engine/types.js';
import { elements, str } from '../_helpers/index.js';
import { CONTEXT_TYPES, idOf, isExternalAgent, memoryReaders, memoryWriters, untrustedReach } from '../_helpers/models-data-observability.js';

export default defineRule({
  meta: {
    id: 'memory-written-from-untrusted-input',
    title: 'Agent exposed to untrusted input writes persistent memory that agents recall',
    threats: ['T1', 'X-learning-model-poisoning', 'L2-data-poisoning'],
    appliesTo: ['memory'],
    severity: 'high',
    message: 'agent {agent} handles untrusted content and writes memory {memory}, which {readers} agent(s) recall later',
    placeholders: ['agent', 'memory', 'readers'],
    defences: ['memory-write-controls', 'memory-provenance', 'input-guardrails'],
    detectionLogic:
      'For each persistent memory agents recall from (vector store, RAG corpus, knowledge graph, long-term, episodic, shared scratchpad) that at least one agent reads: flag it when an agent we run writes it and that agent is reached by untrusted content (untrusted entry points or senders, browsing, search or e-mail tools, memories or tools fed by untrusted sources). One manipulated conversation becomes a lasting fact, instruction or preference that shapes later sessions and other agents.',
    falsePositives:
      'Agents that only write structured, validated records (for example a fixed schema of ticket fields) carry less risk; declare the validation as a memory-write-controls control on the memory.',
    requires: ['memories'],
  },
  check(ctx) {
    const m = ctx.model;
    for (const mem of elements(m, 'memory')) {
      if (!CONTEXT_TYPES.includes(str(mem.spec, 'type') ?? '')) continue;
      if (str(mem.spec, 'persistence') === 'session') continue;
      const readers = memoryReaders(m, mem.i);
      if (readers.length === 0) continue;
      for (const w of memoryWriters(m, mem.i)) {
        if (m.kindOf(w.i) !== 'agent' || isExternalAgent(m, w.i)) continue;
        const r = untrustedReach(m, w.i)[0];
        if (r === undefined) continue;
        ctx.report({
          at: mem.i,
          also: [w.i, r.from],
          evidence: [r.evidence, w.evidence],
          data: { agent: idOf(m, w.i), memory: mem.id, readers: readers.length },
        });
      }
    }
  },
});
