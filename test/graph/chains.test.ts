/** Attack chains: a known chain step by step, controls, bounds and the complete-DAG worst case. */
import { describe, expect, it } from 'vitest';
import { analyseCrossLayer } from '../../src/graph/index.js';
import { buildPropagation } from '../../src/graph/propagation.js';
import { findChains } from '../../src/graph/chains.js';
import { resolveModel } from '../../src/model/resolve.js';
import type { ModelFile } from '../../src/model/schema.js';
import { catalogue, fixture, fromText } from './helpers.js';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { generateSystem, TOPOLOGIES } from '../../bench/gen.js';
import type { PropagationGraph } from '../../src/graph/propagation.js';
import { resolve } from './helpers.js';

const knownText = readFileSync(new URL('./fixtures/known-chain.yaml', import.meta.url), 'utf8');

describe('the known chain', () => {
  const result = analyseCrossLayer(fixture('known-chain.yaml'), catalogue);

  it('is the only chain, with its exact steps, threats, ATLAS techniques and layers', () => {
    const { chains, chainStats } = result.view;
    expect(chains).toHaveLength(1);
    const chain = chains[0]!;
    expect(chain.source).toEqual({ id: 'inbound_email', kind: 'entry-point', reason: 'untrusted email entry point' });
    expect(chain.target).toEqual({ id: 'pay_tool', kind: 'tool', access: 'control', reasons: ['holds crown-jewel asset treasury', 'can make payments'] });
    expect(chain.steps.map((s) => [s.from, s.to, s.stepKind, s.threat, s.atlas.id, s.atlas.name, s.layer, s.probability])).toEqual([
      ['inbound_email', 'reader_agent', 'untrusted-input', 'T6', 'AML.T0051', 'LLM Prompt Injection', 'L3', 0.8],
      ['reader_agent', 'shared_notes', 'memory-poisoning', 'T1', 'AML.T0080.000', 'Memory', 'L2', 0.7],
      ['shared_notes', 'payments_agent', 'poisoned-memory-read', 'T1', 'AML.T0080.000', 'Memory', 'L2', 0.6],
      ['payments_agent', 'pay_tool', 'tool-invocation', 'T2', 'AML.T0053', 'AI Agent Tool Invocation', 'L3', 0.8],
    ]);
    expect(chain.steps.map((s) => s.threatName)).toEqual(['Intent Breaking and Goal Manipulation', 'Memory Poisoning', 'Memory Poisoning', 'Tool Misuse']);
    expect(chain.probability).toBeCloseTo(0.8 * 0.7 * 0.6 * 0.8, 12);
    expect(chain.steps.every((s) => s.via === null && s.controls.length === 0 && s.access === 'control')).toBe(true);
    expect(chainStats).toMatchObject({ k: 10, maxDepth: 8, budget: 100000, truncated: false, cutBy: [] });
  });

  it('lists the entry sources and crown jewels with reasons', () => {
    expect(result.view.entrySources.map((e) => [e.id, e.reason])).toEqual([
      ['outside_mail', 'untrusted outside system'],
      ['inbound_email', 'untrusted email entry point'],
    ]);
    expect(result.view.crownJewels.map((j) => j.id)).toEqual(['pay_tool']);
  });

  it('counts the chain on every element it crosses', () => {
    const g = fixture('known-chain.yaml');
    const count = (id: string) => result.chainCount[g.indexOf(id)];
    expect(['inbound_email', 'reader_agent', 'shared_notes', 'payments_agent', 'pay_tool'].map(count)).toEqual([1, 1, 1, 1, 1]);
    expect(count('outside_mail')).toBe(0);
    expect(result.chainMax[g.indexOf('shared_notes')]).toBeCloseTo(0.2688, 12);
  });

  it('an implemented control lowers the steps whose threat it mitigates, on the source or the target', () => {
    const text = `${knownText}
controls:
  - id: mail_filter
    pattern: input-guardrails
    appliesTo: [reader_agent]
    status: implemented
`;
    const chain = analyseCrossLayer(fromText(text), catalogue).view.chains[0]!;
    // input-guardrails (reduction 0.7) mitigates T6 (target reader_agent) and T1 (source reader_agent).
    expect(chain.steps.map((s) => s.probability)).toEqual([0.56, 0.49, 0.6, 0.8]);
    expect(chain.steps[0]!.controls).toEqual([{ id: 'mail_filter', pattern: 'input-guardrails', factor: 0.7 }]);
    expect(chain.probability).toBeCloseTo(0.56 * 0.49 * 0.6 * 0.8, 6);
  });

  it('a partial control counts as the square root of its reduction, a planned one not at all', () => {
    const withStatus = (status: string) =>
      analyseCrossLayer(
        fromText(`${knownText}
controls:
  - id: mail_filter
    pattern: input-guardrails
    appliesTo: [reader_agent]
    status: ${status}
`),
        catalogue,
      ).view.chains[0]!.steps[0]!.probability;
    expect(withStatus('partial')).toBeCloseTo(0.8 * Math.sqrt(0.7), 6);
    expect(withStatus('planned')).toBe(0.8);
  });

  it('a control on a boundary applies to what sits in it; a system-wide control to everything', () => {
    const inZone = fromText(
      knownText.replace('  - id: payments_agent\n', '  - id: payments_agent\n    boundary: pay_zone\n') +
        `boundaries:
  - id: pay_zone
    controls: [limits]
controls:
  - id: limits
    pattern: transaction-limits
`,
    );
    const last = analyseCrossLayer(inZone, catalogue).view.chains[0]!.steps[3]!;
    expect(last.controls.map((c) => c.id)).toEqual(['limits']);
    expect(last.probability).toBeCloseTo(0.8 * 0.4, 12);
    const systemWide = fromText(`${knownText}
controls:
  - id: everywhere
    pattern: least-privilege-tool-scopes
`);
    const steps = analyseCrossLayer(systemWide, catalogue).view.chains[0]!.steps;
    // least-privilege-tool-scopes mitigates T2 only among these steps.
    expect(steps.map((s) => s.controls.length)).toEqual([0, 0, 0, 1]);
  });

  it('a tool grant with an approver acts as human approval on that step', () => {
    const text = knownText.replace('    tools: [pay_tool]', '    tools:\n      - ref: pay_tool\n        approval: controller') + `humans:
  - id: controller
    role: approver
    trust: trusted
`;
    const step = analyseCrossLayer(fromText(text), catalogue).view.chains[0]!.steps[3]!;
    expect(step.controls).toEqual([{ id: 'controller', pattern: 'human-approval', factor: 0.3 }]);
    expect(step.probability).toBeCloseTo(0.24, 12);
  });

  it('an entry point on a channel reaches the channel receiver, and its channel is not counted twice', () => {
    const text = knownText.replace('    source: outside_mail\n', '    source: outside_mail\n    via: mailbox\n') + `channels:
  - id: mailbox
    from: outside_mail
    to: reader_agent
`;
    const result = analyseCrossLayer(fromText(text), catalogue);
    // The channel is the entry point's: one chain, from the entry point, with the channel as via.
    expect(result.view.chains).toHaveLength(1);
    expect(result.view.chains[0]!.steps[0]).toMatchObject({ from: 'inbound_email', to: 'reader_agent', via: 'mailbox' });
  });
});

describe('chain bounds', () => {
  /** agents a0..a(n-1), one-way channels ai -> aj for every i < j; a0 takes untrusted input, the last agent pays. */
  function completeDag(n: number): ModelFile {
    const agents: NonNullable<ModelFile['agents']> = [];
    const channels: NonNullable<ModelFile['channels']> = [];
    for (let i = 0; i < n; i++) agents.push({ id: `a${i}` });
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) channels.push({ id: `c${i}-${j}`, from: `a${i}`, to: `a${j}`, direction: 'one-way' });
    agents[n - 1]!.tools = ['pay'];
    return { version: '1.0', system: { name: 'complete DAG' }, agents, channels, tools: [{ id: 'pay', sideEffects: ['payment'] }], entryPoints: [{ id: 'in', target: 'a0', trust: 'untrusted' }] };
  }

  it('the complete 30-agent DAG (2^28 paths) returns within its budget and says the search was cut', () => {
    const graph = buildPropagation(resolveModel(completeDag(30)), catalogue);
    const { chains, stats } = findChains(graph);
    expect(stats.truncated).toBe(true);
    expect(stats.explored).toBeLessThanOrEqual(stats.budget);
    expect(chains).toHaveLength(10);
    // The direct path is the most likely; then the one-detour paths.
    expect(chains[0]!.nodes.length).toBe(4);
    const probabilities = chains.map((c) => c.probability);
    expect([...probabilities].sort((a, b) => b - a)).toEqual(probabilities);
  });

  it('reports each bound that cut the search', () => {
    const graph = buildPropagation(resolveModel(completeDag(30)), catalogue);
    const byBudget = findChains(graph, { k: 1_000_000, budget: 50 });
    expect(byBudget.stats.cutBy).toContain('budget');
    expect(byBudget.stats.explored).toBe(50);
    const byK = findChains(graph, { k: 3 });
    expect(byK.stats.cutBy).toContain('k');
    expect(byK.chains).toHaveLength(3);
    const byDepth = findChains(graph, { k: 1_000_000, maxDepth: 3 });
    expect(byDepth.stats.cutBy).toEqual(['depth']);
    expect(byDepth.chains.every((c) => c.edges.length <= 3)).toBe(true);
    // Depth 3 allows in -> a0 -> a29 -> pay and nothing else.
    expect(byDepth.chains).toHaveLength(1);
    const none = findChains(graph, { k: 0 });
    expect(none.chains).toEqual([]);
    expect(none.stats.cutBy).toEqual(['k']);
  });

  it('a chain never passes through another entry source', () => {
    // A third-party agent sits between the entry point and the payer: the chain starts at it.
    const text = readFileSync(new URL('./fixtures/known-chain.yaml', import.meta.url), 'utf8').replace('  - id: payments_agent\n', '  - id: payments_agent\n    origin: third-party\n');
    const chains = analyseCrossLayer(fromText(text), catalogue).view.chains;
    expect(chains.map((c) => c.steps.map((s) => s.to))).toEqual([['pay_tool']]);
    expect(chains[0]!.source).toMatchObject({ id: 'payments_agent', reason: 'third-party agent' });
  });

  it('finds the expense example chains through the delegating intake agent', () => {
    const example = fromText(readFileSync(new URL('../../examples/expense-reimbursement.yaml', import.meta.url), 'utf8'));
    const view = analyseCrossLayer(example, catalogue).view;
    expect(view.chains).toHaveLength(10);
    const sources = new Set(view.entrySources.map((e) => e.id));
    const jewels = new Set(view.crownJewels.map((j) => j.id));
    for (const c of view.chains) {
      expect(sources.has(c.source.id)).toBe(true);
      expect(jewels.has(c.target.id)).toBe(true);
    }
    expect(view.chains[0]!.steps.map((s) => s.to)).toEqual(['intake_agent', 'receipt_ocr']);
  });
});

/** Every chain by exhaustive DFS: simple in elements, no entry source inside, 1..maxDepth steps. */
function allChainProbabilities(graph: PropagationGraph, maxDepth: number): number[] {
  const out: number[] = [];
  const onPath = new Uint8Array(graph.elementCount);
  const walk = (u: number, depth: number, p: number) => {
    if (depth >= 1 && graph.isJewel[u] === 1) out.push(p);
    if (depth === maxDepth || graph.nodeAccess[u] === 1) return;
    for (let e = graph.offsets[u]!; e < graph.offsets[u + 1]!; e++) {
      const w = graph.targets[e]!;
      const el = graph.nodeElement[w]!;
      if (onPath[el] === 1 || graph.isEntry[w] === 1) continue;
      onPath[el] = 1;
      walk(w, depth + 1, p * graph.probability[e]!);
      onPath[el] = 0;
    }
  };
  for (const s of graph.entrySources) {
    onPath[graph.nodeElement[s]!] = 1;
    walk(s, 0, 1);
    onPath[graph.nodeElement[s]!] = 0;
  }
  return out.sort((a, b) => b - a);
}

describe('chain search is exact', () => {
  it('returns the K most likely chains that exhaustive enumeration finds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 1e6 }), fc.constantFrom(...TOPOLOGIES), fc.integer({ min: 1, max: 25 }), fc.integer({ min: 1, max: 4 }), (agents, seed, topology, k, maxDepth) => {
        const graph = buildPropagation(resolve(generateSystem({ agents, seed, topology })), catalogue);
        const all = allChainProbabilities(graph, maxDepth);
        const { chains, stats } = findChains(graph, { k, maxDepth, budget: 1e7 });
        expect(stats.cutBy).not.toContain('budget');
        expect(chains.length).toBe(Math.min(k, all.length));
        chains.forEach((c, i) => expect(c.probability).toBeCloseTo(all[i]!, 12));
        expect(stats.cutBy.includes('k')).toBe(all.length > k);
      }),
      { numRuns: 60 },
    );
  });
});
