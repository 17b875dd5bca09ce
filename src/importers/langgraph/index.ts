/**
 * LangGraph (and LangChain agent) Python code → a model. Parsed with tree-sitter, never run.
 *
 * - `StateGraph(...)` graphs: `add_node`, `add_edge`, `add_conditional_edges` (path maps, lists,
 *   `tools_condition`, or the string literals the routing function returns), `add_sequence`,
 *   START/END, `Command(goto=...)` in node functions, `compile(checkpointer=, store=,
 *   interrupt_before=, interrupt_after=)`;
 * - nodes that call a model (a chat-model object, `.bind_tools(...)`, `create_react_agent` /
 *   `create_agent`, a compiled subgraph) → agents; `ToolNode([...])` → tools granted to the agents
 *   that route to it; other nodes → function tools ("graph steps");
 * - edges → channels; START → an entry point; interrupts → a human approver; checkpointers and
 *   stores → memories;
 * - `create_supervisor` / `create_swarm` (langgraph-supervisor, langgraph-swarm) and handoff tools
 *   → delegation between agents; `MultiServerMCPClient({...})` → MCP servers.
 */
import { diag, quote, type Diagnostic } from '../../model/diagnostics.js';
import type { AgentSpec } from '../../model/schema.js';
import { clip } from '../_model.js';
import type { ImportFileReport, ImportInput, ImportOptions, ImportResult, Importer } from '../types.js';
import { GraphBuilder } from '../_python/build.js';
import { arg, describeExpr, kwarg, lastPart, nameOf, type Expr, type PyCall, type PyDef, type PyFacts } from '../_python/extract.js';
import { isPythonPath, parseAll, preparePython, refuseFile } from '../_python/index.js';
import { CHECKPOINTERS, inferEffects, typeForEffects } from '../_python/knowledge.js';
import { modelFromExpr } from '../_python/models.js';
import { PyProject } from '../_python/project.js';
import { toolsFromList, type Item, type ToolCtx, type ToolRef } from '../_python/tools.js';

const FORMAT = 'langgraph';
const AGENT_FACTORIES = new Set(['create_react_agent', 'create_agent', 'create_tool_calling_agent', 'create_openai_functions_agent', 'create_openai_tools_agent']);
const START = new Set(['START', '__start__']);
const END = new Set(['END', '__end__']);
const MAX_NODES = 2_000;

type NodeEl = { kind: 'agent'; agent: AgentSpec } | { kind: 'tools'; ids: string[] } | { kind: 'step'; id: string };

interface Graph {
  readonly key: string;
  readonly file: PyFacts;
  readonly varName: string;
  readonly at: Expr;
  readonly nodes: Map<string, { el: NodeEl; at: Expr }>;
  readonly agents: AgentSpec[];
}

class LangGraphImport {
  readonly b: GraphBuilder;
  project = new PyProject([]);
  readonly agentByCall = new Map<string, AgentSpec>();
  readonly agentFile = new Map<AgentSpec, string>();
  readonly graphs = new Map<string, Graph>();
  readonly handoffs: { from: AgentSpec; to: string; file: string; at: Expr }[] = [];
  approverId: string | undefined;

  constructor(options: ImportOptions) {
    this.b = new GraphBuilder(FORMAT, 'LangGraph', options.existingIds);
  }

  posKey(file: PyFacts, e: Expr): string {
    return `${file.file}:${e.line}:${e.column}`;
  }

  approver(file: string, at: Expr): string {
    this.approverId ??= this.b.addHuman('approver', 'human_reviewer', { name: 'Human reviewer', role: 'approver', description: 'The person who resumes the graph after an interrupt (human in the loop).', importedFrom: this.b.from(file, at) }, file);
    return this.approverId;
  }

  toolCtx(owner: string, agent?: AgentSpec): ToolCtx {
    return {
      b: this.b,
      project: this.project,
      owner,
      hook: (item: Item): ToolRef[] | undefined => {
        const e = item.expr;
        if (e.k !== 'call') return undefined;
        const callee = nameOf(e.callee);
        if (lastPart(callee) === 'create_handoff_tool' && agent) {
          const to = this.project.resolve(arg(e, 'agent_name', 0), item.file, item.scope).expr;
          if (to?.k === 'str') this.handoffs.push({ from: agent, to: to.v, file: item.file.file, at: e });
          else this.b.warn(item.file.file, 'W_IMPORT_UNRESOLVED', `${owner}: a handoff tool names its agent with ${describeExpr(to)}: not resolvable`, 'write agent_name="..." as a string', e);
          return [{ kind: 'none' }];
        }
        // await client.get_tools() on a MultiServerMCPClient
        if (/\.get_tools$/.test(callee)) {
          const base = this.project.resolve({ k: 'name', v: callee.slice(0, -'.get_tools'.length), line: e.line, column: e.column }, item.file, item.scope).expr;
          if (base?.k === 'call' && lastPart(nameOf(base.callee)) === 'MultiServerMCPClient') return this.mcpClient(item.file, base);
        }
        if (lastPart(callee) === 'load_mcp_tools') {
          this.b.warn(item.file.file, 'W_IMPORT_UNRESOLVED', `${owner}: tools loaded from an MCP session at run time (load_mcp_tools): the server is not known statically`, 'add the MCP server to the model by hand, or use MultiServerMCPClient with its configuration in the code', e);
          return [{ kind: 'none' }];
        }
        return undefined;
      },
    };
  }

  mcpClient(file: PyFacts, call: Expr & { k: 'call' }): ToolRef[] {
    const cfg = this.project.resolve(arg(call, 'connections', 0), file, '').expr;
    if (cfg?.k !== 'dict') {
      this.b.warn(file.file, 'W_IMPORT_UNRESOLVED', `MultiServerMCPClient: the server configuration is ${describeExpr(cfg)}: not resolvable without running the code`, 'write the configuration as a dictionary literal', call);
      return [{ kind: 'none' }];
    }
    const out: ToolRef[] = [];
    for (const ent of cfg.entries) {
      if (ent.key.k !== 'str' || ent.value.k !== 'dict') continue;
      const get = (k: string): Expr | undefined => (ent.value as Expr & { k: 'dict' }).entries.find((x) => x.key.k === 'str' && x.key.v === k)?.value;
      const command = get('command');
      const url = get('url');
      const args = get('args');
      const transport = get('transport');
      const env = get('env');
      const headers = get('headers');
      const p: Parameters<GraphBuilder['addMcpServer']>[2] = {};
      if (command?.k === 'str') {
        p.command = command.v;
        p.args = args?.k === 'list' ? args.items.filter((x): x is Expr & { k: 'str' } => x.k === 'str').map((x) => x.v) : [];
      } else if (url?.k === 'str') {
        p.url = url.v;
        if (transport?.k === 'str') p.transport = /sse/i.test(transport.v) ? 'sse' : /websocket/i.test(transport.v) ? 'websocket' : 'streamable-http';
      }
      const kv = (d: Expr | undefined): { name: string; value?: string }[] | undefined =>
        d?.k === 'dict' ? d.entries.filter((x) => x.key.k === 'str').map((x) => ({ name: (x.key as { v: string }).v, ...(x.value.k === 'str' ? { value: x.value.v } : {}) })) : undefined;
      const e2 = kv(env);
      const h2 = kv(headers);
      if (e2) p.env = e2;
      if (h2) p.headers = h2;
      if (p.command === undefined && p.url === undefined) {
        this.b.warn(file.file, 'W_IMPORT_UNRESOLVED', `MCP server ${quote(ent.key.v, 60)}: neither command nor url is a literal`, 'write them as strings', ent.value);
        continue;
      }
      out.push({ kind: 'mcp', id: this.b.addMcpServer(`${file.file}:${ent.key.v}`, ent.key.v, p, file.file, ent.key, `MCP server ${JSON.stringify(clip(ent.key.v, 200))} configured for MultiServerMCPClient (langchain-mcp-adapters) in ${file.file} line ${ent.key.line}.`) });
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------------------------------

  run(facts: readonly PyFacts[]): void {
    this.project = new PyProject(facts);
    for (const f of facts) {
      for (const imp of f.imports) {
        if (imp.name === '*') this.b.warn(f.file, 'W_IMPORT_STAR', `star import from ${quote(imp.module, 60)}: names it brings in cannot be traced to their definitions`, 'import names explicitly', imp);
      }
    }
    // Agents made by factories, anywhere.
    for (const f of facts) for (const c of f.calls) if (AGENT_FACTORIES.has(lastPart(nameOf(c.call.callee)))) this.factoryAgent(f, c);
    // Graphs.
    for (const f of facts) {
      for (const a of f.assigns) {
        if (a.value.k === 'call' && /^(StateGraph|MessageGraph|Graph)$/.test(lastPart(nameOf(a.value.callee)))) {
          const key = `${f.file}\u0000${a.scope}\u0000${a.target}`;
          if (!this.graphs.has(key)) this.graphs.set(key, { key, file: f, varName: a.target, at: a.value, nodes: new Map(), agents: [] });
        }
      }
    }
    for (const g of this.graphs.values()) this.readGraph(g);
    // Supervisors and swarms.
    for (const f of facts) {
      for (const c of f.calls) {
        const n = lastPart(nameOf(c.call.callee));
        if (n === 'create_supervisor') this.supervisor(f, c);
        else if (n === 'create_swarm') this.swarm(f, c);
      }
    }
    // Handoff tools by agent name.
    for (const h of this.handoffs) {
      const to = this.b.agents.find((a) => a.name === h.to);
      if (!to) {
        this.b.warn(h.file, 'W_IMPORT_UNKNOWN_AGENT', `a handoff tool names the agent ${quote(h.to, 60)}, which is not defined in the imported files`, 'check the name against the name= of the agents', h.at);
        continue;
      }
      this.b.delegate(h.from, to);
      this.b.connect(h.from.id, to.id, { protocol: 'function-call', direction: 'one-way', data: ['conversation and task'], description: 'Handoff tool: the agent hands the conversation to the other agent.', importedFrom: this.b.from(h.file, h.at) }, h.file);
    }
  }

  agentName(f: PyFacts, c: PyCall, fallback?: string): string {
    const n = this.project.resolve(kwarg(c.call, 'name'), f, c.scope).expr;
    if (n?.k === 'str') return n.v;
    if (fallback) return fallback;
    const a = f.assigns.find((x) => x.value.line === c.call.line && x.value.column === c.call.column);
    if (a) return lastPart(a.target);
    return c.scope !== '' ? lastPart(c.scope) : `agent_line_${c.call.line}`;
  }

  factoryAgent(f: PyFacts, c: PyCall): AgentSpec {
    const key = this.posKey(f, c.call);
    const have = this.agentByCall.get(key);
    if (have) return have;
    const call = c.call;
    const factory = lastPart(nameOf(call.callee));
    const name = this.agentName(f, c);
    const promptExpr = this.project.resolve(kwarg(call, 'prompt') ?? kwarg(call, 'state_modifier') ?? kwarg(call, 'system_prompt'), f, c.scope).expr;
    const agent = this.b.addAgent(name, {
      name: clip(name, 200),
      description: clip(`Agent made by ${factory}(...) in ${f.file} line ${call.line}.${promptExpr?.k === 'str' ? ` Prompt: ${clip(promptExpr.v, 4000)}` : ''}`, 100_000),
      origin: 'first-party',
      framework: 'LangGraph',
      prompt: { source: promptExpr?.k === 'str' ? 'repository' : promptExpr !== undefined && promptExpr.k !== 'none' ? 'generated' : 'repository' },
      importedFrom: this.b.from(f.file, call),
    }, f.file);
    this.agentByCall.set(key, agent);
    this.agentFile.set(agent, f.file);
    const owner = `agent ${quote(name, 60)}`;
    const model = modelFromExpr(this.b, this.project, arg(call, factory === 'create_react_agent' || factory === 'create_agent' ? 'model' : 'llm', 0), f, c.scope, owner);
    if (model !== undefined) agent.models = [model];
    this.b.grantRefs(agent, toolsFromList(this.toolCtx(owner, agent), arg(call, 'tools', 1), f, c.scope));
    this.compileOptions(f, c.scope, call, [agent], undefined);
    return agent;
  }

  /** checkpointer=, store=, interrupt_before=, interrupt_after= of compile() or a factory. */
  compileOptions(f: PyFacts, scope: string, call: Expr & { k: 'call' }, agents: readonly AgentSpec[], g: Graph | undefined): void {
    for (const kw of ['checkpointer', 'store']) {
      const v = kwarg(call, kw);
      if (v === undefined) continue;
      const r = this.project.resolve(v, f, scope).expr;
      const full = r?.k === 'call' ? nameOf(r.callee) : r?.k === 'name' ? r.v : '';
      const base = lastPart(full.replace(/\.(from_conn_string|from_url)$/, ''));
      const known = Object.hasOwn(CHECKPOINTERS, base) ? CHECKPOINTERS[base] : undefined;
      if (r?.k === 'bool' || r?.k === 'none') continue;
      const id = this.b.addMemory(`${kw}:${f.file}:${r?.line ?? v.line}`, kw === 'store' ? 'long_term_store' : 'checkpointer', {
        name: kw === 'store' ? `Long-term store (${base || 'unknown'})` : `Conversation checkpoints (${base || 'unknown'})`,
        type: kw === 'store' ? 'long-term' : 'short-term',
        persistence: known?.persistent === false ? 'session' : 'persistent',
        isolation: 'per-user',
        description: clip(`${kw === 'store' ? 'LangGraph store shared across threads' : 'LangGraph checkpointer: the state of every thread (messages, tool results) is saved after each step'}; kept in ${known?.what ?? 'a backend maestro-tm does not know'} (${f.file} line ${v.line}). Isolation per thread assumed: check how thread ids are chosen.`),
        importedFrom: this.b.from(f.file, v),
      }, f.file);
      if (!known) this.b.warn(f.file, 'W_IMPORT_UNRESOLVED', `the ${kw} is ${describeExpr(r ?? v)}: its kind (in memory or persistent) is not known; persistent assumed`, `use a known ${kw} class, or set persistence on the memory in the model`, v);
      for (const a of agents) a.memory = { reads: [...new Set([...(a.memory?.reads ?? []), id])], writes: [...new Set([...(a.memory?.writes ?? []), id])] };
    }
    for (const kw of ['interrupt_before', 'interrupt_after']) {
      const v = kwarg(call, kw);
      if (v === undefined) continue;
      const items = this.project.listItems(v, f, scope);
      const names = items.items.map((i) => i.expr).filter((x): x is Expr & { k: 'str' } => x.k === 'str').map((x) => x.v);
      if (items.unresolved) this.b.warn(f.file, 'W_IMPORT_UNRESOLVED', `${kw} is ${describeExpr(items.unresolved)}: not resolvable`, `write ${kw}=["node"]`, v);
      const approver = this.approver(f.file, v);
      for (const n of names) {
        const mode = kw === 'interrupt_before' ? 'before' : 'after';
        const node = g?.nodes.get(n);
        if (g === undefined || n === '*') {
          for (const a of agents) a.approvals = [...(a.approvals ?? []), { action: clip(`${n === '*' ? 'every step' : `node ${n}`} (${kw})`, 1000), approver, mode }];
        } else if (node?.el.kind === 'agent') {
          node.el.agent.approvals = [...(node.el.agent.approvals ?? []), { action: clip(`node ${n} (${kw})`, 1000), approver, mode }];
        } else if (node?.el.kind === 'tools') {
          // A human approves the tool calls: on the grants of every agent that has those tools.
          for (const a of this.toolNodeUsers.get(`${g.key}\u0000${n}`) ?? []) {
            a.tools = (a.tools ?? []).map((t) => {
              const ref = typeof t === 'string' ? t : t.ref;
              if (!(node.el as { ids: string[] }).ids.includes(ref) || mode !== 'before') return t;
              return { ...(typeof t === 'string' ? { ref } : t), approval: approver };
            });
          }
        } else if (!node) {
          this.b.warn(f.file, 'W_IMPORT_UNKNOWN_NODE', `${kw} names the node ${quote(n, 60)}, which the graph does not have`, 'check the node name', v);
        }
      }
    }
  }

  graphCalls(g: Graph): { c: PyCall; method: string }[] {
    const out: { c: PyCall; method: string }[] = [];
    for (const c of g.file.calls) {
      const n = nameOf(c.call.callee);
      const dot = n.lastIndexOf('.');
      if (dot < 0 || n.slice(0, dot) !== g.varName) continue;
      out.push({ c, method: n.slice(dot + 1) });
    }
    return out;
  }

  readGraph(g: Graph): void {
    const calls = this.graphCalls(g);
    const f = g.file;
    for (const { c, method } of calls) {
      if (method !== 'add_node') continue;
      if (g.nodes.size >= MAX_NODES) break;
      const call = c.call;
      const first = this.project.resolve(arg(call, 'node', 0), f, c.scope).expr;
      let name: string | undefined;
      let action: Expr | undefined;
      if (first?.k === 'str') {
        name = first.v;
        action = arg(call, 'action', 1);
      } else {
        action = call.args[0];
        const r = this.project.resolve(action, f, c.scope).expr;
        if (r?.k === 'name') name = lastPart(r.v);
        else if (r?.k === 'call' && AGENT_FACTORIES.has(lastPart(nameOf(r.callee)))) {
          const nm = this.project.resolve(kwarg(r, 'name'), f, c.scope).expr;
          if (nm?.k === 'str') name = nm.v;
        }
      }
      if (name === undefined) {
        this.b.warn(f.file, 'W_IMPORT_UNRESOLVED', `add_node: the node name is ${describeExpr(call.args[0])}: not resolvable without running the code; the node is skipped`, 'write add_node("name", function)', call);
        continue;
      }
      g.nodes.set(name, { el: this.nodeElement(g, name, action, c), at: call });
    }
    // Edges.
    const edges: { from: string; to: string; at: Expr; why: string }[] = [];
    const nodeName = (e: Expr | undefined, scope: string): string | undefined => {
      const r = this.project.resolve(e, f, scope).expr;
      if (r?.k === 'str') return r.v;
      if (r?.k === 'name' && (START.has(lastPart(r.v)) || END.has(lastPart(r.v)))) return START.has(lastPart(r.v)) ? '__start__' : '__end__';
      if (r?.k === 'name' && g.nodes.has(lastPart(r.v))) return lastPart(r.v);
      return undefined;
    };
    for (const { c, method } of calls) {
      const call = c.call;
      if (method === 'add_edge') {
        const to = nodeName(arg(call, 'end_key', 1), c.scope);
        const fromE = this.project.resolve(arg(call, 'start_key', 0), f, c.scope).expr;
        const froms = fromE?.k === 'list' ? fromE.items.map((x) => nodeName(x, c.scope)) : [nodeName(fromE, c.scope)];
        if (to === undefined || froms.some((x) => x === undefined)) {
          this.b.warn(f.file, 'W_IMPORT_UNRESOLVED', 'add_edge: a node name is not a literal: the edge is skipped', 'write node names as strings, START or END', call);
          continue;
        }
        for (const from of froms) if (from !== undefined) edges.push({ from, to, at: call, why: 'edge' });
      } else if (method === 'set_entry_point') {
        const to = nodeName(call.args[0], c.scope);
        if (to !== undefined) edges.push({ from: '__start__', to, at: call, why: 'entry point' });
      } else if (method === 'set_finish_point') {
        continue;
      } else if (method === 'add_sequence') {
        const items = this.project.listItems(call.args[0], f, c.scope);
        const names = items.items.map((i) => (i.expr.k === 'name' ? lastPart(i.expr.v) : i.expr.k === 'list' && i.expr.items[0]?.k === 'str' ? i.expr.items[0].v : undefined));
        for (const [i, n] of names.entries()) {
          if (n === undefined) continue;
          if (!g.nodes.has(n)) g.nodes.set(n, { el: this.nodeElement(g, n, items.items[i]?.original, c), at: call });
          const prev = names[i - 1];
          if (i > 0 && prev !== undefined) edges.push({ from: prev, to: n, at: call, why: 'sequence' });
        }
      } else if (method === 'add_conditional_edges') {
        const from = nodeName(arg(call, 'source', 0), c.scope);
        if (from === undefined) {
          this.b.warn(f.file, 'W_IMPORT_UNRESOLVED', 'add_conditional_edges: the source node is not a literal: skipped', 'write the node name as a string', call);
          continue;
        }
        for (const to of this.routes(g, call, c.scope)) edges.push({ from, to, at: call, why: 'conditional edge' });
      }
    }
    // Command(goto=...) in node functions.
    for (const name of g.nodes.keys()) {
      const fnDef = this.nodeDefs.get(`${g.key}\u0000${name}`);
      if (!fnDef) continue;
      for (const c of fnDef.file.calls) {
        if (c.scope !== fnDef.def.qualified || lastPart(nameOf(c.call.callee)) !== 'Command') continue;
        const goto = this.project.resolve(kwarg(c.call, 'goto'), fnDef.file, c.scope).expr;
        const targets = goto?.k === 'list' ? goto.items : goto ? [goto] : [];
        for (const t of targets) {
          const to = t.k === 'str' ? t.v : t.k === 'name' && END.has(lastPart(t.v)) ? '__end__' : undefined;
          if (to !== undefined) edges.push({ from: name, to, at: c.call, why: 'Command(goto=...)' });
          else this.b.warn(fnDef.file.file, 'W_IMPORT_UNRESOLVED', `node ${quote(name, 60)}: Command(goto=...) is ${describeExpr(t)}: not resolvable`, 'write goto="node" as a string', t.line > 0 ? t : c.call);
        }
      }
    }
    const sorted = [...edges].sort((a, b) => a.at.line - b.at.line || a.at.column - b.at.column);
    for (const e of sorted) this.edge(g, e.from, e.to, e.at, e.why);
    // compile() options.
    for (const { c, method } of calls) if (method === 'compile') this.compileOptions(f, c.scope, c.call, g.agents, g);
  }

  readonly nodeDefs = new Map<string, { def: PyDef; file: PyFacts }>();
  /** Agents that route to a ToolNode, by graph and node name. */
  readonly toolNodeUsers = new Map<string, Set<AgentSpec>>();

  routes(g: Graph, call: Expr & { k: 'call' }, scope: string): string[] {
    const f = g.file;
    const pathMap = this.project.resolve(arg(call, 'path_map', 2), f, scope).expr;
    if (pathMap?.k === 'dict') return pathMap.entries.map((e) => (e.value.k === 'str' ? e.value.v : e.value.k === 'name' && END.has(lastPart(e.value.v)) ? '__end__' : e.value.k === 'name' && g.nodes.has(lastPart(e.value.v)) ? lastPart(e.value.v) : '')).filter((x) => x !== '');
    if (pathMap?.k === 'list') return pathMap.items.map((e) => (e.k === 'str' ? e.v : e.k === 'name' && END.has(lastPart(e.v)) ? '__end__' : '')).filter((x) => x !== '');
    const path = this.project.resolve(arg(call, 'path', 1), f, scope).expr;
    if (path?.k === 'name' && lastPart(path.v) === 'tools_condition') return ['tools', '__end__'];
    if (path?.k === 'name') {
      const def = this.project.defOf(path.v, f);
      if (def) {
        const out = new Set<string>();
        for (const r of def.item.returns) {
          const x = this.project.resolve(r, def.file, def.item.qualified).expr;
          const vals = x?.k === 'list' ? x.items : x ? [x] : [];
          for (const v of vals) {
            if (v.k === 'str') out.add(v.v);
            else if (v.k === 'name' && END.has(lastPart(v.v))) out.add('__end__');
            else if (v.k === 'call' && lastPart(nameOf(v.callee)) === 'Send' && v.args[0]?.k === 'str') out.add(v.args[0].v);
          }
        }
        if (out.size > 0) return [...out];
      }
    }
    this.b.warn(f.file, 'W_IMPORT_UNRESOLVED', `add_conditional_edges: where ${describeExpr(arg(call, 'path', 1))} routes to is not resolvable without running the code; the edges are skipped`, 'give a path_map (a dict or list of node names), or return node names as string literals from the routing function', call);
    return [];
  }

  nodeElement(g: Graph, name: string, action: Expr | undefined, c: PyCall): NodeEl {
    const f = g.file;
    const r = this.project.resolve(action, f, c.scope);
    const x = r.expr;
    const owner = `node ${quote(name, 60)}`;
    if (x?.k === 'call') {
      const callee = lastPart(nameOf(x.callee));
      if (AGENT_FACTORIES.has(callee)) {
        const pc = r.file.calls.find((k) => k.call.line === x.line && k.call.column === x.column);
        if (pc) {
          const a = this.factoryAgent(r.file, pc);
          g.agents.push(a);
          return { kind: 'agent', agent: a };
        }
      }
      if (callee === 'ToolNode') {
        const refs = toolsFromList(this.toolCtx(owner), arg(x, 'tools', 0), r.file, r.scope);
        return { kind: 'tools', ids: refs.filter((t): t is { kind: 'tool' | 'mcp'; id: string } => t.kind === 'tool' || t.kind === 'mcp').map((t) => t.id) };
      }
      // A compiled subgraph, or a supervisor/swarm graph: an agent standing for it.
      if (x.callee.k === 'attr' ? x.callee.v === 'compile' : nameOf(x.callee).endsWith('.compile')) {
        const a = this.b.addAgent(name, { name: clip(name, 200), description: clip(`Subgraph used as node ${JSON.stringify(clip(name, 200))} in ${f.file} line ${c.call.line}: a compiled graph of its own (its agents are listed separately when its code is imported).`), origin: 'first-party', framework: 'LangGraph', importedFrom: this.b.from(f.file, c.call) }, f.file);
        this.agentFile.set(a, f.file);
        g.agents.push(a);
        return { kind: 'agent', agent: a };
      }
    }
    if (x?.k === 'name') {
      const def = this.project.defOf(x.v, r.file);
      if (def) {
        this.nodeDefs.set(`${g.key}\u0000${name}`, { def: def.item, file: def.file });
        return this.functionNode(g, name, def.item, def.file, c);
      }
    }
    this.b.warn(f.file, 'W_IMPORT_UNRESOLVED', `${owner}: its action is ${describeExpr(action)}, not resolvable without running the code; read as a plain step`, 'pass a function defined in the imported files', action && action.line > 0 ? action : c.call);
    return this.step(name, f.file, c.call, '');
  }

  step(name: string, file: string, at: Expr, description: string): NodeEl {
    const fx = inferEffects(name, description);
    const id = this.b.addTool(`step:${file}:${name}:${at.line}`, name, {
      name: clip(name, 200),
      description: clip(`Graph step ${JSON.stringify(clip(name, 200))} (${file} line ${at.line}): plain code run by the graph, no model call found.${description ? ` ${clip(description, 2000)}` : ''} Side effects guessed from its name.`),
      type: typeForEffects(fx),
      ...(fx.length > 0 ? { sideEffects: fx } : {}),
      transport: 'in-process',
      publisher: { trust: 'first-party' },
      importedFrom: this.b.from(file, at),
    }, file);
    return { kind: 'step', id };
  }

  /** A node function: an agent when it calls a model, else a step. */
  functionNode(g: Graph, name: string, def: PyDef, file: PyFacts, c: PyCall): NodeEl {
    const inside = file.calls.filter((k) => k.scope === def.qualified || k.scope.startsWith(`${def.qualified}.`));
    let model: string | undefined;
    let toolsExpr: { e: Expr; file: PyFacts; scope: string } | undefined;
    let interrupts: Expr[] = [];
    let innerAgent: AgentSpec | undefined;
    for (const k of inside) {
      const n = nameOf(k.call.callee);
      const m = /^(.+)\.(a?invoke|a?stream|a?batch)$/.exec(n);
      if (lastPart(n) === 'interrupt') interrupts = [...interrupts, k.call];
      if (m?.[1] !== undefined) {
        const target = this.project.resolve({ k: 'name', v: m[1], line: k.call.line, column: k.call.column }, file, k.scope);
        const t = target.expr;
        if (t?.k === 'call' && AGENT_FACTORIES.has(lastPart(nameOf(t.callee)))) {
          const pc = target.file.calls.find((y) => y.call.line === t.line && y.call.column === t.column);
          if (pc) innerAgent = this.factoryAgent(target.file, pc);
          continue;
        }
        if (t?.k === 'call' && this.isModelExpr(t, target.file, target.scope)) {
          model ??= modelFromExpr(this.b, this.project, t, target.file, target.scope, `node ${quote(name, 60)}`);
          const bound = this.boundTools(t, target.file, target.scope);
          if (bound) toolsExpr = bound;
        }
      }
    }
    if (innerAgent) {
      g.agents.push(innerAgent);
      this.addApprovals(innerAgent, interrupts, file);
      return { kind: 'agent', agent: innerAgent };
    }
    if (model === undefined) {
      if (interrupts.length > 0) {
        // A human-in-the-loop step: the person decides; modelled as an approval on the agents routing here.
        const el = this.step(name, file.file, c.call, def.docstring ?? '');
        this.b.warn(file.file, 'W_IMPORT_INTERRUPT_STEP', `node ${quote(name, 60)} pauses for a human (interrupt) but calls no model: recorded as a step; the approval is not tied to an agent`, 'add approvals on the agents whose actions this step reviews', interrupts[0] ?? c.call);
        return el;
      }
      return this.step(name, file.file, c.call, def.docstring ?? '');
    }
    const agent = this.b.addAgent(name, {
      name: clip(name, 200),
      description: clip(`Graph node ${JSON.stringify(clip(name, 200))}: function ${def.name} in ${file.file} line ${def.line} calls a model.${def.docstring ? ` ${clip(def.docstring, 2000)}` : ''}`),
      origin: 'first-party',
      framework: 'LangGraph',
      models: [model],
      importedFrom: this.b.from(file.file, def),
    }, file.file);
    this.agentFile.set(agent, file.file);
    if (toolsExpr) this.b.grantRefs(agent, toolsFromList(this.toolCtx(`node ${quote(name, 60)}`, agent), toolsExpr.e, toolsExpr.file, toolsExpr.scope));
    this.addApprovals(agent, interrupts, file);
    g.agents.push(agent);
    return { kind: 'agent', agent };
  }

  addApprovals(agent: AgentSpec, interrupts: readonly Expr[], file: PyFacts): void {
    for (const i of interrupts) {
      const approver = this.approver(file.file, i);
      agent.approvals = [...(agent.approvals ?? []), { action: clip(`interrupt() at ${file.file} line ${i.line}`, 1000), approver, mode: 'before' }];
    }
  }

  isModelExpr(e: Expr, file: PyFacts, scope: string): boolean {
    let cur: Expr | undefined = e;
    for (let i = 0; i < 8 && cur?.k === 'call'; i++) {
      const n = lastPart(nameOf(cur.callee));
      if (/^(Chat[A-Z]\w*|AzureChatOpenAI|init_chat_model|OpenAI|Ollama|LLM)$/.test(n)) return true;
      if (cur.callee.k === 'attr') cur = this.project.resolve(cur.callee.obj, file, scope).expr;
      else if (cur.callee.k === 'name' && cur.callee.v.includes('.')) cur = this.project.resolve({ k: 'name', v: cur.callee.v.slice(0, cur.callee.v.lastIndexOf('.')), line: 0, column: 0 }, file, scope).expr;
      else return false;
    }
    return false;
  }

  boundTools(e: Expr, file: PyFacts, scope: string): { e: Expr; file: PyFacts; scope: string } | undefined {
    let cur: Expr | undefined = e;
    for (let i = 0; i < 8 && cur?.k === 'call'; i++) {
      const n = nameOf(cur.callee);
      if ((cur.callee.k === 'attr' && cur.callee.v === 'bind_tools') || n.endsWith('.bind_tools')) {
        const t = arg(cur, 'tools', 0);
        return t ? { e: t, file, scope } : undefined;
      }
      if (cur.callee.k === 'attr') cur = this.project.resolve(cur.callee.obj, file, scope).expr;
      else if (n.includes('.')) cur = this.project.resolve({ k: 'name', v: n.slice(0, n.lastIndexOf('.')), line: 0, column: 0 }, file, scope).expr;
      else return undefined;
    }
    return undefined;
  }

  edge(g: Graph, from: string, to: string, at: Expr, why: string): void {
    const file = g.file.file;
    if (END.has(to) || from === '__end__') return;
    const dst = g.nodes.get(to);
    if (!dst && to !== '__end__') {
      this.b.warn(file, 'W_IMPORT_UNKNOWN_NODE', `${why} to ${quote(to, 60)}, which the graph does not add as a node: skipped`, 'check the node name', at);
      return;
    }
    if (!dst) return;
    if (from === '__start__') {
      const target = dst.el.kind === 'agent' ? dst.el.agent.id : dst.el.kind === 'step' ? dst.el.id : dst.el.ids[0];
      if (target !== undefined) this.b.addEntryPoint(target, { name: clip(`Input to the graph (${to})`), type: 'user-input', description: clip(`The graph starts at node ${JSON.stringify(clip(to, 200))} with the caller's input (${file} line ${at.line}).`), importedFrom: this.b.from(file, at) }, file);
      return;
    }
    const src = g.nodes.get(from);
    if (!src) {
      this.b.warn(file, 'W_IMPORT_UNKNOWN_NODE', `${why} from ${quote(from, 60)}, which the graph does not add as a node: skipped`, 'check the node name', at);
      return;
    }
    // Agent → tool node: the agent is granted the tools; tool node → agent: the results come back.
    if (dst.el.kind === 'tools') {
      if (src.el.kind === 'agent') {
        for (const id of dst.el.ids) this.b.grant(src.el.agent, id);
        const users = this.toolNodeUsers.get(`${g.key}\u0000${to}`) ?? new Set<AgentSpec>();
        users.add(src.el.agent);
        this.toolNodeUsers.set(`${g.key}\u0000${to}`, users);
      }
      return;
    }
    if (src.el.kind === 'tools') return;
    const fromId = src.el.kind === 'agent' ? src.el.agent.id : src.el.id;
    const toId = dst.el.kind === 'agent' ? dst.el.agent.id : dst.el.id;
    this.b.connect(fromId, toId, { protocol: 'function-call', direction: 'one-way', data: ['graph state'], description: clip(`LangGraph ${why}: ${from} → ${to}; the shared graph state (messages and fields) passes on.`), importedFrom: this.b.from(file, at) }, file);
  }

  agentsOf(f: PyFacts, scope: string, list: Expr | undefined, owner: string): AgentSpec[] {
    const items = this.project.listItems(list, f, scope);
    const out: AgentSpec[] = [];
    for (const it of items.items) {
      const x = it.expr;
      const base = x.k === 'call' && x.callee.k === 'attr' && x.callee.v === 'compile' ? x.callee.obj : x.k === 'call' && nameOf(x.callee).endsWith('.compile') ? this.project.resolve({ k: 'name', v: nameOf(x.callee).slice(0, -8), line: 0, column: 0 }, it.file, it.scope).expr : x;
      if (base?.k === 'call' && AGENT_FACTORIES.has(lastPart(nameOf(base.callee)))) {
        const pc = it.file.calls.find((k) => k.call.line === base.line && k.call.column === base.column);
        if (pc) out.push(this.factoryAgent(it.file, pc));
        continue;
      }
      if (base?.k === 'call' && lastPart(nameOf(base.callee)) === 'create_supervisor') {
        const pc = it.file.calls.find((k) => k.call.line === base.line && k.call.column === base.column);
        if (pc) {
          const s = this.supervisor(it.file, pc);
          if (s) out.push(s);
        }
        continue;
      }
      this.b.warn(f.file, 'W_IMPORT_UNRESOLVED', `${owner}: a member agent is ${describeExpr(it.original)}, not resolvable to an agent`, 'pass agents made by create_react_agent(...) (or variables holding them)', it.original.line > 0 ? it.original : list ?? { line: 1, column: 1 });
    }
    return out;
  }

  readonly supervisors = new Map<string, AgentSpec>();

  supervisor(f: PyFacts, c: PyCall): AgentSpec | undefined {
    const key = this.posKey(f, c.call);
    const have = this.supervisors.get(key);
    if (have) return have;
    const call = c.call;
    const nameE = this.project.resolve(kwarg(call, 'supervisor_name'), f, c.scope).expr;
    const name = nameE?.k === 'str' ? nameE.v : 'supervisor';
    const prompt = this.project.resolve(kwarg(call, 'prompt'), f, c.scope).expr;
    const sup = this.b.addAgent(name, {
      name: clip(name, 200),
      role: 'Supervisor: routes each request to one of its agents and combines their answers',
      description: clip(`Supervisor made by create_supervisor(...) in ${f.file} line ${call.line} (langgraph-supervisor).${prompt?.k === 'str' ? ` Prompt: ${clip(prompt.v, 4000)}` : ''}`),
      origin: 'first-party',
      framework: 'LangGraph',
      importedFrom: this.b.from(f.file, call),
    }, f.file);
    this.supervisors.set(key, sup);
    this.agentFile.set(sup, f.file);
    const model = modelFromExpr(this.b, this.project, kwarg(call, 'model'), f, c.scope, `supervisor ${quote(name, 60)}`);
    if (model !== undefined) sup.models = [model];
    this.b.grantRefs(sup, toolsFromList(this.toolCtx(`supervisor ${quote(name, 60)}`, sup), kwarg(call, 'tools'), f, c.scope));
    for (const a of this.agentsOf(f, c.scope, arg(call, 'agents', 0), `supervisor ${quote(name, 60)}`)) {
      this.b.delegate(sup, a);
      this.b.connect(sup.id, a.id, { protocol: 'function-call', direction: 'bidirectional', data: ['task handoff', 'results'], description: 'Supervisor handoff: the supervisor transfers the conversation to the agent, which hands back when done.', importedFrom: this.b.from(f.file, call) }, f.file);
    }
    // The compiled supervisor graph may take a checkpointer.
    for (const k of f.calls) {
      const callee = k.call.callee;
      let base: Expr | undefined;
      if (callee.k === 'attr' && callee.v === 'compile') base = callee.obj;
      else if (callee.k === 'name' && callee.v.endsWith('.compile')) base = this.project.resolve({ k: 'name', v: callee.v.slice(0, -8), line: k.call.line, column: k.call.column }, f, k.scope).expr;
      if (base?.k === 'call' && base.line === call.line && base.column === call.column) this.compileOptions(f, k.scope, k.call, [sup], undefined);
    }
    return sup;
  }

  swarm(f: PyFacts, c: PyCall): void {
    const agents = this.agentsOf(f, c.scope, arg(c.call, 'agents', 0), 'swarm');
    const def = this.project.resolve(kwarg(c.call, 'default_active_agent'), f, c.scope).expr;
    if (def?.k === 'str') {
      const a = agents.find((x) => x.name === def.v);
      if (a) this.b.addEntryPoint(a.id, { name: clip(`Input to the swarm (${def.v})`), type: 'user-input', description: `The swarm starts with agent ${JSON.stringify(clip(def.v, 200))} (default_active_agent, ${f.file} line ${c.call.line}).`, importedFrom: this.b.from(f.file, c.call) }, f.file);
    }
  }
}

export function importLangGraph(inputs: readonly ImportInput[], options: ImportOptions = {}): ImportResult {
  const imp = new LangGraphImport(options);
  const files: ImportFileReport[] = [];
  const diagnostics: Diagnostic[] = [];
  const pys: ImportInput[] = [];
  for (const i of inputs) {
    if (isPythonPath(i.path)) pys.push(i);
    else {
      diagnostics.push(...refuseFile(i.path, i.text, 'E_IMPORT_NOT_PYTHON', 'the LangGraph importer reads Python source files (.py) only', 'name the .py files or the folder that builds the graph'));
      files.push({ file: i.path, status: 'refused', elements: 0 });
    }
  }
  const parsed = parseAll(pys, diagnostics);
  for (const r of parsed.refused) files.push({ file: r, status: 'refused', elements: 0 });
  imp.run(parsed.facts);
  imp.b.diagnostics.unshift(...diagnostics);
  for (const f of parsed.facts) files.push({ file: f.file, status: 'imported', dialect: 'LangGraph Python code', elements: imp.b.elementsFrom(f.file) });
  if (imp.b.agents.length === 0) {
    if (parsed.facts.length > 0) imp.b.diagnostics.push(diag('E_IMPORT_NO_AGENTS', 'no LangGraph agent found: no StateGraph node calls a model, and no create_react_agent / create_agent / create_supervisor call was found', { hint: 'name the Python files that build the graph' }));
    return { diagnostics: imp.b.diagnostics, notes: imp.b.notes, files: files.map((f) => ({ ...f, status: 'refused' as const, elements: 0 })) };
  }
  const model = imp.b.build(
    `LangGraph system: ${imp.b.agents.length} agent${imp.b.agents.length === 1 ? '' : 's'}`,
    `Imported from ${parsed.facts.length} Python file(s) by maestro-tm import (${imp.graphs.size} StateGraph${imp.graphs.size === 1 ? '' : 's'}). Nodes that call a model are agents; other nodes are graph steps (tools); side effects of custom tools are guessed from their names: review them, and add deployment, data and controls.`,
  );
  return { model, diagnostics: imp.b.diagnostics, notes: imp.b.notes, files };
}

export const langgraphImporter: Importer = {
  id: 'langgraph',
  aliases: ['langchain', 'lang-graph'],
  description: 'LangGraph / LangChain Python code: StateGraph nodes and edges, create_react_agent, supervisors, swarms, ToolNode, MCP clients',
  detect(input) {
    if (!isPythonPath(input.path)) return 0;
    const head = input.text.slice(0, 65_536);
    if (/^\s*(from|import)\s+langgraph\b/m.test(head)) return 0.9;
    if (/^\s*from\s+langchain(\.agents|_core|_openai|_anthropic)?\b/m.test(head) && /create_(react_)?agent|bind_tools/.test(head)) return 0.7;
    return 0;
  },
  wantsPath(path) {
    return isPythonPath(path);
  },
  prepare: preparePython,
  import: importLangGraph,
};

