/**
 * The model under construction, shared by the CrewAI, LangGraph and OpenAI Agents importers:
 * unique ids, de-duplicated models/tools/servers/channels, source positions on every element, and
 * MCP server launch details read the same way the MCP config importer reads them (secrets redacted,
 * unpinned packages noted).
 */
import { diag, quote, type Diagnostic } from '../../model/diagnostics.js';
import type {
  AgentSpec,
  ChannelSpec,
  ControlSpec,
  EntryPointSpec,
  HumanSpec,
  ImportedFromSpec,
  McpServerSpec,
  MemorySpec,
  ModelFile,
  ModelSpec,
  ToolGrantSpec,
  ToolSpec,
} from '../../model/schema.js';
import { clip, IdAllocator, slug } from '../_model.js';
import type { ImportNote } from '../types.js';
import type { ToolRef } from './tools.js';
import { analyseLaunch, isExactVersion, findingTag, findingNoteCode } from '../../model/launch.js';
import { redactArgs, redactUrl, secretStorage, credentialType } from '../mcp-config/secrets.js';
import type { Place } from './extract.js';

export type Pos = Place;

export class GraphBuilder {
  readonly ids: IdAllocator;
  readonly agents: AgentSpec[] = [];
  readonly models: ModelSpec[] = [];
  readonly tools: ToolSpec[] = [];
  readonly mcpServers: McpServerSpec[] = [];
  readonly memories: MemorySpec[] = [];
  readonly channels: ChannelSpec[] = [];
  readonly humans: HumanSpec[] = [];
  readonly controls: ControlSpec[] = [];
  readonly entryPoints: EntryPointSpec[] = [];
  readonly diagnostics: Diagnostic[] = [];
  readonly notes: ImportNote[] = [];
  private readonly keys = new Map<string, string>();
  private readonly perFile = new Map<string, number>();
  /** Ids of the two boundaries MCP servers may sit in (reserved first so nothing else takes them). */
  readonly localId: string;
  readonly internetId: string;

  constructor(
    readonly format: string,
    readonly framework: string,
    existing: ReadonlyMap<string, string> | undefined,
  ) {
    this.ids = new IdAllocator(existing);
    this.localId = this.ids.take('local_host', 'boundaries');
    this.internetId = this.ids.take('internet', 'boundaries');
  }

  from(file: string, at: Pos | undefined, pointer?: string): ImportedFromSpec {
    return { file: clip(file), format: this.format, line: Math.max(1, at?.line ?? 1), column: Math.max(1, at?.column ?? 1), ...(pointer !== undefined ? { pointer: clip(pointer) } : {}) };
  }

  warn(file: string, code: string, message: string, hint: string, at: Pos | undefined, pointer?: string): void {
    this.diagnostics.push({ ...diag(code, message, { hint, severity: 'warning', ...(at && at.line > 0 ? { line: at.line, column: Math.max(1, at.column) } : {}), ...(pointer !== undefined ? { pointer } : {}) }), file });
  }

  note(file: string, code: string, message: string, at: Pos | undefined, element: string): void {
    this.notes.push({ code, message, file, ...(at && at.line > 0 ? { line: at.line, column: at.column } : {}), element });
  }

  /** Count an element against the file it came from (for the per-file report). */
  count(file: string, n = 1): void {
    this.perFile.set(file, (this.perFile.get(file) ?? 0) + n);
  }

  elementsFrom(file: string): number {
    return this.perFile.get(file) ?? 0;
  }

  addAgent(base: string, spec: Omit<AgentSpec, 'id'>, file: string): AgentSpec {
    const agent: AgentSpec = { id: this.ids.take(slug(base, 'agent'), 'agents'), ...spec };
    this.agents.push(agent);
    this.count(file);
    return agent;
  }

  /** One model element per provider + model name. */
  addModel(provider: string, name: string | undefined, hosting: 'hosted-api' | 'self-hosted', file: string, at: Pos | undefined, how: string): string {
    const key = `model\u0000${provider}\u0000${name ?? ''}`;
    const have = this.keys.get(key);
    if (have !== undefined) return have;
    const id = this.ids.take(slug(name ?? `${provider}_default_model`, 'model'), 'models');
    const pinned = name !== undefined && /\d{4}-\d{2}-\d{2}|\d{8}|-\d{3,4}$|@\d/.test(name);
    const spec: ModelSpec = {
      id,
      name: clip(name ?? `${provider} default model`),
      description: clip(how, 20_000),
      provider: clip(provider, 200),
      hosting,
      ...(name !== undefined ? { model: clip(name, 1000) } : {}),
      pinned,
      importedFrom: this.from(file, at),
    };
    this.models.push(spec);
    this.keys.set(key, id);
    this.count(file);
    return id;
  }

  addTool(key: string, base: string, spec: Omit<ToolSpec, 'id'>, file: string): string {
    const have = this.keys.get(`tool\u0000${key}`);
    if (have !== undefined) return have;
    const id = this.ids.take(slug(base, 'tool'), 'tools');
    const tool: ToolSpec = { id, ...spec };
    if (tool.sideEffects) tool.sideEffects = [...new Set(tool.sideEffects)].sort();
    this.tools.push(tool);
    this.keys.set(`tool\u0000${key}`, id);
    this.count(file);
    return id;
  }

  addMemory(key: string, base: string, spec: Omit<MemorySpec, 'id'>, file: string): string {
    const have = this.keys.get(`memory\u0000${key}`);
    if (have !== undefined) return have;
    const id = this.ids.take(slug(base, 'memory'), 'memories');
    this.memories.push({ id, ...spec });
    this.keys.set(`memory\u0000${key}`, id);
    this.count(file);
    return id;
  }

  addHuman(key: string, base: string, spec: Omit<HumanSpec, 'id'>, file: string): string {
    const have = this.keys.get(`human\u0000${key}`);
    if (have !== undefined) return have;
    const id = this.ids.take(slug(base, 'human'), 'humans');
    this.humans.push({ id, ...spec });
    this.keys.set(`human\u0000${key}`, id);
    this.count(file);
    return id;
  }

  addControl(key: string, base: string, spec: Omit<ControlSpec, 'id'>, file: string): string {
    const have = this.keys.get(`control\u0000${key}`);
    if (have !== undefined) {
      const c = this.controls.find((x) => x.id === have);
      if (c && spec.appliesTo) c.appliesTo = [...new Set([...(c.appliesTo ?? []), ...spec.appliesTo])];
      return have;
    }
    const id = this.ids.take(slug(base, 'control'), 'controls');
    this.controls.push({ id, ...spec });
    this.keys.set(`control\u0000${key}`, id);
    this.count(file);
    return id;
  }

  addEntryPoint(target: string, spec: Omit<EntryPointSpec, 'id' | 'target'>, file: string): void {
    const key = `entry\u0000${target}`;
    if (this.keys.has(key)) return;
    const id = this.ids.take(`${target}_input`.slice(0, 120), 'entryPoints');
    this.entryPoints.push({ id, target, ...spec });
    this.keys.set(key, id);
    this.count(file);
  }

  /** A channel between two elements, once per direction. */
  connect(from: string, to: string, spec: Omit<ChannelSpec, 'id' | 'from' | 'to'>, file: string): string | undefined {
    if (from === to) return undefined;
    const key = `channel\u0000${from}\u0000${to}`;
    const have = this.keys.get(key);
    if (have !== undefined) {
      const c = this.channels.find((x) => x.id === have);
      if (c && spec.data) c.data = [...new Set([...(c.data ?? []), ...spec.data])].slice(0, 200);
      if (c && spec.direction === 'bidirectional') c.direction = 'bidirectional';
      if (c && spec.description !== undefined && c.description !== undefined && !c.description.includes(spec.description)) c.description = clip(`${c.description} ${spec.description}`, 20_000);
      return have;
    }
    const id = this.ids.take(`${from}_to_${to}`.slice(0, 120), 'channels');
    this.channels.push({ id, from, to, ...spec });
    this.keys.set(key, id);
    this.count(file);
    return id;
  }

  /** Grant a tool or server to an agent (once). */
  /** Grant every tool and MCP server among refs (agents and unknowns are not granted). */
  grantRefs(agent: AgentSpec, refs: readonly ToolRef[]): void {
    for (const r of refs) if (r.kind === 'tool' || r.kind === 'mcp') this.grant(agent, r.id);
  }

  grant(agent: AgentSpec, ref: string, extra: Omit<ToolGrantSpec, 'ref'> = {}): void {
    const tools = agent.tools ?? [];
    const idx = tools.findIndex((t) => (typeof t === 'string' ? t : t.ref) === ref);
    const hasExtra = Object.keys(extra).length > 0;
    const entry: string | ToolGrantSpec = hasExtra ? { ref, ...extra } : ref;
    if (idx < 0) tools.push(entry);
    else if (hasExtra) tools[idx] = entry;
    agent.tools = tools;
  }

  delegate(from: AgentSpec, to: AgentSpec): void {
    if (from.id === to.id) return;
    from.delegatesTo = [...new Set([...(from.delegatesTo ?? []), to.id])];
    to.acceptsFrom = [...new Set([...(to.acceptsFrom ?? []), from.id])];
  }

  /**
   * An MCP server from launch parameters as code writes them (command + args, or url). The command is
   * read as text, never run; secrets in arguments, URLs and env values are not copied.
   */
  addMcpServer(
    key: string,
    name: string,
    params: { command?: string; args?: string[]; url?: string; transport?: McpServerSpec['transport']; env?: { name: string; value?: string }[]; headers?: { name: string; value?: string }[] },
    file: string,
    at: Pos,
    how: string,
  ): string {
    const have = this.keys.get(`mcp\u0000${key}`);
    if (have !== undefined) return have;
    const id = this.ids.take(slug(name, 'mcp_server'), 'mcpServers');
    const tags = new Set<string>();
    const spec: McpServerSpec = { id, name: clip(name) };
    const descr = [how];
    const credentials: NonNullable<McpServerSpec['credentials']> = [];
    if (params.command !== undefined) {
      const launch = analyseLaunch(params.command, params.args ?? []);
      const red = redactArgs(launch.args);
      spec.transport = 'stdio';
      spec.command = clip(launch.command);
      if (red.args.length > 0) spec.args = red.args.map((a) => clip(a));
      for (const i of red.secretAt) {
        credentials.push({ type: 'api-key', storage: 'hardcoded' });
        tags.add('secret-in-config');
        this.note(file, 'I_SECRET_IN_FILE', `MCP server ${quote(name, 60)}: argument ${i + 1} holds a secret written in the code (replaced by [redacted])`, at, id);
      }
      if (launch.pkg) {
        const version = launch.pkg.version;
        spec.package = { name: clip(launch.pkg.name, 1000), registry: launch.pkg.registry, ...(version !== undefined ? { version: clip(version, 200) } : {}) };
        if (launch.pkg.registry !== 'docker' && !isExactVersion(version)) {
          tags.add('unpinned-package');
          this.note(file, 'I_UNPINNED_PACKAGE', `MCP server ${quote(name, 60)}: ${launch.pkg.registry} package ${quote(launch.pkg.name, 80)} is not pinned: every launch may fetch a different release`, at, id);
        }
      }
      for (const f of launch.findings) {
        tags.add(findingTag(f.code));
        this.note(file, findingNoteCode(f.code), `MCP server ${quote(name, 60)}: ${f.message}`, at, id);
      }
      spec.boundary = this.localId;
    } else if (params.url !== undefined) {
      const r = redactUrl(params.url);
      spec.transport = params.transport ?? (/\/sse\/?(\?|$)/i.test(params.url) ? 'sse' : 'streamable-http');
      spec.url = clip(r.url);
      if (r.secret) {
        credentials.push({ type: 'api-key', storage: 'hardcoded' });
        tags.add('secret-in-config');
        this.note(file, 'I_SECRET_IN_FILE', `MCP server ${quote(name, 60)}: the url holds a secret (replaced by [redacted])`, at, id);
      }
      const local = /^[a-z]+:\/\/(localhost|127\.|\[::1\]|0\.0\.0\.0)/i.test(params.url);
      if (/^http:\/\//i.test(params.url) && !local) {
        tags.add('plain-http-remote');
        this.note(file, 'I_PLAIN_HTTP', `MCP server ${quote(name, 60)}: remote server reached over plain http`, at, id);
      }
      spec.boundary = local ? this.localId : this.internetId;
    }
    const names: string[] = [];
    for (const kv of [...(params.env ?? []), ...(params.headers ?? [])]) {
      names.push(clip(kv.name, 1000));
      if (kv.value === undefined) continue;
      const storage = secretStorage(kv.name, kv.value);
      if (storage === undefined) continue;
      credentials.push({ type: credentialType(kv.name), storage });
      if (storage === 'hardcoded') {
        tags.add('secret-in-config');
        this.note(file, 'I_SECRET_IN_FILE', `MCP server ${quote(name, 60)}: ${quote(kv.name, 60)} holds a secret written in the code (value not copied)`, at, id);
      }
    }
    if (params.env && params.env.length > 0) spec.env = params.env.map((e) => clip(e.name, 1000));
    if (credentials.length > 0) spec.credentials = credentials;
    if (params.headers && params.headers.length > 0 && spec.transport !== 'stdio') spec.auth = 'api-key';
    spec.description = clip(descr.join(' '), 20_000);
    if (tags.size > 0) spec.tags = [...tags].sort();
    spec.importedFrom = this.from(file, at);
    this.mcpServers.push(spec);
    this.keys.set(`mcp\u0000${key}`, id);
    this.count(file);
    return id;
  }

  build(name: string, description: string): ModelFile {
    // Elements are cloned so that no object is shared between two places (no YAML anchors on output).
    const m: ModelFile = { version: '1.0', system: { name: clip(name), description: clip(description, 100_000) } };
    const usesLocal = this.mcpServers.some((s) => s.boundary === this.localId);
    const usesInternet = this.mcpServers.some((s) => s.boundary === this.internetId);
    if (this.agents.length > 0) m.agents = this.agents;
    if (this.models.length > 0) m.models = this.models;
    if (this.tools.length > 0) m.tools = this.tools;
    if (this.mcpServers.length > 0) m.mcpServers = this.mcpServers;
    if (this.memories.length > 0) m.memories = this.memories;
    if (this.channels.length > 0) m.channels = this.channels;
    if (this.humans.length > 0) m.humans = this.humans;
    if (this.entryPoints.length > 0) m.entryPoints = this.entryPoints;
    if (this.controls.length > 0) m.controls = this.controls;
    if (usesLocal || usesInternet) {
      m.boundaries = [];
      if (usesLocal) m.boundaries.push({ id: this.localId, name: 'The host the agents run on', type: 'host', trust: 'trusted', description: 'Where the agent process and its local (stdio) MCP servers run.' });
      if (usesInternet) m.boundaries.push({ id: this.internetId, name: 'Remote MCP servers', type: 'network', trust: 'untrusted', description: 'Servers reached over the network, run by whoever operates them.' });
    }
    return structuredClone(m);
  }
}
