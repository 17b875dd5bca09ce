import { defineRule, type Evidence } from '../../engine/types.js';
import { get, has, lacks } from '../_helpers/index.js';
import { packageOf } from '../_helpers/ecosystem.js';

const DIGEST = /^(sha256|sha512):[0-9a-f]{32,128}$/i;
const FLOATING = new Set(['latest', 'stable', 'main', 'master', 'edge', 'nightly']);

export default defineRule({
  meta: {
    id: 'dependency-container-image-unpinned',
    title: 'Container image pulled by a mutable tag, or with its signature check off',
    threats: ['L4-compromised-container-images', 'ECO-unpinned-dependency', 'ECO-unsigned-artifact', 'X-supply-chain-attacks'],
    appliesTo: ['dependency', 'tool', 'mcp-server'],
    severity: 'low',
    message: '{element} runs the container image {image} {why}',
    placeholders: ['element', 'image', 'why'],
    defences: ['pinned-signed-tools', 'dependency-verification'],
    detectionLogic:
      'For dependencies, tools and MCP servers whose package registry is docker: the image is pinned only by a content digest (sha256:...) or a declared integrity hash, since tags can be moved. Flag an image with no version or a floating tag (latest, stable, main, ...) at medium, a fixed-looking tag at low, and an explicit signature.signed false or signature.verified false at medium.',
    falsePositives:
      'A registry with immutable tags, or an admission controller that resolves tags to digests, pins the image in practice; record it as a pinned-signed-tools control.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const kind of ['dependency', 'tool', 'mcp-server'] as const) {
      for (const i of m.ofKind(kind)) {
        const spec = m.graph.specs[i] ?? {};
        const p = packageOf(spec);
        if (p?.registry !== 'docker') continue;
        const evidence: Evidence[] = [];
        const why: string[] = [];
        let medium = false;
        const integrity = get(spec, ['package', 'integrity']);
        if (!(p.version !== undefined && DIGEST.test(p.version)) && typeof integrity !== 'string') {
          if (p.version === undefined || FLOATING.has(p.version.toLowerCase())) {
            medium = true;
            evidence.push(p.version === undefined ? lacks(m, i, ['package', 'version'], 'whatever the registry serves is run') : has(m, i, ['package', 'version'], p.version, 'a floating tag'));
            why.push(p.version === undefined ? 'with no tag or digest' : `by the floating tag ${p.version}`);
          } else {
            evidence.push(has(m, i, ['package', 'version'], p.version, 'a tag, not a digest: it can be re-pointed'));
            why.push(`by the tag ${p.version} rather than a digest`);
          }
        }
        const signed = get(spec, ['signature', 'signed']);
        const verified = get(spec, ['signature', 'verified']);
        if (signed === false || verified === false) {
          medium = true;
          evidence.push(has(m, i, ['signature', signed === false ? 'signed' : 'verified'], false));
          why.push('without a signature check');
        }
        if (evidence.length === 0) continue;
        ctx.report({ at: i, evidence, data: { element: m.graph.ids[i] ?? '', image: p.name, why: why.join(' and ') }, ...(medium ? { severity: 'medium' as const } : {}) });
      }
    }
  },
});
