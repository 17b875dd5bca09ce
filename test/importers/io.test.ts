/** Reading import inputs: links inside folders are not followed, folders are walked within caps. */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readImportInputs } from '../../src/io/import.js';
import { mcpConfigImporter } from '../../src/importers/mcp-config/index.js';

const wants = (p: string) => mcpConfigImporter.wantsPath(p);
const CONFIG = '{"mcpServers": {"a": {"command": "node"}}}';

describe('readImportInputs', () => {
  it('walks a folder for configuration files, skips links and dependency folders, in a stable order', () => {
    const outside = mkdtempSync(join(tmpdir(), 'mtm-out-'));
    writeFileSync(join(outside, 'mcp.json'), '{"mcpServers": {"secret": {"command": "cat"}}}');
    const root = mkdtempSync(join(tmpdir(), 'mtm-imp-'));
    mkdirSync(join(root, '.vscode'));
    mkdirSync(join(root, '.cursor'));
    mkdirSync(join(root, 'node_modules', 'pkg'), { recursive: true });
    writeFileSync(join(root, '.vscode', 'mcp.json'), CONFIG);
    writeFileSync(join(root, '.mcp.json'), CONFIG);
    writeFileSync(join(root, 'node_modules', 'pkg', 'mcp.json'), CONFIG);
    writeFileSync(join(root, 'README.md'), '# not read');
    symlinkSync(join(outside, 'mcp.json'), join(root, '.cursor', 'mcp.json'));
    symlinkSync(outside, join(root, 'linked'));
    const r = readImportInputs([root], wants);
    expect(r.inputs.map((i) => i.path.slice(root.length))).toEqual(['/.mcp.json', '/.vscode/mcp.json']);
    expect(r.diagnostics.map((d) => [d.code, d.file?.slice(root.length)])).toEqual([['W_IMPORT_SYMLINK', '/.cursor/mcp.json']]);
    expect(r.inputs.some((i) => i.text.includes('secret'))).toBe(false);
  });

  it('caps file size and file count, and reports missing files', () => {
    const root = mkdtempSync(join(tmpdir(), 'mtm-cap-'));
    writeFileSync(join(root, 'big.json'), ' '.repeat(2048) + CONFIG);
    for (let i = 0; i < 5; i++) writeFileSync(join(root, `f${i}.json`), CONFIG);
    const big = readImportInputs([join(root, 'big.json')], wants, { maxFileBytes: 1024 });
    expect(big.inputs).toEqual([]);
    expect(big.diagnostics[0]?.code).toBe('E_LIMIT_SIZE');
    const many = readImportInputs([0, 1, 2, 3, 4].map((i) => join(root, `f${i}.json`)), wants, { maxFiles: 3 });
    expect(many.inputs.length).toBe(3);
    expect(many.diagnostics.map((d) => d.code)).toEqual(['W_IMPORT_LIMIT']);
    const missing = readImportInputs([join(root, 'nope.json')], wants);
    expect(missing.diagnostics[0]).toMatchObject({ code: 'E_FILE', message: 'file not found' });
  });
});
