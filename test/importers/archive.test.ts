/**
 * Importing from archives (.zip, .tar, .tar.gz): read in memory like a folder, with hostile entries
 * (traversal, absolute names, links, bombs, lying headers, too many entries, garbage) refused with
 * diagnostics that name them (HOSTILE-INPUTS I1).
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { gzipSync, strToU8, zipSync, type Zippable, type ZipAttributes } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { readArchive, type ArchiveKind } from '../../src/io/archive.js';
import { readImportInputs } from '../../src/io/import.js';
import { crewaiImporter } from '../../src/importers/crewai/index.js';
import { IMPORTERS, prepareImporters, runImport } from '../../src/importers/index.js';
import type { Diagnostic } from '../../src/model/diagnostics.js';
import { main } from '../../src/cli/main.js';

const TRIP = 'test/importers/fixtures/crewai/trip_planner';
const MTIME = new Date('2024-01-01T00:00:00Z');
const AGENTS = 'researcher:\n  role: Researcher\n  goal: Find things\n  backstory: Curious\n';
const wantsAny = (p: string): boolean => IMPORTERS.some((i) => i.wantsPath(p));
const wantsCrew = (p: string): boolean => crewaiImporter.wantsPath(p);

const tmp = mkdtempSync(join(tmpdir(), 'mtm-archive-'));
let n = 0;
function save(bytes: Uint8Array, ext: string): string {
  const p = join(tmp, `a${n++}${ext}`);
  writeFileSync(p, bytes);
  return p;
}

type Files = Record<string, string | Uint8Array | [string | Uint8Array, ZipAttributes]>;
function zip(files: Files, level: 0 | 6 = 6): Uint8Array {
  const z: Zippable = {};
  for (const [name, v] of Object.entries(files)) {
    const [body, attrs] = Array.isArray(v) ? v : [v, {}];
    z[name] = [typeof body === 'string' ? strToU8(body) : body, { mtime: MTIME, level, ...attrs }];
  }
  return zipSync(z);
}

/** A minimal tar writer: one 512-byte ustar header per entry, data padded to 512 bytes, two zero blocks at the end. */
interface TarEntry {
  name: string;
  body?: string | Uint8Array;
  type?: string;
  link?: string;
}
function tarHeader(name: string, size: number, type: string, link = ''): Uint8Array {
  const h = new Uint8Array(512);
  const put = (at: number, s: string): void => h.set(strToU8(s).subarray(0, Math.max(0, s.length)), at);
  const nameBytes = strToU8(name);
  if (nameBytes.length > 100) throw new Error('test tar writer: name too long for the name field');
  h.set(nameBytes, 0);
  put(100, '0000644\0');
  put(108, '0000000\0');
  put(116, '0000000\0');
  put(124, size.toString(8).padStart(11, '0') + '\0');
  put(136, '00000000000\0');
  put(148, '        ');
  put(156, type);
  put(157, link);
  put(257, 'ustar\0');
  put(263, '00');
  let sum = 0;
  for (const b of h) sum += b;
  put(148, sum.toString(8).padStart(6, '0') + '\0 ');
  return h;
}
function tar(entries: TarEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    const body = typeof e.body === 'string' ? strToU8(e.body) : (e.body ?? new Uint8Array(0));
    parts.push(tarHeader(e.name, body.length, e.type ?? '0', e.link));
    const padded = new Uint8Array(Math.ceil(body.length / 512) * 512);
    padded.set(body);
    parts.push(padded);
  }
  parts.push(new Uint8Array(1024));
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len = String(len).length + body.length;
  return `${len}${body}`;
}

/** Offsets of central directory records (signature PK\1\2) in a zip. */
function centralRecords(z: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i + 4 <= z.length; i++) if (z[i] === 0x50 && z[i + 1] === 0x4b && z[i + 2] === 1 && z[i + 3] === 2) out.push(i);
  return out;
}
const u32 = (z: Uint8Array, at: number, v: number): void => new DataView(z.buffer, z.byteOffset).setUint32(at, v, true);

function walk(d: string): string[] {
  return statSync(d).isDirectory() ? readdirSync(d).sort().flatMap((x) => walk(join(d, x))) : [d];
}
const codes = (ds: readonly Diagnostic[]): string[] => ds.map((d) => d.code);
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

beforeAll(async () => {
  await prepareImporters('crewai');
});

describe('a project archive imports like the folder', () => {
  const files = walk(TRIP).map((f) => [relative(TRIP, f).replace(/\\/g, '/'), readFileSync(f)] as const);
  const folder = readImportInputs([TRIP], wantsCrew);
  const strip = (s: string, prefix: string): string => s.split(prefix).join('<root>');

  it.each<[string, ArchiveKind, (fs: typeof files) => Uint8Array]>([
    ['.zip', 'zip', (fs) => zip(Object.fromEntries(fs.map(([p, b]) => [p, b])))],
    ['.tar', 'tar', (fs) => tar(fs.map(([p, b]) => ({ name: p, body: b })))],
    ['.tar.gz', 'tgz', (fs) => gzipSync(tar(fs.map(([p, b]) => ({ name: `./${p}`, body: b }))), { mtime: MTIME })],
  ])('%s', (ext, _kind, build) => {
    expect(folder.diagnostics).toEqual([]);
    const fromFolder = runImport('crewai', folder.inputs);
    expect(fromFolder.files.map((f) => f.status)).toEqual(['imported', 'imported', 'imported', 'imported']);
    const archive = save(build(files), ext);
    const read = readImportInputs([archive], wantsCrew);
    expect(read.diagnostics).toEqual([]);
    expect(read.inputs.map((i) => i.path.slice(archive.length))).toEqual(folder.inputs.map((i) => `!${i.path.slice(TRIP.length)}`));
    expect(read.inputs.every((i) => i.inFolder === true)).toBe(true);
    expect(read.inputs.map((i) => i.text)).toEqual(folder.inputs.map((i) => i.text));
    const fromArchive = runImport('crewai', read.inputs);
    expect(fromArchive.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(strip(JSON.stringify(fromArchive.model), `${archive}!`)).toBe(strip(JSON.stringify(fromFolder.model), TRIP));
    expect(fromArchive.model?.agents?.length).toBeGreaterThan(0);
  });

  it('auto import of a zip skips what it does not want and is deterministic whatever the entry order', () => {
    const entries = Object.fromEntries(files.map(([p, b]) => [`trip/${p}`, b]));
    const extra = { 'trip/README.md': '# readme', 'trip/node_modules/x/agents.yaml': AGENTS, 'trip/.vscode/mcp.json': '{"servers": {"fs": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/"]}}}' };
    const a = save(zip({ ...entries, ...extra }), '.zip');
    const reversed = Object.fromEntries(Object.entries({ ...entries, ...extra }).reverse());
    const b = save(zip(reversed), '.zip');
    const ra = readImportInputs([a], wantsAny);
    const rb = readImportInputs([b], wantsAny);
    expect(ra.inputs.map((i) => i.path.slice(a.length))).toEqual(['!/trip/.vscode/mcp.json', '!/trip/src/trip_planner/config/agents.yaml', '!/trip/src/trip_planner/config/tasks.yaml', '!/trip/src/trip_planner/crew.py', '!/trip/src/trip_planner/tools/booking.py']);
    expect(rb.inputs.map((i) => [i.path.slice(b.length), i.text])).toEqual(ra.inputs.map((i) => [i.path.slice(a.length), i.text]));
    const ma = runImport('auto', ra.inputs);
    const mb = runImport('auto', rb.inputs);
    expect(ma.files.map((f) => [f.file.slice(a.length), f.status]).sort()).toEqual([
      ['!/trip/.vscode/mcp.json', 'imported'],
      ['!/trip/src/trip_planner/config/agents.yaml', 'imported'],
      ['!/trip/src/trip_planner/config/tasks.yaml', 'imported'],
      ['!/trip/src/trip_planner/crew.py', 'imported'],
      ['!/trip/src/trip_planner/tools/booking.py', 'imported'],
    ]);
    expect(ma.model?.mcpServers?.some((m) => m.importedFrom?.file === `${a}!/trip/.vscode/mcp.json`)).toBe(true);
    expect(strip(JSON.stringify(mb), b)).toBe(strip(JSON.stringify(ma), a));
  });
});

describe('hostile entry names and types are refused, each named in a warning', () => {
  const hostile = ['../agents.yaml', 'proj/../../agents.yaml', '/etc/agents.yaml', 'C:/proj/agents.yaml', 'c:agents.yaml', '..\\..\\agents.yaml', 'proj\\agents.yaml', 'proj/agents\u001b[31m.yaml', 'proj/\u202eagents.yaml'];

  it.each<[string, (names: string[]) => Uint8Array]>([
    ['.zip', (names) => zip(Object.fromEntries([...names.map((nm) => [nm, AGENTS] as const), ['ok/agents.yaml', AGENTS]]))],
    ['.tar', (names) => tar([...names.map((nm) => ({ name: nm, body: AGENTS })), { name: 'ok/agents.yaml', body: AGENTS }])],
  ])('traversal, absolute, drive-letter, backslash and control-character names (%s)', (ext, build) => {
    const archive = save(build(hostile), ext);
    const r = readImportInputs([archive], wantsCrew);
    expect(r.inputs.map((i) => i.path.slice(archive.length))).toEqual(['!/ok/agents.yaml']);
    const warned = r.diagnostics.filter((d) => d.code === 'W_ARCHIVE_UNSAFE_NAME');
    expect(warned.length).toBe(hostile.length);
    for (const [i, name] of hostile.entries()) {
      const d = warned[i];
      expect(d?.severity).toBe('warning');
      expect(d?.file).toBe(archive);
      // Named (quoted with escapes), never raw.
      expect(d?.message).toContain(JSON.stringify(name).replace('\u001b', '\\u001b').replace('\u202e', '\\u202e').slice(0, 20));
      expect(RAW_CONTROL.test(d?.message ?? '')).toBe(false);
    }
    expect(r.diagnostics.every((d) => d.severity === 'warning')).toBe(true);
  });

  it('zip symbolic links (Unix mode S_IFLNK in the external attributes) are not read', () => {
    const link = (target: string, os = 3): [string, ZipAttributes] => [target, { os, attrs: (0o120777 << 16) >>> 0 }];
    const archive = save(zip({ 'p/config/agents.yaml': link('/home/user/.ssh/id_rsa'), 'p/config/tasks.yaml': link('../../../etc/passwd', 0), 'p/crew.py': 'x = 1\n', 'p/unwanted.txt': link('/etc/passwd') }), '.zip');
    const r = readImportInputs([archive], wantsCrew);
    expect(r.inputs.map((i) => i.path.slice(archive.length))).toEqual(['!/p/crew.py']);
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['W_ARCHIVE_LINK', 'entry "p/config/agents.yaml" refused: it is a symbolic link'],
      ['W_ARCHIVE_LINK', 'entry "p/config/tasks.yaml" refused: it is a symbolic link'],
    ]);
  });

  it('tar symbolic links, hard links, devices and FIFOs are not read', () => {
    const archive = save(
      tar([
        { name: 'p/config/agents.yaml', type: '2', link: '/etc/passwd' },
        { name: 'p/config/tasks.yaml', type: '1', link: 'p/secret' },
        { name: 'p/agents.yaml', type: '3' },
        { name: 'p/tasks.yaml', type: '6' },
        { name: 'p/crew.py', body: 'x = 1\n' },
        { name: 'p/other', type: '2', link: '/' },
      ]),
      '.tar',
    );
    const r = readImportInputs([archive], wantsCrew);
    expect(r.inputs.map((i) => i.path.slice(archive.length))).toEqual(['!/p/crew.py']);
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['W_ARCHIVE_LINK', 'entry "p/config/agents.yaml" refused: it is a symbolic link'],
      ['W_ARCHIVE_LINK', 'entry "p/config/tasks.yaml" refused: it is a hard link'],
      ['W_ARCHIVE_TYPE', 'entry "p/agents.yaml" refused: it is a device, not a regular file'],
      ['W_ARCHIVE_TYPE', 'entry "p/tasks.yaml" refused: it is a FIFO, not a regular file'],
    ]);
  });

  it('a link followed by a file of the same name: neither is read', () => {
    const archive = save(tar([{ name: 'p/agents.yaml', type: '2', link: '/etc/passwd' }, { name: 'p/agents.yaml', body: AGENTS }, { name: 'p/crew.py', body: 'x = 1\n' }]), '.tar');
    const r = readImportInputs([archive], wantsCrew);
    expect(r.inputs.map((i) => i.path.slice(archive.length))).toEqual(['!/p/crew.py']);
    expect(codes(r.diagnostics)).toEqual(['W_ARCHIVE_LINK', 'W_ARCHIVE_DUPLICATE']);
  });

  it('duplicate zip entries and a local name that differs from the central directory are refused', () => {
    const z = zip({ 'a/agents.yaml': AGENTS, 'b/agents.yaml': AGENTS.replace('Researcher', 'Impostor'), 'c/tasks.yaml': 't:\n  description: d\n  expected_output: o\n' });
    // Rename b/ to a/ in both headers (same length), and c/ to d/ in the local header only.
    const text = (at: number, len: number): string => String.fromCharCode(...z.subarray(at, at + len));
    for (let i = 0; i + 13 <= z.length; i++) {
      if (text(i, 13) === 'b/agents.yaml') z[i] = 0x61;
    }
    const firstC = z.findIndex((_, i) => text(i, 12) === 'c/tasks.yaml');
    z[firstC] = 0x64;
    const r = readArchive('x.zip', z, 'zip', wantsCrew);
    expect(r.entries).toEqual([]);
    expect(r.diagnostics.map((d) => [d.code, d.message.slice(0, 27)])).toEqual([
      ['W_ARCHIVE_DUPLICATE', 'entry "a/agents.yaml" refus'],
      ['W_ARCHIVE_UNSAFE_NAME', 'entry "c/tasks.yaml" refuse'],
    ]);
  });

  it('pax and GNU long names are honoured, and checked like any other name', () => {
    const long = `p/${'d'.repeat(120)}/agents.yaml`;
    const archive = tar([
      { name: 'PaxHeader', type: 'x', body: paxRecord('path', long) },
      { name: 'short-name-ignored', body: AGENTS },
      { name: '././@LongLink', type: 'L', body: '../../escape/agents.yaml\0' },
      { name: 'innocent/agents.yaml', body: AGENTS },
    ]);
    const r = readArchive('x.tar', archive, 'tar', wantsCrew);
    expect(r.entries.map((e) => e.name)).toEqual([long]);
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([['W_ARCHIVE_UNSAFE_NAME', 'entry "../../escape/agents.yaml" refused: the name contains a ".." segment (it could resolve outside the folder)']]);
  });
});

describe('bombs, lying headers and caps', () => {
  const zeros = new Uint8Array(5 * 1024 * 1024);

  it('an entry that expands more than 100 times is not inflated', () => {
    const archive = save(zip({ 'p/agents.yaml': zeros, 'p/crew.py': 'x = 1\n' }), '.zip');
    const r = readImportInputs([archive], wantsCrew);
    expect(r.inputs.map((i) => i.path.slice(archive.length))).toEqual(['!/p/crew.py']);
    expect(codes(r.diagnostics)).toEqual(['E_ARCHIVE_RATIO']);
    expect(r.diagnostics[0]?.message).toMatch(/^entry "p\/agents\.yaml" expands \d+ times \(declared 5242880 bytes from \d+\), more than the limit of 100/);
  });

  it('a declared size that lies is caught on the bytes actually inflated', () => {
    const z = zip({ 'p/agents.yaml': zeros });
    for (const at of centralRecords(z)) u32(z, at + 24, 100);
    const r = readArchive('x.zip', z, 'zip', wantsCrew);
    expect(r.entries).toEqual([]);
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([['E_ARCHIVE_SIZE_MISMATCH', 'entry "p/agents.yaml" inflates to more than the 100 bytes its header declares: not read (a zip bomb?)']]);
    // A declared size larger than the real one is refused too.
    const y = zip({ 'p/agents.yaml': AGENTS });
    for (const at of centralRecords(y)) u32(y, at + 24, AGENTS.length + 1);
    expect(codes(readArchive('y.zip', y, 'zip', wantsCrew).diagnostics)).toEqual(['E_ARCHIVE_SIZE_MISMATCH']);
    // And a damaged body fails its checksum.
    const c = zip({ 'p/agents.yaml': AGENTS }, 0);
    const body = c.findIndex((_, i) => c[i] === 0x72 && String.fromCharCode(...c.subarray(i, i + 10)) === 'researcher');
    c[body] = 0x52;
    expect(codes(readArchive('c.zip', c, 'zip', wantsCrew).diagnostics)).toEqual(['E_ARCHIVE_CORRUPT']);
  });

  it('entries sharing their data (overlapping-file bomb) refuse the archive', () => {
    const z = zip({ 'p/agents.yaml': AGENTS, 'p/tasks.yaml': AGENTS });
    const [, second] = centralRecords(z);
    if (second === undefined) throw new Error('no second record');
    u32(z, second + 42, 0);
    const r = readArchive('x.zip', z, 'zip', wantsCrew);
    expect(r.ok).toBe(false);
    expect(r.entries).toEqual([]);
    expect(codes(r.diagnostics)).toEqual(['E_ARCHIVE_OVERLAP']);
  });

  it('a .tar.gz that expands too much, or past the total cap, is not read', () => {
    const bomb = save(gzipSync(tar([{ name: 'p/agents.yaml', body: zeros }]), { mtime: MTIME }), '.tgz');
    const r = readImportInputs([bomb], wantsCrew);
    expect(r.inputs).toEqual([]);
    expect(codes(r.diagnostics)).toEqual(['E_ARCHIVE_RATIO']);
    expect(r.diagnostics[0]?.message).toMatch(/^the archive expands \d+ times .*more than the limit of 100: it is not read/);
    const capped = readImportInputs([bomb], wantsCrew, { maxTotalBytes: 1024 * 1024 });
    expect(codes(capped.diagnostics)).toEqual(['E_ARCHIVE_LIMIT']);
    expect(capped.diagnostics[0]?.message).toBe('the archive expands to more than 1048576 bytes: it is not read');
  });

  it('the bytes inflated from a zip are capped in total and each entry is capped in size', () => {
    const a = Object.fromEntries([0, 1, 2, 3].map((i) => [`p${i}/agents.yaml`, AGENTS.repeat(200)]));
    const z = save(zip(a), '.zip');
    const total = readImportInputs([z], wantsCrew, { maxTotalBytes: 2 * AGENTS.length * 200 + 10 });
    expect(total.inputs).toEqual([]);
    expect(codes(total.diagnostics)).toEqual(['E_ARCHIVE_LIMIT']);
    const each = readImportInputs([z], wantsCrew, { maxFileBytes: 1000 });
    expect(each.inputs).toEqual([]);
    expect(codes(each.diagnostics)).toEqual(['E_LIMIT_SIZE', 'E_LIMIT_SIZE', 'E_LIMIT_SIZE', 'E_LIMIT_SIZE', 'W_IMPORT_NOTHING']);
  });

  it('more than 10,000 entries refuse the archive (zip and tar)', () => {
    const many = Object.fromEntries(Array.from({ length: 10_001 }, (_, i) => [`f${i}.txt`, '']));
    const z = readArchive('many.zip', zip(many, 0), 'zip', wantsCrew);
    expect(z.ok).toBe(false);
    expect(z.diagnostics.map((d) => [d.code, d.message])).toEqual([['E_ARCHIVE_LIMIT', 'the archive has 10001 or more entries, more than the limit of 10000: it is not read']]);
    const t = readArchive('many.tar', tar(Array.from({ length: 10_001 }, (_, i) => ({ name: `f${i}.txt` }))), 'tar', wantsCrew);
    expect(codes(t.diagnostics)).toEqual(['E_ARCHIVE_LIMIT']);
    // 10,000 is still fine.
    const ok = readArchive('ok.zip', zip(Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`f${i}.txt`, ''])), 0), 'zip', wantsCrew);
    expect(ok.ok).toBe(true);
  });
});

describe('garbage is a diagnostic, never a crash', () => {
  it.each(['.zip', '.tar', '.tgz', '.tar.gz'])('random bytes named %s', (ext) => {
    const bytes = new Uint8Array(4096).map((_, i) => (i * 7919 + 13) % 251);
    const p = save(bytes, ext);
    const r = readImportInputs([p], wantsAny);
    expect(r.inputs).toEqual([]);
    expect(codes(r.diagnostics)).toEqual(['E_ARCHIVE']);
    expect(r.diagnostics[0]?.message).toMatch(/^not a readable (zip|tar|\.tar\.gz) archive/);
    expect(r.diagnostics[0]?.file).toBe(p);
  });

  it('a text file named .zip', () => {
    const p = save(strToU8('{"mcpServers": {}}'), '.zip');
    const r = readImportInputs([p], wantsAny);
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([['E_ARCHIVE', 'not a readable zip archive: the file is too short']]);
  });

  const valid: [ArchiveKind, Uint8Array][] = [
    ['zip', zip({ 'p/agents.yaml': AGENTS, 'p/tasks.yaml': 't:\n  description: d\n', 'p/crew.py': 'x = 1\n' })],
    ['tar', tar([{ name: 'p/agents.yaml', body: AGENTS }, { name: 'p/crew.py', body: 'x = 1\n' }])],
    ['tgz', gzipSync(tar([{ name: 'p/agents.yaml', body: AGENTS }]), { mtime: MTIME })],
  ];
  it.each(valid)('damaged %s archives never throw and never yield an unsafe name', (kind, good) => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), fc.nat(good.length), (edits, cut) => {
        const bad = good.slice(0, Math.max(cut, 1));
        for (const [at, v] of edits) if (at < bad.length) bad[at] = v;
        const r = readArchive('fuzz', bad, kind, () => true);
        for (const e of r.entries) {
          expect(e.name.split('/')).not.toContain('..');
          expect(e.name.startsWith('/')).toBe(false);
          expect(e.name.includes('\\') || RAW_CONTROL.test(e.name)).toBe(false);
        }
        for (const d of r.diagnostics) expect(RAW_CONTROL.test(d.message)).toBe(false);
        // Same bytes, same answer.
        expect(readArchive('fuzz', bad, kind, () => true)).toEqual(r);
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});

describe('the import command reads an archive like a folder', () => {
  it('imports the wanted entries, prints refused ones by name, and exits 2 on a bomb', async () => {
    const archive = save(zip({ 'p/.cursor/mcp.json': '{"mcpServers": {"fs": {"command": "npx", "args": ["-y", "server-fs"]}}}', 'p/../../evil/mcp.json': '{}', 'p/mcp.json': ['/etc/passwd', { os: 3, attrs: (0o120777 << 16) >>> 0 }] }), '.zip');
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t), color: false };
    expect(await main(['import', 'auto', archive, '-q'], io)).toBe(0);
    expect(out.join('')).toContain(`${archive}!/p/.cursor/mcp.json`);
    expect(err).toEqual([
      `${archive}  W_ARCHIVE_UNSAFE_NAME  entry "p/../../evil/mcp.json" refused: the name contains a ".." segment (it could resolve outside the folder)  (entries that could land outside the archive folder are never read; rebuild the archive with relative paths)`,
      `${archive}  W_ARCHIVE_LINK  entry "p/mcp.json" refused: it is a symbolic link  (links inside an archive are never followed; put the file itself in the archive)`,
    ]);
    const bomb = save(zip({ 'mcp.json': new Uint8Array(4 * 1024 * 1024) }), '.zip');
    err.length = 0;
    expect(await main(['import', 'mcp', bomb], io)).toBe(2);
    expect(err[0]).toMatch(/ {2}E_ARCHIVE_RATIO {2}entry "mcp\.json" expands \d+ times/);
  });
});
