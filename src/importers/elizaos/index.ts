/**
 * ElizaOS character files (`*.character.json`, legacy 0.x and 1.x) → a model: the character is an
 * agent (framework ElizaOS) with its model (`modelProvider`, `settings.model`), its runtime memory,
 * a knowledge store when the file lists knowledge, one tool plus one npm dependency per plugin (the
 * package name as written: no version, so every install may fetch a new release), MCP servers from
 * `settings.mcp.servers` (plugin-mcp), and for each client (discord, twitter, telegram... from
 * `clients` or client plugins) the platform as an untrusted external system with a channel and an
 * untrusted entry point whose messages the agent stores in its memory.
 *
 * Secrets (`settings.secrets`, top-level `secrets`, secret-named settings): only the key names are
 * kept (as credentials with where they are stored); values are never copied anywhere.
 */
import { diag, quote, type Diagnostic } from '../../model/diagnostics.js';
import type {
  AgentSpec,
  BoundarySpec,
  ChannelSpec,
  DependencySpec,
  EntryPointSpec,
  ExternalSystemSpec,
  HumanSpec,
  McpServerSpec,
  MemorySpec,
  ModelFile,
  ModelSpec,
  ToolSpec,
} from '../../model/schema.js';
import { child, describeNode, parseInputTree, str, text, type PNode, type PObject, type Pos } from '../_source.js';
import { clip, IdAllocator, slug, SourceRecorder, warn, note, type ImportCtx } from '../_model.js';
import { credentialType, isSecretName, redactArgs, redactUrl } from '../mcp-config/secrets.js';
import type { ImportFileReport, ImportInput, ImportNote, ImportOptions, ImportResult, Importer } from '../types.js';

const FORMAT = 'elizaos';
const RUNTIME = 'eliza_runtime';
const INTERNET = 'internet';

/** Character keys (0.x and 1.x); others are reported as unknown. */
const KNOWN_KEYS = new Set([
  'id', 'name', 'username', 'system', 'modelProvider', 'imageModelProvider', 'imageVisionModelProvider', 'modelEndpointOverride', 'templates', 'bio', 'lore',
  'messageExamples', 'postExamples', 'topics', 'adjectives', 'knowledge', 'clients', 'plugins', 'settings', 'secrets', 'style', 'twitterProfile',
  'nft', 'people', 'twitterSpaces', 'examples', 'extends', 'clientConfig', 'ragKnowledge', '$schema',
]);
/** Keys that mark a character file. */
const CHARACTER_KEYS = ['bio', 'lore', 'messageExamples', 'postExamples', 'modelProvider', 'clients', 'style', 'adjectives', 'topics', 'system', 'plugins'];

interface Platform {
  readonly id: string;
  readonly name: string;
  readonly url?: string;
  readonly human?: boolean;
}

/** Client names (and the client plugins that stand for them) → the platform they read from. */
const PLATFORMS: Record<string, Platform> = {
  discord: { id: 'discord', name: 'Discord', url: 'https://discord.com' },
  twitter: { id: 'twitter', name: 'Twitter / X', url: 'https://x.com' },
  x: { id: 'twitter', name: 'Twitter / X', url: 'https://x.com' },
  telegram: { id: 'telegram', name: 'Telegram', url: 'https://telegram.org' },
  slack: { id: 'slack', name: 'Slack', url: 'https://slack.com' },
  farcaster: { id: 'farcaster', name: 'Farcaster', url: 'https://farcaster.xyz' },
  lens: { id: 'lens', name: 'Lens', url: 'https://lens.xyz' },
  github: { id: 'github', name: 'GitHub', url: 'https://github.com' },
  whatsapp: { id: 'whatsapp', name: 'WhatsApp', url: 'https://whatsapp.com' },
  instagram: { id: 'instagram', name: 'Instagram', url: 'https://instagram.com' },
  auto: { id: 'auto', name: 'Scheduled autonomous runs (auto client)' },
  direct: { id: 'direct', name: 'Direct chat users (REST / web client)', human: true },
  web: { id: 'direct', name: 'Direct chat users (REST / web client)', human: true },
  rest: { id: 'direct', name: 'Direct chat users (REST / web client)', human: true },
};

function platformOfPlugin(pkg: string): Platform | undefined {
  const m = /(?:^|\/)(?:client|plugin)-([a-z]+)$/.exec(pkg.toLowerCase());
  const key = m?.[1];
  if (key === undefined || key === 'auto' || key === 'direct') return key === 'direct' ? PLATFORMS['direct'] : undefined;
  return Object.hasOwn(PLATFORMS, key) ? PLATFORMS[key] : undefined;
}

const LOCAL_PROVIDERS = new Set(['ollama', 'llama_local', 'llamalocal', 'local', 'lmstudio', 'llama_cpp', 'local_ai']);

class Builder {
  readonly ids: IdAllocator;
  readonly agents: AgentSpec[] = [];
  readonly models: ModelSpec[] = [];
  readonly tools: ToolSpec[] = [];
  readonly servers: McpServerSpec[] = [];
  readonly memories: MemorySpec[] = [];
  readonly channels: ChannelSpec[] = [];
  readonly externals = new Map<string, ExternalSystemSpec | HumanSpec>();
  readonly dependencies = new Map<string, DependencySpec>();
  readonly entryPoints: EntryPointSpec[] = [];
  internet = false;

  constructor(existing: ReadonlyMap<string, string> | undefined) {
    this.ids = new IdAllocator(existing);
    this.ids.take(RUNTIME, 'boundaries');
    this.ids.take(INTERNET, 'boundaries');
  }
}

type Ctx = ImportCtx;

/** Text lines of a string or a list of strings. */
function lines(n: PNode | undefined): string[] {
  if (n === undefined) return [];
  if (n.t === 'string') return [n.value as string];
  if (n.t !== 'array') return [];
  return n.items.map((x) => str(x)).filter((x): x is string => x !== undefined);
}

/** Why this is not a character file, or undefined. */
function notACharacter(root: PNode): string | undefined {
  if (root.t !== 'object') return `an ElizaOS character is a mapping at the top level, not ${describeNode(root)}`;
  const name = child(root, 'name');
  const has = CHARACTER_KEYS.filter((k) => child(root, k) !== undefined);
  if (str(name) === undefined || has.length === 0) {
    const keys = root.entries.slice(0, 5).map((e) => quote(e.key, 30));
    return `not an ElizaOS character: ${str(name) === undefined ? (name === undefined ? 'no "name"' : `"name" is ${describeNode(name)}`) : 'no character fields'}${has.length === 0 ? ` and none of ${CHARACTER_KEYS.slice(0, 6).map((k) => `"${k}"`).join(', ')}…` : ''}${keys.length > 0 ? ` (top-level keys: ${keys.join(', ')})` : ''}`;
  }
  return undefined;
}

interface Secret {
  readonly name: string;
  readonly hardcoded: boolean;
  readonly pos: Pos;
  readonly pointer: string;
}

/** Secret key names and whether a value is written in the file. Values are looked at only to say whether they are empty. */
function collectSecrets(root: PObject, ctx: Ctx): Secret[] {
  const out: Secret[] = [];
  const seen = new Set<string>();
  const add = (name: string, value: PNode, pos: Pos) => {
    if (seen.has(name)) return;
    seen.add(name);
    const v = text(value);
    const hardcoded = v !== undefined && v.trim() !== '' && !/^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/.test(v.trim());
    out.push({ name, hardcoded, pos, pointer: value.pointer });
  };
  const settings = child(root, 'settings');
  for (const holder of [child(settings, 'secrets'), child(root, 'secrets')]) {
    if (holder === undefined || holder.t === 'null') continue;
    if (holder.t !== 'object') {
      warn(ctx, 'W_ELIZA_FIELD', `"secrets" is ${describeNode(holder).replace(/the text .*/, 'text')}, not a mapping: ignored`, 'write "secrets": {"NAME": "..."} (better: leave values empty and use the environment)', holder.pos, holder.pointer);
      continue;
    }
    for (const e of holder.entries.slice(0, 500)) add(e.key, e.value, e.keyPos);
  }
  // Secret-named settings outside "secrets" (for example settings.OPENAI_API_KEY), one level deep in each setting.
  if (settings?.t === 'object') {
    for (const e of settings.entries) {
      if (e.key === 'secrets') continue;
      if (e.value.t === 'string' && isSecretName(e.key)) add(e.key, e.value, e.keyPos);
      if (e.value.t === 'object') for (const f of e.value.entries.slice(0, 200)) if (f.value.t === 'string' && isSecretName(f.key)) add(`${e.key}.${f.key}`, f.value, f.keyPos);
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function importCharacter(b: Builder, root: PObject, ctx: Ctx): number {
  const name = str(child(root, 'name')) ?? 'character';
  const label = quote(name, 60);
  for (const e of root.entries) {
    if (!KNOWN_KEYS.has(e.key) && !e.key.startsWith('x-')) {
      warn(ctx, 'W_ELIZA_UNKNOWN_KEY', `the key ${quote(e.key, 40)} is not a character field: ignored`, 'check the spelling against the ElizaOS character format', e.keyPos, e.value.pointer);
    }
  }
  const id = b.ids.take(slug(name, 'character'), 'agents');
  const src = new SourceRecorder(ctx.file, FORMAT, root.pos, '');
  let elements = 1;
  const tags = new Set<string>(['elizaos']);
  const settings = child(root, 'settings');

  // Model.
  const providerNode = child(root, 'modelProvider');
  const provider = str(providerNode);
  const modelName = str(child(settings, 'model')) ?? str(child(child(settings, 'modelConfig'), 'model'));
  const modelIds: string[] = [];
  if (provider !== undefined || modelName !== undefined) {
    const local = provider !== undefined && LOCAL_PROVIDERS.has(provider.toLowerCase());
    const m: ModelSpec = {
      id: b.ids.take(`${id}_model`.slice(0, 128), 'models'),
      name: clip(`${provider ?? 'model'}${modelName !== undefined ? ` ${modelName}` : ''} (model of ${name})`),
      ...(provider !== undefined ? { provider: clip(provider, 200) } : {}),
      ...(modelName !== undefined ? { model: clip(modelName, 500) } : {}),
      hosting: local ? 'self-hosted' : 'hosted-api',
      boundary: local ? RUNTIME : INTERNET,
      importedFrom: { file: clip(ctx.file), format: FORMAT, line: (providerNode ?? root).pos.line, column: 1, pointer: providerNode?.pointer ?? '' },
    };
    if (!local) b.internet = true;
    b.models.push(m);
    modelIds.push(m.id);
    elements++;
    src.at('/models', providerNode?.pos);
  } else {
    warn(ctx, 'W_ELIZA_NO_MODEL', `character ${label} names no "modelProvider": the runtime default is used`, 'add "modelProvider" (openai, anthropic, ollama...) to the model by hand', root.pos, '');
  }

  // Runtime memory: every message the character sees is stored and recalled.
  const memory: MemorySpec = {
    id: b.ids.take(`${id}_memory`.slice(0, 128), 'memories'),
    name: clip(`Runtime memory of ${name} (messages, facts, relationships)`),
    type: 'long-term',
    persistence: 'persistent',
    description: 'ElizaOS stores the messages the character receives and the facts it extracts from them in its database, and recalls them in later conversations.',
    ingests: [],
    boundary: RUNTIME,
  };
  b.memories.push(memory);
  elements++;
  const reads = [memory.id];

  // Knowledge.
  const knowledge = child(root, 'knowledge');
  if (knowledge?.t === 'array' && knowledge.items.length > 0) {
    const paths = knowledge.items.map((k) => str(child(k, 'path')) ?? str(child(k, 'directory'))).filter((p): p is string => p !== undefined);
    const km: MemorySpec = {
      id: b.ids.take(`${id}_knowledge`.slice(0, 128), 'memories'),
      name: clip(`Knowledge of ${name} (${knowledge.items.length} entr${knowledge.items.length === 1 ? 'y' : 'ies'})`),
      type: 'rag-corpus',
      persistence: 'persistent',
      description: clip(`Knowledge listed in the character file${paths.length > 0 ? `, including the files ${paths.slice(0, 10).map((p) => JSON.stringify(clip(p, 200))).join(', ')}` : ''}; whoever edits those files shapes what the character asserts.`),
      boundary: RUNTIME,
      importedFrom: { file: clip(ctx.file), format: FORMAT, line: knowledge.pos.line, column: 1, pointer: knowledge.pointer },
    };
    b.memories.push(km);
    reads.push(km.id);
    elements++;
  }

  // Plugins.
  const grants: string[] = [];
  const dependsOn: string[] = [];
  const platforms: { p: Platform; pos: Pos; pointer: string }[] = [];
  const pluginsNode = child(root, 'plugins');
  if (pluginsNode !== undefined && pluginsNode.t !== 'array' && pluginsNode.t !== 'null') {
    warn(ctx, 'W_ELIZA_FIELD', `"plugins" is ${describeNode(pluginsNode)}, not a list: ignored`, 'write "plugins": ["@elizaos/plugin-..."]', pluginsNode.pos, pluginsNode.pointer);
  }
  let hasMcpPlugin = false;
  for (const item of pluginsNode?.t === 'array' ? pluginsNode.items.slice(0, 500) : []) {
    const pkg = str(item) ?? str(child(item, 'name')) ?? str(child(item, 'package'));
    if (pkg === undefined || pkg.trim() === '') {
      warn(ctx, 'W_ELIZA_FIELD', `a plugin entry is ${describeNode(item)}, not a package name: ignored`, 'plugins are npm package names', item.pos, item.pointer);
      continue;
    }
    const depKey = pkg;
    let dep = b.dependencies.get(depKey);
    if (!dep) {
      dep = {
        id: b.ids.take(slug(pkg.replace(/^@/, '').replace(/\//g, '_'), 'plugin'), 'dependencies'),
        name: clip(pkg, 1000),
        type: 'plugin',
        description: clip(`ElizaOS plugin loaded by the runtime from npm, with the runtime's full access (same process, same secrets). Named without a version in the character file.`),
        package: { name: clip(pkg, 1000), registry: 'npm' },
        usedBy: [],
        importedFrom: { file: clip(ctx.file), format: FORMAT, line: item.pos.line, column: item.pos.column, pointer: item.pointer, lines: { '/package': item.pos.line } },
      };
      b.dependencies.set(depKey, dep);
      elements++;
    }
    note(ctx, 'I_UNPINNED_PACKAGE', `character ${label}: plugin ${quote(pkg, 80)} has no version: every install may fetch a different release`, item.pos, item.pointer, dep.id);
    const platform = platformOfPlugin(pkg);
    if (platform) {
      platforms.push({ p: platform, pos: item.pos, pointer: item.pointer });
      dependsOn.push(dep.id);
      dep.usedBy = [...new Set([...(dep.usedBy ?? []), id])];
      continue;
    }
    if (/plugin-mcp$/i.test(pkg)) hasMcpPlugin = true;
    const tool: ToolSpec = {
      id: b.ids.take(`${id}_${slug(pkg.replace(/^@[^/]*\//, ''), 'plugin')}`.slice(0, 128), 'tools'),
      name: clip(`${pkg} (actions of the plugin)`),
      type: 'function',
      transport: 'in-process',
      package: { name: clip(pkg, 1000), registry: 'npm' },
      description: 'The actions, providers and evaluators this plugin adds to the character. What they can do is not in the character file: add side effects and scopes.',
      boundary: RUNTIME,
      dependsOn: [dep.id],
      importedFrom: { file: clip(ctx.file), format: FORMAT, line: item.pos.line, column: item.pos.column, pointer: item.pointer, lines: { '/package': item.pos.line } },
    };
    dep.usedBy = [...new Set([...(dep.usedBy ?? []), tool.id])];
    b.tools.push(tool);
    grants.push(tool.id);
    elements++;
  }

  // MCP servers configured for plugin-mcp.
  const mcpServers = child(child(settings, 'mcp'), 'servers');
  if (mcpServers?.t === 'object') {
    if (!hasMcpPlugin) warn(ctx, 'W_ELIZA_MCP', 'settings.mcp.servers is set but no MCP plugin is listed: imported anyway', 'add "@elizaos/plugin-mcp" to plugins if the character should use them', mcpServers.pos, mcpServers.pointer);
    for (const e of mcpServers.entries.slice(0, 500)) {
      const s = e.value;
      const command = str(child(s, 'command'));
      const url = str(child(s, 'url'));
      if (s.t !== 'object' || (command === undefined && url === undefined)) {
        warn(ctx, 'W_IMPORT_SERVER_SKIPPED', `MCP server ${quote(e.key, 60)} has neither "command" nor "url": skipped`, 'a local server needs "command"; a remote one needs "url"', e.keyPos, s.pointer);
        continue;
      }
      const argsNode = child(s, 'args');
      const args = argsNode?.t === 'array' ? argsNode.items.map((a) => text(a)).filter((a): a is string => a !== undefined).slice(0, 500) : [];
      const type = str(child(s, 'type'))?.toLowerCase();
      const transport: McpServerSpec['transport'] = command !== undefined ? 'stdio' : type === 'sse' ? 'sse' : 'streamable-http';
      const envNode = child(s, 'env');
      const spec: McpServerSpec = {
        id: b.ids.take(`${id}_mcp_${slug(e.key, 'server')}`.slice(0, 128), 'mcpServers'),
        name: clip(e.key),
        transport,
        ...(command !== undefined ? { command: clip(command), args: redactArgs(args).args.map((a) => clip(a)) } : {}),
        ...(url !== undefined ? { url: clip(redactUrl(url).url) } : {}),
        ...(envNode?.t === 'object' && envNode.entries.length > 0 ? { env: envNode.entries.slice(0, 500).map((x) => clip(x.key, 1000)) } : {}),
        boundary: command !== undefined ? RUNTIME : INTERNET,
        importedFrom: { file: clip(ctx.file), format: FORMAT, line: e.keyPos.line, column: e.keyPos.column, pointer: s.pointer },
      };
      if (url !== undefined) b.internet = true;
      b.servers.push(spec);
      grants.push(spec.id);
      elements++;
    }
  }

  // Clients.
  const clientsNode = child(root, 'clients');
  if (clientsNode?.t === 'array') {
    for (const c of clientsNode.items.slice(0, 100)) {
      const key = str(c)?.toLowerCase().trim();
      if (key === undefined || key === '') continue;
      const p = Object.hasOwn(PLATFORMS, key) ? PLATFORMS[key] : undefined;
      if (!p) {
        warn(ctx, 'W_ELIZA_CLIENT', `unknown client ${quote(key, 40)}: read as an untrusted platform`, 'known clients: discord, twitter, telegram, slack, farcaster, lens, github, direct, auto', c.pos, c.pointer);
        platforms.push({ p: { id: slug(key, 'client'), name: clip(key, 200) }, pos: c.pos, pointer: c.pointer });
      } else platforms.push({ p, pos: c.pos, pointer: c.pointer });
    }
  } else if (clientsNode !== undefined && clientsNode.t !== 'null') {
    warn(ctx, 'W_ELIZA_FIELD', `"clients" is ${describeNode(clientsNode)}, not a list: ignored`, 'write "clients": ["discord", "twitter"]', clientsNode.pos, clientsNode.pointer);
  }
  const doneClients = new Set<string>();
  for (const { p, pos, pointer } of platforms) {
    if (doneClients.has(p.id)) continue;
    doneClients.add(p.id);
    elements += addClient(b, ctx, id, name, p, pos, pointer, memory);
    if (p.id === 'auto') tags.add('autonomous-schedule');
  }
  if (platforms.length > 0) tags.add('social-clients');

  // Secrets: names only.
  const secrets = collectSecrets(root, ctx);
  for (const s of secrets) {
    if (s.hardcoded) {
      tags.add('secret-in-config');
      note(ctx, 'I_SECRET_IN_FILE', `character ${label}: the secret ${quote(s.name, 60)} is written in the file (value not copied)`, s.pos, s.pointer, id);
    }
  }
  secrets.forEach((s, i) => src.at(`/identity/credentials/${i}`, s.pos));

  const bio = lines(child(root, 'bio'));
  const system = child(root, 'system');
  const topics = lines(child(root, 'topics'));
  const agent: AgentSpec = {
    id,
    name: clip(name),
    ...(bio.length > 0 ? { description: clip(bio.join(' '), 100_000) } : {}),
    role: clip(topics.length > 0 ? `ElizaOS character; topics: ${topics.slice(0, 20).join('; ')}` : 'ElizaOS character'),
    origin: 'first-party',
    framework: 'ElizaOS',
    ...(modelIds.length > 0 ? { models: modelIds } : {}),
    ...(grants.length > 0 ? { tools: grants } : {}),
    memory: { reads, writes: [memory.id] },
    ...(secrets.length > 0 ? { identity: { type: 'api-key' as const, credentials: secrets.map((s) => ({ type: credentialType(s.name.split('.').pop() ?? s.name), storage: s.hardcoded ? ('hardcoded' as const) : ('env' as const) })) } } : {}),
    prompt: { source: 'inline' },
    boundary: RUNTIME,
    ...(dependsOn.length > 0 ? { dependsOn: [...new Set(dependsOn)] } : {}),
    tags: [...tags].sort(),
    importedFrom: src.build(),
  };
  if (system !== undefined) src.at('/prompt', system.pos);
  const eliza: Record<string, unknown> = {};
  if (secrets.length > 0) eliza['secrets'] = secrets.map((s) => `${clip(s.name, 200)}: REDACTED`);
  const username = str(child(root, 'username'));
  if (username !== undefined) eliza['username'] = clip(username, 200);
  if (Object.keys(eliza).length > 0) (agent as Record<string, unknown>)['x-elizaos'] = eliza;
  agent.importedFrom = src.build();
  b.agents.push(agent);
  return elements;
}

function addClient(b: Builder, ctx: Ctx, agentId: string, agentName: string, p: Platform, pos: Pos, pointer: string, memory: MemorySpec): number {
  let created = 0;
  let source = b.externals.get(p.id);
  if (!source) {
    if (p.human === true) {
      const h: HumanSpec = {
        id: b.ids.take(`${p.id}_users`, 'humans'),
        name: p.name,
        role: 'public',
        trust: 'untrusted',
        description: 'Anyone who can reach the runtime\'s chat endpoint.',
        boundary: INTERNET,
      };
      source = h;
    } else {
      const x: ExternalSystemSpec = {
        id: b.ids.take(`${p.id}_platform`, 'externalSystems'),
        name: p.name,
        type: 'saas',
        trust: 'untrusted',
        ...(p.url !== undefined ? { url: p.url } : {}),
        description: p.id === 'auto' ? 'The runtime starts the character on a schedule, without a person asking.' : `Messages and posts on ${p.name}: anyone there can write to the character.`,
        boundary: INTERNET,
      };
      b.externals.set(p.id, x);
      source = x;
    }
    b.internet = true;
    b.externals.set(p.id, source);
    created++;
  }
  const channel: ChannelSpec = {
    id: b.ids.take(`${source.id}_to_${agentId}`.slice(0, 128), 'channels'),
    from: source.id,
    to: agentId,
    protocol: p.human === true ? 'http' : 'websocket',
    authentication: 'api-key',
    encryption: 'tls',
    direction: 'bidirectional',
    data: ['messages'],
    description: `The ${p.name} client of ${agentName}: reads messages addressed to it and posts its replies, with the bot credentials of the runtime.`,
    importedFrom: { file: clip(ctx.file), format: FORMAT, line: pos.line, column: pos.column, pointer },
  };
  b.channels.push(channel);
  const ep: EntryPointSpec = {
    id: b.ids.take(`${agentId}_${p.id}_messages`.slice(0, 128), 'entryPoints'),
    name: clip(`${p.name}: messages to ${agentName}`),
    target: agentId,
    source: source.id,
    via: channel.id,
    type: p.id === 'auto' ? 'other' : 'user-input',
    trust: p.id === 'auto' ? 'trusted' : 'untrusted',
    importedFrom: { file: clip(ctx.file), format: FORMAT, line: pos.line, column: pos.column, pointer },
  };
  b.entryPoints.push(ep);
  if (p.id !== 'auto') memory.ingests = [...(memory.ingests ?? []), ep.id];
  note(ctx, 'I_ELIZA_CLIENT', `character ${quote(agentName, 60)}: the ${p.name} client lets anyone there write to it, and it stores what it reads in its memory`, pos, pointer, agentId);
  return created + 2;
}

function buildModel(b: Builder, files: readonly string[]): ModelFile {
  const boundaries: BoundarySpec[] = [
    { id: RUNTIME, name: 'ElizaOS runtime (one Node process)', type: 'process', trust: 'trusted', description: 'The runtime process: every character, plugin and secret it loads share it.' },
  ];
  if (b.internet) boundaries.push({ id: INTERNET, name: 'Internet', type: 'network', trust: 'untrusted', description: 'Hosted models, social platforms and remote servers.' });
  const names = b.agents.map((a) => a.name ?? a.id);
  const m: ModelFile = {
    version: '1.0',
    system: {
      name: clip(names.length === 1 ? `ElizaOS character ${names[0] ?? ''}` : `ElizaOS runtime with ${names.length} characters`),
      description: clip(
        `Imported from ${files.length} ElizaOS character file${files.length === 1 ? '' : 's'} by maestro-tm import. A character file tells which model, plugins and clients a character uses; it does not tell what the plugins can do, which wallet or keys they hold, or which controls exist: review and complete the model. Secret values were not copied.`,
      ),
    },
    agents: b.agents,
  };
  for (const m2 of b.memories) if ((m2.ingests ?? []).length === 0) delete m2.ingests;
  if (b.models.length > 0) m.models = b.models;
  if (b.tools.length > 0) m.tools = b.tools;
  if (b.servers.length > 0) m.mcpServers = b.servers;
  m.memories = b.memories;
  if (b.channels.length > 0) m.channels = b.channels;
  const humans = [...b.externals.values()].filter((x): x is HumanSpec => 'role' in x);
  const externals = [...b.externals.values()].filter((x): x is ExternalSystemSpec => !('role' in x));
  if (humans.length > 0) m.humans = humans;
  if (externals.length > 0) m.externalSystems = externals;
  if (b.dependencies.size > 0) m.dependencies = [...b.dependencies.values()];
  m.boundaries = boundaries;
  if (b.entryPoints.length > 0) m.entryPoints = b.entryPoints;
  return m;
}

export function importCharacters(inputs: readonly ImportInput[], options: ImportOptions = {}): ImportResult {
  const b = new Builder(options.existingIds);
  const diagnostics: Diagnostic[] = [];
  const notes: ImportNote[] = [];
  const files: ImportFileReport[] = [];
  const imported: string[] = [];
  for (const input of inputs.slice(0, 1000)) {
    const file = input.path;
    const root = parseInputTree(input.text, file, diagnostics, files);
    if (root === undefined) continue;
    const why = notACharacter(root);
    if (why !== undefined || root.t !== 'object') {
      diagnostics.push({
        ...diag('E_IMPORT_NOT_ELIZAOS', why ?? 'not an ElizaOS character', { hint: 'an ElizaOS character file is a JSON object with "name" and fields such as "bio", "modelProvider", "plugins", "clients"', line: root.pos.line, column: root.pos.column, pointer: '' }),
        file,
      });
      files.push({ file, status: 'refused', elements: 0 });
      continue;
    }
    const elements = importCharacter(b, root, { file, diagnostics, notes });
    files.push({ file, status: 'imported', dialect: child(root, 'clients') !== undefined || child(root, 'modelProvider') !== undefined ? 'ElizaOS character (0.x: clients, modelProvider)' : 'ElizaOS character', elements });
    imported.push(file);
  }
  if (imported.length === 0) return { diagnostics, notes, files };
  return { model: buildModel(b, imported), diagnostics, notes, files };
}

const WANTED = /(^|\/)[^/]*\.character\.json$/i;

export const elizaosImporter: Importer = {
  id: 'elizaos',
  aliases: ['eliza', 'character'],
  description: 'ElizaOS character files (*.character.json): model provider, plugins, clients, secrets (names only)',
  detect(input) {
    const head = input.text.slice(0, 65_536);
    let score = 0;
    if (WANTED.test(input.path.replace(/\\/g, '/'))) score += 0.4;
    if (/"bio"\s*:/.test(head)) score += 0.3;
    if (/"(lore|messageExamples|postExamples|modelProvider|adjectives)"\s*:/.test(head)) score += 0.3;
    if (/"clients"\s*:\s*\[/.test(head) || /"@elizaos\//.test(head)) score += 0.1;
    if (/"(mcpServers|otmVersion|skills)"\s*:/.test(head)) score -= 0.4;
    return Math.max(0, Math.min(1, score));
  },
  wantsPath(path) {
    return WANTED.test(path.replace(/\\/g, '/'));
  },
  import: importCharacters,
};
