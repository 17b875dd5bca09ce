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
import { getHeapStatistics } from 'node:v8';

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
/** The issue's second budget: 10,000 agents, full analysis with bounded chains, under 10 s. */
const TARGET_BIG_AGENTS = 10000;
const TARGET_BIG_MS = 10000;
/**
 * Whole-graph passes the cross-layer floor counts: the backward best-completion search, the forward
 * best-from-entries search and the strongly connected components each touch every propagation edge at
 * least once (chains, blast closure, dominators and the view come on top).
 */
const CROSS_PASSES = 3;
/** Graph phases within 10x of the calibration kernel: floor / measured >= 0.1. */
const EFF_TARGET = 0.1;
/** Topology sweep: the default subset of the generator's shapes (the sweep is long; --topologies all for every one). */
const SWEEP_DEFAULT = ['tree', 'hub', 'scale-free'];
const SWEEP_SIZES = [TARGET_AGENTS, TARGET_BIG_AGENTS];
/** Stress: a pipeline this long through load, resolve and the cross-layer analysis. */
const STRESS_AGENTS = 100000;
/** Heap cap of the stress child: 3/4 of the machine's memory, between 4 and 16 GB. */
const STRESS_OLD_SPACE_MB = Math.max(4096, Math.min(16384, Math.floor((os.totalmem() / (1024 * 1024)) * 0.75)));
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
 * @property {Mode} mode 'ladder' (the size ladder) or 'sweep' (the topology sweep: no validate, no YAML, no per-rule timing).
 * @property {Record<string, Stats>} phases calibJson, loadJson, validate, resolve, bfs, rules, bfsProp, propBuild, crossLayer, risk, total; calibYaml, loadYaml when measured.
 * @property {number} findings Findings of runRules(resolved, RULES) on this size.
 * @property {CrossFacts | null} cross Facts of the cross-layer analysis (propagation graph size, chain search, blast radius).
 * @property {number} lookupRefs References resolve's lookup kernel looks up.
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

/**
 * Calibration kernel on the propagation graph of the cross-layer analysis (its out-edges are the edge
 * ids offsets[u] .. offsets[u+1], targets[e] the next node): breadth-first search from every unvisited
 * node, each edge touched once. The floor of the graph phase `crossLayer`.
 * @param {{ nodeCount: number, offsets: Int32Array, targets: Int32Array }} g
 */
function bfsPropagation(g) {
  const n = g.nodeCount;
  const off = g.offsets;
  const dst = g.targets;
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
        const w = dst[k] ?? 0;
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

/**
 * Per-traversal kernel of the cross-layer analysis (floor definition 2): typed-array BFS doing the
 * traversals xLayer makes by its nature, with the same sources and bounds: buildPropagation = one pass
 * over every model edge (model CSR) and one over every propagation edge it emits; the backward
 * best-completion search = BFS over in-edges from the crown jewels; the forward best-from-entries
 * search = BFS from the entry sources; the chain search = BFS from the entry sources stopped after
 * `explored` edge touches (its expansion count); strongly connected components and dominators = one
 * whole-graph pass each. The blast radius (one traversal per reported source) is NOT counted, so this
 * floor is lower than "the same traversals" and the efficiency stricter than it could be.
 * Returns the edges touched, by part.
 * @param {{ size: number, outOffsets: Int32Array, outEdges: Int32Array, edgeDst: Int32Array }} model
 * @param {{ nodeCount: number, offsets: Int32Array, targets: Int32Array, inOffsets: Int32Array, inEdges: Int32Array, sources: Int32Array, entrySources: Int32Array, crownJewels: Int32Array }} prop
 * @param {number} explored
 */
function crossKernel(model, prop, explored) {
  const n = prop.nodeCount;
  const seen = new Uint8Array(n);
  const queue = new Int32Array(n);
  /** BFS over out-edges (out = true) or in-edges from `starts`, at most `limit` edge touches. @param {Int32Array} starts @param {boolean} out @param {number} limit */
  const bfsFrom = (starts, out, limit) => {
    seen.fill(0);
    let head = 0;
    let tail = 0;
    let touched = 0;
    for (const s of starts) {
      if (seen[s]) continue;
      seen[s] = 1;
      queue[tail++] = s;
    }
    const off = out ? prop.offsets : prop.inOffsets;
    while (head < tail && touched < limit) {
      const v = queue[head++] ?? 0;
      const end = off[v + 1] ?? 0;
      for (let k = off[v] ?? 0; k < end; k++) {
        const w = out ? (prop.targets[k] ?? 0) : (prop.sources[prop.inEdges[k] ?? 0] ?? 0);
        touched++;
        if (!seen[w]) {
          seen[w] = 1;
          queue[tail++] = w;
        }
      }
    }
    return touched;
  };
  const build = bfsAll(model) + bfsPropagation(prop);
  const backward = bfsFrom(prop.crownJewels, false, Infinity);
  const forward = bfsFrom(prop.entrySources, true, Infinity);
  const chains = bfsFrom(prop.entrySources, true, explored);
  const scc = bfsPropagation(prop);
  const dom = bfsPropagation(prop);
  return { build, backward, forward, chains, scc, dom, total: build + backward + forward + chains + scc + dom };
}

/**
 * Resolve's lookup kernel (the resolve floor, definition "lookup"): what resolve must do per reference,
 * done as plainly as possible: a Map.get of every referenced id string (the model's own reference
 * strings, collected once outside the timing, in document order, against a Map of every element id
 * built outside the timing too) plus one counting pass over the edges (the first pass of a CSR).
 * Numbering the elements (one Map.set per id) and writing the edges are not counted, so the floor is strict.
 * @param {Map<string, number>} index @param {string[]} refs @param {{ size: number, edgeCount: number, edgeSrc: Int32Array }} g
 */
function lookupKernel(index, refs, g) {
  let found = 0;
  for (let i = 0; i < refs.length; i++) if ((index.get(refs[i] ?? '') ?? -1) >= 0) found++;
  const count = new Int32Array(g.size + 1);
  const src = g.edgeSrc;
  for (let e = 0; e < g.edgeCount; e++) {
    const k = (src[e] ?? 0) + 1;
    count[k] = (count[k] ?? 0) + 1;
  }
  return found + (count[g.size] ?? 0);
}

/** Segments of the blast kernel's columns: crown jewels by layer, then the rest by layer (as blast.ts). */
const BLAST_SEGMENTS = 14;
/** The blast radius's default block of rows (blast.ts `blockBytes`). */
const BLAST_BLOCK_BYTES = 32 * 1024 * 1024;

/**
 * What the blast kernel is given, computed once outside the timing: the strongly connected components
 * of the propagation graph (the xLayer run's own, `cross.blast.comp`: definition 2 already counts one
 * whole-graph pass for them) and the columns (elements some step reaches, by segment, padded to words).
 * @param {{ nodeCount: number, elementCount: number, inOffsets: Int32Array, nodeElement: Int32Array }} prop
 * @param {{ comp: Int32Array, components: number }} blast
 * @param {Uint8Array} layers @param {Uint8Array} jewelElement
 */
function blastKernelInput(prop, blast, layers, jewelElement) {
  const n = prop.elementCount;
  const reachable = new Uint8Array(n);
  for (let v = 0; v < prop.nodeCount; v++) if ((prop.inOffsets[v + 1] ?? 0) > (prop.inOffsets[v] ?? 0)) reachable[prop.nodeElement[v] ?? 0] = 1;
  const segOf = (/** @type {number} */ e) => (jewelElement[e] === 1 ? 0 : 7) + (layers[e] ?? 0);
  const size = new Int32Array(BLAST_SEGMENTS);
  for (let e = 0; e < n; e++) if (reachable[e] === 1) size[segOf(e)] = (size[segOf(e)] ?? 0) + 1;
  const start = new Int32Array(BLAST_SEGMENTS + 1);
  for (let s = 0; s < BLAST_SEGMENTS; s++) start[s + 1] = (start[s] ?? 0) + Math.ceil((size[s] ?? 0) / 32) * 32;
  const W = (start[BLAST_SEGMENTS] ?? 0) >>> 5;
  const wordSeg = new Uint8Array(W);
  for (let s = 0; s < BLAST_SEGMENTS; s++) for (let w = (start[s] ?? 0) >>> 5; w < (start[s + 1] ?? 0) >>> 5; w++) wordSeg[w] = s;
  const col = new Int32Array(n).fill(-1);
  const fill = start.slice(0, BLAST_SEGMENTS);
  for (let e = 0; e < n; e++) {
    if (reachable[e] !== 1) continue;
    const s = segOf(e);
    col[e] = fill[s] ?? 0;
    fill[s] = (fill[s] ?? 0) + 1;
  }
  return { comp: blast.comp, C: blast.components, col, W, wordSeg };
}

/**
 * Blast closure kernel (the blast radius part of floor definition 3): reachability counts for every
 * source, done the fastest typed-array way we know, with the blast radius's own bound (rows in blocks of
 * 32 MiB): the condensation's distinct successor lists (one pass over the propagation edges), then, in
 * reverse topological order, each component's row = its own columns OR its successors' rows, popcounted
 * per segment (layer, crown jewel). Rows are stored only for components something reaches; a component
 * nothing reaches with at most one successor does no word work (as in blast.ts). Per-source BFS from the
 * same sources is far slower (it revisits the shared part of every reach: about 46 million edge touches,
 * 160-250 ms, at 1,000 agents), so it is not the floor. Returns the word operations done.
 * @param {{ nodeCount: number, edgeCount: number, offsets: Int32Array, targets: Int32Array, nodeElement: Int32Array }} prop
 * @param {ReturnType<typeof blastKernelInput>} pre
 */
function blastKernel(prop, pre) {
  const { comp, C, col, W, wordSeg } = pre;
  const N = prop.nodeCount;
  const { offsets, targets, nodeElement } = prop;
  const mOff = new Int32Array(C + 1);
  for (let v = 0; v < N; v++) mOff[(comp[v] ?? 0) + 1] = (mOff[(comp[v] ?? 0) + 1] ?? 0) + 1;
  for (let c = 0; c < C; c++) mOff[c + 1] = (mOff[c + 1] ?? 0) + (mOff[c] ?? 0);
  const members = new Int32Array(N);
  const mFill = mOff.slice(0, C);
  for (let v = 0; v < N; v++) {
    const c = comp[v] ?? 0;
    members[mFill[c] ?? 0] = v;
    mFill[c] = (mFill[c] ?? 0) + 1;
  }
  const sOff = new Int32Array(C + 1);
  const succ = new Int32Array(prop.edgeCount);
  const preds = new Int32Array(C);
  const stamp = new Int32Array(C).fill(-1);
  let m = 0;
  for (let c = 0; c < C; c++) {
    for (let k = mOff[c] ?? 0; k < (mOff[c + 1] ?? 0); k++) {
      const v = members[k] ?? 0;
      for (let e = offsets[v] ?? 0; e < (offsets[v + 1] ?? 0); e++) {
        const d = comp[targets[e] ?? 0] ?? 0;
        if (d === c || stamp[d] === c) continue;
        stamp[d] = c;
        succ[m++] = d;
        preds[d] = (preds[d] ?? 0) + 1;
      }
    }
    sOff[c + 1] = m;
  }
  const slot = new Int32Array(C).fill(-1);
  let stored = 0;
  for (let c = 0; c < C; c++) if ((preds[c] ?? 0) > 0) slot[c] = stored++;
  const wb = Math.max(1, Math.min(W, Math.floor(BLAST_BLOCK_BYTES / 4 / Math.max(1, stored + 1))));
  const rows = new Int32Array(stored * wb);
  const scratch = new Int32Array(wb);
  const counts = new Int32Array(C * BLAST_SEGMENTS);
  let work = 0;
  for (let w0 = 0; w0 < W; w0 += wb) {
    const bw = Math.min(W, w0 + wb) - w0;
    for (let c = 0; c < C; c++) {
      const outs = (sOff[c + 1] ?? 0) - (sOff[c] ?? 0);
      const s = slot[c] ?? -1;
      if (s < 0 && outs <= 1) continue;
      const row = s >= 0 ? rows : scratch;
      const base = s >= 0 ? s * wb : 0;
      row.fill(0, base, base + bw);
      for (let k = mOff[c] ?? 0; k < (mOff[c + 1] ?? 0); k++) {
        const cc = col[nodeElement[members[k] ?? 0] ?? 0] ?? -1;
        const w = cc >>> 5;
        if (cc >= 0 && w >= w0 && w < w0 + bw) row[base + w - w0] = (row[base + w - w0] ?? 0) | (1 << (cc & 31));
      }
      for (let k = sOff[c] ?? 0; k < (sOff[c + 1] ?? 0); k++) {
        const sb = (slot[succ[k] ?? 0] ?? 0) * wb;
        for (let i = 0; i < bw; i++) row[base + i] = (row[base + i] ?? 0) | (rows[sb + i] ?? 0);
      }
      const cb = c * BLAST_SEGMENTS;
      for (let i = 0; i < bw; i++) {
        let x = row[base + i] ?? 0;
        if (x === 0) continue;
        x = x - ((x >>> 1) & 0x55555555);
        x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
        const at = cb + (wordSeg[w0 + i] ?? 0);
        counts[at] = (counts[at] ?? 0) + (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
      }
      work += (outs + 1) * bw;
    }
  }
  return work;
}

// ---------------------------------------------------------------------------------------------------------------------
// Measuring one size (runs in a child process; JSON and YAML in separate children)

/**
 * @typedef {'json' | 'yaml'} Part
 * JSON part: calibJson (JSON.parse), loadJson, validate, resolve, bfs, rules, bfsProp, propBuild,
 * crossLayer, risk, total. YAML part: calibYaml (yaml.parse), loadYaml.
 * They run in separate processes because type feedback from YAML-built objects (other hidden classes)
 * would make the JSON path's property accesses polymorphic, and the CLI only ever loads one format.
 */

/**
 * @typedef {'ladder' | 'sweep'} Mode
 * ladder: every phase, the per-rule timing run, the full protocol. sweep (topology sweep): no validate
 * and no per-rule timing run, fewer rounds; the phases that make up the full analysis.
 */

/**
 * Facts of the cross-layer analysis of one size (from its first call).
 * @typedef {object} CrossFacts
 * @property {number} nodes Propagation graph nodes (elements + read nodes).
 * @property {number} edges Propagation graph edges (attack steps).
 * @property {number} entrySources
 * @property {number} crownJewels
 * @property {number} chains Chains returned (at most k).
 * @property {number} explored Path expansions of the chain search.
 * @property {boolean} truncated A bound (k, depth, budget) stopped the chain search.
 * @property {string[]} cutBy Which bounds.
 * @property {number} budget The chain search's expansion budget.
 * @property {number} blastEntries Blast-radius entries in the view (every agent, model, tool, server, memory, dependency).
 * @property {boolean} blastComplete False when the blast work limit cut the closure.
 * @property {number} blastBlocks
 * @property {number} components Strongly connected components of the propagation graph.
 * @property {number} scored Findings scored by scoreFindings.
 * @property {{ build: number, backward: number, forward: number, chains: number, scc: number, dom: number, total: number }} [kernelEdges] Edges the per-traversal kernel touches, by part.
 * @property {number} [blastWords] Word operations of the blast closure kernel (floor definition 3).
 * @property {number[]} [xLayerCalls] ms of every call of the crossLayer phase in order (the cold one
 *   first, then one per round, warm-up rounds included; analyse() inside `total` calls it too, in the
 *   rounds `total` joins): how fast the JIT warms the phase up.
 */

/**
 * @typedef {object} PartResult
 * @property {Part} part
 * @property {Mode} mode
 * @property {number} agents
 * @property {number} bytes Bytes of the text this part loads.
 * @property {boolean} limitRaised
 * @property {number} defaultMaxBytes
 * @property {{ warmup: number, runs: number, rulesWarmup?: number, rulesRuns?: number }} protocol rulesWarmup/rulesRuns apply to the slow analysis phases (rules, risk, total).
 * @property {Record<string, Stats>} phases
 * @property {number} findings Findings of one runRules(resolved, RULES) (JSON part; 0 for YAML).
 * @property {import('../dist/index.js').RuleTiming[]} ruleTiming Per-rule times of one extra warm run with { timing: true } (JSON part, ladder mode).
 * @property {{ assessed: number, unassessed: number } | null} ruleCounts Rules that ran, and rules skipped because the model lacks what they need.
 * @property {CrossFacts | null} cross Cross-layer facts (JSON part).
 * @property {number} lookupRefs References resolve's lookup kernel looks up (JSON part).
 * @property {Record<string, number>} coldMs First call of each phase in this fresh process (JIT cold, like one CLI run).
 * @property {number} edges
 * @property {{ baseline: number, text: number, model: number, graph: number, total: number }} heapMB
 * @property {Record<string, number>} maxRssMB
 * @property {number} sink
 */

/**
 * Phases of the analysis that are slow at scale (seconds at 10,000 agents), so they join fewer rounds
 * (see the protocol). The cross-layer phase is not one of them: it is a graph phase with an efficiency
 * target, so it follows the BENCHMARKS.md protocol (2-3 warm-up runs, median of 10, 5 at >= 3k) like
 * the kernels it is compared with; its first calls are recorded apart (`xLayerCalls`).
 */
const ANALYSIS_PHASES = new Set(['rules', 'risk', 'total']);

/**
 * Measure one format of one size: reads the generated text from `file` (written by the parent), so
 * the process's maxRSS reflects the loader, not the generator.
 * @param {{ agents: number, file: string, part: Part, mode?: Mode, runs?: number | undefined }} opts
 * @returns {Promise<PartResult>}
 */
async function measurePart({ agents, file, part, mode = 'ladder', runs: runsOverride }) {
  const { loadModelText, resolveModel, validateData, runRules, RULES, DEFAULT_LIMITS, analyseCrossLayer, buildPropagation, scoreFindings, analyse, loadCatalogue } = await import('../dist/index.js');
  const { parse: yamlParse } = await import('yaml');
  const { forEachReference } = await import('../dist/model/references.js');
  const format = part;
  const sweep = mode === 'sweep';

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
  /** Calls per sample of a phase (the BFS kernels repeat to be measurable at small sizes); samples are per call. */
  /** @type {Record<string, number>} */
  const reps = {};

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
  /** @type {CrossFacts | null} */
  let crossFacts = null;
  /** @type {{ assessed: number, unassessed: number } | null} */
  let ruleCounts = null;
  /** References the lookup kernel looks up (JSON part). */
  let lookupRefs = 0;

  if (format === 'json') {
    if (!sweep) {
      phases['validate'] = () => {
        const data = JSON.parse(text);
        const t0 = process.hrtime.bigint();
        const k = validateData(data).length;
        validateMs = Number(process.hrtime.bigint() - t0) / 1e6;
        return k;
      };
    }
    phases['resolve'] = () => resolveModel(model).graph.edgeCount;
    // Repeat the BFS kernel enough times to be measurable at small sizes.
    reps['bfs'] = Math.max(1, Math.ceil(2_000_000 / Math.max(1, graph.edgeCount)));
    phases['bfs'] = () => {
      let t = 0;
      for (let i = 0; i < (reps['bfs'] ?? 1); i++) t += bfsAll(graph);
      return t;
    };
    [ms, n] = time(() => bfsAll(graph));
    cold['bfs'] = ms;
    sink += n;
    // Resolve's lookup kernel: the model's reference strings and the id index, collected outside the timing.
    /** @type {string[]} */
    const refs = [];
    for (let i = 0; i < graph.size; i++) forEachReference(resolved.kindOf(i), graph.specs[i], (ref) => refs.push(ref.id));
    const idIndex = new Map(graph.ids.map((id, i) => [id, i]));
    reps['lookup'] = Math.max(1, Math.ceil(200_000 / Math.max(1, refs.length)));
    phases['lookup'] = () => {
      let t = 0;
      for (let i = 0; i < (reps['lookup'] ?? 1); i++) t += lookupKernel(idIndex, refs, graph);
      return t;
    };
    lookupRefs = refs.length;

    // The catalogue is read once, outside every timed region (the CLI reads it once per run too).
    const [catalogueMs, cat] = time(() => loadCatalogue());
    if (cat.diagnostics.length > 0) throw new Error(`the catalogue has ${cat.diagnostics.length} diagnostics: ${cat.diagnostics[0]?.message ?? ''}`);
    const catalogue = cat.catalogue;
    cold['catalogue'] = catalogueMs;

    // Analysis phases: the first call of each is the cold number (and gives the facts); they join the rounds below.
    const [rulesMs, firstRun] = time(() => runRules(resolved, RULES));
    cold['rules'] = rulesMs;
    findings = firstRun.findings.length;
    sink += findings;
    ruleCounts = { assessed: firstRun.assessedRules.length, unassessed: firstRun.unassessedRules.length };
    rss['rules'] = maxRssMB();
    phases['rules'] = () => runRules(resolved, RULES).findings.length;

    const [crossMs, cross] = time(() => analyseCrossLayer(resolved, catalogue));
    cold['crossLayer'] = crossMs;
    rss['crossLayer'] = maxRssMB();
    const prop = cross.graph;
    reps['bfsProp'] = Math.max(1, Math.ceil(2_000_000 / Math.max(1, prop.edgeCount)));
    phases['bfsProp'] = () => {
      let t = 0;
      for (let i = 0; i < (reps['bfsProp'] ?? 1); i++) t += bfsPropagation(prop);
      return t;
    };
    [ms, n] = time(() => bfsPropagation(prop));
    cold['bfsProp'] = ms;
    sink += n;
    // The first step of analyseCrossLayer alone: deriving the propagation graph from the model (semantic
    // rules per element and relation, controls). xLayer minus this = the graph algorithms proper.
    phases['propBuild'] = () => buildPropagation(resolved, catalogue).edgeCount;
    // The risk layer's inputs, exactly as analyse() passes them.
    const riskInputs = { chainCount: cross.chainCount, blastReach: cross.blastReach, chainTotal: cross.view.chains.length, chainExposure: cross.chainExposure };
    const [riskMs, scored] = time(() => scoreFindings(resolved, firstRun.findings, catalogue, riskInputs));
    cold['risk'] = riskMs;
    rss['risk'] = maxRssMB();
    sink += scored.length;
    // Cold full analysis = what one CLI run pays on top of Node start-up and reading the catalogue.
    cold['total'] = (cold[load] ?? 0) + resolveMs + rulesMs + crossMs + riskMs;
    const cs = cross.view.chainStats;
    const st = cross.view.stats;
    crossFacts = {
      nodes: st.nodes,
      edges: st.edges,
      entrySources: st.entrySources,
      crownJewels: st.crownJewels,
      chains: cross.view.chains.length,
      explored: cs.explored,
      truncated: cs.truncated,
      cutBy: [...cs.cutBy],
      budget: cs.budget,
      blastEntries: cross.view.blast.length,
      blastComplete: st.blastComplete,
      blastBlocks: st.blastBlocks,
      components: st.components,
      scored: scored.length,
      xLayerCalls: [crossMs],
    };
    // Floor definition 2: the per-traversal kernel (see crossKernel), timed in the same rounds.
    const kernelEdges = crossKernel(graph, prop, cs.explored);
    crossFacts.kernelEdges = kernelEdges;
    phases['xKernel'] = () => crossKernel(graph, prop, cs.explored).total;
    // Floor definition 3 adds the blast closure kernel (same components, columns and block bound as blast.ts).
    const jewelElement = new Uint8Array(graph.size);
    for (let i = 0; i < graph.size; i++) if (prop.jewelReasons[i] !== undefined) jewelElement[i] = 1;
    const blastPre = blastKernelInput(prop, cross.blast, graph.layers, jewelElement);
    crossFacts.blastWords = blastKernel(prop, blastPre);
    phases['blastKernel'] = () => blastKernel(prop, blastPre);
    phases['crossLayer'] = () => {
      const c = analyseCrossLayer(resolved, catalogue);
      return c.view.chains.length + c.view.blast.length;
    };
    phases['risk'] = () => scoreFindings(resolved, firstRun.findings, catalogue, riskInputs).length;
    // The full analysis of the text, as the CLI runs it: load, resolve, then analyse() (rules, cross-layer,
    // risk and the summaries built from them).
    phases['total'] = () => {
      const m = mustBeClean(loadModelText(text, { format, limits }));
      const a = analyse(resolveModel(m), catalogue, RULES).analysis;
      return a.findings.length + a.crossLayer.chains.length;
    };
  }

  // Protocol (BENCHMARKS.md): warm-ups, then 10 runs; 5 at >= 3k agents. Small inputs get more warm-up
  // (the JIT tiers up on calls, not bytes) and more runs (cheap and noisy). YAML gets fewer: it is slow.
  // The topology sweep (mode 'sweep') runs fewer rounds still: it covers many inputs.
  const big = agents >= 3000;
  const small = agents <= 100;
  const warmup = sweep ? (small ? 5 : big ? 2 : 3) : format === 'yaml' ? (small ? 5 : 1) : small ? 15 : big ? 2 : 5;
  const runs = runsOverride ?? (sweep ? (small ? 10 : big ? 5 : 10) : format === 'yaml' ? (small ? 10 : big ? 3 : 5) : small ? 20 : big ? 5 : 10);
  // The slow analysis phases (rules, risk, total) join fewer rounds: the last `rulesWarmup` warm-up
  // rounds and the first `rulesRuns` timed rounds (still interleaved). When the first calls of the
  // analysis took over RULES_LONG_MS together, those calls are their own warm-up (V8 tiers up hot loops
  // inside one long call): no extra warm-up round. crossLayer (a graph phase, compared with kernels
  // that take part in every round) takes part in every round too.
  const analysisLong = (cold['rules'] ?? 0) + (cold['crossLayer'] ?? 0) + (cold['risk'] ?? 0) > RULES_LONG_MS;
  const rulesWarmup = Math.min(warmup, analysisLong ? 0 : small ? 15 : big || sweep ? 1 : 3);
  const rulesRuns = Math.min(runs, runsOverride ?? (small ? 20 : sweep ? (big ? 2 : 3) : big ? 3 : 7));
  const rulesFrom = warmup - rulesWarmup;
  const rulesTo = warmup + rulesRuns;

  /** @type {Record<string, number[]>} */
  const samples = {};
  for (const name of Object.keys(phases)) samples[name] = [];
  gc();
  for (let round = 0; round < warmup + runs; round++) {
    // Interleaved: every phase once per round, so drift in machine load hits all phases alike.
    for (const [name, fn] of Object.entries(phases)) {
      if (ANALYSIS_PHASES.has(name) && (round < rulesFrom || round >= rulesTo)) continue;
      // A minor GC before each sample clears the previous phase's young garbage. Not a full GC:
      // repeated full GCs make V8 drop optimised code of per-call closures (jsonc-parser's visitor),
      // and every sample would then measure re-compilation instead of the loader.
      minorGc();
      [ms, n] = time(fn);
      sink += n;
      if (name === 'validate') ms = validateMs;
      ms /= reps[name] ?? 1;
      if (round >= warmup) samples[name]?.push(ms);
      if (name === 'crossLayer' && crossFacts?.xLayerCalls) crossFacts.xLayerCalls.push(ms);
    }
    process.stderr.write('.');
  }
  rss['end'] = maxRssMB();

  // One extra (warm) rules run with per-rule timing. Not part of the rules samples: the timing adds a
  // performance.now() pair per rule, and this run is for the ranking of rules, not for the total.
  // Skipped in the topology sweep (it covers many inputs; the ladder ranks the rules).
  /** @type {import('../dist/index.js').RuleTiming[]} */
  let ruleTiming = [];
  if (format === 'json' && !sweep) {
    minorGc();
    const r = runRules(resolved, RULES, { timing: true });
    sink += r.findings.length;
    ruleTiming = (r.timing ?? []).map((t) => ({ rule: t.rule, ms: Math.round(t.ms * 1000) / 1000, findings: t.findings }));
  }

  /** @type {Record<string, Stats>} */
  const phaseStats = {};
  for (const [name, s] of Object.entries(samples)) if (s.length > 0) phaseStats[name] = stats(s);

  // Keep `resolved` and `model` reachable until here so the heap figures above hold.
  sink += resolved.graph.size + (model.agents?.length ?? 0);

  return {
    part,
    mode,
    agents,
    bytes,
    limitRaised,
    defaultMaxBytes: DEFAULT_LIMITS.maxBytes,
    protocol: format === 'json' ? { warmup, runs, rulesWarmup, rulesRuns } : { warmup, runs },
    phases: phaseStats,
    findings,
    ruleTiming,
    ruleCounts,
    cross: crossFacts,
    lookupRefs,
    coldMs: cold,
    edges: graph.edgeCount,
    heapMB: { baseline, text: heapText - baseline, model: heapModel - heapText, graph: heapGraph - heapModel, total: heapGraph },
    maxRssMB: rss,
    sink,
  };
}

/**
 * @typedef {object} StressResult
 * @property {number} agents
 * @property {number} bytes
 * @property {number} elements Elements of the resolved model.
 * @property {number} edges Edges of the resolved graph.
 * @property {boolean} withRules Rules and risk ran too.
 * @property {Record<string, number>} ms One call of each phase (cold: one CLI run pays these).
 * @property {Record<string, number>} maxRssMB After each phase.
 * @property {Partial<CrossFacts>} cross
 * @property {number} findings
 * @property {string[]} raisedLimits Loader limits raised for this input.
 * @property {string | null} failure null when every phase completed; else the phase and the error.
 * @property {boolean} stackOverflow The failure is a "Maximum call stack size exceeded".
 * @property {number} stackSizeKB V8's stack size for this process (the default unless --stack-size).
 * @property {number} heapLimitMB V8's heap limit for this process.
 */

/**
 * Stress: one call each of load (JSON), resolve and the cross-layer analysis (and, with `withRules`,
 * rules and risk) on a very large input, in a process with the default stack size. Any recursion over
 * the model or the graph would throw "Maximum call stack size exceeded" here.
 * @param {{ agents: number, file: string, withRules: boolean }} o
 * @returns {Promise<StressResult>}
 */
async function measureStress({ agents, file, withRules }) {
  const { loadModelText, resolveModel, runRules, RULES, DEFAULT_LIMITS, analyseCrossLayer, scoreFindings, loadCatalogue } = await import('../dist/index.js');
  /** @type {StressResult} */
  const out = {
    agents,
    bytes: 0,
    elements: 0,
    edges: 0,
    withRules,
    ms: {},
    maxRssMB: { start: maxRssMB() },
    cross: {},
    findings: 0,
    raisedLimits: [],
    failure: null,
    stackOverflow: false,
    stackSizeKB: stackSizeKB(),
    heapLimitMB: Math.round(getHeapStatistics().heap_size_limit / MB),
  };
  /**
   * @template T @param {string} phase @param {() => T} fn @returns {T | undefined}
   */
  const step = (phase, fn) => {
    if (out.failure !== null) return undefined;
    process.stderr.write(` ${phase}`);
    try {
      const [ms, r] = time(fn);
      out.ms[phase] = ms;
      out.maxRssMB[phase] = maxRssMB();
      return r;
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      out.stackOverflow = err instanceof RangeError && /call stack/i.test(msg);
      out.failure = `${phase}: ${msg}`;
      return undefined;
    }
  };
  const text = readFileSync(file, 'utf8');
  out.bytes = Buffer.byteLength(text);
  out.maxRssMB['text'] = maxRssMB();
  // A system this size is over the loader's default limits (bytes, JSON nodes, elements): raise exactly those.
  /** @type {Record<string, number>} */
  const limits = { maxBytes: Math.max(out.bytes, text.length), maxNodes: 1e9, maxElements: 1e9 };
  for (const k of Object.keys(limits)) {
    const key = /** @type {keyof typeof DEFAULT_LIMITS} */ (k);
    out.raisedLimits.push(`${k} ${fmtInt(DEFAULT_LIMITS[key])} -> ${fmtInt(limits[k] ?? 0)}`);
  }
  const { catalogue } = loadCatalogue();
  const loaded = step('loadJson', () => loadModelText(text, { format: 'json', limits }));
  if (loaded && (loaded.diagnostics.length > 0 || !loaded.model)) out.failure = `loadJson: ${loaded.diagnostics.length} diagnostics, first: ${loaded.diagnostics[0]?.message ?? ''}`;
  const model = loaded?.model;
  const resolved = model ? step('resolve', () => resolveModel(model)) : undefined;
  if (resolved) {
    out.elements = resolved.graph.size;
    out.edges = resolved.graph.edgeCount;
  }
  const cross = resolved ? step('crossLayer', () => analyseCrossLayer(resolved, catalogue)) : undefined;
  if (cross) {
    const cs = cross.view.chainStats;
    const st = cross.view.stats;
    out.cross = {
      nodes: st.nodes,
      edges: st.edges,
      chains: cross.view.chains.length,
      explored: cs.explored,
      truncated: cs.truncated,
      cutBy: [...cs.cutBy],
      budget: cs.budget,
      blastEntries: cross.view.blast.length,
      blastComplete: st.blastComplete,
      blastBlocks: st.blastBlocks,
      components: st.components,
    };
  }
  if (withRules && resolved && cross) {
    const run = step('rules', () => runRules(resolved, RULES));
    if (run) {
      out.findings = run.findings.length;
      const riskInputs = { chainCount: cross.chainCount, blastReach: cross.blastReach, chainTotal: cross.view.chains.length, chainExposure: cross.chainExposure };
      const scored = step('risk', () => scoreFindings(resolved, run.findings, catalogue, riskInputs));
      if (scored) out.cross.scored = scored.length;
    }
  }
  out.maxRssMB['end'] = maxRssMB();
  return out;
}

/** V8's stack size in KB: --stack-size from execArgv/NODE_OPTIONS when given, else V8's default (984 KB on 64-bit). */
function stackSizeKB() {
  const flags = [...process.execArgv, ...(process.env['NODE_OPTIONS'] ?? '').split(/\s+/)];
  const f = flags.find((a) => a.startsWith('--stack-size='));
  return f ? Number(f.split('=')[1]) : 984;
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
    mode: j.mode,
    phases: { ...j.phases, ...(y?.phases ?? {}) },
    findings: j.findings,
    cross: j.cross,
    lookupRefs: j.lookupRefs,
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
 * @param {{ topology: string, mode: Mode, runs?: number | undefined, profile: boolean }} o
 * @returns {Promise<PartResult>}
 */
function runChild(agents, part, file, o) {
  const args = ['--expose-gc', `--max-old-space-size=${MAX_OLD_SPACE_MB}`];
  if (o.profile) {
    const dir = path.join(RESULTS_DIR, 'prof');
    mkdirSync(dir, { recursive: true });
    args.push('--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${o.topology}-${agents}-${part}${o.mode === 'sweep' ? '-sweep' : ''}.cpuprofile`);
  }
  args.push(fileURLToPath(import.meta.url), '--child', part, '--mode', o.mode, '--size', String(agents), '--input', file);
  if (o.runs !== undefined) args.push('--runs', String(o.runs));
  return /** @type {Promise<PartResult>} */ (spawnChild(args, `${agents} agents, ${part}`));
}

/**
 * Run the stress test in a fresh Node process with a large heap and the default stack size.
 * @param {number} agents @param {string} file @param {boolean} withRules
 * @returns {Promise<StressResult>}
 */
function runStressChild(agents, file, withRules) {
  const args = ['--expose-gc', `--max-old-space-size=${STRESS_OLD_SPACE_MB}`, fileURLToPath(import.meta.url), '--child', 'stress', '--size', String(agents), '--input', file];
  if (withRules) args.push('--stress-rules');
  return /** @type {Promise<StressResult>} */ (spawnChild(args, `stress, ${agents} agents`));
}

/**
 * Spawn `node ARGS`, and resolve with the JSON of its `@@RESULT` line.
 * @param {string[]} args @param {string} label @returns {Promise<unknown>}
 */
function spawnChild(args, label) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => (out += String(d)));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT_TAG));
      if (code !== 0 || !line) {
        reject(new Error(`child (${label}) exited with ${signal ?? String(code)}${out ? `; output:\n${out}` : ''}`));
        return;
      }
      resolve(JSON.parse(line.slice(RESULT_TAG.length)));
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

  const w1 = [6, 8, 9, 11, 10, 9, 9, 7, 8, 8, 8, 8, 8, 10, 7];
  log(`Phases, median ms (topology ${o.topology}, seed ${o.seed})`);
  log(row(['agents', 'elements', 'edges', 'bytes', 'calib ms', 'load json', 'load yaml', 'resolve', 'rules', 'xLayer', 'risk', 'total', 'findings', 'load/calib', 'heap MB'], w1));
  log(row(['', '', '', '(json)', 'JSON.parse', 'ms', 'ms', 'ms', 'ms', 'ms', 'ms', 'ms', '', 'ratio', ''], w1));
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
          r.phases['crossLayer'] ? fmt(med(r, 'crossLayer'), 1) : '-',
          r.phases['risk'] ? fmt(med(r, 'risk'), 1) : '-',
          r.phases['total'] ? fmt(med(r, 'total'), 1) : '-',
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
  log('  xLayer = analyseCrossLayer (propagation graph, top-K chains, blast radius of every agent/model/tool/server/');
  log('  memory/dependency, choke points, suggestions); risk = scoreFindings on the rules\' findings and the xLayer arrays;');
  log('  total = the full analysis of the text: load json + resolve + analyse() (rules + xLayer + risk + summaries).');
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
  const w2 = [6, 10, 9, 8, 8, 8, 8, 9, 9, 8, 8, 9, 8];
  log(row(['agents', 'JSON.parse', 'load json', 'validate', 'parse~', 'load p95', 'load IQR', 'cold load', 'cold res.', 'BFS', 'resolve', 'lookup', 'resolve'], w2));
  log(row(['', 'MB/s', 'MB/s', 'ms', 'ms', 'ms', 'ms', 'ms', 'ms', 'Medge/s', 'BFS eff.', 'kern. ms', 'eff.'], w2));
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
          fmt(med(r, 'lookup'), 2),
          fmt(resolveLookupEff(r), 3),
        ],
        w2,
      ),
    );
  }
  log('  validate = validateData alone (walk + zod + ids/references); parse~ = load json - validate (jsonc-parser');
  log('  duplicate-key scan + JSON.parse + depth check). cold = first call in a fresh process (what one CLI run pays).');
  log('  resolve BFS eff. = (edges / BFS rate) / resolve time (first definition: one BFS pass over the resolved edges).');
  log('  lookup kern. = resolve\'s lookup kernel: a Map.get of every referenced id string of the model (the model\'s own');
  log('  strings, against a Map of every id) + one counting pass over the edges; numbering the elements and writing the');
  log('  edges are not counted. resolve eff. = lookup kernel / resolve: the efficiency the resolve target uses (>= 0.1).');

  log();
  log('Full analysis: cross-layer graph, chain search, graph efficiency');
  const wx = [6, 9, 10, 6, 9, 12, 7, 6, 9, 9, 9, 8, 7, 5, 8];
  log(row(['agents', 'prop.', 'prop.', 'chains', 'chains', 'chains', 'blast', 'blast', 'cold full', 'BFS prop', 'xLayer', 'of which', 'xLayer', '<=10x', 'algo'], wx));
  log(row(['', 'nodes', 'edges', 'found', 'explored', 'truncated by', 'entries', 'compl.', 'ms', 'Medge/s', 'floor ms', 'build ms', 'eff.', '', 'eff.'], wx));
  for (const r of results) {
    const c = r.cross;
    const eff = crossEff(r);
    log(
      row(
        [
          String(r.agents),
          c ? fmtInt(c.nodes) : '-',
          c ? fmtInt(c.edges) : '-',
          c ? String(c.chains) : '-',
          c ? fmtInt(c.explored) : '-',
          c ? (c.truncated ? c.cutBy.join('+') : 'no') : '-',
          c ? fmtInt(c.blastEntries) : '-',
          c ? (c.blastComplete ? 'yes' : 'NO') : '-',
          fmt(r.coldMs['total'] ?? NaN, 0),
          c ? fmt(c.edges / (med(r, 'bfsProp') / 1000) / 1e6, 0) : '-',
          fmt(CROSS_PASSES * med(r, 'bfsProp'), 2),
          fmt(med(r, 'propBuild'), 1),
          fmt(eff, 3),
          Number.isFinite(eff) ? (eff >= EFF_TARGET ? 'yes' : 'NO') : '-',
          fmt(algoEff(r), 3),
        ],
        wx,
      ),
    );
  }
  log('  prop. = the propagation graph of the cross-layer analysis (elements + read nodes; attack steps); chains =');
  log('  the top-K search (defaults k 10, depth 8, budget 100,000 expansions): found, expanded, and the bound that');
  log('  stopped it (k = it found K, the normal case); blast entries = elements whose blast radius is reported, compl.');
  log('  = the closure finished within its work limit. cold full = first calls of load + resolve + rules + xLayer + risk');
  log(`  in a fresh process (what one CLI run pays on top of Node start-up). xLayer floor = ${CROSS_PASSES} x (BFS over the`);
  log(`  propagation graph, every edge once): the xLayer algorithms make at least ${CROSS_PASSES} whole-graph passes (backward and`);
  log('  forward best-product searches, strongly connected components); eff. = floor / xLayer median, <=10x = eff. >= 0.1.');
  log('  build = buildPropagation alone (the model -> propagation graph step xLayer starts with); algo eff. = floor /');
  log('  (xLayer - build): the graph algorithms proper (chains, blast radius, dominators, view) against the same floor.');
  log('  Floor definition 2 (per-traversal kernel, phase xKernel): typed-array BFS doing the traversals xLayer must do,');
  log('  same sources and bounds: one pass over the model edges + one over the propagation edges (buildPropagation), BFS');
  log('  over in-edges from the crown jewels (best completion), BFS from the entry sources (best from entries), BFS from');
  log('  the entry sources cut at the chain search\'s expansion count, one pass each for components and dominators; the');
  log('  blast radius (one traversal per reported source) is not counted, so this floor is strict. kernel eff. = xKernel / xLayer:');
  for (const r of results) {
    const k = r.cross?.kernelEdges;
    if (!k || !Number.isFinite(med(r, 'xKernel'))) continue;
    log(
      `    ${r.agents} agents: kernel ${fmt(med(r, 'xKernel'), 2)} ms (${fmtInt(k.total)} edge touches: build ${fmtInt(k.build)}, backward ${fmtInt(k.backward)}, forward ${fmtInt(k.forward)}, chains ${fmtInt(k.chains)}, scc ${fmtInt(k.scc)}, dominators ${fmtInt(k.dom)}); xLayer ${fmt(med(r, 'crossLayer'), 1)} ms; kernel eff. ${fmt(kernelEff(r), 3)} (${fmt(1 / kernelEff(r), 0)}x); build ${fmt(med(r, 'propBuild'), 1)} ms vs its 2 passes ${fmt((med(r, 'xKernel') * k.build) / k.total, 2)} ms: build eff. ${fmt((med(r, 'xKernel') * k.build) / k.total / med(r, 'propBuild'), 3)}`,
    );
  }
  log('  Floor definition 3 (the main crossLayer target): definition 2 + the blast closure kernel (phase blastKernel), so the');
  log('  kernel does every traversal xLayer does, same sources and bounds: the reachability counts of every element by');
  log('  layer and crown jewel over the same strongly connected components and columns, blocks of 32 MiB of rows, rows');
  log('  only for components something reaches (per-source BFS from the same sources would be far slower: it revisits the');
  log('  shared part of every reach). View building (ids and objects for the report) is not counted. eff3 = (xKernel +');
  log('  blastKernel) / xLayer:');
  for (const r of results) {
    if (!Number.isFinite(med(r, 'blastKernel'))) continue;
    log(
      `    ${r.agents} agents: xKernel ${fmt(med(r, 'xKernel'), 2)} + blastKernel ${fmt(med(r, 'blastKernel'), 2)} ms (${fmtInt(r.cross?.blastWords ?? 0)} word operations) = ${fmt(med(r, 'xKernel') + med(r, 'blastKernel'), 2)} ms; xLayer ${fmt(med(r, 'crossLayer'), 1)} ms; eff3 ${fmt(fullKernelEff(r), 3)} (${fmt(1 / fullKernelEff(r), 1)}x)`,
    );
  }
  warmupLines(results, log);

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
  const slopePhases = /** @type {const} */ (['calibJson', 'loadJson', 'validate', 'resolve', 'rules', 'crossLayer', 'risk', 'total', 'loadYaml']);
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
    ['xLayer/bfsP', 'crossLayer', 'bfsProp'],
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

  return { text: lines.join('\n'), slopes };
}

/**
 * crossLayer efficiency: floor / measured, the floor being CROSS_PASSES whole-graph BFS passes over
 * the propagation graph (same process, same rounds).
 * @param {SizeResult} r
 */
function crossEff(r) {
  return (CROSS_PASSES * med(r, 'bfsProp')) / med(r, 'crossLayer');
}
/** The same floor against xLayer minus buildPropagation (the graph algorithms proper). @param {SizeResult} r */
function algoEff(r) {
  const algo = med(r, 'crossLayer') - med(r, 'propBuild');
  return algo > 0 ? (CROSS_PASSES * med(r, 'bfsProp')) / algo : NaN; // medians of separate samples: noise can make it <= 0
}
/** crossLayer efficiency, floor definition 2: the per-traversal kernel (crossKernel) / xLayer. @param {SizeResult} r */
function kernelEff(r) {
  return med(r, 'xKernel') / med(r, 'crossLayer');
}
/**
 * The JIT warm-up of the cross-layer phase, shown next to its warm median: the first calls in order
 * (cold first) and floor definition 3 against the second call, so a reader sees what the first
 * analyses of a process pay before V8 has optimised the phase (the target line uses the warm median,
 * per the BENCHMARKS.md protocol).
 * @param {SizeResult[]} results @param {(line?: string) => void} log
 */
function warmupLines(results, log) {
  const shown = results.filter((r) => (r.cross?.xLayerCalls?.length ?? 0) > 1 && Number.isFinite(med(r, 'blastKernel')));
  if (shown.length === 0) return;
  log('  JIT warm-up of xLayer (ms of its calls in order, the cold one first; eff3 of the 2nd call = kernel / that call):');
  for (const r of shown) {
    const calls = r.cross?.xLayerCalls ?? [];
    const second = calls[1] ?? NaN;
    log(`    ${r.topology} ${r.agents} agents: ${calls.slice(0, 8).map((x) => fmt(x, 1)).join(', ')}${calls.length > 8 ? ', ...' : ''}; 2nd call eff3 ${fmt((med(r, 'xKernel') + med(r, 'blastKernel')) / second, 3)}`);
  }
}

/**
 * crossLayer efficiency, floor definition 3 (the main target): definition 2 + the blast closure kernel.
 * @param {SizeResult} r
 */
function fullKernelEff(r) {
  return (med(r, 'xKernel') + med(r, 'blastKernel')) / med(r, 'crossLayer');
}
/** resolve efficiency, first definition: one BFS over the resolved graph's edges / resolve. @param {SizeResult} r */
function resolveEff(r) {
  return med(r, 'bfs') / med(r, 'resolve');
}
/** resolve efficiency against its lookup kernel (the resolve target): lookupKernel / resolve. @param {SizeResult} r */
function resolveLookupEff(r) {
  return med(r, 'lookup') / med(r, 'resolve');
}

/**
 * The topology sweep: one line per topology and size.
 * @param {SizeResult[]} sweep @param {{ seed: number }} o
 */
function reportSweep(sweep, o) {
  /** @type {string[]} */
  const lines = [];
  const log = (/** @type {string} */ s = '') => lines.push(s);
  const w = [11, 6, 8, 10, 9, 8, 9, 8, 9, 9, 7, 13, 7, 7, 7];
  log(`Topology sweep, median ms (seed ${o.seed}; the full analysis for every generator shape)`);
  log(row(['topology', 'agents', 'elements', 'prop.', 'load json', 'resolve', 'rules', 'xLayer', 'risk', 'total', 'findings', 'chains', 'xLayer', 'xLayer', 'maxRSS'], w));
  log(row(['', '', '', 'edges', 'ms', 'ms', 'ms', 'ms', 'ms', 'ms', '', 'expl./cut', 'eff.', 'eff3', 'MB'], w));
  const sizes = [...new Set(sweep.map((r) => r.agents))].sort((a, b) => a - b);
  for (const agents of sizes) {
    for (const r of sweep.filter((x) => x.agents === agents)) {
      const c = r.cross;
      log(
        row(
          [
            r.topology,
            String(r.agents),
            fmtInt(r.elements),
            c ? fmtInt(c.edges) : '-',
            fmt(med(r, 'loadJson'), 1),
            fmt(med(r, 'resolve'), 1),
            fmt(med(r, 'rules'), 1),
            fmt(med(r, 'crossLayer'), 1),
            fmt(med(r, 'risk'), 1),
            fmt(med(r, 'total'), 1),
            fmtInt(r.findings),
            c ? `${fmtInt(c.explored)}/${c.truncated ? c.cutBy.join('+') : 'no'}` : '-',
            fmt(crossEff(r), 3),
            fmt(fullKernelEff(r), 3),
            fmt(r.maxRssMB['json']?.['end'] ?? NaN, 0),
          ],
          w,
        ),
      );
    }
  }
  log('  One child process per line (lines from the size ladder are reused when topology and size match). Fewer');
  log('  rounds than the ladder: see the protocol in bench/README.md. total = load json + resolve + analyse();');
  log('  chains expl./cut = chain-search expansions / the bound that stopped it; maxRSS = the child at its end.');
  log('  xLayer eff. = floor definition 1 (3 BFS passes over the propagation graph); eff3 = floor definition 3 (see above).');
  warmupLines(sweep, log);
  const raised = sweep.filter((r) => r.limitRaised);
  if (raised.length > 0) log(`  NOTE: inputs over the loader's default maxBytes (${fmtInt(raised[0]?.defaultMaxBytes ?? 0)} bytes) at ${[...new Set(raised.map((r) => r.agents))].join(', ')} agents: the bench raised the limit.`);
  return lines.join('\n');
}

/** @param {StressResult} s */
function reportStress(s) {
  /** @type {string[]} */
  const lines = [];
  const log = (/** @type {string} */ x = '') => lines.push(x);
  const sec = (/** @type {string} */ p) => (s.ms[p] === undefined ? '-' : `${fmt((s.ms[p] ?? 0) / 1000, 1)} s`);
  const rss = (/** @type {string} */ p) => (s.maxRssMB[p] === undefined ? '-' : `${fmt(s.maxRssMB[p] ?? NaN, 0)} MB`);
  log(`Stress: ${fmtInt(s.agents)}-agent pipeline (one call per phase; stack size ${s.stackSizeKB} KB${s.stackSizeKB === 984 ? ", V8's default" : ''}; heap limit ${s.heapLimitMB ? `${fmtInt(s.heapLimitMB)} MB` : '-'})`);
  log(`  input: ${fmtInt(s.bytes)} bytes of JSON; ${fmtInt(s.elements)} elements, ${fmtInt(s.edges)} graph edges`);
  const phases = ['loadJson', 'resolve', 'crossLayer', ...(s.withRules ? ['rules', 'risk'] : [])];
  const w = [12, 10, 12];
  log(row(['phase', 'time', 'maxRSS after'], w));
  for (const p of phases) log(row([p, sec(p), rss(p)], w));
  const c = s.cross;
  if (c.edges !== undefined) {
    log(
      `  propagation graph: ${fmtInt(c.nodes ?? 0)} nodes, ${fmtInt(c.edges)} edges, ${fmtInt(c.components ?? 0)} components; chains: ${c.chains ?? 0} found, ${fmtInt(c.explored ?? 0)} expanded` +
        `${c.truncated ? ` (cut by ${(c.cutBy ?? []).join('+')})` : ''}; blast radius: ${fmtInt(c.blastEntries ?? 0)} entries in ${c.blastBlocks ?? 0} blocks, ${c.blastComplete ? 'complete' : 'CUT by the work limit'}`,
    );
  }
  if (!s.withRules) log('  rules and risk: skipped (minutes and many GB at this size today; --stress-rules runs them too)');
  else log(`  rules: ${fmtInt(s.findings)} findings; risk: ${fmtInt(c.scored ?? 0)} scored`);
  log(`  loader limits raised for this input: ${s.raisedLimits.join(', ')} (the CLI with default limits refuses it)`);
  if (s.failure === null) log(`  completed without a stack overflow (maxRSS ${rss('end')})`);
  else log(`  FAILED${s.stackOverflow ? ' with a STACK OVERFLOW' : ''}: ${s.failure}`);
  return lines.join('\n');
}

/**
 * @typedef {{ agents: number, ms: number | null, ok: boolean | null, worst?: string | null }} Target
 */

/**
 * Every target line: load + resolve and rules at 1000 agents (ladder), the full analysis at 1000 and
 * 10,000 agents (worst topology over the ladder and the sweep), graph efficiency, and the stress run.
 * @param {SizeResult[]} ladder @param {SizeResult[]} sweep @param {StressResult | null} stress
 */
function targets(ladder, sweep, stress) {
  /** @type {string[]} */
  const lines = [];
  const log = (/** @type {string} */ s = '') => lines.push(s);
  const t = ladder.find((r) => r.agents === TARGET_AGENTS);
  /** @type {Target} */
  const target = { agents: TARGET_AGENTS, ms: null, ok: null };
  if (t) {
    const ms = med(t, 'loadJson') + med(t, 'resolve');
    target.ms = ms;
    target.ok = ms < TARGET_MS;
    log(`target: ${TARGET_AGENTS} agents load (json) + resolve = ${fmt(ms, 1)} ms < ${TARGET_MS} ms: ${target.ok ? 'OK' : 'MISSED'}`);
  }
  /** @type {Target} */
  const targetRules = { agents: TARGET_AGENTS, ms: null, ok: null };
  if (t?.phases['rules']) {
    const ms = med(t, 'rules');
    targetRules.ms = ms;
    targetRules.ok = ms < TARGET_MS;
    log(`target: ${TARGET_AGENTS} agents rules = ${fmt(ms, 1)} ms < ${TARGET_MS} ms: ${targetRules.ok ? 'OK' : 'MISSED'}`);
  }
  const all = [...new Set([...ladder, ...sweep])].filter((r) => r.phases['total']);
  /** @type {Target[]} */
  const full = [];
  for (const [agents, budget] of /** @type {[number, number][]} */ ([
    [TARGET_AGENTS, TARGET_MS],
    [TARGET_BIG_AGENTS, TARGET_BIG_MS],
  ])) {
    const rs = all.filter((r) => r.agents === agents);
    if (rs.length === 0) {
      log(`target: ${agents} agents full analysis: not run (size not in --sizes or --sweep-sizes)`);
      full.push({ agents, ms: null, ok: null, worst: null });
      continue;
    }
    const worst = rs.reduce((a, b) => (med(b, 'total') > med(a, 'total') ? b : a));
    const ms = med(worst, 'total');
    const ok = ms < budget;
    const each = rs.map((r) => `${r.topology} ${fmt(med(r, 'total'), 0)}`).join(', ');
    log(`target: ${agents} agents full analysis = ${fmt(ms, 1)} ms < ${budget} ms: ${ok ? 'OK' : 'MISSED'} (worst topology ${worst.topology}; ${each})`);
    if (!ok) {
      // Which phase eats the budget: the largest median among the parts.
      const parts = ['loadJson', 'resolve', 'rules', 'crossLayer', 'risk'].map((p) => /** @type {[string, number]} */ ([p, med(worst, p)]));
      const rest = ms - parts.reduce((acc, [, x]) => acc + x, 0);
      log(`        parts at ${worst.topology} (medians): ${parts.map(([p, x]) => `${p} ${fmt(x, 0)}`).join(', ')}; rest ${fmt(rest, 0)} ms`);
      log('        (rest = total - parts: analyse() building its summaries from the findings, and GC of the second model)');
    }
    full.push({ agents, ms, ok, worst: worst.topology });
  }
  // Graph efficiency at the sizes that matter (>= 1000 agents; below, fixed costs dominate).
  const big = all.filter((r) => r.agents >= TARGET_AGENTS);
  /** @type {Record<string, { eff: number | null, ok: boolean | null, worst: string | null }>} */
  const targetEff = {};
  // The target lines use the kernel that does the phase's own work (resolve: the lookup kernel; crossLayer:
  // floor definition 3); the older definitions stay printed under them, with their own verdicts.
  for (const [name, f] of /** @type {[string, (r: SizeResult) => number][]} */ ([
    ['resolveLookup', resolveLookupEff],
    ['resolve', resolveEff],
    ['crossLayerFull', fullKernelEff],
    ['crossLayer', crossEff],
    ['crossLayerAlgo', algoEff],
    ['crossLayerKernel', kernelEff],
  ])) {
    const rs = big.filter((r) => Number.isFinite(f(r)));
    if (rs.length === 0) continue;
    const worst = rs.reduce((a, b) => (f(b) < f(a) ? b : a));
    const eff = f(worst);
    targetEff[name] = { eff, ok: eff >= EFF_TARGET, worst: `${worst.topology} ${worst.agents}` };
    const where = `worst: ${worst.topology}, ${worst.agents} agents; ${fmt(1 / eff, 1)}x the floor`;
    const verdict = `eff. ${fmt(eff, 3)} >= ${EFF_TARGET}: ${eff >= EFF_TARGET ? 'OK' : 'MISSED'} (${where})`;
    if (name === 'resolveLookup') log(`target: resolve within 10x of its lookup kernel (Map.get of every reference + one edge pass): ${verdict}`);
    else if (name === 'resolve') log(`        first definition (one BFS pass over the resolved edges): ${verdict}`);
    else if (name === 'crossLayerFull') log(`target: crossLayer within 10x of its kernel (floor definition 3: every traversal xLayer does, blast closure included): ${verdict}`);
    else if (name === 'crossLayer') log(`        floor definition 1 (3 BFS passes over the propagation graph): ${verdict}`);
    else if (name === 'crossLayerAlgo') log(`          of which the graph algorithms (xLayer - buildPropagation), same floor: eff. ${fmt(eff, 3)} (${where})`);
    else log(`        floor definition 2 (per-traversal kernel, blast excluded): ${verdict}`);
  }
  /** @type {{ agents: number, ok: boolean | null, stackOverflow: boolean | null }} */
  const targetStress = { agents: stress?.agents ?? STRESS_AGENTS, ok: null, stackOverflow: null };
  if (stress) {
    targetStress.ok = stress.failure === null;
    targetStress.stackOverflow = stress.stackOverflow;
    const sum = (stress.ms['loadJson'] ?? 0) + (stress.ms['resolve'] ?? 0) + (stress.ms['crossLayer'] ?? 0);
    log(
      `target: ${stress.agents} agents pipeline load + resolve + crossLayer${stress.withRules ? ' (+ rules + risk)' : ''} without a stack overflow: ${targetStress.ok ? 'OK' : 'MISSED'}` +
        (targetStress.ok ? ` (${fmt(sum / 1000, 1)} s, maxRSS ${fmt(stress.maxRssMB['end'] ?? NaN, 0)} MB)` : ` (${stress.failure ?? ''})`),
    );
  } else {
    log(`target: ${STRESS_AGENTS} agents pipeline without a stack overflow: not run (npm run bench -- --stress)`);
  }
  return { text: lines.join('\n'), target, targetRules, targetFull: full, targetEff, targetStress };
}

async function main() {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string' },
      quick: { type: 'boolean', default: false },
      topology: { type: 'string', default: 'tree' },
      topologies: { type: 'string' },
      'sweep-sizes': { type: 'string' },
      stress: { type: 'boolean', default: false },
      'stress-agents': { type: 'string', default: String(STRESS_AGENTS) },
      'stress-rules': { type: 'boolean', default: false },
      seed: { type: 'string', default: '1' },
      runs: { type: 'string' },
      'yaml-max': { type: 'string', default: String(YAML_MAX_AGENTS) },
      'in-process': { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      timing: { type: 'boolean', default: false },
      child: { type: 'string' },
      mode: { type: 'string', default: 'ladder' },
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
    if (values.input === undefined) throw new Error('--child needs --input FILE');
    if (values.child === 'stress') {
      const result = await measureStress({ agents: Number(values.size), file: values.input, withRules: values['stress-rules'] });
      process.stdout.write(RESULT_TAG + JSON.stringify(result) + '\n');
      return;
    }
    const part = values.child === 'yaml' ? 'yaml' : values.child === 'json' ? 'json' : undefined;
    if (!part) throw new Error('--child json|yaml|stress');
    const mode = values.mode === 'sweep' ? 'sweep' : values.mode === 'ladder' ? 'ladder' : undefined;
    if (!mode) throw new Error('--mode ladder|sweep');
    const result = await measurePart({ agents: Number(values.size), file: values.input, part, mode, runs });
    process.stdout.write(RESULT_TAG + JSON.stringify(result) + '\n');
    return;
  }
  if (values.report !== undefined) {
    // Re-print the tables of a saved run.
    const saved = /** @type {{ meta: { topology: string, seed: number, yamlMax?: number }, results: SizeResult[], sweep?: SizeResult[], stress?: StressResult | null }} */ (
      JSON.parse(readFileSync(values.report, 'utf8'))
    );
    const sweep = saved.sweep ?? [];
    // Runs saved before the rules phase (or the cross-layer phases) existed lack those fields.
    for (const r of [...saved.results, ...sweep]) {
      r.ruleTiming ??= [];
      r.ruleCounts ??= null;
      r.findings ??= 0;
      r.cross ??= null;
      r.mode ??= 'ladder';
    }
    // The sweep reuses ladder entries: re-link them so the targets do not count them twice.
    const linked = sweep.map((s) => saved.results.find((r) => r.agents === s.agents && r.topology === s.topology) ?? s);
    const out = [];
    if (saved.results.length > 0) out.push(report(saved.results, { topology: saved.meta.topology, seed: saved.meta.seed, yamlMax: saved.meta.yamlMax ?? YAML_MAX_AGENTS, inProcess: false, timing: values.timing }).text, '');
    if (linked.length > 0) out.push(reportSweep(linked, { seed: saved.meta.seed }), '');
    if (saved.stress) out.push(reportStress(saved.stress), '');
    out.push(targets(saved.results, linked, saved.stress ?? null).text);
    console.log(out.join('\n'));
    return;
  }
  if (values.help) {
    console.log('usage: node --expose-gc bench/run.js [--quick] [--sizes 10,100,...|none] [--topology tree|pipeline|small-world|scale-free|hub|dag]');
    console.log('         [--topologies all|none|tree,hub,...] [--sweep-sizes 1000,10000] [--stress [--stress-agents N] [--stress-rules]]');
    console.log('         [--seed N] [--runs N] [--yaml-max N] [--in-process] [--profile] [--timing]');
    console.log('       node bench/run.js --report bench/results/latest.json   # re-print a saved run');
    return;
  }

  const { TOPOLOGIES } = await import('./gen.js');
  /** @param {string} list @param {string} flag */
  const intList = (list, flag) => {
    const xs = list.split(',').map((s) => Number(s.trim()));
    if (xs.some((s) => !Number.isInteger(s) || s < 1)) throw new Error(`${flag} must be a comma-separated list of positive integers`);
    return xs;
  };
  // --stress alone runs only the stress test; with --sizes/--quick/--topologies those run as well.
  const stressOnly = values.stress && values.sizes === undefined && !values.quick && values.topologies === undefined;
  const sizes = stressOnly || values.sizes === 'none' ? [] : values.sizes ? intList(values.sizes, '--sizes') : values.quick ? QUICK_SIZES : FULL_SIZES;
  // The topology sweep: on by default (tree, hub, scale-free) unless --sizes picks the sizes by hand.
  const topoArg = values.topologies ?? (stressOnly || values.sizes !== undefined ? 'none' : SWEEP_DEFAULT.join(','));
  const topologies = topoArg === 'all' ? [...TOPOLOGIES] : topoArg === 'none' ? [] : topoArg.split(',').map((s) => s.trim());
  for (const t of [topology, ...topologies]) if (!TOPOLOGIES.some((x) => x === t)) throw new Error(`unknown topology ${t}; use one of ${TOPOLOGIES.join(', ')}`);
  const sweepSizes = values['sweep-sizes'] ? intList(values['sweep-sizes'], '--sweep-sizes') : values.quick ? [TARGET_AGENTS] : SWEEP_SIZES;
  const stressAgents = intList(values['stress-agents'], '--stress-agents')[0] ?? STRESS_AGENTS;

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
    sweep: { topologies, sizes: topologies.length > 0 ? sweepSizes : [] },
    stress: values.stress ? { agents: stressAgents, rules: values['stress-rules'], maxOldSpaceMB: STRESS_OLD_SPACE_MB } : null,
  };
  console.log(`maestro-tm bench  ${meta.date}`);
  console.log(`node ${meta.node} (V8 ${meta.v8})  ${meta.platform}`);
  console.log(`cpu: ${meta.cpu} x ${meta.cores} cores, ${fmtInt(meta.totalMemMB)} MB RAM; load average ${load0.map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`mode: ${meta.mode}, --max-old-space-size=${MAX_OLD_SPACE_MB}, --expose-gc; sizes ${sizes.join(', ') || 'none'}; topology ${topology}; seed ${seed}`);
  console.log(
    `sweep: ${topologies.length > 0 ? `${topologies.join(', ')} at ${sweepSizes.join(', ')} agents${topoArg === SWEEP_DEFAULT.join(',') ? ' (default subset; --topologies all for every shape)' : ''}` : 'none'}; stress: ${values.stress ? `${fmtInt(stressAgents)}-agent pipeline` : 'no (--stress)'}`,
  );
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
      values['in-process'] ? measurePart({ agents, file, part, runs }) : runChild(agents, part, file, { topology, mode: 'ladder', runs, profile: values.profile });
    const j = await measure('json', g.jsonFile);
    process.stderr.write(g.yamlFile ? ' yaml ' : '');
    const y = g.yamlFile ? await measure('yaml', g.yamlFile) : undefined;
    const r = mergeParts(g, j, y);
    process.stderr.write(`  done in ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)} s\n`);
    results.push(r);
  }

  // Topology sweep: the full analysis for every shape at the target sizes (JSON only, leaner protocol).
  /** @type {SizeResult[]} */
  const sweep = [];
  for (const agents of topologies.length > 0 ? sweepSizes : []) {
    for (const topo of topologies) {
      const reuse = results.find((r) => r.agents === agents && r.topology === topo);
      if (reuse) {
        sweep.push(reuse);
        continue;
      }
      process.stderr.write(`${topo.padStart(11)} ${String(agents).padStart(6)} agents  sweep `);
      const t0 = process.hrtime.bigint();
      const g = await generateInputs({ agents, topology: topo, seed, yamlMax: 0 });
      const j = values['in-process']
        ? await measurePart({ agents, file: g.jsonFile, part: 'json', mode: 'sweep', runs })
        : await runChild(agents, 'json', g.jsonFile, { topology: topo, mode: 'sweep', runs, profile: values.profile });
      sweep.push(mergeParts(g, j, undefined));
      process.stderr.write(`  done in ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)} s\n`);
    }
  }

  // Stress: a very long pipeline through load, resolve and the cross-layer analysis, default stack size.
  /** @type {StressResult | null} */
  let stress = null;
  if (values.stress) {
    process.stderr.write(`stress ${stressAgents} agents pipeline: generate`);
    const t0 = process.hrtime.bigint();
    const g = await generateInputs({ agents: stressAgents, topology: 'pipeline', seed, yamlMax: 0 });
    try {
      stress = values['in-process']
        ? await measureStress({ agents: stressAgents, file: g.jsonFile, withRules: values['stress-rules'] })
        : await runStressChild(stressAgents, g.jsonFile, values['stress-rules']);
    } catch (err) {
      // The child died (out of memory, a crash): report it as a failed stress run.
      const msg = err instanceof Error ? err.message.split('\n').slice(0, 3).join(' ') : String(err);
      stress = { agents: stressAgents, bytes: 0, elements: 0, edges: 0, withRules: values['stress-rules'], ms: {}, maxRssMB: {}, cross: {}, findings: 0, raisedLimits: [], failure: `child process: ${msg}`, stackOverflow: /call stack/i.test(msg), stackSizeKB: stackSizeKB(), heapLimitMB: STRESS_OLD_SPACE_MB };
    }
    process.stderr.write(`  done in ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)} s\n`);
  }

  const load1 = os.loadavg();
  console.log();
  /** @type {Record<string, { pairs: number[], fit: number }>} */
  let slopes = {};
  if (results.length > 0) {
    const r = report(results, { topology, seed, yamlMax, inProcess: values['in-process'], timing: values.timing });
    slopes = r.slopes;
    console.log(r.text);
    console.log();
  }
  if (sweep.length > 0) {
    console.log(reportSweep(sweep, { seed }));
    console.log();
  }
  if (stress) {
    console.log(reportStress(stress));
    console.log();
  }
  const tg = targets(results, sweep, stress);
  console.log(tg.text);
  console.log(`load average at end: ${load1.map((l) => l.toFixed(2)).join(' ')}`);

  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, 'latest.json');
  const stamped = path.join(RESULTS_DIR, `${meta.date.replace(/[:.]/g, '-')}-${topology}.json`);
  const { target, targetRules, targetFull, targetEff, targetStress } = tg;
  const json = JSON.stringify({ meta: { ...meta, loadavgEnd: load1 }, results, sweep, stress, slopes, target, targetRules, targetFull, targetEff, targetStress }, null, 2) + '\n';
  writeFileSync(file, json);
  writeFileSync(stamped, json);
  console.log(`results: ${path.relative(process.cwd(), file)} (and ${path.relative(process.cwd(), stamped)}); inputs in ${path.relative(process.cwd(), path.join(RESULTS_DIR, 'data'))}/`);
  if (values.profile) console.log(`cpu profiles: ${path.relative(process.cwd(), path.join(RESULTS_DIR, 'prof'))}/ (open in Chrome DevTools > Performance)`);
}

main().catch((/** @type {unknown} */ err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
