/**
 * Flowise agent flows (JSON with `nodes` and `edges`, as exported or as marketplace templates) → a
 * model. Three generations are read:
 *
 * - Agentflow v2 (`agentAgentflow`, `llmAgentflow`, `conditionAgentAgentflow`, `humanInputAgentflow`,
 *   `toolAgentflow`, `iterationAgentflow`...): each Agent / LLM / condition-agent node is an agent
 *   with its chat model and its tools (`agentTools`); Human Input is an approver; a Tool node is a
 *   tool run by the flow on the output of the nodes before it; edges through flow-control nodes
 *   (condition, loop, iteration, direct reply) are channels;
 * - Multi-agent v1 (`supervisor`, `worker`): the supervisor delegates to its workers;
 * - Sequential agents v1 (`seqStart`, `seqAgent`, `seqLLMNode`, `seqToolNode`...).
 *
 * Chat-model nodes → models; tool nodes → tools (effects guessed from names); vector stores behind a
 * retriever tool → memories; custom JavaScript functions are read as text, never run. Secrets: Flowise
 * stores credentials apart, a flow only names them.
 */
import { diag, quote, type Diagnostic } from '../../model/diagnostics.js';
import type { AgentSpec, ToolSpec } from '../../model/schema.js';
import { child, describeNode, parseInputTree, str, text, type PObject } from '../_source.js';
import { clip, slug } from '../_model.js';
import { typeForEffects } from '../_python/knowledge.js';
import { from, RUNTIME, SystemBuilder, warn, type Ctx } from '../autogen/builder.js';
import { effectsOfCode } from '../autogen/code.js';
import type { ImportFileReport, ImportInput, ImportNote, ImportOptions, ImportResult, Importer } from '../types.js';

const FORMAT = 'flowise';
const MAX_NODES = 5_000;

interface FNode {
  readonly node: PObject;
  readonly id: string;
  /** The component name: agentAgentflow, chatOpenAI, worker... */
  readonly name: string;
  readonly label: string;
  readonly category: string;
  readonly inputs?: PObject;
  readonly parent?: string;
}

const MODEL_NAMES: Readonly<Record<string, { provider: string; local?: boolean }>> = {
  chatOpenAI: { provider: 'openai' },
  azureChatOpenAI: { provider: 'azure-openai' },
  chatAnthropic: { provider: 'anthropic' },
  chatGoogleGenerativeAI: { provider: 'google' },
  chatGoogleVertexAI: { provider: 'google' },
  groqChat: { provider: 'groq' },
  chatOllama: { provider: 'ollama', local: true },
  chatMistralAI: { provider: 'mistral' },
  awsChatBedrock: { provider: 'aws-bedrock' },
  chatDeepseek: { provider: 'deepseek' },
  chatOpenRouter: { provider: 'openrouter' },
  chatCohere: { provider: 'cohere' },
  chatTogetherAI: { provider: 'together' },
  chatLocalAI: { provider: 'localai', local: true },
};

function providerOfName(name: string): { provider: string; local: boolean } {
  const k = MODEL_NAMES[name];
  if (Object.hasOwn(MODEL_NAMES, name) && k) return { provider: k.provider, local: k.local === true };
  return { provider: name.replace(/^chat/, '').replace(/Chat$/, '').toLowerCase() || name, local: /ollama|local/i.test(name) };
}

const WEB_TOOLS = /search|serp|serper|tavily|brave|exa|scrap|crawl|browser|arxiv|wikipedia|webBrowser|requestsGet|firecrawl|spider|duckduckgo/i;

function readNodes(root: PObject, ctx: Ctx): FNode[] {
  const out: FNode[] = [];
  const list = child(root, 'nodes');
  for (const n of list?.t === 'array' ? list.items.slice(0, MAX_NODES) : []) {
    const data = child(n, 'data');
    const id = str(child(n, 'id')) ?? str(child(data, 'id'));
    const name = str(child(data, 'name'));
    if (n.t !== 'object' || id === undefined || name === undefined) {
      warn(ctx, 'W_FLOWISE_NODE', `a node is ${describeNode(n)} without "id" and "data.name": skipped`, 'a Flowise node has "id" and "data" with "name", "label" and "inputs"', n.pos, n.pointer);
      continue;
    }
    const inputs = child(data, 'inputs');
    const parent = str(child(n, 'parentNode'));
    out.push({ node: n, id, name, label: str(child(data, 'label')) ?? name, category: str(child(data, 'category')) ?? '', ...(inputs?.t === 'object' ? { inputs } : {}), ...(parent !== undefined ? { parent } : {}) });
  }
  return out;
}

type Kind = 'agent' | 'supervisor' | 'human' | 'flow-tool' | 'model' | 'tool' | 'vector' | 'memory' | 'code' | 'start' | 'control' | 'note' | 'other';

function kindOf(n: FNode): Kind {
  const k = n.name;
  if (/^stickyNote/.test(k)) return 'note';
  if (k === 'supervisor') return 'supervisor';
  if (['agentAgentflow', 'llmAgentflow', 'conditionAgentAgentflow', 'worker', 'seqAgent', 'seqLLMNode', 'toolAgent', 'conversationalAgent', 'openAIToolAgent', 'reactAgentChat'].includes(k)) return 'agent';
  if (k === 'humanInputAgentflow' || k === 'seqInterrupt') return 'human';
  if (k === 'toolAgentflow' || k === 'seqToolNode') return 'flow-tool';
  if (k === 'startAgentflow' || k === 'seqStart') return 'start';
  if (/Agentflow$/.test(k) || /^seq/.test(k)) return 'control';
  if (k === 'customFunction' || k === 'customFunctionAgentflow' || k === 'customTool') return 'code';
  if (n.category === 'Chat Models' || n.category === 'LLMs') return 'model';
  if (n.category === 'Tools' || n.category === 'Tools (MCP)') return 'tool';
  if (n.category === 'Vector Stores') return 'vector';
  if (n.category === 'Memory') return 'memory';
  return 'other';
}

/** Text of a node input: strings, and HTML from the v2 editor stripped of tags. */
function input(n: FNode, key: string): string | undefined {
  const v = text(child(n.inputs, key));
  return v === undefined || v.trim() === '' ? undefined : v;
}

function importFlow(b: SystemBuilder, root: PObject, ctx: Ctx, title: string): { elements: number; dialect: string } | { refuse: string } {
  const nodes = readNodes(root, ctx);
  const kinds = new Map<string, Kind>(nodes.map((n) => [n.id, kindOf(n)]));
  const byId = new Map<string, FNode>(nodes.map((n) => [n.id, n]));
  const actors = nodes.filter((n) => kinds.get(n.id) === 'agent' || kinds.get(n.id) === 'supervisor');
  if (actors.length === 0) {
    const names = [...new Set(nodes.map((n) => n.name))].slice(0, 6).map((x) => quote(x, 40));
    return { refuse: `Flowise flow ${quote(title, 60)} has no agent node (Agent, LLM, Supervisor, Worker or sequential Agent)${names.length > 0 ? `: its nodes are ${names.join(', ')}` : ''}; a chatflow without agents is not supported yet` };
  }
  const v2 = nodes.some((n) => /Agentflow$/.test(n.name));
  const seq = nodes.some((n) => /^seq/.test(n.name));
  const dialect = v2 ? 'Flowise Agentflow v2' : seq ? 'Flowise sequential agents (Agentflow v1)' : 'Flowise multi-agent (Agentflow v1)';
  const before = b.count();
  const edges: { from: string; to: string; handle: string }[] = [];
  const el = child(root, 'edges');
  for (const e of el?.t === 'array' ? el.items.slice(0, 50_000) : []) {
    const s = str(child(e, 'source'));
    const t = str(child(e, 'target'));
    if (s === undefined || t === undefined) continue;
    if (!byId.has(s) || !byId.has(t)) {
      warn(ctx, 'W_FLOWISE_EDGE', `an edge names the node ${quote(byId.has(s) ? t : s, 60)}, which the flow does not have`, 'export the flow again from Flowise', e.pos, e.pointer);
      continue;
    }
    edges.push({ from: s, to: t, handle: str(child(e, 'targetHandle')) ?? '' });
  }
  const into = (id: string, handle?: RegExp) => edges.filter((e) => e.to === id && (handle === undefined || handle.test(e.handle))).map((e) => e.from);

  // Models wired as nodes (v1), by node id.
  const modelIds = new Map<string, string>();
  const modelOfNode = (m: FNode): string => {
    const known = modelIds.get(m.id);
    if (known !== undefined) return known;
    const p = providerOfName(m.name);
    const model = input(m, 'modelName') ?? input(m, 'model');
    const baseUrl = input(m, 'basepath') ?? input(m, 'baseUrl') ?? input(m, 'baseURL');
    const id = b.model(ctx, { provider: p.provider, ...(model !== undefined ? { model } : {}), ...(baseUrl !== undefined ? { baseUrl } : {}), ...(p.local ? { hosting: 'self-hosted' as const } : {}), pos: m.node.pos, pointer: m.node.pointer });
    modelIds.set(m.id, id);
    return id;
  };
  // Models named inside a v2 node: {prefix}Model + {prefix}ModelConfig.modelName.
  const modelOfV2 = (n: FNode, prefix: string): string | undefined => {
    const comp = input(n, `${prefix}Model`);
    if (comp === undefined) return undefined;
    const cfg = child(n.inputs, `${prefix}ModelConfig`);
    const p = providerOfName(comp);
    const model = str(child(cfg, 'modelName')) ?? str(child(cfg, 'model'));
    const baseUrl = str(child(cfg, 'baseUrl')) ?? str(child(cfg, 'basePath'));
    return b.model(ctx, { provider: p.provider, ...(model !== undefined && model !== '' ? { model } : {}), ...(baseUrl !== undefined && baseUrl !== '' ? { baseUrl } : {}), ...(p.local ? { hosting: 'self-hosted' as const } : {}), pos: n.node.pos, pointer: n.node.pointer });
  };
  const toolByKey = (key: string, make: () => ToolSpec): string =>
    b.once(`flowise-tool|${key}`, () => {
      const t = make();
      b.tools.push(t);
      return t.id;
    });
  const namedTool = (name: string, label: string, description: string, n: FNode): string =>
    toolByKey(`${name}|${label}|${description}`, () => {
      const effects = effectsOfCode(`${name} ${label}`, description, undefined);
      const web = WEB_TOOLS.test(name);
      if (web) for (const e of ['read', 'network-egress'] as const) if (!effects.includes(e)) effects.push(e);
      const mail = /gmail|e-?mail|outlook|slack|teams|telegram|discord/i.test(name);
      if (mail && !effects.includes('network-egress')) effects.push('network-egress');
      effects.sort();
      const t: ToolSpec = {
        id: b.ids.take(slug(label !== '' ? label : name, 'tool'), 'tools'),
        name: clip(label !== '' ? label : name),
        type: web ? 'search' : mail ? 'email' : typeForEffects(effects),
        transport: 'in-process',
        description: clip(`${description !== '' ? `${description}\n\n` : ''}Flowise tool ${name}. Side effects were guessed from its name: check them.`, 100_000),
        boundary: RUNTIME,
        importedFrom: from(ctx, n.node.pos, n.node.pointer),
      };
      if (effects.length > 0) t.sideEffects = effects;
      if (web) t.accesses = [b.web()];
      return t;
    });

  // Agents.
  const agents = new Map<string, AgentSpec>();
  for (const n of actors) {
    const name = input(n, 'agentName') ?? input(n, 'workerName') ?? input(n, 'supervisorName') ?? input(n, 'llmNodeName') ?? n.label;
    const id = b.ids.take(slug(name, 'agent'), 'agents');
    const a: AgentSpec = { id, name: clip(name), framework: 'Flowise', origin: 'first-party', boundary: RUNTIME, importedFrom: from(ctx, n.node.pos, n.node.pointer) };
    if (n.name === 'supervisor') a.role = 'Supervisor: picks which worker acts next';
    else if (n.name === 'conditionAgentAgentflow') a.role = 'Routes the conversation: an LLM picks the next branch';
    else if (n.name === 'llmAgentflow' || n.name === 'seqLLMNode') a.role = 'LLM step (no tools)';
    if (input(n, 'agentMessages') !== undefined || input(n, 'llmMessages') !== undefined || input(n, 'workerPrompt') !== undefined || input(n, 'supervisorPrompt') !== undefined || input(n, 'systemMessagePrompt') !== undefined || input(n, 'conditionAgentInstructions') !== undefined) a.prompt = { source: 'inline' };
    const models: string[] = [];
    for (const prefix of ['agent', 'llm', 'conditionAgent']) {
      const m = modelOfV2(n, prefix);
      if (m !== undefined) models.push(m);
    }
    for (const src of into(n.id)) if (kinds.get(src) === 'model') models.push(modelOfNode(byId.get(src) as FNode));
    if (models.length > 0) a.models = [...new Set(models)];
    const tools: string[] = [];
    const list = child(n.inputs, 'agentTools');
    for (const t of list?.t === 'array' ? list.items.slice(0, 200) : []) {
      const tn = str(child(t, 'agentSelectedTool'));
      if (tn === undefined || tn === '') continue;
      const cfg = child(t, 'agentSelectedToolConfig');
      const label = [...(cfg?.t === 'object' ? cfg.entries : [])].find((e) => /Name$/.test(e.key) && e.value.t === 'string');
      const desc = [...(cfg?.t === 'object' ? cfg.entries : [])].find((e) => /[dD]escription$/.test(e.key) && e.value.t === 'string');
      const tid = namedTool(tn, label ? (str(label.value) ?? '') : '', desc ? (str(desc.value) ?? '') : '', n);
      tools.push(tid);
      const needsHuman = child(t, 'agentSelectedToolRequiresHumanInput');
      if ((needsHuman?.t === 'boolean' && needsHuman.value) || str(needsHuman) === 'true') {
        const hid = approver(b);
        a.approvals = [...(a.approvals ?? []), { action: clip(`calling ${tn}`), approver: hid, mode: 'before' }];
      }
    }
    for (const src of into(n.id, /-input-tools-/)) {
      const tn = byId.get(src);
      if (tn && (kinds.get(src) === 'tool' || kinds.get(src) === 'code')) tools.push(toolOfNode(tn));
    }
    if (tools.length > 0) a.tools = [...new Set(tools)];
    const mem = child(n.inputs, 'agentEnableMemory') ?? child(n.inputs, 'llmEnableMemory');
    if ((mem?.t === 'boolean' && mem.value) || str(mem) === 'true') {
      const mid = b.once('flowise-memory|conversation', () => {
        const id2 = b.ids.take('flow_conversation', 'memories');
        b.memories.push({ id: id2, name: 'Conversation history of the flow', type: 'short-term', persistence: 'persistent', isolation: 'shared', description: 'The messages of the session, which each agent with memory enabled reads before answering: what one node writes reaches the others.', boundary: RUNTIME });
        return id2;
      });
      a.memory = { reads: [mid], writes: [mid] };
    }
    const maxIter = Number(input(n, 'maxIterations') ?? input(n, 'recursionLimit') ?? NaN);
    if (Number.isFinite(maxIter) && maxIter >= 0) a.budgets = { maxIterations: Math.min(1e9, Math.floor(maxIter)) };
    const interrupt = child(n.inputs, 'interrupt');
    if ((interrupt?.t === 'boolean' && interrupt.value) || str(interrupt) === 'true') a.approvals = [...(a.approvals ?? []), { action: 'tool calls', approver: approver(b), mode: 'before' }];
    b.agents.push(a);
    agents.set(n.id, a);
  }

  function toolOfNode(tn: FNode): string {
    const code = input(tn, 'javascriptFunction') ?? input(tn, 'customToolFunc') ?? input(tn, 'func');
    if (kindOf(tn) === 'code' || code !== undefined) {
      return toolByKey(`code|${tn.id}`, () => {
        const effects = effectsOfCode(tn.label, input(tn, 'description') ?? '', code);
        if (!effects.includes('execute-code')) effects.push('execute-code');
        effects.sort();
        return { id: b.ids.take(slug(input(tn, 'name') ?? tn.label, 'custom_function'), 'tools'), name: clip(input(tn, 'name') ?? tn.label), type: 'code-interpreter', transport: 'in-process', sideEffects: effects, description: 'JavaScript written in the flow and run by the Flowise server (in its sandbox); read as text here, never run.', boundary: RUNTIME, tags: ['source-in-config'], importedFrom: from(ctx, tn.node.pos, tn.node.pointer) };
      });
    }
    const name = input(tn, 'name') ?? tn.name;
    const tid = namedTool(tn.name, name, input(tn, 'description') ?? '', tn);
    // A retriever tool reads a vector store.
    for (const v of into(tn.id, /-input-retriever-/)) {
      const vn = byId.get(v);
      if (!vn || kinds.get(v) !== 'vector') continue;
      const mid = b.once(`flowise-vector|${v}`, () => {
        const id2 = b.ids.take(slug(`${vn.label}_${input(vn, 'pineconeIndex') ?? input(vn, 'indexName') ?? 'store'}`, 'vector_store'), 'memories');
        b.memories.push({ id: id2, name: clip(`${vn.label} vector store`), type: 'vector-store', persistence: 'persistent', description: 'Documents the agent retrieves and reads as context: whoever can add documents shapes its answers.', boundary: RUNTIME, importedFrom: from(ctx, vn.node.pos, vn.node.pointer) });
        return id2;
      });
      const t = b.tools.find((x) => x.id === tid);
      if (t) t.accesses = [...new Set([...(t.accesses ?? []), mid])];
    }
    return tid;
  }

  // Flow: who passes work to whom, through flow-control nodes; iteration nodes pass to the nodes inside them.
  const loopBack = (id: string): string[] => {
    const n = byId.get(id);
    const target = n?.name === 'loopAgentflow' ? input(n, 'loopBackToNode') : undefined;
    const tid = target?.split('-')[0];
    return tid !== undefined && byId.has(tid) ? [tid] : [];
  };
  const next = (id: string): string[] => [...edges.filter((e) => e.from === id && !/-input-(model|tools|retriever|embeddings|agentMemory|state|promptValues)-/.test(e.handle)).map((e) => e.to), ...nodes.filter((n) => n.parent === id).map((n) => n.id), ...loopBack(id)];
  const reach = (start: string): string[] => {
    const seen = new Set<string>([start]);
    const found: string[] = [];
    const queue = [start];
    while (queue.length > 0) {
      const cur = queue.shift();
      if (cur === undefined) break;
      for (const t of next(cur)) {
        if (seen.has(t)) continue;
        seen.add(t);
        const k = kinds.get(t);
        if (k === 'agent' || k === 'supervisor' || k === 'human' || k === 'flow-tool') found.push(t);
        else if (k === 'control' || k === 'start') queue.push(t);
      }
    }
    return found;
  };
  const humans = new Map<string, string>();
  for (const n of nodes) {
    const k = kinds.get(n.id);
    if (k === 'human') humans.set(n.id, approver(b));
  }
  const flowTools = new Map<string, string>();
  for (const n of nodes) {
    if (kinds.get(n.id) !== 'flow-tool') continue;
    const tn = input(n, 'toolAgentflowSelectedTool') ?? n.label;
    const cfg = child(n.inputs, 'toolAgentflowSelectedToolConfig');
    const actions = text(child(cfg, 'messageActions')) ?? '';
    const tid = namedTool(tn, n.label, actions !== '' ? `actions: ${actions}` : '', n);
    flowTools.set(n.id, tid);
  }
  const nodeRef = (id: string): string | undefined => agents.get(id)?.id ?? humans.get(id) ?? flowTools.get(id);
  for (const n of nodes) {
    const k = kinds.get(n.id);
    const src = nodeRef(n.id);
    if (k === 'start') {
      const user = flowUser(b);
      const inputType = input(n, 'startInputType') ?? 'chatInput';
      for (const t of reach(n.id)) {
        const a = agents.get(t);
        if (!a) continue;
        const via = b.channel(user, a.id, { protocol: 'http', authentication: 'unknown', encryption: 'tls', direction: 'bidirectional', data: [inputType === 'formInput' ? 'form input' : 'chat messages'] });
        b.entryPoints.push({ id: b.ids.take(`${a.id}_input`.slice(0, 128), 'entryPoints'), name: clip(`${inputType === 'formInput' ? 'Form' : 'Chat'} input to ${a.name ?? a.id}`), target: a.id, source: user, via, type: 'user-input', trust: 'untrusted', importedFrom: from(ctx, n.node.pos, n.node.pointer) });
      }
      continue;
    }
    if (src === undefined) continue;
    for (const t of reach(n.id)) {
      const dst = nodeRef(t);
      if (dst === undefined || dst === src) continue;
      const a = agents.get(n.id);
      const dAgent = agents.get(t);
      if (flowTools.has(t)) {
        // A tool node runs on what the nodes before it produced: they effectively call it.
        const callers = a ? [a] : into(n.id).map((x) => agents.get(x)).filter((x): x is AgentSpec => x !== undefined);
        for (const c of callers) c.tools = [...new Set([...((c.tools ?? []) as string[]), dst])];
        continue;
      }
      if (n.name === 'supervisor' && dAgent && a) {
        a.delegatesTo = [...new Set([...(a.delegatesTo ?? []), dAgent.id])];
        dAgent.acceptsFrom = [...new Set([...(dAgent.acceptsFrom ?? []), a.id])];
      }
      b.channel(src, dst, { protocol: 'function-call', authentication: 'none', encryption: 'none', direction: n.name === 'supervisor' ? 'bidirectional' : 'one-way', data: ['messages'], description: n.name === 'supervisor' ? 'The supervisor hands the task to a worker and reads its answer.' : 'The output of one node is the input of the next in the flow.' });
      if (humans.has(t) && a) a.approvals = [...(a.approvals ?? []), { action: 'its output, before the flow goes on', approver: dst, mode: 'before' }];
    }
  }
  // Multi-agent v1 has no start node: people chat with the supervisor.
  if (!nodes.some((n) => kinds.get(n.id) === 'start')) {
    for (const n of nodes.filter((x) => x.name === 'supervisor')) {
      const a = agents.get(n.id);
      if (!a) continue;
      const user = flowUser(b);
      const via = b.channel(user, a.id, { protocol: 'http', authentication: 'unknown', encryption: 'tls', direction: 'bidirectional', data: ['chat messages'] });
      b.entryPoints.push({ id: b.ids.take(`${a.id}_input`.slice(0, 128), 'entryPoints'), name: clip(`Chat input to ${a.name ?? a.id}`), target: a.id, source: user, via, type: 'user-input', trust: 'untrusted', importedFrom: from(ctx, n.node.pos, n.node.pointer) });
    }
  }
  // Iteration: the agent inside runs once per item the previous node produced (sub-agents spawned at run time).
  for (const n of nodes) {
    if (n.name !== 'iterationAgentflow') continue;
    const inside = nodes.filter((x) => x.parent === n.id).map((x) => agents.get(x.id)).filter((x): x is AgentSpec => x !== undefined);
    for (const before2 of into(n.id)) {
      const a = agents.get(before2);
      if (a && inside.length > 0) {
        a.canSpawnAgents = true;
        a.spawns = inside.map((x) => x.id);
      }
    }
  }
  // Supervisor (v1): workers name it as an input.
  for (const n of nodes) {
    if (n.name !== 'worker') continue;
    const w = agents.get(n.id);
    for (const s of into(n.id, /-input-supervisor-/)) {
      const sup = agents.get(s);
      if (!sup || !w) continue;
      sup.delegatesTo = [...new Set([...(sup.delegatesTo ?? []), w.id])];
      w.acceptsFrom = [...new Set([...(w.acceptsFrom ?? []), sup.id])];
      if ((w.models ?? []).length === 0 && sup.models) w.models = [...sup.models];
    }
  }
  // Sequential agents (v1): the start node's model is every agent's default.
  for (const n of nodes.filter((x) => x.name === 'seqStart')) {
    const m = into(n.id, /-input-model-/).map((x) => byId.get(x)).find((x): x is FNode => x !== undefined && kinds.get(x.id) === 'model');
    if (!m) continue;
    const mid = modelOfNode(m);
    for (const a of agents.values()) if ((a.models ?? []).length === 0) a.models = [mid];
    if (into(n.id, /-input-agentMemory-/).length > 0) {
      const memId = b.ids.take('agent_memory_checkpoints', 'memories');
      b.memories.push({ id: memId, name: 'Agent memory (checkpoints of the conversation state)', type: 'database', persistence: 'persistent', isolation: 'shared', description: 'Flowise saves the state of the sequential agents after each step and reloads it in the next run of the thread.', boundary: RUNTIME });
      for (const a of agents.values()) a.memory = { reads: [...new Set([...(a.memory?.reads ?? []), memId])], writes: [...new Set([...(a.memory?.writes ?? []), memId])] };
    }
  }
  for (const n of nodes) {
    const k = kinds.get(n.id);
    if (k === 'other') warn(ctx, 'W_FLOWISE_NODE', `node ${quote(n.label, 60)} (${quote(n.name, 40)}) is not modelled`, 'add it by hand if it matters', n.node.pos, n.node.pointer);
    if (k === 'model' && !modelIds.has(n.id)) warn(ctx, 'W_FLOWISE_UNUSED', `chat model ${quote(n.label, 60)} is not connected to any agent`, 'connect it, or remove it', n.node.pos, n.node.pointer);
  }
  return { elements: b.count() - before, dialect };
}

function flowUser(b: SystemBuilder): string {
  return b.once('human|flowise-user', () => {
    const hid = b.ids.take('flow_users', 'humans');
    b.humans.push({ id: hid, name: 'People who use the flow (chat, form or API)', role: 'user', trust: 'untrusted', description: 'Whoever can reach the flow: the Flowise chat, an embedded widget or the prediction API.' });
    return hid;
  });
}

function approver(b: SystemBuilder): string {
  return b.once('human|flowise-approver', () => {
    const id = b.ids.take('flow_approver', 'humans');
    b.humans.push({ id, name: 'Person who answers Human Input / approval steps', role: 'approver', trust: 'authenticated', description: 'Approves or rejects what the flow is about to do, in the Flowise chat.' });
    return id;
  });
}

export function importFlowise(inputs: readonly ImportInput[], options: ImportOptions = {}): ImportResult {
  const b = new SystemBuilder(options.existingIds, { name: 'Flowise server', description: 'The Flowise server that runs the flow: its nodes share the credentials stored in Flowise and its network access.' });
  const diagnostics: Diagnostic[] = [];
  const notes: ImportNote[] = [];
  const files: ImportFileReport[] = [];
  const names: string[] = [];
  for (const input of inputs.slice(0, 1000)) {
    const file = input.path;
    const root = parseInputTree(input.text, file, diagnostics, files);
    if (root === undefined) continue;
    const nodes = child(root, 'nodes');
    const first = nodes?.t === 'array' ? nodes.items[0] : undefined;
    if (root.t !== 'object' || nodes?.t !== 'array' || child(root, 'edges')?.t !== 'array' || (first !== undefined && child(first, 'data') === undefined)) {
      diagnostics.push({ ...diag('E_IMPORT_NOT_FLOWISE', `not a Flowise flow: ${root.t !== 'object' ? `the top level is ${describeNode(root)}` : nodes?.t !== 'array' ? 'no "nodes" list' : child(root, 'edges')?.t !== 'array' ? 'no "edges" list' : 'its nodes have no "data"'}`, { hint: 'export the agent flow from Flowise (Export, or a marketplace template): an object with "nodes" (each with "data") and "edges"', line: root.pos.line, column: root.pos.column, pointer: '' }), file });
      files.push({ file, status: 'refused', elements: 0 });
      continue;
    }
    const ctx: Ctx = { file, format: FORMAT, diagnostics, notes };
    const title = str(child(root, 'name')) ?? file.replace(/^.*\//, '').replace(/\.json$/i, '');
    const r = importFlow(b, root, ctx, title);
    if ('refuse' in r) {
      diagnostics.push({ ...diag('E_IMPORT_FLOWISE_NO_AGENT', r.refuse, { hint: 'import an agent flow (Agentflow v2, multi-agent or sequential agents), or describe this chatflow by hand', line: root.pos.line, column: root.pos.column, pointer: '/nodes' }), file });
      files.push({ file, status: 'refused', elements: 0 });
      continue;
    }
    files.push({ file, status: 'imported', dialect: r.dialect, elements: r.elements });
    names.push(title);
  }
  if (names.length === 0) return { diagnostics, notes, files };
  const model = b.build(
    names.length === 1 ? `Flowise: ${names[0] ?? ''}` : `Flowise: ${names.length} flows`,
    `Imported from ${names.length} Flowise flow${names.length === 1 ? '' : 's'} by maestro-tm import. The flow tells which agents, models, tools and human steps are wired together; it does not tell what the stored credentials can do, who can reach the flow or which controls exist: review and complete the model. Custom functions were read as text, never run.`,
  );
  return { model, diagnostics, notes, files };
}

export const flowiseImporter: Importer = {
  id: 'flowise',
  aliases: ['flowise-agentflow', 'agentflow'],
  description: 'Flowise agent flows (JSON): Agentflow v2, multi-agent supervisor/worker, sequential agents',
  detect(input) {
    const head = input.text.slice(0, 65_536);
    let score = 0;
    if (/"nodes"\s*:\s*\[/.test(head) && /"edges"\s*:\s*\[/.test(input.text)) score += 0.2;
    if (/"type"\s*:\s*"(customNode|agentFlow|iteration|stickyNote)"/.test(head)) score += 0.3;
    if (/"(baseClasses|inputParams|inputAnchors)"\s*:/.test(head)) score += 0.3;
    if (/"name"\s*:\s*"\w+Agentflow"|"category"\s*:\s*"(Multi Agents|Sequential Agents|Agent Flows)"/.test(head)) score += 0.2;
    if (/"(mcpServers|otmVersion|component_type|connections)"\s*:/.test(head)) score -= 0.4;
    return Math.max(0, Math.min(1, score));
  },
  wantsPath(path) {
    return /(^|\/)[^/]*(flowise|agentflow|chatflow)[^/]*\.json$/i.test(path.replace(/\\/g, '/'));
  },
  import: importFlowise,
};
