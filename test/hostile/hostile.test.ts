/**
 * Hostile model files: one or more fixtures per row P1..P14 of HOSTILE-INPUTS.md section 3.1.
 *
 * Each case runs `maestro-tm validate <file>` in-process and checks the exit code, the expected
 * diagnostic code and line, the `file:line:column  CODE  message  (hint)` shape of every problem
 * line, that nothing prints a stack trace or a Node warning, and that Object.prototype is untouched.
 * Binary and very large inputs are generated into a temporary folder instead of being committed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/output.js';
import { loadModelText } from '../../src/model/load.js';

// P3: lets one test make the YAML parser throw where its API promised it would not.
const parserState = vi.hoisted(() => ({ throwOnParse: false }));
vi.mock('yaml', async (importOriginal) => {
  const actual = await importOriginal<typeof import('yaml')>();
  const parseDocument = ((...args: Parameters<typeof actual.parseDocument>) => {
    if (parserState.throwOnParse) throw new RangeError('Maximum call stack size exceeded');
    return actual.parseDocument(...args);
  }) as typeof actual.parseDocument;
  return { ...actual, parseDocument };
});

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** `file:line:column  CODE  message  (hint)` */
const DIAGNOSTIC_LINE = /^\S+:\d+:\d+ {2}[EW]_[A-Z_0-9]+ {2}.+ {2}\(.+\)$/;
/** The summary the CLI prints after the problems of an invalid file. */
const SUMMARY_LINE = /^\S+: invalid \(\d+ errors?, \d+ warnings?\)$/;
const STACK_FRAME = /^\s+at /m;

interface Case {
  /** Row of HOSTILE-INPUTS.md 3.1. */
  readonly row: `P${number}`;
  /** A file in fixtures/, or one generated into the temporary folder (see GENERATED). */
  readonly file: string;
  readonly exit: 0 | 2;
  /** The diagnostic expected, and the line it must point at; undefined: no diagnostic at all. */
  readonly code?: string;
  readonly line?: number;
  /** Text the message or hint of that diagnostic must contain. */
  readonly says?: string;
}

const BASE = 'version: "1.0"\nsystem:\n  name: generated\nagents:\n  - id: planner\n    role: plans\n';
const LATIN1_PREFIX = BASE + '    description: caf';

const VALID = 0;
const REJECT = 2;

const CASES: readonly Case[] = [
  // P1 aliases
  { row: 'P1', file: 'p01-alias-bomb.yaml', exit: REJECT, code: 'E_YAML_ALIAS', line: 6, says: 'alias expansion limit' },
  { row: 'P1', file: 'p01-recursive-alias.yaml', exit: REJECT, code: 'E_YAML_ALIAS', line: 7, says: 'recursive alias' },
  { row: 'P1', file: 'p01-undefined-alias.yaml', exit: REJECT, code: 'E_YAML_ALIAS', line: 7, says: '"*role"' },
  // P2 nesting depth
  { row: 'P2', file: 'p02-deep-nesting.yaml', exit: REJECT, code: 'E_LIMIT_DEPTH', line: 5, says: 'limit of 64' },
  { row: 'P2', file: 'p02-deep-nesting-block.yaml', exit: REJECT, code: 'E_LIMIT_DEPTH', line: 70, says: 'limit of 64' },
  { row: 'P2', file: 'p02-deep-nesting.json', exit: REJECT, code: 'E_LIMIT_DEPTH', line: 1, says: 'limit of 64' },
  // P3 parser failures the pre-parse checks do not see (see also the mocked-parser test below)
  { row: 'P3', file: 'p03-depth-scan-evasion.yaml', exit: REJECT, code: 'E_LIMIT_DEPTH', line: 6 },
  { row: 'P3', file: 'p03-parser-stack-overflow.yaml', exit: REJECT, code: 'E_LIMIT_DEPTH', line: 5 },
  { row: 'P3', file: 'p03-collection-key.yaml', exit: REJECT, code: 'E_YAML_KEY', line: 8 },
  // P4 tags
  { row: 'P4', file: 'p04-python-tag.yaml', exit: REJECT, code: 'E_YAML_TAG', line: 8, says: 'python/object' },
  { row: 'P4', file: 'p04-js-function-tag.yaml', exit: REJECT, code: 'E_YAML_TAG', line: 7, says: 'js/function' },
  { row: 'P4', file: 'p04-core-tag.yaml', exit: REJECT, code: 'E_YAML_TAG', line: 7 },
  { row: 'P4', file: 'p04-local-tag.yaml', exit: REJECT, code: 'E_YAML_TAG', line: 7, says: '!Ref' },
  // P5 prototype keys
  { row: 'P5', file: 'p05-proto-key.json', exit: REJECT, code: 'E_FORBIDDEN_KEY', line: 7, says: '"__proto__"' },
  { row: 'P5', file: 'p05-proto-key.yaml', exit: REJECT, code: 'E_FORBIDDEN_KEY', line: 7, says: '"__proto__"' },
  { row: 'P5', file: 'p05-constructor-prototype.yaml', exit: REJECT, code: 'E_FORBIDDEN_KEY', line: 7, says: '"constructor"' },
  { row: 'P5', file: 'p05-merge-key-proto.yaml', exit: REJECT, code: 'E_FORBIDDEN_KEY', line: 6, says: '"__proto__"' },
  { row: 'P5', file: 'p05-proto-id.yaml', exit: REJECT, code: 'E_SCHEMA', line: 6, says: 'reserved' },
  // P6 duplicates, naming both places
  { row: 'P6', file: 'p06-duplicate-key.yaml', exit: REJECT, code: 'E_DUPLICATE_KEY', line: 9, says: 'first at line 7' },
  { row: 'P6', file: 'p06-duplicate-key.json', exit: REJECT, code: 'E_DUPLICATE_KEY', line: 8, says: 'first at line 7' },
  { row: 'P6', file: 'p06-duplicate-key-coerced.yaml', exit: REJECT, code: 'E_DUPLICATE_KEY', line: 10, says: 'first at line 9' },
  { row: 'P6', file: 'p06-duplicate-id.yaml', exit: REJECT, code: 'E_DUPLICATE_ID', line: 11, says: 'first at line 6' },
  // P7 YAML 1.1 booleans are text in YAML 1.2: refused with a hint that says so
  { row: 'P7', file: 'p07-yaml11-booleans.yaml', exit: REJECT, code: 'E_SCHEMA_TYPE', line: 8, says: 'YAML 1.2 reads yes/no/on/off' },
  // P8 references
  { row: 'P8', file: 'p08-dangling-reference.yaml', exit: REJECT, code: 'E_UNKNOWN_REF', line: 13, says: 'did you mean "researcher"' },
  { row: 'P8', file: 'p08-wrong-kind-reference.yaml', exit: REJECT, code: 'E_REF_KIND', line: 13, says: 'is a tool' },
  { row: 'P8', file: 'p08-self-loop.yaml', exit: REJECT, code: 'E_SELF_REF', line: 8 },
  // P9 cycles; same names are not a cycle
  { row: 'P9', file: 'p09-boundary-cycle.yaml', exit: REJECT, code: 'E_BOUNDARY_CYCLE', line: 7, says: 'cyclic trust boundary' },
  { row: 'P9', file: 'p09-same-name-not-cycle.yaml', exit: VALID },
  // P10 numbers
  { row: 'P10', file: 'p10-nan.yaml', exit: REJECT, code: 'E_NUMBER', line: 8, says: 'NaN' },
  { row: 'P10', file: 'p10-infinity.yaml', exit: REJECT, code: 'E_NUMBER', line: 8, says: 'Infinity' },
  { row: 'P10', file: 'p10-huge-number.yaml', exit: REJECT, code: 'E_NUMBER', line: 8, says: 'Infinity' },
  { row: 'P10', file: 'p10-negative.yaml', exit: REJECT, code: 'E_SCHEMA_RANGE', line: 8, says: 'retentionDays' },
  // P11 encodings
  { row: 'P11', file: 'p11-bom.yaml', exit: VALID },
  { row: 'P11', file: 'p11-utf16.yaml', exit: REJECT, code: 'E_ENCODING', line: 1, says: 'UTF-16' },
  { row: 'P11', file: 'p11-utf16be.yaml', exit: REJECT, code: 'E_ENCODING', line: 1, says: 'UTF-16' },
  { row: 'P11', file: 'p11-utf16-no-bom.yaml', exit: REJECT, code: 'E_ENCODING', line: 1, says: 'NUL' },
  { row: 'P11', file: 'p11-invalid-utf8.yaml', exit: REJECT, code: 'E_ENCODING', line: 7, says: `byte offset ${LATIN1_PREFIX.length}` },
  { row: 'P11', file: 'p11-nul.yaml', exit: REJECT, code: 'E_ENCODING', line: 7, says: 'NUL' },
  // P12 invisible and confusable characters
  { row: 'P12', file: 'p12-invisible-id.yaml', exit: REJECT, code: 'E_INVISIBLE_CHAR', line: 6, says: 'U+200B' },
  { row: 'P12', file: 'p12-confusable-id.yaml', exit: REJECT, code: 'E_SCHEMA_FORMAT', line: 6, says: 'ASCII' },
  { row: 'P12', file: 'p12-bidi-description.yaml', exit: VALID, code: 'W_HIDDEN_TEXT', line: 8, says: 'U+202E' },
  // P13 size limits at their default values (small custom limits are tested through the library below)
  { row: 'P13', file: 'p13-oversized.yaml', exit: REJECT, code: 'E_LIMIT_SIZE', line: 1, says: 'limit of 10485760 bytes' },
  { row: 'P13', file: 'p13-long-string.yaml', exit: REJECT, code: 'E_LIMIT_STRING', line: 7, says: 'limit of 1000000' },
  { row: 'P13', file: 'p13-too-many-elements.json', exit: REJECT, code: 'E_LIMIT_ELEMENTS', line: 1, says: 'limit of 200000' },
  // P14 unknown fields and versions
  { row: 'P14', file: 'p14-unknown-fields.yaml', exit: VALID, code: 'W_UNKNOWN_FIELD', line: 8, says: '"temperature"' },
  { row: 'P14', file: 'p14-newer-major.yaml', exit: REJECT, code: 'E_VERSION_NEWER', line: 2, says: '"2.0"' },
  { row: 'P14', file: 'p14-newer-minor.yaml', exit: VALID, code: 'W_VERSION_MINOR', line: 2, says: '"1.7"' },
];


/** Inputs that are binary or too large to commit, written before the tests run. */
const GENERATED: Readonly<Record<string, () => Uint8Array | string>> = {
  'p11-utf16.yaml': () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(BASE, 'utf16le')]),
  'p11-utf16be.yaml': () => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(BASE, 'utf16le').swap16()]),
  'p11-utf16-no-bom.yaml': () => Buffer.from(BASE, 'utf16le'),
  // "café" in Latin-1: 0xE9 is not valid UTF-8 (line 7, column 21).
  'p11-invalid-utf8.yaml': () => Buffer.concat([Buffer.from(LATIN1_PREFIX), Buffer.from([0xe9]), Buffer.from(' latin-1\n')]),
  'p11-nul.yaml': () => BASE + '    description: a\u0000b\n',
  'p13-oversized.yaml': () => BASE + '    description: "' + 'x'.repeat(10 * 1024 * 1024) + '"\n',
  'p13-long-string.yaml': () => BASE + '    description: "' + 'x'.repeat(1_000_001) + '"\n',
  'p13-too-many-elements.json': () =>
    JSON.stringify({ version: '1.0', system: { name: 'many' }, agents: Array.from({ length: 200_001 }, (_, i) => ({ id: `a${i}` })) }),
};

let tmp = '';

function pathOf(file: string): string {
  return Object.hasOwn(GENERATED, file) ? join(tmp, file) : join(FIXTURES, file);
}

interface Run {
  code: number;
  out: string[];
  err: string[];
  /** err lines that are diagnostics (not the per-file summary). */
  problems: string[];
  warnings: unknown[];
}

async function validate(file: string): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => out.push(...t.split('\n')), err: (t) => err.push(...t.split('\n')), color: false };
  const warnings: unknown[] = [];
  const onWarning = (w: unknown) => warnings.push(w);
  process.on('warning', onWarning);
  try {
    const code = await main(['validate', file], io);
    // Node emits warnings on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
    return { code, out, err, problems: err.filter((l) => l !== '' && !SUMMARY_LINE.test(l)), warnings };
  } finally {
    process.off('warning', onWarning);
  }
}

function protoSnapshot(): string[] {
  return Object.getOwnPropertyNames(Object.prototype).sort();
}

const PROTO_BEFORE = protoSnapshot();

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'maestro-hostile-'));
  for (const [name, make] of Object.entries(GENERATED)) writeFileSync(join(tmp, name), make());
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

afterEach(() => {
  parserState.throwOnParse = false;
  // P5: no hostile file may have reached Object.prototype.
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  expect(protoSnapshot()).toEqual(PROTO_BEFORE);
});

describe('hostile model files (HOSTILE-INPUTS.md 3.1)', () => {
  it.each(CASES.map((c) => [`${c.row} ${c.file}`, c] as const))('%s', async (_name, c) => {
    const file = pathOf(c.file);
    const run = await validate(file);
    const all = [...run.out, ...run.err].join('\n');

    expect(run.code, all).toBe(c.exit);
    expect(all).not.toMatch(STACK_FRAME);
    expect(all).not.toContain('internal error');
    expect(run.warnings, 'nothing may write Node warnings to stderr').toEqual([]);
    for (const line of run.problems) expect(line).toMatch(DIAGNOSTIC_LINE);
    // Nothing from the file reaches the terminal raw: no control, bidi or invisible characters.
    // eslint-disable-next-line no-control-regex
    expect(all).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/);

    if (c.exit === REJECT) expect(run.err.some((l) => SUMMARY_LINE.test(l))).toBe(true);
    else expect(run.out.some((l) => l.startsWith(`${file}: valid`))).toBe(true);

    if (c.code === undefined) {
      expect(run.problems).toEqual([]);
      return;
    }
    const hit = run.problems.find((l) => l.includes(`  ${c.code ?? ''}  `));
    expect(hit, `expected ${c.code} in:\n${run.problems.join('\n')}`).toBeDefined();
    expect(hit?.startsWith(`${file}:${c.line ?? 0}:`), hit).toBe(true);
    if (c.says !== undefined) expect(hit).toContain(c.says);
    if (c.exit === VALID) for (const l of run.problems) expect(l).toMatch(/^\S+:\d+:\d+ {2}W_/);
  });

  it('has a fixture for every row P1..P14, and a case for every fixture', () => {
    const rows = new Set(CASES.map((c) => c.row));
    for (let i = 1; i <= 14; i++) expect(rows.has(`P${i}`), `P${i}`).toBe(true);
    const named = new Set(CASES.map((c) => c.file));
    for (const f of readdirSync(FIXTURES)) expect(named.has(f), `fixtures/${f} has no case`).toBe(true);
    for (const f of Object.keys(GENERATED)) expect(named.has(f), `${f} has no case`).toBe(true);
  });
});

describe('P1 alias bomb', () => {
  it('is refused quickly, with bounded memory', async () => {
    const rss = process.memoryUsage().rss;
    const start = performance.now();
    const run = await validate(pathOf('p01-alias-bomb.yaml'));
    expect(run.code).toBe(REJECT);
    // Expanded, the file would be 9^9 strings; refused, it costs next to nothing. Generous bounds.
    expect(performance.now() - start).toBeLessThan(5000);
    expect(process.memoryUsage().rss - rss).toBeLessThan(256 * 1024 * 1024);
  });

  it('is refused by the library with aliases disabled (third-party files)', () => {
    const res = loadModelText('version: "1.0"\nsystem:\n  name: x\nx-a: &a one\nx-b: *a\n', { limits: { maxAliasCount: 0 } });
    expect(res.model).toBeUndefined();
    expect(res.diagnostics.map((d) => [d.code, d.line])).toEqual([['E_YAML_ALIAS', 5]]);
  });
});

describe('P3 parser that throws', () => {
  it('turns an exception from the YAML parser into a diagnostic', async () => {
    parserState.throwOnParse = true;
    const file = pathOf('p09-same-name-not-cycle.yaml');
    const run = await validate(file);
    expect(run.code).toBe(REJECT);
    expect(run.problems).toHaveLength(1);
    expect(run.problems[0]).toMatch(DIAGNOSTIC_LINE);
    expect(run.problems[0]).toMatch(/^\S+:1:1 {2}E_PARSE_FAILED {2}.*RangeError/);
    expect(run.err.join('\n')).not.toMatch(STACK_FRAME);

    expect(() => loadModelText('version: "1.0"\n', { format: 'yaml' })).not.toThrow();
  });
});

describe('P13 limits through the library', () => {
  const agents = (n: number) => Array.from({ length: n }, (_, i) => `  - id: a${i}\n`).join('');
  const head = 'version: "1.0"\nsystem:\n  name: limits\nagents:\n';
  const cases = [
    { name: 'long string', text: head + '  - id: a\n    description: ' + 'x'.repeat(101) + '\n', limits: { maxStringLength: 100 }, code: 'E_LIMIT_STRING', line: 6 },
    { name: 'too many elements', text: head + agents(6), limits: { maxElements: 5 }, code: 'E_LIMIT_ELEMENTS', line: 1 },
    { name: 'too many values', text: head + agents(30), limits: { maxNodes: 20 }, code: 'E_LIMIT_NODES', line: 1 },
    { name: 'too many values (JSON)', text: JSON.stringify({ version: '1.0', system: { name: 'x' }, x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }), limits: { maxNodes: 5 }, code: 'E_LIMIT_NODES', line: 1, format: 'json' as const },
    { name: 'too many bytes', text: head + agents(10), limits: { maxBytes: 50 }, code: 'E_LIMIT_SIZE', line: 1 },
    { name: 'too deep', text: head + '  - id: a\n    x-deep: [[[1]]]\n', limits: { maxDepth: 3 }, code: 'E_LIMIT_DEPTH', line: 6 },
  ];
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const res = loadModelText(c.text, { file: 'limits.yaml', limits: c.limits, format: c.format ?? 'yaml' });
    expect(res.model).toBeUndefined();
    const d = res.diagnostics.find((x) => x.code === c.code);
    expect(d, JSON.stringify(res.diagnostics)).toBeDefined();
    expect(d?.line).toBe(c.line);
    expect(d?.column).toBeGreaterThanOrEqual(1);
    expect(d?.hint).toBeTruthy();
    // The limit is named, so the user knows which one to raise.
    expect(d?.message).toMatch(/limit/);
  });
});

describe('P13 one very large mapping', () => {
  it('is checked for duplicate keys in linear time, not quadratic', () => {
    // 60,000 keys in one mapping (2 MB): a pairwise duplicate-key check would take minutes.
    const keys = Array.from({ length: 60_000 }, (_, i) => `  k${i}: {a: 1}\n`).join('');
    const start = performance.now();
    const res = loadModelText(`version: "1.0"\nsystem:\n  name: big\nx-big:\n${keys}  k17: again\n`, { format: 'yaml' });
    expect(performance.now() - start).toBeLessThan(20_000);
    expect(res.diagnostics.map((d) => [d.code, d.line])).toEqual([['E_DUPLICATE_KEY', 60_005]]);
    expect(res.diagnostics[0]?.message).toContain('first at line 22');
  });
});

describe('P13 many diagnostics in one large mapping', () => {
  const n = 60_000;
  it.each(['yaml', 'json'] as const)('locates 60,000 warnings in %s without rescanning the mapping', (format) => {
    const fields = Array.from({ length: n }, (_, i) => [`u${i}`, i] as const);
    const text =
      format === 'yaml'
        ? `version: "1.0"\nsystem:\n  name: big\nagents:\n  - id: a\n${fields.map(([k, v]) => `    ${k}: ${v}\n`).join('')}`
        : JSON.stringify({ version: '1.0', system: { name: 'big' }, agents: [{ id: 'a', ...Object.fromEntries(fields) }] }, null, 1);
    const start = performance.now();
    const res = loadModelText(text, { format });
    expect(performance.now() - start).toBeLessThan(20_000);
    expect(res.diagnostics).toHaveLength(n);
    expect(res.diagnostics.every((d) => d.code === 'W_UNKNOWN_FIELD')).toBe(true);
    // Each warning points at its own key, in order.
    const lines = res.diagnostics.map((d) => d.line ?? 0);
    expect(new Set(lines).size).toBe(n);
    expect(res.diagnostics[n - 1]?.message).toContain(`"u${n - 1}"`);
  });
});

describe('P14 unknown fields', () => {
  it('keeps unknown fields in the loaded model', () => {
    const text = readFileSync(join(FIXTURES, 'p14-unknown-fields.yaml'), 'utf8');
    const res = loadModelText(text, { file: 'p14-unknown-fields.yaml' });
    expect(res.diagnostics.map((d) => d.code)).toEqual(['W_UNKNOWN_FIELD', 'W_UNKNOWN_FIELD']);
    const model = res.model as unknown as Record<string, unknown> & { agents: Record<string, unknown>[] };
    expect(model).toBeDefined();
    expect(model.agents[0]?.['temperature']).toBe(0.2);
    expect(model.agents[0]?.['x-team']).toBe('search');
    expect(model['futureSection']).toEqual({ enabled: true });
  });
});

describe('the built CLI as a child process', () => {
  it('rejects a hostile file with exit code 2 and no stack trace', () => {
    const res = spawnSync(process.execPath, ['bin/maestro-tm.js', 'validate', join(FIXTURES, 'p01-alias-bomb.yaml')], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 20_000,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' },
    });
    expect(res.error).toBeUndefined();
    expect(res.status, res.stderr).toBe(2);
    expect(res.stderr).not.toMatch(STACK_FRAME);
    expect(res.stderr).not.toMatch(/\(node:\d+\)|Warning:/);
    const problems = res.stderr.split('\n').filter((l) => l !== '' && !SUMMARY_LINE.test(l));
    expect(problems.length).toBeGreaterThan(0);
    for (const l of problems) expect(l).toMatch(DIAGNOSTIC_LINE);
    expect(problems[0]).toContain('  E_YAML_ALIAS  ');
  });
});
