/**
 * n8n workflow exports (JSON with `nodes` and `connections`) → a model of the workflow's AI part:
 *
 * - AI Agent nodes (and LLM chains, OpenAI Assistant, agent-as-tool) → agents (framework n8n);
 * - chat-model nodes (`lmChat*`, `lm*`) wired with `ai_languageModel` → the models they use;
 * - tool nodes wired with `ai_tool` (service `*Tool` nodes, `toolWorkflow`, `toolCode`, `toolHttpRequest`...)
 *   → tools with side effects guessed from the service and operation, reaching the service as an
 *   external system; `$fromAI(...)` parameters mean the model writes that argument;
 * - MCP Client Tool → an MCP server the agent uses; MCP Server Trigger → an MCP server this workflow
 *   exposes, with the tools wired into it;
 * - memory nodes (`ai_memory`) → memories; triggers (chat, webhook, form, e-mail, manual...) → who
 *   can start the workflow, as entry points; `main` connections between agents (directly or through
 *   ordinary steps) → channels; a `toolWorkflow` that calls this same workflow → delegation to the
 *   agents its sub-workflow trigger reaches.
 *
 * A workflow without any AI node is refused with that reason. Nothing in the workflow is run;
 * credentials are referenced by name only (n8n exports never hold their values).
 */
import { diag, quote, type Diagnostic } from '../../model/diagnostics.js';
import type { AgentSpec, MemorySpec, SideEffectName, ToolSpec } from '../../model/schema.js';
import { child, describeNode, parseInputTree, str, text, type PNode, type PObject } from '../_source.js';
import { clip, slug } from '../_model.js';
import { inferEffects } from '../_python/knowledge.js';
import { from, INTERNET, note, RUNTIME, SystemBuilder, warn, type Ctx } from '../autogen/builder.js';
import type { ImportFileReport, ImportInput, ImportNote, ImportOptions, ImportResult, Importer } from '../types.js';

const FORMAT = 'n8n';
const MAX_NODES = 5_000;

interface N8nNode {
  readonly node: PObject;
  readonly name: string;
  /** The node type without its package: agent, lmChatOpenAi, gmailTool... */
  readonly kind: string;
  readonly type: string;
  readonly params?: PObject;
  readonly disabled: boolean;
}

type Role = 'agent' | 'model' | 'memory' | 'tool' | 'mcp-client' | 'mcp-trigger' | 'trigger' | 'note' | 'step' | 'parser' | 'other-ai';

const AGENT_KINDS = new Set(['agent', 'agentTool', 'openAiAssistant', 'chainLlm', 'chainRetrievalQa', 'chainSummarization', 'informationExtractor', 'textClassifier', 'sentimentAnalysis']);

function roleOf(n: N8nNode): Role {
  const k = n.kind;
  if (k === 'stickyNote') return 'note';
  if (AGENT_KINDS.has(k)) return 'agent';
  if (/^lm(Chat)?[A-Z]/.test(k)) return 'model';
  if (/^memory[A-Z]/.test(k)) return 'memory';
  if (k === 'mcpClientTool') return 'mcp-client';
  if (k === 'mcpTrigger') return 'mcp-trigger';
  if (/^outputParser/.test(k)) return 'parser';
  if (/Trigger$/.test(k) || k === 'webhook' || k === 'start') return 'trigger';
  if (/^tool[A-Z]/.test(k) || /Tool$/.test(k)) return 'tool';
  if (n.type.startsWith('@n8n/n8n-nodes-langchain.')) return 'other-ai';
  return 'step';
}

const PROVIDERS: readonly [RegExp, string, boolean][] = [
  [/AzureOpenAi/i, 'azure-openai', false],
  [/OpenAi/i, 'openai', false],
  [/Anthropic/i, 'anthropic', false],
  [/Google(Gemini|Vertex|Palm)/i, 'google', false],
  [/Ollama/i, 'ollama', true],
  [/Groq/i, 'groq', false],
  [/Mistral/i, 'mistral', false],
  [/AwsBedrock/i, 'aws-bedrock', false],
  [/DeepSeek/i, 'deepseek', false],
  [/OpenRouter/i, 'openrouter', false],
  [/XAi/i, 'xai', false],
  [/Cohere/i, 'cohere', false],
  [/HuggingFace/i, 'huggingface', false],
];

/** A parameter as text: plain strings, and resource locators {"__rl": true, "value": ...}. */
function param(p: PNode | undefined): string | undefined {
  if (p?.t === 'object') return text(child(p, 'value'));
  return text(p);
}

function serviceOf(kind: string): string {
  return kind.replace(/Tool$/, '').replace(/^tool/, '') || kind;
}

interface ToolKnowledge {
  readonly type: NonNullable<ToolSpec['type']>;
  readonly effects: SideEffectName[];
  /** The service as an external system: name and trust. */
  readonly external?: { name: string; url?: string; trust: 'partner' | 'untrusted'; type: 'saas' | 'website' | 'email' | 'api' | 'storage' };
}

const EMAIL = /^(gmail|microsoftOutlook|emailSend|emailReadImap|sendGrid|mailchimp|mailgun)$/i;
const MESSAGING = /^(slack|telegram|discord|whatsApp|microsoftTeams|mattermost|twilio|twitter|x)$/i;
const DATABASE = /^(postgres|mySql|mongoDb|redis|supabase|microsoftSql|snowflake|airtable|baserow|nocoDb|oracleDb)$/i;

function toolKnowledge(n: N8nNode): ToolKnowledge {
  const svc = serviceOf(n.kind);
  const op = `${param(child(n.params, 'operation')) ?? ''} ${param(child(n.params, 'resource')) ?? ''}`.trim();
  const desc = param(child(n.params, 'toolDescription')) ?? param(child(n.params, 'description')) ?? '';
  const effects = new Set<SideEffectName>(inferEffects(`${svc} ${op} ${n.name}`, desc.split(/[.\n]/)[0] ?? ''));
  let type: NonNullable<ToolSpec['type']> = 'api';
  let external: ToolKnowledge['external'] = { name: svc.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase()), trust: 'partner', type: 'saas' };
  if (n.kind === 'toolCode' || svc === 'code') {
    type = 'code-interpreter';
    effects.add('execute-code');
    external = undefined;
  } else if (n.kind === 'toolHttpRequest' || svc === 'httpRequest') {
    type = 'api';
    effects.add('network-egress');
    const method = (param(child(n.params, 'method')) ?? 'GET').toUpperCase();
    effects.add(method === 'GET' ? 'read' : method === 'DELETE' ? 'delete' : 'write');
    external = { name: 'HTTP endpoints', trust: 'untrusted', type: 'api' };
  } else if (/^(serpApi|wikipedia|wolframAlpha|searXng|braveSearch|tavily)$/i.test(svc)) {
    type = 'search';
    effects.add('read');
    effects.add('network-egress');
    external = { name: 'Web pages and search results', trust: 'untrusted', type: 'website' };
  } else if (svc === 'calculator' || svc === 'think') {
    type = 'function';
    effects.clear();
    external = undefined;
  } else if (svc === 'vectorStore' || /^vectorStore/.test(n.kind)) {
    type = 'search';
    effects.add('read');
    external = undefined;
  } else if (n.kind === 'toolWorkflow' || n.kind === 'executeWorkflow') {
    type = 'function';
    external = undefined;
  } else if (EMAIL.test(svc)) {
    type = 'email';
    effects.add('network-egress');
    if (/send|reply/i.test(op)) effects.add('send-message');
    if (/draft/i.test(op)) effects.add('write');
    if (/getAll|get\b|search/i.test(op) || op === '') effects.add('read');
    external = { name: `${svc} mailbox`, trust: 'untrusted', type: 'email' };
  } else if (MESSAGING.test(svc)) {
    effects.add('network-egress');
    if (!/get|search|read/i.test(op)) effects.add('send-message');
  } else if (DATABASE.test(svc)) {
    type = 'database';
    if (/executeQuery/i.test(op) || op === '') {
      effects.add('read');
      effects.add('write');
    }
    effects.delete('execute-code');
    external = { name: `${svc} database`, trust: 'partner', type: 'storage' };
  } else {
    effects.add('network-egress');
    if (op === '' || /getAll|\bget\b|search|find|list/i.test(op)) effects.add('read');
  }
  if (/\b(create|update|append|upsert|add|insert)/i.test(op)) effects.add('write');
  if (/\bdelete|remove|clear/i.test(op)) effects.add('delete');
  return { type, effects: [...effects].sort(), ...(external ? { external } : {}) };
}

function readNodes(root: PObject, ctx: Ctx): N8nNode[] {
  const out: N8nNode[] = [];
  const list = child(root, 'nodes');
  for (const n of list?.t === 'array' ? list.items.slice(0, MAX_NODES) : []) {
    const name = str(child(n, 'name'));
    const type = str(child(n, 'type'));
    if (n.t !== 'object' || name === undefined || type === undefined) {
      warn(ctx, 'W_N8N_NODE', `a node is ${describeNode(n)} without "name" and "type": skipped`, 'an n8n node has "name", "type" and "parameters"', n.pos, n.pointer);
      continue;
    }
    const params = child(n, 'parameters');
    const disabled = child(n, 'disabled');
    out.push({ node: n, name, type, kind: type.split('.').pop() ?? type, ...(params?.t === 'object' ? { params } : {}), disabled: disabled?.t === 'boolean' && disabled.value === true });
  }
  return out;
}

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly kind: string;
}

function readEdges(root: PObject, ctx: Ctx): Edge[] {
  const out: Edge[] = [];
  const conns = child(root, 'connections');
  if (conns !== undefined && conns.t !== 'object') warn(ctx, 'W_N8N_CONNECTIONS', `"connections" is ${describeNode(conns)}, not a mapping: no node is connected`, 'export the workflow again from n8n', conns.pos, conns.pointer);
  for (const src of conns?.t === 'object' ? conns.entries : []) {
    for (const kind of src.value.t === 'object' ? src.value.entries : []) {
      for (const outputs of kind.value.t === 'array' ? kind.value.items : []) {
        for (const c of outputs.t === 'array' ? outputs.items : []) {
          const to = str(child(c, 'node'));
          if (to !== undefined) out.push({ from: src.key, to, kind: kind.key });
          if (out.length > 100_000) return out;
        }
      }
    }
  }
  return out;
}

function importWorkflow(b: SystemBuilder, root: PObject, ctx: Ctx): { elements: number } | { refuse: string } {
  const nodes = readNodes(root, ctx);
  const byName = new Map<string, N8nNode>();
  for (const n of nodes) if (!byName.has(n.name)) byName.set(n.name, n);
  const roles = new Map<string, Role>(nodes.map((n) => [n.name, roleOf(n)]));
  const aiNodes = nodes.filter((n) => ['agent', 'model', 'mcp-client', 'mcp-trigger', 'other-ai'].includes(roles.get(n.name) ?? 'step'));
  const workflowName = str(child(root, 'name')) ?? 'n8n workflow';
  if (aiNodes.length === 0) {
    return { refuse: `n8n workflow ${quote(workflowName, 60)} has no AI node (AI Agent, LLM chain, chat model or MCP node): its ${nodes.length} node${nodes.length === 1 ? ' is an ordinary automation step' : 's are ordinary automation steps'}, with nothing for an agent threat model` };
  }
  const before = b.count();
  const edges = readEdges(root, ctx);
  for (const e of edges) {
    if (!byName.has(e.from) || !byName.has(e.to)) warn(ctx, 'W_N8N_CONNECTIONS', `a connection names the node ${quote(byName.has(e.from) ? e.to : e.from, 60)}, which the workflow does not have`, 'export the workflow again from n8n', root.pos, '/connections');
  }
  const ids = new Map<string, string>();
  const agentSpecs = new Map<string, AgentSpec>();
  const skipped: string[] = [];

  // Agents.
  for (const n of nodes) {
    if (roles.get(n.name) !== 'agent') continue;
    if (n.disabled) {
      skipped.push(n.name);
      continue;
    }
    const id = b.ids.take(slug(n.name, 'agent'), 'agents');
    const options = child(n.params, 'options');
    const sys = str(child(options, 'systemMessage')) ?? str(child(n.params, 'systemMessage'));
    const a: AgentSpec = {
      id,
      name: clip(n.name),
      framework: 'n8n',
      origin: 'first-party',
      boundary: RUNTIME,
      ...(n.kind !== 'agent' ? { role: clip(`n8n ${n.kind} node`) } : {}),
      importedFrom: from(ctx, n.node.pos, n.node.pointer),
    };
    if (sys !== undefined) a.prompt = { source: 'inline' };
    const maxIterations = child(options, 'maxIterations');
    if (maxIterations?.t === 'number' && typeof maxIterations.value === 'number' && Number.isFinite(maxIterations.value) && maxIterations.value >= 0) a.budgets = { maxIterations: Math.min(1e9, Math.floor(maxIterations.value)) };
    const x: Record<string, unknown> = { nodeType: clip(n.type, 500) };
    if (sys !== undefined) x['systemMessage'] = clip(sys, 4000);
    (a as Record<string, unknown>)['x-n8n'] = x;
    b.agents.push(a);
    agentSpecs.set(n.name, a);
    ids.set(n.name, id);
  }

  const toAgents = (src: string, kind: string): AgentSpec[] => edges.filter((e) => e.from === src && e.kind === kind).map((e) => agentSpecs.get(e.to)).filter((a): a is AgentSpec => a !== undefined);
  const externals = new Map<string, string>();

  for (const n of nodes) {
    const role = roles.get(n.name);
    if (n.disabled && role !== 'note') {
      if (role !== 'agent' && role !== 'step') skipped.push(n.name);
      continue;
    }
    switch (role) {
      case 'model': {
        const p = PROVIDERS.find(([re]) => re.test(n.kind));
        const model = param(child(n.params, 'model')) ?? param(child(n.params, 'modelName'));
        const baseUrl = param(child(child(n.params, 'options'), 'baseURL'));
        const mid = b.model(ctx, {
          provider: p?.[1] ?? n.kind.replace(/^lm(Chat)?/, '').toLowerCase(),
          ...(model !== undefined ? { model: model.replace(/^=/, '').replace(/^models\//, '') } : {}),
          ...(baseUrl !== undefined ? { baseUrl } : {}),
          ...(p?.[2] === true ? { hosting: 'self-hosted' as const } : {}),
          pos: n.node.pos,
          pointer: n.node.pointer,
        });
        const users = toAgents(n.name, 'ai_languageModel');
        if (users.length === 0) warn(ctx, 'W_N8N_UNUSED', `chat model ${quote(n.name, 60)} is not connected to any agent`, 'connect it to an agent, or remove it', n.node.pos, n.node.pointer);
        for (const a of users) a.models = [...new Set([...(a.models ?? []), mid])];
        break;
      }
      case 'memory': {
        const persistent = !/BufferWindow|Manual/i.test(n.kind);
        const mem: MemorySpec = {
          id: b.ids.take(slug(n.name, 'memory'), 'memories'),
          name: clip(n.name),
          type: persistent ? 'database' : 'short-term',
          persistence: persistent ? 'persistent' : 'session',
          description: clip(`n8n ${n.kind} node: the conversation history the agent reads before each answer and adds to after it.`),
          boundary: RUNTIME,
          importedFrom: from(ctx, n.node.pos, n.node.pointer),
        };
        const users = toAgents(n.name, 'ai_memory');
        if (users.length > 1) mem.isolation = 'shared';
        b.memories.push(mem);
        for (const a of users) a.memory = { reads: [...new Set([...(a.memory?.reads ?? []), mem.id])], writes: [...new Set([...(a.memory?.writes ?? []), mem.id])] };
        break;
      }
      case 'tool': {
        const k = toolKnowledge(n);
        const name = param(child(n.params, 'name')) ?? n.name;
        const tid = b.ids.take(slug(n.name, 'tool'), 'tools');
        const modelWrites = /\$fromAI\s*\(/.test(JSON.stringify(nodeText(n.params)).slice(0, 200_000));
        const tool: ToolSpec = {
          id: tid,
          name: clip(name),
          type: k.type,
          transport: 'in-process',
          description: clip(`${param(child(n.params, 'toolDescription')) ?? param(child(n.params, 'description')) ?? ''}\n\nn8n node ${n.type}${param(child(n.params, 'operation')) !== undefined ? ` (operation ${param(child(n.params, 'operation')) ?? ''})` : ''}. Side effects were guessed from the node type and operation: check them.`.trim(), 100_000),
          boundary: RUNTIME,
          importedFrom: from(ctx, n.node.pos, n.node.pointer),
        };
        if (k.effects.length > 0) tool.sideEffects = k.effects;
        if (modelWrites) tool.tags = ['model-written-arguments'];
        const creds = child(n.node, 'credentials');
        if (creds?.t === 'object' && creds.entries.length > 0) {
          tool.credentials = creds.entries.slice(0, 20).map((e) => ({ type: /oauth/i.test(e.key) ? ('oauth-token' as const) : ('api-key' as const), storage: 'vault' as const }));
          (tool as Record<string, unknown>)['x-n8n'] = { credentials: creds.entries.slice(0, 20).map((e) => clip(`${e.key}: ${str(child(e.value, 'name')) ?? ''}`, 300)) };
        }
        if (k.external) {
          const ext = k.external;
          const xid = ext.name === 'Web pages and search results' ? b.web() : b.external(ext.name, () => ({ idBase: /(database|mailbox|endpoints)$/.test(ext.name) ? ext.name : `${ext.name} service`, name: clip(ext.name), type: ext.type, trust: ext.trust, description: clip(`The ${ext.name} service the workflow's tools act on, with the credentials stored in n8n.`), boundary: INTERNET }));
          externals.set(ext.name, xid);
          tool.accesses = [xid];
          tool.boundary = RUNTIME;
        }
        if (n.kind === 'toolWorkflow') {
          const wf = param(child(n.params, 'workflowId')) ?? '';
          (tool as Record<string, unknown>)['x-n8n'] = { workflow: clip(wf, 500) };
        }
        b.tools.push(tool);
        ids.set(n.name, tid);
        const users = toAgents(n.name, 'ai_tool');
        for (const a of users) a.tools = [...new Set([...((a.tools ?? []) as string[]), tid])];
        if (k.external && k.external.trust === 'untrusted' && k.effects.includes('read')) {
          for (const a of users) {
            b.entryPoints.push({ id: b.ids.take(`${a.id}_${tid}_results`.slice(0, 128), 'entryPoints'), name: clip(`What ${name} returns to ${a.name ?? a.id}`), target: a.id, source: tool.accesses?.[0] ?? tid, type: k.type === 'email' ? 'email' : 'web-content', trust: 'untrusted', importedFrom: from(ctx, n.node.pos, n.node.pointer) });
          }
        }
        if (modelWrites) note(ctx, 'I_MODEL_WRITTEN_ARGUMENTS', `tool ${quote(n.name, 60)}: the model writes its arguments ($fromAI)${k.type === 'database' ? ', here SQL run on the database' : ''}`, n.node.pos, n.node.pointer, tid);
        break;
      }
      case 'mcp-client': {
        const url = param(child(n.params, 'sseEndpoint')) ?? param(child(n.params, 'endpointUrl')) ?? '';
        const transport = (param(child(n.params, 'serverTransport')) ?? '').toLowerCase().includes('http') ? 'streamable-http' : 'sse';
        const sid = b.mcpServer(ctx, { name: n.name, transport, ...(url !== '' && !/^<.*>$/.test(url.trim()) ? { url: url.replace(/^=/, '') } : {}), description: `MCP server the n8n MCP Client Tool connects to${url === '' || /^<.*>$/.test(url.trim()) ? ' (its address is not set in the export)' : ''}.`, pos: n.node.pos, pointer: n.node.pointer });
        ids.set(n.name, sid);
        const auth = param(child(n.params, 'authentication'));
        const server = b.servers.find((x) => x.id === sid);
        if (server && (auth === undefined || auth === 'none')) server.auth = 'none';
        for (const a of toAgents(n.name, 'ai_tool')) {
          a.tools = [...new Set([...((a.tools ?? []) as string[]), sid])];
          b.channel(a.id, sid, { protocol: 'mcp', authentication: auth === undefined || auth === 'none' ? 'none' : 'unknown', encryption: /^https:/i.test(url) ? 'tls' : 'none', direction: 'bidirectional', data: ['tool calls', 'tool results'] });
        }
        break;
      }
      case 'mcp-trigger': {
        const path = param(child(n.params, 'path')) ?? '';
        const exposed = edges.filter((e) => e.to === n.name && e.kind === 'ai_tool').map((e) => byName.get(e.from)).filter((x): x is N8nNode => x !== undefined && !x.disabled);
        const sid = b.ids.take(slug(n.name, 'mcp_server'), 'mcpServers');
        const auth = param(child(n.params, 'authentication'));
        b.servers.push({
          id: sid,
          name: clip(`${n.name} (MCP server exposed by this n8n workflow)`),
          transport: 'sse',
          url: clip(`<n8n base URL>/mcp/${path}`),
          auth: auth === undefined || auth === 'none' ? 'none' : 'other',
          tools: exposed.map((x) => {
            const k = toolKnowledge(x);
            return { name: clip(param(child(x.params, 'name')) ?? x.name), ...(k.effects.length > 0 ? { sideEffects: k.effects } : {}) };
          }),
          description: 'Any MCP client that knows the URL can call the tools wired into this trigger, with the credentials stored in n8n.',
          boundary: INTERNET,
          tags: auth === undefined || auth === 'none' ? ['exposed-without-auth'] : [],
          importedFrom: from(ctx, n.node.pos, n.node.pointer),
        });
        const server = b.servers[b.servers.length - 1];
        if (server?.tags?.length === 0) delete server.tags;
        b.internet = true;
        const clients = b.external('mcp-clients', () => ({ idBase: 'mcp_clients', name: 'MCP clients calling the workflow', type: 'agent', trust: 'untrusted', description: 'Whoever reaches the MCP Server Trigger URL.', boundary: INTERNET }));
        const via = b.channel(clients, sid, { protocol: 'mcp', authentication: auth === undefined || auth === 'none' ? 'none' : 'unknown', encryption: 'tls', direction: 'bidirectional', data: ['tool calls', 'tool results'] });
        b.entryPoints.push({ id: b.ids.take(`${sid}_calls`.slice(0, 128), 'entryPoints'), name: clip(`Tool calls to ${n.name}`), target: sid, source: clients, via, type: 'api', trust: 'untrusted', importedFrom: from(ctx, n.node.pos, n.node.pointer) });
        if (auth === undefined || auth === 'none') note(ctx, 'I_MCP_TRIGGER_NO_AUTH', `MCP Server Trigger ${quote(n.name, 60)} exposes ${exposed.length} tool${exposed.length === 1 ? '' : 's'} without authentication`, n.node.pos, n.node.pointer, sid);
        break;
      }
      case 'other-ai':
      case 'parser':
        if (role === 'other-ai' && !/^(embeddings|vectorStore|document|textSplitter|retriever)/.test(n.kind)) warn(ctx, 'W_N8N_NODE', `AI node ${quote(n.name, 60)} (${quote(n.kind, 40)}) is not modelled`, 'add it by hand if it matters', n.node.pos, n.node.pointer);
        break;
      default:
        break;
    }
  }

  // Who can start the workflow, and which agents each start reaches through the main flow.
  const reach = (start: string): string[] => {
    const seen = new Set<string>([start]);
    const found: string[] = [];
    const queue = [start];
    while (queue.length > 0) {
      const cur = queue.shift();
      if (cur === undefined) break;
      for (const e of edges) {
        if (e.from !== cur || (e.kind !== 'main' && !/^(true|false)$/.test(e.kind)) || seen.has(e.to)) continue;
        seen.add(e.to);
        if (agentSpecs.has(e.to)) found.push(e.to);
        else queue.push(e.to);
      }
    }
    return found;
  };
  const subAgents: string[] = [];
  for (const n of nodes) {
    if (roles.get(n.name) !== 'trigger' || n.disabled) continue;
    const targets = reach(n.name).map((t) => agentSpecs.get(t)).filter((a): a is AgentSpec => a !== undefined);
    if (n.kind === 'executeWorkflowTrigger') {
      subAgents.push(...targets.map((a) => a.id));
      continue;
    }
    const src = triggerSource(b, n);
    if (!src) continue;
    for (const a of targets) {
      const via = b.channel(src.id, a.id, { protocol: src.protocol, authentication: src.auth, encryption: 'tls', direction: 'bidirectional', data: ['messages'], description: clip(`${n.name} (${n.kind}) starts the workflow`) });
      b.entryPoints.push({ id: b.ids.take(`${a.id}_${slug(n.name, 'trigger')}`.slice(0, 128), 'entryPoints'), name: clip(`${n.name}: input to ${a.name ?? a.id}`), target: a.id, source: src.id, via, type: src.type, trust: src.trust, importedFrom: from(ctx, n.node.pos, n.node.pointer) });
    }
  }
  // Agent → agent through the main flow.
  for (const [name, a] of agentSpecs) {
    for (const t of reach(name)) {
      const dst = agentSpecs.get(t);
      if (!dst || dst === a) continue;
      b.channel(a.id, dst.id, { protocol: 'function-call', authentication: 'none', encryption: 'none', direction: 'one-way', data: ['agent output'], description: 'The output of one agent is passed (directly or through workflow steps) to the next.' });
      dst.acceptsFrom = [...new Set([...(dst.acceptsFrom ?? []), a.id])];
    }
  }
  // Tools that run this same workflow: the agents holding them delegate to the sub-workflow's agents.
  if (subAgents.length > 0) {
    for (const n of nodes) {
      if (n.kind !== 'toolWorkflow' || !/\$workflow\.id/.test(param(child(n.params, 'workflowId')) ?? '')) continue;
      for (const a of toAgents(n.name, 'ai_tool')) {
        for (const sub of subAgents) {
          if (sub === a.id) continue;
          a.delegatesTo = [...new Set([...(a.delegatesTo ?? []), sub])];
          b.channel(a.id, sub, { protocol: 'function-call', authentication: 'none', encryption: 'none', direction: 'bidirectional', data: ['task', 'result'], description: clip(`Through the workflow tool ${n.name}, which runs this workflow again`) });
        }
      }
    }
  }
  if (skipped.length > 0) warn(ctx, 'W_N8N_DISABLED', `${skipped.length} disabled node${skipped.length === 1 ? '' : 's'} not imported: ${skipped.slice(0, 5).map((s) => quote(s, 40)).join(', ')}`, 'enable them in n8n if they are in use', root.pos, '/nodes');
  if (agentSpecs.size === 0) warn(ctx, 'W_N8N_NO_AGENT', `workflow ${quote(workflowName, 60)} has AI nodes but no agent or LLM chain`, 'add the agent that uses them by hand', root.pos, '');
  return { elements: b.count() - before };
}

/** Every scalar in a node's parameters, as one list (to look for $fromAI). */
function nodeText(p: PNode | undefined): string[] {
  const out: string[] = [];
  const stack: PNode[] = p ? [p] : [];
  while (stack.length > 0 && out.length < 10_000) {
    const n = stack.pop();
    if (!n) break;
    if (n.t === 'object') for (const e of n.entries) stack.push(e.value);
    else if (n.t === 'array') stack.push(...n.items);
    else if (n.t === 'string') out.push(n.value as string);
  }
  return out;
}

function triggerSource(b: SystemBuilder, n: N8nNode): { id: string; type: 'user-input' | 'api' | 'email' | 'other'; trust: 'trusted' | 'authenticated' | 'untrusted'; protocol: 'http' | 'email' | 'other'; auth: 'none' | 'unknown' } | undefined {
  const k = n.kind;
  if (k === 'chatTrigger' || k === 'formTrigger') {
    const pub = child(n.params, 'public');
    const isPublic = k === 'formTrigger' || (pub?.t === 'boolean' && pub.value);
    const auth = param(child(n.params, 'authentication'));
    const open = isPublic && (auth === undefined || auth === 'none');
    const id = b.once(`human|${k}|${open ? 'public' : 'user'}`, () => {
      const hid = b.ids.take(open ? 'public_chat_users' : 'chat_users', 'humans');
      b.humans.push({ id: hid, name: open ? 'Anyone with the chat or form URL' : 'Chat users', role: open ? 'public' : 'user', trust: open ? 'untrusted' : 'authenticated', description: 'People who send messages to the workflow through its chat or form trigger.' });
      return hid;
    });
    return { id, type: 'user-input', trust: open ? 'untrusted' : 'authenticated', protocol: 'http', auth: open ? 'none' : 'unknown' };
  }
  if (k === 'manualTrigger' || k === 'start') {
    const id = b.once('human|operator', () => {
      const hid = b.ids.take('n8n_operator', 'humans');
      b.humans.push({ id: hid, name: 'n8n editor user', role: 'operator', trust: 'trusted', description: 'Someone who runs the workflow by hand from the n8n editor.' });
      return hid;
    });
    return { id, type: 'user-input', trust: 'trusted', protocol: 'other', auth: 'unknown' };
  }
  if (k === 'scheduleTrigger' || k === 'cron' || k === 'interval') return undefined;
  const auth = param(child(n.params, 'authentication'));
  const email = /gmail|imap|email|outlook/i.test(k);
  const name = email ? 'Senders of incoming e-mail' : k === 'webhook' ? 'Webhook callers' : `${k.replace(/Trigger$/, '')} events`;
  const id = b.external(`trigger|${name}`, () => ({ idBase: name, name, type: email ? 'email' : 'api', trust: 'untrusted', description: `Whoever can send what the ${k} node receives.`, boundary: INTERNET }));
  return { id, type: email ? 'email' : 'api', trust: 'untrusted', protocol: email ? 'email' : 'http', auth: k === 'webhook' && (auth === undefined || auth === 'none') ? 'none' : 'unknown' };
}

export function importN8n(inputs: readonly ImportInput[], options: ImportOptions = {}): ImportResult {
  const b = new SystemBuilder(options.existingIds, { name: 'n8n instance', description: 'The n8n server that runs the workflow: its nodes share the credentials stored in n8n and its network access.' });
  const diagnostics: Diagnostic[] = [];
  const notes: ImportNote[] = [];
  const files: ImportFileReport[] = [];
  const names: string[] = [];
  for (const input of inputs.slice(0, 1000)) {
    const file = input.path;
    const root = parseInputTree(input.text, file, diagnostics, files);
    if (root === undefined) continue;
    const nodes = child(root, 'nodes');
    if (root.t !== 'object' || nodes?.t !== 'array' || child(root, 'connections') === undefined) {
      diagnostics.push({ ...diag('E_IMPORT_NOT_N8N', `not an n8n workflow export: ${root.t !== 'object' ? `the top level is ${describeNode(root)}` : nodes?.t !== 'array' ? 'no "nodes" list' : 'no "connections"'}`, { hint: 'export the workflow from n8n (Download, or Copy as JSON): an object with "nodes" and "connections"', line: root.pos.line, column: root.pos.column, pointer: '' }), file });
      files.push({ file, status: 'refused', elements: 0 });
      continue;
    }
    const ctx: Ctx = { file, format: FORMAT, diagnostics, notes };
    const r = importWorkflow(b, root, ctx);
    if ('refuse' in r) {
      diagnostics.push({ ...diag('E_IMPORT_N8N_NO_AI', r.refuse, { hint: 'maestro-tm models AI agents; import a workflow with an AI Agent node, or describe this automation by hand', line: root.pos.line, column: root.pos.column, pointer: '/nodes' }), file });
      files.push({ file, status: 'refused', elements: 0 });
      continue;
    }
    files.push({ file, status: 'imported', dialect: 'n8n workflow', elements: r.elements });
    names.push(str(child(root, 'name')) ?? file);
  }
  if (names.length === 0) return { diagnostics, notes, files };
  const model = b.build(
    names.length === 1 ? `n8n: ${names[0] ?? ''}` : `n8n: ${names.length} workflows`,
    `Imported from ${names.length} n8n workflow export${names.length === 1 ? '' : 's'} by maestro-tm import. The export tells which agents, models, tools, memories and triggers the workflow wires together; it does not tell what the stored credentials can do, who can reach the triggers or which controls exist: review and complete the model. Ordinary automation steps are only followed to connect agents.`,
  );
  return { model, diagnostics, notes, files };
}

export const n8nImporter: Importer = {
  id: 'n8n',
  aliases: ['n8n-workflow'],
  description: 'n8n workflow exports (JSON): AI Agent nodes, chat models, tools, memories, MCP client and trigger nodes, triggers',
  detect(input) {
    const head = input.text.slice(0, 65_536);
    let score = 0;
    if (/"nodes"\s*:\s*\[/.test(head) && /"connections"\s*:/.test(input.text.slice(-200_000) + head)) score += 0.3;
    if (/"type"\s*:\s*"(n8n-nodes-base|@n8n\/n8n-nodes-langchain)\./.test(head)) score += 0.5;
    if (/"typeVersion"\s*:/.test(head)) score += 0.1;
    if (/"(mcpServers|otmVersion|component_type)"\s*:/.test(head)) score -= 0.4;
    return Math.max(0, Math.min(1, score));
  },
  wantsPath(path) {
    return /(^|\/)[^/]*(n8n|workflow)[^/]*\.json$/i.test(path.replace(/\\/g, '/'));
  },
  import: importN8n,
};
