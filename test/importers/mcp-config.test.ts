/**
 * The MCP client-configuration importer over the real corpus (../shared/corpus/mcp-config) and over
 * hand-made fixtures: element counts per file, refusals with reasons, warnings with positions,
 * secrets never written, launch commands read correctly, and findings pointing at the file's lines.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runImport } from '../../src/importers/index.js';
import { renderImportedModel } from '../../src/importers/write.js';
import { analyseLaunch, breadth, parseNpmSpec, parsePySpec } from '../../src/model/launch.js';
import { isSecretName, looksLikeSecretValue, redactArgs, redactUrl, secretStorage } from '../../src/importers/mcp-config/secrets.js';
import { loadModelText, validateData } from '../../src/model/load.js';
import { resolveModel } from '../../src/model/resolve.js';
import { analyse } from '../../src/engine/analyse.js';
import { RULES } from '../../src/rules/index.js';
import { loadCatalogue } from '../../src/io/catalogue.js';
import type { ModelFile } from '../../src/model/schema.js';

const CORPUS = new URL('../../../shared/corpus/mcp-config/', import.meta.url);
const FIXTURES = new URL('./fixtures/', import.meta.url);

function importText(path: string, text: string) {
  return runImport('mcp', [{ path, text }]);
}
function importFile(dir: URL, name: string) {
  return importText(name, readFileSync(new URL(name, dir), 'utf8'));
}
function counts(m: ModelFile | undefined): [number, number, number, number] {
  return [m?.agents?.length ?? 0, m?.mcpServers?.length ?? 0, m?.channels?.length ?? 0, m?.dependencies?.length ?? 0];
}

/** file → [agents, MCP servers, channels, dependencies], or the refusal code. Checked by hand against each file. */
const EXPECTED: Record<string, [number, number, number, number] | string> = {
  '0GiS0__mcp-server-as-a-proxy__vscode-mcp.json': [1, 1, 1, 0],
  '0GiS0__youtube-mcp-server__vscode-mcp.jsonc-comments.json': [1, 2, 2, 0],
  '0x28F4__calorie-tracker-mcp__dot-mcp.json': [1, 1, 1, 0],
  '0x28F4__calorie-tracker-mcp__vscode-mcp.json': [1, 1, 1, 0],
  '0xJacky__nginx-ui__cursor-mcp.json': [1, 2, 2, 2],
  '0xobelisk__dubhe__cursor-mcp-nonstandard-tools.json': 'E_IMPORT_NOT_MCP',
  '12Knocksinna__Office365itpros__vscode-mcp.json': [1, 1, 1, 1],
  '1AQuantum__websee-mcp-server__claude_desktop_config.json': [1, 1, 1, 0],
  '1AQuantum__websee-mcp-server__cursor-mcp.json': [1, 1, 1, 0],
  '1AQuantum__websee-mcp-server__dot-mcp.json': [1, 1, 1, 0],
  '1AQuantum__websee-mcp-server__vscode-mcp.json': [1, 1, 1, 0],
  '1jehuang__jcode__cursor-mcp-servers-key.json': [1, 8, 8, 0],
  'AccelByte__ags-extend-sdk-mcp-server__claude_desktop_config.json': [1, 1, 1, 0],
  'Azure-Samples__remote-mcp-functions-python__vscode-mcp-2025-04-sse-headers.json': [1, 2, 2, 0],
  'Azure-Samples__remote-mcp-functions-python__vscode-mcp-2026-02-http-headers.json': [1, 2, 2, 0],
  'Azure-Samples__remote-mcp-functions-python__vscode-mcp.json': [1, 2, 2, 0],
  'Azure__azure-mcp__vscode-mcp.json': [1, 1, 1, 0],
  'continuedev__continue__continue-mcpServers-DeepWiki-malformed-type.json': [1, 1, 1, 0],
  'continuedev__continue__continue-mcpServers-continue-docs-mcp.yaml': [1, 1, 1, 0],
  'continuedev__continue__continue-mcpServers-linear-mcp.yaml': [1, 1, 1, 1],
  'getsentry__sentry-mcp__dot-mcp.json': [1, 3, 3, 0],
  'invariantlabs-ai__mcp-scan__test-client-invalid-mcp.json': 'E_IMPORT_NOT_MCP',
  'invariantlabs-ai__mcp-scan__test-client-mcp.json': [1, 4, 4, 0],
  'invariantlabs-ai__mcp-scan__test-configs-stdio.json': [1, 2, 2, 3],
  'invariantlabs-ai__mcp-scan__vscode-settings-empty-mcp.json': [1, 0, 0, 0],
  'invariantlabs-ai__mcp-scan__vscode-settings-multiple-transport.json': [1, 2, 2, 0],
  'invariantlabs-ai__mcp-scan__vscode-settings-without-mcp.json': 'E_IMPORT_NOT_MCP',
  'microsoft__vscode__vscode-mcp.json': [1, 1, 1, 0],
  'modelcontextprotocol__inspector__sample-config.json': [1, 3, 3, 1],
};

describe.skipIf(!existsSync(CORPUS))('MCP configurations from the corpus', () => {
  const files = existsSync(CORPUS) ? readdirSync(CORPUS).filter((f) => f !== 'SOURCES.md').sort() : [];

  it('the expectation table covers every corpus file', () => {
    expect(files).toEqual(Object.keys(EXPECTED).sort());
    expect(files.length).toBe(29);
  });

  it.each(files)('%s imports with the expected elements, or is refused with a reason', (name) => {
    const r = importFile(CORPUS, name);
    const want = EXPECTED[name];
    if (typeof want === 'string') {
      expect(r.model).toBeUndefined();
      const refusal = r.diagnostics.find((d) => d.code === want);
      expect(refusal?.severity).toBe('error');
      expect(refusal?.file).toBe(name);
      expect(refusal?.hint).toMatch(/mcpServers/);
      expect(r.files).toEqual([{ file: name, status: 'refused', elements: 0 }]);
      return;
    }
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(counts(r.model)).toEqual(want);
    // The model validates, and so does its YAML rendering once loaded back.
    expect(validateData(r.model).filter((d) => d.severity === 'error')).toEqual([]);
    const text = renderImportedModel(r.model as ModelFile, r.files, 'mcp');
    const loaded = loadModelText(text, { file: 'm.yaml' });
    expect(loaded.diagnostics).toEqual([]);
    // Every imported element says where it came from.
    for (const s of r.model?.mcpServers ?? []) {
      expect(s.importedFrom?.file).toBe(name);
      expect(s.importedFrom?.line).toBeGreaterThan(0);
    }
  });

  it('malformed parts are warnings with a position, not failures', () => {
    const deep = importFile(CORPUS, 'continuedev__continue__continue-mcpServers-DeepWiki-malformed-type.json');
    const w = deep.diagnostics.find((d) => d.code === 'W_IMPORT_TYPE');
    expect(w).toMatchObject({ severity: 'warning', line: 2, column: 11, pointer: '/type' });
    expect(deep.model?.mcpServers?.[0]).toMatchObject({ transport: 'http', url: 'https://mcp.deepwiki.com/mcp' });

    const cursorWithServers = importFile(CORPUS, '1jehuang__jcode__cursor-mcp-servers-key.json');
    expect(cursorWithServers.diagnostics.find((d) => d.code === 'W_IMPORT_DIALECT')).toMatchObject({ line: 2, column: 3 });

    const words = importFile(CORPUS, 'invariantlabs-ai__mcp-scan__test-client-mcp.json');
    expect(words.diagnostics.filter((d) => d.code === 'W_IMPORT_COMMAND_WORDS').map((d) => d.line)).toEqual([4, 8, 12]);
    const weather = words.model?.mcpServers?.find((s) => s.name === 'Weather');
    expect(weather).toMatchObject({ command: 'uv', args: ['run', 'python', 'tests/mcp_servers/weather_server.py'] });
    // A command that is a path with spaces is not split.
    expect(words.model?.mcpServers?.find((s) => s.name === 'Snyk')?.command).toBe('~/Library/Application Support/snyk/vscode-cli/snyk-macos-arm64');
    // Inline code behind a launcher is noticed.
    expect(words.notes.some((n) => n.code === 'I_INLINE_CODE' && n.element === 'invalid')).toBe(true);

    const empty = importFile(CORPUS, 'invariantlabs-ai__mcp-scan__vscode-settings-empty-mcp.json');
    expect(empty.diagnostics.map((d) => d.code)).toEqual(['W_IMPORT_NO_SERVERS']);
  });

  it('reads JSON with comments and trailing commas, VS Code inputs and transports', () => {
    const r = importFile(CORPUS, '0GiS0__youtube-mcp-server__vscode-mcp.jsonc-comments.json');
    const [remote, stdio] = r.model?.mcpServers ?? [];
    expect(remote).toMatchObject({ id: 'remote-mcp', transport: 'sse', url: 'http://localhost:3001/sse', boundary: 'workstation' });
    expect(stdio).toMatchObject({ id: 'stdio-mcp', transport: 'stdio', command: 'node', env: ['YOUTUBE_API_KEY'] });
    // The key is prompted by VS Code: a credential, but not one written in the file.
    expect(stdio?.credentials).toEqual([{ type: 'api-key', storage: 'unknown' }]);
    expect(r.notes.filter((n) => n.code === 'I_SECRET_IN_FILE')).toEqual([]);
    expect(r.model?.agents?.[0]).toMatchObject({ id: 'vscode_assistant', framework: 'VS Code', tools: ['remote-mcp', 'stdio-mcp'] });
  });

  it('remote servers: boundary, channel encryption, header auth', () => {
    const r = importFile(CORPUS, 'Azure-Samples__remote-mcp-functions-python__vscode-mcp-2026-02-http-headers.json');
    const [remote, local] = r.model?.mcpServers ?? [];
    expect(remote).toMatchObject({ transport: 'http', auth: 'api-key', boundary: 'internet' });
    expect(local).toMatchObject({ transport: 'http', boundary: 'workstation' });
    expect(r.model?.channels?.map((c) => [c.to, c.encryption, c.authentication])).toEqual([
      ['remote-mcp-function', 'tls', 'api-key'],
      ['local-mcp-function', 'none', 'unknown'],
    ]);
    expect(r.model?.boundaries?.map((b) => b.id)).toEqual(['workstation', 'internet']);
  });

  it('unpinned packages become dependencies the rules flag; pinned ones are not noted', () => {
    const r = importFile(CORPUS, '0xJacky__nginx-ui__cursor-mcp.json');
    expect(r.model?.dependencies?.map((d) => [d.id, d.package?.name, d.package?.version ?? null])).toEqual([
      ['eslint_package', '@eslint/mcp', 'latest'],
      ['context7_package', '@upstash/context7-mcp', null],
    ]);
    expect(r.notes.filter((n) => n.code === 'I_UNPINNED_PACKAGE').map((n) => n.line)).toEqual([5, 10]);
  });
});

describe('secrets are never written', () => {
  const name = 'secrets-claude_desktop_config.json';
  const SECRETS = ['ghp_FAKEfakeFAKEfake1234567890abcdefABCD', 'S3cr3tPassw0rd', 'BSAk3yF4k3V4lu3Zq9', 'qwertyQWERTY123456', 'sk-ant-FAKE0123456789abcdefghijk', 'tok_live_ABCDEFGH12345678'];
  const r = importFile(FIXTURES, name);

  it('the fixture really holds the secrets (so the test can fail)', () => {
    const raw = readFileSync(new URL(name, FIXTURES), 'utf8');
    for (const s of SECRETS) expect(raw).toContain(s);
  });

  it('not in the model, the YAML, the warnings, the notes or the analysis', () => {
    expect(r.model).toBeDefined();
    const yaml = renderImportedModel(r.model as ModelFile, r.files, 'mcp');
    const loaded = loadModelText(yaml, { file: 'm.yaml' });
    expect(loaded.diagnostics).toEqual([]);
    const analysis = analyse(resolveModel(loaded.model as ModelFile), loadCatalogue().catalogue, RULES, {}).analysis;
    const everything = [yaml, JSON.stringify(r), JSON.stringify(analysis)].join('\n');
    for (const s of SECRETS) expect(everything).not.toContain(s);
    expect(yaml).toContain('[redacted]');
  });

  it('each secret is a credential with where it is stored; placeholders are not hardcoded', () => {
    const by = (id: string) => r.model?.mcpServers?.find((s) => s.id === id);
    expect(by('github')?.credentials).toEqual([{ type: 'api-key', storage: 'hardcoded' }]);
    expect(by('github')?.env).toEqual(['GITHUB_PERSONAL_ACCESS_TOKEN']);
    expect(by('postgres')?.args).toEqual(['-y', '@modelcontextprotocol/server-postgres', 'postgresql://app:[redacted]@db.internal:5432/app']);
    expect(by('search')?.args).toEqual(['brave-search-mcp==1.0.2', '--api-key', '[redacted]']);
    expect(by('remote')?.url).toBe('https://mcp.example.com/mcp?api_key=[redacted]&x=1');
    expect(by('remote')?.auth).toBe('api-key');
    expect(by('docker')?.args).toContain('API_TOKEN=[redacted]');
    expect(by('prompted')?.credentials).toEqual([
      { type: 'api-key', storage: 'unknown' },
      { type: 'api-key', storage: 'env' },
    ]);
    const inFile = r.notes.filter((n) => n.code === 'I_SECRET_IN_FILE').map((n) => n.element);
    expect(new Set(inFile)).toEqual(new Set(['github', 'postgres', 'search', 'remote', 'docker']));
  });

  it('launch commands: shells, broad paths, containers, plain http, unpinned packages', () => {
    const codes = (id: string) => r.notes.filter((n) => n.element === id).map((n) => n.code).sort();
    expect(codes('shell')).toContain('I_SHELL');
    expect(codes('fs')).toEqual(['I_BROAD_PATH']);
    expect(codes('docker')).toEqual(['I_BROAD_PATH', 'I_SECRET_IN_FILE', 'I_UNPINNED_PACKAGE']);
    expect(codes('plain')).toEqual(['I_PLAIN_HTTP']);
    expect(codes('github')).toEqual(['I_SECRET_IN_FILE']); // pinned: 2025.4.8
    expect(codes('search')).toEqual(['I_SECRET_IN_FILE']); // pinned: ==1.0.2
    expect(codes('postgres')).toContain('I_UNPINNED_PACKAGE');
    const docker = r.model?.mcpServers?.find((s) => s.id === 'docker');
    expect(docker?.package).toEqual({ name: 'ghcr.io/acme/mcp', registry: 'docker', version: 'latest' });
    expect(docker?.tags).toEqual(['broad-filesystem-argument', 'secret-in-config', 'unpinned-package']);
  });

  it('findings on imported elements point at the configuration lines', () => {
    const analysis = analyse(resolveModel(r.model as ModelFile), loadCatalogue().catalogue, RULES, {}).analysis;
    const find = (id: string) => analysis.findings.find((f) => f.id === id);
    const fs = find('tool-broad-filesystem-access@fs');
    expect(fs?.severity).toBe('critical');
    expect(fs?.evidence[0]?.source).toEqual({ file: name, line: 24 });
    expect(find('credential-stored-insecurely@github')?.evidence[0]?.source).toEqual({ file: name, line: 7 });
    expect(find('dependency-unpinned@postgres_package')?.evidence[0]?.source).toEqual({ file: name, line: 11 });
    expect(find('dependency-container-image-unpinned@docker')?.evidence[0]?.source).toEqual({ file: name, line: 28 });
    expect(find('channel-unencrypted-across-boundary@claude_desktop_assistant_to_plain')?.evidence.some((e) => e.source?.line === 30)).toBe(true);
  });
});

describe('launch command parsing', () => {
  it('npm specs, PyPI specs and images', () => {
    expect(parseNpmSpec('@scope/pkg@1.2.3', 0)).toEqual({ name: '@scope/pkg', registry: 'npm', version: '1.2.3', argIndex: 0 });
    expect(parseNpmSpec('pkg', 1)).toEqual({ name: 'pkg', registry: 'npm', argIndex: 1 });
    expect(parseNpmSpec('./local.js', 0)).toBeUndefined();
    expect(parsePySpec('mcp-server-git==0.6.2', 0)).toMatchObject({ name: 'mcp-server-git', version: '0.6.2' });
    expect(parsePySpec('mcp[cli]>=1.0', 0)).toMatchObject({ name: 'mcp', version: '>=1.0' });
    expect(analyseLaunch('npx', ['-y', '--registry', 'https://r.example', 'pkg@latest']).pkg).toMatchObject({ name: 'pkg', version: 'latest', argIndex: 3 });
    expect(analyseLaunch('uvx', ['--from', 'tool==2.0.0', 'tool-cli']).pkg).toMatchObject({ name: 'tool', version: '2.0.0', registry: 'pypi' });
    expect(analyseLaunch('docker', ['run', '-i', '--rm', '-e', 'X', 'img@sha256:' + 'a'.repeat(64)]).pkg).toMatchObject({ name: 'img', version: 'sha256:' + 'a'.repeat(64) });
    expect(analyseLaunch('podman', ['run', '--network=host', 'img:1']).findings.map((f) => f.code)).toEqual(['privileged-container']);
  });

  it('shells and shell syntax, but not URLs with & or version ranges', () => {
    expect(analyseLaunch('bash', ['-lc', 'node x.js']).findings.map((f) => f.code)).toEqual(['shell']);
    expect(analyseLaunch('node', ['x.js', '&&', 'rm', '-rf', '/tmp/x']).findings.map((f) => f.code)).toContain('shell');
    expect(analyseLaunch('node', ['x.js', 'https://a.example/?a=1&b=2', 'pkg>=1']).findings).toEqual([]);
  });

  it('inline code is one finding: its ; is the language\'s, not shell syntax (elsewhere on the line it still counts)', () => {
    expect(analyseLaunch('python3', ['-c', 'import s; s.main()']).findings.map((f) => f.code)).toEqual(['inline-code']);
    expect(analyseLaunch('uv', ['run', 'python', '-c', 'import s; s.main()']).findings.map((f) => f.code)).toEqual(['inline-code']);
    expect(analyseLaunch('node', ['-e', 'run()', ';', 'rm', 'x']).findings.map((f) => f.code)).toEqual(['inline-code', 'shell']);
  });

  it('broad paths', () => {
    for (const p of ['/', 'C:\\', '~', '/Users/dev', '/home/dev/', '$HOME', '/etc']) expect(breadth(p), p).toBeDefined();
    for (const p of ['/Users/dev/project', './data', 'dist/index.js', '/home/dev/src']) expect(breadth(p), p).toBeUndefined();
  });

  it('secret detection and redaction', () => {
    expect(isSecretName('GITHUB_PERSONAL_ACCESS_TOKEN')).toBe(true);
    expect(isSecretName('x-functions-key')).toBe(true);
    expect(isSecretName('PROJECT_ROOT')).toBe(false);
    expect(isSecretName('KEYBOARD')).toBe(false);
    expect(looksLikeSecretValue('@microsoft/m365agentstoolkit-mcp@latest')).toBe(false);
    expect(looksLikeSecretValue('xoxb-123456789012-abcdefABCDEF')).toBe(true);
    expect(secretStorage('API_KEY', '${API_KEY}')).toBe('env');
    expect(secretStorage('API_KEY', '${input:key}')).toBe('unknown');
    expect(secretStorage('TOKEN', '${TOKEN:-ghp_FAKEfakeFAKEfake1234567890abcdefABCD}')).toBe('hardcoded');
    expect(secretStorage('BROWSER', 'chromium')).toBeUndefined();
    expect(redactArgs(['--token=abc123def456', '--port', '8080']).args).toEqual(['--token=[redacted]', '--port', '8080']);
    expect(redactUrl('https://u:p4ss@h.example/x?token=zzz&page=2').url).toBe('https://u:[redacted]@h.example/x?token=[redacted]&page=2');
  });
});

describe('dialects', () => {
  it('Continue YAML lists, Zed context_servers, Windsurf serverUrl, Cline alwaysAllow, disabled servers', () => {
    const zed = importText('zed/settings.json', '{"context_servers": {"git": {"command": {"path": "uvx", "args": ["mcp-server-git==1.0.0"]}}}}');
    expect(zed.model?.mcpServers?.[0]).toMatchObject({ command: 'uvx', package: { name: 'mcp-server-git', version: '1.0.0' } });
    expect(zed.model?.agents?.[0]?.id).toBe('zed_assistant');
    const ws = importText('.codeium/windsurf/mcp_config.json', '{"mcpServers": {"r": {"serverUrl": "https://r.example/mcp"}}}');
    expect(ws.model?.mcpServers?.[0]).toMatchObject({ transport: 'http', url: 'https://r.example/mcp' });
    expect(ws.model?.agents?.[0]?.framework).toBe('Windsurf');
    const cline = importText('cline_mcp_settings.json', '{"mcpServers": {"a": {"command": "node", "args": ["a.js"], "alwaysAllow": ["write_file"]}, "b": {"command": "node", "disabled": true}}}');
    expect(cline.model?.agents?.[0]?.tools).toEqual([{ ref: 'a', tools: ['write_file'], autoApprove: true }]);
    expect(cline.model?.mcpServers?.[1]?.tags).toEqual(['disabled']);
    expect(cline.model?.channels?.length).toBe(1);
  });

  it('skips bad entries with warnings and keeps the rest', () => {
    const r = importText('mcp.json', '{"mcpServers": {"ok": {"command": "node"}, "bad": 42, "none": {"env": {}}, "odd": {"command": "node", "args": "a b", "colour": 1}}}');
    expect(r.model?.mcpServers?.map((s) => s.id)).toEqual(['ok', 'odd']);
    expect(r.diagnostics.map((d) => d.code).sort()).toEqual(['W_IMPORT_SERVER_SKIPPED', 'W_IMPORT_SERVER_SKIPPED', 'W_IMPORT_TYPE', 'W_IMPORT_UNKNOWN_KEY']);
    expect(r.model?.mcpServers?.[1]?.args).toEqual(['a', 'b']);
  });

  it('ids are unique and safe whatever the server names are', () => {
    const r = importText('mcp.json', '{"mcpServers": {"__proto__": {"command": "a"}, "constructor": {"command": "b"}, "日本語": {"command": "c"}, "x": {"command": "d"}, "X": {"command": "e"}, "mcp_client": {"command": "f"}}}');
    const ids = r.model?.mcpServers?.map((s) => s.id) ?? [];
    expect(ids).toEqual(['proto', 'mcp_server', 'mcp_server_2', 'x', 'x_2', 'mcp_client_2']);
    expect(validateData(r.model).filter((d) => d.severity === 'error')).toEqual([]);
    expect(({} as Record<string, unknown>)['command']).toBeUndefined();
  });

  it('several files: one agent per client, ids never clash', () => {
    const r = runImport('mcp', [
      { path: '.cursor/mcp.json', text: '{"mcpServers": {"git": {"command": "uvx", "args": ["mcp-server-git"]}}}' },
      { path: '.vscode/mcp.json', text: '{"servers": {"git": {"command": "uvx", "args": ["mcp-server-git"]}}}' },
      { path: 'claude_desktop_config.json', text: '{"mcpServers": {"git": {"command": "uvx", "args": ["mcp-server-git"]}}}' },
    ]);
    expect(r.model?.agents?.map((a) => a.id)).toEqual(['cursor_assistant', 'vscode_assistant', 'claude_desktop_assistant']);
    expect(r.model?.mcpServers?.map((s) => s.id)).toEqual(['git', 'git_2', 'git_3']);
    expect(validateData(r.model).filter((d) => d.severity === 'error')).toEqual([]);
  });
});
