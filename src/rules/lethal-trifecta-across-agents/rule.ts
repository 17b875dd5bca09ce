import { defineRule } from '../../engine/types.js';
import type { Evidence } from '../../engine/types.js';
import { elements, untrustedInputs } from '../_helpers/index.js';
import { agentLinks, capEvidence, egressPaths, sensitiveReads, type AgentLink, type Leg } from '../_helpers/agents.js';

/** Hops between agents followed from the exposed agent, and agents visited at most per search. */
const MAX_HOPS = 6;
const MAX_VISITS = 5000;

export default defineRule({
  meta: {
    id: 'lethal-trifecta-across-agents',
    title: 'Private data, untrusted content and an outbound channel spread over connected agents',
    threats: ['X-lethal-trifecta', 'L3-trust-exploitation', 'T2'],
    appliesTo: ['agent'],
    severity: 'high',
    message: 'untrusted content reaching agent {agent} can combine private data read by {reader} with an outbound channel held by {sender}',
    placeholders: ['agent', 'reader', 'sender'],
    defences: ['dual-llm', 'plan-then-execute', 'context-minimisation', 'egress-allowlist', 'data-loss-prevention', 'circuit-breaker'],
    detectionLogic:
      'For each agent exposed to untrusted content that does not hold all three legs itself (that case is lethal-trifecta-in-agent), walk breadth-first over the agents joined to it, in either direction, by delegation, by channels between agents, and by a memory one agent writes and another reads, up to 6 hops and 5000 agents, with a visited set. If the walk reaches an agent that reads private data (the same private-data leg as the single-agent rule) and an agent that can send data out (network-egress, send-message or a channel to an untrusted external system), the legs form one trifecta across agents. The nearest such agents are named, with the links that join them. Groups of linked agents that lack one of the legs altogether are skipped before any walk.',
    falsePositives:
      'Links are followed in both directions, so an agent that only ever receives summaries is treated as able to pass instructions back; a strictly one-way, structured hand-off (for example only an enum or an amount) breaks the chain in practice. Record that as an accepted risk or model the link as one-way data.',
  },
  check(ctx) {
    const m = ctx.model;
    const agents = elements(m, 'agent').map((a) => a.i);
    const memo = <T>(f: (x: number) => T) => {
      const cache = new Map<number, T>();
      return (x: number): T => {
        let v = cache.get(x);
        if (v === undefined) {
          v = f(x);
          cache.set(x, v);
        }
        return v;
      };
    };
    const links = memo<AgentLink[]>((x) => agentLinks(m, x));
    const data = memo<Leg[]>((x) => sensitiveReads(m, x));
    const egress = memo<Leg[]>((x) => egressPaths(m, x));

    // Groups of linked agents, and whether each group has a reader and a sender at all.
    const group = new Map<number, number>();
    const hasData: boolean[] = [];
    const hasOut: boolean[] = [];
    for (const s of agents) {
      if (group.has(s)) continue;
      const g = hasData.length;
      hasData.push(false);
      hasOut.push(false);
      group.set(s, g);
      const stack = [s];
      while (stack.length > 0) {
        const x = stack.pop();
        if (x === undefined) break;
        if (data(x).length > 0) hasData[g] = true;
        if (egress(x).length > 0) hasOut[g] = true;
        for (const l of links(x)) {
          if (group.has(l.to)) continue;
          group.set(l.to, g);
          stack.push(l.to);
        }
      }
    }

    for (const a of agents) {
      const g = group.get(a) ?? -1;
      if (!hasData[g] || !hasOut[g]) continue;
      if (data(a).length > 0 && egress(a).length > 0) continue;
      const inputs = untrustedInputs(m, a);
      if (inputs.length === 0) continue;
      const via = new Map<number, { prev: number; link?: AgentLink; hops: number }>([[a, { prev: -1, hops: 0 }]]);
      const queue = [a];
      // Agents are tested as they are discovered: discovery order is the order of the queue, so the
      // first reader and sender found are the nearest, and the walk stops as soon as both are known
      // (a hub's thousands of links need not all be queued once they are).
      let reader = data(a).length > 0 ? a : -1;
      let sender = egress(a).length > 0 ? a : -1;
      for (let head = 0; head < queue.length && (reader < 0 || sender < 0); head++) {
        const x = queue[head] ?? -1;
        const hops = via.get(x)?.hops ?? 0;
        if (hops >= MAX_HOPS || via.size >= MAX_VISITS) continue;
        for (const l of links(x)) {
          if (via.has(l.to)) continue;
          via.set(l.to, { prev: x, link: l, hops: hops + 1 });
          queue.push(l.to);
          if (reader < 0 && data(l.to).length > 0) reader = l.to;
          if (sender < 0 && egress(l.to).length > 0) sender = l.to;
          if (reader >= 0 && sender >= 0) break;
        }
      }
      if (reader < 0 || sender < 0) continue;
      const pathTo = (target: number): Evidence[] => {
        const res: Evidence[] = [];
        for (let cur = target, guard = 0; guard <= MAX_HOPS; guard++) {
          const step = via.get(cur);
          if (step?.link === undefined) break;
          res.push(step.link.evidence);
          cur = step.prev;
        }
        return res.reverse();
      };
      ctx.report({
        at: a,
        also: [reader, sender].filter((x) => x !== a),
        evidence: [
          ...capEvidence(m, a, inputs.map((x) => x.evidence), 6),
          ...capEvidence(m, reader, data(reader).map((l) => l.evidence), 6),
          ...capEvidence(m, sender, egress(sender).map((l) => l.evidence), 6),
          ...pathTo(reader),
          ...pathTo(sender),
        ],
        data: { agent: m.graph.ids[a] ?? '', reader: m.graph.ids[reader] ?? '', sender: m.graph.ids[sender] ?? '' },
      });
    }
  },
});
