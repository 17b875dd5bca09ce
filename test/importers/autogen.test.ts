/**
 * The AutoGen importer: AutoGen Studio team / agent / gallery specs (0.4+) and 0.2 workflows from the
 * corpus, plus hand-made specs for what the corpus lacks (Swarm handoffs, no limits, secrets, refusals).
 * Tool source code is read as text: it never reaches the model, and secrets never reach any output.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runImport } from '../../src/importers/index.js';
import { renderImportedModel } from '../../src/importers/write.js';
import type { AgentSpec, ModelFile } from '../../src/model/schema.js';

const CORPUS = new URL('../../../shared/corpus/autogen/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, CORPUS), 'utf8');
const agent = (m: ModelFile | undefined, id: string): AgentSpec | undefined => m?.agents?.find((a) => a.id === id);

function component(provider: string, type: string, config: Record<string, unknown>, label?: string): Record<string, unknown> {
  return { provider, component_type: type, version: 1, ...(label !== undefined ? { label } : {}), config };
}
const model = (extra: Record<string, unknown> = {}) => component('autogen_ext.models.openai.OpenAIChatCompletionClient', 'model', { model: 'gpt-4o', ...extra });
const assistant = (name: string, extra: Record<string, unknown> = {}) => component('autogen_agentchat.agents.AssistantAgent', 'agent', { name, model_client: model(), ...extra });

describe.skipIf(!existsSync(CORPUS))('AutoGen files from the corpus', () => {
  it('a RoundRobin team: the agent, its model, its FunctionTool and the limits of the termination condition', () => {
    const r = runImport('autogen', [{ path: 'team.json', text: read('microsoft__autogen__ags-team.json') }]);
    const a = agent(r.model, 'assistant_agent');
    expect(a).toMatchObject({ framework: 'AutoGen', models: ['openai_gpt-4o-mini'], tools: ['calculator'], prompt: { source: 'inline' } });
    expect(a?.budgets).toEqual({ maxToolCalls: 1, maxIterations: 10 });
    expect(r.model?.tools?.[0]).toMatchObject({ id: 'calculator', transport: 'in-process', tags: ['source-in-config'] });
    // The source code is read, never copied.
    const text = renderImportedModel(r.model as ModelFile, r.files, 'autogen');
    expect(read('microsoft__autogen__ags-team.json')).toContain('def calculator');
    expect(text).not.toContain('def calculator');
    expect(r.model?.entryPoints?.[0]).toMatchObject({ target: 'assistant_agent', type: 'user-input' });
  });

  it('a gallery: every team with its own participants, selectors, MCP workbenches, local code execution; secrets not copied', () => {
    const src = read('microsoft__autogen__ags-default_gallery.json');
    const r = runImport('autogen', [{ path: 'gallery.json', text: src }]);
    const m = r.model;
    const sel = agent(m, 'deep_research_team.deep_research_team_selector');
    expect(sel?.delegatesTo).toEqual(['deep_research_team.research_assistant', 'deep_research_team.verifier', 'deep_research_team.summary_agent']);
    expect(agent(m, 'deep_research_team.research_assistant')?.tools).toEqual(['google_search', 'fetch_webpage']);
    expect(m?.tools?.find((t) => t.id === 'fetch_webpage')).toMatchObject({ sideEffects: ['network-egress', 'read'], accesses: ['web'] });
    expect(m?.tools?.find((t) => t.type === 'code-interpreter')).toMatchObject({ sideEffects: ['execute-code', 'network-egress', 'write'], tags: ['local-code-execution'] });
    expect(m?.humans?.map((h) => h.id)).toContain('web_agent_team_operator.user_proxy');
    const fetch = m?.mcpServers?.find((s) => s.command === 'uvx');
    expect(fetch).toMatchObject({ transport: 'stdio', package: { name: 'mcp-server-fetch', registry: 'pypi' }, tags: ['unpinned-package'] });
    const http = m?.mcpServers?.find((s) => s.transport === 'streamable-http');
    expect(http?.credentials).toEqual([{ type: 'oauth-token', storage: 'hardcoded' }]);
    expect(r.notes.map((n) => n.code)).toEqual(expect.arrayContaining(['I_SECRET_IN_FILE', 'I_LOCAL_CODE_EXECUTION', 'I_UNPINNED_PACKAGE']));
    expect(r.diagnostics.some((d) => d.code === 'W_AUTOGEN_GALLERY_SKIPPED' && d.message.includes('terminations'))).toBe(true);
    const text = renderImportedModel(m as ModelFile, r.files, 'autogen') + JSON.stringify(r.notes) + JSON.stringify(r.diagnostics);
    expect(src).toContain('Bearer your-api-key');
    expect(text).not.toContain('your-api-key');
    expect(text).not.toContain('**********');
  });

  it('a 0.2 workflow: the user proxy runs code locally, the group chat manager picks speakers', () => {
    const r = runImport('autogen', [{ path: 'wf.json', text: read('microsoft__autogen__ags-v0.2-travel_groupchat.json') }]);
    expect(agent(r.model, 'user_proxy')).toMatchObject({ framework: 'AutoGen 0.2', autonomy: 'full', tools: ['user_proxy_code_execution'], delegatesTo: ['travel_groupchat'] });
    expect(agent(r.model, 'travel_groupchat')?.delegatesTo).toEqual(['user_proxy', 'planner_assistant', 'local_assistant', 'language_assistant']);
    expect(r.files[0]?.dialect).toBe('AutoGen Studio 0.2 workflow');
  });
});

describe('AutoGen specs made by hand', () => {
  it('Swarm handoffs become delegation; a team without limits is noted', () => {
    const team = component('autogen_agentchat.teams.Swarm', 'team', { participants: [assistant('triage', { handoffs: ['refunds', { target: 'ghost' }] }), assistant('refunds')] }, 'Support');
    const r = runImport('autogen', [{ path: 'swarm.json', text: JSON.stringify(team) }]);
    expect(agent(r.model, 'triage')?.delegatesTo).toEqual(['refunds']);
    expect(r.diagnostics.some((d) => d.code === 'W_AUTOGEN_HANDOFF' && d.message.includes('ghost'))).toBe(true);
    expect(r.notes.some((n) => n.code === 'I_UNBOUNDED_RUN')).toBe(true);
    expect(agent(r.model, 'triage')?.tags).toEqual(['no-run-limit']);
  });

  it('a hardcoded api_key is recorded as a credential, never copied', () => {
    const key = 'sk-proj-ABCDEFGHIJKLMNOPQRSTUVWXyz0123456789';
    const spec = assistant('bot', { model_client: model({ api_key: key }) });
    const r = runImport('autogen', [{ path: 'agent.json', text: JSON.stringify(spec) }]);
    expect(agent(r.model, 'bot')?.identity?.credentials).toEqual([{ type: 'api-key', storage: 'hardcoded' }]);
    const all = renderImportedModel(r.model as ModelFile, r.files, 'autogen') + JSON.stringify(r);
    expect(all).not.toContain(key);
    expect(r.notes.some((n) => n.code === 'I_SECRET_IN_FILE')).toBe(true);
  });

  it('tool effects come from the name and the imports, read as text', () => {
    const tool = component('autogen_core.tools.FunctionTool', 'tool', { name: 'cleanup', description: 'tidy', source_code: 'import shutil\ndef cleanup(p):\n    shutil.rmtree(p)\n    subprocess.run(["ls"])\n', global_imports: ['shutil', 'subprocess'] });
    const r = runImport('autogen', [{ path: 'a.json', text: JSON.stringify(assistant('janitor', { tools: [tool] })) }]);
    expect(r.model?.tools?.[0]?.sideEffects).toEqual(['delete', 'execute-code']);
    expect(r.model?.tools?.[0]?.type).toBe('code-interpreter');
  });

  it('files that are not AutoGen teams or agents are refused with the reason', () => {
    const lone = runImport('autogen', [{ path: 'm.json', text: JSON.stringify(model()) }]);
    expect(lone.model).toBeUndefined();
    expect(lone.diagnostics[0]).toMatchObject({ code: 'E_IMPORT_NOT_AUTOGEN', file: 'm.json' });
    expect(lone.diagnostics[0]?.message).toMatch(/single AutoGen model.*no agent/);
    const other = runImport('autogen', [{ path: 'x.json', text: '{"mcpServers": {}}' }]);
    expect(other.diagnostics[0]?.message).toMatch(/not an AutoGen team.*"mcpServers"/);
  });

  it('auto recognises a team spec and nothing else claims it', () => {
    const r = runImport('auto', [{ path: 'anything.json', text: JSON.stringify(component('autogen_agentchat.teams.RoundRobinGroupChat', 'team', { participants: [assistant('a'), assistant('b')] })) }]);
    expect(r.files[0]?.dialect).toBe('AutoGen team (RoundRobinGroupChat)');
    expect(r.model?.channels?.map((c) => c.id)).toEqual(['a_to_b', 'autogen_user_to_a']);
  });
});
