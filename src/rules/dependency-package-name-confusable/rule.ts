import { defineRule } from '../../engine/types.js';
import { has } from '../_helpers/index.js';
import { editDistance, packageOf, publisherOf } from '../_helpers/ecosystem.js';

/** Most packages compared; beyond this the rule stays linear-ish by skipping the rest. */
const MAX_PACKAGES = 2000;

function normalise(name: string): string {
  return name.toLowerCase().replace(/[-_.]/g, '');
}

/** How far a publisher is trusted: higher is better. */
function trustRank(spec: Readonly<Record<string, unknown>>): number {
  const p = publisherOf(spec);
  const base = p?.trust === 'first-party' ? 6 : p?.trust === 'vendor' ? 4 : p?.trust === 'community' ? 2 : 0;
  return base + (p?.verified === true ? 1 : 0);
}

/** Names that differ only by digits (agent-v1, agent-v2) are versioned siblings, not look-alikes. */
function differOnlyByDigits(a: string, b: string): boolean {
  return a.replace(/\d+/g, '#') === b.replace(/\d+/g, '#');
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
      'Collect the package names of dependencies, tools and MCP servers (at most 2000). Two different names from the same registry (or with no registry declared) are confusable when they are equal after lower-casing and removing "-", "_" and ".", or when one edit turns one into the other (an inserted, deleted or replaced character, or two neighbouring characters swapped; names of 5 characters or more), unless they differ only in digits. The element whose publisher is less trusted is flagged; when both are equally trusted, both are.',
    falsePositives:
      'Families of packages by one publisher can have close names (server-slack and server-stack); when both are intended, verify the publishers and record a dependency-verification control.',
  },
  check(ctx) {
    const m = ctx.model;
    const list: { i: number; name: string; norm: string; registry: string | undefined; rank: number }[] = [];
    for (const kind of ['dependency', 'tool', 'mcp-server'] as const) {
      for (const i of m.ofKind(kind)) {
        if (list.length >= MAX_PACKAGES) break;
        const spec = m.graph.specs[i] ?? {};
        const p = packageOf(spec);
        if (p === undefined || p.name.length < 3) continue;
        list.push({ i, name: p.name, norm: normalise(p.name), registry: p.registry, rank: trustRank(spec) });
      }
    }
    for (let x = 0; x < list.length; x++) {
      const a = list[x];
      if (!a) continue;
      for (let y = x + 1; y < list.length; y++) {
        const b = list[y];
        if (!b || a.name === b.name || a.i === b.i) continue;
        if (a.registry !== undefined && b.registry !== undefined && a.registry !== b.registry) continue;
        const shortest = Math.min(a.name.length, b.name.length);
        const close = a.norm === b.norm || (shortest >= 5 && editDistance(a.name.toLowerCase(), b.name.toLowerCase(), 1) <= 1);
        if (!close || differOnlyByDigits(a.name.toLowerCase(), b.name.toLowerCase())) continue;
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
    }
  },
});
