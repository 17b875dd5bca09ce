/**
 * Side effects of a tool whose source code sits in a configuration file (AutoGen FunctionTool, 0.2
 * skills, Flowise custom functions). The code is only READ as text, with a few regular expressions
 * over the modules it imports and the calls it makes; it is never parsed into anything executable,
 * never evaluated and never run.
 */
import type { SideEffectName } from '../../model/schema.js';
import { inferEffects } from '../_python/knowledge.js';

/** Most characters of source code looked at. */
const MAX_CODE = 200_000;

const CODE_SIGNS: readonly [RegExp, SideEffectName][] = [
  [/\b(requests|httpx|aiohttp|urllib|http\.client|socket|websockets?|fetch\s*\(|axios|XMLHttpRequest|openai|anthropic)\b/, 'network-egress'],
  [/\b(subprocess|os\.system|os\.popen|os\.exec\w*|pty\.spawn|child_process|execSync|spawnSync)\b|\b(exec|eval)\s*\(/, 'execute-code'],
  [/\bopen\s*\([^)]*["'][wax]b?\+?["']|\.write_(text|bytes)\s*\(|\bshutil\.(copy|move)|\bfs\.(writeFile|appendFile)|\bos\.(makedirs|mkdir|rename)\b/, 'write'],
  [/\bos\.(remove|unlink|rmdir)\b|\bshutil\.rmtree\b|\bfs\.(unlink|rm|rmdir)\b/, 'delete'],
  [/\b(smtplib|sendmail|slack_sdk|twilio|send_message|sendgrid)\b/, 'send-message'],
  [/\b(stripe|paypal)\b/, 'payment'],
  [/\b(web3|eth_account|solana|solders)\b/, 'blockchain-transaction'],
];

/** Effects suggested by the name and description, plus what the source text shows (imports and calls). */
export function effectsOfCode(name: string, description: string, code: string | undefined, imports: readonly string[] = []): SideEffectName[] {
  // The name says what the tool is for; long descriptions add more noise than signal, so only their first sentence counts.
  const out = new Set<SideEffectName>(inferEffects(name, description.trim().split(/[.\n]/)[0] ?? ''));
  if (/search|fetch|scrape|crawl|browse|download|lookup/i.test(name)) out.add('read');
  const text = `${imports.map((m) => `import ${m}`).join('\n')}\n${(code ?? '').slice(0, MAX_CODE)}`;
  for (const [re, effect] of CODE_SIGNS) if (re.test(text)) out.add(effect);
  return [...out].sort();
}

/** Module names from an AutoGen `global_imports` list: "os", {"module": "typing", "imports": [...]}. */
export function moduleNames(items: readonly (string | undefined)[]): string[] {
  return [...new Set(items.filter((m): m is string => m !== undefined && m.trim() !== '').map((m) => m.trim().slice(0, 200)))].sort();
}
