/**
 * Progress on a terminal: long runs show which phase they are in on a transient status line, and
 * stay quiet with -q, for small systems and when the Io has no progress channel (CI, pipes).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/output.js';
import { generateSystem, toJson } from '../../bench/gen.js';

async function run(args: string[], withProgress: boolean): Promise<{ code: number; progress: string[]; out: string[] }> {
  const progress: string[] = [];
  const out: string[] = [];
  const io: Io = { out: (t) => out.push(t), err: () => undefined, color: false, ...(withProgress ? { progress: (l: string) => progress.push(l) } : {}) };
  const code = await main(args, io);
  return { code, progress, out };
}

describe('analyze progress', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maestro-progress-'));
  const big = join(dir, 'big.json');
  writeFileSync(big, toJson(generateSystem({ agents: 100, seed: 2 })));

  it('names each phase for a big system on a terminal, then clears the line', async () => {
    const r = await run(['analyze', big, '--format', 'md', '-o', join(dir, 'r.md')], true);
    expect(r.code).toBe(0);
    const text = r.progress.join('\n');
    for (const phase of ['running rules', 'following attack chains', 'scoring risk', 'writing the md report']) expect(text).toContain(phase);
    expect(r.progress.at(-1)).toBe('');
  });

  it('is silent with -q, for small systems and without a terminal', async () => {
    expect((await run(['analyze', big, '-q', '--format', 'md', '-o', join(dir, 'q.md')], true)).progress).toEqual([]);
    expect((await run(['analyze', 'examples/mcp-client.yaml', '-q'], true)).progress).toEqual([]);
    expect((await run(['analyze', 'examples/mcp-client.yaml'], true)).progress).toEqual([]);
    const noTty = await run(['analyze', big, '--format', 'md', '-o', join(dir, 'n.md')], false);
    expect(noTty.code).toBe(0);
    expect(noTty.progress).toEqual([]);
  });
});
