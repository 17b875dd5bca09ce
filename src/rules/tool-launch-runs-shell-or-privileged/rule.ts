import { defineRule } from '../../engine/types.js';
import type { Evidence } from '../../engine/types.js';
import { analyseLaunch, type LaunchFinding } from '../../model/launch.js';
import { elements, has, into, str, strings } from '../_helpers/index.js';
import { capEvidence } from '../_helpers/agents.js';

/** What each kind of launch finding means, for the message. */
const WHAT: Record<LaunchFinding['code'], string> = {
  shell: 'through a shell',
  'inline-code': 'with code written inline',
  'privileged-container': 'in a container that can reach the host',
  'broad-path': 'on a broad folder',
};

export default defineRule({
  meta: {
    id: 'tool-launch-runs-shell-or-privileged',
    title: 'Local tool or MCP server started through a shell, with inline code, or in a privileged container',
    threats: ['T11', 'T3'],
    appliesTo: ['tool', 'mcp-server'],
    severity: 'high',
    message: '{tool} is started {how}: {line}',
    placeholders: ['tool', 'how', 'line'],
    defences: ['agent-isolation', 'pinned-signed-tools', 'code-sandbox'],
    detectionLogic:
      'For each tool or MCP server with a command (a local, stdio process), read the command line it is started with, without running it: the command and its args (a command string holding several words is split into words first). It is reported when the command is a shell (sh, bash, zsh, cmd, powershell and the like) or the line holds shell syntax (; && | backquotes $( or a redirection), when an interpreter is given code inline (python -c, node -e, deno eval and the like, directly or behind a launcher such as uv run), or when docker run is given --privileged, a host namespace (--network, --pid, --ipc, --userns or --uts host) or a capability such as SYS_ADMIN. Shell code and inline code are a program nobody reviews or pins, which runs with the user\'s rights every time the client starts; anything injected into the configuration runs too. A privileged container is not a boundary. Several of these on one command line make one report. Broad folder arguments are the job of tool-broad-filesystem-access.',
    falsePositives:
      'A wrapper script kept in the repository and reviewed like code is a smaller risk than a line of shell in a client configuration; declare a pinned-signed-tools control on the element. A privileged container on a disposable sandbox host can be acceptable; declare an agent-isolation control on its deployment.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const kind of ['tool', 'mcp-server'] as const) {
      for (const t of elements(m, kind)) {
        const command = str(t.spec, 'command');
        if (command === undefined || command.trim() === '') continue;
        const args = strings(t.spec['args']);
        const launch = analyseLaunch(command, args);
        const found = launch.findings.filter((f) => f.code !== 'broad-path');
        if (found.length === 0) continue;
        const evidence: Evidence[] = [];
        for (const f of found) {
          // Indexes below fromCommand are words of the command string itself.
          const at = f.argIndex < launch.fromCommand ? -1 : f.argIndex - launch.fromCommand;
          evidence.push(at >= 0 && at < args.length ? has(m, t.i, ['args', at], args[at], f.message) : has(m, t.i, ['command'], command, f.message));
        }
        const line = [command, ...args].join(' ');
        const hows = [...new Set(found.map((f) => WHAT[f.code]))];
        ctx.report({
          at: t.i,
          also: into(m, t.i, 'invokes'),
          evidence: capEvidence(m, t.i, evidence),
          data: { tool: t.id, how: hows.join(' and '), line: line.length > 120 ? `${line.slice(0, 117)}...` : line },
        });
      }
    }
  },
});
