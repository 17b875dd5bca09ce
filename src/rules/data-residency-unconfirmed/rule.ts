import { defineRule, type Evidence } from '../../engine/types.js';
import { has, lacks, str } from '../_helpers/index.js';
import { regulations } from '../_helpers/ecosystem.js';

/** Regulations with data-transfer or residency duties. */
const RESIDENCY = /gdpr|lgpd|pipl|pdpa|dpdp|appi|pipeda|popia|data.?residency|data.?locali[sz]ation/i;
const GDPR = /gdpr/i;
/** Region names that are in the EU/EEA, or in a country with an EU adequacy decision (UK, Switzerland). */
const EU_LIKE =
  /(^|[^a-z])(eu|eea|europe|emea|uk)([^a-z]|$)|^eu-|europe|germany|frankfurt|france|paris|ireland|dublin|netherlands|amsterdam|belgium|sweden|stockholm|finland|italy|milan|spain|madrid|poland|warsaw|austria|vienna|denmark|copenhagen|portugal|lisbon|norway|oslo|switzerland|zurich|london|uksouth|ukwest/i;

export default defineRule({
  meta: {
    id: 'data-residency-unconfirmed',
    title: 'Data-protection regulation declared, but where hosted models and services process data is unknown or outside the region',
    threats: ['MAS-T46', 'L6-policy-violation'],
    appliesTo: ['model', 'external-system', 'deployment'],
    layer: 'L6',
    severity: 'low',
    message: '{element} {problem} while the system declares {regulations}',
    placeholders: ['element', 'problem', 'regulations'],
    defences: ['context-minimisation', 'data-loss-prevention', 'policy-as-code'],
    detectionLogic:
      'Only when system.regulations names a regulation with residency or transfer duties (GDPR, LGPD, PIPL, PDPA, DPDP, APPI, PIPEDA, POPIA, or data residency): flag hosted-API models and SaaS or storage external systems that declare no region (low). Under GDPR, also flag any model, external system or deployment whose declared region does not look like the EU/EEA or a country with an adequacy decision (medium). Region names are matched by common provider spellings (eu-west-1, europe-west4, westeurope, Frankfurt ...).',
    falsePositives:
      'A transfer outside the region can be lawful (standard contractual clauses, a data processing agreement) and unusual region names may not be recognised; record the legal basis as an accepted risk or declare the region in a recognised form.',
  },
  check(ctx) {
    const m = ctx.model;
    const regs = regulations(m).filter((r) => RESIDENCY.test(r));
    if (regs.length === 0) return;
    const gdpr = regs.some((r) => GDPR.test(r));
    const regEvidence: Evidence = { element: 'system', pointer: '/system/regulations', attribute: 'regulations', value: regs };
    const regText = regs.join(', ');
    const check = (i: number, needsRegion: boolean) => {
      const spec = m.graph.specs[i] ?? {};
      const region = str(spec, 'region');
      if (region === undefined) {
        if (!needsRegion) return;
        ctx.report({ at: i, evidence: [lacks(m, i, ['region'], 'where data is processed is unknown'), regEvidence], data: { element: m.graph.ids[i] ?? '', problem: 'declares no processing region', regulations: regText } });
      } else if (gdpr && !EU_LIKE.test(region)) {
        ctx.report({
          at: i,
          evidence: [has(m, i, ['region'], region, 'not recognised as an EU/EEA or adequate region'), regEvidence],
          data: { element: m.graph.ids[i] ?? '', problem: `processes data in ${region}`, regulations: regText },
          severity: 'medium',
        });
      }
    };
    for (const i of m.ofKind('model')) check(i, str(m.graph.specs[i] ?? {}, 'hosting') === 'hosted-api');
    for (const i of m.ofKind('external-system')) check(i, ['saas', 'storage'].includes(str(m.graph.specs[i] ?? {}, 'type') ?? ''));
    for (const i of m.ofKind('deployment')) check(i, false);
  },
});
