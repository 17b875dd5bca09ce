/**
 * AutoGen → a model. Reads AutoGen Studio / AgentChat declarative component specs (0.4+: a team, an
 * agent, or a gallery of components, each `{provider, component_type, config}`) and the older
 * AutoGen Studio 0.2 workflow export (`agents: [{agent, link}]` or `sender`/`receiver`).
 *
 * - AssistantAgent (and other agents) → agents, with their model client → a model (de-duplicated),
 *   tools and workbenches → tools and MCP servers, memory → memories;
 * - UserProxyAgent (0.4) → a human taking part in the conversation; 0.2 user proxies are agents that
 *   may run code, with a human behind them unless `human_input_mode` is NEVER;
 * - teams (RoundRobin, Selector, Swarm, MagenticOne, GraphFlow) → channels between participants and the
 *   conversation they share; an LLM that picks the next speaker becomes an orchestrating agent;
 *   termination conditions and max_turns → budgets;
 * - FunctionTool / skill source code is read as TEXT to guess side effects; it is never executed.
 *
 * Secrets (api_key, secret headers and env values) are never copied: only where they are stored.
 */
import { diag, quote, type Diagnostic } from '../../model/diagnostics.js';
import type { AgentSpec, MemorySpec, SideEffectName, ToolSpec } from '../../model/schema.js';
import { child, describeNode, entry, parseInputTree, str, text, type PNode, type PObject, type Pos } from '../_source.js';
import { clip, slug } from '../_model.js';
import { typeForEffects } from '../_python/knowledge.js';
import type { ImportFileReport, ImportInput, ImportNote, ImportOptions, ImportResult, Importer } from '../types.js';
import { from, INTERNET, note, RUNTIME, SystemBuilder, warn, type Ctx, type HeaderInput } from './builder.js';
import { effectsOfCode, moduleNames } from './code.js';

const FORMAT = 'autogen';
/** Most participants of one team that get channels between every pair. */
const MAX_PAIRWISE = 40;
/** Most components read from one file. */
const MAX_COMPONENTS = 5_000;

interface Comp {
  readonly node: PObject;
  readonly provider: string;
  /** The class name: the last part of the provider. */
  readonly cls: string;
  readonly type: string;
  readonly label?: string;
  readonly description?: string;
  readonly config?: PObject;
}

function comp(n: PNode | undefined): Comp | undefined {
  if (n?.t !== 'object') return undefined;
  const provider = str(child(n, 'provider'));
  if (provider === undefined || provider.trim() === '') return undefined;
  const cfg = child(n, 'config');
  const label = str(child(n, 'label'));
  const description = str(child(n, 'description'));
  return {
    node: n,
    provider,
    cls: provider.split('.').pop() ?? provider,
    type: str(child(n, 'component_type')) ?? '',
    ...(label !== undefined ? { label } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(cfg?.t === 'object' ? { config: cfg } : {}),
  };
}

function items(n: PNode | undefined): PNode[] {
  if (n === undefined || n.t === 'null') return [];
  return n.t === 'array' ? n.items.slice(0, MAX_COMPONENTS) : [n];
}

function num(n: PNode | undefined): number | undefined {
  return n?.t === 'number' && typeof n.value === 'number' && Number.isFinite(n.value) ? n.value : undefined;
}

function count(v: number | undefined): number | undefined {
  return v === undefined || v < 0 ? undefined : Math.min(1e9, Math.floor(v));
}

interface Participant {
  readonly id: string;
  readonly kind: 'agent' | 'human';
  readonly name: string;
  /** Swarm handoff targets, by agent name. */
  readonly handoffs: { readonly target: string; readonly pos: Pos; readonly pointer: string }[];
}

interface FileState {
  readonly b: SystemBuilder;
  readonly ctx: Ctx;
  /** Prefix for agent ids when one file holds several teams (a gallery). */
  prefix: string;
  /** Nested teams (SocietyOfMindAgent, a team as participant) still to read. */
  readonly queue: { c: Comp; prefix: string }[];
  user?: string;
  version: '0.4' | '0.2';
}

// ---------------------------------------------------------------------------------------------------------------------
// Models

const CLIENTS: Readonly<Record<string, { provider: string; hosting?: 'self-hosted' }>> = {
  OpenAIChatCompletionClient: { provider: 'openai' },
  AzureOpenAIChatCompletionClient: { provider: 'azure-openai' },
  AzureAIChatCompletionClient: { provider: 'azure-ai' },
  AnthropicChatCompletionClient: { provider: 'anthropic' },
  AnthropicBedrockChatCompletionClient: { provider: 'aws-bedrock' },
  OllamaChatCompletionClient: { provider: 'ollama', hosting: 'self-hosted' },
  LlamaCppChatCompletionClient: { provider: 'llama.cpp', hosting: 'self-hosted' },
  GeminiChatCompletionClient: { provider: 'google' },
  SKChatCompletionAdapter: { provider: 'semantic-kernel' },
  ReplayChatCompletionClient: { provider: 'replay (test double)', hosting: 'self-hosted' },
};

const API_TYPES: Readonly<Record<string, string>> = { open_ai: 'openai', openai: 'openai', azure: 'azure-openai', anthropic: 'anthropic', google: 'google', gemini: 'google', mistral: 'mistral', groq: 'groq', ollama: 'ollama', together: 'together', bedrock: 'aws-bedrock' };

function secretOf(cfg: PObject | undefined): { name: string; value: string; pos: Pos; pointer: string } | undefined {
  const e = entry(cfg, 'api_key');
  const v = text(e?.value);
  if (!e || v === undefined || v.trim() === '') return undefined;
  return { name: 'api_key', value: v, pos: e.keyPos, pointer: e.value.pointer };
}

function modelOfClient(s: FileState, c: Comp): string {
  const known = CLIENTS[c.cls];
  if (!Object.hasOwn(CLIENTS, c.cls)) warn(s.ctx, 'W_AUTOGEN_MODEL_CLIENT', `model client ${quote(c.cls, 60)} is not one maestro-tm knows: read as a hosted model`, 'check provider and hosting of this model by hand', c.node.pos, c.node.pointer);
  const cfg = c.config;
  const model = str(child(cfg, 'model')) ?? str(child(cfg, 'azure_deployment'));
  const baseUrl = str(child(cfg, 'base_url')) ?? str(child(cfg, 'azure_endpoint')) ?? str(child(cfg, 'host'));
  const secret = secretOf(cfg);
  return s.b.model(s.ctx, {
    provider: known?.provider ?? c.cls,
    ...(model !== undefined ? { model } : {}),
    ...(baseUrl !== undefined ? { baseUrl } : {}),
    ...(known?.hosting !== undefined ? { hosting: known.hosting } : {}),
    ...(secret ? { secret } : {}),
    pos: c.node.pos,
    pointer: c.node.pointer,
  });
}

/** 0.2 model entries: {model, api_type, base_url, api_key}. */
function modelOf02(s: FileState, m: PNode): string | undefined {
  if (m.t !== 'object') return undefined;
  const model = str(child(m, 'model'));
  const apiType = (str(child(m, 'api_type')) ?? '').toLowerCase();
  const baseUrl = str(child(m, 'base_url'));
  const secret = secretOf(m);
  if (model === undefined && apiType === '') return undefined;
  return s.b.model(s.ctx, {
    provider: Object.hasOwn(API_TYPES, apiType) ? (API_TYPES[apiType] ?? apiType) : apiType !== '' ? apiType : 'openai',
    ...(model !== undefined ? { model } : {}),
    ...(baseUrl !== undefined ? { baseUrl } : {}),
    ...(apiType === 'ollama' ? { hosting: 'self-hosted' as const } : {}),
    ...(secret ? { secret } : {}),
    pos: m.pos,
    pointer: m.pointer,
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// Tools

function sourceTool(s: FileState, node: PNode, name: string, description: string, code: string | undefined, imports: string[], what: string): string {
  const key = `tool|${name}|${description}|${code ?? ''}`;
  return s.b.once(key, () => {
    const effects = effectsOfCode(name, description, code, imports);
    const id = s.b.ids.take(slug(name, 'tool'), 'tools');
    const spec: ToolSpec = {
      id,
      name: clip(name),
      type: typeForEffects(effects),
      transport: 'in-process',
      description: clip(`${description !== '' ? `${description.trim()}\n\n` : ''}${what}: Python source written in the configuration file and run inside the agent process with its privileges. Side effects were guessed from the name, description and imports${imports.length > 0 ? ` (${imports.slice(0, 20).join(', ')})` : ''}; the code was read as text, never run: check them.`, 100_000),
      boundary: RUNTIME,
      tags: ['source-in-config'],
      importedFrom: from(s.ctx, node.pos, node.pointer),
    };
    if (effects.length > 0) spec.sideEffects = effects;
    if (effects.includes('network-egress') && (effects.includes('read') || /search|fetch|scrape|crawl|browse|web/i.test(name))) spec.accesses = [s.b.web()];
    s.b.tools.push(spec);
    return id;
  });
}

function executorTool(s: FileState, c: Comp | undefined, owner: string, node: PNode): string {
  const cls = c?.cls ?? 'code executor';
  const local = /Local|Jupyter/i.test(cls) && !/Docker/i.test(cls);
  const docker = /Docker/i.test(cls);
  const remote = /ACADynamicSessions|Azure/i.test(cls);
  return s.b.once(`executor|${owner}|${cls}|${node.pointer}`, () => {
    const id = s.b.ids.take(slug(`${owner}_code_execution`, 'code_execution'), 'tools');
    const effects: SideEffectName[] = local ? ['execute-code', 'network-egress', 'write'] : ['execute-code'];
    const spec: ToolSpec = {
      id,
      name: clip(`Code execution (${cls})`),
      type: 'code-interpreter',
      transport: 'in-process',
      sideEffects: effects,
      description: local
        ? 'Runs code the model writes on the host itself, as the user running AutoGen: no sandbox, with its files, network and credentials.'
        : docker
          ? 'Runs code the model writes in a Docker container: check the image, mounts and network of the container.'
          : remote
            ? 'Runs code the model writes in a remote sandbox service.'
            : 'Runs code the model writes.',
      boundary: RUNTIME,
      tags: local ? ['local-code-execution'] : docker ? ['container-code-execution'] : [],
      importedFrom: from(s.ctx, node.pos, node.pointer),
    };
    if (spec.tags?.length === 0) delete spec.tags;
    const workDir = str(child(c?.config, 'work_dir'));
    if (workDir !== undefined) (spec as Record<string, unknown>)['x-autogen'] = { workDir: clip(workDir, 2000) };
    if (local) note(s.ctx, 'I_LOCAL_CODE_EXECUTION', `${quote(cls, 60)} runs model-written code directly on the host (no sandbox)`, node.pos, node.pointer, id);
    s.b.tools.push(spec);
    return id;
  });
}

function headersOf(n: PNode | undefined): HeaderInput[] {
  if (n?.t !== 'object') return [];
  return n.entries.slice(0, 200).map((e) => ({ name: e.key, value: text(e.value) ?? '', pos: e.keyPos }));
}

function mcpFromParams(s: FileState, params: PNode | undefined, name: string, description: string | undefined, node: PNode): string | undefined {
  if (params?.t !== 'object') {
    warn(s.ctx, 'W_AUTOGEN_MCP', `MCP component ${quote(name, 60)} has no "server_params": skipped`, 'give the server parameters (command/args or url)', node.pos, node.pointer);
    return undefined;
  }
  const type = str(child(params, 'type')) ?? '';
  const url = str(child(params, 'url'));
  const command = str(child(params, 'command'));
  const args = items(child(params, 'args')).map((a) => text(a)).filter((a): a is string => a !== undefined);
  const transport = /Stdio/i.test(type) || (command !== undefined && url === undefined) ? 'stdio' : /Sse/i.test(type) ? 'sse' : 'streamable-http';
  return s.b.once(`mcp|${JSON.stringify([type, url, command, args])}`, () =>
    s.b.mcpServer(s.ctx, {
      name,
      transport,
      ...(command !== undefined ? { command, args } : {}),
      ...(url !== undefined ? { url } : {}),
      env: headersOf(child(params, 'env')),
      headers: headersOf(child(params, 'headers')),
      ...(description !== undefined ? { description } : {}),
      pos: node.pos,
      pointer: node.pointer,
    }),
  );
}

/** A tool component → the id of a tool or MCP server. */
function toolOf(s: FileState, c: Comp, owner: string): string | undefined {
  const cfg = c.config;
  const name = str(child(cfg, 'name')) ?? c.label ?? c.cls;
  const description = str(child(cfg, 'description')) ?? c.description ?? '';
  switch (c.cls) {
    case 'FunctionTool': {
      const imports = moduleNames(items(child(cfg, 'global_imports')).map((i) => str(i) ?? str(child(i, 'module'))));
      return sourceTool(s, c.node, name, description, str(child(cfg, 'source_code')), imports, 'AutoGen FunctionTool');
    }
    case 'PythonCodeExecutionTool':
      return executorTool(s, comp(child(cfg, 'executor')), owner, c.node);
    case 'StdioMcpToolAdapter':
    case 'SseMcpToolAdapter':
    case 'StreamableHttpMcpToolAdapter':
      return mcpFromParams(s, child(cfg, 'server_params'), str(child(child(cfg, 'tool'), 'name')) ?? name, description, c.node);
    case 'HttpTool': {
      const method = (str(child(cfg, 'method')) ?? 'POST').toUpperCase();
      const host = str(child(cfg, 'host')) ?? '';
      const effects: SideEffectName[] = method === 'GET' ? ['network-egress', 'read'] : method === 'DELETE' ? ['delete', 'network-egress'] : ['network-egress', 'write'];
      return s.b.once(`http|${name}|${host}|${method}`, () => {
        const id = s.b.ids.take(slug(name, 'http_tool'), 'tools');
        s.b.tools.push({ id, name: clip(name), type: 'api', transport: 'http', sideEffects: effects, description: clip(`${description} (HTTP ${method} ${host})`), boundary: INTERNET, importedFrom: from(s.ctx, c.node.pos, c.node.pointer) });
        s.b.internet = true;
        return id;
      });
    }
    default: {
      warn(s.ctx, 'W_AUTOGEN_TOOL', `tool ${quote(c.cls, 60)} is not one maestro-tm knows: imported with side effects guessed from its name`, 'check its side effects by hand', c.node.pos, c.node.pointer);
      return sourceTool(s, c.node, name, description, undefined, [], `AutoGen tool ${c.cls}`);
    }
  }
}

/** Tools of an agent: `tools` (a list of tool components) and `workbench` (one or a list). */
function toolsOfAgent(s: FileState, cfg: PObject | undefined, owner: string): string[] {
  const out: string[] = [];
  const add = (id: string | undefined) => {
    if (id !== undefined && !out.includes(id)) out.push(id);
  };
  for (const t of items(child(cfg, 'tools'))) {
    const c = comp(t);
    if (c) add(toolOf(s, c, owner));
    else warn(s.ctx, 'W_AUTOGEN_COMPONENT', `a tool entry is ${describeNode(t)}, not a component: skipped`, 'a component has "provider", "component_type" and "config"', t.pos, t.pointer);
  }
  for (const w of items(child(cfg, 'workbench'))) {
    const c = comp(w);
    if (!c) continue;
    for (const id of workbenchTools(s, c, owner)) add(id);
  }
  return out;
}

function workbenchTools(s: FileState, c: Comp, owner: string): string[] {
  if (/McpWorkbench/.test(c.cls)) {
    const id = mcpFromParams(s, child(c.config, 'server_params'), c.label ?? 'MCP server', c.description, c.node);
    return id !== undefined ? [id] : [];
  }
  const out: string[] = [];
  for (const t of items(child(c.config, 'tools'))) {
    const tc = comp(t);
    const id = tc ? toolOf(s, tc, owner) : undefined;
    if (id !== undefined && !out.includes(id)) out.push(id);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------------
// Agents

const MEMORY_TYPES: Readonly<Record<string, { type: MemorySpec['type']; persistence: 'session' | 'persistent' }>> = {
  ListMemory: { type: 'short-term', persistence: 'session' },
  ChromaDBVectorMemory: { type: 'vector-store', persistence: 'persistent' },
  RedisMemory: { type: 'vector-store', persistence: 'persistent' },
  Mem0Memory: { type: 'long-term', persistence: 'persistent' },
  TaskCentricMemoryController: { type: 'long-term', persistence: 'persistent' },
};

function agentOf(s: FileState, c: Comp, opts: { top?: boolean } = {}): Participant | undefined {
  const cfg = c.config;
  const name = str(child(cfg, 'name')) ?? c.label ?? c.cls;
  const description = str(child(cfg, 'description')) ?? c.description;
  if (c.cls === 'UserProxyAgent') {
    const id = s.b.ids.take(slug(`${s.prefix}${name}`, 'user'), 'humans');
    s.b.humans.push({
      id,
      name: clip(`${name} (UserProxyAgent: a person in the conversation)`),
      role: 'user',
      trust: 'authenticated',
      ...(description !== undefined ? { description: clip(description, 100_000) } : {}),
      importedFrom: from(s.ctx, c.node.pos, c.node.pointer),
    });
    return { id, kind: 'human', name, handoffs: [] };
  }
  const id = s.b.ids.take(slug(`${s.prefix}${name}`, 'agent'), 'agents');
  const agent: AgentSpec = {
    id,
    name: clip(name),
    framework: 'AutoGen',
    origin: 'first-party',
    boundary: RUNTIME,
    importedFrom: from(s.ctx, c.node.pos, c.node.pointer),
  };
  if (description !== undefined) agent.description = clip(description, 100_000);
  const sys = str(child(cfg, 'system_message'));
  if (sys !== undefined) agent.prompt = { source: 'inline' };
  const mc = comp(child(cfg, 'model_client'));
  if (mc) agent.models = [modelOfClient(s, mc)];
  const tools = toolsOfAgent(s, cfg, id);
  if (c.cls === 'MultimodalWebSurfer' || c.cls === 'FileSurfer' || c.cls === 'VideoSurfer') {
    const web = c.cls === 'MultimodalWebSurfer';
    const tid = s.b.ids.take(`${id}_${web ? 'browser' : 'files'}`.slice(0, 128), 'tools');
    const start = str(child(cfg, 'start_page'));
    s.b.tools.push({
      id: tid,
      name: clip(web ? `Web browser of ${name} (Playwright)` : `Local files read by ${name}`),
      type: web ? 'browser' : 'filesystem',
      transport: 'in-process',
      sideEffects: web ? ['network-egress', 'read', 'write'] : ['read'],
      description: web ? `A real browser the agent drives: it visits any page, clicks and types into forms${start !== undefined ? `; starts at ${clip(start, 500)}` : ''}.` : 'Reads files on the host the agent is pointed at.',
      boundary: RUNTIME,
      ...(web ? { accesses: [s.b.web()] } : {}),
      importedFrom: from(s.ctx, c.node.pos, c.node.pointer),
    });
    tools.push(tid);
    if (web) {
      s.b.entryPoints.push({ id: s.b.ids.take(`${id}_web_pages`.slice(0, 128), 'entryPoints'), name: clip(`Web pages read by ${name}`), target: id, source: s.b.web(), type: 'web-content', trust: 'untrusted', importedFrom: from(s.ctx, c.node.pos, c.node.pointer) });
    }
  }
  const executor = comp(child(cfg, 'code_executor'));
  if (executor || c.cls === 'CodeExecutorAgent') tools.push(executorTool(s, executor, id, executor?.node ?? c.node));
  if (tools.length > 0) agent.tools = [...new Set(tools)];
  const reads: string[] = [];
  for (const m of items(child(cfg, 'memory'))) {
    const mcomp = comp(m);
    if (!mcomp) continue;
    const kind = MEMORY_TYPES[mcomp.cls] ?? { type: 'long-term' as const, persistence: 'persistent' as const };
    const mid = s.b.ids.take(`${id}_${slug(mcomp.cls, 'memory')}`.slice(0, 128), 'memories');
    s.b.memories.push({ id: mid, name: clip(`${mcomp.label ?? mcomp.cls} of ${name}`), type: kind.type, persistence: kind.persistence, description: clip(`AutoGen memory ${mcomp.cls}: its content is added to the agent's context before each answer.`), boundary: RUNTIME, importedFrom: from(s.ctx, mcomp.node.pos, mcomp.node.pointer) });
    reads.push(mid);
  }
  if (reads.length > 0) agent.memory = { reads };
  const maxTool = count(num(child(cfg, 'max_tool_iterations')));
  if (maxTool !== undefined) agent.budgets = { maxToolCalls: maxTool };
  const x: Record<string, unknown> = { provider: clip(c.provider, 500) };
  if (sys !== undefined) x['systemMessage'] = clip(sys, 4000);
  (agent as Record<string, unknown>)['x-autogen'] = x;
  const known = ['AssistantAgent', 'MultimodalWebSurfer', 'FileSurfer', 'VideoSurfer', 'CodeExecutorAgent', 'SocietyOfMindAgent', 'OpenAIAssistantAgent', 'OpenAIAgent', 'MessageFilterAgent'];
  if (!known.includes(c.cls)) warn(s.ctx, 'W_AUTOGEN_AGENT', `agent class ${quote(c.cls, 60)} is not one maestro-tm knows: imported as a plain agent`, 'check its tools and behaviour by hand', c.node.pos, c.node.pointer);
  if (c.cls === 'SocietyOfMindAgent') {
    const inner = comp(child(cfg, 'team'));
    if (inner) s.queue.push({ c: inner, prefix: `${id}.` });
  }
  s.b.agents.push(agent);
  const handoffs = items(child(cfg, 'handoffs')).map((h) => ({ target: str(h) ?? str(child(h, 'target')) ?? '', pos: h.pos, pointer: h.pointer })).filter((h) => h.target !== '');
  if (opts.top === true) entryFromUser(s, id, c.node);
  return { id, kind: 'agent', name, handoffs };
}

function userHuman(s: FileState): string {
  s.user ??= s.b.once('human|user', () => {
    const id = s.b.ids.take('autogen_user', 'humans');
    s.b.humans.push({ id, name: 'The person who starts a task', role: 'user', trust: 'authenticated', description: 'Whoever types the task into AutoGen Studio or the application that runs the team.' });
    return id;
  });
  return s.user;
}

function entryFromUser(s: FileState, target: string, node: PNode, source?: string): void {
  const user = source ?? userHuman(s);
  const via = s.b.hasChannel(user, target) ?? s.b.channel(user, target, { protocol: 'function-call', authentication: 'none', encryption: 'none', direction: 'bidirectional', data: ['task', 'messages'], description: 'The task given to the agents, and their answer.' });
  s.b.entryPoints.push({ id: s.b.ids.take(`${target}_task`.slice(0, 128), 'entryPoints'), name: 'The task', target, source: user, via, type: 'user-input', trust: 'authenticated', importedFrom: from(s.ctx, node.pos, node.pointer) });
}

// ---------------------------------------------------------------------------------------------------------------------
// Teams

interface Limits {
  maxMessages?: number;
  timeoutSeconds?: number;
  bounded: boolean;
  kinds: string[];
}

function terminationOf(n: PNode | undefined): Limits {
  const out: Limits = { bounded: false, kinds: [] };
  const stack: PNode[] = n ? [n] : [];
  let guard = 0;
  while (stack.length > 0 && guard++ < 1000) {
    const c = comp(stack.pop());
    if (!c) continue;
    out.kinds.push(c.cls);
    const cfg = c.config;
    switch (c.cls) {
      case 'MaxMessageTermination': {
        const v = count(num(child(cfg, 'max_messages')));
        if (v !== undefined) out.maxMessages = Math.min(out.maxMessages ?? v, v);
        out.bounded = true;
        break;
      }
      case 'TimeoutTermination': {
        const v = count(num(child(cfg, 'timeout_seconds')));
        if (v !== undefined) out.timeoutSeconds = Math.min(out.timeoutSeconds ?? v, v);
        out.bounded = true;
        break;
      }
      case 'TokenUsageTermination':
        out.bounded = true;
        break;
      default:
        for (const sub of items(child(cfg, 'conditions'))) stack.push(sub);
    }
  }
  return out;
}

function teamOf(s: FileState, c: Comp, teamName: string): void {
  const cfg = c.config;
  const participants: Participant[] = [];
  for (const p of items(child(cfg, 'participants'))) {
    const pc = comp(p);
    if (!pc) {
      warn(s.ctx, 'W_AUTOGEN_COMPONENT', `a participant is ${describeNode(p)}, not a component: skipped`, 'a component has "provider", "component_type" and "config"', p.pos, p.pointer);
      continue;
    }
    if (pc.type === 'team') {
      warn(s.ctx, 'W_AUTOGEN_NESTED_TEAM', `team ${quote(pc.label ?? pc.cls, 60)} inside team ${quote(teamName, 60)} is imported on its own`, 'connect the two teams by hand if they exchange messages', p.pos, p.pointer);
      s.queue.push({ c: pc, prefix: `${slug(pc.label ?? pc.cls, 'team')}.` });
      continue;
    }
    const part = agentOf(s, pc);
    if (part) participants.push(part);
  }
  const agents = participants.filter((p) => p.kind === 'agent');
  if (agents.length === 0) {
    warn(s.ctx, 'W_AUTOGEN_EMPTY_TEAM', `team ${quote(teamName, 60)} has no agent participant`, 'a team needs "participants"', c.node.pos, c.node.pointer);
    return;
  }
  const byName = new Map<string, Participant>();
  for (const p of participants) if (!byName.has(p.name)) byName.set(p.name, p);
  const spec = (a: string) => s.b.agents.find((x) => x.id === a);
  const link = (a: string, b: string, how: string) => s.b.channel(a, b, { protocol: 'message-queue', authentication: 'none', encryption: 'none', direction: 'bidirectional', data: ['messages'], description: clip(`${how} (team ${teamName})`) });

  // Who talks to whom.
  if (c.cls === 'GraphFlow') {
    const nodes = child(child(cfg, 'graph'), 'nodes');
    for (const e of nodes?.t === 'object' ? nodes.entries : []) {
      const src = byName.get(e.key);
      for (const edge of items(child(e.value, 'edges'))) {
        const dst = byName.get(str(child(edge, 'target')) ?? '');
        if (!src || !dst) continue;
        s.b.channel(src.id, dst.id, { protocol: 'message-queue', authentication: 'none', encryption: 'none', direction: 'one-way', data: ['messages'], description: clip(`GraphFlow edge (team ${teamName})`) });
        const a = spec(src.id);
        if (a && dst.kind === 'agent') a.delegatesTo = [...new Set([...(a.delegatesTo ?? []), dst.id])];
      }
    }
  } else {
    const shown = participants.slice(0, MAX_PAIRWISE);
    if (participants.length > MAX_PAIRWISE) warn(s.ctx, 'W_AUTOGEN_LARGE_TEAM', `team ${quote(teamName, 60)} has ${participants.length} participants: channels are drawn between the first ${MAX_PAIRWISE}`, 'add the others by hand', c.node.pos, c.node.pointer);
    for (let i = 0; i < shown.length; i++) for (let j = i + 1; j < shown.length; j++) link((shown[i] as Participant).id, (shown[j] as Participant).id, 'Group chat: every message is broadcast to every participant');
  }
  // Swarm handoffs.
  for (const p of agents) {
    for (const h of p.handoffs) {
      const dst = byName.get(h.target);
      const a = spec(p.id);
      if (dst && a) {
        if (dst.kind === 'agent') a.delegatesTo = [...new Set([...(a.delegatesTo ?? []), dst.id])];
      } else if (h.target !== 'user') {
        warn(s.ctx, 'W_AUTOGEN_HANDOFF', `handoff to ${quote(h.target, 60)}, which is not a participant of team ${quote(teamName, 60)}`, 'check the handoff target name', h.pos, h.pointer);
      }
    }
  }
  // The conversation every participant sees.
  const thread = s.b.ids.take(slug(`${s.prefix}${teamName}_conversation`, 'conversation'), 'memories');
  s.b.memories.push({
    id: thread,
    name: clip(`Conversation of team ${teamName}`),
    type: 'shared-scratchpad',
    persistence: 'session',
    isolation: 'shared',
    description: 'The message thread of the group chat: every participant reads every message and adds its own; what one agent writes (including text from tools and web pages) becomes input to all the others.',
    boundary: RUNTIME,
    importedFrom: from(s.ctx, c.node.pos, c.node.pointer),
  });
  for (const p of agents) {
    const a = spec(p.id);
    if (a) a.memory = { reads: [...new Set([...(a.memory?.reads ?? []), thread])], writes: [...new Set([...(a.memory?.writes ?? []), thread])] };
  }
  // An LLM that picks the next speaker.
  if (/Selector|MagenticOne/.test(c.cls)) {
    const mc = comp(child(cfg, 'model_client')) ?? comp(child(cfg, 'orchestrator_model_client'));
    const oid = s.b.ids.take(slug(`${s.prefix}${teamName}_selector`, 'selector'), 'agents');
    const orch: AgentSpec = {
      id: oid,
      name: clip(`${c.cls === 'SelectorGroupChat' ? 'Speaker selector' : 'Orchestrator'} of team ${teamName}`),
      framework: 'AutoGen',
      origin: 'first-party',
      role: c.cls === 'SelectorGroupChat' ? 'Reads the conversation and picks which participant speaks next' : 'Plans the task, tracks progress and picks which participant acts next',
      delegatesTo: agents.map((p) => p.id),
      memory: { reads: [thread] },
      boundary: RUNTIME,
      importedFrom: from(s.ctx, c.node.pos, c.node.pointer),
    };
    if (mc) orch.models = [modelOfClient(s, mc)];
    if (str(child(cfg, 'selector_prompt')) !== undefined) orch.prompt = { source: 'inline' };
    s.b.agents.push(orch);
    for (const p of agents) {
      const a = spec(p.id);
      if (a) a.acceptsFrom = [...new Set([...(a.acceptsFrom ?? []), oid])];
      s.b.channel(oid, p.id, { protocol: 'message-queue', authentication: 'none', encryption: 'none', direction: 'one-way', data: ['speaker selection'], description: clip(`The ${c.cls} picks the next speaker (team ${teamName})`) });
    }
  }
  // Limits.
  const lim = terminationOf(child(cfg, 'termination_condition'));
  const maxTurns = count(num(child(cfg, 'max_turns')));
  const maxIterations = maxTurns !== undefined ? Math.min(maxTurns, lim.maxMessages ?? maxTurns) : lim.maxMessages;
  for (const p of agents) {
    const a = spec(p.id);
    if (!a) continue;
    if (maxIterations !== undefined) a.budgets = { ...(a.budgets ?? {}), maxIterations };
    if (lim.timeoutSeconds !== undefined) a.budgets = { ...(a.budgets ?? {}), timeoutSeconds: lim.timeoutSeconds };
  }
  if (!lim.bounded && maxTurns === undefined) {
    const first = agents[0];
    if (first) {
      note(s.ctx, 'I_UNBOUNDED_RUN', `team ${quote(teamName, 60)} has no message, turn, token or time limit${lim.kinds.length > 0 ? ` (only ${[...new Set(lim.kinds)].join(', ')})` : ''}: it runs until a model decides to stop`, c.node.pos, c.node.pointer, first.id);
      const a = spec(first.id);
      if (a) a.tags = [...new Set([...(a.tags ?? []), 'no-run-limit'])];
    }
  }
  // The task enters through the first agent; a UserProxyAgent in the team is the person giving it.
  const human = participants.find((p) => p.kind === 'human');
  const firstAgent = agents[0];
  if (firstAgent) entryFromUser(s, firstAgent.id, c.node, human?.id);
}

// ---------------------------------------------------------------------------------------------------------------------
// AutoGen Studio 0.2 workflows

function agent02(s: FileState, n: PNode, seen: Map<string, Participant>): Participant | undefined {
  const cfg = child(n, 'config');
  const type = (str(child(n, 'type')) ?? '').toLowerCase();
  const name = str(child(cfg, 'name')) ?? type;
  if (cfg?.t !== 'object' || name === '') {
    warn(s.ctx, 'W_AUTOGEN_COMPONENT', `a 0.2 agent is ${describeNode(n)} without "config.name": skipped`, 'a 0.2 agent has "type" and "config" with "name"', n.pos, n.pointer);
    return undefined;
  }
  const known = seen.get(name);
  if (known) return known;
  const id = s.b.ids.take(slug(name, 'agent'), 'agents');
  const agent: AgentSpec = { id, name: clip(name), framework: 'AutoGen 0.2', origin: 'first-party', boundary: RUNTIME, importedFrom: from(s.ctx, n.pos, n.pointer) };
  const description = str(child(cfg, 'description'));
  if (description !== undefined) agent.description = clip(description, 100_000);
  if (str(child(cfg, 'system_message')) !== undefined) agent.prompt = { source: 'inline' };
  const models: string[] = [];
  for (const m of items(child(n, 'models'))) {
    const mid = modelOf02(s, m);
    if (mid !== undefined) models.push(mid);
  }
  for (const m of items(child(child(cfg, 'llm_config'), 'config_list'))) {
    const mid = modelOf02(s, m);
    if (mid !== undefined) models.push(mid);
  }
  if (models.length > 0) agent.models = [...new Set(models)];
  const tools: string[] = [];
  for (const sk of items(child(n, 'skills'))) {
    const skName = str(child(sk, 'name')) ?? str(child(sk, 'title'));
    if (skName === undefined) continue;
    tools.push(sourceTool(s, sk, skName, str(child(sk, 'description')) ?? '', str(child(sk, 'content')), [], 'AutoGen Studio skill'));
  }
  const exec = child(cfg, 'code_execution_config');
  const execText = str(exec);
  const runsCode = exec !== undefined && exec.t !== 'null' && !(exec.t === 'boolean' && exec.value === false) && execText !== 'none' && execText !== 'false';
  if (runsCode) {
    const docker = exec.t === 'object' ? child(exec, 'use_docker') : undefined;
    const local = execText === 'local' || (docker !== undefined && docker.t === 'boolean' && !docker.value);
    tools.push(executorTool(s, { node: n as PObject, provider: local ? 'LocalCommandLineCodeExecutor' : 'DockerCommandLineCodeExecutor', cls: local ? 'LocalCommandLineCodeExecutor' : execText === 'docker' ? 'DockerCommandLineCodeExecutor' : 'code executor', type: 'code_executor' }, id, exec));
  }
  if (tools.length > 0) agent.tools = [...new Set(tools)];
  const mode = (str(child(cfg, 'human_input_mode')) ?? '').toUpperCase();
  const autonomy = mode === 'ALWAYS' ? 'supervised' : mode === 'TERMINATE' ? 'conditional' : mode === 'NEVER' ? 'full' : undefined;
  if (autonomy !== undefined) agent.autonomy = autonomy;
  const replies = count(num(child(cfg, 'max_consecutive_auto_reply')));
  if (replies !== undefined) agent.budgets = { maxIterations: replies };
  (agent as Record<string, unknown>)['x-autogen'] = { type: clip(type, 100), ...(mode !== '' ? { humanInputMode: clip(mode, 100) } : {}) };
  s.b.agents.push(agent);
  const p: Participant = { id, kind: 'agent', name, handoffs: [] };
  seen.set(name, p);
  if (type === 'userproxy' && (mode === 'ALWAYS' || mode === 'TERMINATE')) {
    const hid = s.b.ids.take(slug(`${name}_human`, 'human'), 'humans');
    s.b.humans.push({ id: hid, name: clip(`The person behind ${name}`), role: 'user', trust: 'authenticated', description: `human_input_mode ${mode}: a person answers for ${name}${mode === 'ALWAYS' ? ' at every turn' : ' when the conversation would end'}.`, importedFrom: from(s.ctx, n.pos, n.pointer) });
    s.b.channel(hid, id, { protocol: 'function-call', authentication: 'none', encryption: 'none', direction: 'bidirectional', data: ['human input'], description: 'The console or UI where the person types.' });
    agent.approvals = [{ action: mode === 'ALWAYS' ? 'every reply' : 'ending the conversation', approver: hid, mode: 'before' }];
  }
  if (type === 'groupchat') {
    const members: Participant[] = [];
    for (const m of items(child(n, 'agents'))) {
      const mp = agent02(s, m, seen);
      if (mp && mp.id !== id) members.push(mp);
    }
    agent.role = 'Group chat manager: reads the conversation and picks which member speaks next';
    agent.delegatesTo = members.map((m) => m.id);
    const thread = s.b.ids.take(slug(`${name}_conversation`, 'conversation'), 'memories');
    s.b.memories.push({ id: thread, name: clip(`Conversation of group chat ${name}`), type: 'shared-scratchpad', persistence: 'session', isolation: 'shared', description: 'The message thread every member reads and adds to.', boundary: RUNTIME, importedFrom: from(s.ctx, n.pos, n.pointer) });
    agent.memory = { reads: [thread], writes: [thread] };
    const all = [p, ...members].slice(0, MAX_PAIRWISE);
    for (const m of members) {
      const a = s.b.agents.find((x) => x.id === m.id);
      if (a) {
        a.memory = { reads: [...new Set([...(a.memory?.reads ?? []), thread])], writes: [...new Set([...(a.memory?.writes ?? []), thread])] };
        a.acceptsFrom = [...new Set([...(a.acceptsFrom ?? []), id])];
      }
    }
    for (let i = 0; i < all.length; i++) for (let j = i + 1; j < all.length; j++) s.b.channel((all[i] as Participant).id, (all[j] as Participant).id, { protocol: 'message-queue', authentication: 'none', encryption: 'none', direction: 'bidirectional', data: ['messages'], description: clip(`Group chat ${name}: every message is broadcast to every member`) });
  }
  return p;
}

function workflow02(s: FileState, root: PObject): void {
  s.version = '0.2';
  const seen = new Map<string, Participant>();
  const ordered: { p: Participant; role: string; seq: number }[] = [];
  for (const e of items(child(root, 'agents'))) {
    const a = child(e, 'agent') ?? e;
    const p = agent02(s, a, seen);
    if (!p) continue;
    const link = child(e, 'link');
    ordered.push({ p, role: str(child(link, 'agent_type')) ?? '', seq: num(child(link, 'sequence_id')) ?? 0 });
  }
  for (const key of ['sender', 'receiver']) {
    const a = child(root, key);
    if (a === undefined || a.t === 'null') continue;
    const p = agent02(s, a, seen);
    if (p) ordered.push({ p, role: key, seq: 0 });
  }
  const senders = ordered.filter((o) => o.role === 'sender');
  const receivers = ordered.filter((o) => o.role === 'receiver');
  for (const snd of senders) {
    for (const rcv of receivers) {
      if (snd.p.id === rcv.p.id) continue;
      s.b.channel(snd.p.id, rcv.p.id, { protocol: 'message-queue', authentication: 'none', encryption: 'none', direction: 'bidirectional', data: ['task', 'messages'], description: 'The sender starts the conversation with the receiver.' });
      const a = s.b.agents.find((x) => x.id === snd.p.id);
      if (a) a.delegatesTo = [...new Set([...(a.delegatesTo ?? []), rcv.p.id])];
    }
  }
  if ((str(child(root, 'type')) ?? '') === 'sequential') {
    const seq = [...ordered].sort((x, y) => x.seq - y.seq);
    for (let i = 0; i + 1 < seq.length; i++) {
      const a = seq[i];
      const b = seq[i + 1];
      if (a && b && a.p.id !== b.p.id) s.b.channel(a.p.id, b.p.id, { protocol: 'message-queue', authentication: 'none', encryption: 'none', direction: 'one-way', data: ['messages'], description: 'Sequential workflow: the output of one agent is the input of the next.' });
    }
  }
  const first = senders[0]?.p ?? ordered[0]?.p;
  if (first) entryFromUser(s, first.id, root);
}

// ---------------------------------------------------------------------------------------------------------------------
// Files

type Shape = { kind: 'component'; c: Comp } | { kind: 'gallery'; components: PObject } | { kind: '0.2' } | { kind: 'refuse'; why: string };

function shapeOf(root: PNode): Shape {
  if (root.t !== 'object') return { kind: 'refuse', why: `an AutoGen file is a JSON object at the top level, not ${describeNode(root)}` };
  const c = comp(root);
  if (c) {
    if (!c.provider.startsWith('autogen') && c.type === '') return { kind: 'refuse', why: `"provider" ${quote(c.provider, 60)} is not an AutoGen component (no "component_type")` };
    if (c.type === 'team' || c.type === 'agent' || /GroupChat|Swarm|GraphFlow|Agent$|Surfer$/.test(c.cls)) return { kind: 'component', c };
    return { kind: 'refuse', why: `this is a single AutoGen ${c.type !== '' ? c.type : 'component'} (${quote(c.cls, 60)}), not a team or an agent: there is no agent to model` };
  }
  const comps = child(root, 'components');
  if (comps?.t === 'object') return { kind: 'gallery', components: comps };
  const agents = child(root, 'agents');
  if (agents?.t === 'array' || child(root, 'sender') !== undefined || child(root, 'receiver') !== undefined) return { kind: '0.2' };
  const keys = root.entries.slice(0, 6).map((e) => quote(e.key, 30));
  return { kind: 'refuse', why: `not an AutoGen team, agent, gallery or 0.2 workflow: no "provider"/"component_type", "components" or "agents"${keys.length > 0 ? ` (top-level keys: ${keys.join(', ')})` : ''}` };
}

function galleryOf(s: FileState, comps: PObject): void {
  const teams = items(child(comps, 'teams'));
  for (const t of teams) {
    const c = comp(t);
    if (!c) continue;
    s.prefix = teams.length > 1 ? `${slug(c.label ?? c.cls, 'team')}.` : '';
    teamOf(s, c, c.label ?? c.cls);
  }
  s.prefix = 'gallery.';
  for (const a of items(child(comps, 'agents'))) {
    const c = comp(a);
    if (c) agentOf(s, c);
  }
  s.prefix = '';
  for (const m of items(child(comps, 'models'))) {
    const c = comp(m);
    if (c) modelOfClient(s, c);
  }
  for (const t of items(child(comps, 'tools'))) {
    const c = comp(t);
    if (c) toolOf(s, c, 'gallery');
  }
  for (const w of items(child(comps, 'workbenches'))) {
    const c = comp(w);
    if (c) workbenchTools(s, c, 'gallery');
  }
  for (const e of comps.entries) {
    if (['teams', 'agents', 'models', 'tools', 'workbenches'].includes(e.key)) continue;
    const n = items(e.value).length;
    if (n > 0) warn(s.ctx, 'W_AUTOGEN_GALLERY_SKIPPED', `${n} gallery component${n === 1 ? '' : 's'} in ${quote(e.key, 40)} not imported: ${e.key === 'terminations' ? 'a termination condition only limits the team it belongs to' : 'no model element for this kind of component'}`, 'the teams that use them carry their effect', e.keyPos, e.value.pointer);
  }
}

function importFile(s: FileState, root: PObject, shape: Shape): string {
  if (shape.kind === 'gallery') {
    galleryOf(s, shape.components);
    return 'AutoGen Studio gallery';
  }
  if (shape.kind === '0.2') {
    workflow02(s, root);
    return 'AutoGen Studio 0.2 workflow';
  }
  if (shape.kind !== 'component') return '';
  const c = shape.c;
  if (c.type === 'team' || /GroupChat|Swarm|GraphFlow/.test(c.cls)) teamOf(s, c, c.label ?? c.cls);
  else agentOf(s, c, { top: true });
  return `AutoGen ${c.type === 'team' ? 'team' : 'agent'} (${c.cls})`;
}

export function importAutogen(inputs: readonly ImportInput[], options: ImportOptions = {}): ImportResult {
  const b = new SystemBuilder(options.existingIds, { name: 'AutoGen runtime (one Python process)', description: 'The process that runs the team: every agent, tool function and code executor in it shares its files, network and credentials.' });
  const diagnostics: Diagnostic[] = [];
  const notes: ImportNote[] = [];
  const files: ImportFileReport[] = [];
  const imported: string[] = [];
  const names: string[] = [];
  for (const input of inputs.slice(0, 1000)) {
    const file = input.path;
    const root = parseInputTree(input.text, file, diagnostics, files);
    if (root === undefined) continue;
    const shape = shapeOf(root);
    if (shape.kind === 'refuse' || root.t !== 'object') {
      diagnostics.push({ ...diag('E_IMPORT_NOT_AUTOGEN', shape.kind === 'refuse' ? shape.why : 'not an AutoGen file', { hint: 'AutoGen files are AutoGen Studio exports: a team or agent component ({"provider", "component_type": "team", "config"}), a gallery ({"components": {...}}) or a 0.2 workflow ({"agents": [...]})', line: root.pos.line, column: root.pos.column, pointer: '' }), file });
      files.push({ file, status: 'refused', elements: 0 });
      continue;
    }
    const ctx: Ctx = { file, format: FORMAT, diagnostics, notes };
    const s: FileState = { b, ctx, prefix: '', queue: [], version: '0.4' };
    const before = b.count();
    const dialect = importFile(s, root, shape);
    for (let guard = 0; s.queue.length > 0 && guard < 100; guard++) {
      const next = s.queue.shift();
      if (!next) break;
      s.prefix = next.prefix;
      teamOf(s, next.c, next.c.label ?? next.c.cls);
    }
    const elements = b.count() - before;
    if (b.agents.length === 0 && elements === 0) {
      diagnostics.push({ ...diag('E_IMPORT_NO_AGENTS', 'no AutoGen agent, model or tool found in this file', { hint: 'check that the file is an AutoGen Studio team, agent, gallery or workflow export', line: root.pos.line, column: root.pos.column, pointer: '' }), file });
      files.push({ file, status: 'refused', elements: 0 });
      continue;
    }
    files.push({ file, status: 'imported', dialect, elements });
    imported.push(file);
    names.push(str(child(root, 'label')) ?? str(child(root, 'name')) ?? dialect);
  }
  if (imported.length === 0) return { diagnostics, notes, files };
  const model = b.build(
    names.length === 1 ? `AutoGen: ${names[0] ?? ''}` : `AutoGen: ${names.length} files`,
    `Imported from ${imported.length} AutoGen file${imported.length === 1 ? '' : 's'} by maestro-tm import. The specification tells which agents, models, tools and termination conditions a team uses; it does not tell who can start a task, what the tools' credentials can do or which controls exist: review and complete the model. Tool source code was read as text, never run; secret values were not copied.`,
  );
  return { model, diagnostics, notes, files };
}

export const autogenImporter: Importer = {
  id: 'autogen',
  aliases: ['autogen-studio', 'ags', 'agentchat'],
  description: 'AutoGen / AutoGen Studio JSON: team and agent component specs (0.4+), galleries, 0.2 workflows',
  detect(input) {
    const head = input.text.slice(0, 65_536);
    let score = 0;
    if (/"provider"\s*:\s*"autogen_(agentchat|ext|core)\./.test(head)) score += 0.6;
    if (/"component_type"\s*:\s*"(team|agent|model|tool|workbench|termination)"/.test(head)) score += 0.3;
    if (/"components"\s*:\s*\{/.test(head) && /autogen/i.test(head)) score += 0.1;
    if (/"human_input_mode"\s*:/.test(head) && /"(llm_config|code_execution_config)"\s*:/.test(head)) score += 0.8;
    if (/"(mcpServers|otmVersion|nodes)"\s*:/.test(head)) score -= 0.4;
    return Math.max(0, Math.min(1, score));
  },
  wantsPath(path) {
    return /(^|\/)[^/]*(autogen|team|gallery|workflow)[^/]*\.json$/i.test(path.replace(/\\/g, '/'));
  },
  import: importAutogen,
};
