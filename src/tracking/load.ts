/**
 * Tracking text -> validated entries with positions. Pure (the CLI reads the bytes): reuses the
 * model parser (limits, encodings, YAML core schema, duplicate keys, alias budget) and reports
 * every problem as a Diagnostic with line:column and a hint. Never throws.
 */
import { isRecord } from '../model/references.js';
import { decodeModelBytes, detectFormat, parseSource, DEFAULT_LIMITS, type SourceMap } from '../model/parse.js';
import { diag, nearest, quote, findInvisible, type Diagnostic } from '../model/diagnostics.js';
import { KEY_PATTERN, KNOWN_ENTRY_FIELDS, TRACKING_FORMAT_VERSION, TRACKING_STATUSES, TrackingEntrySchema, type TrackingEntry, type TrackingFile } from './schema.js';

export interface TrackingLoadResult {
  /** Present when there are no errors (warnings allowed). */
  readonly tracking?: TrackingFile;
  readonly diagnostics: Diagnostic[];
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const LIMITS = { ...DEFAULT_LIMITS, maxBytes: 5 * 1024 * 1024 };

const FIELD_HINTS: Readonly<Record<string, string>> = {
  status: `one of ${TRACKING_STATUSES.join(', ')}`,
  justification: 'say in a sentence why the finding is accepted, a false positive or mitigated',
  owner: 'the team or person accountable, as text',
  ticket: 'a ticket reference as text, for example SEC-123',
  review: 'a date written YYYY-MM-DD (quote it in YAML if your editor turns it into something else)',
  expires: 'a date written YYYY-MM-DD; after it the entry counts as open again',
};


export function loadTrackingBytes(bytes: Uint8Array, file: string): TrackingLoadResult {
  const decoded = decodeModelBytes(bytes, LIMITS);
  if (decoded.text === undefined) return { diagnostics: decoded.diagnostics.map((d) => ({ ...d, file })) };
  return loadTrackingText(decoded.text, file);
}

export function loadTrackingText(text: string, file: string): TrackingLoadResult {
  const withFile = (ds: Diagnostic[]): Diagnostic[] => ds.map((d) => ({ ...d, file }));
  const parsed = parseSource(text, detectFormat(file, text), LIMITS);
  if (!parsed.parsed) {
    // `*@agent:` unquoted is a YAML alias, not a key: say so before the parser's own complaints.
    const star = /^([ \t]*)\*[^\s:]*:/m.exec(text);
    const starHint: Diagnostic[] = [];
    if (star) {
      const line = text.slice(0, star.index).split('\n').length;
      starHint.push(diag('E_TRACKING_KEY', 'a key starting with * must be quoted in YAML (unquoted, * starts an alias)', { hint: `write it as "${star[0].trim().slice(0, -1)}":`, line, column: (star[1]?.length ?? 0) + 1 }));
    }
    return {
      diagnostics: withFile([
        ...starHint,
        ...parsed.diagnostics.map((d) =>
          d.code === 'E_EMPTY' ? { ...d, message: 'the tracking file is empty', hint: 'write `findings:` followed by entries, or run `maestro-tm track` to add one' } : d,
        ),
      ]),
    };
  }
  const { data, map } = parsed.parsed;
  const ds: Diagnostic[] = [];
  const at = (path: (string | number)[], target: 'key' | 'value' = 'value') => map.locate(path, target) ?? { line: 1, column: 1 };
  if (!isRecord(data)) {
    return { diagnostics: withFile([diag('E_TRACKING_SHAPE', 'a tracking file is a mapping with a `findings:` section', { hint: 'start the file with `findings:` and put one entry per finding id under it', line: 1, column: 1 })]) };
  }
  for (const k of Object.keys(data)) {
    if (k === 'version' || k === 'findings') continue;
    const near = nearest(k, ['version', 'findings'], 1);
    ds.push(
      diag('W_TRACKING_UNKNOWN_FIELD', `unknown top-level field ${quote(k)} (kept, not used)`, {
        hint: near.length ? `did you mean ${near.join('')}?` : 'a tracking file has `version` and `findings`',
        ...at([k], 'key'),
      }),
    );
  }
  if (Object.hasOwn(data, 'version') && data['version'] !== TRACKING_FORMAT_VERSION) {
    ds.push(diag('E_TRACKING_VERSION', `unsupported tracking format version ${quote(data['version'])}`, { hint: `this maestro-tm reads version ${TRACKING_FORMAT_VERSION}; write \`version: ${TRACKING_FORMAT_VERSION}\``, ...at(['version']) }));
  }
  const findings = data['findings'];
  if (!Object.hasOwn(data, 'findings') || findings === null) {
    // `findings:` with nothing under it is an empty list of entries, not an error.
    if (!Object.hasOwn(data, 'findings')) {
      ds.push(diag('E_TRACKING_SHAPE', 'the tracking file has no `findings:` section', { hint: 'add `findings:` with one entry per finding id (or pattern) under it', line: 1, column: 1 }));
    }
    return finish(file, [], ds);
  }
  if (!isRecord(findings)) {
    ds.push(diag('E_TRACKING_SHAPE', '`findings` must be a mapping from finding id to entry', { hint: 'write `findings:` then `  <rule>@<element>:` and the entry fields indented under it', ...at(['findings']) }));
    return finish(file, [], ds);
  }
  const entries: TrackingEntry[] = [];
  let order = 0;
  for (const key of Object.keys(findings)) {
    const keyPos = at(['findings', key], 'key');
    const problem = trackingKeyProblem(key);
    if (problem) {
      ds.push(diag('E_TRACKING_KEY', problem.message, { hint: problem.hint, pointer: `/findings/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, ...keyPos }));
      continue;
    }
    const entry = readEntry(key, findings[key], map, ds, keyPos, order);
    if (entry) {
      entries.push(entry);
      order++;
    }
  }
  return finish(file, entries, ds);
}

function finish(file: string, entries: TrackingEntry[], ds: Diagnostic[]): TrackingLoadResult {
  const sorted = ds
    .map((d) => ({ ...d }))
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const diagnostics = sorted.map((d) => ({ ...d, file }));
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  return { tracking: { source: file, entries }, diagnostics };
}

export function trackingKeyProblem(key: string): { message: string; hint: string } | undefined {
  if (FORBIDDEN.has(key)) return { message: `${quote(key)} is not a finding id`, hint: 'keys are finding ids such as lethal-trifecta-in-agent@payment_agent' };
  const inv = findInvisible(key);
  if (inv) return { message: `key ${quote(key)} contains an invisible character (${inv.codePoint} at index ${inv.index})`, hint: 'retype the key; invisible characters could hide which finding an entry covers' };
  if (!KEY_PATTERN.test(key)) {
    return {
      message: `key ${quote(key)} is not a finding id or pattern`,
      hint: 'a key is <rule>@<element> (letters, digits, _ . : - and @), with * for any run of characters',
    };
  }
  if (!key.includes('@') && !key.includes('*')) {
    return { message: `key ${quote(key)} is not a finding id: finding ids are <rule>@<element>`, hint: `to cover every finding of a rule write ${key}@*; to cover an element write *@${key}` };
  }
  return undefined;
}

function readEntry(key: string, raw: unknown, map: SourceMap, ds: Diagnostic[], keyPos: { line: number; column: number }, order: number): TrackingEntry | undefined {
  const base = ['findings', key];
  const at = (field: string, target: 'key' | 'value' = 'value') => map.locate([...base, field], target) ?? keyPos;
  if (typeof raw === 'string' && (TRACKING_STATUSES as readonly string[]).includes(raw)) {
    ds.push(diag('E_TRACKING_ENTRY', `entry ${quote(key)} is a bare status; write it as a mapping`, { hint: `write \`status: ${raw}\` (and \`justification:\`) indented under the key`, ...map.locate(base) ?? keyPos }));
    return undefined;
  }
  if (!isRecord(raw)) {
    ds.push(diag('E_TRACKING_ENTRY', `entry ${quote(key)} must be a mapping with at least \`status\``, { hint: 'indent `status:`, `justification:` and the other fields under the key', ...map.locate(base) ?? keyPos }));
    return undefined;
  }
  let forbidden = false;
  for (const f of Object.keys(raw)) {
    if ((KNOWN_ENTRY_FIELDS as readonly string[]).includes(f)) continue;
    if (FORBIDDEN.has(f)) {
      forbidden = true;
      ds.push(diag('E_TRACKING_FIELD', `field ${quote(f)} is not allowed`, { hint: `remove it; entry fields are ${KNOWN_ENTRY_FIELDS.join(', ')}`, ...at(f, 'key') }));
      continue;
    }
    const near = nearest(f, KNOWN_ENTRY_FIELDS, 1);
    ds.push(
      diag('W_TRACKING_UNKNOWN_FIELD', `unknown field ${quote(f)} in entry ${quote(key)} (kept, not used)`, {
        hint: near.length ? `did you mean ${near.join('')}?` : `known fields are ${KNOWN_ENTRY_FIELDS.join(', ')}`,
        ...at(f, 'key'),
      }),
    );
  }
  if (forbidden) return undefined;
  const res = TrackingEntrySchema.safeParse(raw);
  if (!res.success) {
    for (const issue of res.error.issues) {
      const field = typeof issue.path[0] === 'string' ? issue.path[0] : 'status';
      const value = raw[field];
      if (field === 'status' && !Object.hasOwn(raw, 'status')) {
        ds.push(diag('E_TRACKING_STATUS', `entry ${quote(key)} has no status`, { hint: `add \`status:\` with ${FIELD_HINTS['status'] ?? ''}`, ...keyPos }));
      } else if (field === 'status' && issue.code === 'custom') {
        ds.push(
          diag('E_TRACKING_JUSTIFICATION', `entry ${quote(key)}: ${issue.message}`, {
            hint: 'add `justification:` saying why (who decided, on what grounds); reviewers and auditors read it',
            ...at('status'),
          }),
        );
      } else if (field === 'status') {
        const near = typeof value === 'string' ? nearest(value.toLowerCase().replace(/[ _]/g, '-'), TRACKING_STATUSES, 1) : [];
        ds.push(
          diag('E_TRACKING_STATUS', `entry ${quote(key)}: unknown status ${quote(value)}`, {
            hint: `${near.length ? `did you mean ${near.join('')}? ` : ''}status is ${FIELD_HINTS['status'] ?? ''}`,
            ...at('status'),
          }),
        );
      } else {
        const what = typeof value === 'string' ? issue.message : `must be text, not ${value === null ? 'empty' : Array.isArray(value) ? 'a list' : typeof value}`;
        ds.push(diag(field === 'review' || field === 'expires' ? 'E_TRACKING_DATE' : 'E_TRACKING_FIELD', `entry ${quote(key)}: ${field} ${what}`, { hint: FIELD_HINTS[field] ?? 'fix the value', ...at(field) }));
      }
    }
    return undefined;
  }
  const v = res.data;
  const extra: Record<string, unknown> = {};
  for (const f of Object.keys(raw)) if (!(KNOWN_ENTRY_FIELDS as readonly string[]).includes(f)) extra[f] = raw[f];
  const entry: { -readonly [K in keyof TrackingEntry]: TrackingEntry[K] } = { key, status: v.status, extra, order, line: keyPos.line, column: keyPos.column };
  if (v.justification !== undefined) entry.justification = v.justification;
  if (v.owner !== undefined) entry.owner = v.owner;
  if (v.ticket !== undefined) entry.ticket = v.ticket;
  if (v.review !== undefined) entry.review = v.review;
  if (v.expires !== undefined) entry.expires = v.expires;
  if (entry.review !== undefined && entry.expires !== undefined && entry.expires < entry.review) {
    ds.push(diag('W_TRACKING_DATES', `entry ${quote(key)} expires (${entry.expires}) before its review date (${entry.review})`, { hint: 'set the review date on or before the expiry', ...at('expires') }));
  }
  return entry;
}
