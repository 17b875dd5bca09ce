/**
 * Rule engine types. A rule is metadata plus a predicate; findings are structure (ids, pointers,
 * values), never markup: every reporter escapes for its own format.
 */
import type { ElementKind } from '../model/kinds.js';
import type { LayerId } from '../model/layers.js';
import type { ResolvedModel } from '../model/resolve.js';

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';
export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** One fact that raised a finding: which element, which attribute (JSON pointer into the model), what value. */
export interface Evidence {
  readonly element: string;
  /** JSON pointer into the model file, e.g. /agents/0/autonomy. Empty when the fact is an absence. */
  readonly pointer: string;
  /** The attribute path relative to the element, e.g. "autonomy" or "tools[1].scopes". */
  readonly attribute: string;
  /** The observed value (absent when the fact is that nothing is declared). */
  readonly value?: unknown;
  /** Short plain-text note: "declared", "not declared", "reaches via channel c1". No markup. */
  readonly note?: string;
  /**
   * For an element made by `maestro-tm import`: the file and line the fact came from (the element's
   * `importedFrom`, at the attribute's own line when recorded). Filled in by the engine.
   */
  readonly source?: { readonly file: string; readonly line: number };
}

export type FindingStatus = 'open' | 'mitigated';

export interface Finding {
  /** Stable id: `<rule>@<element>`. The key for tracking, diffs and SARIF fingerprints. */
  readonly id: string;
  readonly rule: string;
  readonly threats: readonly string[];
  /** The element the finding is about. */
  readonly element: string;
  /** Every element involved (the primary first). */
  readonly elements: readonly string[];
  readonly kind: ElementKind;
  readonly layer: LayerId;
  readonly severity: Severity;
  /** Plain text with the rule's placeholders filled in. */
  readonly message: string;
  readonly evidence: readonly Evidence[];
  /** Defensive pattern ids that would lower the risk. */
  readonly defences: readonly string[];
  readonly status: FindingStatus;
  /** Declared controls (ids) that mitigate the finding. */
  readonly mitigatedBy: readonly string[];
  /** Declared controls that match but are only partial or planned. */
  readonly partialControls: readonly string[];
}

export interface RuleMeta<P extends string = string> {
  /** kebab-case, equal to the rule's folder name; describes the condition found. */
  readonly id: string;
  readonly title: string;
  /** Catalogue threat ids this rule raises. */
  readonly threats: readonly string[];
  /** Element kinds the rule inspects ('model' for whole-model rules). */
  readonly appliesTo: readonly (ElementKind | 'model')[];
  /** Layer of the finding when it is not the element's own (e.g. an L5 gap found on an agent). */
  readonly layer?: LayerId;
  readonly severity: Severity;
  /** Message with {placeholders}; every placeholder must be given by the predicate. No markup. */
  readonly message: string;
  readonly placeholders: readonly P[];
  /** Defensive pattern ids; a declared control implementing one of them mitigates the finding. */
  readonly defences: readonly string[];
  readonly detectionLogic: string;
  readonly falsePositives: string;
  readonly ratingNotes?: string;
  /**
   * Model sections this rule needs to say anything. When every listed section is empty, the rule
   * is reported as unassessed (the model lacks the information) instead of silently passing.
   */
  readonly requires?: readonly string[];
}

/** What a predicate reports. The engine turns it into a Finding. */
export interface Report<P extends string = string> {
  /** Element index in the graph. */
  readonly at: number;
  readonly evidence: readonly Evidence[];
  readonly data: Readonly<Record<P, string | number>>;
  /** Other elements involved (indexes). */
  readonly also?: readonly number[];
  /** Raise the rule's severity for this finding, with the reason given in evidence. */
  readonly severity?: Severity;
}

export interface RuleContext<P extends string = string> {
  readonly model: ResolvedModel;
  report(r: Report<P>): void;
}

export interface Rule<P extends string = string> {
  readonly meta: RuleMeta<P>;
  check(ctx: RuleContext<P>): void;
}

export function defineRule<const P extends string>(rule: Rule<P>): Rule<P> {
  return rule;
}
