import { defineRule } from '../../engine/types.js';
import { elements, untrustedInputs } from '../_helpers/index.js';
import { capEvidence, egressPaths, idList, sensitiveReads } from '../_helpers/agents.js';

export default defineRule({
  meta: {
    id: 'lethal-trifecta-in-agent',
    title: 'One agent reads private data, sees untrusted content and can send data out',
    threats: ['X-lethal-trifecta', 'L1-tool-hijacking-via-prompt-injection', 'T2'],
    appliesTo: ['agent'],
    severity: 'high',
    message: 'agent {agent} reads private data ({data}), is exposed to untrusted content from {sources} and can send data out through {egress}',
    placeholders: ['agent', 'data', 'sources', 'egress'],
    defences: ['dual-llm', 'plan-then-execute', 'action-selector', 'context-minimisation', 'egress-allowlist', 'data-loss-prevention'],
    detectionLogic:
      'For each agent, look for all three legs at once. Private data: a memory it reads, or a memory or external system one of its tools accesses, with sensitivity confidential or restricted; a pii or credential asset (or any confidential or restricted asset) located in the agent, in what it reads or in its tools; a grant with the credential-access side effect. Untrusted content: entry points, channels, content-fetching tools and ingested memories as found by the shared untrusted-input selector. Outbound channel: a grant with network-egress or send-message, or a channel to an untrusted external system. Restricted data or a crown-jewel asset raises the severity to critical. Evidence names every leg.',
    falsePositives:
      'Egress through a tool whose destinations are fixed (for example an email tool that can only write to one internal address) is still counted: declare an egress allow-list control. A human approval on the outbound tool is not treated as breaking the trifecta, because exfiltration hidden in a URL or message body is easy to approve by mistake.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const a of elements(m, 'agent')) {
      const inputs = untrustedInputs(m, a.i);
      if (inputs.length === 0) continue;
      const data = sensitiveReads(m, a.i);
      if (data.length === 0) continue;
      const egress = egressPaths(m, a.i);
      if (egress.length === 0) continue;
      const uniq = (xs: number[]) => [...new Set(xs)];
      const dataEls = uniq(data.map((d) => d.from));
      const srcEls = uniq(inputs.map((x) => x.from));
      const outEls = uniq(egress.map((e) => e.from));
      ctx.report({
        at: a.i,
        also: [...dataEls, ...srcEls, ...outEls],
        evidence: [
          ...capEvidence(m, a.i, data.map((d) => d.evidence), 8),
          ...capEvidence(m, a.i, inputs.map((x) => x.evidence), 8),
          ...capEvidence(m, a.i, egress.map((e) => e.evidence), 8),
        ],
        data: {
          agent: a.id,
          data: idList(m, dataEls),
          sources: idList(m, srcEls),
          egress: idList(m, outEls),
        },
        ...(data.some((d) => d.severe === true) ? { severity: 'critical' as const } : {}),
      });
    }
  },
});
