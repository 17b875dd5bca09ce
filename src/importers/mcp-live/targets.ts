/**
 * The servers an MCP client configuration would start or reach, with the exact launch parameters
 * (command, arguments, env values, url, headers) needed to inspect them live. Pure: this reads the
 * configuration text; starting anything is src/io/mcp-live.ts, and only behind `--live`.
 *
 * Unlike the model, a target holds secret values (env, headers): it lives in memory for the launch
 * and is never written or printed. `shown` is the redacted form for confirmations and messages.
 */
import { quote } from '../../model/diagnostics.js';
import { child, str, text, scalar, parseTreeText, type PNode } from '../_source.js';
import type { ImportInput } from '../types.js';
import { formatOf, locate } from '../mcp-config/index.js';
import { splitWords } from '../../model/launch.js';
import { redactArgs, redactUrl } from '../mcp-config/secrets.js';

export type LiveTransport = 'stdio' | 'sse' | 'http' | 'streamable-http' | 'websocket';

export interface LiveTarget {
  /** The configuration file, as the import was given it. */
  readonly file: string;
  /** The server's name in the configuration. */
  readonly name: string;
  /** JSON pointer of its entry (matches importedFrom.pointer of the imported element). */
  readonly pointer: string;
  readonly line: number;
  readonly transport: LiveTransport;
  readonly command?: string;
  readonly args: readonly string[];
  /** Declared env, values as written (placeholders such as ${env:X} are resolved at launch). */
  readonly env: readonly { readonly name: string; readonly value: string }[];
  readonly cwd?: string;
  readonly url?: string;
  readonly headers: readonly { readonly name: string; readonly value: string }[];
  readonly disabled: boolean;
  /** Why it cannot be started as written (for example a command holding several words), if so. */
  readonly problem?: string;
  /** Redacted one-line description: the command line with env names, or the url with header names. */
  readonly shown: string;
}

const TRANSPORTS: Record<string, LiveTransport> = {
  stdio: 'stdio',
  local: 'stdio',
  sse: 'sse',
  http: 'http',
  remote: 'http',
  'streamable-http': 'streamable-http',
  streamablehttp: 'streamable-http',
  streamable_http: 'streamable-http',
  ws: 'websocket',
  websocket: 'websocket',
};

function pairs(n: PNode | undefined): { name: string; value: string }[] {
  if (n?.t !== 'object') return [];
  const out: { name: string; value: string }[] = [];
  for (const e of n.entries.slice(0, 500)) {
    const v = text(e.value);
    if (v !== undefined) out.push({ name: e.key, value: v });
  }
  return out;
}

/** A word as a shell user would read it, quoted when it holds spaces or quotes (display only). */
function shownWord(w: string): string {
  return /^[\w@%+=:,./~-]+$/.test(w) ? w : quote(w, 200);
}

/**
 * The variables of the user's environment that values draw on through ${env:NAME} or ${NAME}
 * (filled at launch): sorted, unique. Shown before anything starts, because a header such as
 * `Authorization: Bearer ${env:AWS_SECRET_ACCESS_KEY}` sends that secret to whoever runs the url.
 */
function fromEnvironment(values: readonly string[]): string[] {
  const names = new Set<string>();
  for (const v of values) for (const m of v.matchAll(/\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)\}/g)) if (m[1] !== undefined) names.add(m[1]);
  return [...names].sort();
}

/** Every server in the MCP configurations among `inputs` (files that are not MCP configurations are skipped). */
export function liveTargets(inputs: readonly ImportInput[]): LiveTarget[] {
  const out: LiveTarget[] = [];
  for (const input of inputs) {
    const parsed = parseTreeText(input.text, input.path, formatOf(input.path, input.text));
    if (!parsed.tree || parsed.diagnostics.some((d) => d.severity === 'error')) continue;
    const found = locate(parsed.tree.root, input.path);
    if ('refuse' in found) continue;
    for (const e of found.entries) {
      if (e.node.t !== 'object') continue;
      const node = e.node;
      let commandNode = child(node, 'command');
      let argsNode = child(node, 'args');
      let envNode = child(node, 'env');
      if (commandNode?.t === 'object') {
        const inner = commandNode;
        commandNode = child(inner, 'path');
        argsNode ??= child(inner, 'args');
        envNode ??= child(inner, 'env');
      }
      const command = str(commandNode)?.trim() || undefined;
      const url = str(child(node, 'url') ?? child(node, 'serverUrl') ?? child(node, 'httpUrl'));
      if (command === undefined && url === undefined) continue;
      let args: string[] = [];
      if (argsNode?.t === 'array') args = argsNode.items.slice(0, 500).map((a) => text(a) ?? '');
      else if (argsNode?.t === 'string') args = splitWords(argsNode.value as string);
      const declared = str(child(node, 'type') ?? child(node, 'transport'))?.toLowerCase().replace(/\s+/g, '');
      let transport: LiveTransport = declared !== undefined && Object.hasOwn(TRANSPORTS, declared) ? (TRANSPORTS[declared] ?? 'stdio') : command !== undefined ? 'stdio' : /\/sse\/?(\?|$)/i.test(url ?? '') ? 'sse' : 'http';
      if (transport === 'stdio' && command === undefined) transport = 'http';
      const env = pairs(envNode);
      const headers = pairs(child(node, 'headers') ?? child(child(node, 'requestOptions'), 'headers'));
      const cwd = str(child(node, 'cwd'));
      const disabled = scalar(child(node, 'disabled')) === true || scalar(child(node, 'enabled')) === false;
      let problem: string | undefined;
      let shown: string;
      if (transport === 'stdio' && command !== undefined) {
        if (/\s/.test(command)) problem = `"command" holds several words (${quote(command, 60)}): clients start it as one program name; put the arguments in "args"`;
        const redacted = redactArgs(args).args;
        shown = [command, ...redacted].map(shownWord).join(' ');
        if (env.length > 0) shown += `  (env: ${env.map((v) => v.name).join(', ')})`;
      } else {
        if (url === undefined) problem = `transport ${transport} but no "url"`;
        else if (!/^https?:\/\//i.test(url)) problem = `only http(s) servers can be inspected, not ${quote(url.split(':')[0] ?? '', 20)}`;
        else if (transport === 'websocket') problem = 'websocket servers cannot be inspected (the MCP SDK has no client for them)';
        shown = `${transport} ${url !== undefined ? redactUrl(url).url : '(no url)'}`;
        if (headers.length > 0) shown += `  (headers: ${headers.map((h) => h.name).join(', ')})`;
      }
      const drawn = fromEnvironment(transport === 'stdio' ? env.map((v) => v.value) : headers.map((h) => h.value));
      if (drawn.length > 0) shown += `  (${transport === 'stdio' ? 'given' : 'sent'} from your environment: ${drawn.join(', ')})`;
      out.push({
        file: input.path,
        name: e.name,
        pointer: e.pointer,
        line: e.pos.line,
        transport,
        ...(command !== undefined ? { command } : {}),
        args,
        env,
        ...(cwd !== undefined ? { cwd } : {}),
        ...(url !== undefined ? { url } : {}),
        headers,
        disabled,
        ...(problem !== undefined ? { problem } : {}),
        shown,
      });
    }
  }
  return out;
}
