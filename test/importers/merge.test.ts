/** `import --merge`: the user's comments, edits and extra elements survive; facts from the source are updated. */
import { describe, expect, it } from 'vitest';
import { runImport } from '../../src/importers/index.js';
import { mergeImported, renderImportedModel } from '../../src/importers/write.js';
import { elementIds } from '../../src/importers/index.js';
import { loadModelText } from '../../src/model/load.js';
import type { ModelFile } from '../../src/model/schema.js';

const FILE = '.cursor/mcp.json';
const V1 = `{
  "mcpServers": {
    "git": { "command": "uvx", "args": ["mcp-server-git"] },
    "fetch": { "command": "uvx", "args": ["mcp-server-fetch"] }
  }
}`;
const V2 = `{
  "mcpServers": {
    "git": { "command": "uvx", "args": ["mcp-server-git==0.6.2"] },
    "docs": { "url": "https://docs.example.com/mcp" }
  }
}`;

function imported(text: string, existing?: string) {
  const ids = existing ? elementIds(loadModelText(existing, { file: 'm.yaml' }).model as ModelFile) : undefined;
  const r = runImport('mcp', [{ path: FILE, text }], ids ? { existingIds: ids } : {});
  expect(r.model).toBeDefined();
  return r;
}

describe('merge', () => {
  const first = imported(V1);
  const original = renderImportedModel(first.model as ModelFile, first.files, 'mcp');
  // The user edits the model by hand.
  const edited = original
    .replace('  name: Cursor with 2 MCP servers', '  name: My laptop setup   # renamed by me')
    .replace('  - id: git\n    name: git\n', '  - id: git\n    name: git\n    # reviewed on 2025-06-01\n    publisher: { name: MCP project, trust: vendor, verified: true }\n')
    .replace('    tags:\n      - unpinned-package\n', '    tags:\n      - unpinned-package\n      - reviewed\n')
    .concat('humans:\n  - id: me\n    role: developer   # the only user\n');

  it('the hand edits are really in the edited text (so the test can fail)', () => {
    expect(edited).toContain('# renamed by me');
    expect(edited).toContain('publisher: { name: MCP project');
    expect(edited).toContain('      - reviewed\n');
    expect(loadModelText(edited, { file: 'm.yaml' }).diagnostics).toEqual([]);
  });

  it('keeps comments, edits and extra elements; updates facts; adds and reports', () => {
    const second = imported(V2, edited);
    const m = mergeImported(edited, 'm.yaml', second.model as ModelFile, [FILE]);
    expect(m.text).toBeDefined();
    const text = m.text ?? '';
    // (The YAML library re-spaces inline comments on a structural edit: the text of each comment is kept.)
    expect(text).toMatch(/name: My laptop setup +# renamed by me/);
    expect(text).toContain('# reviewed on 2025-06-01');
    expect(text).toMatch(/role: developer +# the only user/);
    const model = loadModelText(text, { file: 'm.yaml' });
    expect(model.diagnostics).toEqual([]);
    const git = model.model?.mcpServers?.find((s) => s.id === 'git');
    expect(git?.publisher).toEqual({ name: 'MCP project', trust: 'vendor', verified: true });
    expect(git?.args).toEqual(['mcp-server-git==0.6.2']);
    expect(git?.package).toEqual({ name: 'mcp-server-git', registry: 'pypi', version: '0.6.2' });
    // The importer's tag is gone (now pinned); the user's own tag stays.
    expect(git?.tags).toEqual(['reviewed']);
    expect(model.model?.dependencies?.find((d) => d.id === 'git_package')?.package?.version).toBe('0.6.2');
    // The new remote server is added, with its grant on the agent.
    expect(model.model?.mcpServers?.map((s) => s.id)).toEqual(['git', 'fetch', 'docs']);
    expect(model.model?.agents?.[0]?.tools).toEqual(['git', 'fetch', 'docs']);
    expect(model.model?.boundaries?.map((b) => b.id)).toEqual(['workstation', 'internet']);
    expect(model.model?.humans?.[0]?.id).toBe('me');
    // fetch is no longer configured: kept, and reported.
    expect(m.diagnostics.map((d) => [d.code, d.pointer])).toEqual([
      ['W_IMPORT_GONE', '/mcpServers/1'],
      ['W_IMPORT_GONE', '/channels/1'],
      ['W_IMPORT_GONE', '/dependencies/1'],
    ]);
    expect(m.added).toBeGreaterThan(0);
    expect(m.updated).toBeGreaterThan(0);
  });

  it('merging the same import twice changes nothing the second time', () => {
    const again = imported(V1, original);
    const once = mergeImported(original, 'm.yaml', again.model as ModelFile, [FILE]);
    expect(once.text).toBe(original);
    expect([once.added, once.updated]).toEqual([0, 0]);
  });

  it('an imported id that the user used for another kind of element is not reused', () => {
    const mine = original.concat('humans:\n  - id: docs\n');
    const r = imported(V2, mine);
    expect(r.model?.mcpServers?.map((s) => s.id)).toEqual(['git', 'docs_2']);
    const m = mergeImported(mine, 'm.yaml', r.model as ModelFile, [FILE]);
    expect(loadModelText(m.text ?? '', { file: 'm.yaml' }).diagnostics).toEqual([]);
  });

  it('refuses to merge into an invalid model, writing nothing', () => {
    const m = mergeImported('version: "1.0"\nagents: 3\n', 'bad.yaml', first.model as ModelFile, [FILE]);
    expect(m.text).toBeUndefined();
    expect(m.diagnostics.some((d) => d.code === 'E_MERGE_INVALID')).toBe(true);
  });
});
