import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { prepareImporters, runImport, type ImportInput } from '../../src/importers/index.js';
import { renderImportedModel } from '../../src/importers/write.js';
import { validateData } from '../../src/model/load.js';
import type { AgentSpec, ModelFile } from '../../src/model/schema.js';

const DIR = 'test/importers/fixtures/langgraph';
const files = (...names: string[]): ImportInput[] => names.map((n) => ({ path: `${DIR}/${n}`, text: readFileSync(`${DIR}/${n}`, 'utf8') }));
const refs = (a: AgentSpec | undefined): string[] => (a?.tools ?? []).map((t) => (typeof t === 'string' ? t : t.ref));

let r: ReturnType<typeof runImport>;
let m: ModelFile;
const agent = (id: string) => m.agents?.find((a) => a.id === id);

beforeAll(async () => {
  await prepareImporters('langgraph');
  r = runImport('langgraph', files('research_supervisor.py', 'support_graph.py'));
  m = r.model as ModelFile;
});

describe('LangGraph StateGraph (support_graph.py)', () => {
  it('validates, deterministically', () => {
    expect(validateData(m).filter((d) => d.severity === 'error')).toEqual([]);
    const again = runImport('langgraph', files('research_supervisor.py', 'support_graph.py'));
    expect(renderImportedModel(again.model as ModelFile, again.files, 'langgraph')).toBe(renderImportedModel(m, r.files, 'langgraph'));
  });

  it('nodes that call a model are agents; create_react_agent nodes too; other nodes are steps', () => {
    expect(agent('triage')?.models).toEqual(['gpt-4o-mini']);
    expect(agent('support')?.models).toEqual(['gpt-4o-mini']);
    expect(agent('billing')?.models).toEqual(['gpt-4o']);
    expect(agent('billing')?.description).toContain('Never refund more than 100 EUR');
    expect(m.tools?.find((t) => t.id === 'log_ticket')?.description).toMatch(/^Graph step/);
  });

  it('routes to a ToolNode become tool grants; interrupt_before on it puts a human on those grants only', () => {
    const support = agent('support');
    expect(refs(support)).toEqual(['lookup_order', 'issue_refund', 'tavilysearchresults']);
    expect(support?.tools?.every((t) => typeof t !== 'string' && t.approval === 'human_reviewer')).toBe(true);
    // billing has issue_refund through its own agent loop, not through the interrupted node.
    expect(agent('billing')?.tools).toEqual(['issue_refund', 'send_email']);
    expect(m.tools?.find((t) => t.id === 'issue_refund')?.sideEffects).toContain('payment');
  });

  it('edges, Command(goto=...) and conditional routes become channels; START an entry point', () => {
    const pairs = (m.channels ?? []).map((c) => `${c.from}>${c.to}`);
    expect(pairs).toEqual(expect.arrayContaining(['triage>billing', 'triage>support', 'support>human_review', 'billing>human_review', 'human_review>log_ticket']));
    expect(pairs.some((p) => p.startsWith('tools>') || p.endsWith('>tools'))).toBe(false);
    expect(m.entryPoints?.map((e) => e.target)).toEqual(['triage']);
  });

  it('the checkpointer is a persistent memory the graph agents read and write', () => {
    const cp = m.memories?.find((x) => x.name?.includes('SqliteSaver'));
    expect(cp).toMatchObject({ type: 'short-term', persistence: 'persistent' });
    expect(agent('triage')?.memory?.writes).toContain(cp?.id);
  });

  it('an unresolvable route is a warning with its line', () => {
    const w = r.diagnostics.find((d) => d.code === 'W_IMPORT_UNRESOLVED' && d.message.includes('pick_route_dynamically'));
    expect(w).toMatchObject({ file: `${DIR}/support_graph.py`, line: 87, severity: 'warning' });
  });
});

describe('LangGraph supervisor, handoffs and MCP (research_supervisor.py)', () => {
  it('create_supervisor delegates to its agents, both ways', () => {
    expect(agent('supervisor')?.delegatesTo).toEqual(['researcher', 'coder']);
    expect(m.channels?.find((c) => c.from === 'supervisor' && c.to === 'coder')?.direction).toBe('bidirectional');
    expect(agent('supervisor')?.models).toEqual(['claude-3-7-sonnet-latest']);
    expect(m.models?.find((x) => x.id === 'claude-3-7-sonnet-latest')?.provider).toBe('anthropic');
  });

  it('a handoff tool is delegation to the agent it names', () => {
    expect(agent('coder')?.delegatesTo).toEqual(['researcher']);
    expect(refs(agent('coder'))).toEqual(['pythonrepltool']);
  });

  it('MultiServerMCPClient servers → MCP servers with launch findings, secrets redacted', () => {
    expect(refs(agent('researcher'))).toEqual(['filesystem', 'weather']);
    const fsrv = m.mcpServers?.find((s) => s.id === 'filesystem');
    expect(fsrv?.tags).toEqual(['broad-filesystem-argument', 'unpinned-package']);
    const weather = m.mcpServers?.find((s) => s.id === 'weather');
    expect(weather).toMatchObject({ transport: 'streamable-http', boundary: 'internet', tags: ['plain-http-remote', 'secret-in-config'] });
    expect(JSON.stringify(m)).not.toContain('abcdef0123456789abcdef0123456789');
  });

  it('the star import is a warning with its line', () => {
    expect(r.diagnostics.find((d) => d.code === 'W_IMPORT_STAR')).toMatchObject({ file: `${DIR}/research_supervisor.py`, line: 9 });
  });
});

describe('LangGraph bad input', () => {
  it('Python without agents is refused with a reason', () => {
    const x = runImport('langgraph', [{ path: 'a.py', text: 'import os\nprint(os.getcwd())\n' }]);
    expect(x.model).toBeUndefined();
    expect(x.diagnostics.map((d) => d.code)).toContain('E_IMPORT_NO_AGENTS');
  });

  it('garbage, binary and huge inputs give diagnostics, never an exception', () => {
    for (const text of ['', '\u0000\u0001', '(((((('.repeat(20_000), 'def f(:\n'.repeat(2_000), 'x = ' + '['.repeat(5_000), '"""' + 'a'.repeat(100_000)]) {
      expect(() => runImport('langgraph', [{ path: 'g.py', text }])).not.toThrow();
    }
    const big = runImport('langgraph', [{ path: 'big.py', text: 'x = 1\n'.repeat(400_000) }]);
    expect(big.diagnostics.some((d) => d.code === 'E_LIMIT_SIZE')).toBe(true);
  });

  it('deeply nested code is cut at the depth limit with a warning', () => {
    const deep = `from langgraph.prebuilt import create_react_agent\na = create_react_agent("openai:gpt-4o", tools=[])\nx = ${'f('.repeat(400)}1${')'.repeat(400)}\n`;
    const x = runImport('langgraph', [{ path: 'deep.py', text: deep }]);
    expect(x.model?.agents).toHaveLength(1);
    expect(x.diagnostics.some((d) => d.code === 'W_IMPORT_PYTHON_DEPTH')).toBe(true);
  });
});
