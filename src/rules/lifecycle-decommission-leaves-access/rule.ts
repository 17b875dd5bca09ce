import { defineRule, type Evidence } from '../../engine/types.js';
import { elements, get, has, into, lacks, out, str } from '../_helpers/index.js';

function isDecommission(spec: Readonly<Record<string, unknown>>): boolean {
  return str(spec, 'process') === 'decommission';
}

export default defineRule({
  meta: {
    id: 'lifecycle-decommission-leaves-access',
    title: 'Decommissioning leaves credentials or memories of retired agents behind',
    threats: ['LC-decommission-leftovers', 'MAS-T22'],
    appliesTo: ['lifecycle', 'agent'],
    severity: 'medium',
    message: '{element}: {problem}',
    placeholders: ['element', 'problem'],
    defences: ['decommissioning-procedure', 'credential-rotation-revocation'],
    detectionLogic:
      'For each lifecycle process decommission: flag it when revokesCredentials is not true, or when purgesMemory is not true while a target (every agent when it names no targets) writes a persistent memory. Then flag each agent that holds declared credentials (identity.credentials) and that no decommission process covers (by its targets, or by naming no targets). The rule needs a lifecycle section: without one it reports the model as not assessed.',
    falsePositives:
      'Credentials that expire within days need less revocation; the finding still asks that retiring an agent is a written step. Memory purge may be deliberately replaced by archiving: declare purgesMemory true when archives are access-controlled.',
    requires: ['lifecycle'],
  },
  check(ctx) {
    const m = ctx.model;
    const decommissions = elements(m, 'lifecycle').filter((l) => isDecommission(l.spec));
    const coverAll = decommissions.some((l) => !Array.isArray(l.spec['targets']) || l.spec['targets'].length === 0);
    /** The first persistent memory written by one of `agents` (in their order, then write order). */
    const firstPersistent = (agents: Iterable<number>): number => {
      for (const a of agents) for (const mem of out(m, a, 'writes')) if (str(m.graph.specs[mem] ?? {}, 'persistence') !== 'session') return mem;
      return -1;
    };
    /** firstPersistent over every agent, for processes that name no targets (computed once; -2 until then). */
    let everyAgent = -2;
    for (const l of decommissions) {
      const problems: string[] = [];
      const evidence: Evidence[] = [];
      if (l.spec['revokesCredentials'] !== true) {
        problems.push('credentials are not revoked');
        evidence.push(l.spec['revokesCredentials'] === false ? has(m, l.i, ['revokesCredentials'], false) : lacks(m, l.i, ['revokesCredentials'], 'revocation is not part of the process'));
      }
      if (l.spec['purgesMemory'] !== true) {
        const targeted = into(m, l.i, 'managed-by');
        if (targeted.length === 0 && everyAgent === -2) everyAgent = firstPersistent(m.ofKind('agent'));
        const persistent = targeted.length > 0 ? firstPersistent(targeted.filter((t) => m.kindOf(t) === 'agent')) : everyAgent;
        if (persistent >= 0) {
          problems.push('memories the retired agents wrote are kept');
          evidence.push(l.spec['purgesMemory'] === false ? has(m, l.i, ['purgesMemory'], false) : lacks(m, l.i, ['purgesMemory'], `memory ${m.graph.ids[persistent] ?? ''} outlives the agent`));
        }
      }
      if (problems.length === 0) continue;
      ctx.report({ at: l.i, also: into(m, l.i, 'managed-by'), evidence, data: { element: l.id, problem: `decommissioning leaves access behind: ${problems.join(' and ')}` } });
    }
    if (coverAll) return;
    for (const a of elements(m, 'agent')) {
      const creds = get(a.spec, ['identity', 'credentials']);
      if (!Array.isArray(creds) || creds.length === 0) continue;
      if (out(m, a.i, 'managed-by').some((l) => isDecommission(m.graph.specs[l] ?? {}))) continue;
      ctx.report({
        at: a.i,
        evidence: [has(m, a.i, ['identity', 'credentials'], undefined, `${creds.length} credential(s) and no decommission process covers this agent`)],
        data: { element: a.id, problem: 'the agent holds credentials but no decommission process covers it, so nothing revokes them when it is retired' },
      });
    }
  },
});
