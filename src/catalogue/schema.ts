/**
 * The catalogue's own schema: threats and defensive patterns are data files under catalogue/, one
 * entry a file, each citing the sources of its facts. This module validates them; it never reads files.
 */
import { z } from 'zod';
import { LAYER_IDS, type LayerId } from '../model/layers.js';

export const THREAT_ID = /^(T([1-9]|1[0-5])|MAS-T(1[6-9]|[23][0-9]|4[0-7])|ASI-T1[67]|BV-([1-9]|1[0-2])|L[1-7]-[a-z0-9-]+|X-[a-z0-9-]+|LC-[a-z0-9-]+|ECO-[a-z0-9-]+)$/;
export const PATTERN_ID = /^[a-z][a-z0-9-]{1,63}$/;
export const ATLAS_ID = /^AML\.T\d{4}(\.\d{3})?$/;
export const ATTACK_ID = /^T\d{4}(\.\d{3})?$/;
export const LLM_TOP10_ID = /^LLM(0[1-9]|10):2025$/;
export const ASI_ID = /^ASI(0[1-9]|10)$/;
export const ATTACK_DATA_SOURCE_ID = /^DS\d{4}$/;
export const STRIDE = ['Spoofing', 'Tampering', 'Repudiation', 'Information Disclosure', 'Denial of Service', 'Elevation of Privilege'] as const;

const Layer = z.enum(LAYER_IDS as [LayerId, ...LayerId[]]);
const Source = z.strictObject({
  /** What fact this source supports, e.g. "id and name", "ATLAS AML.T0051". */
  fact: z.string().min(3),
  /** Document, version and place. */
  source: z.string().min(5),
});

const Technique = z.strictObject({ id: z.string(), name: z.string().min(2) });

export const ThreatEntry = z.strictObject({
  id: z.string().regex(THREAT_ID, { message: 'is not a well-formed threat id (T1-T15, MAS-T16..MAS-T47, ASI-T16/17, BV-n, L<n>-slug, X-slug, LC-slug, ECO-slug)' }),
  name: z.string().min(3),
  family: z.enum(['owasp-agentic', 'owasp-agentic-1.1', 'mas-guide', 'maestro-layer', 'cross-layer', 'blindspot', 'lifecycle', 'ecosystem']),
  layers: z.array(Layer).min(1),
  crossLayer: z.boolean().optional(),
  summary: z.string().min(10).max(200),
  description: z.string().min(40),
  /** Threat-composer grammar, in our words. */
  statement: z
    .strictObject({
      source: z.string(),
      prerequisites: z.string(),
      action: z.string(),
      impact: z.string(),
      assets: z.string(),
    })
    .optional(),
  relatesTo: z.array(z.string().regex(/^T([1-9]|1[0-5])$/)).optional(),
  stride: z.array(z.enum(STRIDE)).min(1),
  atlas: z.array(Technique).optional(),
  attack: z.array(Technique).optional(),
  owaspLlm: z.array(z.string().regex(LLM_TOP10_ID)).optional(),
  owaspAgentic: z.array(z.string().regex(ASI_ID)).optional(),
  cwe: z.array(z.string().regex(/^CWE-\d+$/)).optional(),
  /** `rules` (default): detected by rules in src/rules; `manual`: a reviewer must assess it, with the reason. */
  detection: z.enum(['rules', 'manual']).optional(),
  manualReason: z.string().min(10).optional(),
  patterns: z.array(z.string().regex(PATTERN_ID)).optional(),
  /** How to test that the defences work: a red-team scenario and what a working defence does. */
  validation: z
    .strictObject({
      scenario: z.string().min(30),
      expect: z.string().min(10).describe('What a working defence does when the scenario is run.'),
    })
    .optional(),
  /** Signals that would show an attack in progress: what to record, where, and the ATT&CK data source it falls under. */
  telemetry: z
    .array(
      z.strictObject({
        signal: z.string().min(10),
        where: z.string().min(3),
        dataSource: z.string().regex(ATTACK_DATA_SOURCE_ID).optional(),
        dataComponent: z.string().min(3).optional(),
      }),
    )
    .optional(),
  sources: z.array(Source).min(1),
});
export type ThreatEntry = z.infer<typeof ThreatEntry>;

export const PatternEntry = z.strictObject({
  id: z.string().regex(PATTERN_ID),
  name: z.string().min(3),
  summary: z.string().min(10).max(200),
  description: z.string().min(40),
  layers: z.array(Layer).min(1),
  /** Threats the pattern reduces. */
  mitigates: z.array(z.string().regex(THREAT_ID)).min(1),
  /** How much it lowers likelihood when in place: a factor in (0, 1]. */
  reduction: z.number().gt(0).max(1).optional(),
  cost: z.enum(['low', 'medium', 'high']).optional(),
  verify: z.string().min(10).optional(),
  sources: z.array(Source).min(1),
});
export type PatternEntry = z.infer<typeof PatternEntry>;
