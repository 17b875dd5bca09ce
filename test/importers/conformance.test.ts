/**
 * The conformance suite every importer in the registry passes (CONVENTIONS: hono's common cases):
 * garbage in gives diagnostics, never an exception; whatever model comes out validates; output is
 * deterministic; no prototype pollution; limits hold on deep and huge inputs. A new importer joins by
 * being added to IMPORTERS; nothing here names a specific one.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeImportBytes, detectImporter, IMPORTERS, runImport, type ImportInput, type Importer } from '../../src/importers/index.js';
import { renderImportedModel } from '../../src/importers/write.js';
import { loadModelText, validateData } from '../../src/model/load.js';
import type { ModelFile } from '../../src/model/schema.js';

/** Keys that importers look for, so random documents reach past the first shape check. */
const KEYS = [
  'mcpServers', 'servers', 'mcp', 'inputs', 'command', 'args', 'env', 'url', 'type', 'headers', 'name', 'id', 'disabled', 'alwaysAllow',
  'context_servers', 'path', 'agents', 'tasks', 'tools', 'description', '__proto__', 'constructor', 'x', '',
];
const PATHS = ['mcp.json', '.vscode/mcp.json', 'claude_desktop_config.json', '.continue/mcpServers/a.yaml', 'settings.json', 'input.txt', 'agents.yaml'];

const scalar = fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('stdio', 'sse', 'http', 'npx', '-y', 'pkg@latest', '/', '~', '${input:x}', 'ghp_FAKEfakeFAKEfake1234567890abcdefABCD'));
const { doc } = fc.letrec<{ doc: unknown }>((tie) => ({
  doc: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('doc'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('doc'), { maxKeys: 5 }),
  ),
}));

function checkResult(importer: Importer | string, inputs: ImportInput[]): void {
  const format = typeof importer === 'string' ? importer : importer.id;
  const a = runImport(format, inputs);
  for (const d of a.diagnostics) {
    expect(typeof d.code).toBe('string');
    expect(typeof d.message).toBe('string');
    if (d.line !== undefined) expect(d.line).toBeGreaterThanOrEqual(1);
  }
  if (a.model) {
    expect(validateData(a.model).filter((d) => d.severity === 'error')).toEqual([]);
    const text = renderImportedModel(a.model, a.files, format);
    expect(loadModelText(text, { file: 'out.yaml' }).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    // Deterministic: the same input gives the same bytes.
    const b = runImport(format, inputs);
    expect(renderImportedModel(b.model as ModelFile, b.files, format)).toBe(text);
  }
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  expect(Object.keys(Object.prototype)).toEqual([]);
}

describe.each(IMPORTERS.map((i) => [i.id, i] as const))('importer %s conformance', (_id, importer) => {
  it('random text never throws; any model validates and renders deterministically', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PATHS), fc.string({ maxLength: 400 }), (path, text) => {
        checkResult(importer, [{ path, text }]);
      }),
      { numRuns: 150 },
    );
  });

  it('random documents shaped like configurations (JSON and YAML, wrong types everywhere)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PATHS), doc, fc.boolean(), (path, value, asYaml) => {
        const text = asYaml ? toYamlish(value) : JSON.stringify(value) ?? 'null';
        checkResult(importer, [{ path: asYaml ? path.replace(/\.json$/, '.yaml') : path, text }]);
      }),
      { numRuns: 300 },
    );
  });

  it('random bytes: decoded or refused, never a crash', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const d = decodeImportBytes('bytes.json', bytes);
        if (!d.input) {
          expect(d.diagnostics.length).toBeGreaterThan(0);
          return;
        }
        checkResult(importer, [d.input]);
      }),
      { numRuns: 150 },
    );
    const utf16 = decodeImportBytes('u.json', new Uint8Array([0xff, 0xfe, 0x7b, 0x00]));
    expect(utf16.diagnostics[0]?.code).toBe('E_ENCODING');
  });

  it('deep nesting is refused with a limit diagnostic (JSON and YAML)', () => {
    for (const [path, text] of [
      ['deep.json', '['.repeat(50_000)],
      ['deep.json', '{"mcpServers":'.repeat(5_000) + '1' + '}'.repeat(5_000)],
      ['deep.yaml', Array.from({ length: 200 }, (_, i) => `${' '.repeat(i)}a:`).join('\n')],
      ['deep.yaml', '['.repeat(50_000)],
    ] as const) {
      const r = runImport(importer.id, [{ path, text }]);
      expect(r.model).toBeUndefined();
      expect(r.diagnostics.some((d) => d.code === 'E_LIMIT_DEPTH' && d.file === path)).toBe(true);
    }
  });

  it('YAML aliases are not expanded (billion laughs) and tags are not resolved', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`), 'mcpServers: *j'].join('\n');
    const t0 = performance.now();
    const r = runImport(importer.id, [{ path: 'bomb.yaml', text: bomb }]);
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(r.diagnostics.some((d) => d.code === 'W_IMPORT_ALIAS')).toBe(true);
    const tagged = runImport(importer.id, [{ path: 't.yaml', text: 'mcpServers:\n  a: !!python/object:os.system {command: "x"}\n' }]);
    expect(tagged.diagnostics.some((d) => d.code === 'W_IMPORT_TAG' && d.line === 2)).toBe(true);
  });

  it('a huge input stays bounded in time and output', () => {
    const servers = Array.from({ length: 5_000 }, (_, i) => `"s${i}": {"command": "npx", "args": ["-y", "pkg${i}"], "env": {"K${i}": "v"}}`).join(',');
    const text = `{"mcpServers": {${servers}}, "servers": {${servers}}}`;
    const t0 = performance.now();
    const r = runImport(importer.id, [{ path: 'huge.json', text }]);
    expect(performance.now() - t0).toBeLessThan(20_000);
    if (r.model) expect(validateData(r.model).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('never throws on empty, whitespace, NUL and BOM inputs', () => {
    for (const text of ['', '   \n', '\u0000', '\ufeff{}', 'null', '[]', '"x"', '{"mcpServers": null}', '---\n---\n', '{', '}{']) {
      checkResult(importer, [{ path: 'e.json', text }]);
      checkResult(importer, [{ path: 'e.yaml', text }]);
    }
  });
});

describe('auto detection', () => {
  it('garbage is refused by auto with a clear reason, and never throws', () => {
    const r = runImport('auto', [{ path: 'notes.txt', text: 'just some notes' }]);
    expect(r.model).toBeUndefined();
    expect(r.diagnostics[0]?.code).toBe('E_IMPORT_UNKNOWN_FORMAT');
    fc.assert(
      fc.property(fc.constantFrom(...PATHS), fc.string({ maxLength: 200 }), (path, text) => {
        expect(() => detectImporter({ path, text })).not.toThrow();
        checkResult('auto', [{ path, text }]);
      }),
      { numRuns: 100 },
    );
  });

  it('an unknown format name is a diagnostic', () => {
    expect(runImport('nope', []).diagnostics[0]?.code).toBe('E_IMPORT_FORMAT');
  });
});

/** A crude YAML writer for random data (flow style), enough to feed the YAML path of importers. */
function toYamlish(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x)) ?? 'null';
}
