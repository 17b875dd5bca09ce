/**
 * The Flowise importer over the corpus flows (../shared/corpus/flowise: Agentflow v1 multi-agent and
 * sequential, Agentflow v2) and a hand-made chatflow without agents (refused with the reason).
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runImport } from '../../src/importers/index.js';
import type { AgentSpec, ModelFile } from '../../src/model/schema.js';

const CORPUS = new URL('../../../shared/corpus/flowise/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, CORPUS), 'utf8');
const agent = (m: ModelFile | undefined, id: string): AgentSpec | undefined => m?.agents?.find((a) => a.id === id);

describe.skipIf(!existsSync(CORPUS))('Flowise flows from the corpus', () => {
  it('v1 supervisor and workers: delegation, the supervisor model shared, chat input to the supervisor', () => {
    const r = runImport('flowise', [{ path: 'team.json', text: read('FlowiseAI__Flowise__agentflows-Software-Team.json') }]);
    expect(agent(r.model, 'supervisor')?.delegatesTo).toEqual(['code_reviewer', 'senior_software_engineer']);
    expect(agent(r.model, 'code_reviewer')).toMatchObject({ models: ['openai_gpt-4o'], acceptsFrom: ['supervisor'] });
    expect(r.model?.entryPoints?.[0]).toMatchObject({ target: 'supervisor', trust: 'untrusted' });
  });

  it('v1 retriever tool: the worker searches a vector store', () => {
    const r = runImport('flowise', [{ path: 'support.json', text: read('FlowiseAI__Flowise__agentflows-Customer-Support-Team-Agents.json') }]);
    expect(agent(r.model, 'support_representative')?.tools).toEqual(['search_docs']);
    expect(r.model?.memories?.[0]).toMatchObject({ id: 'pinecone_flowiseindex', type: 'vector-store' });
  });

  it('v2 human in the loop: the human approves, the e-mail tool is run on the LLM output', () => {
    const r = runImport('flowise', [{ path: 'hitl.json', text: read('FlowiseAI__Flowise__agentflowsv2-Human-In-The-Loop.json') }]);
    expect(agent(r.model, 'email_reply_agent')?.approvals).toEqual([{ action: 'its output, before the flow goes on', approver: 'flow_approver', mode: 'before' }]);
    expect(agent(r.model, 'email_subject_body')?.tools).toEqual(['send_email']);
    expect(r.model?.tools?.find((t) => t.id === 'send_email')).toMatchObject({ type: 'email', sideEffects: ['network-egress', 'send-message'] });
  });

  it('v2 iteration: the planner spawns sub-agents that browse the web', () => {
    const r = runImport('flowise', [{ path: 'deep.json', text: read('FlowiseAI__Flowise__agentflowsv2-Deep-Research-With-Subagents.json') }]);
    expect(agent(r.model, 'planner')).toMatchObject({ canSpawnAgents: true, spawns: ['subagent'] });
    expect(agent(r.model, 'subagent')?.tools).toEqual(['arxiv_search', 'googlecustomsearch', 'webscrapertool']);
    expect(r.model?.tools?.every((t) => t.accesses?.[0] === 'web')).toBe(true);
  });

  it('v2 loops: workers answer back to the supervisor', () => {
    const r = runImport('flowise', [{ path: 'sw.json', text: read('FlowiseAI__Flowise__agentflowsv2-Supervisor-Worker.json') }]);
    const ids = r.model?.channels?.map((c) => c.id) ?? [];
    expect(ids).toEqual(expect.arrayContaining(['supervisor_to_software_engineer', 'software_engineer_to_supervisor', 'code_reviewer_to_supervisor']));
  });
});

describe('Flowise flows made by hand', () => {
  it('a chatflow without agent nodes is refused with the reason', () => {
    const flow = { nodes: [{ id: 'chain_0', type: 'customNode', data: { id: 'chain_0', name: 'llmChain', label: 'LLM Chain', category: 'Chains', baseClasses: ['LLMChain'], inputs: {} } }], edges: [] };
    const r = runImport('auto', [{ path: 'chat.json', text: JSON.stringify(flow) }]);
    expect(r.model).toBeUndefined();
    expect(r.diagnostics[0]).toMatchObject({ code: 'E_IMPORT_FLOWISE_NO_AGENT', file: 'chat.json' });
    expect(r.diagnostics[0]?.message).toMatch(/no agent node.*"llmChain"/);
  });
});
