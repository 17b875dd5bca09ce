/**
 * Listed (or locked) MCP server definitions → the imported model: each server element gets its
 * tools (name and the description the model reads, parameter descriptions included), prompts,
 * resources and `lock.hash`; a definition changed since it was locked adds the tags the
 * `mcp-tool-definition-changed` rule reads. Pure: no I/O.
 *
 * Also returns notes for what is plain to see at import time (invisible characters, a tool name
 * listed by two servers, a changed definition); the rules raise the findings at `analyze`.
 */
import { diag, findInvisible, quote, type Diagnostic } from '../../model/diagnostics.js';
import type { McpServerSpec, ModelFile } from '../../model/schema.js';
import { clip } from '../_model.js';
import type { ImportNote } from '../types.js';
import type { Change, Json, LockedItem, ServerLock } from './lock.js';

/** Tag on a server whose listing differs from its lock (read by the mcp-tool-definition-changed rule). */
export const CHANGED_TAG = 'tool-definition-changed';
/** Tag prefix naming one changed, added or removed tool: `changed-tool:<name>`. */
export const CHANGED_TOOL_PREFIX = 'changed-tool:';
const MAX_CHANGED_TAGS = 50;

export interface AppliedListing {
  readonly file: string;
  readonly pointer: string;
  readonly name: string;
  readonly line: number;
  /** What the model gets: the fresh listing (live) or the locked one (offline). */
  readonly listing: ServerLock;
  /** The hash recorded in the lock file, when the server is locked. */
  readonly lockedHash?: string;
  readonly lockFile: string;
  readonly source: 'live' | 'lock';
  /** Differences from the lock (live runs only). */
  readonly changes: readonly Change[];
}

function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The description an agent's model reads for a tool: its description, title and parameter descriptions. */
export function toolText(item: LockedItem): string {
  const d = item.definition;
  const parts: string[] = [];
  const description = str(d['description']);
  if (description !== undefined) parts.push(description);
  const title = str(d['title']);
  if (title !== undefined && title !== description) parts.push(`Title: ${title}`);
  const schema = d['inputSchema'];
  const props = schema !== null && typeof schema === 'object' && !Array.isArray(schema) ? schema['properties'] : undefined;
  if (props !== null && props !== undefined && typeof props === 'object' && !Array.isArray(props)) {
    for (const key of Object.keys(props).sort()) {
      const p = props[key];
      const pd = p !== null && p !== undefined && typeof p === 'object' && !Array.isArray(p) ? str(p['description']) : undefined;
      if (pd !== undefined) parts.push(`Parameter ${key}: ${pd}`);
    }
  }
  return parts.join('\n');
}

function describeChange(c: Change): string {
  if (c.kind === 'instructions') return `the server instructions were ${c.change}`;
  return `${c.kind} ${quote(c.key, 60)} ${c.change}`;
}

/** Put listings into (a copy of) the model. Listings whose element is not in the model are reported. */
export function applyListings(model: ModelFile, listings: readonly AppliedListing[]): { model: ModelFile; notes: ImportNote[]; diagnostics: Diagnostic[] } {
  const out = structuredClone(model);
  const notes: ImportNote[] = [];
  const diagnostics: Diagnostic[] = [];
  const servers = out.mcpServers ?? [];
  const toolOwners = new Map<string, { id: string; l: AppliedListing }[]>();
  for (const l of listings) {
    const el: McpServerSpec | undefined = servers.find((s) => s.importedFrom?.file === l.file && (s.importedFrom.pointer ?? '') === l.pointer);
    if (el === undefined) {
      diagnostics.push({ ...diag('W_MCP_LIVE_UNMATCHED', `server ${quote(l.name, 60)} is not in the imported model: its listing is not used`, { hint: 'check that the server entry is valid in the configuration', line: l.line, pointer: l.pointer, severity: 'warning' }), file: l.file });
      continue;
    }
    const tools = l.listing.tools.map((t) => {
      const description = toolText(t);
      return { name: clip(t.key), ...(description !== '' ? { description: clip(description, 1_000_000) } : {}) };
    });
    el.tools = tools;
    if (l.listing.prompts.length > 0) el.prompts = l.listing.prompts.map((p) => clip(p.key));
    else delete el.prompts;
    if (l.listing.resources.length > 0) el.resources = l.listing.resources.map((r) => clip(r.key));
    else delete el.resources;
    if (l.lockedHash !== undefined) el.lock = { hash: `sha256:${l.lockedHash}` };
    const said: string[] = [];
    said.push(
      l.source === 'live'
        ? `Tools, prompts and resources as the server listed them to maestro-tm import --live (listing sha256 ${l.listing.sha256}); the lock file ${JSON.stringify(clip(l.lockFile, 500))} records the locked definitions.`
        : `Tools, prompts and resources as locked in ${JSON.stringify(clip(l.lockFile, 500))} (listing sha256 ${l.listing.sha256}), recorded by an earlier maestro-tm import --live.`,
    );
    if (l.listing.instructions !== undefined) said.push(`Instructions the server gives the client: ${l.listing.instructions}`);
    const tags = new Set((el.tags ?? []).filter((t) => t !== CHANGED_TAG && !t.startsWith(CHANGED_TOOL_PREFIX)));
    if (l.changes.length > 0) {
      tags.add(CHANGED_TAG);
      for (const c of l.changes.filter((x) => x.kind === 'tool').slice(0, MAX_CHANGED_TAGS)) tags.add(clip(`${CHANGED_TOOL_PREFIX}${c.key}`));
      said.push(`Changed since it was locked: ${l.changes.slice(0, 20).map(describeChange).join('; ')}${l.changes.length > 20 ? `; and ${l.changes.length - 20} more` : ''}.`);
      for (const c of l.changes) {
        diagnostics.push({
          ...diag('W_MCP_DEFINITION_CHANGED', `server ${quote(l.name, 60)}: ${describeChange(c)} since it was locked in ${quote(l.lockFile, 200)} (a rug pull changes a tool after it was approved)`, {
            hint: 'review the new definition; if it is expected, accept it with --live --update-lock',
            line: l.line,
            pointer: l.pointer,
            severity: 'warning',
          }),
          file: l.file,
        });
      }
    }
    if (tags.size > 0) el.tags = [...tags].sort();
    else delete el.tags;
    el.description = clip([el.description ?? '', ...said].filter((s) => s !== '').join(' '), 1_000_000);
    for (const t of l.listing.tools) {
      const owners = toolOwners.get(t.key.toLowerCase()) ?? [];
      owners.push({ id: el.id, l });
      toolOwners.set(t.key.toLowerCase(), owners);
      for (const [field, value] of [
        ['name', t.key],
        ['description', toolText(t)],
      ] as const) {
        const inv = findInvisible(value);
        if (inv) {
          notes.push({ code: 'I_TOOL_INVISIBLE_TEXT', message: `server ${quote(l.name, 60)}: the ${field} of tool ${quote(t.key, 60)} holds the invisible character ${inv.codePoint}`, file: l.file, line: l.line, pointer: l.pointer, element: el.id });
        }
      }
    }
  }
  for (const [name, owners] of [...toolOwners.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const ids = [...new Set(owners.map((o) => o.id))];
    if (ids.length < 2) continue;
    for (const o of owners) {
      notes.push({ code: 'I_TOOL_SHADOWED', message: `server ${quote(o.l.name, 60)}: the tool name ${quote(name, 60)} is also listed by ${ids.filter((i) => i !== o.id).join(', ')}: a model choosing by description can be steered to either`, file: o.l.file, line: o.l.line, pointer: o.l.pointer, element: o.id });
    }
  }
  return { model: out, notes, diagnostics };
}
