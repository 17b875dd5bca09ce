/**
 * A model under construction, shared by the importers of agent-flow files (AutoGen, n8n, Flowise):
 * unique ids, de-duplicated models and tools, the untrusted web, MCP servers with their secrets
 * redacted, channels, entry points, and the final model with its boundaries. Pure: no I/O.
 */
import { quote } from '../../model/diagnostics.js';
import type {
  AgentSpec,
  BoundarySpec,
  ChannelSpec,
  DependencySpec,
  EntryPointSpec,
  ExternalSystemSpec,
  HumanSpec,
  ImportedFromSpec,
  McpServerSpec,
  MemorySpec,
  ModelFile,
  ModelSpec,
  ToolSpec,
} from '../../model/schema.js';
import type { Pos } from '../_source.js';
import { clip, IdAllocator, note, slug, type ImportCtx } from '../_model.js';
import { analyseLaunch, isExactVersion, findingTag, findingNoteCode } from '../../model/launch.js';
import { credentialType, redactArgs, redactUrl, secretStorage } from '../mcp-config/secrets.js';

export const RUNTIME = 'runtime';
export const INTERNET = 'internet';

/** Where something was read: file, importer, line and column, JSON pointer. */
export interface Ctx extends ImportCtx {
  readonly format: string;
}

export { warn, note } from '../_model.js';

export function from(ctx: Ctx, pos: Pos, pointer: string): ImportedFromSpec {
  return { file: clip(ctx.file), format: ctx.format, line: pos.line, column: pos.column, pointer: clip(pointer) };
}

function isLocalUrl(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0|host\.docker\.internal)(:\d+)?(\/|$)/i.test(url.trim());
}

export interface ModelInput {
  readonly provider: string;
  readonly model?: string;
  readonly baseUrl?: string;
  readonly hosting?: 'hosted-api' | 'self-hosted';
  /** A secret written next to the model (api_key): its name and value, looked at only to classify it. */
  readonly secret?: { readonly name: string; readonly value: string; readonly pos: Pos; readonly pointer: string };
  readonly pos: Pos;
  readonly pointer: string;
}

export interface HeaderInput {
  readonly name: string;
  readonly value: string;
  readonly pos: Pos;
}

export interface McpInput {
  readonly name: string;
  readonly transport: 'stdio' | 'sse' | 'streamable-http';
  readonly command?: string;
  readonly args?: readonly string[];
  readonly url?: string;
  readonly env?: readonly HeaderInput[];
  readonly headers?: readonly HeaderInput[];
  readonly description?: string;
  readonly pos: Pos;
  readonly pointer: string;
}

export class SystemBuilder {
  readonly ids: IdAllocator;
  readonly agents: AgentSpec[] = [];
  readonly models: ModelSpec[] = [];
  readonly tools: ToolSpec[] = [];
  readonly servers: McpServerSpec[] = [];
  readonly memories: MemorySpec[] = [];
  readonly channels: ChannelSpec[] = [];
  readonly humans: HumanSpec[] = [];
  readonly externals: ExternalSystemSpec[] = [];
  readonly dependencies: DependencySpec[] = [];
  readonly entryPoints: EntryPointSpec[] = [];
  /** Model id → credentials its clients hold (from an api_key next to the model). */
  readonly modelCredentials = new Map<string, NonNullable<NonNullable<AgentSpec['identity']>['credentials']>>();
  private readonly keys = new Map<string, string>();
  private readonly channelKeys = new Map<string, string>();
  internet = false;

  constructor(
    existing: ReadonlyMap<string, string> | undefined,
    private readonly runtime: { readonly name: string; readonly description: string },
  ) {
    this.ids = new IdAllocator(existing);
    this.ids.take(RUNTIME, 'boundaries');
    this.ids.take(INTERNET, 'boundaries');
  }

  /** Elements created so far (for per-file counts). */
  count(): number {
    return this.agents.length + this.models.length + this.tools.length + this.servers.length + this.memories.length + this.channels.length + this.humans.length + this.externals.length + this.dependencies.length + this.entryPoints.length;
  }

  /** An id already handed out for this key, or a new element made by `make`. */
  once(key: string, make: () => string): string {
    const known = this.keys.get(key);
    if (known !== undefined) return known;
    const id = make();
    this.keys.set(key, id);
    return id;
  }

  /** A foundation model; the same provider, model and address give the same element. */
  model(ctx: Ctx, m: ModelInput): string {
    const baseUrl = m.baseUrl !== undefined && m.baseUrl.trim() !== '' ? redactUrl(m.baseUrl.trim()).url : undefined;
    const local = m.hosting === 'self-hosted' || (baseUrl !== undefined && isLocalUrl(baseUrl));
    const key = `model|${m.provider}|${m.model ?? ''}|${baseUrl ?? ''}|${m.secret ? 'secret' : ''}`;
    const known = this.keys.get(key);
    if (known !== undefined) return known;
    const id = this.ids.take(slug(`${m.provider}_${m.model ?? 'model'}`, 'model'), 'models');
    this.keys.set(key, id);
    const spec: ModelSpec = {
      id,
      name: clip(`${m.model ?? 'model'} (${m.provider})`),
      provider: clip(m.provider, 200),
      ...(m.model !== undefined ? { model: clip(m.model, 500) } : {}),
      hosting: local ? 'self-hosted' : 'hosted-api',
      boundary: local ? RUNTIME : INTERNET,
      importedFrom: from(ctx, m.pos, m.pointer),
    };
    if (baseUrl !== undefined) (spec as Record<string, unknown>)[`x-${ctx.format}`] = { baseUrl: clip(baseUrl, 2000) };
    if (!local) this.internet = true;
    if (m.secret) {
      const storage = secretStorage(m.secret.name, m.secret.value) ?? (m.secret.value.trim() === '' ? undefined : 'hardcoded');
      if (storage !== undefined) {
        this.modelCredentials.set(id, [{ type: 'api-key', storage }]);
        if (storage === 'hardcoded') {
          spec.tags = ['secret-in-config'];
          note(ctx, 'I_SECRET_IN_FILE', `model ${quote(spec.name ?? id, 60)}: ${quote(m.secret.name, 40)} holds a secret written in the file (value not copied)`, m.secret.pos, m.secret.pointer, id);
        }
      }
    }
    this.models.push(spec);
    return id;
  }

  /** The open web as an untrusted external system (one per model). */
  web(): string {
    return this.once('external|web', () => {
      const id = this.ids.take('web', 'externalSystems');
      this.externals.push({ id, name: 'Web pages and search results', type: 'website', trust: 'untrusted', description: 'Content fetched from the internet: anyone can write what a page or a search result says.', boundary: INTERNET });
      this.internet = true;
      return id;
    });
  }

  /** An external system by key (created once). */
  external(key: string, make: () => Omit<ExternalSystemSpec, 'id'> & { idBase: string }): string {
    return this.once(`external|${key}`, () => {
      const { idBase, ...rest } = make();
      const id = this.ids.take(slug(idBase, 'external'), 'externalSystems');
      this.externals.push({ id, ...rest });
      if (rest.boundary === INTERNET) this.internet = true;
      return id;
    });
  }

  /** A channel between two elements; one per ordered pair (the first description wins). */
  channel(fromId: string, to: string, spec: Omit<ChannelSpec, 'id' | 'from' | 'to'>): string {
    const key = `${fromId}\u0000${to}`;
    const known = this.channelKeys.get(key);
    if (known !== undefined) return known;
    const id = this.ids.take(`${fromId}_to_${to}`.slice(0, 128), 'channels');
    this.channelKeys.set(key, id);
    this.channels.push({ id, from: fromId, to, ...spec });
    return id;
  }

  hasChannel(fromId: string, to: string): string | undefined {
    return this.channelKeys.get(`${fromId}\u0000${to}`) ?? this.channelKeys.get(`${to}\u0000${fromId}`);
  }

  /** An MCP server the flow connects to: transport, command or URL (secrets redacted), package, env names, credentials. */
  mcpServer(ctx: Ctx, s: McpInput): string {
    const id = this.ids.take(slug(s.name, 'mcp_server'), 'mcpServers');
    const tags = new Set<string>();
    const spec: McpServerSpec = { id, name: clip(s.name), transport: s.transport, importedFrom: from(ctx, s.pos, s.pointer) };
    if (s.description !== undefined) spec.description = clip(s.description, 100_000);
    if (s.command !== undefined && s.command.trim() !== '') {
      const launch = analyseLaunch(s.command, s.args ?? []);
      const red = redactArgs(launch.args);
      spec.command = clip(launch.command);
      if (red.args.length > 0) spec.args = red.args.slice(0, 500).map((a) => clip(a));
      if (red.secretAt.length > 0) {
        tags.add('secret-in-config');
        note(ctx, 'I_SECRET_IN_FILE', `MCP server ${quote(s.name, 60)}: an argument holds a secret written in the file (value not copied)`, s.pos, s.pointer, id);
      }
      for (const f of launch.findings) {
        tags.add(findingTag(f.code));
        note(ctx, findingNoteCode(f.code), `MCP server ${quote(s.name, 60)}: ${f.message}`, s.pos, s.pointer, id);
      }
      const p = launch.pkg;
      if (p) {
        const version = p.version !== undefined ? clip(p.version, 200) : undefined;
        spec.package = { name: clip(p.name, 1000), registry: p.registry, ...(version !== undefined ? { version } : {}) };
        const pinned = p.registry === 'docker' ? version !== undefined && /^(sha256|sha512):[0-9a-f]{32,}$/i.test(version) : isExactVersion(version);
        if (!pinned) {
          tags.add('unpinned-package');
          note(ctx, 'I_UNPINNED_PACKAGE', `MCP server ${quote(s.name, 60)}: ${p.registry} package ${quote(p.name, 80)} is not pinned (${version === undefined ? 'no version' : `version ${quote(version, 40)} is not exact`}): every launch may fetch a different release`, s.pos, s.pointer, id);
        }
        if (p.registry !== 'docker') {
          const depId = this.ids.take(`${id}_package`.slice(0, 128), 'dependencies');
          this.dependencies.push({
            id: depId,
            name: clip(p.name, 1000),
            type: 'plugin',
            description: `${p.registry} package fetched when MCP server ${JSON.stringify(clip(s.name, 200))} starts.`,
            package: { name: clip(p.name, 1000), registry: p.registry, ...(version !== undefined ? { version } : {}) },
            usedBy: [id],
            importedFrom: from(ctx, s.pos, s.pointer),
          });
          spec.dependsOn = [depId];
        }
      }
      spec.boundary = RUNTIME;
    } else if (s.url !== undefined && s.url.trim() !== '') {
      const r = redactUrl(s.url.trim());
      spec.url = clip(r.url);
      if (r.secret) {
        tags.add('secret-in-config');
        note(ctx, 'I_SECRET_IN_FILE', `MCP server ${quote(s.name, 60)}: the URL holds a secret (value not copied)`, s.pos, s.pointer, id);
      }
      const remote = !isLocalUrl(r.url);
      if (remote && /^http:\/\//i.test(r.url)) {
        tags.add('plain-http-remote');
        note(ctx, 'I_PLAIN_HTTP', `MCP server ${quote(s.name, 60)} is reached over plain http`, s.pos, s.pointer, id);
      }
      spec.boundary = remote ? INTERNET : RUNTIME;
      if (remote) this.internet = true;
    }
    const env = (s.env ?? []).slice(0, 200);
    if (env.length > 0) spec.env = env.map((e) => clip(e.name, 200));
    for (const [what, list] of [['env', env], ['header', (s.headers ?? []).slice(0, 200)]] as const) {
      for (const h of list) {
        const storage = secretStorage(h.name, h.value);
        if (storage === undefined) continue;
        spec.credentials = [...(spec.credentials ?? []), { type: credentialType(h.name), storage }];
        if (what === 'header') spec.auth = /^authorization$/i.test(h.name) || /api[-_]?key/i.test(h.name) ? 'api-key' : 'other';
        if (storage === 'hardcoded') {
          tags.add('secret-in-config');
          note(ctx, 'I_SECRET_IN_FILE', `MCP server ${quote(s.name, 60)}: ${what} ${quote(h.name, 40)} holds a secret written in the file (value not copied)`, h.pos, s.pointer, id);
        }
      }
    }
    if (tags.size > 0) spec.tags = [...tags].sort();
    this.servers.push(spec);
    return id;
  }

  /** The finished model; sections in schema order, empty ones left out. */
  build(name: string, description: string): ModelFile {
    const boundaries: BoundarySpec[] = [{ id: RUNTIME, name: this.runtime.name, type: 'process', trust: 'trusted', description: this.runtime.description }];
    if (this.internet) boundaries.push({ id: INTERNET, name: 'Internet', type: 'network', trust: 'untrusted', description: 'Hosted models, remote servers, web content and third-party services.' });
    for (const a of this.agents) {
      const creds = (a.models ?? []).flatMap((m) => this.modelCredentials.get(m) ?? []);
      if (creds.length > 0) a.identity = { ...(a.identity ?? {}), credentials: [...(a.identity?.credentials ?? []), ...creds] };
    }
    const m: ModelFile = { version: '1.0', system: { name: clip(name), description: clip(description, 100_000) } };
    if (this.agents.length > 0) m.agents = this.agents;
    if (this.models.length > 0) m.models = this.models;
    if (this.tools.length > 0) m.tools = this.tools;
    if (this.servers.length > 0) m.mcpServers = this.servers;
    if (this.memories.length > 0) m.memories = this.memories;
    if (this.channels.length > 0) m.channels = this.channels;
    if (this.humans.length > 0) m.humans = this.humans;
    if (this.externals.length > 0) m.externalSystems = this.externals;
    if (this.dependencies.length > 0) m.dependencies = this.dependencies;
    m.boundaries = boundaries;
    if (this.entryPoints.length > 0) m.entryPoints = this.entryPoints;
    return m;
  }
}
