import { defineRule, type Evidence } from '../../engine/types.js';
import { elements, has, isExactVersion, lacks } from '../_helpers/index.js';
import { ARTEFACT_DEPENDENCY_TYPES, packageOf } from '../_helpers/ecosystem.js';

export default defineRule({
  meta: {
    id: 'dependency-unpinned',
    title: 'Plugin, framework or library dependency not pinned to an exact version',
    threats: ['ECO-unpinned-dependency', 'BV-3', 'ASI-T17', 'X-supply-chain-attacks'],
    appliesTo: ['dependency'],
    severity: 'medium',
    message: 'dependency {dependency} is not pinned: {why}',
    placeholders: ['dependency', 'why'],
    defences: ['pinned-signed-tools', 'dependency-verification'],
    detectionLogic:
      'For dependencies of type plugin, framework, library or other (container images are left to dependency-container-image-unpinned): flag pinned false; otherwise, unless pinned is true or the package declares an integrity hash, flag a package whose version is missing or not exact (a range, a tag such as latest). A dependency with no package and no pinned field is unknown and not flagged.',
    falsePositives:
      'A lock file may pin the version even though the model writes a range; declare pinned true or the package integrity, or a pinned-signed-tools control.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const d of elements(m, 'dependency')) {
      if (!ARTEFACT_DEPENDENCY_TYPES.includes(String(d.spec['type']))) continue;
      const pkg = packageOf(d.spec);
      if (pkg?.registry === 'docker') continue;
      const pinned = d.spec['pinned'];
      let evidence: Evidence | undefined;
      let why = '';
      if (pinned === false) {
        evidence = has(m, d.i, ['pinned'], false);
        why = 'pinned is false';
      } else if (pinned !== true && pkg !== undefined && !isExactVersion(pkg.version) && typeof (d.spec['package'] as Record<string, unknown>)['integrity'] !== 'string') {
        evidence = pkg.version === undefined ? lacks(m, d.i, ['package', 'version'], 'no version: the newest release is installed') : has(m, d.i, ['package', 'version'], pkg.version, 'not an exact version');
        why = pkg.version === undefined ? `package ${pkg.name} has no version` : `package ${pkg.name} asks for ${pkg.version}`;
      }
      if (evidence === undefined) continue;
      ctx.report({ at: d.i, evidence: [evidence], data: { dependency: d.id, why } });
    }
  },
});
