import { defineRule } from '../../engine/types.js';
import { elements, grants, str } from '../_helpers/index.js';
import { CONTEXT_TYPES, grantEvidence, idOf, isExternalAgent, listEntry, memoryReaders, untrustedFeeds } from '../_helpers/models-data-observability.js';

export default defineRule({
  meta: {
    id: 'poisoned-retrieval-steers-onchain-agent',
    title: 'Untrusted retrieval content reaches an agent that signs blockchain transactions',
    threats: ['MAS-T27', 'X-data-poisoning-agent-action-ecosystem-propagation', 'T1'],
    appliesTo: ['memory'],
    severity: 'critical',
    message: 'memory {memory} ingests untrusted content and is read by agent {agent}, which signs transactions through {tool}',
    placeholders: ['memory', 'agent', 'tool'],
    defences: ['rag-source-allowlist', 'memory-provenance', 'output-validation', 'action-selector'],
    detectionLogic:
      'For each memory an agent recalls from (vector store, RAG corpus, knowledge graph, long-term, episodic, shared scratchpad) that ingests untrusted content (see rag-ingests-untrusted-source): flag it when an agent we run reads it and holds a tool grant with the blockchain-transaction side effect. Planted entries that present a malicious contract or address as the trusted one lead straight to an irreversible on-chain transfer.',
    falsePositives:
      'Agents that may only interact with allow-listed contracts, enforced outside the model, are protected against the redirect; declare that allow-list as an action-selector or output-validation control on the agent.',
    requires: ['memories'],
  },
  check(ctx) {
    const m = ctx.model;
    for (const mem of elements(m, 'memory')) {
      if (!CONTEXT_TYPES.includes(str(mem.spec, 'type') ?? '')) continue;
      const feeds = untrustedFeeds(m, mem.i);
      const f0 = feeds[0];
      if (f0 === undefined) continue;
      for (const a of memoryReaders(m, mem.i)) {
        if (isExternalAgent(m, a)) continue;
        const g = grants(m, a).find((x) => x.sideEffects.includes('blockchain-transaction'));
        if (g === undefined) continue;
        ctx.report({
          at: mem.i,
          also: [a, f0.from],
          evidence: [f0.evidence, listEntry(m, a, ['memory', 'reads'], mem.id, 'recalls from the memory'), grantEvidence(m, a, g)],
          data: { memory: mem.id, agent: idOf(m, a), tool: idOf(m, g.tool) },
        });
      }
    }
  },
});
