import { defineRule } from '../../engine/types.js';
import { elements, has, lacks, out, str } from '../_helpers/index.js';
import { capEvidence, effectsOf, PRIVILEGED } from '../_helpers/agents.js';

const FRAMEWORK_TYPES = new Set(['framework', 'library']);

export default defineRule({
  meta: {
    id: 'agent-framework-not-inventoried',
    title: 'Agent names a framework that is not tracked as a dependency',
    threats: ['L3-compromised-framework-components', 'L3-supply-chain-attacks', 'MAS-T20'],
    appliesTo: ['agent'],
    severity: 'low',
    message: 'agent {agent} runs on {framework}, but no framework or library dependency records which version, from where, or whether it is pinned',
    placeholders: ['agent', 'framework'],
    defences: ['dependency-verification', 'pinned-signed-tools'],
    detectionLogic:
      'For each agent that names a framework (the framework field) and depends on no dependency of type framework or library, report it: the code that parses tool calls, builds prompts and routes messages is then outside every supply-chain check the model supports (pinning, signatures, publisher). The severity is raised to medium when the agent holds a side effect that changes the world, since a compromised framework acts with those tools.',
    falsePositives:
      'The framework may be tracked in a separate SBOM; add it as a dependency with its package and version so the model and the SBOM agree.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const a of elements(m, 'agent')) {
      const framework = str(a.spec, 'framework');
      if (framework === undefined || framework.trim() === '') continue;
      const deps = out(m, a.i, 'depends-on').filter((d) => FRAMEWORK_TYPES.has(str(m.graph.specs[d] ?? {}, 'type') ?? ''));
      if (deps.length > 0) continue;
      const powerful = [...effectsOf(m, a.i)].filter((e) => PRIVILEGED.includes(e)).sort();
      ctx.report({
        at: a.i,
        evidence: capEvidence(m, a.i, [
          has(m, a.i, ['framework'], framework),
          lacks(m, a.i, ['dependsOn'], 'no dependency of type framework or library'),
          ...(powerful.length > 0 ? [has(m, a.i, ['tools'], undefined, `holds ${powerful.join(', ')}`)] : []),
        ]),
        data: { agent: a.id, framework },
        ...(powerful.length > 0 ? { severity: 'medium' as const } : {}),
      });
    }
  },
});
