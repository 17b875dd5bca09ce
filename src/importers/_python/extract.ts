/**
 * Facts from a Python syntax tree: imports, classes, functions (with decorators and returns),
 * assignments, and every call with its arguments, each with its line and column. Expressions become
 * a small value type (`Expr`) that importers can match without touching the syntax tree.
 *
 * Everything is iterative (explicit stacks); expression conversion is capped in size, and what it
 * does not understand (f-strings, lambdas, comprehensions, operators) becomes a `dyn` value that the
 * importers report as "not resolvable" with its place.
 */
import type { PyNode } from './parser.js';

export interface Place {
  readonly line: number;
  readonly column: number;
}

export type Expr =
  | ({ readonly k: 'str'; readonly v: string } & Place)
  | ({ readonly k: 'num'; readonly v: number } & Place)
  | ({ readonly k: 'bool'; readonly v: boolean } & Place)
  | ({ readonly k: 'none' } & Place)
  /** A plain or dotted name: `x`, `self.tools`, `Process.hierarchical`. */
  | ({ readonly k: 'name'; readonly v: string } & Place)
  /** An attribute of something that is not a name, for example `make().x`. */
  | ({ readonly k: 'attr'; readonly obj: Expr; readonly v: string } & Place)
  | ({ readonly k: 'call'; readonly callee: Expr; readonly args: Expr[]; readonly kwargs: KwArg[]; readonly splat: boolean } & Place)
  | ({ readonly k: 'list'; readonly items: Expr[]; readonly splat: boolean } & Place)
  | ({ readonly k: 'dict'; readonly entries: { readonly key: Expr; readonly value: Expr }[]; readonly splat: boolean } & Place)
  | ({ readonly k: 'sub'; readonly value: Expr; readonly index: Expr } & Place)
  /** Something computed at run time: an f-string, a lambda, an operator, a comprehension... */
  | ({ readonly k: 'dyn'; readonly what: string } & Place);

export interface KwArg {
  readonly name: string;
  readonly value: Expr;
}

export interface PyImport extends Place {
  /** The module, for example "crewai_tools" or ".tools" (relative). */
  readonly module: string;
  /** The imported name ("*" for a star import); for `import x.y` the name is "x.y". */
  readonly name: string;
  /** The local name it is bound to. */
  readonly local: string;
}

export interface PyDef extends Place {
  readonly name: string;
  /** "Class.method", "outer.inner" or just "func". */
  readonly qualified: string;
  readonly cls?: string;
  readonly decorators: Expr[];
  readonly params: string[];
  readonly returns: Expr[];
  /** The first statement, when it is a string. */
  readonly docstring?: string;
}

export interface PyClass extends Place {
  readonly name: string;
  readonly bases: Expr[];
  readonly decorators: Expr[];
}

export interface PyAssign extends Place {
  /** The scope the assignment is in: "" for the module, else the function's qualified name. */
  readonly scope: string;
  /** The class the assignment is in, when it is a class attribute. */
  readonly cls?: string;
  /** The target as written: `x`, `self.x`. */
  readonly target: string;
  readonly value: Expr;
}

export interface PyCall extends Place {
  readonly scope: string;
  readonly call: Expr & { k: 'call' };
}

export interface PyFacts {
  readonly file: string;
  readonly imports: PyImport[];
  readonly defs: PyDef[];
  readonly classes: PyClass[];
  readonly assigns: PyAssign[];
  readonly calls: PyCall[];
  /** Names referenced in `interrupt(...)`-style checks are found through calls; this counts expressions cut short. */
  truncated: number;
}

const MAX_EXPR_NODES = 4_000;
const MAX_STRING = 100_000;

function place(n: PyNode): Place {
  return { line: n.line, column: n.column };
}

function field(n: PyNode, name: string): PyNode | undefined {
  return n.children.find((c) => c.field === name);
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\u0000' };

function unescape(seq: string, raw: boolean): string {
  if (raw) return seq;
  const c = seq.slice(1, 2);
  if (Object.hasOwn(ESCAPES, c)) return ESCAPES[c] ?? seq;
  if (c === '\n') return '';
  const hex = /^\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))$/.exec(seq);
  const code = hex ? parseInt(hex[1] ?? hex[2] ?? hex[3] ?? '', 16) : NaN;
  return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : seq;
}

/** A string literal's value, or undefined for an f-string with interpolations. */
function stringValue(n: PyNode): string | undefined {
  let out = '';
  const prefix = (n.children.find((c) => c.type === 'string_start')?.text ?? '').toLowerCase();
  const raw = prefix.includes('r');
  for (const c of n.children) {
    if (c.type === 'interpolation') return undefined;
    if (c.type === 'string_content') out += c.text ?? '';
    else if (c.type === 'escape_sequence') out += unescape(c.text ?? '', raw);
    if (out.length > MAX_STRING) return out.slice(0, MAX_STRING);
  }
  return out;
}

const DYN_NAMES: Record<string, string> = {
  lambda: 'a lambda',
  list_comprehension: 'a comprehension',
  dictionary_comprehension: 'a comprehension',
  set_comprehension: 'a comprehension',
  generator_expression: 'a generator',
  binary_operator: 'an operator expression',
  boolean_operator: 'an operator expression',
  comparison_operator: 'a comparison',
  not_operator: 'an operator expression',
  unary_operator: 'an operator expression',
  conditional_expression: 'a conditional expression',
  named_expression: 'an assignment expression',
};

/**
 * Convert an expression node. Post-order over an explicit stack: children are converted before their
 * parent, results kept in a map by node.
 */
export function toExpr(root: PyNode): { expr: Expr; truncated: boolean } {
  const order: PyNode[] = [];
  const stack: PyNode[] = [root];
  let truncated = false;
  while (stack.length > 0) {
    const n = stack.pop();
    if (!n) break;
    order.push(n);
    if (order.length > MAX_EXPR_NODES) {
      truncated = true;
      break;
    }
    if (n.type === 'string' || Object.hasOwn(DYN_NAMES, n.type)) continue;
    for (const c of n.children) stack.push(c);
  }
  const done = new Map<PyNode, Expr>();
  const get = (n: PyNode | undefined): Expr => (n ? (done.get(n) ?? { k: 'dyn', what: 'an expression too large to read', ...place(n) }) : { k: 'none', line: 0, column: 0 });
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i];
    if (!n) continue;
    done.set(n, convertOne(n, get));
  }
  return { expr: get(root), truncated };
}

function convertOne(n: PyNode, get: (n: PyNode | undefined) => Expr): Expr {
  const p = place(n);
  switch (n.type) {
    case 'string': {
      const v = stringValue(n);
      return v === undefined ? { k: 'dyn', what: 'an f-string', ...p } : { k: 'str', v, ...p };
    }
    case 'concatenated_string': {
      let out = '';
      for (const c of n.children) {
        const e = get(c);
        if (e.k !== 'str') return { k: 'dyn', what: 'an f-string', ...p };
        out += e.v;
      }
      return { k: 'str', v: out.slice(0, MAX_STRING), ...p };
    }
    case 'integer':
    case 'float': {
      const v = Number((n.text ?? '').replace(/_/g, ''));
      return Number.isFinite(v) ? { k: 'num', v, ...p } : { k: 'dyn', what: 'a number', ...p };
    }
    case 'true':
    case 'false':
      return { k: 'bool', v: n.type === 'true', ...p };
    case 'none':
      return { k: 'none', ...p };
    case 'identifier':
    case 'keyword_identifier':
      return { k: 'name', v: n.text ?? '', ...p };
    case 'attribute': {
      const obj = get(field(n, 'object'));
      const attr = field(n, 'attribute')?.text ?? '';
      return obj.k === 'name' ? { k: 'name', v: `${obj.v}.${attr}`, ...p } : { k: 'attr', obj, v: attr, ...p };
    }
    case 'call': {
      const callee = get(field(n, 'function'));
      const argNode = field(n, 'arguments');
      const args: Expr[] = [];
      const kwargs: KwArg[] = [];
      let splat = false;
      if (argNode?.type === 'generator_expression') args.push(get(argNode));
      for (const a of argNode?.type === 'argument_list' ? argNode.children : []) {
        if (a.type === 'keyword_argument') kwargs.push({ name: field(a, 'name')?.text ?? '', value: get(field(a, 'value')) });
        else if (a.type === 'list_splat' || a.type === 'dictionary_splat') splat = true;
        else if (a.type !== 'comment') args.push(get(a));
      }
      return { k: 'call', callee, args, kwargs, splat, ...p };
    }
    case 'list':
    case 'tuple':
    case 'set':
    case 'expression_list':
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern': {
      const items: Expr[] = [];
      let splat = false;
      for (const c of n.children) {
        if (c.type === 'list_splat' || c.type === 'list_splat_pattern') splat = true;
        else if (c.type !== 'comment') items.push(get(c));
      }
      return { k: 'list', items, splat, ...p };
    }
    case 'dictionary': {
      const entries: { key: Expr; value: Expr }[] = [];
      let splat = false;
      for (const c of n.children) {
        if (c.type === 'pair') entries.push({ key: get(field(c, 'key')), value: get(field(c, 'value')) });
        else if (c.type === 'dictionary_splat') splat = true;
      }
      return { k: 'dict', entries, splat, ...p };
    }
    case 'subscript':
      return { k: 'sub', value: get(field(n, 'value')), index: get(field(n, 'subscript')), ...p };
    case 'parenthesized_expression':
    case 'await':
    case 'expression_statement': {
      const inner = n.children.find((c) => c.type !== 'comment');
      return inner ? get(inner) : { k: 'dyn', what: 'an expression', ...p };
    }
    default:
      return { k: 'dyn', what: DYN_NAMES[n.type] ?? `a ${n.type.replace(/_/g, ' ')}`, ...p };
  }
}

/** The dotted name of a callee or name expression ("" when it is not a plain name). */
export function nameOf(e: Expr | undefined): string {
  return e?.k === 'name' ? e.v : '';
}

/** The last part of a dotted name: `crewai_tools.SerperDevTool` → `SerperDevTool`. */
export function lastPart(name: string): string {
  const i = name.lastIndexOf('.');
  return i < 0 ? name : name.slice(i + 1);
}

export function kwarg(call: Expr & { k: 'call' }, name: string): Expr | undefined {
  for (let i = call.kwargs.length - 1; i >= 0; i--) if (call.kwargs[i]?.name === name) return call.kwargs[i]?.value;
  return undefined;
}

/** Keyword argument `name`, else positional argument `index`. */
export function arg(call: Expr & { k: 'call' }, name: string, index: number): Expr | undefined {
  return kwarg(call, name) ?? (index >= 0 ? call.args[index] : undefined);
}

/** A short text for messages. */
export function describeExpr(e: Expr | undefined): string {
  if (!e) return 'nothing';
  switch (e.k) {
    case 'str':
      return `the text ${JSON.stringify(e.v.length > 40 ? `${e.v.slice(0, 40)}…` : e.v)}`;
    case 'name':
      return `the name ${e.v.slice(0, 80)}`;
    case 'call':
      return `a call of ${nameOf(e.callee) || 'an expression'}`.slice(0, 120);
    case 'dyn':
      return e.what;
    case 'list':
      return 'a list';
    case 'dict':
      return 'a dictionary';
    case 'sub':
      return 'a subscript';
    case 'attr':
      return `the attribute ${e.v}`;
    default:
      return e.k === 'none' ? 'None' : String(e.v);
  }
}

interface Frame {
  readonly node: PyNode;
  readonly scope: string;
  readonly cls?: string;
  /** The def this node's return statements belong to. */
  readonly def?: PyDef & { returns: Expr[] };
  /** Decorators of the function or class this frame defines. */
  readonly decorators?: Expr[];
}

/** Walk a module and collect its facts. */
export function extractFacts(root: PyNode, file: string): PyFacts {
  const facts: PyFacts = { file, imports: [], defs: [], classes: [], assigns: [], calls: [], truncated: 0 };
  const expr = (n: PyNode | undefined): Expr => {
    if (!n) return { k: 'none', line: 0, column: 0 };
    const r = toExpr(n);
    if (r.truncated) facts.truncated++;
    return r.expr;
  };
  const stack: Frame[] = [{ node: root, scope: '' }];
  while (stack.length > 0) {
    const f = stack.pop();
    if (!f) break;
    const n = f.node;
    const withCls = f.cls !== undefined ? { cls: f.cls } : {};
    const withDef = f.def !== undefined ? { def: f.def } : {};
    const push = (c: PyNode, scope = f.scope, extra: Partial<Pick<Frame, 'cls' | 'def'>> = { ...withCls, ...withDef }): void => {
      stack.push({ node: c, scope, ...extra });
    };
    switch (n.type) {
      case 'import_statement':
        for (const c of n.children) {
          if (c.type === 'dotted_name') facts.imports.push({ module: dotted(c), name: dotted(c), local: dotted(c).split('.')[0] ?? '', ...place(c) });
          else if (c.type === 'aliased_import') facts.imports.push({ module: dotted(field(c, 'name')), name: dotted(field(c, 'name')), local: field(c, 'alias')?.text ?? '', ...place(c) });
        }
        continue;
      case 'import_from_statement': {
        const modNode = field(n, 'module_name');
        const module = modNode?.type === 'relative_import' ? relative(modNode) : dotted(modNode);
        for (const c of n.children) {
          if (c.field === 'module_name') continue;
          if (c.type === 'wildcard_import') facts.imports.push({ module, name: '*', local: '*', ...place(c) });
          else if (c.type === 'dotted_name') facts.imports.push({ module, name: dotted(c), local: dotted(c), ...place(c) });
          else if (c.type === 'aliased_import') facts.imports.push({ module, name: dotted(field(c, 'name')), local: field(c, 'alias')?.text ?? '', ...place(c) });
        }
        continue;
      }
      case 'decorated_definition': {
        const decorators = n.children.filter((c) => c.type === 'decorator').map((d) => expr(d.children.find((x) => x.type !== 'comment')));
        const def = field(n, 'definition');
        if (def) stack.push({ node: def, scope: f.scope, ...withCls, ...withDef, decorators });
        continue;
      }
      case 'function_definition': {
        const name = field(n, 'name')?.text ?? '';
        const qualified = [f.cls ?? (f.scope || undefined), name].filter((x) => x !== undefined && x !== '').join('.');
        const params: string[] = [];
        for (const p of field(n, 'parameters')?.children ?? []) {
          const id = p.type === 'identifier' ? p.text : (field(p, 'name') ?? p.children.find((x) => x.type === 'identifier'))?.text;
          if (id !== undefined) params.push(id);
        }
        const body = field(n, 'body');
        const first = body?.children[0];
        const doc = first?.type === 'expression_statement' && first.children[0]?.type === 'string' ? stringValue(first.children[0]) : undefined;
        const decorators = f.decorators ?? [];
        const def: PyDef & { returns: Expr[] } = {
          name,
          qualified,
          ...withCls,
          decorators,
          params,
          returns: [],
          ...(doc !== undefined ? { docstring: doc.slice(0, 2000) } : {}),
          ...place(n),
        };
        facts.defs.push(def);
        // Default values of parameters are evaluated in the enclosing scope.
        for (const p of field(n, 'parameters')?.children ?? []) for (const c of p.children) if (c.field === 'value') push(c);
        if (body) for (let i = body.children.length - 1; i >= 0; i--) stack.push({ node: body.children[i] as PyNode, scope: qualified, def });
        continue;
      }
      case 'class_definition': {
        const name = field(n, 'name')?.text ?? '';
        const bases = (field(n, 'superclasses')?.children ?? []).filter((c) => c.type !== 'keyword_argument' && c.type !== 'comment').map((c) => expr(c));
        facts.classes.push({ name, bases, decorators: f.decorators ?? [], ...place(n) });
        const body = field(n, 'body');
        if (body) for (let i = body.children.length - 1; i >= 0; i--) stack.push({ node: body.children[i] as PyNode, scope: f.scope, cls: name });
        continue;
      }
      case 'assignment': {
        const left = field(n, 'left');
        const right = field(n, 'right');
        if (left && right) {
          const value = expr(right);
          const targets = left.type === 'pattern_list' || left.type === 'tuple_pattern' ? left.children : [left];
          const values = targets.length > 1 && value.k === 'list' && value.items.length === targets.length ? value.items : undefined;
          targets.forEach((t, i) => {
            const target = targetName(t);
            if (target !== '') facts.assigns.push({ scope: f.scope, ...withCls, target, value: values?.[i] ?? value, ...place(t) });
          });
          push(right);
        }
        continue;
      }
      case 'with_item': {
        const v = n.children[0];
        if (v?.type === 'as_pattern') {
          const value = v.children[0];
          const alias = field(v, 'alias') ?? v.children.find((c) => c.type === 'as_pattern_target');
          const t = alias?.children[0] ?? alias;
          const target = t ? targetName(t) : '';
          if (value && target !== '') facts.assigns.push({ scope: f.scope, ...withCls, target, value: expr(value), ...place(t ?? v) });
        }
        break;
      }
      case 'return_statement': {
        const v = n.children.find((c) => c.type !== 'comment');
        if (v && f.def) f.def.returns.push(expr(v));
        break;
      }
      case 'call': {
        const e = expr(n);
        if (e.k === 'call') facts.calls.push({ scope: f.scope, call: e, line: n.line, column: n.column });
        break;
      }
      default:
        break;
    }
    for (let i = n.children.length - 1; i >= 0; i--) push(n.children[i] as PyNode);
  }
  facts.calls.sort((a, b) => a.line - b.line || a.column - b.column);
  return facts;
}

function dotted(n: PyNode | undefined): string {
  if (!n) return '';
  if (n.type === 'identifier') return n.text ?? '';
  return n.children.filter((c) => c.type === 'identifier').map((c) => c.text ?? '').join('.');
}

function relative(n: PyNode): string {
  const dots = n.children.find((c) => c.type === 'import_prefix');
  const prefix = dots ? '.'.repeat(Math.max(1, dots.end - dots.start)) : '.';
  return prefix + dotted(n.children.find((c) => c.type === 'dotted_name'));
}

function targetName(t: PyNode): string {
  if (t.type === 'identifier') return t.text ?? '';
  if (t.type === 'attribute') {
    const obj = field(t, 'object');
    const attr = field(t, 'attribute')?.text ?? '';
    if (obj?.type === 'identifier') return `${obj.text ?? ''}.${attr}`;
  }
  return '';
}
