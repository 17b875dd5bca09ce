import { defineRule, type Evidence } from '../../engine/types.js';
import { elements, get, has, isUntrustedSource, lacks, str } from '../_helpers/index.js';
import { idOf, nameList, isExternalAgent, memoryReaders, memoryWriters } from '../_helpers/models-data-observability.js';

export default defineRule({
  meta: {
    id: 'memory-shared-writers-unisolated',
    title: 'Memory written by several agents or by untrusted parties, without partitions or signed entries',
    threats: ['T1', 'L2-distributed-data-poisoning', 'L2-inter-agent-data-tampering'],
    appliesTo: ['memory'],
    severity: 'high',
    message: 'memory {memory} is written by {writers} and read by {readers} agent(s), with no per-agent partition and no signed entries',
    placeholders: ['memory', 'writers', 'readers'],
    defences: ['memory-write-controls', 'memory-isolation', 'memory-provenance'],
    detectionLogic:
      'For each memory: collect its writers (agents that declare memory.writes, plus the memory writers list). Flag it when two or more agents write it, or when any writer is untrusted (an untrusted human or system, an agent run by another party, a browsing, search or e-mail tool), unless isolation is per-agent or provenance.signed is true. One compromised or misled writer can then alter what every reader recalls, and readers cannot tell which agent wrote an entry.',
    falsePositives:
      'Writers may be limited to separate key ranges or namespaces in ways the model file does not show; declare isolation per-agent, signed provenance, or a memory-write-controls control.',
    requires: ['memories'],
  },
  check(ctx) {
    const m = ctx.model;
    for (const mem of elements(m, 'memory')) {
      const s = mem.spec;
      if (str(s, 'isolation') === 'per-agent' || get(s, ['provenance', 'signed']) === true) continue;
      const writers = memoryWriters(m, mem.i);
      const agents = writers.filter((w) => m.kindOf(w.i) === 'agent');
      const untrusted = writers.filter((w) => (m.kindOf(w.i) === 'agent' ? isExternalAgent(m, w.i) : isUntrustedSource(m, w.i)));
      if (agents.length < 2 && untrusted.length === 0) continue;
      const agentSet = new Set(agents);
      const involved = agents.length >= 2 ? [...agents, ...untrusted.filter((u) => !agentSet.has(u))] : untrusted;
      const evidence: Evidence[] = involved.slice(0, 5).map((w) => w.evidence);
      const iso = str(s, 'isolation');
      evidence.push(iso === undefined ? lacks(m, mem.i, ['isolation']) : has(m, mem.i, ['isolation'], iso));
      const readers = memoryReaders(m, mem.i);
      ctx.report({
        at: mem.i,
        also: [...involved.map((w) => w.i), ...readers],
        evidence,
        data: { memory: mem.id, writers: nameList(involved.map((w) => idOf(m, w.i))), readers: readers.length },
      });
    }
  },
});
