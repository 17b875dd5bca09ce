import { defineRule, type Evidence } from '../../engine/types.js';
import { elements, has, into, lacks, str } from '../_helpers/index.js';
import { grantEvidence, idOf, irreversibleGrants } from '../_helpers/models-data-observability.js';

const FLOATING = /(^|[^a-z])(latest|stable|preview|current)([^a-z]|$)/i;

export default defineRule({
  meta: {
    id: 'model-version-unpinned',
    title: 'Foundation model used without a pinned version',
    threats: ['LC-model-update-drift', 'MAS-T16'],
    appliesTo: ['model'],
    severity: 'medium',
    message: 'model {model} is not pinned to an exact version ({reason}), so its behaviour can change without a release on our side',
    placeholders: ['model', 'reason'],
    defences: ['model-version-pinning', 'evaluation-gates', 'staged-rollout'],
    detectionLogic:
      'For each model: flag it when pinned is false, or when pinned is not declared and either no version is given for a hosted or self-hosted model, or the version or model name is a floating alias such as latest, stable, preview or current. The severity rises to high when an agent that uses the model holds a tool with an irreversible side effect (payment, blockchain transaction, delete, code execution, sending messages, system configuration).',
    falsePositives:
      'A provider that never changes a model behind a name, or a self-hosted model whose weights are loaded from a content-addressed file, is effectively pinned even when the model does not say pinned: true; declare it. An on-device model without a version is not flagged.',
    requires: ['models'],
  },
  check(ctx) {
    const m = ctx.model;
    for (const mod of elements(m, 'model')) {
      const s = mod.spec;
      const pinned = s['pinned'];
      if (pinned === true) continue;
      const version = str(s, 'version');
      const name = str(s, 'model');
      const hosting = str(s, 'hosting');
      const evidence: Evidence[] = [];
      let reason: string;
      if (pinned === false) {
        evidence.push(has(m, mod.i, ['pinned'], false, 'requests may be served by a newer model'));
        reason = 'pinned is false';
      } else if (version !== undefined && FLOATING.test(version)) {
        evidence.push(has(m, mod.i, ['version'], version, 'floating alias'), lacks(m, mod.i, ['pinned']));
        reason = `version ${version} is an alias`;
      } else if (version === undefined && name !== undefined && FLOATING.test(name)) {
        evidence.push(has(m, mod.i, ['model'], name, 'floating alias'), lacks(m, mod.i, ['pinned']));
        reason = `model name ${name} is an alias`;
      } else if (version === undefined && hosting !== 'on-device' && hosting !== undefined) {
        evidence.push(lacks(m, mod.i, ['version'], 'no version declared'), lacks(m, mod.i, ['pinned']));
        reason = 'no version and no pin declared';
      } else continue;
      let severity: 'high' | undefined;
      for (const a of into(m, mod.i, 'uses-model')) {
        const irr = irreversibleGrants(m, a);
        const first = irr[0];
        if (first === undefined) continue;
        severity = 'high';
        evidence.push(grantEvidence(m, a, first, `${idOf(m, a)} acts irreversibly on this model's output`));
      }
      ctx.report({ at: mod.i, evidence, data: { model: mod.id, reason }, ...(severity ? { severity } : {}) });
    }
  },
});
