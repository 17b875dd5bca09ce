import { beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { crewaiImporter } from '../../src/importers/crewai/index.js';
import { prepareImporters, runImport, type ImportInput } from '../../src/importers/index.js';
import { renderImportedModel } from '../../src/importers/write.js';
import { validateData } from '../../src/model/load.js';
import type { AgentSpec, ModelFile } from '../../src/model/schema.js';

const CORPUS = '/work/shared/corpus/crewai';
const TRIP = 'test/importers/fixtures/crewai/trip_planner';

function walk(d: string): string[] {
  return statSync(d).isDirectory() ? readdirSync(d).sort().flatMap((n) => walk(join(d, n))) : [d];
}
function read(dir: string): ImportInput[] {
  return walk(dir).filter((p) => crewaiImporter.wantsPath(p)).map((p) => ({ path: p, text: readFileSync(p, 'utf8') }));
}
function agent(m: ModelFile, id: string): AgentSpec {
  const a = m.agents?.find((x) => x.id === id);
  if (!a) throw new Error(`no agent ${id}`);
  return a;
}
const refs = (a: AgentSpec): string[] => (a.tools ?? []).map((t) => (typeof t === 'string' ? t : t.ref));

beforeAll(async () => {
  await prepareImporters('crewai');
});

describe('CrewAI corpus: every project imports and validates', () => {
  // [project, agents, models, channels, entry points, warnings]
  const expected: [string, number, number, number, number, number][] = [
    ['Repello-AI__Agent-Wiz__echo_synth', 6, 1, 4, 2, 4],
    ['crewAIInc__crewAI-examples__game-builder-crew', 3, 1, 0, 0, 1],
    ['crewAIInc__crewAI-examples__job-posting', 3, 1, 0, 0, 1],
    ['crewAIInc__crewAI-examples__landing_page_generator', 4, 1, 0, 0, 1],
    ['crewAIInc__crewAI-examples__lead_score_flow-lead_score_crew', 1, 1, 0, 1, 0],
    ['crewAIInc__crewAI-examples__markdown_validator', 1, 1, 0, 0, 1],
    ['crewAIInc__crewAI-examples__marketing_strategy', 4, 1, 0, 0, 1],
    ['crewAIInc__crewAI-examples__match_profile_to_positions', 3, 1, 0, 0, 1],
    ['crewAIInc__crewAI-examples__meta_quest_knowledge', 1, 1, 0, 1, 0],
    ['crewAIInc__crewAI-examples__recruitment', 4, 1, 0, 0, 1],
    ['crewAIInc__crewAI-examples__screenplay_writer', 5, 1, 0, 0, 1],
    ['crewAIInc__crewAI-examples__stock_analysis', 3, 1, 0, 0, 1],
    ['crewAIInc__crewAI-examples__surprise_trip', 3, 1, 0, 0, 1],
    ['crewAIInc__crewAI-examples__write_a_book-write_book_chapter_crew', 2, 1, 1, 2, 0],
  ];

  it('covers every project folder of the corpus', () => {
    const dirs = readdirSync(CORPUS).filter((d) => statSync(join(CORPUS, d)).isDirectory()).sort();
    expect(dirs).toEqual(expected.map((e) => e[0]));
  });

  it.each(expected)('%s', (project, agents, models, channels, entries, warnings) => {
    const inputs = read(join(CORPUS, project));
    const r = runImport('crewai', inputs);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const m = r.model as ModelFile;
    expect(validateData(m).filter((d) => d.severity === 'error')).toEqual([]);
    expect([m.agents?.length ?? 0, m.models?.length ?? 0, m.channels?.length ?? 0, m.entryPoints?.length ?? 0]).toEqual([agents, models, channels, entries]);
    expect(r.diagnostics.filter((d) => d.severity === 'warning')).toHaveLength(warnings);
    expect(r.files.every((f) => f.status === 'imported')).toBe(true);
    for (const a of m.agents ?? []) expect(a.importedFrom?.file.startsWith(join(CORPUS, project))).toBe(true);
    // Deterministic: same input, same bytes.
    expect(renderImportedModel(runImport('crewai', inputs).model as ModelFile, r.files, 'crewai')).toBe(renderImportedModel(m, r.files, 'crewai'));
  });

  it('follows task order and the agent named by each task (write_book_chapter: writer after researcher)', () => {
    const r = runImport('crewai', read(join(CORPUS, 'crewAIInc__crewAI-examples__write_a_book-write_book_chapter_crew')));
    const [ch] = r.model?.channels ?? [];
    expect(ch?.from).not.toBe(ch?.to);
    expect(ch?.data?.[0]).toMatch(/^output of task /);
  });

  it('says when tasks name no agent, naming the file', () => {
    const r = runImport('crewai', read(join(CORPUS, 'crewAIInc__crewAI-examples__stock_analysis')));
    const w = r.diagnostics.find((d) => d.code === 'W_IMPORT_TASK_AGENT');
    expect(w?.file).toMatch(/stock_analysis\/tasks\.yaml$/);
    expect(w?.message).toMatch(/^4 tasks name no agent/);
  });
});

describe('CrewAI project with Python code (fixture)', () => {
  let m: ModelFile;
  let r: ReturnType<typeof runImport>;
  beforeAll(() => {
    r = runImport('crewai', read(TRIP));
    m = r.model as ModelFile;
  });

  it('validates and reports every file', () => {
    expect(validateData(m).filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.files.map((f) => f.file.split('/').pop())).toEqual(['agents.yaml', 'tasks.yaml', 'crew.py', 'booking.py']);
  });

  it('merges YAML agents with their @agent methods: tools, llm, code execution', () => {
    expect(refs(agent(m, 'city_scout'))).toEqual(['serperdevtool', 'scrapewebsitetool', 'npx_acme_maps-mcp']);
    const budget = agent(m, 'budget_planner');
    expect(refs(budget)).toEqual(['code_execution_unsafe', 'book_hotel', 'filereadtool']);
    expect(budget.budgets).toEqual({ maxIterations: 15 });
    const model = m.models?.find((x) => x.id === budget.models?.[0]);
    expect([model?.provider, model?.model, model?.pinned]).toEqual(['anthropic', 'claude-3-5-sonnet-20241022', true]);
    expect(agent(m, 'city_scout').models).toEqual(['gpt-4o-2024-08-06']);
    expect(agent(m, 'itinerary_writer').models).toEqual(['openai_default_model']);
  });

  it('gives tools their side effects: known classes, BaseTool subclasses and @tool functions', () => {
    const tool = (id: string) => m.tools?.find((t) => t.id === id);
    expect(tool('serperdevtool')?.sideEffects).toEqual(['network-egress', 'read']);
    expect(tool('filereadtool')?.name).toBe('FileReadTool (file_path=prices.csv)');
    expect(tool('book_hotel')?.sideEffects).toEqual(['payment', 'write']);
    expect(tool('save_itinerary')?.sideEffects).toEqual(['write']);
    expect(tool('code_execution_unsafe')).toMatchObject({ type: 'code-interpreter', sideEffects: ['execute-code'], tags: ['no-sandbox'] });
    expect(r.notes.map((n) => n.code)).toContain('I_UNSAFE_CODE_EXECUTION');
  });

  it('reads the MCP server behind MCPServerAdapter, without copying the secret', () => {
    const s = m.mcpServers?.[0];
    expect(s).toMatchObject({ command: 'npx', args: ['-y', '@acme/maps-mcp'], env: ['MAPS_API_KEY'], tags: ['secret-in-config', 'unpinned-package'] });
    expect(JSON.stringify(m)).not.toContain('sk-live-1234567890abcdef1234');
    expect(r.notes.filter((n) => n.code === 'I_SECRET_IN_FILE')[0]?.line).toBe(9);
  });

  it('hierarchical process: a manager delegates to every agent; context gives channels; memory is shared', () => {
    const mgr = agent(m, 'trip_planner_manager');
    expect(mgr.delegatesTo).toEqual(['city_scout', 'budget_planner', 'itinerary_writer']);
    expect(mgr.models).toEqual(['gpt-4o']);
    const pairs = (m.channels ?? []).map((c) => `${c.from}>${c.to}`);
    expect(pairs).toEqual(expect.arrayContaining(['city_scout>budget_planner', 'city_scout>itinerary_writer', 'budget_planner>itinerary_writer', 'budget_planner>city_scout']));
    expect(m.memories?.find((x) => x.id === 'trip_planner_memory')).toMatchObject({ type: 'long-term', persistence: 'persistent', isolation: 'shared' });
    expect(agent(m, 'city_scout').memory?.writes).toEqual(['trip_planner_memory']);
  });

  it('human_input → an approval; output_file → a file store; {placeholders} → entry points', () => {
    expect(agent(m, 'itinerary_writer').approvals).toEqual([{ action: 'result of task itinerary_task', approver: 'crew_operator', mode: 'after' }]);
    expect(agent(m, 'itinerary_writer').memory?.writes).toContain('file_itinerary.md');
    expect(m.entryPoints?.map((e) => e.target).sort()).toEqual(['budget_planner', 'city_scout']);
    expect(m.entryPoints?.find((e) => e.target === 'city_scout')?.description).toContain('{destination}, {end}, {start}');
  });

  it('warns, with file and line, about what cannot be resolved statically', () => {
    const w = r.diagnostics.find((d) => d.code === 'W_IMPORT_UNRESOLVED');
    expect(w).toMatchObject({ line: 39, severity: 'warning' });
    expect(w?.file).toMatch(/crew\.py$/);
    expect(w?.message).toContain('get_extra_tools');
  });

  it('YAML alone still imports the agents, with a warning for tools it cannot see', () => {
    const yamlOnly = read(TRIP).filter((i) => i.path.endsWith('.yaml'));
    const y = runImport('crewai', yamlOnly);
    expect(y.model?.agents?.map((a) => a.id)).toEqual(['city_scout', 'budget_planner', 'itinerary_writer']);
    expect(y.diagnostics.some((d) => d.code === 'W_IMPORT_TOOL_GUESSED' && d.line === 23)).toBe(true);
  });
});

describe('CrewAI bad input', () => {
  it('a YAML file that is not a CrewAI config is refused with a reason', () => {
    const r = runImport('crewai', [{ path: 'config.yaml', text: 'server:\n  port: 80\n' }]);
    expect(r.model).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toContain('E_IMPORT_NOT_CREWAI');
  });

  it('broken Python gives a warning with its line, and the rest still imports', () => {
    const r = runImport('crewai', [
      { path: 'p/config/agents.yaml', text: 'a:\n  role: A\n  goal: g\n  backstory: b\n' },
      { path: 'p/crew.py', text: 'from crewai import Agent\n\ndef a(:\n    return Agent(config=self.agents_config["a"], tools=[SerperDevTool()])\n' },
    ]);
    expect(r.model?.agents).toHaveLength(1);
    expect(r.diagnostics.find((d) => d.code === 'W_IMPORT_PYTHON_SYNTAX')?.line).toBe(3);
  });

  it('hostile text stays data: ids are safe, nothing is executed', () => {
    const r = runImport('crewai', [{ path: 'agents.yaml', text: '"__proto__":\n  role: "<script>alert(1)</script>"\n  goal: "{{7*7}} ${process.exit()}"\n  backstory: "\\u202e evil"\n' }]);
    const a = r.model?.agents?.[0];
    expect(a?.id).toBe('proto');
    expect(a?.role).toBe('<script>alert(1)</script>');
    expect(({} as Record<string, unknown>)['role']).toBeUndefined();
  });
});
