/**
 * Each factor of the risk model computed on small inline models (docs/risk-model.md gives the
 * tables these numbers come from).
 */
import { describe, expect, it } from 'vitest';
import { HEADER, analyse, factor, load, risk } from './_support.js';

const agentWith = (fields: string, extra = '') => load(`${HEADER}agents:\n  - {id: a${fields ? `, ${fields}` : ''}}\n${extra}`);

describe('autonomy', () => {
  it.each([
    ['none', 0],
    ['assistive', 2],
    ['supervised', 4],
    ['conditional', 7],
    ['full', 10],
  ])('autonomy %s gives %d', (level, value) => {
    expect(factor(risk(agentWith(`autonomy: ${level}`), 'a'), 'autonomy')).toBe(value);
  });

  it('an undeclared autonomy counts as 5, and self-modification adds 2', () => {
    expect(factor(risk(agentWith(''), 'a'), 'autonomy')).toBe(5);
    const r = risk(agentWith('autonomy: conditional, canModifySelf: true'), 'a');
    expect(factor(r, 'autonomy')).toBe(9);
    expect(r.factors.find((f) => f.name === 'autonomy')!.basis).toContain('can modify itself');
  });

  it('more autonomy never lowers the amplification', () => {
    const levels = ['none', 'assistive', 'supervised', 'conditional', 'full'];
    const amps = levels.map((l) => risk(agentWith(`autonomy: ${l}`), 'a').amplification);
    for (let k = 1; k < amps.length; k++) expect(amps[k]!).toBeGreaterThanOrEqual(amps[k - 1]!);
    expect(amps[4]!).toBeGreaterThan(amps[0]!);
  });
});

describe('toolAccess', () => {
  const tools = 'tools:\n  - {id: search, type: search, sideEffects: [read]}\n  - {id: pay, type: payment, sideEffects: [payment, read]}\n';
  it('is 0 without tools, low for a read-only tool, high for payments', () => {
    expect(factor(risk(agentWith('', tools), 'a'), 'toolAccess')).toBe(0);
    const read = factor(risk(agentWith('tools: [search]', tools), 'a'), 'toolAccess');
    const pay = factor(risk(agentWith('tools: [pay]', tools), 'a'), 'toolAccess');
    expect(read).toBeGreaterThan(1);
    expect(read).toBeLessThan(2);
    expect(pay).toBeGreaterThan(8);
    expect(pay).toBeLessThanOrEqual(10);
  });

  it('a wildcard scope makes the breadth maximal', () => {
    const narrow = factor(risk(agentWith('tools: [{ref: search, scopes: ["docs:read"]}]', tools), 'a'), 'toolAccess');
    const wide = risk(agentWith('tools: [{ref: search, scopes: ["*"]}]', tools), 'a');
    expect(factor(wide, 'toolAccess')).toBe(3.7); // 0.7 * 1 (read) + 0.3 * 10 (unbounded)
    expect(factor(wide, 'toolAccess')).toBeGreaterThan(narrow);
    expect(wide.factors.find((f) => f.name === 'toolAccess')!.basis).toContain('unbounded scope');
  });

  it('a grant narrower than the tool only carries its own side effects', () => {
    const narrowed = factor(risk(agentWith('tools: [{ref: pay, sideEffects: [read]}]', tools), 'a'), 'toolAccess');
    expect(narrowed).toBeLessThan(2);
  });
});

describe('memoryPersistence', () => {
  it('session memory private to the agent is low', () => {
    const m = agentWith('memory: {reads: [scratch]}', 'memories:\n  - {id: scratch, type: short-term, persistence: session, isolation: per-agent}\n');
    expect(factor(risk(m, 'a'), 'memoryPersistence')).toBe(2);
  });

  it('persistent shared memory the agent writes is maximal', () => {
    const m = agentWith('memory: {writes: [kb]}', 'memories:\n  - {id: kb, type: long-term, persistence: persistent, isolation: shared}\n');
    expect(factor(risk(m, 'a'), 'memoryPersistence')).toBe(10);
  });

  it('undeclared persistence follows the memory type; undeclared isolation with two agents counts as shared', () => {
    const m = load(`${HEADER}agents:\n  - {id: a, memory: {reads: [vs]}}\n  - {id: b, memory: {writes: [vs]}}\nmemories:\n  - {id: vs, type: vector-store}\n`);
    const r = risk(m, 'a');
    expect(factor(r, 'memoryPersistence')).toBe(9); // 6 (persistent type) + 3 (shared by use)
    expect(r.factors.find((f) => f.name === 'memoryPersistence')!.basis).toContain('used by 2 agents');
  });

  it('is 0 for an agent with no memory', () => {
    expect(factor(risk(agentWith(''), 'a'), 'memoryPersistence')).toBe(0);
  });
});

describe('nonDeterminism', () => {
  it('a pinned, evaluated model is low; an unpinned, unevaluated one is maximal', () => {
    const pinned = agentWith('models: [llm]', 'models:\n  - {id: llm, pinned: true}\nobservability:\n  - {id: evals, type: evaluation, covers: [llm]}\n');
    expect(factor(risk(pinned, 'a'), 'nonDeterminism')).toBe(2);
    const loose = agentWith('models: [llm]', 'models:\n  - {id: llm, pinned: false}\n');
    expect(factor(risk(loose, 'a'), 'nonDeterminism')).toBe(10);
  });

  it('no model declared counts as unknown (5) plus no evaluation (2)', () => {
    expect(factor(risk(agentWith(''), 'a'), 'nonDeterminism')).toBe(7);
  });

  it('an evaluated lifecycle on the agent counts as evaluation', () => {
    const m = agentWith('models: [llm]', 'models:\n  - {id: llm}\nlifecycle:\n  - {id: release, process: update, evaluated: true, targets: [a]}\n');
    const r = risk(m, 'a');
    expect(factor(r, 'nonDeterminism')).toBe(5);
    expect(r.factors.find((f) => f.name === 'nonDeterminism')!.basis).toContain('lifecycle release');
  });
});

describe('identityDynamics', () => {
  it('a per-agent workload identity is low; a shared one is high', () => {
    expect(factor(risk(agentWith('identity: {type: workload-identity, perAgent: true}'), 'a'), 'identityDynamics')).toBe(2);
    expect(factor(risk(agentWith('identity: {type: shared}'), 'a'), 'identityDynamics')).toBe(8);
    expect(factor(risk(agentWith('identity: {type: api-key, perAgent: false}'), 'a'), 'identityDynamics')).toBe(8);
  });

  it('spawning and delegation raise it', () => {
    const m = load(`${HEADER}agents:\n  - {id: a, identity: {type: workload-identity}, canSpawnAgents: true, delegatesTo: [b]}\n  - {id: b, identity: {type: workload-identity}}\n`);
    expect(factor(risk(m, 'a'), 'identityDynamics')).toBe(5.5); // 2 + 2 (spawns) + 1.5 (delegates)
    expect(factor(risk(m, 'b'), 'identityDynamics')).toBe(3); // 2 + 1 (acts on delegated tasks)
  });

  it('an admin credential adds 1', () => {
    const m = agentWith('identity: {type: service-account, credentials: [{type: api-key, scope: admin}]}');
    expect(factor(risk(m, 'a'), 'identityDynamics')).toBe(4);
  });
});

describe('humanOversight', () => {
  const extra = 'tools:\n  - {id: pay, type: payment, sideEffects: [payment]}\nhumans:\n  - {id: boss, role: approver}\n';
  const withApproval = (mode: string) => agentWith(`autonomy: full, tools: [pay], approvals: [{action: payment, approver: boss, mode: ${mode}}]`, extra);

  it('approval before each irreversible action is full oversight; sampling is little; none is 0', () => {
    expect(factor(risk(withApproval('before'), 'a'), 'humanOversight')).toBe(10);
    expect(factor(risk(withApproval('after'), 'a'), 'humanOversight')).toBe(4);
    expect(factor(risk(withApproval('sampled'), 'a'), 'humanOversight')).toBe(2.5);
    expect(factor(risk(agentWith('autonomy: full, tools: [pay]', extra), 'a'), 'humanOversight')).toBe(0);
  });

  it('an auto-approved grant gets no credit even with an approval entry', () => {
    const m = agentWith('autonomy: full, tools: [{ref: pay, autoApprove: true}], approvals: [{action: payment, approver: boss}]', extra);
    expect(factor(risk(m, 'a'), 'humanOversight')).toBe(0);
  });

  it('a supervised agent is fully overseen', () => {
    expect(factor(risk(agentWith('autonomy: supervised, tools: [pay]', extra), 'a'), 'humanOversight')).toBe(10);
  });

  it('more oversight lowers the amplification and the score, and the report says so', () => {
    const gated = risk(withApproval('before'), 'a');
    const open = risk(agentWith('autonomy: full, tools: [pay]', extra), 'a');
    expect(gated.amplification).toBeLessThan(open.amplification);
    expect(gated.inherent).toBeLessThan(open.inherent);
    expect(gated.why.some((w) => w.startsWith('human oversight 10.0 lowers the amplification'))).toBe(true);
  });
});

describe('multiAgentReach', () => {
  const three = `${HEADER}agents:\n  - {id: a, delegatesTo: [b, c]}\n  - {id: b}\n  - {id: c}\n`;

  it('without graph inputs it uses the one-hop reach on a log scale against the model size', () => {
    const m = load(three);
    // reach 2 of 3 elements: 10 * ln(3) / ln(4) = 7.9
    expect(factor(risk(m, 'a'), 'multiAgentReach')).toBe(7.9);
    expect(factor(risk(m, 'b'), 'multiAgentReach')).toBe(0);
  });

  it('a larger blast radius raises it, up to 10 when everything falls', () => {
    const m = load(three);
    const some = factor(risk(m, 'b', { blastReach: Int32Array.from([0, 1, 0]) }), 'multiAgentReach');
    const all = risk(m, 'b', { blastReach: Int32Array.from([0, 3, 0]) });
    expect(some).toBe(5); // ln 2 / ln 4
    expect(factor(all, 'multiAgentReach')).toBe(10);
    expect(all.why).toContain('if b is compromised, 3 elements fall: multi-agent reach 10.0');
  });

  it('the best attack chain through the element raises it: 10 * (1 - (1 - blast share) * (1 - chainExposure))', () => {
    const m = load(three);
    const r = risk(m, 'b', { chainExposure: Float64Array.from([1, 0.5, 0]) });
    expect(factor(r, 'multiAgentReach')).toBe(5);
    // With a blast share as well: b = ln 2 / ln 4 = 0.5, so 10 * (1 - 0.5 * 0.5).
    expect(factor(risk(m, 'b', { blastReach: Int32Array.from([0, 1, 0]), chainExposure: Float64Array.from([1, 0.5, 0]) }), 'multiAgentReach')).toBe(7.5);
    expect(r.factors.find((f) => f.name === 'multiAgentReach')!.basis).toContain('best attack chain through it has likelihood 0.500');
  });

  it('the top-K chain count alone does not change it (it is only reported)', () => {
    const m = load(three);
    const without = risk(m, 'b');
    const counted = risk(m, 'b', { chainCount: Int32Array.from([4, 2, 0]), chainTotal: 4 });
    expect(factor(counted, 'multiAgentReach')).toBe(factor(without, 'multiAgentReach'));
    expect(counted.inherent).toBe(without.inherent);
    const both = risk(m, 'b', { chainCount: Int32Array.from([4, 2, 0]), chainTotal: 4, chainExposure: Float64Array.from([1, 0.5, 0]) });
    expect(both.factors.find((f) => f.name === 'multiAgentReach')!.basis).toContain('(2 of 4 top chains cross it)');
  });

  it('treats missing, short, negative and non-finite arrays as zeros, and caps chainExposure at 1', () => {
    const m = load(three);
    expect(factor(risk(m, 'c', { blastReach: Int32Array.from([5]), chainCount: Int32Array.from([-3, -3, -3]) }), 'multiAgentReach')).toBe(0);
    expect(factor(risk(m, 'c', { chainExposure: Float64Array.from([0.9]) }), 'multiAgentReach')).toBe(0);
    expect(factor(risk(m, 'c', { chainExposure: Float64Array.from([0, 0, -0.5]) }), 'multiAgentReach')).toBe(0);
    expect(factor(risk(m, 'c', { chainExposure: Float64Array.from([0, 0, Number.NaN]) }), 'multiAgentReach')).toBe(0);
    expect(factor(risk(m, 'c', { chainExposure: Float64Array.from([0, 0, Number.POSITIVE_INFINITY]) }), 'multiAgentReach')).toBe(0);
    expect(factor(risk(m, 'c', { chainExposure: Float64Array.from([0, 0, 7]) }), 'multiAgentReach')).toBe(10);
  });
});

describe('likelihood', () => {
  const base = `${HEADER}agents:\n  - {id: a, delegatesTo: [b]}\n  - {id: b}\n  - {id: c}\n`;

  it('severity alone gives 70% of its score; untrusted input raises it to the full score', () => {
    expect(risk(load(base), 'c').likelihood).toBe(3.5);
    const exposed = load(`${base}entryPoints:\n  - {id: web, target: a, trust: untrusted}\n`);
    const r = risk(exposed, 'a');
    expect(r.components.exposure).toBe(10);
    expect(r.likelihood).toBe(5);
    expect(r.why).toContain('untrusted input enters through entry point web: likelihood raised (exposure 10.0)');
  });

  it('an agent one hop from an exposed agent is exposed at 6', () => {
    const exposed = load(`${base}entryPoints:\n  - {id: web, target: a, trust: untrusted}\n`);
    const r = risk(exposed, 'b');
    expect(r.components.exposure).toBe(6);
    expect(r.likelihood).toBe(4.4);
    expect(r.factors[0]!.basis).toContain('agent a, which takes untrusted input, delegates to it');
  });

  it('a deployment facing the internet exposes what runs on it at 4', () => {
    const m = load(`${HEADER}agents:\n  - {id: a, deployment: vm}\ndeployments:\n  - {id: vm, networkExposure: internet}\n`);
    expect(risk(m, 'a').components.exposure).toBe(4);
  });

  it('the best attack chain through the element raises it (C = 10 x chainExposure), and the report says so', () => {
    const m = load(base);
    const r = risk(m, 'b', { chainExposure: Float64Array.from([1, 0.75, 0]) });
    expect(r.components.chains).toBe(7.5);
    expect(r.likelihood).toBe(5.9); // 3.5 + 6.5 * 0.5 * 0.75
    expect(r.why).toContain('the most likely attack chain through b has likelihood 0.750: likelihood raised');
    expect(r.factors[0]!.basis).toContain('chains 7.5: best attack chain through it has likelihood 0.750');
  });

  it('the top-K chain count is reported next to the exposure but does not change the score', () => {
    const m = load(base);
    const plain = risk(m, 'b');
    const counted = risk(m, 'b', { chainCount: Int32Array.from([4, 3, 0]), chainTotal: 4 });
    expect(counted.components.chains).toBe(0);
    expect([counted.likelihood, counted.inherent, counted.residual]).toEqual([plain.likelihood, plain.inherent, plain.residual]);
    // The chain total defaults to the largest count.
    expect(risk(m, 'b', { chainCount: Int32Array.from([4, 3, 0]) }).components.chains).toBe(0);
    const r = risk(m, 'b', { chainCount: Int32Array.from([4, 3, 0]), chainTotal: 4, chainExposure: Float64Array.from([1, 0.75, 0]) });
    expect(r.components.chains).toBe(7.5);
    expect(r.likelihood).toBe(5.9);
    expect(r.why).toContain('the most likely attack chain through b has likelihood 0.750 (3 of the 4 top attack chains cross it): likelihood raised');
    expect(risk(m, 'b', { chainCount: Int32Array.from([4, 3, 0]), chainExposure: Float64Array.from([1, 0.75, 0]) }).why).toContain(
      'the most likely attack chain through b has likelihood 0.750 (3 of the 4 top attack chains cross it): likelihood raised',
    );
  });

  it('ranks a finding on an element with a likelier attack chain above the same finding elsewhere', () => {
    const m = load(base);
    const inputs = { chainExposure: Float64Array.from([0, 0.9, 0.1]) };
    expect(risk(m, 'b', inputs).inherent).toBeGreaterThan(risk(m, 'c', inputs).inherent);
    // Many top-K chains but an unlikely best chain does not outrank a likely one.
    const counted = { chainCount: Int32Array.from([0, 1, 9]), chainTotal: 10, chainExposure: Float64Array.from([0, 0.9, 0.1]) };
    expect(risk(m, 'b', counted).inherent).toBeGreaterThan(risk(m, 'c', counted).inherent);
  });
});

describe('impact', () => {
  it('with nothing declared, 0.6 of the severity stands in for the technical impact', () => {
    const r = risk(load(`${HEADER}agents:\n  - {id: a}\n`), 'a');
    expect(r.impact).toBe(3.5); // 0.75 * 3 + 0.25 * 5
  });

  it('restricted data, payments and crown jewels in reach raise it', () => {
    const data = load(`${HEADER}agents:\n  - {id: a, memory: {reads: [db]}}\nmemories:\n  - {id: db, type: database, sensitivity: restricted}\n`);
    expect(risk(data, 'a').components.sensitivity).toBe(9);
    expect(risk(data, 'a').impact).toBe(8);
    const pay = load(`${HEADER}agents:\n  - {id: a, tools: [pay]}\ntools:\n  - {id: pay, sideEffects: [payment]}\n`);
    expect(risk(pay, 'a').components.sideEffects).toBe(10);
    expect(risk(pay, 'a').impact).toBe(8.8);
    const jewel = load(`${HEADER}agents:\n  - {id: a, memory: {reads: [db]}}\nmemories:\n  - {id: db, type: database}\nassets:\n  - {id: secrets, type: data, crownJewel: true, locatedIn: [db]}\n`);
    const r = risk(jewel, 'a');
    expect(r.components.crownJewels).toBe(10);
    expect(r.why.some((w) => w.includes('crown jewel secrets'))).toBe(true);
  });

  it('system criticality is the business part', () => {
    const low = risk(load('version: "1.0"\nsystem: {name: t, criticality: low}\nagents:\n  - {id: a}\n'), 'a');
    const critical = risk(load('version: "1.0"\nsystem: {name: t, criticality: critical}\nagents:\n  - {id: a}\n'), 'a');
    expect(low.impact).toBe(2.8); // 2.25 + 0.5
    expect(critical.impact).toBe(4.8); // 2.25 + 2.5
  });

  it('system.dataSensitivity counts at half when nothing in reach declares a sensitivity', () => {
    const r = risk(load('version: "1.0"\nsystem: {name: t, dataSensitivity: restricted}\nagents:\n  - {id: a}\n'), 'a');
    expect(r.components.sensitivity).toBe(4.5);
  });

  it('a finding on a model inherits what the agents using it reach', () => {
    const m = load(`${HEADER}agents:\n  - {id: a, models: [llm], tools: [pay]}\nmodels:\n  - {id: llm}\ntools:\n  - {id: pay, sideEffects: [payment]}\n`);
    const r = risk(m, 'llm');
    expect(r.components.sideEffects).toBe(10);
    expect(r.factors[1]!.basis).toContain('through agent a: through tool pay: can cause payment');
  });
});

describe('elements other agents act through', () => {
  it('a shared model takes the worst case of its agents: highest autonomy, lowest oversight', () => {
    const m = load(
      `${HEADER}agents:\n  - {id: careful, autonomy: supervised, models: [llm]}\n  - {id: wild, autonomy: full, models: [llm], tools: [pay]}\nmodels:\n  - {id: llm}\ntools:\n  - {id: pay, sideEffects: [payment]}\n`,
    );
    const r = risk(m, 'llm');
    expect(factor(r, 'autonomy')).toBe(10);
    expect(factor(r, 'humanOversight')).toBe(0);
    expect(r.factors.find((f) => f.name === 'autonomy')!.basis).toContain('highest of 2 agents acting through it, agent wild');
  });

  it('an element no agent acts through has no agentic factors but a finite score', () => {
    const m = load(`${HEADER}humans:\n  - {id: bob}\n`);
    const r = risk(m, 'bob');
    for (const name of ['autonomy', 'toolAccess', 'memoryPersistence', 'nonDeterminism', 'identityDynamics', 'humanOversight']) expect(factor(r, name)).toBe(0);
    expect(r.amplification).toBe(1);
    expect(Number.isFinite(r.inherent)).toBe(true);
  });
});

describe('with the shipped rules', () => {
  it('every finding of a small model gets an explained score', () => {
    const m = load(
      `${HEADER}agents:\n  - {id: a, autonomy: full, tools: [pay], models: [llm]}\nmodels:\n  - {id: llm, pinned: false}\ntools:\n  - {id: pay, sideEffects: [payment]}\nentryPoints:\n  - {id: web, target: a, trust: untrusted}\n`,
    );
    const scored = analyse(m);
    expect(scored.length).toBeGreaterThan(0);
    for (const s of scored) {
      expect(s.risk.factors.map((f) => f.name)).toEqual(['likelihood', 'impact', 'autonomy', 'toolAccess', 'memoryPersistence', 'multiAgentReach', 'nonDeterminism', 'identityDynamics', 'humanOversight']);
      expect(s.risk.why.length).toBeGreaterThanOrEqual(3);
      expect(s.risk.why.at(-1)).toMatch(/^inherent \d+\.\d \((low|medium|high|critical)\), residual \d+\.\d \((low|medium|high|critical)\)$/);
    }
  });
});
