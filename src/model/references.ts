/**
 * Every reference a model can make from one element to another, as data: where it sits, which kinds
 * it may point at, and which graph edge it becomes. The loader checks references with this table and
 * the resolver builds the graph from it, so the two can never disagree.
 */
import type { ElementKind } from './kinds.js';

/** Edge types of the analysis graph. Stored as a Uint8 per edge; the order is part of the API. */
export const EDGE_TYPES = [
  'uses-model', // agent -> model
  'invokes', // agent -> tool | mcp-server
  'reads', // agent -> memory (the agent reads it)
  'writes', // agent -> memory
  'delegates', // agent -> agent
  'accepts-from', // agent -> agent (the agent accepts tasks from the target)
  'approved-by', // agent -> human (a human approves its actions)
  'channel', // from -> to, labelled with the channel element
  'in-boundary', // element -> boundary
  'parent', // boundary -> boundary, deployment -> deployment
  'runs-on', // element -> deployment
  'depends-on', // element -> dependency
  'protected-by', // element -> control (normalised from both control.appliesTo and element.controls)
  'observed-by', // element -> observability
  'managed-by', // element -> lifecycle
  'trained-on', // model -> memory | external-system
  'accesses', // tool | mcp-server -> memory | external-system | ...
  'written-by', // memory -> writer
  'ingests', // memory -> source
  'holds', // element -> asset (normalised from asset.locatedIn)
  'entry', // entry-point -> target
  'entry-source', // entry-point -> source
  'entry-via', // entry-point -> channel
  'spawns', // agent -> agent (templates it creates at run time)
] as const;
export type EdgeType = (typeof EDGE_TYPES)[number];
export const EDGE_TYPE_INDEX: Readonly<Record<EdgeType, number>> = Object.fromEntries(
  EDGE_TYPES.map((t, i) => [t, i]),
) as Record<EdgeType, number>;

const COMPONENTS: readonly ElementKind[] = ['agent', 'model', 'tool', 'mcp-server', 'memory', 'human', 'external-system', 'dependency'];
const ANY: readonly ElementKind[] = [
  'agent',
  'model',
  'tool',
  'mcp-server',
  'memory',
  'channel',
  'human',
  'external-system',
  'dependency',
  'boundary',
  'deployment',
  'observability',
  'control',
  'lifecycle',
  'asset',
  'entry-point',
];

export interface RefRule {
  /** Path inside an element: keys, with '*' for each array item. A trailing '#ref' reads a grant's id. */
  readonly path: readonly string[];
  readonly targets: readonly ElementKind[];
  readonly edge: EdgeType;
  /** true: the edge goes target -> holder (so 'holds' and 'protected-by' read the same from both sides). */
  readonly reverse?: boolean;
  /** A reference to the holder itself is an error. */
  readonly noSelf?: boolean;
}

const placed: readonly RefRule[] = [
  { path: ['boundary'], targets: ['boundary'], edge: 'in-boundary' },
  { path: ['deployment'], targets: ['deployment'], edge: 'runs-on' },
  { path: ['dependsOn', '*'], targets: ['dependency'], edge: 'depends-on', noSelf: true },
];
const common: readonly RefRule[] = [{ path: ['controls', '*'], targets: ['control'], edge: 'protected-by' }];

const toolRefs: readonly RefRule[] = [
  ...common,
  ...placed,
  { path: ['accesses', '*'], targets: ['memory', 'external-system', 'tool', 'mcp-server', 'model', 'dependency'], edge: 'accesses', noSelf: true },
];

/** Reference rules per element kind. */
export const REFERENCE_RULES: Readonly<Record<ElementKind, readonly RefRule[]>> = {
  agent: [
    ...common,
    ...placed,
    { path: ['models', '*'], targets: ['model'], edge: 'uses-model' },
    { path: ['tools', '*', '#ref'], targets: ['tool', 'mcp-server'], edge: 'invokes' },
    { path: ['tools', '*', 'approval'], targets: ['human'], edge: 'approved-by' },
    { path: ['memory', 'reads', '*'], targets: ['memory'], edge: 'reads' },
    { path: ['memory', 'writes', '*'], targets: ['memory'], edge: 'writes' },
    { path: ['delegatesTo', '*'], targets: ['agent'], edge: 'delegates', noSelf: true },
    { path: ['spawns', '*'], targets: ['agent'], edge: 'spawns', noSelf: true },
    { path: ['acceptsFrom', '*'], targets: ['agent'], edge: 'accepts-from', noSelf: true },
    { path: ['approvals', '*', 'approver'], targets: ['human'], edge: 'approved-by' },
  ],
  model: [...common, ...placed, { path: ['trainingData', '*'], targets: ['memory', 'external-system'], edge: 'trained-on' }],
  tool: toolRefs,
  'mcp-server': toolRefs,
  memory: [
    ...common,
    ...placed,
    { path: ['writers', '*'], targets: ['agent', 'human', 'external-system', 'tool', 'mcp-server'], edge: 'written-by' },
    { path: ['ingests', '*'], targets: ['external-system', 'human', 'entry-point', 'agent', 'tool', 'mcp-server', 'memory', 'dependency'], edge: 'ingests', noSelf: true },
  ],
  channel: [
    ...common,
    { path: ['from'], targets: COMPONENTS, edge: 'channel' },
    { path: ['to'], targets: COMPONENTS, edge: 'channel' },
  ],
  human: [...common, ...placed],
  'external-system': [...common, ...placed],
  dependency: [
    ...common,
    ...placed,
    { path: ['usedBy', '*'], targets: ['agent', 'model', 'tool', 'mcp-server', 'memory', 'deployment', 'dependency', 'external-system'], edge: 'depends-on', reverse: true, noSelf: true },
  ],
  boundary: [...common, { path: ['parent'], targets: ['boundary'], edge: 'parent', noSelf: true }],
  deployment: [
    ...common,
    { path: ['boundary'], targets: ['boundary'], edge: 'in-boundary' },
    { path: ['parent'], targets: ['deployment'], edge: 'parent', noSelf: true },
  ],
  observability: [
    ...common,
    { path: ['boundary'], targets: ['boundary'], edge: 'in-boundary' },
    { path: ['deployment'], targets: ['deployment'], edge: 'runs-on' },
    { path: ['covers', '*'], targets: ANY, edge: 'observed-by', reverse: true, noSelf: true },
  ],
  control: [{ path: ['appliesTo', '*'], targets: ANY.filter((k) => k !== 'control'), edge: 'protected-by', reverse: true }],
  lifecycle: [
    ...common,
    { path: ['targets', '*'], targets: ['agent', 'model', 'tool', 'mcp-server', 'memory', 'dependency', 'deployment', 'channel'], edge: 'managed-by', reverse: true },
  ],
  asset: [
    ...common,
    { path: ['locatedIn', '*'], targets: ['agent', 'model', 'tool', 'mcp-server', 'memory', 'external-system', 'deployment', 'human', 'dependency', 'channel'], edge: 'holds', reverse: true },
  ],
  'entry-point': [
    ...common,
    { path: ['target'], targets: ['agent', 'tool', 'mcp-server', 'memory', 'model', 'channel', 'external-system'], edge: 'entry' },
    { path: ['source'], targets: ['human', 'external-system', 'dependency', 'agent', 'tool', 'mcp-server'], edge: 'entry-source' },
    { path: ['via'], targets: ['channel'], edge: 'entry-via' },
  ],
};

export interface FoundRef {
  /** Path from the element to the reference (array indexes as numbers). */
  readonly path: (string | number)[];
  readonly id: string;
  readonly rule: RefRule;
}

/**
 * Calls `visit` for every reference value held by one element, in document order per rule.
 * Iterative; tolerant of wrong shapes (values that are not strings are skipped: the schema reports them).
 */
export function forEachReference(kind: ElementKind, element: unknown, visit: (ref: FoundRef) => void): void {
  const rules = REFERENCE_RULES[kind];
  for (const rule of rules) {
    const p = rule.path;
    // Fast paths for the common shapes: a single key, and a list under a key.
    if (p.length === 1 && p[0] !== undefined && p[0] !== '*' && p[0] !== '#ref') {
      if (isRecord(element) && Object.hasOwn(element, p[0])) {
        const v = element[p[0]];
        if (typeof v === 'string') visit({ path: [p[0]], id: v, rule });
      }
      continue;
    }
    if (p.length === 2 && p[1] === '*' && p[0] !== undefined && p[0] !== '*' && p[0] !== '#ref') {
      if (isRecord(element) && Object.hasOwn(element, p[0])) {
        const list = element[p[0]];
        if (Array.isArray(list)) {
          for (let i = 0; i < list.length; i++) {
            const v: unknown = list[i];
            if (typeof v === 'string') visit({ path: [p[0], i], id: v, rule });
          }
        }
      }
      continue;
    }
    // General case: expand the rule path with an explicit stack (no recursion).
    const stack: { value: unknown; depth: number; path: (string | number)[] }[] = [{ value: element, depth: 0, path: [] }];
    while (stack.length > 0) {
      const top = stack.pop();
      if (!top) break;
      const { value, depth, path } = top;
      if (depth === p.length) {
        if (typeof value === 'string') visit({ path, id: value, rule });
        continue;
      }
      const seg = p[depth];
      if (seg === '*') {
        if (!Array.isArray(value)) continue;
        for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i] as unknown, depth: depth + 1, path: [...path, i] });
      } else if (seg === '#ref') {
        // A tool grant: either the id itself, or an object with `ref`.
        if (typeof value === 'string') stack.push({ value, depth: depth + 1, path });
        else if (isRecord(value) && Object.hasOwn(value, 'ref')) stack.push({ value: value['ref'], depth: depth + 1, path: [...path, 'ref'] });
      } else if (seg !== undefined && isRecord(value) && Object.hasOwn(value, seg)) {
        stack.push({ value: value[seg], depth: depth + 1, path: [...path, seg] });
      }
    }
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
