import { defineRule } from '../../engine/types.js';
import { elements, untrustedInputs } from '../_helpers/index.js';
import { capEvidence, holdingEvidence, idList, PRIVILEGED, ungated } from '../_helpers/agents.js';

const WORST = new Set(['payment', 'blockchain-transaction', 'execute-code']);

export default defineRule({
  meta: {
    id: 'untrusted-input-reaches-privileged-agent',
    title: 'Untrusted content reaches an agent that can act on the world without a human check',
    threats: ['L1-tool-hijacking-via-prompt-injection', 'T6', 'L3-input-validation-attacks', 'T2', 'L7-agent-goal-manipulation'],
    appliesTo: ['agent'],
    severity: 'high',
    message: 'untrusted content from {sources} reaches agent {agent}, which can cause {effects} without a human check',
    placeholders: ['agent', 'sources', 'effects'],
    defences: ['input-guardrails', 'dual-llm', 'plan-then-execute', 'action-selector', 'context-minimisation'],
    detectionLogic:
      'For each agent, collect the ways untrusted content reaches it: entry points that target it and are not trusted, channels from untrusted humans, external systems or external agents, granted tools that fetch outside content (browser, search, email), and memories it reads that ingest untrusted sources. If there is at least one, and the agent holds a side effect that changes the world (write or any irreversible effect) with no human approval before the action, instructions hidden in that content can steer the tool calls. Payment, blockchain-transaction and execute-code raise the severity to critical.',
    falsePositives:
      'A source is untrusted by its declared trust or, when none is declared, by its kind (a website, an email, a public or customer human, a browser or search tool). Content that is strictly structured (numbers, enums) and never read as text by the model carries little risk; mark such a source trusted or record an accepted risk.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const a of elements(m, 'agent')) {
      const inputs = untrustedInputs(m, a.i);
      if (inputs.length === 0) continue;
      const open = ungated(m, a.i, PRIVILEGED, true);
      if (open.length === 0) continue;
      const effects = [...new Set(open.map((h) => h.effect))].sort();
      const sources = [...new Set(inputs.map((x) => x.from))];
      ctx.report({
        at: a.i,
        also: [...sources, ...new Set(open.map((h) => h.grant.tool))],
        evidence: [...capEvidence(m, a.i, inputs.map((x) => x.evidence), 8), ...capEvidence(m, a.i, open.flatMap((h) => holdingEvidence(m, a.i, h)), 16)],
        data: { agent: a.id, sources: idList(m, sources), effects: effects.join(', ') },
        ...(effects.some((e) => WORST.has(e)) ? { severity: 'critical' as const } : {}),
      });
    }
  },
});
