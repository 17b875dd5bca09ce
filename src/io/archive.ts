/**
 * Reading project archives (.zip, .tar, .tar.gz / .tgz) in memory, for `import` (HOSTILE-INPUTS I1).
 * Nothing is ever written to disk: an archive is parsed from its bytes and only the entries the caller
 * wants are decompressed. An archive is hostile until proven otherwise:
 *
 * - entry names that could resolve outside the archive (`..` segments, absolute paths, drive letters,
 *   backslashes) or that carry control or invisible characters are refused, each with a warning;
 * - links (zip entries whose Unix mode is a symbolic link, tar symbolic and hard links), devices,
 *   FIFOs and sparse files are refused; only regular files are read;
 * - caps on the number of entries, the bytes actually produced by decompression (declared sizes are
 *   checked against what inflating produces, and inflating stops as soon as a declared size is passed),
 *   the expansion ratio, and the size of each entry;
 * - zip entries whose data overlap (the "overlapping files" bomb), duplicate names, a local name that
 *   differs from the central directory's, encrypted entries, unknown compression and ZIP64 are refused;
 * - parsing is iterative and bounded by the input; every failure is a diagnostic, never an exception.
 *
 * Diagnostics name the archive as `file` and quote the entry name in the message (`quote()`), so a
 * hostile name cannot drive a terminal.
 */
import { Gunzip, Inflate } from 'fflate';
import { diag, INVISIBLE_CHARS, quote, type Diagnostic } from '../model/diagnostics.js';

export type ArchiveKind = 'zip' | 'tar' | 'tgz';

export interface ArchiveLimits {
  /** Most entries (headers) an archive may list; more refuses the whole archive. */
  readonly maxEntries: number;
  /** Largest entry read, in bytes (decompressed). */
  readonly maxEntryBytes: number;
  /** Most bytes decompressed from one archive (entries read, or the whole tar stream of a .tar.gz). */
  readonly maxTotalBytes: number;
  /** Highest expansion ratio (decompressed / compressed) accepted... */
  readonly maxRatio: number;
  /** ...once the decompressed size passes this many bytes (small, very repetitive files are common and harmless). */
  readonly ratioFloor: number;
}

export const ARCHIVE_LIMITS: ArchiveLimits = { maxEntries: 10_000, maxEntryBytes: 10 * 1024 * 1024, maxTotalBytes: 100 * 1024 * 1024, maxRatio: 100, ratioFloor: 1024 * 1024 };

/** One regular file taken from an archive: its normalised name (forward slashes, no `.` segments) and bytes. */
export interface ArchiveEntry {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface ArchiveRead {
  /** Entries read, sorted by name. */
  readonly entries: ArchiveEntry[];
  readonly diagnostics: Diagnostic[];
  /** False when the archive itself was refused (not an archive, corrupt, over a cap): no entry is read from it. */
  readonly ok: boolean;
}

/** The kind of archive a path names, from its extension (case-insensitive), or undefined. */
export function archiveKind(path: string): ArchiveKind | undefined {
  const p = path.toLowerCase();
  if (p.endsWith('.zip')) return 'zip';
  if (p.endsWith('.tar')) return 'tar';
  if (p.endsWith('.tar.gz') || p.endsWith('.tgz')) return 'tgz';
  return undefined;
}

/** Bytes decompressed per push: bounds the memory one push can produce (deflate expands at most ~1032:1). */
const CHUNK = 16 * 1024;
const MAX_NAME_CHARS = 1024;

class ArchiveRefused extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

// --- names ---------------------------------------------------------------------------------------

const utf8 = new TextDecoder('utf-8', { fatal: true });
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * Why an entry name cannot be used, or its normalised form. Refused: empty, absolute, drive letters,
 * backslashes, `..` segments, control or invisible characters, very long names. Normalised: `.` and
 * empty segments dropped (`./src//a.yaml` → `src/a.yaml`).
 */
export function checkEntryName(raw: string): { name: string } | { problem: string } {
  if (raw.length > MAX_NAME_CHARS) return { problem: `the name is longer than ${MAX_NAME_CHARS} characters` };
  if (CONTROL.test(raw) || INVISIBLE_CHARS.test(raw)) return { problem: 'the name contains control or invisible characters' };
  if (raw.includes('\\')) return { problem: 'the name contains a backslash (a path separator on Windows, used to escape the folder)' };
  if (/^[A-Za-z]:/.test(raw)) return { problem: 'the name starts with a drive letter (an absolute path)' };
  if (raw.startsWith('/')) return { problem: 'the name is an absolute path' };
  const segments = raw.split('/');
  if (segments.includes('..')) return { problem: 'the name contains a ".." segment (it could resolve outside the folder)' };
  const kept = segments.filter((s) => s !== '' && s !== '.');
  if (kept.length === 0) return { problem: 'the name is empty' };
  return { name: kept.join('/') };
}

// --- helpers ---------------------------------------------------------------------------------------

let crcTable: Uint32Array | undefined;
/** CRC-32 (the zip and gzip checksum, reflected polynomial 0xEDB88320). */
function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  const table = crcTable;
  let crc = 0xffffffff;
  for (const byte of data) crc = (table[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * Decompress with a streaming decoder, pushing the input in small chunks and stopping as soon as the
 * output passes `cap` bytes (so a lying header or a bomb costs at most one chunk's expansion).
 * Returns the bytes, 'over' when the cap was passed, or the decoder's error.
 */
function decompressCapped(kind: 'inflate' | 'gunzip', input: Uint8Array, cap: number): Uint8Array | 'over' | { error: string } {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let over = false;
  const onData = (chunk: Uint8Array): void => {
    if (over) return;
    total += chunk.length;
    if (total > cap) {
      over = true;
      return;
    }
    chunks.push(chunk);
  };
  try {
    const stream = kind === 'inflate' ? new Inflate(onData) : new Gunzip(onData);
    if (input.length === 0) stream.push(input, true);
    for (let at = 0; at < input.length && !over; at += CHUNK) {
      const end = Math.min(at + CHUNK, input.length);
      stream.push(input.subarray(at, end), end === input.length);
    }
  } catch (err) {
    if (over) return 'over';
    return { error: err instanceof Error ? err.message.slice(0, 80) : 'decoder error' };
  }
  if (over) return 'over';
  return concat(chunks, total);
}

// --- the reader --------------------------------------------------------------------------------------

/**
 * Read the wanted regular files of an archive held in memory. `wants(name)` gets the normalised entry
 * name. `shown` is the archive's path as diagnostics should name it. Never throws.
 */
export function readArchive(shown: string, data: Uint8Array, kind: ArchiveKind, wants: (name: string) => boolean, limits: Partial<ArchiveLimits> = {}): ArchiveRead {
  const lim: ArchiveLimits = { ...ARCHIVE_LIMITS, ...limits };
  const r = new Reader(shown, wants, lim);
  try {
    if (kind === 'zip') r.zip(data);
    else if (kind === 'tar') r.tar(data);
    else r.tar(r.gunzip(data));
  } catch (err) {
    if (err instanceof ArchiveRefused) return { entries: [], diagnostics: [...r.diagnostics, err.diagnostic], ok: false };
    // A bug here must not crash the import: report it as an unreadable archive.
    const name = err instanceof Error ? err.name : 'Error';
    return { entries: [], diagnostics: [...r.diagnostics, r.refusal('E_ARCHIVE', `the archive could not be read (${name})`, 'extract it and import the folder')], ok: false };
  }
  const entries = [...r.entries.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { entries, diagnostics: r.diagnostics, ok: true };
}

/** Zip "version made by" host systems whose external attributes carry a Unix mode. */
const UNIX_HOSTS = new Set([3, 19]);
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

interface ZipRecord {
  readonly raw: Uint8Array;
  readonly flags: number;
  readonly method: number;
  readonly crc: number;
  readonly compressed: number;
  readonly size: number;
  readonly localOffset: number;
  readonly host: number;
  readonly mode: number;
  readonly msdosDir: boolean;
}

class Reader {
  readonly diagnostics: Diagnostic[] = [];
  /** Entries read, by normalised name. */
  readonly entries = new Map<string, ArchiveEntry>();
  /** Names seen (wanted or not) and whether a second copy was found. */
  private readonly names = new Map<string, boolean>();
  private inflated = 0;

  constructor(
    private readonly shown: string,
    private readonly wants: (name: string) => boolean,
    private readonly lim: ArchiveLimits,
  ) {}

  refusal(code: string, message: string, hint: string): Diagnostic {
    return { ...diag(code, message, { hint }), file: this.shown };
  }

  private refuse(code: string, message: string, hint: string): never {
    throw new ArchiveRefused(this.refusal(code, message, hint));
  }

  private warnEntry(code: string, raw: string, why: string, hint: string): void {
    this.diagnostics.push(this.refusal(code, `entry ${quote(raw, 120)} refused: ${why}`, hint));
  }

  /**
   * Check a name and whether the entry is wanted; record it for the duplicate check. Returns the
   * normalised name when the entry should be read.
   */
  private admit(raw: string): string | undefined {
    const checked = checkEntryName(raw);
    if ('problem' in checked) {
      this.warnEntry('W_ARCHIVE_UNSAFE_NAME', raw, checked.problem, 'entries that could land outside the archive folder are never read; rebuild the archive with relative paths');
      return undefined;
    }
    const name = checked.name;
    if (this.names.has(name)) {
      if (this.names.get(name) === false && this.wants(name)) {
        this.warnEntry('W_ARCHIVE_DUPLICATE', raw, 'the archive holds more than one entry with this name (tools disagree on which one wins); none is read', 'rebuild the archive with one copy of each file');
        this.entries.delete(name);
      }
      this.names.set(name, true);
      return undefined;
    }
    this.names.set(name, false);
    return this.wants(name) ? name : undefined;
  }

  /** Account for decompressed bytes against the per-archive cap. */
  private account(bytes: number): void {
    this.inflated += bytes;
    if (this.inflated > this.lim.maxTotalBytes) {
      this.refuse('E_ARCHIVE_LIMIT', `the entries read expand to more than ${this.lim.maxTotalBytes} bytes: the archive is not read`, 'extract the archive yourself and import the folder, or remove large files from it');
    }
  }

  /** Whether an expansion from `compressed` to `size` bytes passes the ratio cap. */
  private ratioTooHigh(size: number, compressed: number): boolean {
    return size > this.lim.ratioFloor && size > this.lim.maxRatio * Math.max(compressed, 1);
  }

  private tooManyEntries(count: number): never {
    this.refuse('E_ARCHIVE_LIMIT', `the archive has ${count} or more entries, more than the limit of ${this.lim.maxEntries}: it is not read`, 'archive only the project folder, without dependencies and build output');
  }

  // --- zip ---

  zip(data: Uint8Array): void {
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const notZip: (why: string) => never = (why) => this.refuse('E_ARCHIVE', `not a readable zip archive: ${why}`, 'check that the file is a zip archive (a .zip name alone is not enough)');
    if (data.length < 22) notZip('the file is too short');
    // The end-of-central-directory record is in the last 22 + 65535 bytes; take the last one found.
    let eocd = -1;
    for (let at = data.length - 22; at >= 0 && at >= data.length - 22 - 0xffff; at--) {
      if (view.getUint32(at, true) === 0x06054b50 && at + 22 + view.getUint16(at + 20, true) <= data.length) {
        eocd = at;
        break;
      }
    }
    if (eocd < 0) notZip('no end of central directory record');
    const disk = view.getUint16(eocd + 4, true);
    const cdDisk = view.getUint16(eocd + 6, true);
    const count = view.getUint16(eocd + 10, true);
    const cdSize = view.getUint32(eocd + 12, true);
    const cdOffset = view.getUint32(eocd + 16, true);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      this.refuse('E_ARCHIVE', 'ZIP64 archives are not supported', 'extract the archive yourself and import the folder');
    }
    if (disk !== 0 || cdDisk !== 0 || view.getUint16(eocd + 8, true) !== count) this.refuse('E_ARCHIVE', 'multi-part (spanned) zip archives are not supported', 'join the parts, extract them and import the folder');
    if (count > this.lim.maxEntries) this.tooManyEntries(count);
    if (cdOffset + cdSize > eocd) notZip('the central directory lies outside the file');

    const records: ZipRecord[] = [];
    let at = cdOffset;
    for (let i = 0; i < count; i++) {
      if (at + 46 > cdOffset + cdSize || view.getUint32(at, true) !== 0x02014b50) notZip(`central directory record ${i + 1} is damaged`);
      const nameLen = view.getUint16(at + 28, true);
      const next = at + 46 + nameLen + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
      if (next > cdOffset + cdSize) notZip(`central directory record ${i + 1} runs past the directory`);
      const external = view.getUint32(at + 38, true);
      records.push({
        raw: data.subarray(at + 46, at + 46 + nameLen),
        flags: view.getUint16(at + 8, true),
        method: view.getUint16(at + 10, true),
        crc: view.getUint32(at + 16, true),
        compressed: view.getUint32(at + 20, true),
        size: view.getUint32(at + 24, true),
        localOffset: view.getUint32(at + 42, true),
        host: view.getUint16(at + 4, true) >>> 8,
        mode: external >>> 16,
        msdosDir: (external & 0x10) !== 0,
      });
      at = next;
    }

    // Where each entry's local header and data lie; overlapping entries are a bomb technique.
    const spans: { start: number; end: number; dataStart: number; localName: Uint8Array }[] = [];
    for (const [i, rec] of records.entries()) {
      const lo = rec.localOffset;
      if (lo + 30 > cdOffset || view.getUint32(lo, true) !== 0x04034b50) notZip(`the local header of entry ${i + 1} is missing`);
      const n = view.getUint16(lo + 26, true);
      const dataStart = lo + 30 + n + view.getUint16(lo + 28, true);
      const end = dataStart + rec.compressed;
      if (end > cdOffset) notZip(`the data of entry ${i + 1} runs past the central directory`);
      spans.push({ start: lo, end, dataStart, localName: data.subarray(lo + 30, lo + 30 + n) });
    }
    const order = spans.map((_, i) => i).sort((a, b) => (spans[a]?.start ?? 0) - (spans[b]?.start ?? 0));
    for (let k = 1; k < order.length; k++) {
      const prev = spans[order[k - 1] ?? 0];
      const cur = spans[order[k] ?? 0];
      if (prev && cur && cur.start < prev.end) {
        this.refuse('E_ARCHIVE_OVERLAP', 'entries of the archive share their data (a zip bomb technique): the archive is not read', 'rebuild the archive with an ordinary zip tool');
      }
    }

    for (const [i, rec] of records.entries()) {
      const span = spans[i];
      if (!span) continue;
      this.zipEntry(data, rec, span.dataStart, span.localName);
    }
  }

  private zipEntry(data: Uint8Array, rec: ZipRecord, dataStart: number, localName: Uint8Array): void {
    let raw: string;
    try {
      raw = utf8.decode(rec.raw);
    } catch {
      // Not UTF-8 (an old code page): the name cannot be trusted to mean the same thing everywhere.
      this.warnEntry('W_ARCHIVE_UNSAFE_NAME', Array.from(rec.raw, (b) => String.fromCharCode(b)).join(''), 'the name is not UTF-8', 'rebuild the archive with UTF-8 names');
      return;
    }
    const type = rec.mode & S_IFMT;
    const isDir = raw.endsWith('/') || type === S_IFDIR || rec.msdosDir;
    if (isDir) {
      const checked = checkEntryName(raw);
      if ('problem' in checked) this.warnEntry('W_ARCHIVE_UNSAFE_NAME', raw, checked.problem, 'entries that could land outside the archive folder are never read; rebuild the archive with relative paths');
      return;
    }
    if (type === S_IFLNK) {
      // Refused whatever the host system says: a link in an archive is never followed.
      if (this.wantsRaw(raw)) this.warnEntry('W_ARCHIVE_LINK', raw, 'it is a symbolic link', 'links inside an archive are never followed; put the file itself in the archive');
      this.admit(raw);
      return;
    }
    if (UNIX_HOSTS.has(rec.host) && type !== 0 && type !== S_IFREG) {
      if (this.wantsRaw(raw)) this.warnEntry('W_ARCHIVE_TYPE', raw, 'it is not a regular file', 'only regular files are read from an archive');
      this.admit(raw);
      return;
    }
    const name = this.admit(raw);
    if (name === undefined) return;
    if (!sameBytes(localName, rec.raw)) {
      this.warnEntry('W_ARCHIVE_UNSAFE_NAME', raw, 'its local header gives another name than the central directory (tools would disagree on what it is)', 'rebuild the archive with an ordinary zip tool');
      return;
    }
    if ((rec.flags & 1) !== 0) {
      this.warnEntry('W_ARCHIVE_ENCRYPTED', raw, 'it is encrypted', 'import an unencrypted copy');
      return;
    }
    if (rec.method !== 0 && rec.method !== 8) {
      this.warnEntry('W_ARCHIVE_METHOD', raw, `compression method ${rec.method} is not supported (only stored and deflate)`, 'rebuild the archive with deflate compression');
      return;
    }
    if (rec.size > this.lim.maxEntryBytes) {
      this.diagnostics.push(this.refusal('E_LIMIT_SIZE', `entry ${quote(raw, 120)} is ${rec.size} bytes, more than the limit of ${this.lim.maxEntryBytes} bytes: not read`, 'raise the limit with --max-bytes if the archive is trusted'));
      return;
    }
    if (this.ratioTooHigh(rec.size, rec.compressed)) {
      this.diagnostics.push(this.refusal('E_ARCHIVE_RATIO', `entry ${quote(raw, 120)} expands ${Math.round(rec.size / Math.max(rec.compressed, 1))} times (declared ${rec.size} bytes from ${rec.compressed}), more than the limit of ${this.lim.maxRatio}: not read (a zip bomb?)`, 'extract the archive yourself if you trust it'));
      return;
    }
    const stored = data.subarray(dataStart, dataStart + rec.compressed);
    let bytes: Uint8Array;
    if (rec.method === 0) {
      bytes = stored;
    } else {
      // Inflate no further than the declared size: more is a lie (and a bomb), and is refused.
      const out = decompressCapped('inflate', stored, rec.size);
      if (out === 'over') {
        this.diagnostics.push(this.refusal('E_ARCHIVE_SIZE_MISMATCH', `entry ${quote(raw, 120)} inflates to more than the ${rec.size} bytes its header declares: not read (a zip bomb?)`, 'the archive is damaged or built to mislead; do not extract it'));
        return;
      }
      if ('error' in out) {
        this.diagnostics.push(this.refusal('E_ARCHIVE_CORRUPT', `entry ${quote(raw, 120)} cannot be inflated (${out.error}): not read`, 'the archive is damaged; build it again'));
        return;
      }
      bytes = out;
    }
    if (bytes.length !== rec.size) {
      this.diagnostics.push(this.refusal('E_ARCHIVE_SIZE_MISMATCH', `entry ${quote(raw, 120)} holds ${bytes.length} bytes but its header declares ${rec.size}: not read`, 'the archive is damaged or built to mislead; build it again'));
      return;
    }
    if (crc32(bytes) !== rec.crc) {
      this.diagnostics.push(this.refusal('E_ARCHIVE_CORRUPT', `entry ${quote(raw, 120)} fails its checksum: not read`, 'the archive is damaged; build it again'));
      return;
    }
    this.account(bytes.length);
    this.entries.set(name, { name, bytes });
  }

  /** Whether a raw name, if it were safe, would be wanted (so link warnings stay about files that matter). */
  private wantsRaw(raw: string): boolean {
    const checked = checkEntryName(raw);
    return 'name' in checked && this.wants(checked.name);
  }

  // --- gzip ---

  gunzip(data: Uint8Array): Uint8Array {
    if (data.length < 18 || data[0] !== 0x1f || data[1] !== 0x8b) {
      this.refuse('E_ARCHIVE', 'not a readable .tar.gz archive: the file is not gzip-compressed', 'check that the file is a gzip-compressed tar archive');
    }
    const cap = this.lim.maxTotalBytes;
    const out = decompressCapped('gunzip', data, cap);
    if (out === 'over') {
      this.refuse('E_ARCHIVE_LIMIT', `the archive expands to more than ${cap} bytes: it is not read`, 'extract the archive yourself and import the folder, or remove large files from it');
    }
    if ('error' in out) this.refuse('E_ARCHIVE', `not a readable .tar.gz archive (${out.error})`, 'the archive is damaged; build it again');
    if (this.ratioTooHigh(out.length, data.length)) {
      this.refuse('E_ARCHIVE_RATIO', `the archive expands ${Math.round(out.length / data.length)} times (${data.length} bytes to ${out.length}), more than the limit of ${this.lim.maxRatio}: it is not read (a decompression bomb?)`, 'extract the archive yourself if you trust it');
    }
    return out;
  }

  // --- tar ---

  tar(data: Uint8Array): void {
    const notTar: (at: number, why: string) => never = (at, why) => this.refuse('E_ARCHIVE', `not a readable tar archive: ${why} at byte ${at}`, 'check that the file is a tar archive (a .tar name alone is not enough)');
    let at = 0;
    let headers = 0;
    /** The GNU long name for the next entry; null when it was not UTF-8. */
    let longName: string | null | undefined;
    let paxPath: string | undefined;
    let paxSize: number | undefined;
    while (at + 512 <= data.length) {
      const h = data.subarray(at, at + 512);
      if (h.every((b) => b === 0)) return; // end of archive
      if (++headers > this.lim.maxEntries) this.tooManyEntries(headers);
      if (!tarChecksumOk(h)) notTar(at, 'a header checksum does not match');
      const type = String.fromCharCode(h[156] ?? 0);
      const sizeField = h.subarray(124, 136);
      if (((sizeField[0] ?? 0) & 0x80) !== 0) notTar(at, 'an entry size is in base-256 (too large to import)');
      let size = parseOctal(sizeField);
      if (size === undefined) notTar(at, 'an entry size is not an octal number');
      const isMeta = type === 'x' || type === 'g' || type === 'L' || type === 'K';
      if (!isMeta && paxSize !== undefined) size = paxSize;
      const dataStart = at + 512;
      const dataEnd = dataStart + (size ?? 0);
      if (dataEnd > data.length) notTar(at, 'the archive is truncated');
      const body = data.subarray(dataStart, dataEnd);
      at = dataStart + Math.ceil((size ?? 0) / 512) * 512;

      if (type === 'x' || type === 'L') {
        if (body.length > 64 * 1024) notTar(dataStart, 'an extended header is larger than 64 KiB');
        if (type === 'L') longName = decodeName(body.subarray(0, nulAt(body))) ?? null;
        else {
          const pax = parsePax(body);
          if (pax === undefined) notTar(dataStart, 'a pax extended header is malformed');
          if (pax.path !== undefined) paxPath = pax.path;
          if (pax.size !== undefined) paxSize = pax.size;
        }
        continue;
      }
      if (type === 'g' || type === 'K' || type === 'V') continue; // global pax header, GNU long link name, volume label: not needed

      const raw = paxPath ?? (longName === null ? undefined : (longName ?? ustarName(h)));
      paxPath = undefined;
      longName = undefined;
      paxSize = undefined;
      if (raw === undefined) {
        this.warnEntry('W_ARCHIVE_UNSAFE_NAME', '?', `the name of the entry at byte ${dataStart - 512} is not UTF-8`, 'rebuild the archive with UTF-8 names');
        continue;
      }
      if (type === '5') {
        const checked = checkEntryName(raw);
        if ('problem' in checked) this.warnEntry('W_ARCHIVE_UNSAFE_NAME', raw, checked.problem, 'entries that could land outside the archive folder are never read; rebuild the archive with relative paths');
        continue;
      }
      if (type === '1' || type === '2') {
        if (this.wantsRaw(raw)) this.warnEntry('W_ARCHIVE_LINK', raw, type === '2' ? 'it is a symbolic link' : 'it is a hard link', 'links inside an archive are never followed; put the file itself in the archive');
        this.admit(raw);
        continue;
      }
      if (type !== '0' && type !== '\0' && type !== '7') {
        const what = type === '3' || type === '4' ? 'a device' : type === '6' ? 'a FIFO' : type === 'S' ? 'a sparse file' : `of type ${quote(type)}`;
        if (this.wantsRaw(raw)) this.warnEntry('W_ARCHIVE_TYPE', raw, `it is ${what}, not a regular file`, 'only regular files are read from an archive');
        this.admit(raw);
        continue;
      }
      const name = this.admit(raw);
      if (name === undefined) continue;
      if (body.length > this.lim.maxEntryBytes) {
        this.diagnostics.push(this.refusal('E_LIMIT_SIZE', `entry ${quote(raw, 120)} is ${body.length} bytes, more than the limit of ${this.lim.maxEntryBytes} bytes: not read`, 'raise the limit with --max-bytes if the archive is trusted'));
        continue;
      }
      this.account(body.length);
      this.entries.set(name, { name, bytes: body.slice() });
    }
    if (at < data.length && !data.subarray(at).every((b) => b === 0)) notTar(at, 'the archive is truncated');
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function nulAt(b: Uint8Array): number {
  const i = b.indexOf(0);
  return i < 0 ? b.length : i;
}

function decodeName(b: Uint8Array): string | undefined {
  try {
    return utf8.decode(b);
  } catch {
    return undefined;
  }
}

/** An octal header field (NUL- or space-terminated, optionally space-padded), or undefined. */
function parseOctal(field: Uint8Array): number | undefined {
  const text = String.fromCharCode(...field).replace(/[\0 ]+$/, '').replace(/^ +/, '');
  if (!/^[0-7]*$/.test(text)) return undefined;
  return text === '' ? 0 : parseInt(text, 8);
}

function tarChecksumOk(h: Uint8Array): boolean {
  const want = parseOctal(h.subarray(148, 156));
  if (want === undefined) return false;
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < 512; i++) {
    const b = i >= 148 && i < 156 ? 32 : (h[i] ?? 0);
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return want === unsigned || want === signed;
}

/** The name of a ustar (or older) header: POSIX ustar joins the prefix field and the name field. */
function ustarName(h: Uint8Array): string | undefined {
  const field = h.subarray(0, 100);
  const name = decodeName(field.subarray(0, nulAt(field)));
  if (name === undefined) return undefined;
  const posix = h[257] === 0x75 && h[258] === 0x73 && h[259] === 0x74 && h[260] === 0x61 && h[261] === 0x72 && h[262] === 0;
  if (!posix) return name;
  const pf = h.subarray(345, 500);
  const prefix = decodeName(pf.subarray(0, nulAt(pf)));
  if (prefix === undefined) return undefined;
  return prefix === '' ? name : `${prefix}/${name}`;
}

/** The `path` and `size` records of a pax extended header ("<length> <key>=<value>\n" records), or undefined if malformed. */
function parsePax(body: Uint8Array): { path?: string; size?: number } | undefined {
  const out: { path?: string; size?: number } = {};
  let at = 0;
  while (at < body.length) {
    if (body[at] === 0) break; // padding
    let len = 0;
    let i = at;
    while (i < body.length && i - at < 8 && (body[i] ?? 0) >= 0x30 && (body[i] ?? 0) <= 0x39) len = len * 10 + ((body[i++] ?? 0) - 0x30);
    if (body[i] !== 0x20 || len <= i - at + 1 || at + len > body.length || body[at + len - 1] !== 0x0a) return undefined;
    const record = decodeName(body.subarray(i + 1, at + len - 1));
    if (record === undefined) return undefined;
    const eq = record.indexOf('=');
    if (eq <= 0) return undefined;
    const key = record.slice(0, eq);
    const value = record.slice(eq + 1);
    if (key === 'path') out.path = value;
    else if (key === 'size') {
      if (!/^\d{1,15}$/.test(value)) return undefined;
      out.size = Number(value);
    }
    at += len;
  }
  return out;
}
