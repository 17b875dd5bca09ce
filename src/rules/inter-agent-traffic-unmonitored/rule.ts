import { defineRule, type Evidence } from '../../engine/types.js';
import { channelsFrom, elements, has, out, str } from '../_helpers/index.js';
import { idOf, isExternalAgent, listEntry, matchesObs, nameList, notObserved, observersOf } from '../_helpers/models-data-observability.js';

const MONITOR = { types: ['inter-agent-monitoring'] } as const;

export default defineRule({
  meta: {
    id: 'inter-agent-traffic-unmonitored',
    title: 'Agent-to-agent traffic that no inter-agent monitor watches',
    threats: ['X-misconfigured-inter-agent-monitoring', 'L5-evasion-of-detection'],
    appliesTo: ['agent'],
    layer: 'L5',
    severity: 'medium',
    message: 'tasks and messages between agent {agent} and {peers} are not watched by any inter-agent monitoring',
    placeholders: ['agent', 'peers'],
    defences: ['inter-agent-monitoring', 'circuit-breaker'],
    detectionLogic:
      'Collect every link from one agent to another: delegatesTo, acceptsFrom (read in reverse) and channels whose two ends are agents. A link counts as monitored when an observability element of type inter-agent-monitoring covers one of the channels between the two agents, either agent (directly, through its boundary or deployment), or names no covers at all (system-wide). Flag each unmonitored link on the sending agent, or on the receiver when the sender is an external agent; one finding per agent lists all its unmonitored peers. Per-agent logs see each side alone; manipulation that only shows in the pattern of messages between agents goes unnoticed.',
    falsePositives:
      'A message broker with its own audit and alerting may already play this role; model it as an inter-agent-monitoring observability element.',
  },
  check(ctx) {
    const m = ctx.model;
    // Links in discovery order, found again through from -> to maps (small integer keys); the evidence
    // of a link is built only when it turns out unmonitored (how it was declared first: 0 delegatesTo,
    // 1 acceptsFrom, 2 channel).
    type Link = { from: number; to: number; how: 0 | 1 | 2; decl: number; channels: number[] };
    const links: Link[] = [];
    const byFrom = new Map<number, Map<number, Link>>();
    const add = (from: number, to: number, how: 0 | 1 | 2, decl: number, channel = -1) => {
      let targets = byFrom.get(from);
      if (targets === undefined) {
        targets = new Map();
        byFrom.set(from, targets);
      }
      const prev = targets.get(to);
      if (prev) {
        if (channel >= 0) prev.channels.push(channel);
        return;
      }
      const link: Link = { from, to, how, decl, channels: channel >= 0 ? [channel] : [] };
      targets.set(to, link);
      links.push(link);
    };
    const evidenceOf = (l: Link): Evidence =>
      l.how === 0
        ? listEntry(m, l.from, ['delegatesTo'], idOf(m, l.to), 'hands tasks to')
        : l.how === 1
          ? listEntry(m, l.to, ['acceptsFrom'], idOf(m, l.from), 'takes tasks from')
          : has(m, l.decl, ['to'], idOf(m, l.to), 'agent-to-agent channel');
    for (const a of elements(m, 'agent')) {
      for (const b of out(m, a.i, 'delegates')) add(a.i, b, 0, a.i);
      for (const b of out(m, a.i, 'accepts-from')) add(b, a.i, 1, a.i);
      for (const c of channelsFrom(m, a.i)) if (m.kindOf(c.to) === 'agent' && c.channel >= 0) add(a.i, c.to, 2, c.channel, c.channel);
    }
    // Channels declared in either direction between the two agents also carry the link.
    const pairs = new Map<number, Map<number, number[]>>();
    for (const c of m.ofKind('channel')) {
      const s = m.graph.specs[c] ?? {};
      const f = m.indexOf(str(s, 'from') ?? '');
      const t = m.indexOf(str(s, 'to') ?? '');
      if (f < 0 || t < 0) continue;
      const lo = Math.min(f, t);
      const hi = Math.max(f, t);
      let row = pairs.get(lo);
      if (row === undefined) {
        row = new Map();
        pairs.set(lo, row);
      }
      const list = row.get(hi);
      if (list) list.push(c);
      else row.set(hi, [c]);
    }
    const between = (x: number, y: number): number[] => pairs.get(Math.min(x, y))?.get(Math.max(x, y)) ?? [];
    const monitoredMemo = new Map<number, boolean>();
    const monitored = (x: number): boolean => {
      let v = monitoredMemo.get(x);
      if (v === undefined) {
        v = observersOf(m, x).some((o) => matchesObs(m, o, MONITOR));
        monitoredMemo.set(x, v);
      }
      return v;
    };
    const byAt = new Map<number, { peers: number[]; peerSet: Set<number>; also: number[]; evidence: Evidence[] }>();
    for (const l of links) {
      if (isExternalAgent(m, l.from) && isExternalAgent(m, l.to)) continue;
      const watched = monitored(l.from) || monitored(l.to) || l.channels.some(monitored) || between(l.from, l.to).some(monitored);
      if (watched) continue;
      const at = isExternalAgent(m, l.from) ? l.to : l.from;
      const other = at === l.from ? l.to : l.from;
      const acc = byAt.get(at) ?? { peers: [], peerSet: new Set<number>(), also: [], evidence: [] };
      if (!acc.peerSet.has(other)) {
        acc.peerSet.add(other);
        acc.peers.push(other);
      }
      acc.also.push(other, ...l.channels);
      acc.evidence.push(evidenceOf(l));
      byAt.set(at, acc);
    }
    for (const [at, acc] of byAt) {
      ctx.report({
        at,
        also: acc.also,
        evidence: [...acc.evidence, notObserved(m, at, 'inter-agent monitoring')],
        data: { agent: idOf(m, at), peers: nameList(acc.peers.map((p) => idOf(m, p))) },
      });
    }
  },
});
