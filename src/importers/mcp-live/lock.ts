/**
 * The MCP lock file (`<config>.mcp-lock.json`): what each server listed when it was inspected live
 * (`import mcp --live`), with a sha256 of every definition and of each server's whole listing.
 *
 * Everything here is data from the server and therefore hostile: it is copied into plain objects
 * (never assigned by key, so `__proto__` stays an ordinary key), capped in depth, size and count,
 * and never interpreted. Hashes are over canonical JSON (object keys sorted by UTF-16 code unit, no
 * spaces), so the same listing always gives the same hash and the same file bytes. A definition over
 * the limits is stored cut, but its hash covers the whole of it (marked `truncated`), so a change
 * hidden past the cut is still a change.
 */
import { createHash } from 'node:crypto';
import { diag, quote, type Diagnostic } from '../../model/diagnostics.js';
import { isRecord } from '../../model/references.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const LOCKFILE_VERSION = 1;

/** Limits on what a server may list; over them, the rest is dropped with a warning. */
export interface ListingLimits {
  /** Items of each kind (tools, prompts, resources). */
  readonly maxItems: number;
  /** Canonical JSON size of one definition, in characters. */
  readonly maxDefinitionChars: number;
  /** Nesting depth inside one definition. */
  readonly maxDepth: number;
  /** Length of one string inside a definition. */
  readonly maxString: number;
  /** Entries of one object or array inside a definition. */
  readonly maxEntries: number;
}

export const LISTING_LIMITS: ListingLimits = { maxItems: 1_000, maxDefinitionChars: 256 * 1024, maxDepth: 32, maxString: 100_000, maxEntries: 1_000 };

export type ItemKind = 'tool' | 'prompt' | 'resource';

/** One locked definition: its key (tool/prompt name, resource uri), hash, and the definition itself. */
export interface LockedItem {
  readonly key: string;
  /** sha256 of the definition as the server listed it, in full (also when `definition` is cut). */
  readonly sha256: string;
  readonly definition: JsonObject;
  /**
   * The stored definition is cut (it was over the limits), so the hash cannot be recomputed from it:
   * the hash still covers the whole definition, so a change hidden past the cut is still detected.
   */
  readonly truncated?: true;
}

export interface ServerLock {
  /** The server's name in the configuration (the key of its entry). */
  readonly name: string;
  /** sha256 of the whole listing: instructions, tools, prompts and resources (not serverInfo). */
  readonly sha256: string;
  /** What the server said it is (name, version): untrusted, informative only. */
  readonly serverInfo?: { readonly name: string; readonly version: string };
  /** Instructions the server gives the client at initialisation (they reach the model too). */
  readonly instructions?: string;
  readonly tools: readonly LockedItem[];
  readonly prompts: readonly LockedItem[];
  readonly resources: readonly LockedItem[];
}

export interface LockFile {
  readonly servers: readonly ServerLock[];
}

/** What a server returned, before it is capped and hashed. */
export interface RawListing {
  readonly serverInfo?: { readonly name?: unknown; readonly version?: unknown } | undefined;
  readonly instructions?: unknown;
  readonly tools: readonly unknown[];
  readonly prompts: readonly unknown[];
  readonly resources: readonly unknown[];
}

// ---------------------------------------------------------------------------------------------------------------------
// Canonical JSON and hashing


/** Canonical JSON: sorted keys, no whitespace. The value is already capped (depth ≤ maxDepth). */
export function canonicalJson(value: Json): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k] ?? null)}`).join(',')}}`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * A copy of server data as plain JSON within the limits: depth, string length and entry counts are
 * capped (the cut is reported through `cut`); functions, undefined and non-finite numbers become null.
 */
export function toJson(value: unknown, limits: ListingLimits, cut: { value: boolean }, depth = 0): Json {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    if (value.length <= limits.maxString) return value;
    cut.value = true;
    return value.slice(0, limits.maxString);
  }
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'object') return null;
  if (depth >= limits.maxDepth) {
    cut.value = true;
    return null;
  }
  if (Array.isArray(value)) {
    if (value.length > limits.maxEntries) cut.value = true;
    return (value as unknown[]).slice(0, limits.maxEntries).map((v) => toJson(v, limits, cut, depth + 1));
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > limits.maxEntries) cut.value = true;
  // Object.fromEntries defines own properties: a "__proto__" key stays data.
  return Object.fromEntries(entries.slice(0, limits.maxEntries).map(([k, v]) => [k.slice(0, limits.maxString), toJson(v, limits, cut, depth + 1)]));
}

/** Most values hashed in one uncut definition (a guard against data that is not JSON-shaped). */
const MAX_HASH_NODES = 20_000_000;

/**
 * sha256 of the canonical JSON of a value as it is (no limits applied), computed iteratively and fed
 * to the hash in pieces; for values within the limits it equals sha256(canonicalJson(toJson(value))).
 * Undefined when the value is too large to walk.
 */
export function fullSha256(value: unknown): string | undefined {
  const h = createHash('sha256');
  const stack: ({ readonly v: unknown } | string)[] = [{ v: value }];
  let nodes = 0;
  while (stack.length > 0) {
    const top = stack.pop();
    if (top === undefined) break;
    if (typeof top === 'string') {
      h.update(top, 'utf8');
      continue;
    }
    if (++nodes > MAX_HASH_NODES) return undefined;
    const v = top.v;
    if (typeof v === 'string') h.update(JSON.stringify(v), 'utf8');
    else if (typeof v === 'boolean') h.update(v ? 'true' : 'false');
    else if (typeof v === 'number') h.update(Number.isFinite(v) ? JSON.stringify(v) : 'null');
    else if (v === null || typeof v !== 'object') h.update('null');
    else if (Array.isArray(v)) {
      const items = v as unknown[];
      stack.push(']');
      for (let i = items.length - 1; i >= 0; i--) {
        stack.push({ v: items[i] });
        if (i > 0) stack.push(',');
      }
      stack.push('[');
    } else {
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o).sort();
      stack.push('}');
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i] ?? '';
        stack.push({ v: o[k] });
        stack.push(`${i > 0 ? ',' : ''}${JSON.stringify(k)}:`);
      }
      stack.push('{');
    }
  }
  return h.digest('hex');
}

// ---------------------------------------------------------------------------------------------------------------------
// Building a server's lock from what it listed

export interface LockWarning {
  readonly code: string;
  readonly message: string;
}

const KEY_FIELD: Record<ItemKind, string> = { tool: 'name', prompt: 'name', resource: 'uri' };

function itemsOf(kind: ItemKind, raw: readonly unknown[], server: string, limits: ListingLimits, warnings: LockWarning[]): LockedItem[] {
  const out = new Map<string, LockedItem>();
  if (raw.length > limits.maxItems) {
    warnings.push({ code: 'W_MCP_LIVE_LIMIT', message: `server ${quote(server, 60)} listed ${raw.length} ${kind}s: only the first ${limits.maxItems} are kept` });
  }
  for (const item of raw.slice(0, limits.maxItems)) {
    if (!isRecord(item)) continue;
    const cut = { value: false };
    const json = toJson(item, limits, cut) as JsonObject;
    // _meta is per-response bookkeeping, not part of the definition the model sees.
    const definition: JsonObject = Object.fromEntries(Object.entries(json).filter(([k]) => k !== '_meta'));
    const key = definition[KEY_FIELD[kind]];
    if (typeof key !== 'string' || key === '') {
      warnings.push({ code: 'W_MCP_LIVE_ITEM', message: `server ${quote(server, 60)} listed a ${kind} without a ${KEY_FIELD[kind]}: skipped` });
      continue;
    }
    let text = canonicalJson(definition);
    let def = definition;
    if (text.length > limits.maxDefinitionChars) {
      cut.value = true;
      const description = typeof definition['description'] === 'string' ? definition['description'].slice(0, 10_000) : null;
      def = Object.fromEntries([[KEY_FIELD[kind], key], ['description', description], ['truncated', true]]) as JsonObject;
      text = canonicalJson(def);
    }
    // A cut definition is still hashed in full: a change past the cut (a padded description with new
    // instructions at its end) must change the hash, or a rug pull could hide behind the limits.
    const full = cut.value ? fullSha256(Object.fromEntries(Object.entries(item).filter(([k]) => k !== '_meta'))) : undefined;
    if (cut.value) warnings.push({ code: 'W_MCP_LIVE_LIMIT', message: `server ${quote(server, 60)}: the ${kind} ${quote(key, 60)} is larger than the limits and was cut` });
    if (out.has(key)) {
      warnings.push({ code: 'W_MCP_LIVE_DUPLICATE', message: `server ${quote(server, 60)} listed the ${kind} ${quote(key, 60)} twice: the first is kept` });
      continue;
    }
    out.set(key, full !== undefined ? { key, sha256: full, definition: def, truncated: true } : { key, sha256: sha256(text), definition: def });
  }
  return [...out.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The hash of a whole listing: over the instructions and every item's key and hash, in order. */
export function listingHash(s: Pick<ServerLock, 'instructions' | 'tools' | 'prompts' | 'resources'>): string {
  const pick = (items: readonly LockedItem[]): Json => items.map((i) => [i.key, i.sha256]);
  return sha256(canonicalJson({ instructions: s.instructions ?? null, tools: pick(s.tools), prompts: pick(s.prompts), resources: pick(s.resources) }));
}

/** A server's listing → its lock entry (capped, sorted, hashed), plus warnings about what was cut. */
export function buildServerLock(name: string, raw: RawListing, limits: ListingLimits = LISTING_LIMITS): { lock: ServerLock; warnings: LockWarning[] } {
  const warnings: LockWarning[] = [];
  const tools = itemsOf('tool', raw.tools, name, limits, warnings);
  const prompts = itemsOf('prompt', raw.prompts, name, limits, warnings);
  const resources = itemsOf('resource', raw.resources, name, limits, warnings);
  const instructions = typeof raw.instructions === 'string' && raw.instructions !== '' ? raw.instructions.slice(0, limits.maxString) : undefined;
  const info = raw.serverInfo;
  const serverInfo = info && typeof info.name === 'string' ? { name: info.name.slice(0, 1000), version: typeof info.version === 'string' ? info.version.slice(0, 1000) : '' } : undefined;
  const base = { tools, prompts, resources, ...(instructions !== undefined ? { instructions } : {}) };
  return { lock: { name, sha256: listingHash(base), ...(serverInfo ? { serverInfo } : {}), ...base }, warnings };
}

// ---------------------------------------------------------------------------------------------------------------------
// Comparing a fresh listing with the lock

export interface Change {
  readonly kind: ItemKind | 'instructions';
  /** Tool/prompt name or resource uri; empty for instructions. */
  readonly key: string;
  readonly change: 'changed' | 'added' | 'removed';
}

function diffItems(kind: ItemKind, locked: readonly LockedItem[], now: readonly LockedItem[], out: Change[]): void {
  const before = new Map(locked.map((i) => [i.key, i.sha256]));
  const after = new Map(now.map((i) => [i.key, i.sha256]));
  for (const i of now) {
    const had = before.get(i.key);
    if (had === undefined) out.push({ kind, key: i.key, change: 'added' });
    else if (had !== i.sha256) out.push({ kind, key: i.key, change: 'changed' });
  }
  for (const i of locked) if (!after.has(i.key)) out.push({ kind, key: i.key, change: 'removed' });
}

/** What differs between the locked listing and a fresh one (empty when the whole-listing hashes agree). */
export function compareLocks(locked: ServerLock, now: ServerLock): Change[] {
  if (locked.sha256 === now.sha256) return [];
  const out: Change[] = [];
  if ((locked.instructions ?? '') !== (now.instructions ?? '')) out.push({ kind: 'instructions', key: '', change: locked.instructions === undefined ? 'added' : now.instructions === undefined ? 'removed' : 'changed' });
  diffItems('tool', locked.tools, now.tools, out);
  diffItems('prompt', locked.prompts, now.prompts, out);
  diffItems('resource', locked.resources, now.resources, out);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------------
// The file

const ABOUT =
  'Tool, prompt and resource definitions as each MCP server listed them to maestro-tm import --live, with sha256 hashes (canonical JSON, sorted keys). Review them and commit this file: later imports read it offline, and the next --live run reports any definition that changed.';

/** The lock file's text: deterministic (servers by name, items by key, keys sorted), two-space JSON. */
export function renderLockFile(lock: LockFile): string {
  const servers = [...lock.servers].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const item = (i: LockedItem, keyName: string): Json => ({ [keyName]: i.key, sha256: i.sha256, definition: i.definition, ...(i.truncated ? { truncated: true } : {}) });
  const data: JsonObject = {
    lockfileVersion: LOCKFILE_VERSION,
    about: ABOUT,
    servers: servers.map((s) => {
      const o: JsonObject = { name: s.name, sha256: s.sha256 };
      if (s.serverInfo) o['serverInfo'] = { name: s.serverInfo.name, version: s.serverInfo.version };
      if (s.instructions !== undefined) o['instructions'] = s.instructions;
      o['tools'] = s.tools.map((i) => item(i, 'name'));
      o['prompts'] = s.prompts.map((i) => item(i, 'name'));
      o['resources'] = s.resources.map((i) => item(i, 'uri'));
      return o;
    }),
  };
  return `${JSON.stringify(sortKeysDeep(data), null, 2)}\n`;
}

/** The same value with every object's keys in sorted order (for the pretty-printed file). */
function sortKeysDeep(v: Json): Json {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(sortKeysDeep);
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k): [string, Json] => [k, sortKeysDeep(v[k] ?? null)]),
  );
}

function lockDiag(file: string, message: string, pointer: string, severity: 'error' | 'warning' = 'error'): Diagnostic {
  return {
    ...diag(severity === 'error' ? 'E_MCP_LOCK' : 'W_MCP_LOCK', message, {
      hint: severity === 'error' ? 'delete the lock file and run the import again with --live to list the servers afresh' : 'run the import again with --live --update-lock to record what the server lists now',
      pointer,
      severity,
    }),
    file,
  };
}

/**
 * A lock file's text → the lock, or diagnostics (JSON pointer of the problem). Every hash is checked
 * against the definition it covers: a lock edited by hand is reported, and its recomputed hashes used.
 */
export function parseLockFile(text: string, file: string, limits: ListingLimits = LISTING_LIMITS): { lock?: LockFile; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { diagnostics: [lockDiag(file, `not valid JSON (${err instanceof SyntaxError ? err.message : 'parse error'})`, '')] };
  }
  if (!isRecord(data)) return { diagnostics: [lockDiag(file, 'a lock file is a JSON object', '')] };
  if (data['lockfileVersion'] !== LOCKFILE_VERSION) {
    return { diagnostics: [lockDiag(file, `unsupported lockfileVersion ${quote(JSON.stringify(data['lockfileVersion'] ?? null), 20)} (this version of maestro-tm reads ${LOCKFILE_VERSION})`, '/lockfileVersion')] };
  }
  const list = data['servers'];
  if (!Array.isArray(list)) return { diagnostics: [lockDiag(file, '"servers" should be a list', '/servers')] };
  const servers: ServerLock[] = [];
  const names = new Set<string>();
  (list as unknown[]).slice(0, 10_000).forEach((s, i) => {
    const at = `/servers/${i}`;
    if (!isRecord(s) || typeof s['name'] !== 'string' || s['name'] === '') {
      diagnostics.push(lockDiag(file, 'a server entry needs a "name"', at));
      return;
    }
    const name = s['name'];
    if (names.has(name)) {
      diagnostics.push(lockDiag(file, `the server ${quote(name, 60)} appears twice`, at));
      return;
    }
    names.add(name);
    const kinds: [ItemKind, string, string][] = [
      ['tool', 'tools', 'name'],
      ['prompt', 'prompts', 'name'],
      ['resource', 'resources', 'uri'],
    ];
    const got: Record<string, LockedItem[]> = { tools: [], prompts: [], resources: [] };
    let edited = false;
    for (const [kind, field, keyName] of kinds) {
      const items = s[field];
      if (items === undefined) continue;
      if (!Array.isArray(items)) {
        diagnostics.push(lockDiag(file, `${field} should be a list`, `${at}/${field}`));
        continue;
      }
      const seen = new Set<string>();
      (items as unknown[]).slice(0, limits.maxItems).forEach((it, k) => {
        const p = `${at}/${field}/${k}`;
        if (!isRecord(it) || typeof it[keyName] !== 'string' || !isRecord(it['definition'])) {
          diagnostics.push(lockDiag(file, `a ${kind} entry needs "${keyName}" and a "definition" object`, p));
          return;
        }
        const key = it[keyName];
        if (seen.has(key)) return;
        seen.add(key);
        const cut = { value: false };
        const definition = toJson(it['definition'], limits, cut) as JsonObject;
        const recorded = it['sha256'];
        // A cut definition's hash covers the whole listing, which the file does not hold: kept as recorded.
        if (it['truncated'] === true && typeof recorded === 'string' && /^[0-9a-f]{64}$/.test(recorded)) {
          got[field]?.push({ key, sha256: recorded, definition, truncated: true });
          return;
        }
        const hash = sha256(canonicalJson(definition));
        if (recorded !== hash) edited = true;
        got[field]?.push({ key, sha256: hash, definition });
      });
      got[field]?.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    }
    const instructions = typeof s['instructions'] === 'string' ? s['instructions'].slice(0, limits.maxString) : undefined;
    const info = s['serverInfo'];
    const serverInfo = isRecord(info) && typeof info['name'] === 'string' ? { name: info['name'].slice(0, 1000), version: typeof info['version'] === 'string' ? info['version'].slice(0, 1000) : '' } : undefined;
    const base = { tools: got['tools'] ?? [], prompts: got['prompts'] ?? [], resources: got['resources'] ?? [], ...(instructions !== undefined ? { instructions } : {}) };
    const whole = listingHash(base);
    if (s['sha256'] !== whole) edited = true;
    if (edited) diagnostics.push(lockDiag(file, `the hashes recorded for server ${quote(name, 60)} do not match its definitions: the lock file was edited by hand`, at, 'warning'));
    servers.push({ name, sha256: whole, ...(serverInfo ? { serverInfo } : {}), ...base });
  });
  return { lock: { servers }, diagnostics };
}
