/**
 * Open Threat Model (OTM 0.1 and 0.2, JSON or YAML) → a model.
 *
 * Any OTM file: trust zones become trust boundaries (nesting kept, trust from trustRating),
 * components become elements by a table of component types (see TYPE_TABLE; an unknown type is an
 * external system with a warning), a component inside another component is deployed on it when
 * that one maps to a deployment, dataflows become channels, assets become assets (sensitivity from
 * confidentiality, located in the components that store or process them). Threats and mitigations
 * are kept as notes: each element lists the threats raised on it under `x-threats`, and the model
 * lists every threat and mitigation under `x-otm`.
 *
 * A file written by `maestro-tm analyze --format otm` carries every element as it was written
 * (attributes maestro.section and maestro.element) and every other top-level key of the model
 * (project attributes maestro.top.<key>): such a file is rebuilt exactly, and derived dataflows
 * (maestro.derived) and the default zone are skipped.
 */
import { diag, quote, type Diagnostic } from '../../model/diagnostics.js';
import { KIND_TABLE } from '../../model/kinds.js';
import { validateData } from '../../model/load.js';
import type { AssetSpec, BoundarySpec, ChannelSpec, ModelFile } from '../../model/schema.js';
import { child, describeNode, parseTreeText, str, text, type PNode, type PObject } from '../_source.js';
import { clip, concatModels, IdAllocator, slug, warn, type ImportCtx } from '../_model.js';
import type { ImportFileReport, ImportInput, ImportNote, ImportOptions, ImportResult, Importer } from '../types.js';
import { isRecord } from '../../model/references.js';

const FORMAT = 'otm';
const SECTIONS = new Set(KIND_TABLE.map((r) => r.section));

type Target =
  | { section: 'agents'; fields: Record<string, unknown> }
  | { section: 'models'; fields: Record<string, unknown> }
  | { section: 'mcpServers'; fields: Record<string, unknown> }
  | { section: 'memories'; fields: Record<string, unknown> }
  | { section: 'humans'; fields: Record<string, unknown> }
  | { section: 'externalSystems'; fields: Record<string, unknown> }
  | { section: 'deployments'; fields: Record<string, unknown> }
  | { section: 'observability'; fields: Record<string, unknown> }
  | { section: 'tools'; fields: Record<string, unknown> };

/**
 * Component type → element, first match wins. Types are matched lowercased; IriusRisk's "CD-" custom
 * prefixes and vendor words are read through the patterns.
 */
export const TYPE_TABLE: readonly { readonly test: RegExp; readonly target: Target }[] = [
  { test: /agent/, target: { section: 'agents', fields: {} } },
  { test: /\bmcp\b|mcp-server/, target: { section: 'mcpServers', fields: {} } },
  { test: /llm|foundation-model|language-model|openai|anthropic|bedrock|vertex-ai|ml-model|^model$/, target: { section: 'models', fields: {} } },
  { test: /cloudtrail|audit/, target: { section: 'observability', fields: { type: 'audit-log' } } },
  { test: /cloudwatch|log|monitor|siem|splunk|datadog|trac(e|ing)|prometheus|grafana/, target: { section: 'observability', fields: { type: 'logs' } } },
  { test: /database|(^|-)db($|-)|sql|postgres|mysql|maria|mongo|dynamo|redis|rds|aurora|cassandra|cosmos|oracle/, target: { section: 'memories', fields: { type: 'database' } } },
  { test: /vector|embedding|pinecone|weaviate|qdrant|chroma/, target: { section: 'memories', fields: { type: 'vector-store' } } },
  { test: /storage|s3|bucket|blob|file-?system|efs/, target: { section: 'memories', fields: { type: 'file-store' } } },
  { test: /cache|memcache/, target: { section: 'memories', fields: { type: 'cache' } } },
  { test: /client|browser|mobile|device|android|ios|desktop-app|^user$|actor/, target: { section: 'humans', fields: { role: 'user' } } },
  { test: /identity|idp|cognito|auth0|okta|keycloak|active-directory|iam|oauth/, target: { section: 'externalSystems', fields: { type: 'identity-provider' } } },
  { test: /payment|stripe|paypal/, target: { section: 'externalSystems', fields: { type: 'payment-provider' } } },
  { test: /e-?mail|smtp|(^|-)ses($|-)/, target: { section: 'externalSystems', fields: { type: 'email' } } },
  { test: /lambda|function|serverless/, target: { section: 'deployments', fields: { runtime: 'serverless' } } },
  { test: /kubernetes|k8s|eks|aks|gke/, target: { section: 'deployments', fields: { runtime: 'kubernetes' } } },
  { test: /docker|container|ecs|fargate/, target: { section: 'deployments', fields: { runtime: 'container' } } },
  { test: /ec2|(^|-)vm($|-)|virtual-machine|instance|compute/, target: { section: 'deployments', fields: { runtime: 'vm' } } },
  { test: /vpc|subnet|network|load-balancer|(^|-)[ae]lb($|-)|gateway|cdn|cloudfront|firewall|waf|systems-manager|router/, target: { section: 'deployments', fields: { runtime: 'managed-service' } } },
  { test: /web-service|web-application|web-client|api|service|backend|frontend|microservice|server|code|app/, target: { section: 'externalSystems', fields: { type: 'api' } } },
  { test: /queue|sqs|sns|kafka|pubsub|event|kinesis|(^|-)mq($|-)/, target: { section: 'externalSystems', fields: { type: 'api' } } },
];

export function targetForType(type: string): Target | undefined {
  const t = type.toLowerCase();
  return TYPE_TABLE.find((r) => r.test.test(t))?.target;
}

function trustOf(rating: number | undefined): BoundarySpec['trust'] {
  if (rating === undefined) return undefined;
  if (rating >= 90) return 'trusted';
  if (rating >= 60) return 'authenticated';
  if (rating >= 30) return 'partner';
  return 'untrusted';
}

function sensitivityOf(confidentiality: number | undefined): AssetSpec['sensitivity'] {
  if (confidentiality === undefined) return undefined;
  if (confidentiality >= 90) return 'restricted';
  if (confidentiality >= 60) return 'confidential';
  if (confidentiality >= 30) return 'internal';
  return 'public';
}

function scalarTrue(n: PNode | undefined): boolean {
  return n?.t === 'boolean' && n.value === true;
}

function num(n: PNode | undefined): number | undefined {
  return n?.t === 'number' ? (n.value as number) : undefined;
}

function list(n: PNode | undefined): PNode[] {
  return n?.t === 'array' ? n.items : [];
}

function attrString(n: PNode | undefined, key: string): string | undefined {
  return str(child(child(n, 'attributes'), key));
}

type Ctx = ImportCtx;

/** Why this is not an OTM document, or undefined. */
function notOtm(root: PNode): string | undefined {
  if (root.t !== 'object') return `an OTM document is a mapping at the top level, not ${describeNode(root)}`;
  const v = child(root, 'otmVersion');
  if (v === undefined) {
    const otmish = ['project', 'trustZones', 'components', 'dataflows'].filter((k) => child(root, k) !== undefined);
    return `no "otmVersion"${otmish.length > 0 ? ` (the file has ${otmish.map((k) => `"${k}"`).join(', ')}, like an OTM document, but an OTM file must say its version)` : ''}`;
  }
  if (text(v) === undefined) return `"otmVersion" is ${describeNode(v)}, not a version such as "0.2.0"`;
  if (child(root, 'project')?.t !== 'object') return 'no "project" mapping';
  return undefined;
}

function parseJsonValue(s: string): unknown {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return undefined;
  }
}


/** A threat reference on a component or dataflow, as a note. */
interface ThreatNote {
  threat: string;
  name?: string;
  state?: string;
  mitigations?: { mitigation: string; name?: string; state?: string }[];
}

function importOne(root: PObject, ctx: Ctx, ids: IdAllocator): { model: ModelFile; elements: number; maestro: boolean } {
  const project = child(root, 'project');
  const version = text(child(root, 'otmVersion')) ?? '';
  if (!/^0\.[12](\.\d+)?$/.test(version)) {
    const vn = child(root, 'otmVersion');
    warn(ctx, 'W_OTM_VERSION', `OTM version ${quote(version, 20)} is not one this importer knows (0.1, 0.2): read as 0.2`, 'check the result', vn?.pos ?? root.pos, '/otmVersion');
  }
  const generator = attrString(project, 'maestro.generator');
  const maestro = generator !== undefined && generator.startsWith('maestro-tm');
  const out: Record<string, unknown> = {};
  const sections = new Map<string, Record<string, unknown>[]>();
  const push = (section: string, el: Record<string, unknown>) => {
    const l = sections.get(section);
    if (l) l.push(el);
    else sections.set(section, [el]);
  };
  let elements = 0;

  // maestro-tm's own top-level keys.
  if (maestro && project?.t === 'object') {
    const attrs = child(project, 'attributes');
    if (attrs?.t === 'object') {
      for (const e of attrs.entries) {
        if (!e.key.startsWith('maestro.top.')) continue;
        const key = e.key.slice('maestro.top.'.length);
        const value = str(e.value) !== undefined ? parseJsonValue(str(e.value) ?? '') : undefined;
        if (value === undefined || key === '' || SECTIONS.has(key) || key === '__proto__') {
          warn(ctx, 'W_OTM_MAESTRO_ATTRIBUTE', `the project attribute ${quote(e.key, 60)} does not hold JSON: ignored`, 'the file was edited after maestro-tm wrote it', e.keyPos, e.value.pointer);
          continue;
        }
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      }
    }
  }

  /** An element maestro-tm wrote: rebuilt as it was; true when handled. */
  const rebuild = (n: PNode): boolean => {
    if (!maestro) return false;
    if (attrString(n, 'maestro.derived') === 'true' || attrString(n, 'maestro.kind') === 'default-zone') return true;
    const section = attrString(n, 'maestro.section');
    const raw = attrString(n, 'maestro.element');
    if (section === undefined || raw === undefined) return false;
    const value = parseJsonValue(raw);
    if (!SECTIONS.has(section) || !isRecord(value) || typeof value['id'] !== 'string') {
      warn(ctx, 'W_OTM_MAESTRO_ATTRIBUTE', 'the maestro.element attribute does not hold an element: read as an ordinary OTM entry', 'the file was edited after maestro-tm wrote it', n.pos, n.pointer);
      return false;
    }
    ids.take(value['id'], section);
    push(section, value);
    elements++;
    return true;
  };

  // Trust zones → boundaries.
  const zoneIds = new Map<string, string>();
  const zoneTrust = new Map<string, BoundarySpec['trust']>();
  const zones = list(child(root, 'trustZones'));
  const zoneParents: { b: BoundarySpec; parent: string | undefined }[] = [];
  for (const z of zones) {
    const otmId = text(child(z, 'id'));
    if (otmId !== undefined && rebuild(z)) {
      zoneIds.set(otmId, otmId);
      continue;
    }
    if (z.t !== 'object' || otmId === undefined) {
      warn(ctx, 'W_OTM_ENTRY', `a trust zone without "id" (${describeNode(z)}) is skipped`, 'each trust zone needs an id', z.pos, z.pointer);
      continue;
    }
    const name = str(child(z, 'name')) ?? otmId;
    const id = ids.take(slug(name, slug(otmId, 'zone')), 'boundaries');
    zoneIds.set(otmId, id);
    const trust = trustOf(num(child(child(z, 'risk'), 'trustRating')));
    zoneTrust.set(otmId, trust);
    const desc = str(child(z, 'description'));
    const b: BoundarySpec = {
      id,
      name: clip(name),
      type: 'trust-zone',
      ...(trust !== undefined ? { trust } : {}),
      ...(desc !== undefined ? { description: clip(desc, 100_000) } : {}),
      importedFrom: { file: clip(ctx.file), format: FORMAT, line: z.pos.line, column: z.pos.column, pointer: z.pointer },
    };
    push('boundaries', b);
    zoneParents.push({ b, parent: text(child(child(z, 'parent'), 'trustZone')) });
    elements++;
  }
  for (const { b, parent } of zoneParents) {
    const p = parent !== undefined ? zoneIds.get(parent) : undefined;
    if (p !== undefined && p !== b.id) b.parent = p;
  }

  // Threat and mitigation names.
  const threatNames = new Map<string, string>();
  const mitigationNames = new Map<string, string>();
  const threatList: Record<string, unknown>[] = [];
  const mitigationList: Record<string, unknown>[] = [];
  for (const t of list(child(root, 'threats')).slice(0, 10_000)) {
    const id = text(child(t, 'id'));
    if (id === undefined) continue;
    const name = str(child(t, 'name'));
    if (name !== undefined) threatNames.set(id, name);
    const cats = list(child(t, 'categories')).map((c) => str(c)).filter((c): c is string => c !== undefined).map((c) => clip(c, 200));
    const cwes = list(child(t, 'cwes')).map((c) => text(c)).filter((c): c is string => c !== undefined).map((c) => clip(c, 100));
    threatList.push({ id: clip(id, 500), ...(name !== undefined ? { name: clip(name, 2000) } : {}), ...(cats.length ? { categories: cats } : {}), ...(cwes.length ? { cwes } : {}) });
  }
  for (const m of list(child(root, 'mitigations')).slice(0, 10_000)) {
    const id = text(child(m, 'id'));
    if (id === undefined) continue;
    const name = str(child(m, 'name'));
    if (name !== undefined) mitigationNames.set(id, name);
    const rr = num(child(m, 'riskReduction'));
    mitigationList.push({ id: clip(id, 500), ...(name !== undefined ? { name: clip(name, 2000) } : {}), ...(rr !== undefined ? { riskReduction: rr } : {}) });
  }
  const threatNotes = (n: PNode): ThreatNote[] =>
    list(child(n, 'threats'))
      .slice(0, 1000)
      .flatMap((r): ThreatNote[] => {
        const threat = text(child(r, 'threat'));
        if (threat === undefined) return [];
        const state = str(child(r, 'state'));
        const mits = list(child(r, 'mitigations')).flatMap((m) => {
          const mid = text(child(m, 'mitigation'));
          if (mid === undefined) return [];
          const ms = str(child(m, 'state'));
          const mn = mitigationNames.get(mid);
          return [{ mitigation: clip(mid, 500), ...(mn !== undefined ? { name: clip(mn, 2000) } : {}), ...(ms !== undefined ? { state: clip(ms, 100) } : {}) }];
        });
        const name = threatNames.get(threat);
        return [{ threat: clip(threat, 500), ...(name !== undefined ? { name: clip(name, 2000) } : {}), ...(state !== undefined ? { state: clip(state, 100) } : {}), ...(mits.length > 0 ? { mitigations: mits } : {}) }];
      });

  // Components: first pass assigns ids and kinds, second pass places them.
  interface Comp {
    readonly node: PNode;
    readonly otmId: string;
    readonly el: Record<string, unknown>;
    readonly section: string;
    readonly parentZone?: string;
    readonly parentComponent?: string;
  }
  const comps: Comp[] = [];
  const compIds = new Map<string, Comp>();
  const componentIds = new Map<string, string>();
  // Components that a dataflow starts or ends at must be something a channel can join (not a deployment).
  const flowEnds = new Set<string>();
  for (const f of list(child(root, 'dataflows'))) {
    for (const k of ['source', 'destination']) {
      const v = text(child(f, k));
      if (v !== undefined) flowEnds.add(v);
    }
  }
  for (const c of list(child(root, 'components')).slice(0, 100_000)) {
    const otmId = text(child(c, 'id'));
    if (otmId !== undefined && rebuild(c)) {
      componentIds.set(otmId, otmId);
      continue;
    }
    if (c.t !== 'object' || otmId === undefined) {
      warn(ctx, 'W_OTM_ENTRY', `a component without "id" (${describeNode(c)}) is skipped`, 'each component needs an id', c.pos, c.pointer);
      continue;
    }
    const name = str(child(c, 'name')) ?? otmId;
    const type = str(child(c, 'type')) ?? '';
    let target = targetForType(type);
    if (!target) {
      const typeNode = child(c, 'type');
      warn(ctx, 'W_OTM_UNKNOWN_TYPE', `component ${quote(name, 60)}: the type ${quote(type, 60)} has no maestro-tm equivalent: imported as an external system (other)`, 'change it to the right kind (agent, tool, memory, deployment...) in the model', typeNode?.pos ?? c.pos, typeNode?.pointer ?? c.pointer);
      target = { section: 'externalSystems', fields: { type: 'other' } };
    } else if ((target.section === 'deployments' || target.section === 'observability') && flowEnds.has(otmId)) {
      // Infrastructure or a log service that data flows to (a load balancer, a VM serving requests, a log sink):
      // channels join only systems, so it becomes an external system.
      target = { section: 'externalSystems', fields: { type: target.section === 'observability' ? 'storage' : 'other' } };
    }
    const id = ids.take(slug(name, slug(otmId, 'component')), target.section);
    const desc = str(child(c, 'description'));
    const tags = list(child(c, 'tags')).map((t) => str(t)).filter((t): t is string => t !== undefined).map((t) => clip(t, 200));
    const el: Record<string, unknown> = {
      id,
      name: clip(name),
      ...target.fields,
      ...(desc !== undefined ? { description: clip(desc, 100_000) } : {}),
      ...(tags.length > 0 ? { tags: [...new Set(tags)] } : {}),
    };
    if (target.section === 'agents') el['origin'] = 'first-party';
    const notes = threatNotes(c);
    if (notes.length > 0) el['x-threats'] = notes;
    el['x-otm-type'] = clip(type, 200);
    el['importedFrom'] = { file: clip(ctx.file), format: FORMAT, line: c.pos.line, column: c.pos.column, pointer: c.pointer };
    const parent = child(c, 'parent');
    const pz = text(child(parent, 'trustZone'));
    const pc = text(child(parent, 'component'));
    const comp: Comp = { node: c, otmId, el, section: target.section, ...(pz !== undefined ? { parentZone: pz } : {}), ...(pc !== undefined ? { parentComponent: pc } : {}) };
    comps.push(comp);
    compIds.set(otmId, comp);
    componentIds.set(otmId, id);
  }
  // Placement: the zone (walking up parent components, iteratively and cycle-safe) and the deployment.
  const zoneOf = (c: Comp): string | undefined => {
    let cur: Comp | undefined = c;
    const seen = new Set<string>();
    while (cur && !seen.has(cur.otmId)) {
      seen.add(cur.otmId);
      if (cur.parentZone !== undefined) return cur.parentZone;
      cur = cur.parentComponent !== undefined ? compIds.get(cur.parentComponent) : undefined;
    }
    return undefined;
  };
  for (const c of comps) {
    const z = zoneOf(c);
    const boundary = z !== undefined ? zoneIds.get(z) : undefined;
    if (z !== undefined && boundary === undefined) warn(ctx, 'W_OTM_REFERENCE', `component ${quote(c.otmId, 60)}: its trust zone ${quote(z, 60)} is not declared`, 'declare the trust zone, or fix the reference', c.node.pos, `${c.node.pointer}/parent`);
    const parentComp = c.parentComponent !== undefined ? compIds.get(c.parentComponent) : undefined;
    if (c.parentComponent !== undefined && !parentComp && !componentIds.has(c.parentComponent)) {
      warn(ctx, 'W_OTM_REFERENCE', `component ${quote(c.otmId, 60)}: its parent component ${quote(c.parentComponent, 60)} is not declared`, 'fix the reference', c.node.pos, `${c.node.pointer}/parent`);
    }
    const onDeployment = parentComp?.section === 'deployments' ? (parentComp.el['id'] as string) : undefined;
    if (c.section === 'deployments') {
      if (onDeployment !== undefined) c.el['parent'] = onDeployment;
      if (boundary !== undefined) c.el['boundary'] = boundary;
    } else {
      if (boundary !== undefined) c.el['boundary'] = boundary;
      if (onDeployment !== undefined && c.section !== 'observability') c.el['deployment'] = onDeployment;
    }
    if (c.section === 'humans' || c.section === 'externalSystems') {
      const trust = z !== undefined ? zoneTrust.get(z) : undefined;
      if (trust !== undefined) c.el['trust'] = trust;
    }
    push(c.section, c.el);
    elements++;
  }

  // Dataflows → channels.
  for (const f of list(child(root, 'dataflows')).slice(0, 100_000)) {
    if (rebuild(f)) continue;
    const otmId = text(child(f, 'id'));
    const s = text(child(f, 'source'));
    const d = text(child(f, 'destination'));
    const from = s !== undefined ? componentIds.get(s) : undefined;
    const to = d !== undefined ? componentIds.get(d) : undefined;
    if (f.t !== 'object' || otmId === undefined || from === undefined || to === undefined) {
      const why = otmId === undefined ? 'has no "id"' : from === undefined ? `its source ${quote(s ?? '', 60)} is not a component` : `its destination ${quote(d ?? '', 60)} is not a component`;
      warn(ctx, 'W_OTM_DATAFLOW', `dataflow ${quote(otmId ?? '', 60)} ${why}: skipped`, 'a dataflow joins two components (a trust zone is not an end)', f.pos, f.pointer);
      continue;
    }
    const name = str(child(f, 'name')) ?? otmId;
    const desc = str(child(f, 'description'));
    const tags = list(child(f, 'tags')).map((t) => str(t)).filter((t): t is string => t !== undefined).map((t) => clip(t, 200));
    const ch: ChannelSpec = {
      id: ids.take(slug(name, slug(otmId, 'dataflow')), 'channels'),
      name: clip(name),
      from,
      to,
      direction: scalarTrue(child(f, 'bidirectional')) ? 'bidirectional' : 'one-way',
      ...(desc !== undefined ? { description: clip(desc, 100_000) } : {}),
      ...(tags.length > 0 ? { tags: [...new Set(tags)] } : {}),
      importedFrom: { file: clip(ctx.file), format: FORMAT, line: f.pos.line, column: f.pos.column, pointer: f.pointer },
    };
    const notes = threatNotes(f);
    if (notes.length > 0) (ch as Record<string, unknown>)['x-threats'] = notes;
    push('channels', ch);
    elements++;
  }

  // Assets.
  const holders = new Map<string, string[]>();
  for (const c of comps) {
    const a = child(c.node, 'assets');
    for (const key of ['stored', 'processed']) {
      for (const x of list(child(a, key))) {
        const assetId = text(x);
        if (assetId === undefined) continue;
        const l = holders.get(assetId) ?? [];
        const holder = c.el['id'] as string;
        if (!l.includes(holder)) l.push(holder);
        holders.set(assetId, l);
      }
    }
  }
  for (const a of list(child(root, 'assets')).slice(0, 100_000)) {
    if (rebuild(a)) continue;
    const otmId = text(child(a, 'id'));
    if (a.t !== 'object' || otmId === undefined) {
      warn(ctx, 'W_OTM_ENTRY', `an asset without "id" (${describeNode(a)}) is skipped`, 'each asset needs an id', a.pos, a.pointer);
      continue;
    }
    const name = str(child(a, 'name')) ?? otmId;
    const risk = child(a, 'risk');
    const sensitivity = sensitivityOf(num(child(risk, 'confidentiality')));
    const desc = str(child(a, 'description'));
    const held = holders.get(otmId);
    const asset: AssetSpec = {
      id: ids.take(slug(name, slug(otmId, 'asset')), 'assets'),
      name: clip(name),
      type: 'data',
      ...(sensitivity !== undefined ? { sensitivity } : {}),
      ...(num(child(risk, 'integrity')) === 100 && num(child(risk, 'availability')) === 100 ? { crownJewel: true } : {}),
      ...(desc !== undefined ? { description: clip(desc, 100_000) } : {}),
      ...(held ? { locatedIn: held } : {}),
      importedFrom: { file: clip(ctx.file), format: FORMAT, line: a.pos.line, column: a.pos.column, pointer: a.pointer },
    };
    push('assets', asset);
    elements++;
  }

  // The model: top-level keys, then sections in kind-table order, elements in document order.
  const model = out;
  if (!maestro || !isRecord(model['system'])) {
    const pname = str(child(project, 'name')) ?? 'Imported OTM project';
    const pdesc = str(child(project, 'description'));
    const owner = str(child(project, 'owner'));
    model['version'] ??= '1.0';
    model['system'] = { name: clip(pname), ...(pdesc !== undefined ? { description: clip(pdesc, 100_000) } : {}), ...(owner !== undefined ? { owners: [clip(owner)] } : {}) };
  }
  model['version'] ??= '1.0';
  for (const row of KIND_TABLE) {
    const l = sections.get(row.section);
    if (l && l.length > 0) model[row.section] = l;
  }
  if (!maestro && (threatList.length > 0 || mitigationList.length > 0)) model['x-otm'] = { threats: threatList, mitigations: mitigationList };
  if (!maestro && (threatList.length > 0 || mitigationList.length > 0)) {
    ctx.notes.push({ code: 'I_OTM_THREATS', message: `${threatList.length} threats and ${mitigationList.length} mitigations kept as notes (x-otm, and x-threats on each element they are raised on)`, file: ctx.file, line: root.pos.line, column: root.pos.column, pointer: '/threats' });
  }
  return { model: model as unknown as ModelFile, elements, maestro };
}

export function importOtm(inputs: readonly ImportInput[], options: ImportOptions = {}): ImportResult {
  const diagnostics: Diagnostic[] = [];
  const notes: ImportNote[] = [];
  const files: ImportFileReport[] = [];
  const models: ModelFile[] = [];
  const ids = new IdAllocator(options.existingIds);
  for (const input of inputs.slice(0, 1000)) {
    const file = input.path;
    const format = /\.ya?ml$/i.test(file) ? 'yaml' : /\.json$/i.test(file) ? 'json' : /^\s*[{[]/.test(input.text) ? 'json' : 'yaml';
    const parsed = parseTreeText(input.text, file, format);
    diagnostics.push(...parsed.diagnostics);
    if (!parsed.tree || parsed.diagnostics.some((d) => d.severity === 'error')) {
      files.push({ file, status: 'refused', elements: 0 });
      continue;
    }
    const root = parsed.tree.root;
    const why = notOtm(root);
    if (why !== undefined || root.t !== 'object') {
      diagnostics.push({ ...diag('E_IMPORT_NOT_OTM', `not an Open Threat Model file: ${why ?? ''}`, { hint: 'an OTM file has "otmVersion" (for example "0.2.0"), "project", and lists of "trustZones", "components" and "dataflows"', line: root.pos.line, column: root.pos.column, pointer: '' }), file });
      files.push({ file, status: 'refused', elements: 0 });
      continue;
    }
    const r = importOne(root, { file, diagnostics, notes }, ids);
    if (r.maestro) {
      // The elements come back exactly as the file holds them: if they were edited into something invalid, say so here.
      const problem = validateData(r.model).find((d) => d.severity === 'error');
      if (problem) {
        diagnostics.push({
          ...diag('E_IMPORT_OTM_MAESTRO', `the maestro-tm data in this file does not make a valid model (${problem.code} at ${problem.pointer ?? ''}: ${problem.message}): it was changed after maestro-tm wrote it`, { hint: 'export the model again with maestro-tm analyze, or fix the maestro.element value named above', line: root.pos.line, column: root.pos.column, pointer: '' }),
          file,
        });
        files.push({ file, status: 'refused', elements: 0 });
        continue;
      }
    }
    models.push(r.model);
    files.push({ file, status: 'imported', dialect: r.maestro ? `OTM ${text(child(root, 'otmVersion')) ?? ''} written by maestro-tm (rebuilt exactly)` : `OTM ${text(child(root, 'otmVersion')) ?? ''}`, elements: r.elements });
  }
  const first = models[0];
  if (!first) return { diagnostics, notes, files };
  if (models.length === 1) return { model: first, diagnostics, notes, files };
  return { model: concatModels(first, models.slice(1)), diagnostics, notes, files };
}

export const otmImporter: Importer = {
  id: 'otm',
  aliases: ['open-threat-model'],
  description: 'Open Threat Model (OTM 0.1/0.2, JSON or YAML); files written by analyze --format otm are rebuilt exactly',
  detect(input) {
    const head = input.text.slice(0, 65_536);
    let score = 0;
    if (/\.otm(\.(json|ya?ml))?$/i.test(input.path)) score += 0.3;
    if (/["']?otmVersion["']?\s*:/.test(head)) score += 0.7;
    else if (/["']?trustZones["']?\s*:/.test(head) && /["']?dataflows["']?\s*:/.test(head)) score += 0.3;
    return Math.min(1, score);
  },
  wantsPath(path) {
    return /\.otm(\.(json|ya?ml))?$/i.test(path);
  },
  import: importOtm,
};
