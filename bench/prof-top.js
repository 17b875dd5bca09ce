// @ts-check
/**
 * Summarise a V8 .cpuprofile (from `npm run bench -- --profile` or `node --cpu-prof`): the functions
 * with the most self time and the most inclusive time, optionally only inside one function.
 *
 *   node bench/prof-top.js bench/results/prof/tree-1000-json.cpuprofile
 *   node bench/prof-top.js bench/results/prof/tree-1000-json.cpuprofile --under loadModelText --top 30
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/**
 * @typedef {{ functionName: string, url: string, lineNumber: number }} CallFrame
 * @typedef {{ id: number, callFrame: CallFrame, children?: number[] }} ProfileNode
 * @typedef {{ nodes: ProfileNode[], samples: number[], timeDeltas: number[] }} Profile
 */

const { values, positionals } = parseArgs({
  options: { under: { type: 'string' }, top: { type: 'string', default: '25' } },
  allowPositionals: true,
});
const file = positionals[0];
if (!file) {
  console.error('usage: node bench/prof-top.js FILE.cpuprofile [--under FUNCTION] [--top N]');
  process.exit(2);
}
const top = Number(values.top);
const profile = /** @type {Profile} */ (JSON.parse(readFileSync(file, 'utf8')));

/** @type {Map<number, ProfileNode>} */
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
/** @type {Map<number, number>} */
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
/** @param {ProfileNode} n */
const label = (n) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;

/** Microseconds per sampled node. */
/** @type {Map<number, number>} */
const time = new Map();
profile.samples.forEach((id, i) => time.set(id, (time.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

/** @type {Map<string, number>} */
const self = new Map();
/** @type {Map<string, number>} */
const inclusive = new Map();
let total = 0;
for (const [id, us] of time) {
  /** @type {ProfileNode[]} */
  const chain = [];
  for (let cur = /** @type {number | undefined} */ (id); cur !== undefined; cur = parent.get(cur)) {
    const n = byId.get(cur);
    if (n) chain.push(n);
  }
  const rootAt = values.under === undefined ? chain.length - 1 : chain.findIndex((n) => n.callFrame.functionName === values.under);
  if (rootAt < 0) continue;
  total += us;
  const leaf = chain[0];
  if (leaf) self.set(label(leaf), (self.get(label(leaf)) ?? 0) + us);
  const seen = new Set();
  for (const n of chain.slice(0, rootAt + 1)) {
    const l = label(n);
    if (seen.has(l)) continue; // recursion: count once per sample
    seen.add(l);
    inclusive.set(l, (inclusive.get(l) ?? 0) + us);
  }
}

/** @param {Map<string, number>} m */
const show = (m) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([l, us]) => `${(us / 1000).toFixed(1).padStart(9)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${l}`)
    .join('\n');

console.log(`${file}${values.under ? `, under ${values.under}` : ''}: ${(total / 1000).toFixed(0)} ms sampled`);
console.log('-- self time');
console.log(show(self));
console.log('-- inclusive time');
console.log(show(inclusive));
