/**
 * OpenAI Agents SDK Python code (`from agents import Agent, Runner, function_tool, ...`) → a model.
 * Parsed with tree-sitter, never run.
 *
 * - `Agent(name=, instructions=, model=, tools=, handoffs=, mcp_servers=, input_guardrails=,
 *   output_guardrails=)` → agents; `model` → a model (the SDK's default OpenAI model when none);
 * - `@function_tool` functions → tools with side effects guessed from their names and docstrings;
 *   hosted tools (WebSearchTool, FileSearchTool, ComputerTool, CodeInterpreterTool,
 *   ImageGenerationTool, LocalShellTool) → tools with known side effects; `HostedMCPTool` and
 *   `MCPServerStdio` / `MCPServerSse` / `MCPServerStreamableHttp` → MCP servers;
 * - `handoffs=[...]` (agents or `handoff(agent)`) and `agent.as_tool(...)` → delegation and channels;
 * - guardrails → implemented controls (input-guardrails, output-validation) on the agent;
 * - `Runner.run(agent, ...)` / `run_sync` / `run_streamed` → an entry point on that agent.
 */
import { diag, quote, type Diagnostic } from '../../model/diagnostics.js';
import type { AgentSpec } from '../../model/schema.js';
import { clip } from '../_model.js';
import type { ImportFileReport, ImportInput, ImportOptions, ImportResult, Importer } from '../types.js';
import { GraphBuilder } from '../_python/build.js';
import { arg, describeExpr, kwarg, lastPart, nameOf, type Expr, type PyCall, type PyFacts } from '../_python/extract.js';
import { isPythonPath, parseAll, preparePython, refuseFile } from '../_python/index.js';
import { modelFromExpr } from '../_python/models.js';
import { PyProject } from '../_python/project.js';
import { toolsFromList, type Item, type ToolCtx, type ToolRef } from '../_python/tools.js';

const FORMAT = 'openai-agents';
const MCP_CLASSES: Record<string, 'stdio' | 'sse' | 'streamable-http'> = { MCPServerStdio: 'stdio', MCPServerSse: 'sse', MCPServerStreamableHttp: 'streamable-http' };

function isAgentCall(e: Expr | undefined): e is Expr & { k: 'call' } {
  if (e?.k !== 'call') return false;
  const callee = e.callee.k === 'sub' ? e.callee.value : e.callee; // Agent[Context](...)
  const n = nameOf(callee);
  return n === 'Agent' || n === 'agents.Agent';
}

class AgentsImport {
  readonly b: GraphBuilder;
  project = new PyProject([]);
  readonly agentByCall = new Map<string, { agent: AgentSpec; file: PyFacts; call: PyCall }>();
  defaultModel: string | undefined;

  constructor(options: ImportOptions) {
    this.b = new GraphBuilder(FORMAT, 'OpenAI Agents SDK', options.existingIds);
  }

  key(file: PyFacts, e: Expr): string {
    return `${file.file}:${e.line}:${e.column}`;
  }

  /** The agent an expression stands for: a variable or expression holding Agent(...), or agent.clone(...). */
  agentOf(e: Expr | undefined, file: PyFacts, scope: string): AgentSpec | undefined {
    const r = this.project.resolve(e, file, scope);
    const x = r.expr;
    if (isAgentCall(x)) return this.agentByCall.get(this.key(r.file, x))?.agent;
    return undefined;
  }

  run(facts: readonly PyFacts[]): void {
    this.project = new PyProject(facts);
    for (const f of facts) {
      for (const imp of f.imports) {
        if (imp.name === '*') this.b.warn(f.file, 'W_IMPORT_STAR', `star import from ${quote(imp.module, 60)}: names it brings in cannot be traced to their definitions`, 'import names explicitly', imp);
      }
    }
    // 1. Every Agent(...) call is an agent.
    for (const f of facts) for (const c of f.calls) if (isAgentCall(c.call)) this.agent(f, c);
    // 2. Then what they refer to (handoffs may name agents defined later).
    for (const { agent, file, call } of [...this.agentByCall.values()]) this.details(agent, file, call);
    // 3. Runner.run(agent, ...) entry points; clones.
    for (const f of facts) {
      for (const c of f.calls) {
        const n = nameOf(c.call.callee);
        if (/^(agents\.)?Runner\.(run|run_sync|run_streamed)$/.test(n)) {
          const a = this.agentOf(arg(c.call, 'starting_agent', 0), f, c.scope);
          if (a) this.b.addEntryPoint(a.id, { name: clip(`Input to ${a.name ?? a.id}`), type: 'user-input', description: clip(`${lastPart(n)}(...) starts a run at this agent with the caller's input (${f.file} line ${c.call.line}).`), importedFrom: this.b.from(f.file, c.call) }, f.file);
          else this.b.warn(f.file, 'W_IMPORT_UNRESOLVED', `${lastPart(n)}: the starting agent is ${describeExpr(arg(c.call, 'starting_agent', 0))}, not resolvable to an Agent(...)`, 'pass a variable holding Agent(...)', c.call);
        } else if (/\.clone$/.test(n)) {
          const base = this.agentOf({ k: 'name', v: n.slice(0, -6), line: c.call.line, column: c.call.column }, f, c.scope);
          if (base) this.b.warn(f.file, 'W_IMPORT_CLONE', `${quote(n, 60)}: a clone of agent ${quote(base.name ?? base.id, 60)} is made at run time; it is not modelled separately`, 'add the cloned agent to the model by hand if it runs with different tools or instructions', c.call);
        }
      }
    }
  }

  agent(f: PyFacts, c: PyCall): void {
    const call = c.call;
    const nameE = this.project.resolve(arg(call, 'name', 0), f, c.scope).expr;
    let name: string;
    if (nameE?.k === 'str') name = nameE.v;
    else {
      const a = f.assigns.find((x) => x.value.line === call.line && x.value.column === call.column);
      name = a ? lastPart(a.target) : `agent_line_${call.line}`;
      this.b.warn(f.file, 'W_IMPORT_UNRESOLVED', `Agent(name=...) is ${describeExpr(nameE)}: not a literal; named ${quote(name, 60)} after its variable`, 'write name="..." as a string', nameE && nameE.line > 0 ? nameE : call);
    }
    const instr = this.project.resolve(kwarg(call, 'instructions'), f, c.scope).expr;
    const instructions = instr?.k === 'str' ? instr.v : undefined;
    const desc = this.project.resolve(kwarg(call, 'handoff_description'), f, c.scope).expr;
    const agent = this.b.addAgent(name, {
      name: clip(name, 200),
      description: clip(
        `OpenAI Agents SDK agent defined in ${f.file} line ${call.line}.${desc?.k === 'str' ? ` Handoff description: ${clip(desc.v, 2000)}` : ''}${instructions !== undefined ? ` Instructions: ${clip(instructions, 4000)}` : instr !== undefined && instr.k !== 'none' ? ' Instructions are computed at run time (a function or an f-string).' : ''}`,
        100_000,
      ),
      origin: 'first-party',
      framework: 'OpenAI Agents SDK',
      prompt: { source: instr === undefined || instructions !== undefined ? 'repository' : 'generated' },
      importedFrom: this.b.from(f.file, call),
    }, f.file);
    this.agentByCall.set(this.key(f, call), { agent, file: f, call: c });
  }

  toolCtx(agent: AgentSpec, f: PyFacts): ToolCtx {
    const owner = `agent ${quote(agent.name ?? agent.id, 60)}`;
    return {
      b: this.b,
      project: this.project,
      owner,
      hook: (item: Item): ToolRef[] | undefined => {
        const e = item.expr;
        if (e.k !== 'call') return undefined;
        const callee = nameOf(e.callee);
        // other_agent.as_tool(...): the agent calls another agent as a tool.
        if (/\.as_tool$/.test(callee) || (e.callee.k === 'attr' && e.callee.v === 'as_tool')) {
          const baseExpr: Expr = e.callee.k === 'attr' ? e.callee.obj : { k: 'name', v: callee.slice(0, -8), line: e.line, column: e.column };
          const other = this.agentOf(baseExpr, item.file, item.scope);
          if (!other) {
            this.b.warn(item.file.file, 'W_IMPORT_UNRESOLVED', `${owner}: as_tool() on ${describeExpr(baseExpr)}, not resolvable to an Agent(...)`, 'call as_tool on a variable holding Agent(...)', e);
            return [{ kind: 'none' }];
          }
          const tn = this.project.resolve(kwarg(e, 'tool_name'), item.file, item.scope).expr;
          this.b.delegate(agent, other);
          this.b.connect(agent.id, other.id, { protocol: 'function-call', direction: 'bidirectional', data: ['tool input', 'tool result'], description: clip(`Agent as tool: ${agent.name ?? agent.id} calls ${other.name ?? other.id}${tn?.k === 'str' ? ` (tool ${JSON.stringify(clip(tn.v, 200))})` : ''} and gets its final output back.`), importedFrom: this.b.from(item.file.file, e) }, f.file);
          return [{ kind: 'agent', id: other.id }];
        }
        if (lastPart(callee) === 'HostedMCPTool') {
          const cfg = this.project.resolve(kwarg(e, 'tool_config') ?? e.args[0], item.file, item.scope).expr;
          const get = (k: string): Expr | undefined => (cfg?.k === 'dict' ? cfg.entries.find((x) => x.key.k === 'str' && x.key.v === k)?.value : undefined);
          const label = get('server_label');
          const url = get('server_url');
          const approval = get('require_approval');
          if (url?.k !== 'str') {
            this.b.warn(item.file.file, 'W_IMPORT_UNRESOLVED', `${owner}: HostedMCPTool without a literal server_url: skipped`, 'write tool_config={"server_label": ..., "server_url": "https://..."}', e);
            return [{ kind: 'none' }];
          }
          const name = label?.k === 'str' ? label.v : url.v;
          const headers = get('headers');
          const id = this.b.addMcpServer(`hosted:${url.v}`, name, {
            url: url.v,
            transport: 'streamable-http',
            ...(headers?.k === 'dict' ? { headers: headers.entries.filter((x) => x.key.k === 'str').map((x) => ({ name: (x.key as { v: string }).v, ...(x.value.k === 'str' ? { value: x.value.v } : {}) })) } : {}),
          }, item.file.file, e, `Remote MCP server called by OpenAI's hosted MCP tool (HostedMCPTool) for ${owner} (${item.file.file} line ${e.line}).${approval?.k === 'str' && approval.v === 'never' ? ' require_approval is "never": tool calls run without a person approving them.' : ''}`);
          if (approval?.k === 'str' && approval.v === 'never') this.b.grant(agent, id, { autoApprove: true });
          return [{ kind: 'mcp', id }];
        }
        return undefined;
      },
    };
  }

  details(agent: AgentSpec, f: PyFacts, c: PyCall): void {
    const call = c.call;
    const owner = `agent ${quote(agent.name ?? agent.id, 60)}`;
    const modelArg = kwarg(call, 'model');
    const model = modelArg !== undefined ? modelFromExpr(this.b, this.project, modelArg, f, c.scope, owner) : undefined;
    if (model !== undefined) agent.models = [model];
    else if (modelArg === undefined) {
      this.defaultModel ??= this.b.addModel('openai', undefined, 'hosted-api', f.file, call, 'Agents without model= use the OpenAI Agents SDK default model (an OpenAI model chosen by the library version or the OPENAI_DEFAULT_MODEL environment variable). Name the model to pin it.');
      agent.models = [this.defaultModel];
    }
    this.b.grantRefs(agent, toolsFromList(this.toolCtx(agent, f), kwarg(call, 'tools'), f, c.scope));
    // Handoffs.
    const hand = kwarg(call, 'handoffs');
    if (hand !== undefined) {
      const items = this.project.listItems(hand, f, c.scope);
      for (const it of items.items) {
        let target: Expr | undefined = it.original;
        if (it.expr.k === 'call' && lastPart(nameOf(it.expr.callee)) === 'handoff') target = arg(it.expr, 'agent', 0);
        const other = this.agentOf(target, it.file, it.scope);
        if (!other) {
          this.b.warn(f.file, 'W_IMPORT_UNRESOLVED', `${owner}: a handoff to ${describeExpr(it.original)} is not resolvable to an Agent(...)`, 'list agents (variables holding Agent(...)) or handoff(agent)', it.original.line > 0 ? it.original : hand);
          continue;
        }
        this.b.delegate(agent, other);
        this.b.connect(agent.id, other.id, { protocol: 'function-call', direction: 'one-way', data: ['conversation history'], description: clip(`Handoff: ${agent.name ?? agent.id} can hand the conversation to ${other.name ?? other.id}, which then answers the user.`), importedFrom: this.b.from(f.file, it.original.line > 0 ? it.original : hand) }, f.file);
      }
      if (items.unresolved) this.b.warn(f.file, 'W_IMPORT_UNRESOLVED', `${owner}: handoffs is ${describeExpr(items.unresolved)}: not fully resolvable`, 'write handoffs as a literal list', hand);
    }
    // MCP servers.
    const mcp = kwarg(call, 'mcp_servers');
    if (mcp !== undefined) {
      const items = this.project.listItems(mcp, f, c.scope);
      for (const it of items.items) {
        const x = it.expr;
        const cls = x.k === 'call' ? lastPart(nameOf(x.callee)) : '';
        if (x.k !== 'call' || !Object.hasOwn(MCP_CLASSES, cls)) {
          this.b.warn(f.file, 'W_IMPORT_UNRESOLVED', `${owner}: an MCP server is ${describeExpr(it.original)}, not resolvable to MCPServerStdio / MCPServerSse / MCPServerStreamableHttp`, 'create the server in the same code (a variable or `async with ... as server`)', it.original.line > 0 ? it.original : mcp);
          continue;
        }
        const id = this.mcpServer(it.file, x, cls, it.scope);
        if (id !== undefined) this.b.grant(agent, id);
      }
      if (items.unresolved) this.b.warn(f.file, 'W_IMPORT_UNRESOLVED', `${owner}: mcp_servers is ${describeExpr(items.unresolved)}: not fully resolvable`, 'write mcp_servers as a literal list', mcp);
    }
    // Guardrails → controls.
    for (const [kw, pattern, what] of [['input_guardrails', 'input-guardrails', 'Input guardrails'], ['output_guardrails', 'output-validation', 'Output guardrails']] as const) {
      const g = kwarg(call, kw);
      if (g === undefined) continue;
      const items = this.project.listItems(g, f, c.scope);
      const names = items.items.map((i) => (i.original.k === 'name' ? i.original.v : i.expr.k === 'call' ? nameOf(i.expr.callee) : describeExpr(i.original))).filter((x) => x !== '');
      if (names.length === 0) continue;
      this.b.addControl(`${kw}:${agent.id}`, `${agent.id}_${kw}`, {
        name: clip(`${what} of ${agent.name ?? agent.id}`),
        pattern,
        appliesTo: [agent.id],
        status: 'implemented',
        description: clip(`${what} declared on the agent (${f.file} line ${g.line}): ${names.map((n) => clip(n, 200)).join(', ')}. What they check is in their code: review it.`),
        evidence: clip(`${f.file} line ${g.line}`),
        importedFrom: this.b.from(f.file, g),
      }, f.file);
    }
  }

  mcpServer(file: PyFacts, call: Expr & { k: 'call' }, cls: string, scope: string): string | undefined {
    const params = this.project.resolve(kwarg(call, 'params') ?? call.args[0], file, scope).expr;
    const get = (k: string): Expr | undefined => (params?.k === 'dict' ? params.entries.find((x) => x.key.k === 'str' && x.key.v === k)?.value : params?.k === 'call' ? kwarg(params, k) : undefined);
    const nameE = this.project.resolve(kwarg(call, 'name'), file, scope).expr;
    const transport = MCP_CLASSES[cls] ?? 'stdio';
    const p: Parameters<GraphBuilder['addMcpServer']>[2] = {};
    const command = get('command');
    const url = get('url');
    if (transport === 'stdio' && command?.k === 'str') {
      const args = get('args');
      p.command = command.v;
      p.args = args?.k === 'list' ? args.items.filter((x): x is Expr & { k: 'str' } => x.k === 'str').map((x) => x.v) : [];
      const env = get('env');
      if (env?.k === 'dict') p.env = env.entries.filter((x) => x.key.k === 'str').map((x) => ({ name: (x.key as { v: string }).v, ...(x.value.k === 'str' ? { value: x.value.v } : {}) }));
    } else if (transport !== 'stdio' && url?.k === 'str') {
      p.url = url.v;
      p.transport = transport;
      const headers = get('headers');
      if (headers?.k === 'dict') p.headers = headers.entries.filter((x) => x.key.k === 'str').map((x) => ({ name: (x.key as { v: string }).v, ...(x.value.k === 'str' ? { value: x.value.v } : {}) }));
    } else {
      this.b.warn(file.file, 'W_IMPORT_UNRESOLVED', `${cls}: the ${transport === 'stdio' ? 'command' : 'url'} is not a literal in params: not resolvable without running the code`, `write params={${transport === 'stdio' ? '"command": ..., "args": [...]' : '"url": "https://..."'}}`, call);
      return undefined;
    }
    const name = nameE?.k === 'str' ? nameE.v : p.command !== undefined ? `${p.command} ${(p.args ?? []).find((a) => !a.startsWith('-')) ?? ''}`.trim() : (p.url ?? cls);
    const cache = this.project.resolve(kwarg(call, 'cache_tools_list'), file, scope).expr;
    return this.b.addMcpServer(this.key(file, call), name, p, file.file, call, `MCP server started or reached by ${cls}(...) in ${file.file} line ${call.line}.${cache?.k === 'bool' && cache.v ? ' Its tool list is cached (cache_tools_list=True): a changed tool definition is not seen until the cache is invalidated.' : ''}`);
  }
}

export function importOpenAIAgents(inputs: readonly ImportInput[], options: ImportOptions = {}): ImportResult {
  const imp = new AgentsImport(options);
  const files: ImportFileReport[] = [];
  const diagnostics: Diagnostic[] = [];
  const pys: ImportInput[] = [];
  for (const i of inputs) {
    if (isPythonPath(i.path)) pys.push(i);
    else {
      diagnostics.push(...refuseFile(i.path, i.text, 'E_IMPORT_NOT_PYTHON', 'the OpenAI Agents SDK importer reads Python source files (.py) only', 'name the .py files or the folder that defines the agents'));
      files.push({ file: i.path, status: 'refused', elements: 0 });
    }
  }
  const parsed = parseAll(pys, diagnostics);
  for (const r of parsed.refused) files.push({ file: r, status: 'refused', elements: 0 });
  imp.run(parsed.facts);
  imp.b.diagnostics.unshift(...diagnostics);
  for (const f of parsed.facts) files.push({ file: f.file, status: 'imported', dialect: 'OpenAI Agents SDK Python code', elements: imp.b.elementsFrom(f.file) });
  if (imp.b.agents.length === 0) {
    if (parsed.facts.length > 0) imp.b.diagnostics.push(diag('E_IMPORT_NO_AGENTS', 'no Agent(...) call found', { hint: 'name the Python files that define the agents (from agents import Agent)' }));
    return { diagnostics: imp.b.diagnostics, notes: imp.b.notes, files: files.map((f) => ({ ...f, status: 'refused' as const, elements: 0 })) };
  }
  const model = imp.b.build(
    `OpenAI Agents SDK system: ${imp.b.agents.length} agent${imp.b.agents.length === 1 ? '' : 's'}`,
    `Imported from ${parsed.facts.length} Python file(s) by maestro-tm import. Side effects of function tools are guessed from their names and docstrings: review them, and add deployment, data and controls.`,
  );
  return { model, diagnostics: imp.b.diagnostics, notes: imp.b.notes, files };
}

export const openaiAgentsImporter: Importer = {
  id: 'openai-agents',
  aliases: ['openai-agents-sdk', 'agents-sdk'],
  description: 'OpenAI Agents SDK Python code: Agent(...), handoffs, function and hosted tools, MCP servers, guardrails',
  detect(input) {
    if (!isPythonPath(input.path)) return 0;
    const head = input.text.slice(0, 65_536);
    if (/^\s*from\s+agents(\.[a-z_.]+)?\s+import\b/m.test(head) && /\bAgent\b|function_tool|Runner/.test(head)) return 0.9;
    return 0;
  },
  wantsPath(path) {
    return isPythonPath(path);
  },
  prepare: preparePython,
  import: importOpenAIAgents,
};
