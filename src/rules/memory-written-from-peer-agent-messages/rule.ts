import { defineRule, type Evidence } from '../../engine/types.js';
import type { ResolvedModel } from '../../model/resolve.js';
import { channelsInto, elements, has, into, out, str } from '../_helpers/index.js';
import { CONTEXT_TYPES, idOf, isExternalAgent, listEntry, memoryReaders, memoryWriters } from '../_helpers/models-data-observability.js';

/** Agents run by other parties: their messages are written by someone else's model. */
function foreign(m: ResolvedModel, a: number): boolean {
  const o = str(m.graph.specs[a] ?? {}, 'origin');
  return o === 'external' || o === 'third-party';
}

/** Messages from agents of other parties that reach agent w, as evidence. */
function peerMessages(m: ResolvedModel, w: number): { from: number; evidence: Evidence }[] {
  const res: { from: number; evidence: Evidence }[] = [];
  const seen = new Set<number>();
  const wId = idOf(m, w);
  for (const p of out(m, w, 'accepts-from')) {
    if (!foreign(m, p) || seen.has(p)) continue;
    seen.add(p);
    res.push({ from: p, evidence: listEntry(m, w, ['acceptsFrom'], idOf(m, p), 'takes tasks from an agent of another party') });
  }
  for (const p of into(m, w, 'delegates')) {
    if (!foreign(m, p) || seen.has(p)) continue;
    seen.add(p);
    res.push({ from: p, evidence: listEntry(m, p, ['delegatesTo'], wId, 'an agent of another party hands it tasks') });
  }
  for (const c of channelsInto(m, w)) {
    if (c.channel < 0 || m.kindOf(c.from) !== 'agent' || !foreign(m, c.from) || seen.has(c.from)) continue;
    seen.add(c.from);
    res.push({ from: c.from, evidence: has(m, c.channel, ['from'], idOf(m, c.from), 'messages from an agent of another party') });
  }
  for (const ep of into(m, w, 'entry')) {
    if (seen.has(ep) || str(m.graph.specs[ep] ?? {}, 'type') !== 'agent-message') continue;
    const trust = str(m.graph.specs[ep] ?? {}, 'trust');
    if (trust === 'trusted' || trust === 'authenticated') continue;
    seen.add(ep);
    res.push({ from: ep, evidence: has(m, ep, ['type'], 'agent-message', `peer agent messages enter ${wId}`) });
  }
  return res;
}

export default defineRule({
  meta: {
    id: 'memory-written-from-peer-agent-messages',
    title: "Another party's agent can plant lasting memories through agent-to-agent messages",
    threats: ['BV-7', 'T1'],
    appliesTo: ['memory'],
    severity: 'high',
    message: 'agent {agent} takes messages from {peer} and writes memory {memory}, which agents recall later',
    placeholders: ['agent', 'peer', 'memory'],
    defences: ['memory-write-controls', 'memory-provenance', 'message-signing'],
    detectionLogic:
      'For each persistent memory agents recall from (vector store, RAG corpus, knowledge graph, long-term, episodic, shared scratchpad) that at least one agent reads: flag it when an agent we run writes it and that agent receives messages from an agent run by another party (origin external or third-party, through acceptsFrom, delegatesTo or a channel), or from an entry point of type agent-message that is not trusted. A peer that is compromised, or simply wrong, then turns one message into a fact every later session recalls.',
    falsePositives:
      'Agents that store only their own conclusions, never the peer text, are less exposed; declare a memory-write-controls control that says so. Signed messages show who wrote a planted entry but do not stop it.',
    requires: ['memories'],
  },
  check(ctx) {
    const m = ctx.model;
    // The first peer message reaching each writer, computed once per writer (an agent may write many memories).
    const firstPeer = new Map<number, { from: number; evidence: Evidence } | undefined>();
    const peerOf = (w: number) => {
      if (!firstPeer.has(w)) firstPeer.set(w, peerMessages(m, w)[0]);
      return firstPeer.get(w);
    };
    for (const mem of elements(m, 'memory')) {
      if (!CONTEXT_TYPES.includes(str(mem.spec, 'type') ?? '')) continue;
      if (str(mem.spec, 'persistence') === 'session') continue;
      if (memoryReaders(m, mem.i).length === 0) continue;
      for (const w of memoryWriters(m, mem.i)) {
        if (m.kindOf(w.i) !== 'agent' || isExternalAgent(m, w.i)) continue;
        const p = peerOf(w.i);
        if (p === undefined) continue;
        ctx.report({ at: mem.i, also: [w.i, p.from], evidence: [p.evidence, w.evidence], data: { agent: idOf(m, w.i), peer: idOf(m, p.from), memory: mem.id } });
      }
    }
  },
});
