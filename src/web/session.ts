/**
 * The model the web UI works on: the text last read from disk, the working text with the edits made
 * in the UI (unsaved), and the risk-tracking sidecar. Only two files are ever read or written: the
 * model file given on the command line and its `<stem>.tracking.yaml` beside it. Saving is atomic
 * and refused when the file on disk changed since it was read; a change on disk is picked up by
 * polling its size, time and hash.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { writeFileAtomic } from '../io/files.js';
import { defaultTrackingPath } from '../io/tracking.js';
import { decodeModelBytes, detectFormat, DEFAULT_LIMITS, parseSource, type SourceFormat } from '../model/parse.js';
import { editModel } from '../model/write.js';
import { loadTrackingText, NEEDS_JUSTIFICATION, TRACKING_STATUSES, trackingKeyProblem } from '../tracking/index.js';
import type { TrackingStatus } from '../engine/analyse.js';
import type { ModelInput } from './jobs.js';

const MAX_TRACKING_BYTES = 5 * 1024 * 1024;

export const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

interface DiskState {
  readonly text: string;
  readonly hash: string;
  /** size:mtime of the last stat, to skip re-reading an unchanged file. */
  readonly stamp: string;
}

export type ReadResult = { readonly ok: true; readonly disk: DiskState } | { readonly ok: false; readonly message: string };

function stampOf(path: string): string | undefined {
  try {
    const st = statSync(path);
    return st.isFile() ? `${st.size}:${st.mtimeMs}:${st.ino}` : undefined;
  } catch {
    return undefined;
  }
}

/** Read a text file with a size cap. */
export function readText(path: string, maxBytes: number): ReadResult {
  try {
    const st = statSync(path);
    if (!st.isFile()) return { ok: false, message: `${path} is not a file` };
    if (st.size > maxBytes) return { ok: false, message: `${path} is ${st.size} bytes, more than the limit of ${maxBytes} bytes` };
    const bytes = readFileSync(path);
    const decoded = decodeModelBytes(bytes, { ...DEFAULT_LIMITS, maxBytes });
    if (decoded.text === undefined) return { ok: false, message: `${path}: ${decoded.diagnostics[0]?.message ?? 'not UTF-8 text'}` };
    return { ok: true, disk: { text: decoded.text, hash: sha256(bytes), stamp: `${st.size}:${st.mtimeMs}:${st.ino}` } };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, message: `${path}: ${code === 'ENOENT' ? 'file not found' : `cannot read (${code ?? 'error'})`}` };
  }
}

export interface SessionOptions {
  readonly maxBytes?: number | undefined;
  /** YYYY-MM-DD for tracking expiry (default: today, UTC). */
  readonly today?: (() => string) | undefined;
}

export class Session {
  readonly path: string;
  readonly file: string;
  readonly format: SourceFormat;
  readonly trackingPath: string;
  readonly maxBytes: number;
  private disk: DiskState;
  private working: string;
  private tracking: DiskState | undefined;
  /** Bumped on every change of what the UI shows. */
  revision = 1;
  /** The file on disk changed while there were unsaved edits. */
  diskChanged = false;
  private readonly today: () => string;

  constructor(path: string, disk: DiskState, options: SessionOptions = {}) {
    this.path = path;
    this.file = basename(path);
    this.format = detectFormat(path, disk.text);
    this.disk = disk;
    this.working = disk.text;
    this.trackingPath = defaultTrackingPath(path);
    this.maxBytes = options.maxBytes ?? DEFAULT_LIMITS.maxBytes;
    this.today = options.today ?? (() => new Date().toISOString().slice(0, 10));
    this.tracking = this.readTracking();
  }

  get dirty(): boolean {
    return this.working !== this.disk.text;
  }

  get text(): string {
    return this.working;
  }

  /** What the analysis jobs need: the working text and the tracking sidecar. */
  input(text: string = this.working): ModelInput {
    return {
      text,
      file: this.file,
      format: this.format,
      today: this.today(),
      maxBytes: this.maxBytes,
      ...(this.tracking ? { tracking: { text: this.tracking.text, file: basename(this.trackingPath) } } : {}),
    };
  }

  /** Replace the working text with an edited one (already validated). */
  setWorking(text: string): void {
    if (text === this.working) return;
    this.working = text;
    this.revision++;
  }

  private readTracking(): DiskState | undefined {
    if (!existsSync(this.trackingPath)) return undefined;
    const r = readText(this.trackingPath, MAX_TRACKING_BYTES);
    return r.ok ? r.disk : undefined;
  }

  /** Look at both files on disk; returns true when what the UI shows changed. */
  poll(): boolean {
    let changed = false;
    const stamp = stampOf(this.path);
    if (stamp !== undefined && stamp !== this.disk.stamp) {
      const r = readText(this.path, this.maxBytes);
      if (r.ok && r.disk.hash !== this.disk.hash) {
        if (!this.dirty) {
          this.disk = r.disk;
          this.working = r.disk.text;
          this.diskChanged = false;
          changed = true;
        } else if (!this.diskChanged) {
          this.diskChanged = true;
          changed = true;
        }
      } else if (r.ok) {
        this.disk = { ...this.disk, stamp: r.disk.stamp };
      }
    }
    const tStamp = stampOf(this.trackingPath);
    if (tStamp !== this.tracking?.stamp) {
      const next = tStamp === undefined ? undefined : this.readTracking();
      if (next?.hash !== this.tracking?.hash) changed = true;
      this.tracking = next;
    }
    if (changed) this.revision++;
    return changed;
  }

  /** Drop the unsaved edits and read the file again. */
  reload(): ReadResult {
    const r = readText(this.path, this.maxBytes);
    if (!r.ok) return r;
    this.disk = r.disk;
    this.working = r.disk.text;
    this.diskChanged = false;
    this.tracking = this.readTracking();
    this.revision++;
    return r;
  }

  /**
   * Write the working text to the model file, atomically. Refused (conflict) when the file on disk is
   * not the one that was loaded: someone else changed it, and writing would lose their change.
   */
  save(): { status: 200 | 409 | 500; message: string; saved: boolean } {
    if (!this.dirty) return { status: 200, message: 'nothing to save: the model has no unsaved changes', saved: false };
    const now = readText(this.path, Math.max(this.maxBytes, 64 * 1024 * 1024));
    if (!now.ok || now.disk.hash !== this.disk.hash) {
      this.diskChanged = true;
      return {
        status: 409,
        message: `${this.file} changed on disk since it was loaded, so it was not saved (your edits are still here). Reload it to see the other change (your unsaved edits are dropped), then make them again.`,
        saved: false,
      };
    }
    try {
      writeFileAtomic(this.path, this.working);
    } catch (err) {
      return { status: 500, message: `${this.file} could not be written: ${err instanceof Error ? err.message : String(err)}`, saved: false };
    }
    const bytes = Buffer.from(this.working, 'utf8');
    this.disk = { text: this.working, hash: sha256(bytes), stamp: stampOf(this.path) ?? '' };
    this.diskChanged = false;
    this.revision++;
    return { status: 200, message: `saved ${this.file}`, saved: true };
  }

  /**
   * Set the triage status of a finding in the tracking sidecar (created beside the model when
   * missing), keeping the file's comments and other entries. Validated before it is written.
   */
  setTracking(key: string, status: string, reason: string | undefined): { status: 200 | 400 | 422 | 500; message: string } {
    const keyProblem = trackingKeyProblem(key);
    if (keyProblem) return { status: 400, message: `${keyProblem.message} (${keyProblem.hint})` };
    if (!(TRACKING_STATUSES as readonly string[]).includes(status)) return { status: 400, message: `unknown status ${JSON.stringify(status)}: use one of ${TRACKING_STATUSES.join(', ')}` };
    const st = status as TrackingStatus;
    const why = reason?.trim();
    if (why !== undefined && why.length > 4000) return { status: 400, message: 'the justification is longer than 4000 characters' };
    let text: string;
    if (existsSync(this.trackingPath)) {
      const r = readText(this.trackingPath, MAX_TRACKING_BYTES);
      if (!r.ok) return { status: 422, message: r.message };
      text = r.disk.text;
      const loaded = loadTrackingText(text, basename(this.trackingPath));
      if (!loaded.tracking) return { status: 422, message: `${basename(this.trackingPath)} is not a valid tracking file: fix it first (${loaded.diagnostics[0]?.message ?? 'invalid'})` };
      const existing = loaded.tracking.entries.find((e) => e.key === key);
      if (NEEDS_JUSTIFICATION.has(st) && !why && existing?.justification === undefined) return { status: 400, message: `status ${st} needs a justification: say why (who decided, on what grounds)` };
    } else {
      if (NEEDS_JUSTIFICATION.has(st) && !why) return { status: 400, message: `status ${st} needs a justification: say why (who decided, on what grounds)` };
      text = [
        `# Risk tracking for ${this.file.replace(/[\r\n]/g, '')}: triage decisions that survive re-analysis (docs/tracking.md).`,
        '# Written by maestro-tm serve; edit freely (comments and order are kept).',
        'version: 1',
        'findings:',
        '',
      ].join('\n');
    }
    const editor = editModel({ format: 'yaml', text });
    const data = parseSource(text, 'yaml').parsed?.data;
    const section = data && typeof data === 'object' ? (data as Record<string, unknown>)['findings'] : undefined;
    const entries = section && typeof section === 'object' ? (section as Record<string, unknown>) : undefined;
    const fields: [string, string][] = [['status', st]];
    if (why) fields.push(['justification', why]);
    if (entries && Object.hasOwn(entries, key)) {
      for (const [f, v] of fields) editor.set(['findings', key, f], v);
    } else if (!entries) {
      editor.set(['findings'], { [key]: Object.fromEntries(fields) });
    } else {
      editor.set(['findings', key], Object.fromEntries(fields));
    }
    const out = editor.toString();
    const check = loadTrackingText(out, basename(this.trackingPath));
    if (!check.tracking) return { status: 422, message: `the entry would make the tracking file invalid: ${check.diagnostics[0]?.message ?? 'invalid'}` };
    try {
      writeFileAtomic(this.trackingPath, out.endsWith('\n') ? out : `${out}\n`);
    } catch (err) {
      return { status: 500, message: `${basename(this.trackingPath)} could not be written: ${err instanceof Error ? err.message : String(err)}` };
    }
    this.tracking = this.readTracking();
    this.revision++;
    return { status: 200, message: `${key}: ${st} (in ${basename(this.trackingPath)})` };
  }
}

/** Open a session on a model file; a message when it cannot be read. */
export function openSession(path: string, options: SessionOptions = {}): Session | string {
  const r = readText(path, options.maxBytes ?? DEFAULT_LIMITS.maxBytes);
  if (!r.ok) return r.message;
  return new Session(path, r.disk, options);
}
