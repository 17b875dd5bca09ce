import { defineRule, type Evidence } from '../../engine/types.js';
import type { ResolvedModel } from '../../model/resolve.js';
import { channelsInto, elements, has, str } from '../_helpers/index.js';
import { CONFIDENTIAL, idOf, isExternalAgent, memoryReaders, sensitivityOf, untrustedReach } from '../_helpers/models-data-observability.js';

const USER_ROLES = ['user', 'customer', 'public'];

/** How agent a is driven by many outside parties: untrusted content, or a channel from users. */
function servesOutsiders(m: ResolvedModel, a: number): Evidence | undefined {
  const r = untrustedReach(m, a)[0];
  if (r !== undefined) return r.evidence;
  for (const c of channelsInto(m, a)) {
    if (c.channel < 0 || m.kindOf(c.from) !== 'human') continue;
    const role = str(m.graph.specs[c.from] ?? {}, 'role');
    if (role === undefined || USER_ROLES.includes(role)) return has(m, c.channel, ['from'], idOf(m, c.from), 'users talk to the agent');
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'sensitive-memory-shared-across-users',
    title: 'Confidential memory shared by everyone an agent serves',
    threats: ['MAS-T28', 'L2-data-exfiltration', 'X-inter-agent-data-leakage-cascade', 'BV-5'],
    appliesTo: ['memory'],
    severity: 'high',
    message: 'memory {memory} holds {sensitivity} data in one shared partition, and agent {agent} reads it while serving outside input',
    placeholders: ['memory', 'sensitivity', 'agent'],
    defences: ['memory-isolation', 'context-minimisation', 'data-loss-prevention'],
    detectionLogic:
      'For each memory with isolation shared and sensitivity confidential or restricted: flag it when an agent we run reads it and that agent is driven by outside input (untrusted content reaches it, or users, customers or the public talk to it over a channel). Any one of those users can then ask, or inject instructions, to have the agent retrieve and repeat records that belong to someone else; the data then travels on to every agent the reader talks to.',
    falsePositives:
      'Row-level or document-level access checks inside a shared store give per-user isolation the model file does not show; declare isolation per-user or per-tenant, or a memory-isolation control.',
    requires: ['memories'],
  },
  check(ctx) {
    const m = ctx.model;
    for (const mem of elements(m, 'memory')) {
      if (str(mem.spec, 'isolation') !== 'shared') continue;
      if (sensitivityOf(m, mem.i) < CONFIDENTIAL) continue;
      const sensitivity = str(mem.spec, 'sensitivity') ?? '';
      for (const a of memoryReaders(m, mem.i)) {
        if (isExternalAgent(m, a)) continue;
        const why = servesOutsiders(m, a);
        if (why === undefined) continue;
        ctx.report({
          at: mem.i,
          also: [a],
          evidence: [has(m, mem.i, ['isolation'], 'shared'), has(m, mem.i, ['sensitivity'], sensitivity), why],
          data: { memory: mem.id, sensitivity, agent: idOf(m, a) },
        });
      }
    }
  },
});
