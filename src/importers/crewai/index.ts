/**
 * CrewAI projects → a model. Reads `agents.yaml` and `tasks.yaml` (the CrewBase config files, also
 * split over several files such as agents/audio_agents.yaml) and the crew's Python code (crew.py:
 * `@agent`, `@task`, `@crew` methods, `Agent(...)`, `Task(...)`, `Crew(...)` calls, tool classes and
 * `@tool` functions). Nothing is run: the Python code is parsed with tree-sitter.
 *
 * What becomes what:
 * - each agent → an agent (role, goal, backstory, budgets); its `llm` → a model (CrewAI's default
 *   OpenAI model when none is named); its tools → tools with side effects (prebuilt crewai_tools
 *   classes are known; others are guessed from their names and said to be guessed);
 * - tasks are not elements: they give channels between agents (a task's `context`, and in the
 *   sequential process the previous task's output), human review points (`human_input`) and
 *   output files (a file store the agent writes);
 * - `allow_delegation` → delegation to every other agent of the crew; `Process.hierarchical` → a
 *   manager agent that delegates to all; `memory=True` → the crew's memory, shared by its agents;
 * - `{placeholders}` in task and agent texts → an entry point: values filled in at kickoff.
 */
import { diag, quote, type Diagnostic } from '../../model/diagnostics.js';
import type { AgentSpec } from '../../model/schema.js';
import { child, describeNode, parseTreeText, str, text, type PNode, type PObject, type Pos } from '../_source.js';
import { clip, slug } from '../_model.js';
import type { ImportFileReport, ImportInput, ImportOptions, ImportResult, Importer } from '../types.js';
import { GraphBuilder } from '../_python/build.js';
import { describeExpr, kwarg, lastPart, nameOf, type Expr, type PyCall, type PyFacts } from '../_python/extract.js';
import { isPythonPath, parseAll, preparePython, refuseFile } from '../_python/index.js';
import { KNOWN_TOOLS, type KnownTool } from '../_python/knowledge.js';
import { modelFromExpr } from '../_python/models.js';
import { PyProject } from '../_python/project.js';
import { toolDecorator, toolFromItem, toolsFromList, type ToolCtx, type ToolRef } from '../_python/tools.js';

const FORMAT = 'crewai';

const AGENT_KEYS = new Set([
  'role', 'goal', 'backstory', 'llm', 'function_calling_llm', 'tools', 'allow_delegation', 'memory', 'verbose', 'max_iter', 'max_rpm',
  'max_execution_time', 'allow_code_execution', 'code_execution_mode', 'max_retry_limit', 'respect_context_window', 'multimodal',
  'reasoning', 'max_reasoning_attempts', 'knowledge_sources', 'embedder', 'system_template', 'prompt_template', 'response_template',
  'cache', 'inject_date', 'date_format', 'use_system_prompt', 'step_callback', 'callbacks', 'max_tokens', 'config', 'name', 'apps', 'mcps',
  'guardrail', 'guardrail_max_retries',
]);
const TASK_KEYS = new Set([
  'description', 'expected_output', 'agent', 'context', 'tools', 'human_input', 'output_file', 'async_execution', 'output_json',
  'output_pydantic', 'callback', 'create_directory', 'markdown', 'guardrail', 'guardrails', 'name', 'config', 'converter_cls', 'max_retries',
  'guardrail_max_retries',
]);
/** Folder names that hold the config files rather than the project. */
const CONFIG_DIRS = new Set(['config', 'configs', 'agents', 'tasks', 'tools', 'crews']);
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]{0,80})\}/g;
const MAX_ENTRIES = 2_000;

interface YTask {
  readonly key: string;
  readonly group: string;
  readonly file: string;
  readonly pos: Pos;
  readonly pointer: string;
  readonly order: number;
  description: string;
  expectedOutput: string;
  agentKey?: { key: string; pos: Pos };
  agent?: AgentSpec;
  context: { key: string; pos: Pos }[];
  humanInput: boolean;
  outputFile?: { path: string; pos: Pos };
  toolNames: { name: string; pos: Pos }[];
  toolRefs: ToolRef[];
  asyncExecution: boolean;
}

interface Group {
  readonly root: string;
  readonly agents: Map<string, AgentSpec>;
  readonly tasks: Map<string, YTask>;
  process?: { kind: 'sequential' | 'hierarchical'; file: string; at: Pos };
  managerLlm?: string;
  managerAgent?: AgentSpec;
  memory?: { file: string; at: Pos };
  planning?: boolean;
  /** Task keys in the order the Crew runs them, when the code lists them. */
  taskOrder?: string[];
  placeholders: Map<string, Set<string>>;
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function projectRoot(path: string): string {
  let d = dirOf(path);
  for (;;) {
    const base = d.slice(d.lastIndexOf('/') + 1);
    if (!CONFIG_DIRS.has(base) || d === '') return d;
    d = dirOf(d);
  }
}

function trimText(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

type YamlKind = 'agents' | 'tasks';

function yamlKind(path: string, root: PNode): YamlKind | undefined {
  const base = (path.split('/').pop() ?? path).toLowerCase();
  if (/agent/.test(base) && !/task/.test(base)) return 'agents';
  if (/task/.test(base) && !/agent/.test(base)) return 'tasks';
  if (root.t !== 'object') return undefined;
  for (const e of root.entries.slice(0, 20)) {
    if (child(e.value, 'role') !== undefined || child(e.value, 'backstory') !== undefined) return 'agents';
    if (child(e.value, 'expected_output') !== undefined || child(e.value, 'description') !== undefined) return 'tasks';
  }
  return undefined;
}

function isTrue(n: PNode | undefined): boolean {
  return n?.t === 'boolean' && n.value === true;
}

/** An element's recorded source position as a place. */
function placeOf(f: { line: number; column?: number | undefined } | undefined): Pos | undefined {
  return f ? { line: f.line, column: f.column ?? 1 } : undefined;
}

function placeholdersIn(s: string): string[] {
  return [...s.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '').filter((x) => x !== '');
}

class CrewImport {
  readonly b: GraphBuilder;
  readonly groups = new Map<string, Group>();
  readonly files: ImportFileReport[] = [];
  /** Agent made from an Agent(...) call, by file:line:column of the call. */
  readonly agentByCall = new Map<string, AgentSpec>();
  readonly agentFile = new Map<AgentSpec, string>();
  project = new PyProject([]);
  defaultModel: string | undefined;
  taskOrder = 0;

  constructor(options: ImportOptions) {
    this.b = new GraphBuilder(FORMAT, 'CrewAI', options.existingIds);
  }

  group(root: string): Group {
    let g = this.groups.get(root);
    if (!g) {
      g = { root, agents: new Map(), tasks: new Map(), placeholders: new Map() };
      this.groups.set(root, g);
    }
    return g;
  }

  /** The group a Python file belongs to: the deepest YAML project folder that holds it. */
  groupForPy(path: string): Group {
    const dir = dirOf(path);
    let best: Group | undefined;
    for (const g of this.groups.values()) {
      if ((g.root === '' || dir === g.root || dir.startsWith(`${g.root}/`)) && (best === undefined || g.root.length > best.root.length)) best = g;
    }
    return best ?? this.group(projectRoot(path));
  }

  findAgent(key: string, g: Group): AgentSpec | undefined {
    const own = g.agents.get(key);
    if (own) return own;
    const others = [...this.groups.values()].map((x) => x.agents.get(key)).filter((a): a is AgentSpec => a !== undefined);
    return others.length === 1 ? others[0] : undefined;
  }

  addPlaceholders(g: Group, agent: AgentSpec | undefined, texts: string[]): void {
    const names = texts.flatMap(placeholdersIn);
    if (names.length === 0) return;
    const key = agent?.id ?? '';
    const set = g.placeholders.get(key) ?? new Set<string>();
    for (const n of names) set.add(n);
    g.placeholders.set(key, set);
  }

  // -------------------------------------------------------------------------------------------------------------------
  // YAML

  readYaml(input: ImportInput): void {
    const file = input.path;
    const parsed = parseTreeText(input.text, file, 'yaml');
    this.b.diagnostics.push(...parsed.diagnostics);
    if (!parsed.tree || parsed.diagnostics.some((d) => d.severity === 'error')) {
      this.files.push({ file, status: 'refused', elements: 0 });
      return;
    }
    const root = parsed.tree.root;
    const kind = yamlKind(file, root);
    if (root.t !== 'object' || kind === undefined) {
      this.b.diagnostics.push({
        ...diag('E_IMPORT_NOT_CREWAI', root.t !== 'object' ? `a CrewAI config file is a mapping of agent or task names, not ${describeNode(root)}` : 'this YAML file holds neither CrewAI agents (role, goal, backstory) nor tasks (description, expected_output)', {
          hint: 'name the agents.yaml and tasks.yaml of a CrewAI project (usually under src/<project>/config/)',
          line: root.pos.line,
          column: root.pos.column,
          pointer: '',
        }),
        file,
      });
      this.files.push({ file, status: 'refused', elements: 0 });
      return;
    }
    const g = this.group(projectRoot(file));
    const before = this.b.elementsFrom(file);
    if (root.entries.length > MAX_ENTRIES) this.b.warn(file, 'W_IMPORT_LIMIT', `only the first ${MAX_ENTRIES} entries are read`, 'split the file', root.pos, '');
    let missingAgent = 0;
    for (const e of root.entries.slice(0, MAX_ENTRIES)) {
      if (e.value.t !== 'object') {
        this.b.warn(file, 'W_IMPORT_ENTRY_SKIPPED', `${kind === 'agents' ? 'agent' : 'task'} ${quote(e.key, 60)} is ${describeNode(e.value)}, not a mapping: skipped`, kind === 'agents' ? 'an agent has role, goal and backstory' : 'a task has description, expected_output and usually agent', e.keyPos, e.value.pointer);
        continue;
      }
      this.unknownKeys(file, e.key, e.value, kind);
      if (kind === 'agents') this.yamlAgent(file, g, e.key, e.keyPos, e.value);
      else if (!this.yamlTask(file, g, e.key, e.keyPos, e.value)) missingAgent++;
    }
    if (missingAgent > 0) {
      this.b.warn(file, 'W_IMPORT_TASK_AGENT', `${missingAgent} task${missingAgent === 1 ? ' names' : 's name'} no agent here; the crew's Python code assigns ${missingAgent === 1 ? 'it' : 'them'} (Task(agent=...))`, "import the crew's Python file (crew.py) too, so that tasks connect agents; without it, no channel follows these tasks", root.pos, '');
    }
    this.files.push({ file, status: 'imported', dialect: `CrewAI ${kind}.yaml`, elements: this.b.elementsFrom(file) - before });
  }

  unknownKeys(file: string, key: string, node: PObject, kind: YamlKind): void {
    const known = kind === 'agents' ? AGENT_KEYS : TASK_KEYS;
    for (const f of node.entries) {
      if (known.has(f.key)) continue;
      const extra = kind === 'tasks' && f.key === 'dependencies' ? ' (CrewAI passes earlier task results through "context")' : '';
      this.b.warn(file, 'W_IMPORT_UNKNOWN_KEY', `${kind === 'agents' ? 'agent' : 'task'} ${quote(key, 60)}: ${quote(f.key, 40)} is not a CrewAI ${kind === 'agents' ? 'agent' : 'task'} setting: ignored${extra}`, `check the spelling; CrewAI ${kind === 'agents' ? 'agents have role, goal, backstory, llm, tools, allow_delegation, memory' : 'tasks have description, expected_output, agent, context, tools, human_input, output_file'}`, f.keyPos, f.value.pointer);
    }
  }

  yamlAgent(file: string, g: Group, key: string, pos: Pos, node: PObject): void {
    if (g.agents.has(key)) {
      this.b.warn(file, 'W_IMPORT_DUPLICATE', `agent ${quote(key, 60)} is defined twice in this project: the first one is kept`, 'give each agent its own name', pos, `/${key}`);
      return;
    }
    const role = trimText(text(child(node, 'role')) ?? '');
    const goal = trimText(text(child(node, 'goal')) ?? '');
    const backstory = trimText(text(child(node, 'backstory')) ?? '');
    const spec: Omit<AgentSpec, 'id'> = {
      name: clip(role || key, 200),
      ...(role ? { role: clip(role) } : {}),
      ...(goal ? { goals: [clip(goal)] } : {}),
      description: clip(`CrewAI agent ${JSON.stringify(clip(key, 200))} from ${file} line ${pos.line}.${backstory ? ` Backstory: ${backstory}` : ''}`, 100_000),
      origin: 'first-party',
      framework: 'CrewAI',
      prompt: { source: 'repository' },
      importedFrom: { ...this.b.from(file, pos, `/${key}`), lines: this.lines(node, { role: '/role', goal: '/goals/0', backstory: '/description', llm: '/models/0', tools: '/tools', allow_delegation: '/delegatesTo' }) },
    };
    const agent = this.b.addAgent(key, spec, file);
    g.agents.set(key, agent);
    this.agentFile.set(agent, file);
    this.addPlaceholders(g, agent, [role, goal, backstory]);
    this.agentSettings(file, agent, key, node);
  }

  lines(node: PObject, map: Record<string, string>): Record<string, number> {
    const out: Record<string, number> = {};
    for (const f of node.entries) {
      const rel = Object.hasOwn(map, f.key) ? map[f.key] : undefined;
      if (rel !== undefined) out[rel] = f.keyPos.line;
    }
    return out;
  }

  /** Agent settings shared by YAML entries and Agent(...) keyword arguments (already read into plain values). */
  agentSettings(file: string, agent: AgentSpec, key: string, node: PObject): void {
    const llm = str(child(node, 'llm'));
    if (llm !== undefined) {
      const at = child(node, 'llm')?.pos;
      const p = llm.includes('/') || llm.includes(':') ? llm : llm;
      const id = this.modelFromName(p, file, at, `agent ${key}`);
      agent.models = [id];
    }
    const budgets: NonNullable<AgentSpec['budgets']> = {};
    const num = (k: string): number | undefined => {
      const v = child(node, k);
      return v?.t === 'number' && Number.isInteger(v.value) && (v.value as number) >= 0 && (v.value as number) <= 1e9 ? (v.value as number) : undefined;
    };
    const it = num('max_iter');
    if (it !== undefined) budgets.maxIterations = it;
    const rpm = num('max_rpm');
    if (rpm !== undefined) budgets.rateLimitPerMinute = rpm;
    const t = num('max_execution_time');
    if (t !== undefined) budgets.timeoutSeconds = t;
    if (Object.keys(budgets).length > 0) agent.budgets = budgets;
    if (isTrue(child(node, 'allow_delegation'))) this.delegating.add(agent);
    if (isTrue(child(node, 'memory'))) this.agentMemory.set(agent, { file, at: child(node, 'memory')?.pos ?? { line: 1, column: 1 } });
    if (isTrue(child(node, 'allow_code_execution'))) this.codeExecution(agent, file, child(node, 'allow_code_execution')?.pos, str(child(node, 'code_execution_mode')));
    const tools = child(node, 'tools');
    if (tools?.t === 'array') {
      for (const item of tools.items) {
        const name = str(item);
        if (name === undefined) {
          this.b.warn(file, 'W_IMPORT_TYPE', `agent ${quote(key, 60)}: a tool is ${describeNode(item)}, not a name: skipped`, 'list tool names (methods of the crew class decorated with @tool, or tool classes)', item.pos, item.pointer);
          continue;
        }
        this.pendingYamlTools.push({ agent, name, file, pos: item.pos });
      }
    }
  }

  readonly delegating = new Set<AgentSpec>();
  readonly agentMemory = new Map<AgentSpec, { file: string; at: Pos }>();
  readonly pendingYamlTools: { agent: AgentSpec; name: string; file: string; pos: Pos }[] = [];
  readonly pendingTaskTools: { task: YTask; name: string; pos: Pos }[] = [];

  codeExecution(agent: AgentSpec, file: string, at: Pos | undefined, mode: string | undefined): void {
    const unsafe = mode === 'unsafe';
    const id = this.b.addTool(`code-execution:${unsafe ? 'unsafe' : 'safe'}`, unsafe ? 'code_execution_unsafe' : 'code_execution', {
      name: unsafe ? 'Code execution (unsafe mode: on the host)' : 'Code execution (Docker)',
      description: unsafe
        ? 'CrewAI allow_code_execution with code_execution_mode "unsafe": code the model writes runs directly on the host, without a container.'
        : 'CrewAI allow_code_execution: code the model writes runs in a Docker container (CodeInterpreterTool).',
      type: 'code-interpreter',
      sideEffects: ['execute-code'],
      transport: 'in-process',
      ...(unsafe ? { tags: ['no-sandbox'] } : {}),
      importedFrom: this.b.from(file, at),
    }, file);
    this.b.grant(agent, id);
    if (unsafe) this.b.note(file, 'I_UNSAFE_CODE_EXECUTION', `agent ${quote(agent.name ?? agent.id, 60)}: code_execution_mode "unsafe" runs model-written code on the host without a sandbox`, at, agent.id);
  }

  modelFromName(name: string, file: string, at: Pos | undefined, owner: string): string {
    const m = /^([a-z0-9_-]+)[/:](.+)$/i.exec(name);
    const provider = m?.[1]?.toLowerCase() ?? (/^(gpt|o[1-9]|chatgpt)/i.test(name) ? 'openai' : /^claude/i.test(name) ? 'anthropic' : /^gemini/i.test(name) ? 'google' : 'unknown');
    const model = m?.[2] ?? name;
    return this.b.addModel(provider, model, provider === 'ollama' ? 'self-hosted' : 'hosted-api', file, at, `Model ${JSON.stringify(clip(name, 200))} named for ${owner} in ${file}.`);
  }

  yamlTask(file: string, g: Group, key: string, pos: Pos, node: PObject): boolean {
    if (g.tasks.has(key)) {
      this.b.warn(file, 'W_IMPORT_DUPLICATE', `task ${quote(key, 60)} is defined twice in this project: the first one is kept`, 'give each task its own name', pos, `/${key}`);
      return true;
    }
    const agentNode = child(node, 'agent');
    const agentName = str(agentNode);
    const task: YTask = {
      key,
      group: g.root,
      file,
      pos,
      pointer: `/${key}`,
      order: this.taskOrder++,
      description: trimText(text(child(node, 'description')) ?? ''),
      expectedOutput: trimText(text(child(node, 'expected_output')) ?? ''),
      ...(agentName !== undefined && agentNode ? { agentKey: { key: agentName.trim(), pos: agentNode.pos } } : {}),
      context: [],
      humanInput: isTrue(child(node, 'human_input')),
      toolNames: [],
      toolRefs: [],
      asyncExecution: isTrue(child(node, 'async_execution')),
    };
    const ctx = child(node, 'context');
    if (ctx?.t === 'array') for (const c of ctx.items) { const s = str(c); if (s !== undefined) task.context.push({ key: s, pos: c.pos }); }
    else if (ctx !== undefined && ctx.t !== 'null') this.b.warn(file, 'W_IMPORT_TYPE', `task ${quote(key, 60)}: "context" should be a list of task names, not ${describeNode(ctx)}: ignored`, 'write context: [other_task]', ctx.pos, ctx.pointer);
    const out = str(child(node, 'output_file'));
    if (out !== undefined) task.outputFile = { path: out, pos: child(node, 'output_file')?.pos ?? pos };
    const tools = child(node, 'tools');
    if (tools?.t === 'array') for (const t of tools.items) { const s = str(t); if (s !== undefined) this.pendingTaskTools.push({ task, name: s, pos: t.pos }); }
    g.tasks.set(key, task);
    return agentName !== undefined;
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Python

  readPython(facts: readonly PyFacts[]): void {
    this.project = new PyProject(facts);
    for (const f of facts) {
      const g = this.groupForPy(f.file);
      const crewai = this.project.importsFrom(f, /^crewai(\.|_tools|$)/);
      for (const imp of f.imports) {
        if (imp.name === '*' && /crewai/.test(imp.module)) this.b.warn(f.file, 'W_IMPORT_STAR', `star import from ${quote(imp.module, 60)}: names it brings in are matched by their usual names`, 'import names explicitly', imp);
      }
      if (crewai) {
        for (const c of f.calls) if (this.calleeIs(c, 'Agent')) this.pyAgent(f, g, c);
      }
      this.files.push({ file: f.file, status: 'imported', dialect: crewai ? 'CrewAI Python code' : 'Python code (definitions used by the crew)', elements: 0 });
    }
    for (const f of facts) {
      if (!this.project.importsFrom(f, /^crewai(\.|_tools|$)/)) continue;
      const g = this.groupForPy(f.file);
      for (const c of f.calls) if (this.calleeIs(c, 'Task')) this.pyTask(f, g, c);
      for (const c of f.calls) if (this.calleeIs(c, 'Crew')) this.pyCrew(f, g, c);
    }
  }

  calleeIs(c: PyCall, name: string): boolean {
    const n = nameOf(c.call.callee);
    return n === name || n === `crewai.${name}`;
  }

  /** The config key of an Agent(...)/Task(...) call: config=self.agents_config['key'], else the @agent method, else the variable. */
  keyOf(f: PyFacts, c: PyCall): { key: string; fromConfig: boolean } | undefined {
    const cfg = kwarg(c.call, 'config');
    if (cfg?.k === 'sub' && cfg.index.k === 'str') return { key: cfg.index.v, fromConfig: true };
    if (cfg !== undefined) {
      this.b.warn(f.file, 'W_IMPORT_UNRESOLVED', `config is ${describeExpr(cfg)}: not resolvable without running the code; matched by method name instead`, "write config=self.agents_config['name']", cfg);
    }
    if (c.scope !== '') return { key: lastPart(c.scope), fromConfig: false };
    const a = f.assigns.find((x) => x.value.line === c.call.line && x.value.column === c.call.column);
    if (a) return { key: lastPart(a.target), fromConfig: false };
    return undefined;
  }

  pyAgent(f: PyFacts, g: Group, c: PyCall): void {
    const call = c.call;
    const k = this.keyOf(f, c);
    const strArg = (n: string): string | undefined => {
      const v = this.project.resolve(kwarg(call, n), f, c.scope).expr;
      return v?.k === 'str' ? trimText(v.v) : undefined;
    };
    let agent = k ? g.agents.get(k.key) ?? (k.fromConfig ? this.findAgent(k.key, g) : undefined) : undefined;
    if (k?.fromConfig && !agent) {
      this.b.warn(f.file, 'W_IMPORT_CONFIG_KEY', `Agent(config=...) names ${quote(k.key, 60)}, which no imported agents.yaml defines`, "import the project's config/agents.yaml too, or check the name", call);
    }
    if (!agent) {
      const role = strArg('role');
      const goal = strArg('goal');
      const backstory = strArg('backstory');
      const key = k?.key ?? slug(role ?? `agent_${call.line}`, 'agent');
      agent = this.b.addAgent(key, {
        name: clip(role ?? key, 200),
        ...(role ? { role: clip(role) } : {}),
        ...(goal ? { goals: [clip(goal)] } : {}),
        description: clip(`CrewAI agent ${JSON.stringify(clip(key, 200))} defined in ${f.file} line ${call.line}.${backstory ? ` Backstory: ${backstory}` : ''}`, 100_000),
        origin: 'first-party',
        framework: 'CrewAI',
        prompt: { source: 'repository' },
        importedFrom: this.b.from(f.file, call),
      }, f.file);
      g.agents.set(key, agent);
      this.agentFile.set(agent, f.file);
      this.addPlaceholders(g, agent, [role ?? '', goal ?? '', backstory ?? '']);
    }
    this.agentByCall.set(`${f.file}:${call.line}:${call.column}`, agent);
    const owner = `agent ${quote(agent.name ?? agent.id, 60)}`;
    const llm = kwarg(call, 'llm');
    if (llm !== undefined) {
      const id = modelFromExpr(this.b, this.project, llm, f, c.scope, owner);
      if (id !== undefined) agent.models = [id];
    }
    const bool = (n: string): Expr | undefined => {
      const v = kwarg(call, n);
      return v === undefined ? undefined : (this.project.resolve(v, f, c.scope).expr ?? v);
    };
    const deleg = bool('allow_delegation');
    if (deleg?.k === 'bool') {
      if (deleg.v) this.delegating.add(agent);
      else this.delegating.delete(agent);
    }
    if (bool('memory')?.k === 'bool' && (bool('memory') as { v: boolean }).v) this.agentMemory.set(agent, { file: f.file, at: call });
    const code = bool('allow_code_execution');
    if (code?.k === 'bool' && code.v) {
      const mode = bool('code_execution_mode');
      this.codeExecution(agent, f.file, code, mode?.k === 'str' ? mode.v : undefined);
    }
    for (const [kw, field] of [['max_iter', 'maxIterations'], ['max_rpm', 'rateLimitPerMinute'], ['max_execution_time', 'timeoutSeconds']] as const) {
      const v = bool(kw);
      if (v?.k === 'num' && Number.isInteger(v.v) && v.v >= 0 && v.v <= 1e9) agent.budgets = { ...(agent.budgets ?? {}), [field]: v.v };
    }
    const refs = toolsFromList(this.toolCtx(owner), kwarg(call, 'tools'), f, c.scope);
    this.b.grantRefs(agent, refs);
    const knowledge = kwarg(call, 'knowledge_sources');
    if (knowledge !== undefined) this.knowledge(agent, f, knowledge);
  }

  knowledge(agent: AgentSpec, f: PyFacts, at: Expr): void {
    const id = this.b.addMemory(`knowledge:${agent.id}`, `${agent.id}_knowledge`, {
      name: `Knowledge sources of ${clip(agent.name ?? agent.id, 200)}`,
      type: 'rag-corpus',
      persistence: 'persistent',
      description: `CrewAI knowledge_sources given to the agent in ${f.file} line ${at.line}: documents embedded into a vector store the agent retrieves from.`,
      importedFrom: this.b.from(f.file, at),
    }, f.file);
    agent.memory = { ...(agent.memory ?? {}), reads: [...new Set([...(agent.memory?.reads ?? []), id])] };
  }

  toolCtx(owner: string): ToolCtx {
    return {
      b: this.b,
      project: this.project,
      owner,
      hook: (item) => {
        const e = item.expr;
        if (e.k === 'call' && lastPart(nameOf(e.callee)) === 'MCPServerAdapter') return [this.mcpAdapter(item.file, e)];
        // tools=mcp_server_adapter.tools / tools=[*adapter.tools] are handled by the adapter variable.
        if (e.k === 'name' && /\.tools$/.test(e.v)) {
          const base = this.project.resolve({ k: 'name', v: e.v.slice(0, -6), line: e.line, column: e.column }, item.file, item.scope).expr;
          if (base?.k === 'call' && lastPart(nameOf(base.callee)) === 'MCPServerAdapter') return [this.mcpAdapter(item.file, base)];
        }
        return undefined;
      },
    };
  }

  mcpAdapter(f: PyFacts, call: Expr & { k: 'call' }): ToolRef {
    const params = this.project.resolve(call.args[0] ?? kwarg(call, 'serverparams'), f, '').expr;
    const read = (e: Expr | undefined, key: string): Expr | undefined => {
      if (e?.k === 'dict') return e.entries.find((x) => x.key.k === 'str' && x.key.v === key)?.value;
      if (e?.k === 'call') return kwarg(e, key);
      return undefined;
    };
    const command = read(params, 'command');
    const url = read(params, 'url');
    const args = read(params, 'args');
    const transport = read(params, 'transport');
    const p: Parameters<GraphBuilder['addMcpServer']>[2] = {};
    const env = read(params, 'env');
    if (env?.k === 'dict') p.env = env.entries.filter((x) => x.key.k === 'str').map((x) => ({ name: (x.key as { v: string }).v, ...(x.value.k === 'str' ? { value: x.value.v } : {}) }));
    if (command?.k === 'str') {
      p.command = command.v;
      p.args = args?.k === 'list' ? args.items.filter((x): x is Expr & { k: 'str' } => x.k === 'str').map((x) => x.v) : [];
    } else if (url?.k === 'str') {
      p.url = url.v;
      if (transport?.k === 'str') p.transport = /sse/i.test(transport.v) ? 'sse' : 'streamable-http';
    } else {
      this.b.warn(f.file, 'W_IMPORT_UNRESOLVED', `MCPServerAdapter: the server parameters are ${describeExpr(params ?? call)}: command or url not resolvable without running the code`, 'give StdioServerParameters(command=..., args=[...]) or {"url": ...} directly', call);
    }
    const name = p.command !== undefined ? `${p.command} ${(p.args ?? []).find((a) => !a.startsWith('-')) ?? ''}`.trim() : (p.url ?? `mcp_server_line_${call.line}`);
    const id = this.b.addMcpServer(`${f.file}:${call.line}:${call.column}`, name, p, f.file, call, `MCP server used through crewai_tools MCPServerAdapter in ${f.file} line ${call.line}.`);
    return { kind: 'mcp', id };
  }

  /** The agent an expression names: self.researcher(), researcher (a variable holding Agent(...)). */
  agentOf(f: PyFacts, scope: string, e: Expr | undefined, g: Group): AgentSpec | undefined {
    if (e === undefined) return undefined;
    if (e.k === 'call' && e.callee.k === 'name' && e.callee.v.startsWith('self.') && e.args.length === 0) {
      return this.findAgent(e.callee.v.slice(5), g);
    }
    const r = this.project.resolve(e, f, scope);
    const x = r.expr;
    if (x?.k === 'call' && lastPart(nameOf(x.callee)) === 'Agent') return this.agentByCall.get(`${r.file.file}:${x.line}:${x.column}`);
    if (x?.k === 'call' && x.callee.k === 'name' && x.callee.v.startsWith('self.')) return this.findAgent(x.callee.v.slice(5), g);
    if (x?.k === 'name') return this.findAgent(lastPart(x.v), g);
    return undefined;
  }

  taskKeyOf(f: PyFacts, scope: string, e: Expr, g: Group): string | undefined {
    if (e.k === 'call' && e.callee.k === 'name' && e.callee.v.startsWith('self.')) return e.callee.v.slice(5);
    const r = this.project.resolve(e, f, scope);
    const x = r.expr;
    if (x?.k === 'call' && lastPart(nameOf(x.callee)) === 'Task') {
      const pc = r.file.calls.find((c) => c.call.line === x.line && c.call.column === x.column);
      return pc ? this.keyOf(r.file, pc)?.key : undefined;
    }
    if (e.k === 'name' && g.tasks.has(lastPart(e.v))) return lastPart(e.v);
    return undefined;
  }

  pyTask(f: PyFacts, g: Group, c: PyCall): void {
    const call = c.call;
    const k = this.keyOf(f, c);
    const key = k?.key ?? `task_line_${call.line}`;
    let task = g.tasks.get(key);
    if (!task) {
      if (k?.fromConfig) this.b.warn(f.file, 'W_IMPORT_CONFIG_KEY', `Task(config=...) names ${quote(key, 60)}, which no imported tasks.yaml defines`, "import the project's config/tasks.yaml too, or check the name", call);
      const s = (n: string): string => {
        const v = this.project.resolve(kwarg(call, n), f, c.scope).expr;
        return v?.k === 'str' ? trimText(v.v) : '';
      };
      task = { key, group: g.root, file: f.file, pos: call, pointer: '', order: this.taskOrder++, description: s('description'), expectedOutput: s('expected_output'), context: [], humanInput: false, toolNames: [], toolRefs: [], asyncExecution: false };
      g.tasks.set(key, task);
    }
    const agentExpr = kwarg(call, 'agent');
    if (agentExpr !== undefined) {
      const agent = this.agentOf(f, c.scope, agentExpr, g);
      if (agent) task.agent = agent;
      else this.b.warn(f.file, 'W_IMPORT_UNRESOLVED', `task ${quote(key, 60)}: its agent is ${describeExpr(agentExpr)}, not resolvable to an agent of the crew`, 'write agent=self.<agent method>() or a variable holding Agent(...)', agentExpr);
    }
    const ctxList = kwarg(call, 'context');
    if (ctxList !== undefined) {
      const items = this.project.listItems(ctxList, f, c.scope);
      for (const it of items.items) {
        const tk = this.taskKeyOf(it.file, it.scope, it.original, g);
        if (tk !== undefined) task.context.push({ key: tk, pos: it.original });
        else this.b.warn(f.file, 'W_IMPORT_UNRESOLVED', `task ${quote(key, 60)}: a context entry is ${describeExpr(it.original)}, not resolvable to a task`, 'write context=[self.<task method>()]', it.original.line > 0 ? it.original : call);
      }
    }
    const hi = this.project.resolve(kwarg(call, 'human_input'), f, c.scope).expr;
    if (hi?.k === 'bool') task.humanInput = hi.v;
    const out = this.project.resolve(kwarg(call, 'output_file'), f, c.scope).expr;
    if (out?.k === 'str') task.outputFile = { path: out.v, pos: out };
    const as = this.project.resolve(kwarg(call, 'async_execution'), f, c.scope).expr;
    if (as?.k === 'bool') task.asyncExecution = as.v;
    const tools = kwarg(call, 'tools');
    if (tools !== undefined) task.toolRefs.push(...toolsFromList(this.toolCtx(`task ${quote(key, 60)}`), tools, f, c.scope));
  }

  pyCrew(f: PyFacts, g: Group, c: PyCall): void {
    const call = c.call;
    const proc = this.project.resolve(kwarg(call, 'process'), f, c.scope).expr;
    if (proc?.k === 'name') {
      const p = lastPart(proc.v);
      if (p === 'hierarchical' || p === 'sequential') g.process = { kind: p, file: f.file, at: proc };
      else this.b.warn(f.file, 'W_IMPORT_UNRESOLVED', `Crew(process=...) is ${quote(proc.v, 60)}, not Process.sequential or Process.hierarchical`, 'use one of the two CrewAI processes', proc);
    } else if (proc !== undefined && proc.k !== 'none') {
      this.b.warn(f.file, 'W_IMPORT_UNRESOLVED', `Crew(process=...) is ${describeExpr(proc)}: not resolvable; sequential assumed`, 'write process=Process.sequential or Process.hierarchical', proc);
    }
    const mem = this.project.resolve(kwarg(call, 'memory'), f, c.scope).expr;
    if (mem?.k === 'bool' && mem.v) g.memory = { file: f.file, at: mem };
    const plan = this.project.resolve(kwarg(call, 'planning'), f, c.scope).expr;
    if (plan?.k === 'bool' && plan.v) g.planning = true;
    const mllm = kwarg(call, 'manager_llm');
    if (mllm !== undefined) {
      const id = modelFromExpr(this.b, this.project, mllm, f, c.scope, 'the crew manager');
      if (id !== undefined) g.managerLlm = id;
    }
    const magent = kwarg(call, 'manager_agent');
    if (magent !== undefined) {
      const a = this.agentOf(f, c.scope, magent, g);
      if (a) g.managerAgent = a;
      else this.b.warn(f.file, 'W_IMPORT_UNRESOLVED', `Crew(manager_agent=...) is ${describeExpr(magent)}: not resolvable to an agent`, 'pass a variable holding Agent(...)', magent);
    }
    const tasks = kwarg(call, 'tasks');
    if (tasks !== undefined && !(tasks.k === 'name' && tasks.v === 'self.tasks')) {
      const items = this.project.listItems(tasks, f, c.scope);
      const order = items.items.map((it) => this.taskKeyOf(it.file, it.scope, it.original, g)).filter((x): x is string => x !== undefined);
      if (order.length > 0) g.taskOrder = order;
    }
  }

  // -------------------------------------------------------------------------------------------------------------------
  // After everything is read

  finish(): void {
    // Tools named in YAML: @tool methods/functions in the code, or tool classes.
    for (const p of this.pendingYamlTools) {
      const ref = this.namedTool(p.name, p.file, p.pos, `agent ${quote(p.agent.name ?? p.agent.id, 60)}`);
      if (ref) this.b.grant(p.agent, ref);
    }
    for (const g of [...this.groups.values()].sort((a, b) => (a.root < b.root ? -1 : a.root > b.root ? 1 : 0))) this.finishGroup(g);
  }

  namedTool(name: string, file: string, pos: Pos, owner: string): string | undefined {
    for (const f of this.project.files) {
      const def = f.defs.find((d) => d.name === name || toolDecorator(d)?.name === name);
      if (def) {
        const refs = toolFromItem({ b: this.b, project: this.project, owner }, { expr: { k: 'name', v: def.name, line: def.line, column: def.column }, file: f, scope: '', original: { k: 'name', v: def.name, line: def.line, column: def.column } });
        const r = refs[0];
        return r && r.kind !== 'none' ? r.id : undefined;
      }
    }
    const cls = Object.hasOwn(KNOWN_TOOLS, name) ? (KNOWN_TOOLS[name] as KnownTool) : undefined;
    const fx = cls ? [...cls.effects] : [];
    if (!cls) this.b.warn(file, 'W_IMPORT_TOOL_GUESSED', `${owner}: the tool ${quote(name, 60)} is not defined in the imported files: its side effects are unknown`, "import the crew's Python code too (the @tool functions), or set sideEffects on the tool in the model", pos);
    return this.b.addTool(`named:${name}`, name, {
      name: clip(name),
      description: cls ? `Prebuilt tool ${name}: ${cls.what}.` : `Tool ${JSON.stringify(clip(name, 200))} named in ${file}; defined in code that was not imported.`,
      type: cls?.type ?? 'function',
      ...(fx.length > 0 ? { sideEffects: fx } : {}),
      transport: 'in-process',
      importedFrom: this.b.from(file, pos),
    }, file);
  }

  finishGroup(g: Group): void {
    const agents = [...g.agents.values()];
    const tasks = [...g.tasks.values()].sort((a, b) => a.order - b.order);
    if (g.taskOrder) {
      const pos = new Map(g.taskOrder.map((k, i) => [k, i]));
      tasks.sort((a, b) => (pos.get(a.key) ?? 1e9) - (pos.get(b.key) ?? 1e9) || a.order - b.order);
    }
    const where = (t: YTask): string => `${t.file} line ${t.pos.line}`;
    // Task → agent from YAML names.
    for (const t of tasks) {
      if (t.agent || !t.agentKey) continue;
      const a = this.findAgent(t.agentKey.key, g);
      if (a) t.agent = a;
      else this.b.warn(t.file, 'W_IMPORT_UNKNOWN_AGENT', `task ${quote(t.key, 60)} names the agent ${quote(t.agentKey.key, 60)}, which is not defined`, 'check the name against agents.yaml', t.agentKey.pos, `${t.pointer}/agent`);
    }
    // Task texts on their agents; placeholders.
    for (const t of tasks) {
      this.addPlaceholders(g, t.agent, [t.description, t.expectedOutput]);
      if (!t.agent) continue;
      t.agent.description = clip(`${t.agent.description ?? ''}\nTask ${JSON.stringify(clip(t.key, 200))} (${where(t)}): ${clip(t.description, 2000)}${t.expectedOutput ? ` Expected output: ${clip(t.expectedOutput, 1000)}` : ''}`, 100_000);
      this.b.grantRefs(t.agent, t.toolRefs);
    }
    for (const p of this.pendingTaskTools.filter((x) => x.task.group === g.root)) {
      const id = this.namedTool(p.name, p.task.file, p.pos, `task ${quote(p.task.key, 60)}`);
      if (id !== undefined && p.task.agent) this.b.grant(p.task.agent, id);
    }
    // Models: agents without one use the crew's default LLM.
    for (const a of agents) {
      if (a.models && a.models.length > 0) continue;
      const file = this.agentFile.get(a) ?? '';
      this.defaultModel ??= this.b.addModel('openai', undefined, 'hosted-api', file, placeOf(a.importedFrom), 'No llm is named for some agents: CrewAI then uses its default LLM (an OpenAI model chosen by the OPENAI_MODEL_NAME / MODEL environment variable, else the library default). Name the model in agents.yaml (llm:) to pin it.');
      a.models = [this.defaultModel];
    }
    const byKey = new Map(tasks.map((t) => [t.key, t]));
    const hierarchical = g.process?.kind === 'hierarchical';
    // Channels from task context.
    for (const t of tasks) {
      for (const c of t.context) {
        const src = byKey.get(c.key);
        if (!src) {
          this.b.warn(t.file, 'W_IMPORT_UNKNOWN_TASK', `task ${quote(t.key, 60)}: context names the task ${quote(c.key, 60)}, which is not defined`, 'check the name against tasks.yaml', c.pos);
          continue;
        }
        if (src.agent && t.agent) this.flow(src.agent, t.agent, src, t, `context of task ${t.key}`);
      }
    }
    // Sequential process: each task receives the previous task's output.
    if (!hierarchical) {
      for (let i = 1; i < tasks.length; i++) {
        const prev = tasks[i - 1];
        const cur = tasks[i];
        // Each tasks file configures one crew: the chain does not run from one file into the next.
        if (!prev || !cur || cur.context.length > 0 || !prev.agent || !cur.agent || (prev.file !== cur.file && !g.taskOrder)) continue;
        this.flow(prev.agent, cur.agent, prev, cur, 'sequential process: the previous task\'s output is passed on');
      }
    }
    // Delegation.
    for (const a of agents) {
      if (!this.delegating.has(a)) continue;
      for (const other of agents) {
        if (other === a) continue;
        this.b.delegate(a, other);
        this.b.connect(a.id, other.id, { protocol: 'function-call', direction: 'bidirectional', data: ['delegated work', 'questions and answers'], description: 'allow_delegation: the agent can hand work to and ask questions of its coworkers (Delegate work / Ask question tools).', importedFrom: this.b.from(this.agentFile.get(a) ?? '', placeOf(a.importedFrom)) }, this.agentFile.get(a) ?? '');
      }
    }
    // Hierarchical process: a manager that delegates to every agent.
    if (hierarchical && g.process) {
      let manager = g.managerAgent;
      if (!manager) {
        manager = this.b.addAgent(`${slug(g.root.split('/').pop() ?? '', 'crew')}_manager`, {
          name: 'Crew manager',
          role: 'Plans the work, delegates tasks to the crew\'s agents and validates their results',
          description: `The manager agent CrewAI creates for Process.hierarchical (${g.process.file} line ${g.process.at.line}).`,
          origin: 'first-party',
          framework: 'CrewAI',
          ...(g.managerLlm !== undefined ? { models: [g.managerLlm] } : {}),
          importedFrom: this.b.from(g.process.file, g.process.at),
        }, g.process.file);
        if (!manager.models) {
          this.b.warn(g.process.file, 'W_IMPORT_MANAGER_LLM', 'Process.hierarchical needs manager_llm or manager_agent; neither was found', 'pass manager_llm=... to Crew(...)', g.process.at);
        }
      }
      for (const a of agents) {
        if (a === manager) continue;
        this.b.delegate(manager, a);
        this.b.connect(manager.id, a.id, { protocol: 'function-call', direction: 'bidirectional', data: ['delegated tasks', 'results'], description: 'Hierarchical process: the manager delegates tasks and receives the results.', importedFrom: this.b.from(g.process.file, g.process.at) }, g.process.file);
      }
    }
    // Memory.
    const memUsers = agents.filter((a) => this.agentMemory.has(a));
    if (g.memory || memUsers.length > 0) {
      const at = g.memory ?? this.agentMemory.get(memUsers[0] as AgentSpec) ?? { file: '', at: { line: 1, column: 1 } };
      const id = this.b.addMemory(`crew-memory:${g.root}`, `${slug(g.root.split('/').pop() ?? '', 'crew')}_memory`, {
        name: 'Crew memory (short-term, long-term and entity memory)',
        type: 'long-term',
        persistence: 'persistent',
        isolation: 'shared',
        description: `CrewAI memory enabled (${at.file} line ${at.at.line}): short-term and entity memory in a local vector store, long-term memory in a local SQLite database; shared by the crew's agents and kept across runs.`,
        importedFrom: this.b.from(at.file, at.at),
      }, at.file);
      for (const a of g.memory ? agents : memUsers) a.memory = { reads: [...new Set([...(a.memory?.reads ?? []), id])], writes: [...new Set([...(a.memory?.writes ?? []), id])] };
    }
    // Human review and output files.
    for (const t of tasks) {
      if (t.humanInput && t.agent) {
        const human = this.b.addHuman('operator', 'crew_operator', { name: 'Crew operator', role: 'approver', description: 'The person at the console who reviews results of tasks with human_input before the agent finishes them.', importedFrom: this.b.from(t.file, t.pos) }, t.file);
        t.agent.approvals = [...(t.agent.approvals ?? []), { action: clip(`result of task ${t.key}`, 1000), approver: human, mode: 'after' }];
      }
      if (t.outputFile && t.agent) {
        const id = this.b.addMemory(`file:${t.outputFile.path}`, `file_${t.outputFile.path.split('/').pop() ?? ''}`, {
          name: clip(`Output file ${t.outputFile.path}`),
          type: 'file-store',
          persistence: 'persistent',
          description: clip(`Task ${t.key} writes its result to ${t.outputFile.path} (${where(t)}).`),
          importedFrom: this.b.from(t.file, t.outputFile.pos),
        }, t.file);
        t.agent.memory = { ...(t.agent.memory ?? {}), writes: [...new Set([...(t.agent.memory?.writes ?? []), id])] };
      }
    }
    // Kickoff inputs.
    for (const [agentId, names] of [...g.placeholders.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      if (agentId === '') continue;
      const agent = agents.find((a) => a.id === agentId);
      const file = (agent && this.agentFile.get(agent)) ?? '';
      this.b.addEntryPoint(agentId, {
        name: clip(`Kickoff inputs of ${agent?.name ?? agentId}`),
        type: 'user-input',
        description: clip(`Values filled into the agent's prompts at kickoff (crew.kickoff(inputs=...)): ${[...names].sort().map((n) => `{${n}}`).join(', ')}. Whoever supplies them writes part of the prompt.`),
        importedFrom: this.b.from(file, placeOf(agent?.importedFrom)),
      }, file);
    }
  }

  flow(from: AgentSpec, to: AgentSpec, src: YTask, dst: YTask, why: string): void {
    this.b.connect(from.id, to.id, {
      protocol: 'function-call',
      direction: 'one-way',
      data: [clip(`output of task ${src.key}`, 1000)],
      description: clip(`Task results flow from ${from.name ?? from.id} to ${to.name ?? to.id} (${why}).`),
      importedFrom: this.b.from(dst.file, dst.pos, dst.pointer || undefined),
    }, dst.file);
  }
}

export function importCrewAI(inputs: readonly ImportInput[], options: ImportOptions = {}): ImportResult {
  const imp = new CrewImport(options);
  const yamls = inputs.filter((i) => /\.ya?ml$/i.test(i.path));
  const pys = inputs.filter((i) => isPythonPath(i.path));
  for (const i of inputs) {
    if (!/\.ya?ml$/i.test(i.path) && !isPythonPath(i.path)) {
      imp.b.diagnostics.push(...refuseFile(i.path, i.text, 'E_IMPORT_NOT_CREWAI', 'a CrewAI project is read from .yaml and .py files only', 'name the project folder, or its agents.yaml, tasks.yaml and crew.py'));
      imp.files.push({ file: i.path, status: 'refused', elements: 0 });
    }
  }
  for (const y of yamls) imp.readYaml(y);
  const diagnostics: Diagnostic[] = [];
  const parsed = parseAll(pys, diagnostics);
  imp.b.diagnostics.push(...diagnostics);
  for (const r of parsed.refused) imp.files.push({ file: r, status: 'refused', elements: 0 });
  imp.readPython(parsed.facts);
  imp.finish();
  const files = imp.files.map((f) => (f.status === 'imported' ? { ...f, elements: imp.b.elementsFrom(f.file) } : f));
  if (imp.b.agents.length === 0) {
    if (files.some((f) => f.status === 'imported')) {
      imp.b.diagnostics.push(diag('E_IMPORT_NO_AGENTS', 'no CrewAI agent found in these files', { hint: 'name the agents.yaml of the project, or the Python file that creates Agent(...)' }));
    }
    return { diagnostics: imp.b.diagnostics, notes: imp.b.notes, files: files.map((f) => ({ ...f, status: 'refused' as const, elements: 0 })) };
  }
  const hier = [...imp.groups.values()].some((g) => g.process?.kind === 'hierarchical');
  const seen = [...imp.groups.values()].some((g) => g.process !== undefined);
  const model = imp.b.build(
    `CrewAI crew: ${imp.b.agents.length} agent${imp.b.agents.length === 1 ? '' : 's'}`,
    `Imported from ${files.filter((f) => f.status === 'imported').length} file(s) of a CrewAI project by maestro-tm import. Process: ${hier ? 'hierarchical (a manager agent delegates)' : seen ? 'sequential' : 'sequential assumed (the CrewAI default; the Crew(...) call was not among the imported files)'}. Tool side effects of custom tools are guessed from their names: review them, and add deployment, data and controls.`,
  );
  return { model, diagnostics: imp.b.diagnostics, notes: imp.b.notes, files };
}

const WANTED_YAML = /(^|\/)(agents|tasks)\.ya?ml$|(^|\/)(config|configs)\/(agents|tasks)(\/[^/]+)?\.ya?ml$|(^|\/)(agents|tasks)\/[^/]*\.ya?ml$|[^/]*_(agents|tasks)\.ya?ml$/i;

export const crewaiImporter: Importer = {
  id: 'crewai',
  aliases: ['crew', 'crew-ai'],
  description: 'CrewAI projects: agents.yaml, tasks.yaml and the crew\'s Python code (crew.py)',
  detect(input) {
    const p = input.path.replace(/\\/g, '/');
    const head = input.text.slice(0, 65_536);
    if (isPythonPath(p)) return /^\s*(from|import)\s+crewai\b/m.test(head) ? 0.9 : 0;
    if (!/\.ya?ml$/i.test(p)) return 0;
    let score = WANTED_YAML.test(p) ? 0.4 : 0;
    if (/^\s{2,}(role|backstory)\s*:/m.test(head) && /^\s{2,}goal\s*:/m.test(head)) score += 0.5;
    else if (/^\s{2,}expected_output\s*:/m.test(head)) score += 0.5;
    return Math.min(1, score);
  },
  wantsPath(path) {
    const p = path.replace(/\\/g, '/');
    return WANTED_YAML.test(p) || isPythonPath(p);
  },
  prepare: preparePython,
  import: importCrewAI,
};
