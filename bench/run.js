// @ts-check
/**
 * Benchmark driver: time and memory of load (parse + validate), resolve and rules (runRules over all
 * RULES) for seeded synthetic systems of 10 to 10,000 agents, next to a same-process calibration
 * (JSON.parse and yaml.parse of the same text, a typed-array BFS over the same graph). See
 * bench/README.md for the columns and traps.
 *
 *   npm run bench                      # full ladder 10, 100, 1000, 3000, 10000
 *   npm run bench -- --quick           # 10, 100, 1000
 *   npm run bench -- --quick --timing  # plus the 15 slowest rules at every size (default: 5, at 1000 and the largest)
 *   npm run bench -- --sizes 10,100 --topology scale-free --seed 7
 *   npm run bench -- --in-process      # no child process per size (faster, less clean)
 *   npm run bench -- --profile --sizes 1000   # .cpuprofile per size in bench/results/prof/
 *
 * The parent process only orchestrates: every size runs in its own child process (fresh heap and
 * JIT state, its own maxRSS), which prints one `@@RESULT <json>` line on stdout.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RESULTS_DIR = path.join(HERE, 'results');
const RESULT_TAG = '@@RESULT ';
const FULL_SIZES = [10, 100, 1000, 3000, 10000];
const QUICK_SIZES = [10, 100, 1000];
/** YAML is timed only up to this many agents: the parser runs at a few MB/s by nature. */
const YAML_MAX_AGENTS = 3000;
/** Fixed heap cap for every child, so runs are comparable (BENCHMARKS.md protocol). */
const MAX_OLD_SPACE_MB = 4096;
const TARGET_AGENTS = 1000;
const TARGET_MS = 1000;
/** A cold rules call longer than this (ms) counts as its own warm-up: no warm-up rounds for rules. */
const RULES_LONG_MS = 5000;
/** A "linear" phase whose log-log slope exceeds this is flagged. */
const SLOPE_LIMIT = 1.2;

/**
 * @typedef {object} Stats
 * @property {number} median
 * @property {number} p95
 * @property {number} iqr
 * @property {number} min
 * @property {number[]} samples Milliseconds, in run order.
 */

/**
 * @typedef {object} SizeResult
 * @property {number} agents
 * @property {string} topology
 * @property {number} seed
 * @property {number} elements
 * @property {number} edges
 * @property {number} jsonBytes
 * @property {number | null} yamlBytes
 * @property {number} crossBoundaryShare Share of agent-to-agent channels that cross a trust boundary.
 * @property {boolean} limitRaised The input exceeded the loader's default maxBytes and the bench raised it.
 * @property {number} defaultMaxBytes
 * @property {{ warmup: number, runs: number, rulesWarmup: number, rulesRuns: number, yamlWarmup: number, yamlRuns: number }} protocol
 * @property {Record<string, number | null>} genMs
 * @property {Record<string, Stats>} phases calibJson, loadJson, validate, resolve, bfs, rules; calibYaml, loadYaml when measured.
 * @property {number} findings Findings of runRules(resolved, RULES) on this size.
 * @property {import('../dist/index.js').RuleTiming[]} ruleTiming Per-rule ms and findings of one warm run with { timing: true }, in run (id) order.
 * @property {{ assessed: number, unassessed: number } | null} ruleCounts
 * @property {Record<string, number>} coldMs First call of each phase in a fresh process.
 * @property {Record<string, PartResult['heapMB']>} heapMB Per part: heap retained after a forced GC by the text, the model, the graph.
 * @property {Record<string, Record<string, number>>} maxRssMB Per part: process maxRSS after the first call of each phase, and at the end.
 * @property {number} sink Consumed results (so no work can be optimised away).
 */

// ---------------------------------------------------------------------------------------------------------------------
// Small statistics helpers

/** @param {number[]} sorted @param {number} q */
function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] ?? NaN;
  const b = sorted[hi] ?? NaN;
  return a + (b - a) * (pos - lo);
}

/** @param {number[]} samples @returns {Stats} */
function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  return {
    median: quantile(s, 0.5),
    p95: s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)] ?? NaN,
    iqr: quantile(s, 0.75) - quantile(s, 0.25),
    min: s[0] ?? NaN,
    samples: samples.map((x) => Math.round(x * 1000) / 1000),
  };
}

/**
 * Time one call with process.hrtime.bigint().
 * @template T @param {() => T} fn @returns {[number, T]}
 */
function time(fn) {
  const t0 = process.hrtime.bigint();
  const r = fn();
  const t1 = process.hrtime.bigint();
  return [Number(t1 - t0) / 1e6, r];
}

/** @returns {(options?: { type?: 'major' | 'minor', execution?: 'sync' }) => void} */
function gcFunction() {
  const g = /** @type {unknown} */ (globalThis.gc);
  if (typeof g !== 'function') throw new Error('run with --expose-gc (npm run bench does)');
  return /** @type {(options?: { type?: 'major' | 'minor', execution?: 'sync' }) => void} */ (g);
}
/** Full collection (twice, so objects freed by finalisation go too). */
function gc() {
  gcFunction()();
  gcFunction()();
}
/** Young-generation collection only (cheap; keeps optimised code). */
function minorGc() {
  gcFunction()({ type: 'minor', execution: 'sync' });
}

const MB = 1024 * 1024;
/** JS heap plus ArrayBuffer backing stores (typed arrays live outside the V8 heap), after a full GC. */
function heapUsedMB() {
  gc();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / MB;
}
/** maxRSS in MB (resourceUsage reports kilobytes). */
function maxRssMB() {
  return process.resourceUsage().maxRSS / 1024;
}

/**
 * Calibration kernel: breadth-first search from every unvisited element over the out-edge CSR, so
 * each edge is touched exactly once. The "speed of light" for a graph phase on this graph.
 * @param {{ size: number, outOffsets: Int32Array, outEdges: Int32Array, edgeDst: Int32Array }} g
 */
function bfsAll(g) {
  const n = g.size;
  const off = g.outOffsets;
  const oe = g.outEdges;
  const dst = g.edgeDst;
  const seen = new Uint8Array(n);
  const queue = new Int32Array(n);
  let touched = 0;
  for (let s = 0; s < n; s++) {
    if (seen[s]) continue;
    seen[s] = 1;
    let head = 0;
    let tail = 0;
    queue[tail++] = s;
    while (head < tail) {
      const v = queue[head++] ?? 0;
      const end = off[v + 1] ?? 0;
      for (let k = off[v] ?? 0; k < end; k++) {
        const w = dst[oe[k] ?? 0] ?? 0;
        touched++;
        if (!seen[w]) {
          seen[w] = 1;
          queue[tail++] = w;
        }
      }
    }
  }
  return touched;
}

// ---------------------------------------------------------------------------------------------------------------------
// Measuring one size (runs in a child process; JSON and YAML in separate children)

/**
 * @typedef {'json' | 'yaml'} Part
 * JSON part: calibJson (JSON.parse), loadJson, validate, resolve, bfs, rules. YAML part: calibYaml (yaml.parse), loadYaml.
 * They run in separate processes because type feedback from YAML-built objects (other hidden classes)
 * would make the JSON path's property accesses polymorphic, and the CLI only ever loads one format.
 */

/**
 * @typedef {object} PartResult
 * @property {Part} part
 * @property {number} agents
 * @property {number} bytes Bytes of the text this part loads.
 * @property {boolean} limitRaised
 * @property {number} defaultMaxBytes
 * @property {{ warmup: number, runs: number, rulesWarmup?: number, rulesRuns?: number }} protocol
 * @property {Record<string, Stats>} phases
 * @property {number} findings Findings of one runRules(resolved, RULES) (JSON part; 0 for YAML).
 * @property {import('../dist/index.js').RuleTiming[]} ruleTiming Per-rule times of one extra warm run with { timing: true } (JSON part).
 * @property {{ assessed: number, unassessed: number } | null} ruleCounts Rules that ran, and rules skipped because the model lacks what they need.
 * @property {Record<string, number>} coldMs First call of each phase in this fresh process (JIT cold, like one CLI run).
 * @property {number} edges
 * @property {{ baseline: number, text: number, model: number, graph: number, total: number }} heapMB
 * @property {Record<string, number>} maxRssMB
 * @property {number} sink
 */

/**
 * Measure one format of one size: reads the generated text from `file` (written by the parent), so
 * the process's maxRSS reflects the loader, not the generator.
 * @param {{ agents: number, file: string, part: Part, runs?: number | undefined }} opts
 * @returns {Promise<PartResult>}
 */
async function measurePart({ agents, file, part, runs: runsOverride }) {
  const { loadModelText, resolveModel, validateData, runRules, RULES, DEFAULT_LIMITS } = await import('../dist/index.js');
  const { parse: yamlParse } = await import('yaml');
  const format = part;

  const baseline = heapUsedMB();
  let sink = 0;
  /** @type {Record<string, number>} */
  const rss = { start: maxRssMB() };
  /** @type {Record<string, number>} */
  const cold = {};

  const text = readFileSync(file, 'utf8');
  const bytes = Buffer.byteLength(text);
  const limitRaised = Math.max(bytes, text.length) > DEFAULT_LIMITS.maxBytes;
  const limits = limitRaised ? { maxBytes: Math.max(bytes, text.length) } : {};
  const heapText = heapUsedMB();
  rss['text'] = maxRssMB();

  /** @param {import('../dist/index.js').LoadResult} r */
  const mustBeClean = (r) => {
    if (r.diagnostics.length > 0 || !r.model) {
      const first = r.diagnostics.slice(0, 5).map((d) => `${d.code} ${d.message} at ${d.pointer ?? `${String(d.line)}:${String(d.column)}`}`);
      throw new Error(`load ${format} ${file}: the generated model has ${r.diagnostics.length} diagnostics:\n  ${first.join('\n  ')}`);
    }
    return r.model;
  };

  // The phases. Each returns a number that is folded into `sink`, so the JIT cannot drop the work.
  const calib = format === 'json' ? 'calibJson' : 'calibYaml';
  const load = format === 'json' ? 'loadJson' : 'loadYaml';
  /** @type {Record<string, () => number>} */
  const phases = {
    [calib]: () => /** @type {{ agents: unknown[] }} */ (format === 'json' ? JSON.parse(text) : yamlParse(text)).agents.length,
    [load]: () => {
      const r = loadModelText(text, { format, limits });
      return r.diagnostics.length + (r.model ? 1 : 0);
    },
  };

  // First calls, load and resolve first: cold timings (a fresh process, like one CLI run), correctness
  // checks, and maxRSS probes (maxRSS after resolve = the peak of one load + resolve).
  // In a helper so the LoadResult's `source` (text positions) is unreachable afterwards: only the model stays.
  const model = (() => {
    const [loadMs, first] = time(() => loadModelText(text, { format, limits }));
    cold[load] = loadMs;
    return mustBeClean(first);
  })();
  rss[load] = maxRssMB();
  const heapModel = heapUsedMB(); // text + model
  const [resolveMs, resolved] = time(() => resolveModel(model));
  cold['resolve'] = resolveMs;
  rss['resolve'] = maxRssMB();
  const heapGraph = heapUsedMB(); // text + model + graph
  const graph = resolved.graph;
  let [ms, n] = time(() => phases[calib]?.() ?? 0);
  cold[calib] = ms;
  sink += n;
  rss[calib] = maxRssMB();
  /** Validate alone, timed inside: the JSON.parse that feeds it is outside the timed region. */
  let validateMs = 0;
  /** Findings of one runRules over all RULES (JSON part only). */
  let findings = 0;

  if (format === 'json') {
    phases['validate'] = () => {
      const data = JSON.parse(text);
      const t0 = process.hrtime.bigint();
      const k = validateData(data).length;
      validateMs = Number(process.hrtime.bigint() - t0) / 1e6;
      return k;
    };
    phases['resolve'] = () => resolveModel(model).graph.edgeCount;
    // Repeat the BFS kernel enough times to be measurable at small sizes.
    const reps = Math.max(1, Math.ceil(2_000_000 / Math.max(1, graph.edgeCount)));
    phases['bfs'] = () => {
      let t = 0;
      for (let i = 0; i < reps; i++) t += bfsAll(graph);
      return t / reps;
    };
    [ms, n] = time(() => bfsAll(graph));
    cold['bfs'] = ms;
    sink += n;
    // Rules: the first call is the cold number (and the findings count); the phase joins the rounds below.
    [ms, n] = time(() => runRules(resolved, RULES).findings.length);
    cold['rules'] = ms;
    findings = n;
    sink += n;
    rss['rules'] = maxRssMB();
    phases['rules'] = () => runRules(resolved, RULES).findings.length;
  }

  // Protocol (BENCHMARKS.md): warm-ups, then 10 runs; 5 at >= 3k agents. Small inputs get more warm-up
  // (the JIT tiers up on calls, not bytes) and more runs (cheap and noisy). YAML gets fewer: it is slow.
  const big = agents >= 3000;
  const small = agents <= 100;
  const warmup = format === 'yaml' ? (small ? 5 : 1) : small ? 15 : big ? 2 : 5;
  const runs = runsOverride ?? (format === 'yaml' ? (small ? 10 : big ? 3 : 5) : small ? 20 : big ? 5 : 10);
  // Rules are the slowest JSON phase at scale (about 1 s at 1000 agents), so they join fewer rounds:
  // the last `rulesWarmup` warm-up rounds and the first `rulesRuns` timed rounds (still interleaved).
  // A first call over RULES_LONG_MS is its own warm-up (V8 tiers up hot loops inside one call), so then
  // there is no extra warm-up round: at 10,000 agents one call can take tens of seconds.
  const rulesLong = (cold['rules'] ?? 0) > RULES_LONG_MS;
  const rulesWarmup = Math.min(warmup, rulesLong ? 0 : small ? 15 : big ? 1 : 3);
  const rulesRuns = Math.min(runs, runsOverride ?? (small ? 20 : big ? 3 : 7));
  const rulesFrom = warmup - rulesWarmup;
  const rulesTo = warmup + rulesRuns;

  /** @type {Record<string, number[]>} */
  const samples = {};
  for (const name of Object.keys(phases)) samples[name] = [];
  gc();
  for (let round = 0; round < warmup + runs; round++) {
    // Interleaved: every phase once per round, so drift in machine load hits all phases alike.
    for (const [name, fn] of Object.entries(phases)) {
      if (name === 'rules' && (round < rulesFrom || round >= rulesTo)) continue;
      // A minor GC before each sample clears the previous phase's young garbage. Not a full GC:
      // repeated full GCs make V8 drop optimised code of per-call closures (jsonc-parser's visitor),
      // and every sample would then measure re-compilation instead of the loader.
      minorGc();
      [ms, n] = time(fn);
      sink += n;
      if (name === 'validate') ms = validateMs;
      if (name === 'bfs') ms /= Math.max(1, Math.ceil(2_000_000 / Math.max(1, graph.edgeCount)));
      if (round >= warmup) samples[name]?.push(ms);
    }
    process.stderr.write('.');
  }
  rss['end'] = maxRssMB();

  // One extra (warm) rules run with per-rule timing. Not part of the rules samples: the timing adds a
  // performance.now() pair per rule, and this run is for the ranking of rules, not for the total.
  /** @type {import('../dist/index.js').RuleTiming[]} */
  let ruleTiming = [];
  /** @type {{ assessed: number, unassessed: number } | null} */
  let ruleCounts = null;
  if (format === 'json') {
    minorGc();
    const r = runRules(resolved, RULES, { timing: true });
    sink += r.findings.length;
    ruleTiming = (r.timing ?? []).map((t) => ({ rule: t.rule, ms: Math.round(t.ms * 1000) / 1000, findings: t.findings }));
    ruleCounts = { assessed: r.assessedRules.length, unassessed: r.unassessedRules.length };
  }

  /** @type {Record<string, Stats>} */
  const phaseStats = {};
  for (const [name, s] of Object.entries(samples)) if (s.length > 0) phaseStats[name] = stats(s);

  // Keep `resolved` and `model` reachable until here so the heap figures above hold.
  sink += resolved.graph.size + (model.agents?.length ?? 0);

  return {
    part,
    agents,
    bytes,
    limitRaised,
    defaultMaxBytes: DEFAULT_LIMITS.maxBytes,
    protocol: format === 'json' ? { warmup, runs, rulesWarmup, rulesRuns } : { warmup, runs },
    phases: phaseStats,
    findings,
    ruleTiming,
    ruleCounts,
    coldMs: cold,
    edges: graph.edgeCount,
    heapMB: { baseline, text: heapText - baseline, model: heapModel - heapText, graph: heapGraph - heapModel, total: heapGraph },
    maxRssMB: rss,
    sink,
  };
}

/**
 * @typedef {object} Generated
 * @property {number} agents
 * @property {string} topology
 * @property {number} seed
 * @property {number} elements
 * @property {number} crossBoundaryShare
 * @property {string} jsonFile
 * @property {string | null} yamlFile
 * @property {Record<string, number>} genMs
 */

/**
 * Generate one size and write its JSON (and YAML, up to yamlMax agents) into bench/results/data/.
 * @param {{ agents: number, topology: string, seed: number, yamlMax: number }} o
 * @returns {Promise<Generated>}
 */
async function generateInputs({ agents, topology, seed, yamlMax }) {
  const { generateSystem, toJson, toYaml, countElements, crossBoundaryShare, TOPOLOGIES } = await import('./gen.js');
  const topo = TOPOLOGIES.find((t) => t === topology);
  if (!topo) throw new Error(`unknown --topology ${topology}; use one of ${TOPOLOGIES.join(', ')}`);
  const dir = path.join(RESULTS_DIR, 'data');
  mkdirSync(dir, { recursive: true });
  const base = path.join(dir, `${topo}-seed${seed}-${agents}`);
  const [generate, obj] = time(() => generateSystem({ agents, seed, topology: topo }));
  const [toJsonMs, json] = time(() => toJson(obj));
  writeFileSync(`${base}.json`, json);
  /** @type {Record<string, number>} */
  const genMs = { generate, toJson: toJsonMs };
  let yamlFile = null;
  if (agents <= yamlMax) {
    const [toYamlMs, yaml] = time(() => toYaml(obj));
    genMs['toYaml'] = toYamlMs;
    yamlFile = `${base}.yaml`;
    writeFileSync(yamlFile, yaml);
  }
  return {
    agents,
    topology: topo,
    seed,
    elements: countElements(obj),
    crossBoundaryShare: Math.round(crossBoundaryShare(obj) * 1000) / 1000,
    jsonFile: `${base}.json`,
    yamlFile,
    genMs,
  };
}

/**
 * Merge the generation facts and the JSON and (optional) YAML parts of one size.
 * @param {Generated} g @param {PartResult} j @param {PartResult | undefined} y @returns {SizeResult}
 */
function mergeParts(g, j, y) {
  return {
    agents: g.agents,
    topology: g.topology,
    seed: g.seed,
    elements: g.elements,
    edges: j.edges,
    jsonBytes: j.bytes,
    yamlBytes: y ? y.bytes : null,
    crossBoundaryShare: g.crossBoundaryShare,
    limitRaised: j.limitRaised || (y?.limitRaised ?? false),
    defaultMaxBytes: j.defaultMaxBytes,
    protocol: {
      warmup: j.protocol.warmup,
      runs: j.protocol.runs,
      rulesWarmup: j.protocol.rulesWarmup ?? 0,
      rulesRuns: j.protocol.rulesRuns ?? 0,
      yamlWarmup: y?.protocol.warmup ?? 0, yamlRuns: y?.protocol.runs ?? 0 },
    genMs: g.genMs,
    phases: { ...j.phases, ...(y?.phases ?? {}) },
    findings: j.findings,
    ruleTiming: j.ruleTiming,
    ruleCounts: j.ruleCounts,
    coldMs: { ...j.coldMs, ...(y ? { calibYaml: y.coldMs['calibYaml'] ?? NaN, loadYaml: y.coldMs['loadYaml'] ?? NaN, resolveAfterYaml: y.coldMs['resolve'] ?? NaN } : {}) },
    heapMB: { json: j.heapMB, ...(y ? { yaml: y.heapMB } : {}) },
    maxRssMB: { json: j.maxRssMB, ...(y ? { yaml: y.maxRssMB } : {}) },
    sink: j.sink + (y?.sink ?? 0),
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Parent: one child per size, then the report

/**
 * Run one part of one size in a fresh Node process.
 * @param {number} agents @param {Part} part @param {string} file
 * @param {{ topology: string, runs?: number | undefined, profile: boolean }} o
 * @returns {Promise<PartResult>}
 */
function runChild(agents, part, file, o) {
  const args = ['--expose-gc', `--max-old-space-size=${MAX_OLD_SPACE_MB}`];
  if (o.profile) {
    const dir = path.join(RESULTS_DIR, 'prof');
    mkdirSync(dir, { recursive: true });
    args.push('--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${o.topology}-${agents}-${part}.cpuprofile`);
  }
  args.push(fileURLToPath(import.meta.url), '--child', part, '--size', String(agents), '--input', file);
  if (o.runs !== undefined) args.push('--runs', String(o.runs));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => (out += String(d)));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT_TAG));
      if (code !== 0 || !line) {
        reject(new Error(`child (${agents} agents, ${part}) exited with ${signal ?? String(code)}${out ? `; output:\n${out}` : ''}`));
        return;
      }
      resolve(/** @type {PartResult} */ (JSON.parse(line.slice(RESULT_TAG.length))));
    });
  });
}

/** @param {number} x @param {number} [digits] */
function fmt(x, digits = 1) {
  if (x === undefined || x === null || Number.isNaN(x)) return '-';
  const s = x.toFixed(digits);
  return s.startsWith('-') && Number(s) === 0 ? s.slice(1) : s; // print 0.0, never -0.0
}
/** @param {number} n */
function fmtInt(n) {
  return n.toLocaleString('en-US');
}
/** @param {(string)[]} cells @param {number[]} widths */
function row(cells, widths) {
  return cells.map((c, i) => (i === 0 ? c.padStart(widths[i] ?? 8) : c.padStart(widths[i] ?? 8))).join('  ');
}

/**
 * Least-squares slope of log(ms) against log(agents).
 * @param {[number, number][]} points [agents, ms]
 */
function fitSlope(points) {
  const pts = points.filter(([a, t]) => a > 0 && t > 0);
  if (pts.length < 2) return NaN;
  const xs = pts.map(([a]) => Math.log(a));
  const ys = pts.map(([, t]) => Math.log(t));
  const mx = xs.reduce((s, x) => s + x, 0) / xs.length;
  const my = ys.reduce((s, y) => s + y, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += ((xs[i] ?? 0) - mx) * ((ys[i] ?? 0) - my);
    den += ((xs[i] ?? 0) - mx) ** 2;
  }
  return den === 0 ? NaN : num / den;
}

/** @param {SizeResult} r @param {string} phase */
function med(r, phase) {
  return r.phases[phase]?.median ?? NaN;
}

/**
 * @param {SizeResult[]} results
 * @param {{ topology: string, seed: number, yamlMax: number, inProcess: boolean, timing: boolean }} o
 */
function report(results, o) {
  /** @type {string[]} */
  const lines = [];
  const log = (/** @type {string} */ s = '') => lines.push(s);

  const w1 = [6, 8, 9, 11, 10, 9, 9, 8, 8, 8, 10, 7];
  log(`Phases, median ms (topology ${o.topology}, seed ${o.seed})`);
  log(row(['agents', 'elements', 'edges', 'bytes', 'calib ms', 'load json', 'load yaml', 'resolve', 'rules', 'findings', 'load/calib', 'heap MB'], w1));
  log(row(['', '', '', '(json)', 'JSON.parse', 'ms', 'ms', 'ms', 'ms', '', 'ratio', ''], w1));
  for (const r of results) {
    const h = r.heapMB['json'];
    log(
      row(
        [
          String(r.agents),
          fmtInt(r.elements),
          fmtInt(r.edges),
          fmtInt(r.jsonBytes),
          fmt(med(r, 'calibJson'), 2),
          fmt(med(r, 'loadJson'), 1),
          r.phases['loadYaml'] ? fmt(med(r, 'loadYaml'), 1) : 'skipped',
          fmt(med(r, 'resolve'), 2),
          r.phases['rules'] ? fmt(med(r, 'rules'), 1) : '-',
          r.phases['rules'] ? fmtInt(r.findings) : '-',
          fmt(med(r, 'loadJson') / med(r, 'calibJson'), 1) + 'x',
          h ? fmt(h.model + h.graph, 1) : '-',
        ],
        w1,
      ),
    );
  }
  log('  calib = JSON.parse of the same text in the same process; load = loadModelText (parse + validate);');
  log('  ratio = load json / calib (BENCHMARKS.md target: within 3x); heap MB = heap retained after a forced GC');
  log('  by the loaded model + resolved graph (text excluded). rules = runRules(resolved, RULES) over all');
  const skipped = Math.max(0, ...results.map((r) => r.ruleCounts?.unassessed ?? 0));
  const ruleCount = Math.max(0, ...results.map((r) => r.ruleTiming.length + (r.ruleCounts?.unassessed ?? 0)));
  log(`  ${ruleCount} rules (${skipped === 0 ? 'all of them apply to these models' : `up to ${skipped} skipped: the model lacks what they need`}), findings = its findings count.`);
  log(`  load yaml: timed only up to ${o.yamlMax} agents; YAML parses at a few MB/s by nature, larger sizes would take minutes.`);
  const raised = results.filter((r) => r.limitRaised);
  if (raised.length > 0) {
    const limit = raised[0]?.defaultMaxBytes ?? 0;
    log(
      `  NOTE: ${raised.map((r) => r.agents).join(', ')} agents exceed the loader's default maxBytes (${fmtInt(limit)} bytes); the bench raised the limit for them (the CLI would refuse these files).`,
    );
  }

  log();
  log('JSON path detail: throughput, spread, cold start, graph calibration');
  const w2 = [6, 10, 9, 8, 8, 8, 8, 9, 9, 8, 8];
  log(row(['agents', 'JSON.parse', 'load json', 'validate', 'parse~', 'load p95', 'load IQR', 'cold load', 'cold res.', 'BFS', 'resolve'], w2));
  log(row(['', 'MB/s', 'MB/s', 'ms', 'ms', 'ms', 'ms', 'ms', 'ms', 'Medge/s', 'eff.'], w2));
  for (const r of results) {
    const mbps = (/** @type {number} */ ms) => r.jsonBytes / MB / (ms / 1000);
    const bfsRate = r.edges / (med(r, 'bfs') / 1000);
    // Efficiency = floor / measured: the floor of resolve is touching every edge once at the BFS rate.
    const resolveEff = med(r, 'bfs') / med(r, 'resolve');
    const lj = r.phases['loadJson'];
    log(
      row(
        [
          String(r.agents),
          fmt(mbps(med(r, 'calibJson')), 0),
          fmt(mbps(med(r, 'loadJson')), 1),
          fmt(med(r, 'validate'), 1),
          fmt(med(r, 'loadJson') - med(r, 'validate'), 1),
          fmt(lj?.p95 ?? NaN, 1),
          fmt(lj?.iqr ?? NaN, 1),
          fmt(r.coldMs['loadJson'] ?? NaN, 1),
          fmt(r.coldMs['resolve'] ?? NaN, 1),
          fmt(bfsRate / 1e6, 0),
          fmt(resolveEff, 3),
        ],
        w2,
      ),
    );
  }
  log('  validate = validateData alone (walk + zod + ids/references); parse~ = load json - validate (jsonc-parser');
  log('  duplicate-key scan + JSON.parse + depth check). cold = first call in a fresh process (what one CLI run pays).');
  log('  resolve eff. = (edges / BFS rate) / resolve time: the BENCHMARKS.md efficiency (target >= 0.1 for graph phases).');

  log();
  log('YAML path and memory');
  const w3 = [6, 11, 10, 9, 9, 9, 8, 8, 8, 8, 8, 8, 7];
  log(row(['agents', 'yaml bytes', 'yaml.parse', 'load yaml', 'yaml load', 'cold load', 'heap', 'heap', 'heap', 'maxRSS', 'maxRSS', 'maxRSS', 'x-zone'], w3));
  log(row(['', '', 'ms', 'ms', '/calib', 'yaml ms', 'text MB', 'model MB', 'graph MB', 'json MB', '+rules', 'yaml MB', 'chan.'], w3));
  for (const r of results) {
    const h = r.heapMB['json'];
    const y = r.phases['loadYaml'] !== undefined;
    log(
      row(
        [
          String(r.agents),
          r.yamlBytes === null ? '-' : fmtInt(r.yamlBytes),
          y ? fmt(med(r, 'calibYaml'), 0) : '-',
          y ? fmt(med(r, 'loadYaml'), 0) : '-',
          y ? fmt(med(r, 'loadYaml') / med(r, 'calibYaml'), 2) + 'x' : '-',
          y ? fmt(r.coldMs['loadYaml'] ?? NaN, 0) : '-',
          h ? fmt(h.text, 1) : '-',
          h ? fmt(h.model, 1) : '-',
          h ? fmt(h.graph, 1) : '-',
          fmt(r.maxRssMB['json']?.['resolve'] ?? NaN, 0),
          fmt(r.maxRssMB['json']?.['rules'] ?? NaN, 0),
          y ? fmt(r.maxRssMB['yaml']?.['resolve'] ?? NaN, 0) : '-',
          fmt(r.crossBoundaryShare * 100, 0) + '%',
        ],
        w3,
      ),
    );
  }
  log('  yaml.parse = the yaml library alone on the same text (its own floor); maxRSS = peak RSS of a fresh process');
  log('  after reading the file and one load + resolve (Node itself is ~40-50 MB); +rules = the same after the first');
  log('  runRules too (findings and rule garbage); x-zone = agent channels crossing a boundary.');

  // Growth.
  log();
  const sizes = results.map((r) => r.agents);
  /** @type {Record<string, { pairs: number[], fit: number }>} */
  const slopes = {};
  const slopePhases = /** @type {const} */ (['calibJson', 'loadJson', 'validate', 'resolve', 'rules', 'loadYaml']);
  const pairLabels = [];
  for (let i = 1; i < sizes.length; i++) pairLabels.push(`${sizes[i - 1]}->${sizes[i]}`);
  const w4 = [12, ...pairLabels.map((l) => Math.max(9, l.length)), 11];
  log('Growth: log-log slope of median time vs agents (1 = linear; fit over sizes >= 100, small sizes are start-up dominated)');
  log(row(['phase', ...pairLabels, 'fit >=100'], w4));
  let superlinear = false;
  /**
   * Slopes of a per-size value between consecutive sizes, and the fit over sizes >= 100.
   * @param {(r: SizeResult) => number} value
   */
  const growth = (value) => {
    const pairs = [];
    for (let i = 1; i < results.length; i++) {
      const a = results[i - 1];
      const b = results[i];
      pairs.push(a && b ? Math.log(value(b) / value(a)) / Math.log(b.agents / a.agents) : NaN);
    }
    /** @type {[number, number][]} */
    const pts = [];
    for (const r of results) if (r.agents >= 100 && Number.isFinite(value(r))) pts.push([r.agents, value(r)]);
    return { pairs, fit: fitSlope(pts) };
  };
  for (const p of slopePhases) {
    if (results.filter((r) => r.phases[p]).length < 2) continue;
    const { pairs, fit } = growth((r) => med(r, p));
    slopes[p] = { pairs, fit };
    const flag = fit > SLOPE_LIMIT ? ' !' : '';
    if (fit > SLOPE_LIMIT && p !== 'calibJson') superlinear = true;
    log(row([p, ...pairs.map((x) => fmt(x, 2)), fmt(fit, 2) + flag], w4));
  }
  // Normalised: time divided by the same-process calibration, then +1. Machine-wide slowdowns (load
  // average drifting during a long run) cancel out; what remains is growth beyond the kernel's own.
  /** @type {[string, string, string][]} */
  const normalised = [
    ['loadJson/cal', 'loadJson', 'calibJson'],
    ['validate/cal', 'validate', 'calibJson'],
    ['resolve/bfs', 'resolve', 'bfs'],
    ['rules/bfs', 'rules', 'bfs'],
    ['loadYaml/cal', 'loadYaml', 'calibYaml'],
  ];
  for (const [label, p, c] of normalised) {
    if (results.filter((r) => r.phases[p] && r.phases[c]).length < 2) continue;
    const { pairs, fit } = growth((r) => med(r, p) / med(r, c));
    const shifted = { pairs: pairs.map((x) => x + 1), fit: fit + 1 };
    slopes[label] = shifted;
    log(row([label, ...shifted.pairs.map((x) => fmt(x, 2)), fmt(shifted.fit, 2)], w4));
  }
  log('  x/cal rows: slope of (phase time / same-process calibration) + 1, i.e. the growth that remains once');
  log('  machine-wide drift is divided out (both were timed in the same rounds).');
  if (superlinear) log(`  ! slope above ${SLOPE_LIMIT} on a phase that should be linear`);

  // Slowest rules: per-rule times of one extra warm run with { timing: true } per size.
  const timed = results.filter((r) => r.ruleTiming.length > 0);
  if (timed.length > 0) {
    const largest = timed[timed.length - 1];
    const shown = o.timing ? timed : timed.filter((r) => r.agents === TARGET_AGENTS || r === largest);
    const top = o.timing ? 15 : 5;
    log();
    log(`Slowest rules (one warm runRules with { timing: true } per size; top ${top}${o.timing ? ', every size' : ` at ${shown.map((r) => r.agents).join(' and ')} agents; --timing for every size, top 15`})`);
    for (const r of shown) {
      const prev = timed[timed.indexOf(r) - 1];
      /** @type {Map<string, number>} */
      const prevMs = new Map((prev?.ruleTiming ?? []).map((t) => [t.rule, t.ms]));
      const sum = r.ruleTiming.reduce((acc, t) => acc + t.ms, 0);
      const slow = [...r.ruleTiming].sort((a, b) => b.ms - a.ms || (a.rule < b.rule ? -1 : 1)).slice(0, top);
      const w5 = [4, Math.max(4, ...slow.map((t) => t.rule.length)), 9, 6, 8, 11];
      // The slope column only when there is a previous size to compare with.
      const cols = prev ? w5.length : w5.length - 1;
      log(`  ${r.agents} agents: ${r.ruleTiming.length} rules, sum ${fmt(sum, 1)} ms (median run ${fmt(med(r, 'rules'), 1)} ms), ${fmtInt(r.findings)} findings`);
      log(row(['#', 'rule'.padEnd(w5[1] ?? 4), 'ms', 'share', 'findings', `slope ${prev?.agents ?? ''}->`].slice(0, cols), w5));
      slow.forEach((t, i) => {
        const p = prevMs.get(t.rule);
        const slope = prev && p !== undefined && p > 0 && t.ms > 0 ? Math.log(t.ms / p) / Math.log(r.agents / prev.agents) : NaN;
        log(row([String(i + 1), t.rule.padEnd(w5[1] ?? 4), fmt(t.ms, 2), fmt((100 * t.ms) / sum, 1) + '%', fmtInt(t.findings), fmt(slope, 2)].slice(0, cols), w5));
      });
    }
    log('  ms includes the rule\'s check and the engine turning its reports into findings (controls, evidence);');
    log('  share = of the sum over all rules; slope = log-log growth of this rule\'s time from the previous size');
    log('  (1 = linear; ~2 = quadratic). One run per size, so small times are noisy.');
  }

  // Target.
  log();
  const t = results.find((r) => r.agents === TARGET_AGENTS);
  /** @type {{ agents: number, ms: number | null, ok: boolean | null }} */
  const target = { agents: TARGET_AGENTS, ms: null, ok: null };
  if (t) {
    const ms = med(t, 'loadJson') + med(t, 'resolve');
    target.ms = ms;
    target.ok = ms < TARGET_MS;
    log(`target: ${TARGET_AGENTS} agents load (json) + resolve = ${fmt(ms, 1)} ms < ${TARGET_MS} ms: ${target.ok ? 'OK' : 'MISSED'}`);
  } else {
    log(`target: ${TARGET_AGENTS} agents not in --sizes; not checked`);
  }
  /** @type {{ agents: number, ms: number | null, ok: boolean | null }} */
  const targetRules = { agents: TARGET_AGENTS, ms: null, ok: null };
  if (t?.phases['rules']) {
    const ms = med(t, 'rules');
    targetRules.ms = ms;
    targetRules.ok = ms < TARGET_MS;
    log(`target: ${TARGET_AGENTS} agents rules = ${fmt(ms, 1)} ms < ${TARGET_MS} ms: ${targetRules.ok ? 'OK' : 'MISSED'}`);
  }
  return { text: lines.join('\n'), slopes, target, targetRules };
}

async function main() {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string' },
      quick: { type: 'boolean', default: false },
      topology: { type: 'string', default: 'tree' },
      seed: { type: 'string', default: '1' },
      runs: { type: 'string' },
      'yaml-max': { type: 'string', default: String(YAML_MAX_AGENTS) },
      'in-process': { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      timing: { type: 'boolean', default: false },
      child: { type: 'string' },
      size: { type: 'string' },
      input: { type: 'string' },
      report: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  const seed = Number(values.seed);
  const yamlMax = Number(values['yaml-max']);
  const runs = values.runs === undefined ? undefined : Number(values.runs);
  const topology = values.topology;
  if (!Number.isInteger(seed)) throw new Error('--seed must be an integer');
  if (runs !== undefined && !(Number.isInteger(runs) && runs >= 1)) throw new Error('--runs must be an integer >= 1');

  if (values.child !== undefined) {
    const part = values.child === 'yaml' ? 'yaml' : values.child === 'json' ? 'json' : undefined;
    if (!part) throw new Error('--child json|yaml');
    if (values.input === undefined) throw new Error('--child needs --input FILE');
    const result = await measurePart({ agents: Number(values.size), file: values.input, part, runs });
    process.stdout.write(RESULT_TAG + JSON.stringify(result) + '\n');
    return;
  }
  if (values.report !== undefined) {
    // Re-print the tables of a saved run.
    const saved = /** @type {{ meta: { topology: string, seed: number, yamlMax?: number }, results: SizeResult[] }} */ (JSON.parse(readFileSync(values.report, 'utf8')));
    // Runs saved before the rules phase existed have no rule fields.
    for (const r of saved.results) {
      r.ruleTiming ??= [];
      r.ruleCounts ??= null;
      r.findings ??= 0;
    }
    console.log(report(saved.results, { topology: saved.meta.topology, seed: saved.meta.seed, yamlMax: saved.meta.yamlMax ?? YAML_MAX_AGENTS, inProcess: false, timing: values.timing }).text);
    return;
  }
  if (values.help) {
    console.log('usage: node --expose-gc bench/run.js [--quick] [--sizes 10,100,...] [--topology tree|pipeline|small-world|scale-free|hub|dag]');
    console.log('                                     [--seed N] [--runs N] [--yaml-max N] [--in-process] [--profile] [--timing]');
    console.log('       node bench/run.js --report bench/results/latest.json   # re-print a saved run');
    return;
  }

  const sizes = values.sizes ? values.sizes.split(',').map((s) => Number(s.trim())) : values.quick ? QUICK_SIZES : FULL_SIZES;
  if (sizes.some((s) => !Number.isInteger(s) || s < 1)) throw new Error('--sizes must be a comma-separated list of positive integers');

  const cpus = os.cpus();
  const load0 = os.loadavg();
  const meta = {
    date: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform} ${process.arch} ${os.release()}`,
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    totalMemMB: Math.round(os.totalmem() / MB),
    loadavgStart: load0,
    maxOldSpaceMB: MAX_OLD_SPACE_MB,
    mode: values['in-process'] ? 'in-process' : 'one child process per size and format',
    topology,
    seed,
    sizes,
    yamlMax,
  };
  console.log(`maestro-tm bench  ${meta.date}`);
  console.log(`node ${meta.node} (V8 ${meta.v8})  ${meta.platform}`);
  console.log(`cpu: ${meta.cpu} x ${meta.cores} cores, ${fmtInt(meta.totalMemMB)} MB RAM; load average ${load0.map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`mode: ${meta.mode}, --max-old-space-size=${MAX_OLD_SPACE_MB}, --expose-gc; sizes ${sizes.join(', ')}; topology ${topology}; seed ${seed}`);
  if ((load0[0] ?? 0) > cpus.length * 0.5) console.log(`WARNING: load average ${load0[0]?.toFixed(2)} is high for ${cpus.length} cores; numbers will be noisy`);
  console.log();

  /** @type {SizeResult[]} */
  const results = [];
  for (const agents of sizes) {
    process.stderr.write(`${String(agents).padStart(6)} agents  json `);
    const t0 = process.hrtime.bigint();
    const g = await generateInputs({ agents, topology, seed, yamlMax });
    /** @type {(part: Part, file: string) => Promise<PartResult>} */
    const measure = (part, file) =>
      values['in-process'] ? measurePart({ agents, file, part, runs }) : runChild(agents, part, file, { topology, runs, profile: values.profile });
    const j = await measure('json', g.jsonFile);
    process.stderr.write(g.yamlFile ? ' yaml ' : '');
    const y = g.yamlFile ? await measure('yaml', g.yamlFile) : undefined;
    const r = mergeParts(g, j, y);
    process.stderr.write(`  done in ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)} s\n`);
    results.push(r);
  }
  const load1 = os.loadavg();
  console.log();
  const { text, slopes, target, targetRules } = report(results, { topology, seed, yamlMax, inProcess: values['in-process'], timing: values.timing });
  console.log(text);
  console.log(`load average at end: ${load1.map((l) => l.toFixed(2)).join(' ')}`);

  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, 'latest.json');
  const stamped = path.join(RESULTS_DIR, `${meta.date.replace(/[:.]/g, '-')}-${topology}.json`);
  const json = JSON.stringify({ meta: { ...meta, loadavgEnd: load1 }, results, slopes, target, targetRules }, null, 2) + '\n';
  writeFileSync(file, json);
  writeFileSync(stamped, json);
  console.log(`results: ${path.relative(process.cwd(), file)} (and ${path.relative(process.cwd(), stamped)}); inputs in ${path.relative(process.cwd(), path.join(RESULTS_DIR, 'data'))}/`);
  if (values.profile) console.log(`cpu profiles: ${path.relative(process.cwd(), path.join(RESULTS_DIR, 'prof'))}/ (open in Chrome DevTools > Performance)`);
}

main().catch((/** @type {unknown} */ err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
