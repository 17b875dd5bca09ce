/**
 * OWASP Threat Dragon models (v1 `diagramJson.cells` and v2 `cells`, JSON) → a model.
 *
 * Cells of every diagram: a process becomes an agent when its name or description says so (agent,
 * assistant, bot, LLM...), an MCP server or tool likewise, and otherwise a service (an external
 * system of type api), each time with a warning so the reviewer checks the kind; a store becomes a
 * data store (memory of type database), an actor a human, a flow a channel, a trust-boundary box a
 * trust boundary holding the elements drawn inside it, and a trust-boundary line a boundary with a
 * warning (a line does not say which side an element is on). Threats are kept as notes on each
 * element (`x-threats`). Text blocks are ignored.
 *
 * A model written by `maestro-tm analyze --format td` carries every element as written
 * (data["maestro.element"]) and the rest of the model in the summary (maestro.top.<key>,
 * maestro.section.<section>): such a file is rebuilt exactly; derived flows are skipped.
 */
import { diag, quote, type Diagnostic } from '../../model/diagnostics.js';
import { KIND_TABLE } from '../../model/kinds.js';
import { validateData } from '../../model/load.js';
import type { ChannelSpec, ModelFile } from '../../model/schema.js';
import { child, describeNode, parseInputTree, str, text, type PNode, type PObject } from '../_source.js';
import { clip, concatModels, IdAllocator, slug, warn, type ImportCtx } from '../_model.js';
import type { ImportFileReport, ImportInput, ImportNote, ImportOptions, ImportResult, Importer } from '../types.js';
import { isRecord } from '../../model/references.js';

const FORMAT = 'threat-dragon';
const SECTIONS = new Set(KIND_TABLE.map((r) => r.section));

type Ctx = ImportCtx;

function list(n: PNode | undefined): PNode[] {
  return n?.t === 'array' ? n.items : [];
}

function num(n: PNode | undefined): number | undefined {
  return n?.t === 'number' ? (n.value as number) : undefined;
}

function flag(n: PNode | undefined): boolean | undefined {
  return n?.t === 'boolean' ? (n.value as boolean) : undefined;
}


function parseJson(s: string | undefined): unknown {
  if (s === undefined) return undefined;
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return undefined;
  }
}

/** Why this is not a Threat Dragon model, or undefined. */
export function notThreatDragon(root: PNode): string | undefined {
  if (root.t !== 'object') return `a Threat Dragon model is a mapping at the top level, not ${describeNode(root)}`;
  const problems: string[] = [];
  const summary = child(root, 'summary');
  if (summary?.t !== 'object') problems.push(summary === undefined ? `no "summary"${child(root, 'summarize') !== undefined ? ' (the file has "summarize")' : ''}` : `"summary" is ${describeNode(summary)}`);
  else if (str(child(summary, 'title')) === undefined) problems.push(`"summary" has no "title" text${child(summary, 'titled') !== undefined ? ' (the file has "titled")' : ''}`);
  const detail = child(root, 'detail');
  if (detail?.t !== 'object') problems.push(detail === undefined ? `no "detail"${child(root, 'details') !== undefined ? ' (the file has "details")' : ''}` : `"detail" is ${describeNode(detail)}`);
  else if (child(detail, 'diagrams')?.t !== 'array') problems.push(`"detail" has no "diagrams" list${child(detail, 'diagramming') !== undefined ? ' (the file has "diagramming")' : ''}`);
  return problems.length > 0 ? `not a Threat Dragon model: ${problems.join('; ')}` : undefined;
}

/** One cell, read the same way from v1 and v2. */
interface Cell {
  readonly node: PObject;
  readonly id: string;
  readonly type: string;
  readonly data: PNode;
  readonly name?: string;
  readonly description?: string;
  readonly source?: string;
  readonly target?: string;
  readonly box?: { x: number; y: number; w: number; h: number };
  /** Threat Dragon v1 wrote a flag only when it was set: absent means false. */
  readonly v1: boolean;
}

const SHAPE_TYPES: Record<string, string> = {
  process: 'tm.Process',
  store: 'tm.Store',
  actor: 'tm.Actor',
  flow: 'tm.Flow',
  'trust-boundary-box': 'tm.BoundaryBox',
  'trust-boundary-curve': 'tm.Boundary',
  'trust-broundary-curve': 'tm.Boundary',
  'td-text-block': 'tm.Text',
};

function readCell(n: PNode, v1: boolean): Cell | undefined {
  if (n.t !== 'object') return undefined;
  const id = text(child(n, 'id'));
  if (id === undefined) return undefined;
  const data = v1 ? n : (child(n, 'data') ?? n);
  const type = str(child(data, 'type')) ?? str(child(n, 'type')) ?? SHAPE_TYPES[str(child(n, 'shape')) ?? ''] ?? '';
  const label = str(child(child(child(n, 'attrs'), 'text'), 'text')) ?? str(child(child(child(list(child(n, 'labels'))[0], 'attrs'), 'labelText'), 'text')) ?? str(child(child(child(list(child(n, 'labels'))[0], 'attrs'), 'text'), 'text'));
  const name = str(child(data, 'name')) ?? label;
  const description = str(child(data, 'description'));
  const endOf = (k: string): string | undefined => {
    const e = child(n, k);
    return text(child(e, 'cell')) ?? text(child(e, 'id'));
  };
  const pos = child(n, 'position');
  const size = child(n, 'size');
  const x = num(child(pos, 'x'));
  const y = num(child(pos, 'y'));
  const w = num(child(size, 'width'));
  const h = num(child(size, 'height'));
  const source = endOf('source');
  const target = endOf('target');
  return {
    node: n,
    id,
    type,
    data,
    v1,
    ...(name !== undefined && name.trim() !== '' ? { name: name.replace(/\s+/g, ' ').trim() } : {}),
    ...(description !== undefined && description.trim() !== '' ? { description } : {}),
    ...(source !== undefined ? { source } : {}),
    ...(target !== undefined ? { target } : {}),
    ...(x !== undefined && y !== undefined && w !== undefined && h !== undefined ? { box: { x, y, w, h } } : {}),
  };
}

/** Threats on a cell, kept as notes. */
function threatNotes(data: PNode): Record<string, unknown>[] {
  return list(child(data, 'threats'))
    .slice(0, 1000)
    .flatMap((t) => {
      const title = str(child(t, 'title'));
      if (title === undefined) return [];
      const out: Record<string, unknown> = { title: clip(title, 2000) };
      for (const k of ['type', 'status', 'severity', 'description', 'mitigation', 'modelType']) {
        const v = str(child(t, k));
        if (v !== undefined && v !== '') out[k] = clip(v, 10_000);
      }
      return [out];
    });
}

const AGENT_HINT = /\b(agent|agents|assistant|chat ?bot|bot|llm|copilot|orchestrator|planner|autonomous|ai)\b/i;
const MCP_HINT = /\bmcp\b/i;
const TOOL_HINT = /\btool\b/i;

function importOne(root: PObject, ctx: Ctx, ids: IdAllocator): { model: ModelFile; elements: number; maestro: boolean } {
  const summary = child(root, 'summary');
  const detail = child(root, 'detail');
  const maestro = (str(child(summary, 'maestro.generator')) ?? '').startsWith('maestro-tm');
  const out: Record<string, unknown> = {};
  const sections = new Map<string, Record<string, unknown>[]>();
  const push = (section: string, el: Record<string, unknown>) => {
    const l = sections.get(section);
    if (l) l.push(el);
    else sections.set(section, [el]);
  };
  let elements = 0;
  let threats = 0;

  if (maestro && summary?.t === 'object') {
    for (const e of summary.entries) {
      const top = e.key.startsWith('maestro.top.') ? e.key.slice('maestro.top.'.length) : undefined;
      const sec = e.key.startsWith('maestro.section.') ? e.key.slice('maestro.section.'.length) : undefined;
      if (e.key === 'maestro.order' || (top === undefined && sec === undefined)) continue;
      const value = parseJson(str(e.value));
      if (top !== undefined && value !== undefined && top !== '' && top !== '__proto__' && !SECTIONS.has(top)) {
        Object.defineProperty(out, top, { value, enumerable: true, writable: true, configurable: true });
      } else if (sec !== undefined && SECTIONS.has(sec) && Array.isArray(value)) {
        for (const el of value) {
          if (isRecord(el) && typeof el['id'] === 'string') {
            ids.take(el['id'], sec);
            push(sec, el);
            elements++;
          }
        }
      } else {
        warn(ctx, 'W_TD_MAESTRO_ATTRIBUTE', `the summary entry ${quote(e.key, 60)} does not hold what maestro-tm wrote: ignored`, 'the file was edited after maestro-tm wrote it', e.keyPos, e.value.pointer);
      }
    }
  }

  // Every cell of every diagram.
  const v1 = str(child(root, 'version')) === undefined || (str(child(root, 'version')) ?? '').startsWith('1.');
  const cells: Cell[] = [];
  for (const d of list(child(detail, 'diagrams')).slice(0, 1000)) {
    const isV1 = child(d, 'diagramJson') !== undefined || (v1 && child(d, 'cells') === undefined);
    const raw = child(d, 'cells') ?? child(child(d, 'diagramJson'), 'cells');
    for (const c of list(raw).slice(0, 100_000)) {
      const cell = readCell(c, isV1 && child(c, 'data') === undefined);
      if (!cell) {
        warn(ctx, 'W_TD_CELL', `a cell without "id" (${describeNode(c)}) is skipped`, 'each diagram cell needs an id', c.pos, c.pointer);
        continue;
      }
      cells.push(cell);
    }
  }
  if (cells.length === 0) warn(ctx, 'W_TD_EMPTY', 'the model has no diagram elements', 'draw the system in Threat Dragon first, or import another file', root.pos, '/detail/diagrams');

  // Maestro cells are rebuilt; the rest mapped.
  const idOf = new Map<string, string>();
  const placed: { cell: Cell; el: Record<string, unknown>; section: string }[] = [];
  const boxes: { cell: Cell; id: string; area: number }[] = [];
  for (const c of cells) {
    if (maestro) {
      if (flag(child(c.data, 'maestro.derived')) === true || str(child(c.data, 'maestro.derived')) === 'true') continue;
      const section = str(child(c.data, 'maestro.section'));
      const value = parseJson(str(child(c.data, 'maestro.element')));
      if (section !== undefined && SECTIONS.has(section) && isRecord(value) && typeof value['id'] === 'string') {
        ids.take(value['id'], section);
        idOf.set(c.id, value['id']);
        push(section, value);
        elements++;
        continue;
      }
      if (section !== undefined) warn(ctx, 'W_TD_MAESTRO_ATTRIBUTE', `cell ${quote(c.id, 60)}: its maestro.element does not hold an element: read as an ordinary cell`, 'the file was edited after maestro-tm wrote it', c.node.pos, c.node.pointer);
    }
    const name = c.name ?? c.id;
    const label = quote(name, 60);
    const notes = threatNotes(c.data);
    threats += notes.length;
    const outOfScope = flag(child(c.data, 'outOfScope')) === true;
    const tags: string[] = [];
    if (outOfScope) tags.push('out-of-scope');
    const base = (): Record<string, unknown> => ({
      name: clip(name),
      ...(c.description !== undefined ? { description: clip(c.description, 100_000) } : {}),
    });
    const finish = (section: string, el: Record<string, unknown>) => {
      if (tags.length > 0) el['tags'] = [...tags];
      if (notes.length > 0) el['x-threats'] = notes;
      if (outOfScope) {
        const reason = str(child(c.data, 'reasonOutOfScope'));
        el['x-out-of-scope'] = reason !== undefined && reason !== '' ? clip(reason, 10_000) : true;
      }
      el['importedFrom'] = { file: clip(ctx.file), format: FORMAT, line: c.node.pos.line, column: c.node.pos.column, pointer: c.node.pointer };
      placed.push({ cell: c, el, section });
      if (section !== 'channels') idOf.set(c.id, el['id'] as string);
    };
    switch (c.type) {
      case 'tm.Process': {
        const hay = `${name} ${c.description ?? ''}`;
        let section = 'externalSystems';
        let el: Record<string, unknown>;
        if (MCP_HINT.test(hay)) {
          section = 'mcpServers';
          el = { id: ids.take(slug(name, 'mcp_server'), section), ...base() };
        } else if (AGENT_HINT.test(hay)) {
          section = 'agents';
          el = { id: ids.take(slug(name, 'agent'), section), ...base(), origin: 'first-party' };
        } else if (TOOL_HINT.test(hay)) {
          section = 'tools';
          el = { id: ids.take(slug(name, 'tool'), section), ...base() };
        } else {
          el = { id: ids.take(slug(name, 'service'), section), ...base(), type: 'api' };
        }
        const privilege = str(child(c.data, 'privilegeLevel'));
        if (privilege !== undefined && privilege !== '') el['x-privilege-level'] = clip(privilege, 200);
        if (flag(child(c.data, 'handlesCardPayment')) === true) tags.push('handles-card-payment');
        if (flag(child(c.data, 'isWebApplication')) === true) tags.push('web-application');
        const what = section === 'agents' ? 'an agent (its name says so)' : section === 'mcpServers' ? 'an MCP server (its name says so)' : section === 'tools' ? 'a tool (its name says so)' : 'a service (an external system of type api)';
        warn(ctx, 'W_TD_PROCESS_KIND', `process ${label} is read as ${what}`, 'Threat Dragon has one kind of process; change the element to the right kind (agent, tool, model, deployment...) if this is wrong', c.node.pos, c.node.pointer);
        finish(section, el);
        break;
      }
      case 'tm.Store': {
        const el: Record<string, unknown> = { id: ids.take(slug(name, 'store'), 'memories'), ...base(), type: 'database' };
        if (flag(child(c.data, 'isEncrypted')) !== undefined) el['encryptedAtRest'] = flag(child(c.data, 'isEncrypted'));
        if (flag(child(c.data, 'isSigned')) === true) el['provenance'] = { signed: true };
        if (flag(child(c.data, 'storesCredentials')) === true) {
          tags.push('stores-credentials');
          el['sensitivity'] = 'restricted';
        }
        if (flag(child(c.data, 'isALog')) === true) tags.push('log-store');
        finish('memories', el);
        break;
      }
      case 'tm.Actor': {
        const el: Record<string, unknown> = { id: ids.take(slug(name, 'actor'), 'humans'), ...base(), role: 'user' };
        if (flag(child(c.data, 'providesAuthentication')) === true) tags.push('provides-authentication');
        finish('humans', el);
        break;
      }
      case 'tm.BoundaryBox':
      case 'tm.Boundary': {
        const el: Record<string, unknown> = { id: ids.take(slug(c.name ?? '', 'trust_boundary'), 'boundaries'), ...base(), type: 'trust-zone' };
        if (c.name === undefined) el['name'] = c.type === 'tm.Boundary' ? 'Trust boundary (line)' : 'Trust boundary';
        if (c.type === 'tm.BoundaryBox' && c.box) boxes.push({ cell: c, id: el['id'] as string, area: c.box.w * c.box.h });
        else warn(ctx, 'W_TD_BOUNDARY_LINE', `the trust boundary ${quote(c.name ?? c.id, 60)} is drawn as a line: no element is placed in it`, 'set the boundary of each element by hand, or draw a trust-boundary box in Threat Dragon', c.node.pos, c.node.pointer);
        finish('boundaries', el);
        break;
      }
      case 'tm.Flow':
        break;
      case 'tm.Text':
        break;
      default:
        warn(ctx, 'W_TD_CELL', `cell ${quote(c.id, 60)} of type ${quote(c.type, 40)} is not a Threat Dragon element type: skipped`, 'known types: tm.Process, tm.Store, tm.Actor, tm.Flow, tm.Boundary, tm.BoundaryBox, tm.Text', c.node.pos, c.node.pointer);
    }
  }

  // Flows, once every element has its id.
  for (const c of cells) {
    if (c.type !== 'tm.Flow' || idOf.has(c.id)) continue;
    if (maestro && (flag(child(c.data, 'maestro.derived')) === true || str(child(c.data, 'maestro.section')) !== undefined)) continue;
    const from = c.source !== undefined ? idOf.get(c.source) : undefined;
    const to = c.target !== undefined ? idOf.get(c.target) : undefined;
    const name = c.name ?? c.id;
    if (from === undefined || to === undefined) {
      warn(ctx, 'W_TD_FLOW', `flow ${quote(name, 60)} is not connected to an element at both ends: skipped`, 'connect both ends of the flow in the diagram', c.node.pos, c.node.pointer);
      continue;
    }
    const notes = threatNotes(c.data);
    threats += notes.length;
    const protocol = str(child(c.data, 'protocol')) ?? '';
    const p = protocol.toLowerCase();
    const encrypted = flag(child(c.data, 'isEncrypted')) ?? (c.v1 ? false : undefined);
    const ch: ChannelSpec = {
      id: ids.take(slug(name, 'flow'), 'channels'),
      name: clip(name),
      from,
      to,
      ...(p === '' ? {} : { protocol: /grpc/.test(p) ? 'grpc' : /websocket|wss?\b/.test(p) ? 'websocket' : /http|rest|soap/.test(p) ? 'http' : /amqp|mqtt|queue|kafka|sqs/.test(p) ? 'message-queue' : /smtp|mail/.test(p) ? 'email' : 'other' }),
      ...(encrypted !== undefined ? { encryption: encrypted ? 'tls' : 'none' } : {}),
      direction: flag(child(c.data, 'isBidirectional')) === true ? 'bidirectional' : 'one-way',
      ...(c.description !== undefined ? { description: clip(c.description, 100_000) } : {}),
      importedFrom: { file: clip(ctx.file), format: FORMAT, line: c.node.pos.line, column: c.node.pos.column, pointer: c.node.pointer },
    };
    const tags: string[] = [];
    if (flag(child(c.data, 'isPublicNetwork')) === true) tags.push('public-network');
    if (flag(child(c.data, 'outOfScope')) === true) tags.push('out-of-scope');
    if (tags.length > 0) ch.tags = tags;
    const extra = ch as Record<string, unknown>;
    if (protocol !== '') extra['x-protocol'] = clip(protocol, 200);
    if (notes.length > 0) extra['x-threats'] = notes;
    push('channels', extra);
    elements++;
  }

  // Boundary boxes: an element belongs to the smallest box its centre lies in; boxes nest the same way.
  const inside = (c: Cell, b: Cell): boolean => {
    if (!c.box || !b.box) return false;
    const cx = c.box.x + c.box.w / 2;
    const cy = c.box.y + c.box.h / 2;
    return cx >= b.box.x && cx <= b.box.x + b.box.w && cy >= b.box.y && cy <= b.box.y + b.box.h;
  };
  const sortedBoxes = [...boxes].sort((a, b) => a.area - b.area);
  for (const p of placed) {
    const container = sortedBoxes.find((b) => b.cell !== p.cell && inside(p.cell, b.cell) && (p.section !== 'boundaries' || b.area > (p.cell.box ? p.cell.box.w * p.cell.box.h : 0)));
    if (container) p.el[p.section === 'boundaries' ? 'parent' : 'boundary'] = container.id;
    push(p.section, p.el);
    elements++;
  }

  const title = str(child(summary, 'title')) ?? 'Threat Dragon model';
  if (!maestro || !isRecord(out['system'])) {
    const description = str(child(summary, 'description'));
    const owner = str(child(summary, 'owner'));
    out['system'] = { name: clip(title), ...(description !== undefined && description !== '' ? { description: clip(description, 100_000) } : {}), ...(owner !== undefined && owner !== '' ? { owners: [clip(owner)] } : {}) };
  }
  out['version'] ??= '1.0';
  // maestro-tm wrote the order of each section: restore it (elements it does not list keep their place after them).
  const order = maestro ? parseJson(str(child(summary, 'maestro.order'))) : undefined;
  for (const row of KIND_TABLE) {
    const l = sections.get(row.section);
    if (!l || l.length === 0) continue;
    const ids = isRecord(order) && Array.isArray(order[row.section]) ? (order[row.section] as unknown[]) : undefined;
    if (ids) {
      const rank = new Map<unknown, number>(ids.map((id, i) => [id, i]));
      const at = (el: Record<string, unknown>) => rank.get(el['id']) ?? Number.MAX_SAFE_INTEGER;
      l.sort((x, y) => at(x) - at(y));
    }
    out[row.section] = l;
  }
  if (threats > 0) ctx.notes.push({ code: 'I_TD_THREATS', message: `${threats} threats kept as notes (x-threats on the elements they are raised on)`, file: ctx.file, line: root.pos.line, column: root.pos.column, pointer: '/detail/diagrams' });
  return { model: out as unknown as ModelFile, elements, maestro };
}

export function importThreatDragon(inputs: readonly ImportInput[], options: ImportOptions = {}): ImportResult {
  const diagnostics: Diagnostic[] = [];
  const notes: ImportNote[] = [];
  const files: ImportFileReport[] = [];
  const models: ModelFile[] = [];
  const ids = new IdAllocator(options.existingIds);
  for (const input of inputs.slice(0, 1000)) {
    const file = input.path;
    const root = parseInputTree(input.text, file, diagnostics, files);
    if (root === undefined) continue;
    const why = notThreatDragon(root);
    if (why !== undefined || root.t !== 'object') {
      diagnostics.push({
        ...diag('E_IMPORT_NOT_THREAT_DRAGON', why ?? 'not a Threat Dragon model', { hint: 'a Threat Dragon model has "summary" (with "title") and "detail" (with a "diagrams" list); save it again from Threat Dragon', line: root.pos.line, column: root.pos.column, pointer: '' }),
        file,
      });
      files.push({ file, status: 'refused', elements: 0 });
      continue;
    }
    const r = importOne(root, { file, diagnostics, notes }, ids);
    if (r.maestro) {
      // The elements come back exactly as the file holds them: if they were edited into something invalid, say so here.
      const problem = validateData(r.model).find((d) => d.severity === 'error');
      if (problem) {
        diagnostics.push({
          ...diag('E_IMPORT_TD_MAESTRO', `the maestro-tm data in this file does not make a valid model (${problem.code} at ${problem.pointer ?? ''}: ${problem.message}): it was changed after maestro-tm wrote it`, { hint: 'export the model again with maestro-tm analyze, or fix the maestro.element value named above', line: root.pos.line, column: root.pos.column, pointer: '' }),
          file,
        });
        files.push({ file, status: 'refused', elements: 0 });
        continue;
      }
    }
    models.push(r.model);
    const version = str(child(root, 'version'));
    files.push({ file, status: 'imported', dialect: `Threat Dragon ${version !== undefined && !version.startsWith('1.') ? 'v2' : 'v1'}${version !== undefined ? ` (${version})` : ''}${r.maestro ? ', written by maestro-tm (rebuilt exactly)' : ''}`, elements: r.elements });
  }
  const first = models[0];
  if (!first) return { diagnostics, notes, files };
  if (models.length === 1) return { model: first, diagnostics, notes, files };
  return { model: concatModels(first, models.slice(1)), diagnostics, notes, files };
}

export const threatDragonImporter: Importer = {
  id: 'threat-dragon',
  aliases: ['td', 'threatdragon'],
  description: 'OWASP Threat Dragon models (v1 and v2 JSON); files written by analyze --format td are rebuilt exactly',
  detect(input) {
    const head = input.text.slice(0, 65_536);
    let score = 0;
    if (/"summary"\s*:/.test(head) && /"detail"\s*:/.test(head)) score += 0.5;
    else if (/"detail"\s*:/.test(head) && /"(summarize|title|diagramming|contributors)"\s*:/.test(head)) score += 0.2; // a damaged model: claimed weakly, so auto can say why it is refused
    if (/"diagrams"\s*:/.test(head) || /"tm\.(Process|Store|Actor|Flow)"/.test(head)) score += 0.4;
    if (/"diagramType"\s*:|"threatTop"\s*:/.test(head)) score += 0.1;
    return Math.min(1, score);
  },
  wantsPath(path) {
    return /\.td\.json$/i.test(path);
  },
  import: importThreatDragon,
};
