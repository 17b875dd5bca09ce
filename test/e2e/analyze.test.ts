/** `maestro-tm analyze` end to end on the bundled examples. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = new URL('../../bin/maestro-tm.js', import.meta.url).pathname;
const examplesDir = new URL('../../examples/', import.meta.url).pathname;
const examples = readdirSync(examplesDir).filter((f) => f.endsWith('.yaml')).sort();

function run(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface JsonReport {
  layers: { layer: string; elements: number; open: number; mitigated: number }[];
  findings: { id: string; rule: string; element: string; layer: string; evidence: { pointer: string; element: string }[]; threats: string[] }[];
}

describe.each(examples)('analyze examples/%s', (example) => {
  const dir = mkdtempSync(join(tmpdir(), 'mtm-analyze-'));
  const file = join(examplesDir, example);

  it('writes Markdown and JSON reports with identical bytes on two runs', () => {
    for (const fmt of ['md', 'json']) {
      const a = join(dir, `a.${fmt}`);
      const b = join(dir, `b.${fmt}`);
      expect(run(['analyze', file, '-o', a]).code).toBe(0);
      expect(run(['analyze', file, '--format', fmt, '-o', b]).code).toBe(0);
      expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
    }
  });

  it('finds threats on every layer the example models, with checkable evidence', () => {
    const out = join(dir, 'r.json');
    expect(run(['analyze', file, '-o', out, '-q']).code).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as JsonReport;
    const model = readFileSync(file, 'utf8');
    for (const l of report.layers) {
      if (l.elements === 0) continue;
      expect(l.open + l.mitigated, `${example}: no finding on ${l.layer}`).toBeGreaterThan(0);
    }
    for (const f of report.findings) {
      expect(f.id).toBe(`${f.rule}@${f.element}`);
      expect(f.evidence.length).toBeGreaterThan(0);
      for (const e of f.evidence) {
        expect(e.pointer, `${f.id}: evidence pointer`).toMatch(/^\/([a-zA-Z]+\/\d+|system)/);
        expect(model, `${f.id}: evidence names an element of the model`).toContain(e.element);
      }
    }
  });

  it('reports cross-layer chains step by step, blast radius per agent, choke points, explained risk and a validation plan', () => {
    const md = join(dir, 'x.md');
    const js = join(dir, 'x.json');
    expect(run(['analyze', file, '-o', md, '-q']).code).toBe(0);
    expect(run(['analyze', file, '-o', js, '-q']).code).toBe(0);
    const text = readFileSync(md, 'utf8');
    for (const h of ['## Cross-layer attack chains', '### Chain 1:', '## Blast radius', '**Per agent**', '## Choke points and first defences to add', '## Validation plan', '## Highest risks']) {
      expect(text, `${example}: missing ${h}`).toContain(h);
    }
    const report = JSON.parse(readFileSync(js, 'utf8')) as {
      crossLayer: { chains: { steps: { threat: string; atlas: { id: string }; layer: string }[] }[]; blast: { kind: string }[] };
      findings: { risk: { factors: { name: string }[]; inherent: number; residual: number; why: string[] } }[];
      validationPlan: { scenario: string; telemetry: unknown[] }[];
    };
    expect(report.crossLayer.chains.length).toBeGreaterThan(0);
    for (const c of report.crossLayer.chains) for (const st of c.steps) expect([st.threat, st.atlas.id, st.layer].every(Boolean)).toBe(true);
    expect(report.crossLayer.blast.some((b) => b.kind === 'agent')).toBe(true);
    for (const f of report.findings) {
      expect(f.risk.factors).toHaveLength(9);
      expect(f.risk.residual).toBeLessThanOrEqual(f.risk.inherent);
      expect(f.risk.why.length).toBeGreaterThan(0);
    }
    expect(report.validationPlan.length).toBeGreaterThan(0);
  });

  it('prints a per-layer summary on the terminal', () => {
    const r = run(['analyze', file]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/L1 Foundation Models/);
    expect(r.out).toMatch(/L7 Agent Ecosystem/);
  });
});

describe('analyze and explain edge cases', () => {
  it('--what-if shows the risk a control removes without editing the file', () => {
    const file = join(examplesDir, 'expense-reimbursement.yaml');
    const before = readFileSync(file, 'utf8');
    const r = run(['analyze', file, '--what-if', 'add:action-selector@intake_agent']);
    expect(r.code).toBe(0);
    const m = /residual risk \(sum over findings\)\s+([\d.]+)\s+([\d.]+)/.exec(r.out);
    expect(m, r.out).not.toBeNull();
    expect(Number(m![2])).toBeLessThan(Number(m![1]));
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(run(['analyze', file, '--what-if', 'add:no-such-pattern@reimbursement_agent']).code).toBe(2);
    expect(run(['analyze', file, '--what-if', 'remove:x@y']).code).toBe(2);
  });

  it('refuses an invalid model with exit 2 and writes no report', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtm-analyze-'));
    const r = run(['analyze', '/nonexistent.yaml', '-o', join(dir, 'x.md')]);
    expect(r.code).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('explain prints a threat with its rules, and an element kind with its layer', () => {
    const t = run(['explain', 'T2']);
    expect(t.code).toBe(0);
    expect(t.out).toContain('Tool Misuse');
    expect(t.out).toContain('detected by:');
    const k = run(['explain', 'memory']);
    expect(k.out).toContain('L2 Data Operations');
    expect(run(['explain', 'no-such-thing']).code).toBe(2);
  });
});
