import { defineRule } from '../../engine/types.js';
import type { Evidence } from '../../engine/types.js';
import { isRecord } from '../../model/references.js';
import { elements, get, has, into, str, strings, type El } from '../_helpers/index.js';
import { capEvidence } from '../_helpers/agents.js';
import { breadth } from '../../model/launch.js';

const FS_TOOL_NAMES = new Set(['read_file', 'read_text_file', 'write_file', 'edit_file', 'list_directory', 'move_file', 'delete_file', 'read_multiple_files', 'create_directory']);

function pkgName(t: El): string {
  const v = get(t.spec, ['package', 'name']);
  return typeof v === 'string' ? v : '';
}

function isFilesystem(t: El): boolean {
  if (str(t.spec, 'type') === 'filesystem') return true;
  const hay = [str(t.spec, 'command') ?? '', pkgName(t), ...strings(t.spec['args'])].join(' ').toLowerCase();
  if (/file-?system|server-fs\b|\bfs-mcp|mcp-fs\b/.test(hay)) return true;
  const tools = t.spec['tools'];
  return Array.isArray(tools) && tools.some((x) => isRecord(x) && typeof x['name'] === 'string' && FS_TOOL_NAMES.has(x['name'].toLowerCase()));
}

export default defineRule({
  meta: {
    id: 'tool-broad-filesystem-access',
    title: 'File-system tool or server opened on a root, home or system folder',
    threats: ['T3', 'MAS-T45'],
    appliesTo: ['tool', 'mcp-server'],
    severity: 'high',
    message: '{tool} gives file access to {path}, which includes far more than the task needs',
    placeholders: ['tool', 'path'],
    defences: ['least-privilege-tool-scopes', 'agent-isolation'],
    detectionLogic:
      'For each tool of type filesystem, and each tool or MCP server that looks like a file-system server (command, package or arguments mention filesystem, or it lists tools such as read_file, write_file or list_directory), read the arguments it is started with. An argument that is a file-system root (a slash or a drive letter) is reported as critical; a home folder (a tilde, HOME or USERPROFILE, /home/name, /Users/name) or a top-level system folder (/etc, /var, /usr, /opt, /root, /home, /Users, and on macOS /private, /Library, /System) as high. Such paths hold SSH keys, cloud credentials, browser profiles and env files that no coding or document task needs.',
    falsePositives:
      'A server started in a container whose file system holds only the project sees a harmless root; declare an agent-isolation control on it. Paths passed some other way (a configuration file, an environment variable) are not seen.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const kind of ['tool', 'mcp-server'] as const) {
      for (const t of elements(m, kind)) {
        if (!isFilesystem(t)) continue;
        const args = t.spec['args'];
        if (!Array.isArray(args)) continue;
        const evidence: Evidence[] = [];
        let worst: 'root' | 'broad' | undefined;
        let path = '';
        args.forEach((arg: unknown, k) => {
          if (typeof arg !== 'string') return;
          const b = breadth(arg);
          if (b === undefined) return;
          evidence.push(has(m, t.i, ['args', k], arg, b === 'root' ? 'a file-system root' : 'a home or system folder'));
          if (worst !== 'root') {
            worst = b;
            path = arg;
          }
        });
        if (worst === undefined) continue;
        ctx.report({
          at: t.i,
          also: into(m, t.i, 'invokes'),
          evidence: capEvidence(m, t.i, evidence),
          data: { tool: t.id, path },
          ...(worst === 'root' ? { severity: 'critical' as const } : {}),
        });
      }
    }
  },
});
