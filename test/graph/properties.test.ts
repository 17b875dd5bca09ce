/**
 * Properties of the cross-layer analysis over generated systems (bench/gen.js, small sizes, random
 * seeds and topologies): monotonicity in channels and controls, bounds and order of chains, determinism.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateSystem, TOPOLOGIES } from '../../bench/gen.js';
import { analyseCrossLayer, STEP_KINDS, type CrossLayerResult } from '../../src/graph/index.js';
import type { ModelFile } from '../../src/model/schema.js';
import type { ResolvedModel } from '../../src/model/resolve.js';
import { catalogue, resolve } from './helpers.js';

const system = fc.record({
  agents: fc.integer({ min: 1, max: 16 }),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  topology: fc.constantFrom(...TOPOLOGIES),
});
const COMPONENT_SECTIONS = ['agents', 'models', 'tools', 'mcpServers', 'memories', 'humans', 'externalSystems', 'dependencies'] as const;
const patterns = [...catalogue.patterns.keys()].sort();

function componentIds(model: ModelFile): string[] {
  const ids: string[] = [];
  for (const s of COMPONENT_SECTIONS) for (const el of model[s] ?? []) ids.push(el.id);
  return ids;
}

function allIds(model: ModelFile): string[] {
  const ids: string[] = [];
  for (const [k, v] of Object.entries(model)) if (k !== 'system' && Array.isArray(v)) for (const el of v as { id: string }[]) ids.push(el.id);
  return ids;
}

/** Edge probabilities keyed by (from id, to id, access), so models with shifted indexes compare. */
function edgeMap(r: CrossLayerResult, m: ResolvedModel): Map<string, number> {
  const g = r.graph;
  const key = (v: number) => `${m.graph.ids[g.nodeElement[v]!]}${g.nodeAccess[v] === 1 ? '#read' : ''}`;
  const out = new Map<string, number>();
  for (let e = 0; e < g.edgeCount; e++) out.set(`${key(g.sources[e]!)}>${key(g.targets[e]!)}`, g.probability[e]!);
  return out;
}

describe('cross-layer properties', () => {
  it('adding a channel never shrinks any blast radius', () => {
    fc.assert(
      fc.property(system, fc.nat(), fc.nat(), fc.boolean(), (opts, a, b, both) => {
        const model = generateSystem(opts);
        const ids = componentIds(model);
        const from = ids[a % ids.length]!;
        const to = ids[b % ids.length]!;
        fc.pre(from !== to);
        const before = resolve(model);
        const after = resolve({ ...model, channels: [...(model.channels ?? []), { id: 'zz-added-channel', from, to, direction: both ? 'bidirectional' : 'one-way' }] });
        const rb = analyseCrossLayer(before, catalogue);
        const ra = analyseCrossLayer(after, catalogue);
        for (const id of allIds(model)) {
          const i = before.indexOf(id);
          const j = after.indexOf(id);
          expect(ra.blastReach[j], id).toBeGreaterThanOrEqual(rb.blastReach[i]!);
          expect(ra.blastJewels[j], id).toBeGreaterThanOrEqual(rb.blastJewels[i]!);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('chains are sorted by likelihood, within K and depth, and each is a real simple path from an entry source to a crown jewel', () => {
    fc.assert(
      fc.property(system, fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 3000 }), (opts, k, maxDepth, budget) => {
        const m = resolve(generateSystem(opts));
        const r = analyseCrossLayer(m, catalogue, { k, maxDepth, budget });
        const g = r.graph;
        expect(r.chains.length).toBeLessThanOrEqual(k);
        expect(r.chainStats.explored).toBeLessThanOrEqual(budget);
        expect(r.chainStats.truncated).toBe(r.chainStats.cutBy.length > 0);
        for (let i = 1; i < r.chains.length; i++) expect(r.chains[i]!.probability).toBeLessThanOrEqual(r.chains[i - 1]!.probability);
        for (const c of r.chains) {
          expect(c.edges.length).toBeGreaterThanOrEqual(1);
          expect(c.edges.length).toBeLessThanOrEqual(maxDepth);
          expect(g.isEntry[c.nodes[0]!]).toBe(1);
          expect(g.isJewel[c.nodes[c.nodes.length - 1]!]).toBe(1);
          const elements = [...c.nodes].map((v) => g.nodeElement[v]!);
          expect(new Set(elements).size).toBe(elements.length);
          let p = 1;
          c.edges.forEach((e, s) => {
            expect(g.sources[e]).toBe(c.nodes[s]);
            expect(g.targets[e]).toBe(c.nodes[s + 1]);
            p *= g.probability[e]!;
          });
          expect(c.probability).toBeCloseTo(p, 12);
          for (const v of c.nodes.slice(1)) expect(g.isEntry[v]).toBe(0);
        }
        // The view mirrors the typed chains.
        expect(r.view.chains.map((c) => c.steps.length)).toEqual(r.chains.map((c) => c.edges.length));
        for (const c of r.view.chains) for (const s of c.steps) expect(STEP_KINDS.some((x) => x.id === s.stepKind && x.threat === s.threat && x.atlas.id === s.atlas.id)).toBe(true);
      }),
      { numRuns: 80 },
    );
  });

  it('the same input gives identical JSON', () => {
    fc.assert(
      fc.property(system, (opts) => {
        const one = JSON.stringify(analyseCrossLayer(resolve(generateSystem(opts)), catalogue).view);
        const two = JSON.stringify(analyseCrossLayer(resolve(generateSystem(opts)), catalogue).view);
        expect(two).toBe(one);
        // Plain data all the way down: a JSON round trip changes nothing.
        expect(JSON.stringify(JSON.parse(one))).toBe(one);
      }),
      { numRuns: 30 },
    );
  });

  it('adding a declared control never raises any step or chain likelihood', () => {
    fc.assert(
      fc.property(
        system,
        fc.constantFrom(...patterns),
        fc.constantFrom('implemented', 'partial', 'planned', undefined),
        fc.option(fc.nat(), { nil: undefined }),
        (opts, pattern, status, target) => {
          const model = generateSystem(opts);
          const ids = allIds(model);
          const control: NonNullable<ModelFile['controls']>[number] = { id: 'zz-added-control', pattern };
          if (status) control.status = status;
          // No target: a system-wide control.
          if (target !== undefined) control.appliesTo = [ids[target % ids.length]!];
          const before = resolve(model);
          const after = resolve({ ...model, controls: [...(model.controls ?? []), control] });
          const rb = analyseCrossLayer(before, catalogue);
          const ra = analyseCrossLayer(after, catalogue);
          const eb = edgeMap(rb, before);
          const ea = edgeMap(ra, after);
          expect([...ea.keys()].sort()).toEqual([...eb.keys()].sort());
          for (const [k, p] of ea) expect(p, k).toBeLessThanOrEqual(eb.get(k)! + 1e-15);
          // Same candidate paths, each no more likely: the i-th best chain is no more likely either.
          if (!rb.chainStats.cutBy.includes('budget') && !ra.chainStats.cutBy.includes('budget')) {
            expect(ra.chains.length).toBe(rb.chains.length);
            ra.chains.forEach((c, i) => expect(c.probability).toBeLessThanOrEqual(rb.chains[i]!.probability + 1e-15));
          }
          // Blast radius ignores likelihood: unchanged.
          for (const id of allIds(model)) expect(ra.blastReach[after.indexOf(id)]).toBe(rb.blastReach[before.indexOf(id)]);
        },
      ),
      { numRuns: 60 },
    );
  });
});
