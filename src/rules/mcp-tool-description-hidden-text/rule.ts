import { defineRule } from '../../engine/types.js';
import type { Evidence } from '../../engine/types.js';
import { findInvisible } from '../../model/diagnostics.js';
import { isRecord } from '../../model/references.js';
import { elements, has, into } from '../_helpers/index.js';
import { capEvidence } from '../_helpers/agents.js';

/**
 * Phrases that address the model rather than describe a tool. Matched as data only: the text is
 * never interpreted, and only the matched phrase (cut to 80 characters) is echoed as evidence.
 */
const INSTRUCTION_PATTERNS: readonly RegExp[] = [
  /\b(ignore|disregard|forget)\s+(all\s+|any\s+)?(the\s+)?(previous|prior|above|earlier|other|system)\s+(instructions?|messages?|rules?|prompts?|tools?)/i,
  /\b(do\s+not|don't|never)\s+(tell|inform|mention|reveal|show|notify|alert)\b[^.\n]{0,40}\b(user|human|operator|anyone)\b/i,
  /<\s*\/?\s*(important|system|instructions?|secret|hidden|admin)\s*>/i,
  /\b(before|after)\s+(using|calling|invoking|running)\s+(this|any|the)\s+tool\b[^.\n]{0,30}\b(you\s+)?(must|should|need\s+to|have\s+to|first)\b/i,
  /(~\/\.ssh|id_rsa|id_ed25519|\.aws\/credentials|\/etc\/passwd|\.env\b|mcp\.json|\.cursor\/|\.netrc)/i,
  /\b(also|instead|secretly|silently|quietly)\s+(send|forward|email|copy|bcc|upload|post)\b/i,
  /\bwhen\s+this\s+tool\s+is\s+(available|present|loaded|installed)\b/i,
  /\b(system\s+prompt|developer\s+message|your\s+instructions)\b/i,
];

/** All the patterns in one alternation (they all use the i flag alone): it matches exactly when one of them does, in one pass. */
const ANY_INSTRUCTION = new RegExp(INSTRUCTION_PATTERNS.map((re) => `(?:${re.source})`).join('|'), 'i');

function findInstruction(text: string): string | undefined {
  if (!ANY_INSTRUCTION.test(text)) return undefined;
  for (const re of INSTRUCTION_PATTERNS) {
    const hit = re.exec(text);
    if (hit) return hit[0].slice(0, 80);
  }
  return undefined;
}

function inspect(text: string): string | undefined {
  const inv = findInvisible(text);
  if (inv) return `invisible character ${inv.codePoint}`;
  const phrase = findInstruction(text);
  return phrase === undefined ? undefined : `instruction-like phrase: ${phrase}`;
}

export default defineRule({
  meta: {
    id: 'mcp-tool-description-hidden-text',
    title: 'Tool or MCP tool description carries hidden characters or instructions aimed at the model',
    threats: ['BV-2', 'L1-tool-hijacking-via-prompt-injection', 'T6'],
    appliesTo: ['mcp-server', 'tool'],
    severity: 'high',
    message: '{element} has a tool description with {finding}',
    placeholders: ['element', 'finding'],
    defences: ['tool-definition-locking', 'input-guardrails'],
    detectionLogic:
      'Read, as inert data, the description of each tool and MCP server and the description and name of each tool an MCP server lists. Report invisible or formatting characters (zero-width, bidirectional controls, tag characters), and phrases that address the model instead of describing the tool: requests to ignore earlier instructions, to keep something from the user, pseudo tags such as IMPORTANT or SYSTEM in angle brackets, demands to do something before using the tool, paths of secret files (ssh keys, cloud credentials, env files, MCP client configuration), requests to also or secretly send data, conditions on other tools being present, and references to the system prompt. The severity is raised to critical when the tool is granted to an agent. Only the matched phrase is shown, never the whole text.',
    falsePositives:
      'A legitimate tool may mention a secret file path in its documentation (a key management server) or use a word such as important; read the flagged description before trusting or dismissing it. Descriptions that the model does not declare are not checked: list the tools with their descriptions as the server reports them.',
  },
  check(ctx) {
    const m = ctx.model;
    for (const kind of ['tool', 'mcp-server'] as const) {
      for (const t of elements(m, kind)) {
        const evidence: Evidence[] = [];
        const findings: string[] = [];
        const own = t.spec['description'];
        if (typeof own === 'string') {
          const f = inspect(own);
          if (f !== undefined) {
            findings.push(f);
            evidence.push(has(m, t.i, ['description'], undefined, f));
          }
        }
        const list = t.spec['tools'];
        if (Array.isArray(list)) {
          list.forEach((tool: unknown, k) => {
            if (!isRecord(tool)) return;
            for (const field of ['name', 'description'] as const) {
              const v = tool[field];
              if (typeof v !== 'string') continue;
              const inv = field === 'name' ? findInvisible(v) : undefined;
              const f = field === 'name' ? (inv ? `invisible character ${inv.codePoint} in the tool name` : undefined) : inspect(v);
              if (f === undefined) continue;
              findings.push(f);
              evidence.push(has(m, t.i, ['tools', k, field], undefined, f));
            }
          });
        }
        if (findings.length === 0) continue;
        const agents = into(m, t.i, 'invokes');
        ctx.report({
          at: t.i,
          also: agents,
          evidence: capEvidence(m, t.i, evidence),
          data: { element: t.id, finding: findings[0] ?? '' },
          ...(agents.length > 0 ? { severity: 'critical' as const } : {}),
        });
      }
    }
  },
});
