import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { prepareImporters, runImport } from '../../src/importers/index.js';
import { renderImportedModel } from '../../src/importers/write.js';
import { validateData } from '../../src/model/load.js';
import type { AgentSpec, ModelFile } from '../../src/model/schema.js';

const FILE = 'test/importers/fixtures/openai-agents/triage_app.py';
const input = () => [{ path: FILE, text: readFileSync(FILE, 'utf8') }];
const refs = (a: AgentSpec | undefined): string[] => (a?.tools ?? []).map((t) => (typeof t === 'string' ? t : t.ref));

let r: ReturnType<typeof runImport>;
let m: ModelFile;
const agent = (id: string) => m.agents?.find((a) => a.id === id);

beforeAll(async () => {
  await prepareImporters('openai-agents');
  r = runImport('openai-agents', input());
  m = r.model as ModelFile;
});

describe('OpenAI Agents SDK (triage_app.py)', () => {
  it('validates, deterministically', () => {
    expect(validateData(m).filter((d) => d.severity === 'error')).toEqual([]);
    const again = runImport('openai-agents', input());
    expect(renderImportedModel(again.model as ModelFile, again.files, 'openai-agents')).toBe(renderImportedModel(m, r.files, 'openai-agents'));
    expect(m.agents?.map((a) => a.id)).toEqual(['spanish_agent', 'data_analyst', 'triage_agent']);
  });

  it('handoffs and agent.as_tool are delegation with channels', () => {
    expect(agent('triage_agent')?.delegatesTo).toEqual(['data_analyst', 'spanish_agent']);
    expect(m.channels?.find((c) => c.to === 'spanish_agent')).toMatchObject({ from: 'triage_agent', direction: 'one-way', data: ['conversation history'] });
    expect(m.channels?.find((c) => c.to === 'data_analyst')?.direction).toBe('bidirectional');
  });

  it('function tools, hosted tools and MCP servers are granted with their effects', () => {
    expect(refs(agent('triage_agent'))).toEqual(['deepwiki', 'get_weather', 'delete_account', 'websearchtool', 'filesearchtool', 'git', 'docs']);
    const tool = (id: string) => m.tools?.find((t) => t.id === id);
    expect(tool('delete_account')?.sideEffects).toContain('delete');
    expect(tool('websearchtool')?.sideEffects).toEqual(['network-egress', 'read']);
    expect(tool('codeinterpretertool')).toMatchObject({ type: 'code-interpreter', sideEffects: ['execute-code'] });
    const grant = agent('triage_agent')?.tools?.find((t) => typeof t !== 'string' && t.ref === 'deepwiki');
    expect(grant).toEqual({ ref: 'deepwiki', autoApprove: true });
    expect(m.mcpServers?.find((s) => s.id === 'git')).toMatchObject({ transport: 'stdio', command: 'uvx', tags: ['unpinned-package'] });
    expect(m.mcpServers?.find((s) => s.id === 'docs')).toMatchObject({ transport: 'streamable-http', tags: ['secret-in-config'] });
    expect(JSON.stringify(m)).not.toContain('sk-test-0123456789abcdef0123');
  });

  it('models: named, default, and an unresolvable one warned with its line', () => {
    expect(agent('spanish_agent')?.models).toEqual(['gpt-4.1-mini']);
    expect(agent('data_analyst')?.models).toEqual(['openai_default_model']);
    expect(agent('triage_agent')?.models).toBeUndefined();
    expect(r.diagnostics.find((d) => d.message.includes('dynamic_model_name'))).toMatchObject({ line: 71, severity: 'warning' });
  });

  it('guardrails are implemented controls; Runner.run is an entry point', () => {
    expect(m.controls).toEqual([expect.objectContaining({ pattern: 'input-guardrails', appliesTo: ['triage_agent'], status: 'implemented' })]);
    expect(m.entryPoints?.map((e) => e.target)).toEqual(['triage_agent']);
  });
});

describe('OpenAI Agents SDK bad input', () => {
  it('non-Python files are refused with a reason', () => {
    const x = runImport('openai-agents', [{ path: 'agents.json', text: '{}' }]);
    expect(x.model).toBeUndefined();
    expect(x.diagnostics.map((d) => d.code)).toContain('E_IMPORT_NOT_PYTHON');
  });

  it('an agent name that is not a literal is a warning, and the agent is still imported', () => {
    const x = runImport('openai-agents', [{ path: 'a.py', text: 'from agents import Agent\nbot = Agent(name=f"bot-{n}", instructions="hi")\n' }]);
    expect(x.model?.agents?.[0]?.id).toBe('bot');
    expect(x.diagnostics.find((d) => d.code === 'W_IMPORT_UNRESOLVED')?.line).toBe(2);
  });
});
