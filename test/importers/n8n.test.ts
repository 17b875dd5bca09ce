/**
 * The n8n importer over the corpus workflows (../shared/corpus/n8n) and hand-made workflows: agents
 * with their models, tools, memories and triggers; agents reached through the main flow or through a
 * workflow tool; MCP nodes; and a workflow without AI refused with that reason.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runImport } from '../../src/importers/index.js';

const CORPUS = new URL('../../../shared/corpus/n8n/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, CORPUS), 'utf8');

describe.skipIf(!existsSync(CORPUS))('n8n workflows from the corpus', () => {
  it('a first AI agent: model, calendar tool, memory and the chat trigger', () => {
    const r = runImport('n8n', [{ path: 'demo.json', text: read('splx-ai__agentic-radar__demo-my-first-ai-agent.json') }]);
    const a = r.model?.agents?.[0];
    expect(a).toMatchObject({ id: 'ai_agent', framework: 'n8n', models: ['openai_model'], tools: ['google_calendar'], memory: { reads: ['memory'], writes: ['memory'] } });
    expect(r.model?.tools?.[0]).toMatchObject({ sideEffects: ['network-egress', 'read'], accesses: ['google_calendar_service'], tags: ['model-written-arguments'] });
    expect(r.model?.entryPoints?.[0]).toMatchObject({ target: 'ai_agent', source: 'chat_users', type: 'user-input' });
  });

  it('multi-agent: the primary agent delegates through a tool that runs this same workflow; SQL written by the model is noted', () => {
    const r = runImport('n8n', [{ path: 'multi.json', text: read('splx-ai__agentic-radar__multi-agent-database-system.json') }]);
    const primary = r.model?.agents?.find((x) => x.id === 'primary_agent');
    expect(primary?.delegatesTo).toEqual(['secondary_postgres_agent', 'secondary_quickchart_agent']);
    const sql = r.model?.tools?.find((t) => t.id === 'execute_sql_query');
    expect(sql).toMatchObject({ type: 'database', sideEffects: ['read', 'write'], accesses: ['postgres_database'] });
    expect(r.notes.some((n) => n.code === 'I_MODEL_WRITTEN_ARGUMENTS' && n.element === 'execute_sql_query' && n.message.includes('SQL'))).toBe(true);
  });

  it('MCP: the MCP Server Trigger exposes the tools wired into it, without authentication', () => {
    const r = runImport('n8n', [{ path: 'mcp.json', text: read('splx-ai__agentic-radar__personal-assistant-mcp.json') }]);
    const trigger = r.model?.mcpServers?.find((s) => s.id === 'mcp_server_trigger');
    expect(trigger?.tools).toHaveLength(9);
    expect(trigger).toMatchObject({ auth: 'none', tags: ['exposed-without-auth'], boundary: 'internet' });
    expect(r.model?.entryPoints?.some((e) => e.target === 'mcp_server_trigger' && e.trust === 'untrusted')).toBe(true);
    expect(r.model?.agents?.[0]?.tools).toEqual(['mcp_client']);
    expect(r.notes.some((n) => n.code === 'I_MCP_TRIGGER_NO_AUTH')).toBe(true);
  });

  it('a workflow without AI nodes is refused with that reason', () => {
    const r = runImport('n8n', [{ path: 'spotify.json', text: read('Repello-AI__Agent-Wiz__spotify.json') }]);
    expect(r.model).toBeUndefined();
    expect(r.diagnostics[0]).toMatchObject({ code: 'E_IMPORT_N8N_NO_AI', file: 'spotify.json' });
    expect(r.diagnostics[0]?.message).toMatch(/no AI node .*5 nodes/);
  });
});

describe('n8n workflows made by hand', () => {
  const node = (name: string, type: string, parameters: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({ name, type, typeVersion: 1, parameters, ...extra });
  it('a public webhook feeds agent A, whose output reaches agent B through an ordinary step; disabled nodes are skipped', () => {
    const wf = {
      name: 'chain',
      nodes: [
        node('Hook', 'n8n-nodes-base.webhook'),
        node('A', '@n8n/n8n-nodes-langchain.agent'),
        node('Set', 'n8n-nodes-base.set'),
        node('B', '@n8n/n8n-nodes-langchain.agent'),
        node('Old', '@n8n/n8n-nodes-langchain.agent', {}, { disabled: true }),
        node('Claude', '@n8n/n8n-nodes-langchain.lmChatAnthropic', { model: { __rl: true, value: 'claude-3-5-sonnet' } }),
      ],
      connections: {
        Hook: { main: [[{ node: 'A', type: 'main', index: 0 }]] },
        A: { main: [[{ node: 'Set', type: 'main', index: 0 }]] },
        Set: { main: [[{ node: 'B', type: 'main', index: 0 }]] },
        Claude: { ai_languageModel: [[{ node: 'A', type: 'ai_languageModel', index: 0 }, { node: 'B', type: 'ai_languageModel', index: 0 }]] },
      },
    };
    const r = runImport('auto', [{ path: 'w.json', text: JSON.stringify(wf) }]);
    expect(r.files[0]?.dialect).toBe('n8n workflow');
    expect(r.model?.agents?.map((a) => a.id)).toEqual(['a', 'b']);
    expect(r.model?.agents?.[1]?.acceptsFrom).toEqual(['a']);
    expect(r.model?.models).toHaveLength(1);
    expect(r.model?.models?.[0]).toMatchObject({ provider: 'anthropic', model: 'claude-3-5-sonnet' });
    expect(r.model?.entryPoints?.[0]).toMatchObject({ target: 'a', type: 'api', trust: 'untrusted' });
    expect(r.diagnostics.some((d) => d.code === 'W_N8N_DISABLED' && d.message.includes('"Old"'))).toBe(true);
  });

  it('not a workflow export: refused with the reason', () => {
    const r = runImport('n8n', [{ path: 'x.json', text: '{"nodes": {}}' }]);
    expect(r.diagnostics[0]).toMatchObject({ code: 'E_IMPORT_NOT_N8N' });
    expect(r.diagnostics[0]?.message).toContain('no "nodes" list');
  });
});
