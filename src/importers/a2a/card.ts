/**
 * Reading an A2A Agent Card, tolerant of the versions in use: 0.1 (`authentication.schemes`),
 * 0.2/0.3 (`url`, `preferredTransport`, `additionalInterfaces`, OpenAPI-style `securitySchemes` with
 * `type`, `security`, `signatures`) and 1.0 (`supportedInterfaces` with `protocolBinding`, proto-JSON
 * security schemes such as `{"apiKeySecurityScheme": {...}}`, `securityRequirements`).
 *
 * Every field is optional here and checked for its type; a field of the wrong type is a warning
 * naming its place and is otherwise ignored. Only `isAgentCard` decides whether the document is a
 * card at all. Nothing in a card is ever fetched or followed.
 */
import { quote } from '../../model/diagnostics.js';
import { child, describeNode, str, text, type PNode, type PObject, type Pos } from '../_source.js';

export type AuthKind = 'none' | 'api-key' | 'oauth' | 'mtls' | 'other';

export interface CardInterface {
  readonly url: string;
  readonly transport?: string;
  readonly protocolVersion?: string;
  readonly pos: Pos;
}

export interface CardScheme {
  readonly name: string;
  /** The scheme type as written (apiKey, http bearer, oauth2, openIdConnect, mutualTLS, none...). */
  readonly type: string;
  readonly auth: AuthKind;
  readonly pos: Pos;
}

export interface CardSkill {
  readonly id: string;
  readonly name?: string;
  readonly description?: string;
  readonly tags: string[];
  readonly examples: number;
  readonly pos: Pos;
}

export interface CardExtension {
  readonly uri: string;
  readonly required: boolean;
  readonly pos: Pos;
}

export interface AgentCard {
  readonly name: string;
  readonly description?: string;
  readonly version?: string;
  readonly protocolVersion?: string;
  readonly interfaces: CardInterface[];
  readonly provider?: { organization?: string; url?: string };
  readonly documentationUrl?: string;
  readonly streaming?: boolean;
  readonly pushNotifications?: boolean;
  readonly pushPos?: Pos;
  readonly stateTransitionHistory?: boolean;
  readonly extendedCard?: boolean;
  readonly extensions: CardExtension[];
  readonly schemes: CardScheme[];
  /** Where authentication is declared (securitySchemes / authentication), else the card's start. */
  readonly authPos: Pos;
  readonly signatures: number;
  readonly signaturesPos?: Pos;
  readonly inputModes: string[];
  readonly outputModes: string[];
  readonly skills: CardSkill[];
  readonly pos: Pos;
}

export interface CardWarning {
  readonly code: string;
  readonly message: string;
  readonly hint: string;
  readonly pos: Pos;
  readonly pointer: string;
}

/** Keys an A2A card may have (any version); others are reported once as unknown. */
const KNOWN_KEYS = new Set([
  'name', 'description', 'url', 'version', 'protocolVersion', 'preferredTransport', 'additionalInterfaces', 'supportedInterfaces', 'provider',
  'documentationUrl', 'iconUrl', 'capabilities', 'securitySchemes', 'security', 'securityRequirements', 'authentication', 'defaultInputModes',
  'defaultOutputModes', 'skills', 'supportsAuthenticatedExtendedCard', 'signatures', 'contact', '$schema', 'kind', 'id', 'tags',
]);

/** Why a document is not an A2A Agent Card, or undefined when it is one. */
export function notACardReason(root: PNode): { reason: string; hint: string } | undefined {
  const hint =
    'an A2A Agent Card (/.well-known/agent-card.json) is a JSON object with "name", "skills" (a list), "capabilities" (a mapping) and an endpoint: "url" (A2A 0.2/0.3) or "supportedInterfaces" (A2A 1.0)';
  if (root.t !== 'object') return { reason: `an A2A Agent Card is a mapping at the top level, not ${describeNode(root)}`, hint };
  const problems: string[] = [];
  const name = child(root, 'name');
  if (str(name) === undefined) problems.push(name === undefined ? 'no "name"' : `"name" is ${describeNode(name)}, not text`);
  const skills = child(root, 'skills');
  const caps = child(root, 'capabilities');
  const endpoint = child(root, 'url') ?? child(root, 'supportedInterfaces');
  const cardish = skills?.t === 'array' || (endpoint !== undefined && caps?.t === 'object');
  if (!cardish) {
    problems.push(skills === undefined ? 'no "skills" list' : `"skills" is ${describeNode(skills)}, not a list`);
    if (endpoint === undefined) problems.push('no endpoint ("url" or "supportedInterfaces")');
    if (caps !== undefined && caps.t !== 'object') problems.push(`"capabilities" is ${describeNode(caps)}, not a mapping`);
  }
  if (problems.length === 0) return undefined;
  const other = ['ahp', 'openapi', 'mcpServers', 'schema_version', 'otmVersion'].find((k) => child(root, k) !== undefined);
  const looks = other === 'ahp' ? ' (its "ahp" key marks an Agent Handshake Protocol document)' : other !== undefined ? ` (it has ${quote(other)}: another format)` : '';
  return { reason: `not an A2A Agent Card${looks}: ${problems.join('; ')}`, hint };
}

function strings(n: PNode | undefined, max = 200): string[] {
  if (n?.t !== 'array') return [];
  return n.items
    .slice(0, max)
    .map((x) => str(x))
    .filter((x): x is string => x !== undefined);
}

function bool(n: PNode | undefined): boolean | undefined {
  return n?.t === 'boolean' ? (n.value as boolean) : undefined;
}

const RANK: Record<AuthKind, number> = { none: 0, other: 1, 'api-key': 2, oauth: 3, mtls: 4 };

/** The weakest of several ways in: a client may use any scheme the card offers. */
export function weakestAuth(schemes: readonly CardScheme[]): AuthKind {
  if (schemes.length === 0) return 'none';
  let worst: AuthKind = 'mtls';
  for (const s of schemes) if (RANK[s.auth] < RANK[worst]) worst = s.auth;
  return worst;
}

function authOfType(type: string, scheme?: string): AuthKind {
  const t = type.toLowerCase().replace(/[^a-z]/g, '');
  if (t === 'none' || t === 'anonymous' || t === 'public') return 'none';
  if (t.includes('mutualtls') || t.includes('mtls')) return 'mtls';
  if (t.includes('oauth') || t.includes('openidconnect') || t === 'oidc') return 'oauth';
  if (t.includes('apikey') || t === 'bearer' || t === 'basic' || t.includes('httpauth') || t === 'http') {
    const s = (scheme ?? '').toLowerCase();
    return s === '' || s === 'bearer' || s === 'basic' || t.includes('apikey') ? 'api-key' : 'other';
  }
  return 'other';
}

/** Security schemes of any version. */
function readSchemes(root: PObject, warn: (w: CardWarning) => void): { schemes: CardScheme[]; pos?: Pos } {
  const out: CardScheme[] = [];
  const declared = child(root, 'securitySchemes');
  let pos: Pos | undefined;
  if (declared?.t === 'object') {
    pos = declared.pos;
    for (const e of declared.entries.slice(0, 100)) {
      const v = e.value;
      if (v.t !== 'object') {
        warn({ code: 'W_A2A_FIELD', message: `security scheme ${quote(e.key, 40)} is ${describeNode(v)}, not a mapping: ignored`, hint: 'a scheme is a mapping such as {"type": "http", "scheme": "bearer"}', pos: v.pos, pointer: v.pointer });
        continue;
      }
      const type = str(child(v, 'type'));
      if (type !== undefined) {
        out.push({ name: e.key, type: type === 'http' ? `http ${str(child(v, 'scheme')) ?? ''}`.trim() : type, auth: authOfType(type, str(child(v, 'scheme'))), pos: e.keyPos });
        continue;
      }
      // A2A 1.0 proto JSON: a single wrapper key names the scheme kind.
      const wrapper = v.entries.find((x) => /SecurityScheme$/i.test(x.key));
      if (wrapper) {
        const scheme = str(child(wrapper.value, 'scheme'));
        out.push({ name: e.key, type: scheme !== undefined ? `${wrapper.key} ${scheme}` : wrapper.key, auth: authOfType(wrapper.key, scheme), pos: e.keyPos });
        continue;
      }
      warn({ code: 'W_A2A_FIELD', message: `security scheme ${quote(e.key, 40)} has no "type": read as an unknown scheme`, hint: 'give the scheme a type: apiKey, http, oauth2, openIdConnect or mutualTLS', pos: e.keyPos, pointer: v.pointer });
      out.push({ name: e.key, type: 'unknown', auth: 'other', pos: e.keyPos });
    }
  } else if (declared !== undefined && declared.t !== 'null') {
    warn({ code: 'W_A2A_FIELD', message: `"securitySchemes" is ${describeNode(declared)}, not a mapping: ignored`, hint: 'write "securitySchemes": {"name": {"type": ...}}', pos: declared.pos, pointer: declared.pointer });
  }
  // A2A 0.1: "authentication": {"schemes": ["bearer"]}.
  const legacy = child(root, 'authentication');
  if (legacy?.t === 'object') {
    pos ??= legacy.pos;
    const list = child(legacy, 'schemes');
    for (const s of strings(list, 50)) out.push({ name: s, type: s, auth: authOfType(s), pos: list?.pos ?? legacy.pos });
  }
  return pos !== undefined ? { schemes: out, pos } : { schemes: out };
}

function readInterfaces(root: PObject, warn: (w: CardWarning) => void): CardInterface[] {
  const out: CardInterface[] = [];
  const add = (url: string | undefined, transport: string | undefined, version: string | undefined, pos: Pos) => {
    if (url === undefined || url.trim() === '') return;
    if (out.some((i) => i.url === url && i.transport === transport)) return;
    out.push({ url, pos, ...(transport !== undefined ? { transport } : {}), ...(version !== undefined ? { protocolVersion: version } : {}) });
  };
  const url = child(root, 'url');
  if (url !== undefined && str(url) === undefined) warn({ code: 'W_A2A_FIELD', message: `"url" is ${describeNode(url)}, not text: ignored`, hint: 'write the endpoint address', pos: url.pos, pointer: url.pointer });
  add(str(url), str(child(root, 'preferredTransport')), str(child(root, 'protocolVersion')), url?.pos ?? root.pos);
  for (const key of ['supportedInterfaces', 'additionalInterfaces']) {
    const list = child(root, key);
    if (list === undefined || list.t === 'null') continue;
    if (list.t !== 'array') {
      warn({ code: 'W_A2A_FIELD', message: `${quote(key)} is ${describeNode(list)}, not a list: ignored`, hint: 'write a list of {"url": ..., "protocolBinding": ...}', pos: list.pos, pointer: list.pointer });
      continue;
    }
    for (const item of list.items.slice(0, 50)) {
      const u = str(child(item, 'url'));
      if (u === undefined) {
        warn({ code: 'W_A2A_FIELD', message: `an entry of ${quote(key)} has no "url": ignored`, hint: 'each interface needs its address', pos: item.pos, pointer: item.pointer });
        continue;
      }
      add(u, str(child(item, 'protocolBinding')) ?? str(child(item, 'transport')), str(child(item, 'protocolVersion')), item.pos);
    }
  }
  return out;
}

function readSkills(root: PObject, warn: (w: CardWarning) => void): CardSkill[] {
  const list = child(root, 'skills');
  if (list === undefined || list.t === 'null') return [];
  if (list.t !== 'array') {
    warn({ code: 'W_A2A_FIELD', message: `"skills" is ${describeNode(list)}, not a list: ignored`, hint: 'write a list of skills', pos: list.pos, pointer: list.pointer });
    return [];
  }
  const out: CardSkill[] = [];
  for (const item of list.items.slice(0, 500)) {
    const id = text(child(item, 'id')) ?? str(child(item, 'name'));
    if (item.t !== 'object' || id === undefined) {
      warn({ code: 'W_A2A_FIELD', message: `a skill without "id" or "name" (${describeNode(item)}) is ignored`, hint: 'each skill needs an id', pos: item.pos, pointer: item.pointer });
      continue;
    }
    const name = str(child(item, 'name'));
    const description = str(child(item, 'description'));
    const examples = child(item, 'examples');
    out.push({ id, tags: strings(child(item, 'tags'), 50), examples: examples?.t === 'array' ? examples.items.length : 0, pos: item.pos, ...(name !== undefined ? { name } : {}), ...(description !== undefined ? { description } : {}) });
  }
  return out;
}

/** Read a card already known to be one (see notACardReason). */
export function readCard(root: PObject, warn: (w: CardWarning) => void): AgentCard {
  for (const e of root.entries) {
    if (!KNOWN_KEYS.has(e.key) && !e.key.startsWith('x-')) {
      warn({ code: 'W_A2A_UNKNOWN_KEY', message: `the key ${quote(e.key, 40)} is not an A2A Agent Card field: ignored`, hint: 'check the spelling against the A2A specification', pos: e.keyPos, pointer: e.value.pointer });
    }
  }
  const caps = child(root, 'capabilities');
  if (caps !== undefined && caps.t !== 'object' && caps.t !== 'null') {
    warn({ code: 'W_A2A_FIELD', message: `"capabilities" is ${describeNode(caps)}, not a mapping: ignored`, hint: 'write "capabilities": {"streaming": true, ...}', pos: caps.pos, pointer: caps.pointer });
  }
  const extensions: CardExtension[] = [];
  const extList = child(caps, 'extensions');
  if (extList?.t === 'array') {
    for (const x of extList.items.slice(0, 100)) {
      const uri = str(child(x, 'uri'));
      if (uri === undefined) {
        warn({ code: 'W_A2A_FIELD', message: 'an extension without "uri" is ignored', hint: 'each extension is named by its uri', pos: x.pos, pointer: x.pointer });
        continue;
      }
      extensions.push({ uri, required: bool(child(x, 'required')) === true, pos: x.pos });
    }
  }
  const push = child(caps, 'pushNotifications');
  const { schemes, pos: authPos } = readSchemes(root, warn);
  const sigs = child(root, 'signatures');
  const provider = child(root, 'provider');
  const providerOrg = str(child(provider, 'organization'));
  const providerUrl = str(child(provider, 'url'));
  const name = str(child(root, 'name')) ?? 'A2A agent';
  const description = str(child(root, 'description'));
  const version = text(child(root, 'version'));
  const protocolVersion = text(child(root, 'protocolVersion'));
  const documentationUrl = str(child(root, 'documentationUrl'));
  const streaming = bool(child(caps, 'streaming'));
  const pushNotifications = bool(push);
  const stateTransitionHistory = bool(child(caps, 'stateTransitionHistory'));
  const extendedCard = bool(child(caps, 'extendedAgentCard')) ?? bool(child(root, 'supportsAuthenticatedExtendedCard'));
  return {
    name,
    interfaces: readInterfaces(root, warn),
    extensions,
    schemes,
    authPos: authPos ?? root.pos,
    signatures: sigs?.t === 'array' ? sigs.items.length : 0,
    inputModes: strings(child(root, 'defaultInputModes'), 50),
    outputModes: strings(child(root, 'defaultOutputModes'), 50),
    skills: readSkills(root, warn),
    pos: root.pos,
    ...(description !== undefined ? { description } : {}),
    ...(version !== undefined ? { version } : {}),
    ...(protocolVersion !== undefined ? { protocolVersion } : {}),
    ...(providerOrg !== undefined || providerUrl !== undefined ? { provider: { ...(providerOrg !== undefined ? { organization: providerOrg } : {}), ...(providerUrl !== undefined ? { url: providerUrl } : {}) } } : {}),
    ...(documentationUrl !== undefined ? { documentationUrl } : {}),
    ...(streaming !== undefined ? { streaming } : {}),
    ...(pushNotifications !== undefined ? { pushNotifications } : {}),
    ...(push !== undefined ? { pushPos: push.pos } : {}),
    ...(stateTransitionHistory !== undefined ? { stateTransitionHistory } : {}),
    ...(extendedCard !== undefined ? { extendedCard } : {}),
    ...(sigs?.t === 'array' ? { signaturesPos: sigs.pos } : {}),
  };
}
