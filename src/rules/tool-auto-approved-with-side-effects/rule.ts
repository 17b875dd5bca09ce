import { defineRule } from '../../engine/types.js';
import type { Evidence } from '../../engine/types.js';
import { elements, grants, has } from '../_helpers/index.js';
import { capEvidence, idList, PRIVILEGED } from '../_helpers/agents.js';

const WORST = new Set(['payment', 'blockchain-transaction', 'execute-code']);

export default defineRule({
  meta: {
    id: 'tool-auto-approved-with-side-effects',
    title: 'A tool that changes the world is set to run without asking',
    threats: ['T10', 'T2'],
    appliesTo: ['agent'],
    severity: 'high',
    message: 'agent {agent} runs {tools} on auto-approve although they can cause {effects}',
    placeholders: ['agent', 'tools', 'effects'],
    defences: ['human-approval', 'risk-based-escalation', 'least-privilege-tool-scopes'],
    detectionLogic:
      'For each tool grant with autoApprove true, take the side effects the grant carries (the grant side effects, else those of the named MCP tools, else those of the tool or server). If any changes the world (write, delete, execute-code, send-message, payment, blockchain-transaction, system-config), report it: auto-approve is what a reviewer tired of prompts switches on, and it removes the human from exactly the calls that need one. A grant that names an approver and also auto-approves is reported with both facts. Payment, blockchain-transaction and execute-code raise the severity to critical.',
    falsePositives:
      'Auto-approving writes inside a disposable workspace (a scratch directory, a test database) is a deliberate trade-off; narrow the grant side effects or scopes to show that, or record an accepted risk.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const a of elements(m, 'agent')) {
      const evidence: Evidence[] = [];
      const tools = new Set<number>();
      const effects = new Set<string>();
      for (const g of grants(m, a.i)) {
        if (typeof g.grant !== 'object' || g.grant === null || (g.grant as Record<string, unknown>)['autoApprove'] !== true) continue;
        const bad = g.sideEffects.filter((e) => PRIVILEGED.includes(e));
        if (bad.length === 0) continue;
        tools.add(g.tool);
        for (const e of bad) effects.add(e);
        evidence.push(has(m, a.i, ['tools', g.index, 'autoApprove'], true, `runs without asking; side effects ${bad.join(', ')}`));
        if (g.approver !== undefined) evidence.push(has(m, a.i, ['tools', g.index, 'approval'], g.approver, 'an approver is named, but auto-approve skips the prompt'));
      }
      if (tools.size === 0) continue;
      const list = [...effects].sort();
      ctx.report({
        at: a.i,
        also: [...tools],
        evidence: capEvidence(m, a.i, evidence),
        data: { agent: a.id, tools: idList(m, tools), effects: list.join(', ') },
        ...(list.some((e) => WORST.has(e)) ? { severity: 'critical' as const } : {}),
      });
    }
  },
});
