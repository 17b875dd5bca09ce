import { defineRule } from '../../engine/types.js';
import { has } from '../_helpers/index.js';
import { editDistance, packageOf, publisherOf } from '../_helpers/ecosystem.js';

/** Names longer than this are compared for equality only (as editDistance does). */
const MAX_EDIT_LENGTH = 256;

function normalise(name: string): string {
  return name.toLowerCase().replace(/[-_.]/g, '');
}

/** How far a publisher is trusted: higher is better. */
function trustRank(spec: Readonly<Record<string, unknown>>): number {
  const p = publisherOf(spec);
  const base = p?.trust === 'first-party' ? 6 : p?.trust === 'vendor' ? 4 : p?.trust === 'community' ? 2 : 0;
  return base + (p?.verified === true ? 1 : 0);
}

/** A name with every run of digits replaced: names with equal patterns (agent-v1, agent-v2) differ only by digits and are versioned siblings, not look-alikes. */
function digitPattern(lower: string): string {
  return lower.replace(/\d+/g, '#');
}

export default defineRule({
  meta: {
    id: 'dependency-package-name-confusable',
    title: 'Two declared packages have confusingly similar names (possible typosquat)',
    threats: ['ECO-marketplace-typosquatting', 'BV-3', 'X-supply-chain-attacks'],
    appliesTo: ['dependency', 'tool', 'mcp-server'],
    severity: 'high',
    message: 'package {name} of {element} looks like {other} of {otherElement}: one of them may be a typosquat',
    placeholders: ['name', 'element', 'other', 'otherElement'],
    defences: ['dependency-verification'],
    detectionLogic:
      'Collect the package names of dependencies, tools and MCP servers. Two different names from the same registry (or with no registry declared) are confusable when they are equal after lower-casing and removing "-", "_" and ".", or when one edit turns one into the other (an inserted, deleted or replaced character, or two neighbouring characters swapped; names of 5 characters or more), unless they differ only in digits. Candidate pairs are found through an index of each lower-cased name and its one-character deletions (two names within one edit share a key), so every package is checked whatever the model size. The element whose publisher is less trusted is flagged; when both are equally trusted, both are.',
    falsePositives:
      'Families of packages by one publisher can have close names (server-slack and server-stack); when both are intended, verify the publishers and record a dependency-verification control.',
  },
  check(ctx) {
    const m = ctx.model;
    const list: { i: number; name: string; lower: string; norm: string; digits: string; registry: string | undefined; rank: number }[] = [];
    for (const kind of ['dependency', 'tool', 'mcp-server'] as const) {
      for (const i of m.ofKind(kind)) {
        const spec = m.graph.specs[i] ?? {};
        const p = packageOf(spec);
        if (p === undefined || p.name.length < 3) continue;
        const lower = p.name.toLowerCase();
        list.push({ i, name: p.name, lower, norm: normalise(p.name), digits: digitPattern(lower), registry: p.registry, rank: trustRank(spec) });
      }
    }
    // Candidate pairs: names equal once normalised, or sharing a key among their lower-cased form and its
    // one-character deletions (any two strings within one insertion, deletion, substitution or swap of
    // neighbours share such a key). Entries with the same exact name are never compared with each other,
    // so the index holds distinct names; every candidate pair of entries is then checked as before.
    const names = new Map<string, number[]>();
    for (let x = 0; x < list.length; x++) {
      const a = list[x];
      if (!a) continue;
      const same = names.get(a.name);
      if (same === undefined) names.set(a.name, [x]);
      else same.push(x);
    }
    const groups = [...names.values()];
    const byKey = new Map<string, number[]>();
    const index = (key: string, g: number) => {
      const bucket = byKey.get(key);
      if (bucket === undefined) byKey.set(key, [g]);
      else if (bucket[bucket.length - 1] !== g) bucket.push(g);
    };
    for (let g = 0; g < groups.length; g++) {
      const a = list[groups[g]?.[0] ?? -1];
      if (!a) continue;
      index(`n:${a.norm}`, g);
      index(`d:${a.lower}`, g);
      if (a.lower.length < 5 || a.lower.length > MAX_EDIT_LENGTH) continue;
      for (let k = 0; k < a.lower.length; k++) index(`d:${a.lower.slice(0, k)}${a.lower.slice(k + 1)}`, g);
    }
    const groupPairs = new Set<number>();
    const candidates: [number, number][] = [];
    for (const bucket of byKey.values()) {
      for (let p = 0; p < bucket.length; p++) {
        for (let q = p + 1; q < bucket.length; q++) {
          const g1 = Math.min(bucket[p] ?? 0, bucket[q] ?? 0);
          const g2 = Math.max(bucket[p] ?? 0, bucket[q] ?? 0);
          const key = g1 * groups.length + g2;
          if (groupPairs.has(key)) continue;
          groupPairs.add(key);
          for (const x of groups[g1] ?? []) for (const y of groups[g2] ?? []) candidates.push(x < y ? [x, y] : [y, x]);
        }
      }
    }
    // The order of a pairwise scan (x, then y > x), so evidence comes out as it always has.
    candidates.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
    for (const [x, y] of candidates) {
      const a = list[x];
      const b = list[y];
      if (!a || !b || a.name === b.name || a.i === b.i) continue;
      if (a.registry !== undefined && b.registry !== undefined && a.registry !== b.registry) continue;
      if (a.digits === b.digits) continue; // versioned siblings, not look-alikes
      const shortest = Math.min(a.name.length, b.name.length);
      const close = a.norm === b.norm || (shortest >= 5 && editDistance(a.lower, b.lower, 1) <= 1);
      if (!close) continue;
      const pairs = a.rank < b.rank ? [[a, b]] : b.rank < a.rank ? [[b, a]] : [[a, b], [b, a]];
      for (const [sus, ref] of pairs) {
        if (!sus || !ref) continue;
        ctx.report({
          at: sus.i,
          also: [ref.i],
          evidence: [has(m, sus.i, ['package', 'name'], sus.name, `close to ${ref.name}`), has(m, ref.i, ['package', 'name'], ref.name)],
          data: { name: sus.name, element: m.graph.ids[sus.i] ?? '', other: ref.name, otherElement: m.graph.ids[ref.i] ?? '' },
        });
      }
    }
  },
});
