import { defineRule, type Evidence } from '../../engine/types.js';
import type { ResolvedModel } from '../../model/resolve.js';
import { effectiveBoundary, elements, has, into, str } from '../_helpers/index.js';
import { idOf, listEntry } from '../_helpers/models-data-observability.js';

const SHARED_HOST_BOUNDARIES = ['process', 'container', 'host'];

/** Is deployment d the deployment of element i, or one of its parents? */
function runsInside(m: ResolvedModel, i: number, d: number): boolean {
  const g = m.graph;
  let x = g.deployment[i] ?? -1;
  for (let guard = 0; x >= 0 && guard < g.size; guard++) {
    if (x === d) return true;
    x = g.parent[x] ?? -1;
  }
  return false;
}

export default defineRule({
  meta: {
    id: 'observability-colocated-with-observed-agent',
    title: 'Monitoring runs where the agents it watches can alter it',
    threats: ['L5-compromised-observability-tools', 'L5-poisoning-observability-data', 'MAS-T23'],
    appliesTo: ['observability'],
    severity: 'medium',
    message: 'observability {observability} runs in {place} together with agent {agent}, which it is meant to watch, and is not tamper-evident',
    placeholders: ['observability', 'place', 'agent'],
    defences: ['immutable-audit-log', 'agent-isolation'],
    detectionLogic:
      'For each observability element whose tamperEvident is not true and that declares a deployment or boundary: flag it when an agent it covers runs on the same deployment (or inside it), or sits in the same boundary of type process, container or host. An agent that is compromised, or that carries out an injected instruction, can then reach the collector, rewrite or drop its own records, or feed it false telemetry.',
    falsePositives:
      'A sidecar that only forwards records to a remote, write-once store gives the agent no way to rewrite them; declare tamperEvident: true, or the remote store as the observability deployment.',
    requires: ['observability'],
  },
  check(ctx) {
    const m = ctx.model;
    const g = m.graph;
    for (const o of elements(m, 'observability')) {
      if (o.spec['tamperEvident'] === true) continue;
      const d = g.deployment[o.i] ?? -1;
      const b = g.boundary[o.i] ?? -1;
      if (d < 0 && b < 0) continue;
      const bShared = b >= 0 && SHARED_HOST_BOUNDARIES.includes(str(g.specs[b] ?? {}, 'type') ?? '');
      for (const a of new Set(into(m, o.i, 'observed-by'))) {
        if (m.kindOf(a) !== 'agent') continue;
        let place: string | undefined;
        const evidence: Evidence[] = [];
        if (d >= 0 && runsInside(m, a, d)) {
          place = `deployment ${idOf(m, d)}`;
          evidence.push(has(m, o.i, ['deployment'], idOf(m, d)), has(m, a, ['deployment'], idOf(m, g.deployment[a] ?? -1), 'the watched agent runs here'));
        } else if (bShared && effectiveBoundary(m, a) === b) {
          place = `boundary ${idOf(m, b)}`;
          evidence.push(has(m, o.i, ['boundary'], idOf(m, b)), has(m, a, ['boundary'], idOf(m, b), 'the watched agent sits here'));
        }
        if (place === undefined) continue;
        evidence.push(listEntry(m, o.i, ['covers'], idOf(m, a)));
        ctx.report({ at: o.i, also: [a], evidence, data: { observability: o.id, place, agent: idOf(m, a) } });
      }
    }
  },
});
