/**
 * Turning the items of a `tools=[...]` list into tool elements: prebuilt tool classes (with known
 * side effects), toolkits, `@tool` / `@function_tool` functions, `Tool(...)` wrappers and BaseTool
 * subclasses defined in the project. What cannot be resolved statically is a warning with its place.
 */
import { quote } from '../../model/diagnostics.js';
import type { SideEffectName } from '../../model/schema.js';
import { clip } from '../_model.js';
import type { GraphBuilder } from './build.js';
import { describeExpr, kwarg, lastPart, nameOf, type Expr, type PyDef, type PyFacts } from './extract.js';
import { inferEffects, KNOWN_TOOLKITS, KNOWN_TOOLS, typeForEffects, type KnownTool } from './knowledge.js';
import type { PyProject } from './project.js';

export interface Item {
  readonly expr: Expr;
  readonly file: PyFacts;
  readonly scope: string;
  readonly original: Expr;
}

export type ToolRef = { kind: 'tool'; id: string } | { kind: 'mcp'; id: string } | { kind: 'agent'; id: string } | { kind: 'none' };

export interface ToolCtx {
  readonly b: GraphBuilder;
  readonly project: PyProject;
  /** Who the tools are for, in messages: "agent researcher". */
  readonly owner: string;
  readonly cls?: string;
  /** Framework-specific items (agent-as-tool, handoff tools, MCP adapters); undefined to fall through. */
  readonly hook?: (item: Item) => ToolRef[] | undefined;
}

const TOOL_DECORATORS = new Set(['tool', 'function_tool', 'langchain_core.tools.tool', 'agents.function_tool', 'crewai.tools.tool']);

/** The decorator of a def that makes it a tool, with its name override if any. */
export function toolDecorator(def: PyDef): { name?: string; description?: string } | undefined {
  for (const d of def.decorators) {
    const callee = d.k === 'call' ? nameOf(d.callee) : nameOf(d);
    if (!TOOL_DECORATORS.has(callee) && !TOOL_DECORATORS.has(lastPart(callee))) continue;
    if (d.k !== 'call') return {};
    const first = d.args[0];
    const name = kwarg(d, 'name_override') ?? kwarg(d, 'name') ?? (first?.k === 'str' ? first : undefined);
    const description = kwarg(d, 'description_override') ?? kwarg(d, 'description');
    return { ...(name?.k === 'str' ? { name: name.v } : {}), ...(description?.k === 'str' ? { description: description.v } : {}) };
  }
  return undefined;
}

function knownTool(ctx: ToolCtx, cls: string, k: KnownTool, call: Expr & { k: 'call' }, item: Item, toolkit: boolean): ToolRef {
  // Tools configured differently (FileReadTool(file_path=...)) are different tools.
  const detail = call.kwargs
    .filter((a) => a.value.k === 'str' && /path|dir|url|file|root|website|vector_store/i.test(a.name))
    .map((a) => `${a.name}=${(a.value as { v: string }).v}`)
    .join(', ');
  const key = `class:${cls}:${detail}`;
  const id = ctx.b.addTool(
    key,
    cls,
    {
      name: clip(detail ? `${cls} (${detail})` : cls),
      description: clip(`${toolkit ? 'Toolkit' : 'Prebuilt tool'} ${cls}: ${k.what}. Side effects from what maestro-tm knows of this class.`),
      type: k.type,
      sideEffects: [...k.effects],
      transport: 'in-process',
      publisher: { trust: 'vendor' },
      importedFrom: ctx.b.from(item.file.file, call),
    },
    item.file.file,
  );
  return { kind: 'tool', id };
}

function functionTool(ctx: ToolCtx, def: PyDef, file: PyFacts, override?: { name?: string; description?: string }): ToolRef {
  const deco = toolDecorator(def) ?? {};
  const name = override?.name ?? deco.name ?? def.name;
  const description = override?.description ?? deco.description ?? def.docstring ?? '';
  const fx: SideEffectName[] = inferEffects(name, description);
  const id = ctx.b.addTool(
    `def:${file.file}:${def.qualified}`,
    name,
    {
      name: clip(name),
      description: clip(`Function tool ${JSON.stringify(clip(def.name, 200))} defined in ${file.file} line ${def.line}.${description ? ` Its description for the model: ${clip(description, 2000)}` : ''} Side effects guessed from its name and description: check them.`),
      type: typeForEffects(fx),
      ...(fx.length > 0 ? { sideEffects: fx } : {}),
      transport: 'in-process',
      publisher: { trust: 'first-party' },
      importedFrom: ctx.b.from(file.file, def),
    },
    file.file,
  );
  return { kind: 'tool', id };
}

/** A tool class written in the project (a BaseTool subclass): its `name` and `description` attributes. */
function classTool(ctx: ToolCtx, clsName: string): ToolRef | undefined {
  for (const f of ctx.project.files) {
    const c = f.classes.find((x) => x.name === clsName);
    if (!c) continue;
    const attr = (n: string): string | undefined => {
      const a = f.assigns.find((x) => x.cls === clsName && x.scope === '' && x.target === n);
      return a?.value.k === 'str' ? a.value.v : undefined;
    };
    const name = attr('name') ?? clsName;
    const description = attr('description') ?? '';
    const fx = inferEffects(`${clsName} ${name}`, description);
    const id = ctx.b.addTool(
      `pyclass:${f.file}:${clsName}`,
      name,
      {
        name: clip(name),
        description: clip(`Tool class ${clsName} defined in ${f.file} line ${c.line}.${description ? ` Its description for the model: ${clip(description, 2000)}` : ''} Side effects guessed from its name and description: check them.`),
        type: typeForEffects(fx),
        ...(fx.length > 0 ? { sideEffects: fx } : {}),
        transport: 'in-process',
        publisher: { trust: 'first-party' },
        importedFrom: ctx.b.from(f.file, c),
      },
      f.file,
    );
    return { kind: 'tool', id };
  }
  return undefined;
}

function unknownClassTool(ctx: ToolCtx, callee: string, item: Item, call: Expr & { k: 'call' }): ToolRef {
  const cls = lastPart(callee);
  const fx = inferEffects(cls);
  const imported = ctx.project.importOf(item.file, callee);
  ctx.b.warn(
    item.file.file,
    'W_IMPORT_TOOL_GUESSED',
    `${ctx.owner}: the tool ${quote(cls, 60)} is not defined in the imported files${imported ? ` (it comes from ${quote(imported.module, 60)})` : ''}: its side effects are guessed from its name`,
    'import the file that defines it too, or set sideEffects on the tool in the model',
    call,
  );
  const id = ctx.b.addTool(
    `class:${cls}:`,
    cls,
    {
      name: clip(cls),
      description: clip(`Tool ${cls}${imported ? ` from ${imported.module}` : ''}, not defined in the imported files. Side effects guessed from its name: check them.`),
      type: typeForEffects(fx),
      ...(fx.length > 0 ? { sideEffects: fx } : {}),
      transport: 'in-process',
      publisher: { trust: 'unknown' },
      importedFrom: ctx.b.from(item.file.file, call),
    },
    item.file.file,
  );
  return { kind: 'tool', id };
}

/** One item of a tools list → tool references (a toolkit is one tool element standing for its tools). */
export function toolFromItem(ctx: ToolCtx, item: Item): ToolRef[] {
  const hooked = ctx.hook?.(item);
  if (hooked) return hooked;
  const e = item.expr;
  if (e.k === 'call') {
    const callee = nameOf(e.callee);
    const cls = lastPart(callee);
    if (Object.hasOwn(KNOWN_TOOLS, cls)) return [knownTool(ctx, cls, KNOWN_TOOLS[cls] as KnownTool, e, item, false)];
    if (Object.hasOwn(KNOWN_TOOLKITS, cls)) return [knownTool(ctx, cls, KNOWN_TOOLKITS[cls] as KnownTool, e, item, true)];
    // Toolkit(...).get_tools()
    if (e.callee.k === 'attr' && e.callee.v === 'get_tools' && e.callee.obj.k === 'call') {
      const inner = lastPart(nameOf(e.callee.obj.callee));
      if (Object.hasOwn(KNOWN_TOOLKITS, inner)) return [knownTool(ctx, inner, KNOWN_TOOLKITS[inner] as KnownTool, e.callee.obj, item, true)];
    }
    // Tool(name=..., func=...), StructuredTool.from_function(fn, name=...), tool(fn), function_tool(fn)
    if (cls === 'Tool' || cls === 'StructuredTool' || callee.endsWith('.from_function') || TOOL_DECORATORS.has(callee) || cls === 'FunctionTool') {
      const fnExpr = kwarg(e, 'func') ?? kwarg(e, 'coroutine') ?? e.args[0];
      const fn = ctx.project.resolve(fnExpr, item.file, item.scope, ctx.cls);
      const nameArg = kwarg(e, 'name');
      const descArg = kwarg(e, 'description');
      const override = { ...(nameArg?.k === 'str' ? { name: nameArg.v } : {}), ...(descArg?.k === 'str' ? { description: descArg.v } : {}) };
      const def = fn.expr?.k === 'name' ? ctx.project.defOf(fn.expr.v, fn.file, ctx.cls) : undefined;
      if (def) return [functionTool(ctx, def.item, def.file, override)];
      if (override.name !== undefined) {
        const fx = inferEffects(override.name, override.description ?? '');
        const id = ctx.b.addTool(`named:${override.name}`, override.name, {
          name: clip(override.name),
          description: clip(`Tool ${JSON.stringify(clip(override.name, 200))}${override.description ? `: ${clip(override.description, 2000)}` : ''}. Side effects guessed from its name and description.`),
          type: typeForEffects(fx),
          ...(fx.length > 0 ? { sideEffects: fx } : {}),
          transport: 'in-process',
          importedFrom: ctx.b.from(item.file.file, e),
        }, item.file.file);
        return [{ kind: 'tool', id }];
      }
    }
    const own = classTool(ctx, cls);
    if (own) return [own];
    if (callee !== '' && /^[A-Z]/.test(cls)) return [unknownClassTool(ctx, callee, item, e)];
  }
  if (e.k === 'name') {
    const def = ctx.project.defOf(e.v, item.file, ctx.cls);
    if (def) return [functionTool(ctx, def.item, def.file)];
    const imported = ctx.project.importOf(item.file, e.v);
    if (imported) {
      const name = lastPart(e.v);
      const fx = inferEffects(name);
      ctx.b.warn(item.file.file, 'W_IMPORT_TOOL_GUESSED', `${ctx.owner}: the tool ${quote(name, 60)} comes from ${quote(imported.module, 60)}, which is not among the imported files: its side effects are guessed from its name`, 'import the file that defines it too, or set sideEffects on the tool in the model', e);
      const id = ctx.b.addTool(`import:${imported.module}:${name}`, name, {
        name: clip(name),
        description: clip(`Tool ${name} imported from ${imported.module} (not among the imported files). Side effects guessed from its name: check them.`),
        type: typeForEffects(fx),
        ...(fx.length > 0 ? { sideEffects: fx } : {}),
        transport: 'in-process',
        importedFrom: ctx.b.from(item.file.file, e),
      }, item.file.file);
      return [{ kind: 'tool', id }];
    }
  }
  if (e.k === 'list') return e.items.map((x) => toolFromItem(ctx, { ...item, expr: x, original: x })).flat();
  ctx.b.warn(item.file.file, 'W_IMPORT_UNRESOLVED', `${ctx.owner}: a tool given as ${describeExpr(item.original)} cannot be resolved without running the code: skipped`, 'name the tool directly in the list (a tool object, a @tool function or a variable assigned once), or add it to the model by hand', item.original.line > 0 ? item.original : e);
  return [{ kind: 'none' }];
}

/** All tools of a `tools=` argument. */
export function toolsFromList(ctx: ToolCtx, list: Expr | undefined, file: PyFacts, scope: string): ToolRef[] {
  if (list === undefined || list.k === 'none') return [];
  const r = ctx.project.listItems(list, file, scope, ctx.cls);
  if (r.unresolved && r.unresolved.k !== 'list') {
    // Not a list: one value that may stand for several tools (a toolkit, an MCP client's get_tools()).
    const one = ctx.project.resolve(list, file, scope, ctx.cls);
    return toolFromItem(ctx, { expr: one.expr ?? list, file: one.file, scope: one.scope, original: list });
  }
  const out: ToolRef[] = [];
  for (const it of r.items.slice(0, 500)) out.push(...toolFromItem(ctx, it));
  if (r.unresolved) {
    ctx.b.warn(file.file, 'W_IMPORT_UNRESOLVED', `${ctx.owner}: the tools list is ${describeExpr(r.unresolved)}${r.unresolved.k === 'list' ? ' with a spread (*x)' : ''}: ${r.unresolved.k === 'list' ? 'the spread part is' : 'it is'} not read`, 'write the tools as a literal list, or add the missing tools to the model by hand', r.unresolved.line > 0 ? r.unresolved : list);
  }
  return out;
}
