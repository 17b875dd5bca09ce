/**
 * Reading the risk-tracking sidecar. The default sidecar sits beside the model:
 * `<dir>/<model stem>.tracking.yaml` (for `examples/expense-reimbursement.yaml`,
 * `examples/expense-reimbursement.tracking.yaml`); it is used only when it exists. Validation is
 * pure (src/tracking/load.ts); this module only finds and reads the bytes.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { diag } from '../model/diagnostics.js';
import { loadTrackingBytes, type TrackingLoadResult } from '../tracking/load.js';

const MAX_TRACKING_BYTES = 5 * 1024 * 1024;

/** `<dir>/<stem>.tracking.yaml` for a model path (the stem drops .yaml, .yml or .json). */
export function defaultTrackingPath(modelPath: string): string {
  const stem = basename(modelPath).replace(/\.(ya?ml|json)$/i, '');
  return join(dirname(modelPath), `${stem}.tracking.yaml`);
}

/** The sidecar to use: the explicit one, else the default one when it exists, else none. */
export function trackingPathFor(modelPath: string, explicit?: string): string | undefined {
  if (explicit !== undefined) return explicit;
  const p = defaultTrackingPath(modelPath);
  return existsSync(p) ? p : undefined;
}

/** Read and validate a tracking file. Never throws: a missing or unreadable file is a diagnostic. */
export function loadTrackingFile(path: string): TrackingLoadResult {
  let bytes: Uint8Array;
  try {
    const st = statSync(path);
    if (st.isDirectory()) return { diagnostics: [{ ...diag('E_FILE', 'this is a directory, not a tracking file', { hint: 'name a .tracking.yaml file' }), file: path }] };
    if (st.size > MAX_TRACKING_BYTES) {
      return { diagnostics: [{ ...diag('E_LIMIT_SIZE', `tracking file is ${st.size} bytes, more than the limit of ${MAX_TRACKING_BYTES} bytes`, { hint: 'use * patterns instead of one entry per finding', line: 1, column: 1 }), file: path }] };
    }
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? 'tracking file not found' : code === 'EACCES' ? 'permission denied' : `cannot read the tracking file (${code ?? 'error'})`;
    return { diagnostics: [{ ...diag('E_FILE', message, { hint: 'check the path given to --tracking' }), file: path }] };
  }
  return loadTrackingBytes(bytes, path);
}
