/**
 * MCP client configurations → a model: one agent per client application (the IDE assistant or host
 * app), one MCP server per configured entry, a channel between them, and a dependency for each
 * package fetched at launch. Dialects: `mcpServers` maps (Claude Desktop, Cursor, Claude Code
 * `.mcp.json`, Windsurf, Cline, generic mcp.json), VS Code `servers` + `inputs` and settings.json
 * `mcp.servers`, Continue `mcpServers` lists (YAML or JSON) and single-server blocks, Zed
 * `context_servers`. JSON may hold comments and trailing commas.
 *
 * Static only: commands are read as text, never run; URLs are never fetched. Secret values are
 * never copied: env and header values are dropped (names kept), secrets in arguments and URLs are
 * replaced by [redacted], and each secret becomes a credential entry with where it is stored.
 */
import { diag, quote, type Diagnostic } from '../../model/diagnostics.js';
import type { AgentSpec, ChannelSpec, DependencySpec, McpServerSpec, ModelFile, BoundarySpec, ToolGrantSpec } from '../../model/schema.js';
import { child, describeNode, entry as entryOf, parseTreeText, scalar, str, text, type PNode, type PObject, type Pos } from '../_source.js';
import { clip, IdAllocator, slug, SourceRecorder } from '../_model.js';
import type { ImportFileReport, ImportInput, ImportNote, ImportOptions, ImportResult, Importer } from '../types.js';
import { analyseLaunch, isExactVersion, splitWords, type PackageSpec, findingTag, findingNoteCode } from '../../model/launch.js';
import { credentialType, redactArgs, redactUrl, secretStorage, shapeOf } from './secrets.js';

// ---------------------------------------------------------------------------------------------------------------------
// Clients and dialects

interface Client {
  readonly key: string;
  readonly agentId: string;
  readonly name: string;
  /** The top-level key this client reads, for the dialect-mismatch warning. */
  readonly reads?: 'mcpServers' | 'servers';
}

const CLIENTS: Record<string, Client> = {
  'claude-desktop': { key: 'claude-desktop', agentId: 'claude_desktop_assistant', name: 'Claude Desktop', reads: 'mcpServers' },
  'claude-code': { key: 'claude-code', agentId: 'claude_code_assistant', name: 'Claude Code', reads: 'mcpServers' },
  cursor: { key: 'cursor', agentId: 'cursor_assistant', name: 'Cursor', reads: 'mcpServers' },
  vscode: { key: 'vscode', agentId: 'vscode_assistant', name: 'VS Code', reads: 'servers' },
  windsurf: { key: 'windsurf', agentId: 'windsurf_assistant', name: 'Windsurf', reads: 'mcpServers' },
  continue: { key: 'continue', agentId: 'continue_assistant', name: 'Continue' },
  zed: { key: 'zed', agentId: 'zed_assistant', name: 'Zed' },
  generic: { key: 'generic', agentId: 'mcp_client', name: 'MCP client' },
};

function client(key: string): Client {
  return CLIENTS[key] ?? { key: 'generic', agentId: 'mcp_client', name: 'MCP client' };
}

/** The client a path belongs to, when its name says so. */
function clientFromPath(path: string): string | undefined {
  const p = path.replace(/\\/g, '/').toLowerCase();
  const base = p.split('/').pop() ?? p;
  if (base.includes('claude_desktop_config')) return 'claude-desktop';
  if (/(^|\/)\.cursor\//.test(p) || base.includes('cursor')) return 'cursor';
  if (/(^|\/)\.vscode\//.test(p) || base.includes('vscode') || /code(\s-\sinsiders)?\/user\//.test(p)) return 'vscode';
  if (base === '.mcp.json') return 'claude-code';
  if (/windsurf|codeium/.test(p)) return 'windsurf';
  if (/(^|\/)\.continue\//.test(p) || base.includes('continue')) return 'continue';
  if (/(^|\/)zed\//.test(p)) return 'zed';
  return undefined;
}

export type Dialect = 'mcpServers' | 'servers' | 'settings' | 'list' | 'zed' | 'single';

const DIALECT_LABEL: Record<Dialect, string> = {
  mcpServers: '`mcpServers` map',
  servers: 'VS Code `servers`',
  settings: 'VS Code settings.json `mcp.servers`',
  list: 'Continue `mcpServers` list',
  zed: 'Zed `context_servers`',
  single: 'single-server block',
};

export interface ServerEntry {
  readonly name: string;
  readonly pos: Pos;
  readonly pointer: string;
  readonly node: PNode;
}

export interface Located {
  readonly dialect: Dialect;
  readonly entries: ServerEntry[];
  readonly inputs?: PNode;
}

function mapEntries(n: PObject): ServerEntry[] {
  return n.entries.map((e) => ({ name: e.key, pos: e.keyPos, pointer: e.value.pointer, node: e.value }));
}

/** Find the servers in a parsed file, or say why this is not an MCP client configuration. */
export function locate(root: PNode, file: string): Located | { refuse: string; hint: string } {
  if (root.t !== 'object') {
    return { refuse: `an MCP client configuration is a mapping at the top level, not ${describeNode(root)}`, hint: 'name a file such as .vscode/mcp.json, .cursor/mcp.json, .mcp.json or claude_desktop_config.json' };
  }
  const mcpServers = child(root, 'mcpServers');
  if (mcpServers?.t === 'object') return { dialect: 'mcpServers', entries: mapEntries(mcpServers), ...inputsOf(root) };
  if (mcpServers?.t === 'array') {
    return {
      dialect: 'list',
      entries: mcpServers.items.map((item, i) => ({ name: text(child(item, 'name')) ?? `server ${i + 1}`, pos: item.pos, pointer: item.pointer, node: item })),
    };
  }
  const servers = child(root, 'servers');
  if (servers?.t === 'object') return { dialect: 'servers', entries: mapEntries(servers), ...inputsOf(root) };
  const mcp = child(root, 'mcp');
  if (mcp?.t === 'object') {
    const inner = child(mcp, 'servers');
    return { dialect: 'settings', entries: inner?.t === 'object' ? mapEntries(inner) : [], ...inputsOf(mcp) };
  }
  const zed = child(root, 'context_servers');
  if (zed?.t === 'object') return { dialect: 'zed', entries: mapEntries(zed) };
  if (child(root, 'command') !== undefined || child(root, 'url') !== undefined || child(root, 'serverUrl') !== undefined) {
    const base = (file.split('/').pop() ?? file).replace(/\.(json|jsonc|ya?ml)$/i, '');
    return { dialect: 'single', entries: [{ name: text(child(root, 'name')) ?? base, pos: root.pos, pointer: '', node: root }] };
  }
  const keys = root.entries.slice(0, 5).map((e) => quote(e.key, 40));
  const what = keys.length === 0 ? 'it is an empty mapping' : `its top-level keys are ${keys.join(', ')}${root.entries.length > 5 ? ', …' : ''}`;
  const suffix = mcpServers !== undefined || servers !== undefined ? ` (mcpServers/servers is ${describeNode(mcpServers ?? servers)}, not a mapping)` : '';
  return {
    refuse: `no MCP servers here: ${what}${suffix}`,
    hint: 'an MCP client configuration has "mcpServers" (Claude Desktop, Cursor, Claude Code, Windsurf), "servers" (VS Code mcp.json), "mcp": {"servers": …} (VS Code settings.json) or a Continue "mcpServers" list',
  };
}

function inputsOf(n: PNode): { inputs?: PNode } {
  const i = child(n, 'inputs');
  return i === undefined ? {} : { inputs: i };
}

// ---------------------------------------------------------------------------------------------------------------------
// Server fields

const KNOWN_SERVER_KEYS = new Set([
  'type', 'transport', 'command', 'args', 'env', 'envFile', 'url', 'serverUrl', 'httpUrl', 'headers', 'cwd', 'disabled', 'enabled',
  'alwaysAllow', 'autoApprove', 'trust', 'name', 'description', 'requestOptions', 'dev', 'timeout', 'startup_timeout_ms', 'oauth',
  'includeTools', 'excludeTools', 'source', 'settings', 'gallery', 'version', 'id', 'icon', 'connectionTimeout',
]);

const TRANSPORTS: Record<string, NonNullable<McpServerSpec['transport']>> = {
  stdio: 'stdio',
  local: 'stdio',
  sse: 'sse',
  http: 'http',
  'streamable-http': 'streamable-http',
  streamablehttp: 'streamable-http',
  streamable_http: 'streamable-http',
  remote: 'http',
  ws: 'websocket',
  websocket: 'websocket',
};

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '0.0.0.0', '::1', '[::1]', 'host.docker.internal']);

function hostOf(url: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?(\[[^\]]*\]|[^/:?#]*)/i.exec(url);
  return m?.[1]?.toLowerCase();
}

function isLocalHost(host: string | undefined): boolean {
  return host !== undefined && (LOCAL_HOSTS.has(host) || /^127\./.test(host) || host.endsWith('.localhost'));
}

// ---------------------------------------------------------------------------------------------------------------------
// The builder

interface Context {
  readonly file: string;
  readonly client: Client;
  readonly dialect: Dialect;
  readonly diagnostics: Diagnostic[];
  readonly notes: ImportNote[];
  /** VS Code inputs: id → prompted as a password. */
  readonly inputs: Map<string, boolean>;
}

const MAX_SERVERS_PER_FILE = 2_000;
const MAX_ARGS = 500;
const MAX_ENV = 500;

class Builder {
  readonly ids: IdAllocator;
  readonly agents = new Map<string, AgentSpec>();
  readonly servers: McpServerSpec[] = [];
  readonly channels: ChannelSpec[] = [];
  readonly dependencies: DependencySpec[] = [];
  remote = false;
  local = false;

  constructor(existing: ReadonlyMap<string, string> | undefined) {
    this.ids = new IdAllocator(existing);
    // Fixed ids first, so servers never take them.
    this.ids.take('workstation', 'boundaries');
    this.ids.take('internet', 'boundaries');
  }

  agentFor(ctx: Context): AgentSpec {
    const have = this.agents.get(ctx.client.key);
    if (have) return have;
    const id = this.ids.take(ctx.client.agentId, 'agents');
    const agent: AgentSpec = {
      id,
      name: ctx.client.key === 'generic' ? 'MCP client (host application)' : `${ctx.client.name} assistant (MCP client)`,
      description: `${ctx.client.key === 'generic' ? 'The application that reads' : `The AI assistant in ${ctx.client.name}, the MCP client that reads`} the configuration named in importedFrom and starts or connects to the servers it lists. Its model, autonomy and approval settings are not in that file: add them.`,
      role: 'Calls the tools of the configured MCP servers on behalf of its user',
      origin: 'third-party',
      framework: ctx.client.name,
      tools: [],
      boundary: 'workstation',
      importedFrom: { file: clip(ctx.file), format: 'mcp', line: 1, column: 1, pointer: '' },
    };
    this.agents.set(ctx.client.key, agent);
    return agent;
  }

  note(ctx: Context, code: string, message: string, pos: Pos | undefined, pointer: string, element: string): void {
    ctx.notes.push({ code, message, file: ctx.file, ...(pos ? { line: pos.line, column: pos.column } : {}), pointer, element });
  }

  warn(ctx: Context, code: string, message: string, hint: string, pos: Pos, pointer: string): void {
    ctx.diagnostics.push({ ...diag(code, message, { hint, line: pos.line, column: pos.column, pointer, severity: 'warning' }), file: ctx.file });
  }

  /** Read one server entry. Returns the number of elements created. */
  addServer(ctx: Context, e: ServerEntry): number {
    const label = quote(e.name, 60);
    if (e.node.t !== 'object') {
      this.warn(ctx, 'W_IMPORT_SERVER_SKIPPED', `server ${label} is ${describeNode(e.node)}, not a mapping: skipped`, 'a server entry is a mapping with "command" (local) or "url" (remote)', e.pos, e.pointer);
      return 0;
    }
    const node = e.node;
    if (ctx.dialect !== 'single') {
      for (const f of node.entries) {
        if (!KNOWN_SERVER_KEYS.has(f.key) && !f.key.startsWith('$')) {
          this.warn(ctx, 'W_IMPORT_UNKNOWN_KEY', `server ${label}: the key ${quote(f.key, 40)} is not a known MCP client setting: ignored`, 'check the spelling; known keys include type, command, args, env, url and headers', f.keyPos, f.value.pointer);
        }
      }
    }
    // Transport.
    const typeNode = child(node, 'type') ?? child(node, 'transport');
    let declared: McpServerSpec['transport'];
    if (typeNode !== undefined) {
      const t = str(typeNode);
      if (t === undefined) {
        this.warn(ctx, 'W_IMPORT_TYPE', `server ${label}: "type" should be text (stdio, sse, http or streamable-http), not ${describeNode(typeNode)}: ignored, the transport is inferred`, 'write "type": "stdio" for a local server, or "http"/"sse" for a remote one', typeNode.pos, typeNode.pointer);
      } else {
        const key = t.toLowerCase().replace(/\s+/g, '');
        declared = Object.hasOwn(TRANSPORTS, key) ? TRANSPORTS[key] : undefined;
        if (declared === undefined) {
          this.warn(ctx, 'W_IMPORT_TYPE', `server ${label}: unknown transport ${quote(t, 40)}: ignored, the transport is inferred`, 'use stdio, sse, http or streamable-http', typeNode.pos, typeNode.pointer);
        }
      }
    }

    // Command (Zed nests it: "command": {"path", "args", "env"}).
    let commandNode = child(node, 'command');
    let argsNode = child(node, 'args');
    let envNode = child(node, 'env');
    if (commandNode?.t === 'object') {
      const inner = commandNode;
      commandNode = child(inner, 'path');
      argsNode ??= child(inner, 'args');
      envNode ??= child(inner, 'env');
    }
    let command = str(commandNode);
    if (commandNode !== undefined && command === undefined) {
      this.warn(ctx, 'W_IMPORT_TYPE', `server ${label}: "command" should be text, not ${describeNode(commandNode)}: ignored`, 'write the program to start, for example "npx"', commandNode.pos, commandNode.pointer);
    }
    if (command !== undefined && command.trim() === '') command = undefined;
    const urlNode = child(node, 'url') ?? child(node, 'serverUrl') ?? child(node, 'httpUrl');
    const rawUrl = str(urlNode);
    if (urlNode !== undefined && rawUrl === undefined) {
      this.warn(ctx, 'W_IMPORT_TYPE', `server ${label}: "url" should be text, not ${describeNode(urlNode)}: ignored`, 'write the server address, for example "https://example.com/mcp"', urlNode.pos, urlNode.pointer);
    }
    if (command === undefined && rawUrl === undefined) {
      this.warn(ctx, 'W_IMPORT_SERVER_SKIPPED', `server ${label} has neither "command" nor "url": nothing to start or reach, skipped`, 'a local server needs "command" (and "args"); a remote one needs "url"', e.pos, e.pointer);
      return 0;
    }

    // Arguments.
    const rawArgs: { value: string; pos: Pos }[] = [];
    if (argsNode?.t === 'array') {
      for (const a of argsNode.items.slice(0, MAX_ARGS)) {
        const v = text(a);
        if (v === undefined) this.warn(ctx, 'W_IMPORT_TYPE', `server ${label}: an argument is ${describeNode(a)}, not text: skipped`, 'arguments are a list of strings', a.pos, a.pointer);
        else rawArgs.push({ value: v, pos: a.pos });
      }
      if (argsNode.items.length > MAX_ARGS) this.warn(ctx, 'W_IMPORT_LIMIT', `server ${label}: only the first ${MAX_ARGS} arguments are read`, 'a launch command never needs this many arguments', argsNode.pos, argsNode.pointer);
    } else if (argsNode?.t === 'string') {
      for (const w of splitWords(argsNode.value as string)) rawArgs.push({ value: w, pos: argsNode.pos });
      this.warn(ctx, 'W_IMPORT_TYPE', `server ${label}: "args" is one string, not a list: split on spaces`, 'write "args" as a list, one entry per argument', argsNode.pos, argsNode.pointer);
    } else if (argsNode !== undefined && argsNode.t !== 'null') {
      this.warn(ctx, 'W_IMPORT_TYPE', `server ${label}: "args" should be a list of strings, not ${describeNode(argsNode)}: ignored`, 'write "args": ["--flag", "value"]', argsNode.pos, argsNode.pointer);
    }

    // Identity of the element.
    const base = slug(e.name, 'mcp_server');
    const id = this.ids.take(base, 'mcpServers');
    const src = new SourceRecorder(ctx.file, 'mcp', e.pos, e.pointer);
    const tags = new Set<string>();
    const spec: McpServerSpec = { id, name: clip(e.name), description: '' };
    const descr: string[] = [`${ctx.client.key === 'generic' ? 'MCP' : ctx.client.name} server ${JSON.stringify(clip(e.name, 200))}, imported from line ${e.pos.line} of the configuration named in importedFrom (${DIALECT_LABEL[ctx.dialect]}).`];
    const configDescription = str(child(node, 'description'));
    if (configDescription !== undefined) descr.push(`Description in the configuration: ${clip(configDescription, 2000)}`);

    let transport = declared;
    if (transport === undefined) {
      transport = command !== undefined ? 'stdio' : /\/sse\/?(\?|$)/i.test(rawUrl ?? '') ? 'sse' : 'http';
      descr.push(`Transport not declared: ${transport} assumed from the ${command !== undefined ? 'command' : 'url'}.`);
    }
    if (transport === 'stdio' && command === undefined) {
      this.warn(ctx, 'W_IMPORT_TYPE', `server ${label}: transport stdio but no "command": read as a remote server at its url`, 'a stdio server needs "command"; remove "type" or fix it', (typeNode ?? node).pos, (typeNode ?? node).pointer);
      transport = 'http';
    }
    spec.transport = transport;
    src.at('/transport', typeNode?.pos);
    let local = transport === 'stdio';

    if (transport === 'stdio' && command !== undefined) {
      const launch = analyseLaunch(command, rawArgs.map((a) => a.value));
      const argPos = (i: number): Pos => (i < launch.fromCommand ? (commandNode?.pos ?? e.pos) : (rawArgs[i - launch.fromCommand]?.pos ?? commandNode?.pos ?? e.pos));
      if (launch.fromCommand > 0) {
        this.warn(ctx, 'W_IMPORT_COMMAND_WORDS', `server ${label}: "command" holds several words (${quote(command, 60)}); clients start it as one program name, so it was split into command ${quote(launch.command, 40)} and arguments`, 'put only the program in "command" and the rest in "args"', commandNode?.pos ?? e.pos, commandNode?.pointer ?? e.pointer);
      }
      const redacted = redactArgs(launch.args);
      spec.command = clip(launch.command);
      src.at('/command', commandNode?.pos);
      if (redacted.args.length > 0) spec.args = redacted.args.map((a) => clip(a));
      redacted.args.forEach((_a, i) => src.at(`/args/${i}`, argPos(i)));
      const credentials: NonNullable<McpServerSpec['credentials']> = [];
      for (const i of redacted.secretAt) {
        src.at(`/credentials/${credentials.length}`, argPos(i));
        credentials.push({ type: 'api-key', storage: 'hardcoded' });
        tags.add('secret-in-config');
        this.note(ctx, 'I_SECRET_IN_FILE', `server ${label}: argument ${i + 1} holds a secret written in the file (replaced by [redacted])`, argPos(i), e.pointer, id);
      }
      if (launch.pkg) this.addPackage(ctx, spec, src, launch.pkg, argPos(launch.pkg.argIndex), e, tags, true);
      for (const p of launch.extra) this.addPackage(ctx, spec, src, p, argPos(p.argIndex), e, tags, false);
      for (const f of launch.findings) {
        const pos = f.argIndex < 0 ? (commandNode?.pos ?? e.pos) : argPos(f.argIndex);
        const tag = findingTag(f.code);
        tags.add(tag);
        this.note(ctx, findingNoteCode(f.code), `server ${label}: ${f.message}`, pos, e.pointer, id);
      }
      if (credentials.length > 0) spec.credentials = credentials;
    }

    if (transport !== 'stdio' && rawUrl !== undefined) {
      const { url, secret } = redactUrl(rawUrl);
      spec.url = clip(url);
      src.at('/url', urlNode?.pos);
      const host = hostOf(rawUrl);
      local = isLocalHost(host);
      if (secret) {
        spec.credentials = [...(spec.credentials ?? []), { type: 'api-key', storage: 'hardcoded' }];
        src.at(`/credentials/${spec.credentials.length - 1}`, urlNode?.pos);
        tags.add('secret-in-config');
        this.note(ctx, 'I_SECRET_IN_FILE', `server ${label}: the url holds a secret (replaced by [redacted])`, urlNode?.pos, e.pointer, id);
      }
      if (/^http:\/\//i.test(rawUrl) && !local) {
        tags.add('plain-http-remote');
        this.note(ctx, 'I_PLAIN_HTTP', `server ${label}: remote server reached over plain http: traffic and any token can be read or changed on the way`, urlNode?.pos, e.pointer, id);
      }
      if (!/^(https?|wss?):\/\//i.test(rawUrl)) {
        this.warn(ctx, 'W_IMPORT_URL', `server ${label}: the url does not start with http://, https://, ws:// or wss://`, 'write the full address of the server', urlNode?.pos ?? e.pos, urlNode?.pointer ?? e.pointer);
      }
    } else if (transport !== 'stdio') {
      this.warn(ctx, 'W_IMPORT_SERVER_SKIPPED', `server ${label}: transport ${transport} but no "url"`, 'a remote server needs "url"', e.pos, e.pointer);
    }
    if (local) this.local = true;
    else this.remote = true;

    // Environment: names only; secrets become credentials.
    const envNames: string[] = [];
    if (envNode?.t === 'object') {
      for (const v of envNode.entries.slice(0, MAX_ENV)) {
        envNames.push(clip(v.key, 1000));
        const value = text(v.value);
        if (value === undefined) {
          if (v.value.t !== 'null') this.warn(ctx, 'W_IMPORT_TYPE', `server ${label}: env ${quote(v.key, 40)} is ${describeNode(v.value).replace(/the text .*/, 'text')}, not a value: its value is ignored`, 'env values are strings', v.value.pos, v.value.pointer);
          continue;
        }
        this.addSecret(ctx, spec, src, tags, `env ${v.key}`, v.key, value, v.keyPos, e.pointer, id, ctx.inputs);
      }
      if (envNames.length > 0) spec.env = envNames;
      src.at('/env', envNode.pos);
    } else if (envNode !== undefined && envNode.t !== 'null') {
      this.warn(ctx, 'W_IMPORT_TYPE', `server ${label}: "env" should be a mapping of names to values, not ${describeNode(envNode).replace(/the text .*/, 'text')}: ignored`, 'write "env": {"NAME": "value"}', envNode.pos, envNode.pointer);
    }
    const envFile = str(child(node, 'envFile'));
    if (envFile !== undefined) descr.push('Environment variables are also read from an env file named in the configuration (not read by the import).');

    // Headers (VS Code, Cursor, Claude Code) and Continue requestOptions.headers: names only.
    const headersNode = child(node, 'headers') ?? child(child(node, 'requestOptions'), 'headers');
    let staticAuth = false;
    if (headersNode?.t === 'object') {
      for (const h of headersNode.entries) {
        const value = text(h.value);
        if (value === undefined) continue;
        const stored = this.addSecret(ctx, spec, src, tags, `header ${h.key}`, h.key, value, h.keyPos, e.pointer, id, ctx.inputs);
        if (stored !== undefined) staticAuth = true;
      }
      src.at('/auth', headersNode.pos);
    }
    const oauth = child(node, 'oauth');
    if (transport !== 'stdio') {
      if (oauth?.t === 'object' && scalar(child(oauth, 'enabled')) !== false) spec.auth = 'oauth';
      else if (staticAuth) spec.auth = 'api-key';
    }

    // Auto-approval (Cline/Roo alwaysAllow, autoApprove lists; Gemini trust).
    const grant: ToolGrantSpec = { ref: id };
    for (const key of ['alwaysAllow', 'autoApprove']) {
      const list = child(node, key);
      if (list?.t === 'array' && list.items.length > 0) {
        const names = list.items.map((x) => text(x)).filter((x): x is string => x !== undefined).map((x) => clip(x, 1000));
        if (names.length > 0) {
          grant.tools = [...new Set([...(grant.tools ?? []), ...names])];
          grant.autoApprove = true;
        }
      } else if (list?.t === 'boolean' && list.value === true) grant.autoApprove = true;
    }
    if (scalar(child(node, 'trust')) === true) grant.autoApprove = true;
    if (grant.autoApprove === true) descr.push('The client runs some or all of its tools without asking.');

    const disabled = scalar(child(node, 'disabled')) === true || scalar(child(node, 'enabled')) === false;
    if (disabled) {
      tags.add('disabled');
      descr.push('Disabled in the configuration: the client does not start it until it is enabled.');
    }

    spec.description = clip(descr.join(' '), 20_000);
    spec.boundary = local ? 'workstation' : 'internet';
    if (tags.size > 0) spec.tags = [...tags].sort();
    spec.importedFrom = src.build();
    this.servers.push(spec);
    let created = 1;

    // The client agent, its grant and the channel.
    const agent = this.agentFor(ctx);
    if (!disabled) {
      const tools = agent.tools ?? [];
      tools.push(grant.tools !== undefined || grant.autoApprove !== undefined ? grant : id);
      agent.tools = tools;
      const channel: ChannelSpec = {
        id: this.ids.take(`${agent.id}_to_${id}`.slice(0, 128), 'channels'),
        from: agent.id,
        to: id,
        protocol: 'mcp',
        authentication: transport === 'stdio' ? 'none' : spec.auth === 'oauth' ? 'oauth' : spec.auth === 'api-key' ? 'api-key' : 'unknown',
        encryption: transport === 'stdio' ? 'none' : /^(https|wss):/i.test(rawUrl ?? '') ? 'tls' : 'none',
        direction: 'bidirectional',
        description: transport === 'stdio' ? 'Local pipe to the server process (stdio): no network, the OS user is the boundary.' : `Network connection from the client to the server (${transport}).`,
        importedFrom: { file: clip(ctx.file), format: 'mcp', line: (urlNode ?? commandNode)?.pos.line ?? e.pos.line, column: 1, pointer: e.pointer },
      };
      this.channels.push(channel);
      created++;
    }
    return created + (spec.dependsOn?.length ?? 0);
  }

  /** A secret-looking env or header value: a credential entry (never the value), plus a note when it is in the file. */
  addSecret(ctx: Context, spec: McpServerSpec, src: SourceRecorder, tags: Set<string>, what: string, name: string, value: string, pos: Pos, pointer: string, id: string, inputs: Map<string, boolean>): string | undefined {
    const storage = secretStorage(name, value);
    if (storage === undefined) return undefined;
    const credentials = spec.credentials ?? [];
    src.at(`/credentials/${credentials.length}`, pos);
    credentials.push({ type: credentialType(name), storage });
    spec.credentials = credentials;
    if (storage === 'hardcoded') {
      tags.add('secret-in-config');
      this.note(ctx, 'I_SECRET_IN_FILE', `server ${quote(spec.name ?? id, 60)}: ${what} holds a secret written in the file (value not copied)`, pos, pointer, id);
    } else {
      const shape = shapeOf(value);
      const prompted = shape.placeholders.includes('input');
      const inputId = /\$\{input:([^}]*)\}/.exec(value)?.[1];
      if (prompted && inputId !== undefined && inputs.size > 0 && !inputs.has(inputId)) {
        this.warn(ctx, 'W_IMPORT_INPUT', `${what} refers to the input ${quote(inputId, 40)}, which "inputs" does not declare`, 'declare it in "inputs" (type promptString, password true)', pos, pointer);
      }
    }
    return storage;
  }

  addPackage(ctx: Context, spec: McpServerSpec, src: SourceRecorder, p: PackageSpec, pos: Pos, e: ServerEntry, tags: Set<string>, main: boolean): void {
    const version = p.version !== undefined ? clip(p.version, 200) : undefined;
    if (main) {
      spec.package = { name: clip(p.name, 1000), registry: p.registry, ...(version !== undefined ? { version } : {}) };
      src.at('/package', pos);
    }
    const pinned = p.registry === 'docker' ? version !== undefined && /^(sha256|sha512):[0-9a-f]{32,}$/i.test(version) : isExactVersion(version);
    if (!pinned) {
      tags.add('unpinned-package');
      const why = version === undefined ? 'no version' : `version ${quote(version, 40)} is not exact`;
      this.note(ctx, 'I_UNPINNED_PACKAGE', `server ${quote(e.name, 60)}: ${p.registry} package ${quote(p.name, 80)} is not pinned (${why}): every launch may fetch a different release`, pos, e.pointer, spec.id);
    }
    // Container images are judged on the server itself (its package); npm/PyPI packages get a dependency.
    if (p.registry === 'docker') return;
    const depId = this.ids.take(`${spec.id}_${main ? 'package' : slug(p.name, 'package')}`.slice(0, 128), 'dependencies');
    const dep: DependencySpec = {
      id: depId,
      name: clip(p.name, 1000),
      type: 'plugin',
      description: `${p.registry} package fetched when ${ctx.client.name} starts MCP server ${JSON.stringify(clip(e.name, 200))}${main ? '' : ' (an extra package the launcher installs)'}.`,
      package: { name: clip(p.name, 1000), registry: p.registry, ...(version !== undefined ? { version } : {}) },
      usedBy: [spec.id],
      importedFrom: { file: clip(ctx.file), format: 'mcp', line: pos.line, column: pos.column, pointer: e.pointer, lines: { '/package': pos.line } },
    };
    this.dependencies.push(dep);
    spec.dependsOn = [...(spec.dependsOn ?? []), depId];
  }

  model(files: readonly string[]): ModelFile {
    const agents = [...this.agents.values()];
    const clientNames = [...new Set(agents.map((a) => a.framework ?? 'MCP client'))];
    const boundaries: BoundarySpec[] = [
      { id: 'workstation', name: 'The user\'s machine (one OS user)', type: 'host', trust: 'trusted', description: 'Where the MCP client and its local (stdio) servers run, with the user\'s own files and credentials.' },
    ];
    if (this.remote) boundaries.push({ id: 'internet', name: 'Remote MCP servers', type: 'network', trust: 'untrusted', description: 'Servers reached over the network, run by whoever operates them.' });
    const m: ModelFile = {
      version: '1.0',
      system: {
        name: clip(`${clientNames.length === 1 ? (clientNames[0] ?? 'MCP client') : 'MCP clients'} with ${this.servers.length} MCP server${this.servers.length === 1 ? '' : 's'}`),
        description: clip(`Imported from ${files.length} MCP client configuration file${files.length === 1 ? '' : 's'} by maestro-tm import. The configuration tells which servers run and how; it does not tell what their tools do, who publishes them or which controls exist: review and complete the model.`),
      },
    };
    if (agents.length > 0) m.agents = agents;
    if (this.servers.length > 0) m.mcpServers = this.servers;
    if (this.channels.length > 0) m.channels = this.channels;
    if (this.dependencies.length > 0) m.dependencies = this.dependencies;
    m.boundaries = boundaries;
    return m;
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// The importer

export function formatOf(path: string, text: string): 'json' | 'yaml' {
  if (/\.ya?ml$/i.test(path)) return 'yaml';
  if (/\.jsonc?$/i.test(path)) return 'json';
  return /^\s*[{[]/.test(text) ? 'json' : 'yaml';
}

function readInputs(n: PNode | undefined, ctx: Context, b: Builder): void {
  if (n === undefined || n.t === 'null') return;
  if (n.t !== 'array') {
    b.warn(ctx, 'W_IMPORT_TYPE', `"inputs" should be a list, not ${describeNode(n)}: ignored`, 'write "inputs": [{"type": "promptString", "id": "...", "password": true}]', n.pos, n.pointer);
    return;
  }
  for (const item of n.items) {
    const id = text(child(item, 'id'));
    if (id === undefined) {
      b.warn(ctx, 'W_IMPORT_TYPE', 'an input without an "id" is ignored', 'each input needs an id that ${input:<id>} refers to', item.pos, item.pointer);
      continue;
    }
    ctx.inputs.set(id, scalar(child(item, 'password')) === true);
  }
}

export function importMcpConfigs(inputs: readonly ImportInput[], options: ImportOptions = {}): ImportResult {
  const b = new Builder(options.existingIds);
  const diagnostics: Diagnostic[] = [];
  const notes: ImportNote[] = [];
  const files: ImportFileReport[] = [];
  const imported: string[] = [];
  for (const input of inputs) {
    const file = input.path;
    const parsed = parseTreeText(input.text, file, formatOf(file, input.text));
    const fatal = parsed.diagnostics.filter((d) => d.severity === 'error');
    diagnostics.push(...parsed.diagnostics);
    if (!parsed.tree || fatal.length > 0) {
      files.push({ file, status: 'refused', elements: 0 });
      continue;
    }
    const found = locate(parsed.tree.root, file);
    if ('refuse' in found) {
      diagnostics.push({ ...diag('E_IMPORT_NOT_MCP', found.refuse, { hint: found.hint, line: parsed.tree.root.pos.line, column: parsed.tree.root.pos.column, pointer: '' }), file });
      files.push({ file, status: 'refused', elements: 0 });
      continue;
    }
    const byPath = clientFromPath(file);
    const byDialect = found.dialect === 'servers' || found.dialect === 'settings' ? 'vscode' : found.dialect === 'list' ? 'continue' : found.dialect === 'zed' ? 'zed' : 'generic';
    const c = client(byPath ?? byDialect);
    const ctx: Context = { file, client: c, dialect: found.dialect, diagnostics, notes, inputs: new Map() };
    if (c.reads !== undefined && (found.dialect === 'mcpServers' || found.dialect === 'servers') && c.reads !== found.dialect) {
      const top = entryOf(parsed.tree.root, found.dialect);
      b.warn(ctx, 'W_IMPORT_DIALECT', `${c.name} reads "${c.reads}", but this file uses "${found.dialect}": ${c.name} may ignore these servers (imported anyway)`, `rename the key to "${c.reads}" if ${c.name} should load them`, top?.keyPos ?? parsed.tree.root.pos, `/${found.dialect}`);
    }
    readInputs(found.inputs, ctx, b);
    let elements = 0;
    if (found.entries.length === 0) {
      b.warn(ctx, 'W_IMPORT_NO_SERVERS', 'the configuration declares no MCP servers', 'nothing to import from this file but the client itself', parsed.tree.root.pos, '');
      b.agentFor(ctx);
      elements = 1;
    }
    for (const e of found.entries.slice(0, MAX_SERVERS_PER_FILE)) elements += b.addServer(ctx, e);
    if (found.entries.length > MAX_SERVERS_PER_FILE) b.warn(ctx, 'W_IMPORT_LIMIT', `only the first ${MAX_SERVERS_PER_FILE} servers are imported`, 'split the configuration', parsed.tree.root.pos, '');
    files.push({ file, status: 'imported', dialect: `${c.name}, ${DIALECT_LABEL[found.dialect]}`, elements });
    imported.push(file);
  }
  if (imported.length === 0) return { diagnostics, notes, files };
  return { model: b.model(imported), diagnostics, notes, files };
}

/** Paths worth reading when a directory is imported. */
const WANTED = /(^|\/)(\.?mcp\.json|claude_desktop_config\.json|mcp_config\.json|cline_mcp_settings\.json|\.vscode\/settings\.json|\.continue\/mcpServers\/[^/]+\.(ya?ml|json)|\.continue\/config\.(ya?ml|json))$/i;

export const mcpConfigImporter: Importer = {
  id: 'mcp',
  aliases: ['mcp-config', 'mcp-json'],
  description: 'MCP client configurations: Claude Desktop, Cursor, Claude Code .mcp.json, VS Code (mcp.json, settings.json), Windsurf, Continue, Zed, generic mcp.json',
  detect(input) {
    const p = input.path.replace(/\\/g, '/');
    const head = input.text.slice(0, 65_536);
    let score = 0;
    if (WANTED.test(p) || /mcp/i.test(p.split('/').pop() ?? '')) score += 0.4;
    if (/["']?mcpServers["']?\s*:/.test(head)) score += 0.6;
    else if (/"servers"\s*:\s*\{/.test(head) && /"(command|url|type)"\s*:/.test(head)) score += 0.5;
    else if (/"mcp"\s*:\s*\{/.test(head) || /"context_servers"\s*:/.test(head)) score += 0.4;
    else if (/^\s*\{/.test(head) && /"(command|url)"\s*:/.test(head)) score += 0.2;
    return Math.min(1, score);
  },
  wantsPath(path) {
    return WANTED.test(path.replace(/\\/g, '/'));
  },
  import: importMcpConfigs,
};
