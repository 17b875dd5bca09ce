import { defineRule, type Evidence } from '../../engine/types.js';
import { elements, get, has, lacks } from '../_helpers/index.js';
import { isExternalAgent } from '../_helpers/models-data-observability.js';

export default defineRule({
  meta: {
    id: 'system-prompt-unversioned',
    title: 'System prompt not under version control',
    threats: ['LC-prompt-update-drift', 'T8'],
    appliesTo: ['agent'],
    severity: 'medium',
    message: 'the instructions of agent {agent} {how}, so a change cannot be reviewed, evaluated, rolled back or traced',
    placeholders: ['agent', 'how'],
    defences: ['evaluation-gates', 'staged-rollout'],
    detectionLogic:
      'For each agent we run: flag it when prompt.versioned is false, or when prompt.source is remote or generated and prompt.versioned is not true. Instructions that change without a version history cannot be compared with what was released, cannot be rolled back, and make it impossible to say which instructions an agent followed when it acted.',
    falsePositives:
      'A remote prompt service that keeps immutable versions and logs which version each call used is versioned; declare prompt.versioned: true.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const a of elements(m, 'agent')) {
      if (isExternalAgent(m, a.i)) continue;
      const versioned = get(a.spec, ['prompt', 'versioned']);
      const source = get(a.spec, ['prompt', 'source']);
      const evidence: Evidence[] = [];
      let how: string;
      if (versioned === false) {
        evidence.push(has(m, a.i, ['prompt', 'versioned'], false));
        how = 'are not versioned';
      } else if ((source === 'remote' || source === 'generated') && versioned !== true) {
        evidence.push(has(m, a.i, ['prompt', 'source'], source), lacks(m, a.i, ['prompt', 'versioned']));
        how = source === 'remote' ? 'are fetched from a remote source with no declared versioning' : 'are generated at run time with no declared versioning';
      } else continue;
      if (source === 'remote' || source === 'generated') {
        if (versioned === false) evidence.push(has(m, a.i, ['prompt', 'source'], source));
        ctx.report({ at: a.i, evidence, data: { agent: a.id, how }, severity: 'high' });
      } else ctx.report({ at: a.i, evidence, data: { agent: a.id, how } });
    }
  },
});
