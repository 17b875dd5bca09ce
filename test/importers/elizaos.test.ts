/**
 * The ElizaOS character importer over the corpus (../shared/corpus/elizaos-character) and a
 * hand-made character with secrets, plugins, clients and MCP servers: element counts per file,
 * secret values never written anywhere, plugins as tools plus unpinned npm dependencies, clients as
 * untrusted entry points that feed the character's memory.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runImport } from '../../src/importers/index.js';
import { renderImportedModel } from '../../src/importers/write.js';
import { validateData } from '../../src/model/load.js';
import { resolveModel } from '../../src/model/resolve.js';
import { analyse } from '../../src/engine/analyse.js';
import { RULES } from '../../src/rules/index.js';
import { loadCatalogue } from '../../src/io/catalogue.js';
import { sectionCounts } from './_interchange.js';
import type { ModelFile } from '../../src/model/schema.js';

const CORPUS = new URL('../../../shared/corpus/elizaos-character/', import.meta.url);

/** Section counts per corpus file, checked by hand against each character. */
const EXPECTED: Record<string, Record<string, number>> = {
  'elizaOS__characterfile__example.character.json': { agents: 1, memories: 2, boundaries: 1 },
  'elizaOS__characters__alfred.character.json': { agents: 1, models: 1, memories: 2, boundaries: 2 },
  'elizaOS__characters__c3po.character.json': { agents: 1, models: 1, memories: 2, boundaries: 2 },
  'elizaOS__characters__cosmosHelper.character.json': { agents: 1, models: 1, memories: 2, boundaries: 2 },
  'elizaOS__characters__dobby.character.json': { agents: 1, models: 1, memories: 2, boundaries: 2 },
  'elizaOS__characters__edriziai-info-edrizi.json': { agents: 1, models: 1, tools: 1, memories: 1, channels: 1, externalSystems: 1, dependencies: 1, boundaries: 2, entryPoints: 1 },
  'elizaOS__characters__eternalai.character.json': { agents: 1, models: 1, memories: 1, channels: 1, externalSystems: 1, boundaries: 2, entryPoints: 1 },
  'elizaOS__characters__lpmanager.character.json': { agents: 1, models: 1, memories: 2, boundaries: 2 },
  'elizaOS__characters__omniflix.character.json': { agents: 1, models: 1, tools: 1, memories: 2, channels: 1, externalSystems: 1, dependencies: 1, boundaries: 2, entryPoints: 1 },
  'elizaOS__characters__shaw.json': { agents: 1, models: 1, memories: 1, boundaries: 2 },
  'elizaOS__characters__snoop.json': { agents: 1, models: 1, memories: 2, boundaries: 2 },
};

describe.skipIf(!existsSync(CORPUS))('ElizaOS characters from the corpus', () => {
  const files = existsSync(CORPUS) ? readdirSync(CORPUS).filter((f) => f !== 'SOURCES.md').sort() : [];

  it('the expectation table covers every corpus file', () => {
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(files)('%s imports with the expected elements', (name) => {
    const text = readFileSync(new URL(name, CORPUS), 'utf8');
    const r = runImport('elizaos', [{ path: name, text }]);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(sectionCounts(r.model)).toEqual(EXPECTED[name]);
    expect(validateData(r.model).filter((d) => d.severity === 'error')).toEqual([]);
    expect(runImport('auto', [{ path: name, text }]).files[0]?.dialect).toMatch(/^ElizaOS character/);
  });

  it('the model provider becomes the model the character uses', () => {
    const r = runImport('elizaos', [{ path: 'c.json', text: readFileSync(new URL('elizaOS__characters__cosmosHelper.character.json', CORPUS), 'utf8') }]);
    const agent = r.model?.agents?.[0];
    expect(r.model?.models?.[0]).toMatchObject({ provider: 'groq', hosting: 'hosted-api' });
    expect(agent?.models).toEqual([r.model?.models?.[0]?.id]);
    expect(agent?.framework).toBe('ElizaOS');
  });
});

const SECRET_A = 'sk-proj-REALsecretVALUE0123456789abcdef';
const SECRET_B = 'xoxb-111111111111-222222222222-SECRETsecretSECRET';
const CHARACTER = JSON.stringify(
  {
    name: 'Trader',
    modelProvider: 'openai',
    clients: ['discord', 'twitter', 'carrier-pigeon'],
    plugins: ['@elizaos/plugin-evm', '@elizaos/plugin-mcp', '@elizaos/client-telegram'],
    settings: {
      model: 'gpt-4o',
      secrets: { OPENAI_API_KEY: SECRET_A, DISCORD_API_TOKEN: '', WALLET_PRIVATE_KEY: '${WALLET_KEY}' },
      slack: { bot_token: SECRET_B },
      mcp: { servers: { files: { type: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/'] } } },
    },
    bio: ['Trades tokens for the community.'],
    lore: [],
    system: 'You are a trader.',
  },
  null,
  2,
);

describe('a character with secrets, plugins, clients and MCP servers', () => {
  const r = runImport('elizaos', [{ path: 'trader.character.json', text: CHARACTER }]);
  const m = r.model as ModelFile;

  it('secret values are never written: model, notes, diagnostics', () => {
    const out = [renderImportedModel(m, r.files, 'elizaos'), JSON.stringify(r.notes), JSON.stringify(r.diagnostics)].join('\n');
    expect(out).not.toContain(SECRET_A);
    expect(out).not.toContain(SECRET_B);
    expect(out).not.toContain('WALLET_KEY}');
    const agent = m.agents?.[0] as Record<string, unknown> & { identity?: { credentials?: { type: string; storage?: string }[] } };
    expect(agent['x-elizaos']).toMatchObject({ secrets: ['DISCORD_API_TOKEN: REDACTED', 'OPENAI_API_KEY: REDACTED', 'WALLET_PRIVATE_KEY: REDACTED', 'slack.bot_token: REDACTED'] });
    expect(agent.identity?.credentials).toEqual([
      { type: 'api-key', storage: 'env' },
      { type: 'api-key', storage: 'hardcoded' },
      { type: 'private-key', storage: 'env' },
      { type: 'api-key', storage: 'hardcoded' },
    ]);
    expect(r.notes.filter((n) => n.code === 'I_SECRET_IN_FILE').map((n) => n.message)).toHaveLength(2);
    // credential-stored-insecurely turns the hardcoded ones into a finding.
    const findings = analyse(resolveModel(m), loadCatalogue().catalogue, RULES).analysis.findings;
    expect(findings.some((f) => f.rule === 'credential-stored-insecurely' && f.element === 'trader')).toBe(true);
  });

  it('plugins: a tool and an unpinned npm dependency each; client plugins are clients', () => {
    expect(m.tools?.map((t) => t.package?.name)).toEqual(['@elizaos/plugin-evm', '@elizaos/plugin-mcp']);
    expect(m.dependencies?.map((d) => [d.package?.name, d.package?.version])).toEqual([
      ['@elizaos/plugin-evm', undefined],
      ['@elizaos/plugin-mcp', undefined],
      ['@elizaos/client-telegram', undefined],
    ]);
    const findings = analyse(resolveModel(m), loadCatalogue().catalogue, RULES).analysis.findings;
    expect(findings.filter((f) => f.rule === 'dependency-unpinned')).toHaveLength(3);
    expect(m.mcpServers?.[0]).toMatchObject({ name: 'files', transport: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/'] });
    expect(m.agents?.[0]?.tools).toEqual([m.tools?.[0]?.id, m.tools?.[1]?.id, m.mcpServers?.[0]?.id]);
  });

  it('clients: untrusted platforms whose messages reach the character and its memory', () => {
    expect(m.externalSystems?.map((x) => x.id)).toEqual(['telegram_platform', 'discord_platform', 'twitter_platform', 'carrier-pigeon_platform']);
    expect(m.entryPoints?.every((e) => e.trust === 'untrusted' && e.target === 'trader' && e.type === 'user-input')).toBe(true);
    expect(m.memories?.[0]?.ingests).toEqual(m.entryPoints?.map((e) => e.id));
    expect(r.diagnostics.some((d) => d.code === 'W_ELIZA_CLIENT' && d.pointer === '/clients/2')).toBe(true);
    const rules = new Set(analyse(resolveModel(m), loadCatalogue().catalogue, RULES).analysis.findings.map((f) => f.rule));
    expect(rules).toContain('memory-written-from-untrusted-input');
  });

  it('a file that is not a character is refused with a reason', () => {
    const bad = runImport('elizaos', [{ path: 'x.json', text: '{"name": "x", "mcpServers": {}}' }]);
    expect(bad.model).toBeUndefined();
    expect(bad.diagnostics[0]).toMatchObject({ code: 'E_IMPORT_NOT_ELIZAOS', severity: 'error' });
    expect(bad.diagnostics[0]?.message).toMatch(/no character fields/);
  });
});
