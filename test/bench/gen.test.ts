/**
 * The benchmark generator (bench/gen.js) must be deterministic and must produce models the loader
 * accepts without a single diagnostic: a bench that times error paths measures the wrong thing.
 */
import { describe, expect, it } from 'vitest';
import { generateSystem, toJson, toYaml, TOPOLOGIES, countElements, mulberry32 } from '../../bench/gen.js';
import { loadModelText } from '../../src/model/load.js';

describe('bench generator', () => {
  it('mulberry32 is a pure function of its seed', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(mulberry32(43)()).not.toBe(xs[0]);
  });

  it.each(TOPOLOGIES)('is deterministic for a seed (%s)', (topology) => {
    const one = toJson(generateSystem({ agents: 50, seed: 7, topology }));
    const two = toJson(generateSystem({ agents: 50, seed: 7, topology }));
    expect(two).toBe(one);
    expect(toJson(generateSystem({ agents: 50, seed: 8, topology }))).not.toBe(one);
  });

  it('never calls Math.random', () => {
    const original = Math.random;
    Math.random = () => {
      throw new Error('Math.random called');
    };
    try {
      expect(() => generateSystem({ agents: 30, seed: 1, topology: 'scale-free' })).not.toThrow();
    } finally {
      Math.random = original;
    }
  });

  it('follows the documented counts', () => {
    const m = generateSystem({ agents: 1000, seed: 1, topology: 'tree' });
    expect(m.agents).toHaveLength(1000);
    expect(m.models).toHaveLength(8); // ceil(1000/50) capped at 8
    expect(m.mcpServers).toHaveLength(500);
    expect(m.boundaries?.length).toBe(Math.round(Math.sqrt(1000)));
    expect(countElements(m)).toBeGreaterThan(3000);
  });

  it('hub: every agent uses the same model and the same MCP server', () => {
    const m = generateSystem({ agents: 40, seed: 3, topology: 'hub' });
    const model0 = m.models?.[0]?.id;
    const server0 = m.mcpServers?.[0]?.id;
    for (const a of m.agents ?? []) {
      expect(a.models).toEqual([model0]);
      expect(a.tools?.some((t) => (typeof t === 'string' ? t : t.ref) === server0)).toBe(true);
    }
  });

  it('tree: orchestrators fan out to 4-8 workers', () => {
    const m = generateSystem({ agents: 200, seed: 5, topology: 'tree' });
    const fanOuts = (m.agents ?? []).map((a) => a.delegatesTo?.length ?? 0).filter((n) => n > 0);
    // Every orchestrator but the last one (which gets the remainder) has 4 to 8 workers.
    expect(fanOuts.slice(0, -1).every((n) => n >= 4 && n <= 8)).toBe(true);
  });

  it('nests trust boundaries at most 4 deep', () => {
    const m = generateSystem({ agents: 3000, seed: 2, topology: 'dag' });
    const parent = new Map((m.boundaries ?? []).map((b) => [b.id, b.parent]));
    for (const id of parent.keys()) {
      let depth = 1;
      for (let p = parent.get(id); p !== undefined; p = parent.get(p)) depth++;
      expect(depth).toBeLessThanOrEqual(4);
    }
  });

  describe.each(TOPOLOGIES)('%s', (topology) => {
    it.each([10, 200])('%i agents load with zero diagnostics from JSON and YAML', (agents) => {
      const model = generateSystem({ agents, seed: 1, topology });
      const json = loadModelText(toJson(model), { format: 'json' });
      expect(json.diagnostics).toEqual([]);
      expect(json.model).toBeDefined();
      const yaml = loadModelText(toYaml(model), { format: 'yaml' });
      expect(yaml.diagnostics).toEqual([]);
      expect(yaml.model).toEqual(json.model);
    });
  });
});
