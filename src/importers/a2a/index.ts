/**
 * A2A Agent Cards → a model: one external agent per card (its skills, endpoints, authentication,
 * capabilities, provider and signatures), the client agent that talks to them (your agent), an A2A
 * channel from the client to each card's agent, and for agents that push notifications a webhook
 * channel back with an untrusted entry point. Providers become trust boundaries.
 *
 * Facts that analysis turns into findings: no authentication declared (channel authentication
 * none), an http:// endpoint (encryption none), an unsigned card (no signed-agent-cards control, so
 * the remote agent's identity is unverified), push notifications (inbound calls to the client).
 *
 * Static: URLs in a card (endpoints, provider, documentation, extension descriptors) are recorded as
 * text and never fetched or followed. Fetching a card itself is the CLI's `--fetch` (src/io/fetch-card.ts).
 */
import { diag, quote, type Diagnostic } from '../../model/diagnostics.js';
import type { AgentSpec, BoundarySpec, ChannelSpec, ControlSpec, EntryPointSpec, ModelFile } from '../../model/schema.js';
import { parseInputTree, type Pos } from '../_source.js';
import { clip, IdAllocator, slug, SourceRecorder } from '../_model.js';
import { redactUrl } from '../mcp-config/secrets.js';
import type { ImportFileReport, ImportInput, ImportNote, ImportOptions, ImportResult, Importer } from '../types.js';
import { notACardReason, readCard, weakestAuth, type AgentCard, type AuthKind } from './card.js';

const FORMAT = 'a2a';
const CLIENT_ID = 'a2a_client';
const CLIENT_BOUNDARY = 'client_side';
const UNKNOWN_PROVIDER_BOUNDARY = 'remote_agents';
const MAX_CARDS = 1_000;

const CHANNEL_AUTH: Record<AuthKind, NonNullable<ChannelSpec['authentication']>> = { none: 'none', 'api-key': 'api-key', oauth: 'oauth', mtls: 'mtls', other: 'unknown' };

/** Scheme, host and whether the host is this machine, for an endpoint URL (undefined when not a URL). */
export function endpointOf(url: string): { scheme: string; host: string; local: boolean } | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const host = u.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const local = host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '::1' || host === '0.0.0.0' || host === 'host.docker.internal';
  return { scheme: u.protocol.replace(/:$/, '').toLowerCase(), host, local };
}

interface Built {
  readonly agent: AgentSpec;
  readonly elements: number;
}

class Builder {
  readonly ids: IdAllocator;
  readonly agents: AgentSpec[] = [];
  readonly channels: ChannelSpec[] = [];
  readonly entryPoints: EntryPointSpec[] = [];
  readonly controls: ControlSpec[] = [];
  readonly boundaries = new Map<string, BoundarySpec>();
  readonly client: AgentSpec;

  constructor(existing: ReadonlyMap<string, string> | undefined) {
    this.ids = new IdAllocator(existing);
    const clientId = this.ids.take(CLIENT_ID, 'agents');
    this.ids.take(CLIENT_BOUNDARY, 'boundaries');
    this.ids.take(UNKNOWN_PROVIDER_BOUNDARY, 'boundaries');
    this.client = {
      id: clientId,
      name: 'A2A client (your agent)',
      description: 'The agent that reads these Agent Cards and sends tasks to the agents they describe. Its models, tools, approvals and the data it shares are not in the cards: add them.',
      role: 'Delegates tasks to remote agents over A2A',
      origin: 'first-party',
      delegatesTo: [],
      boundary: CLIENT_BOUNDARY,
    };
  }

  boundaryFor(card: AgentCard): string {
    const org = card.provider?.organization;
    if (org === undefined || org.trim() === '') {
      if (!this.boundaries.has(UNKNOWN_PROVIDER_BOUNDARY)) {
        this.boundaries.set(UNKNOWN_PROVIDER_BOUNDARY, {
          id: UNKNOWN_PROVIDER_BOUNDARY,
          name: 'Remote agents (operator not stated)',
          type: 'organisation',
          trust: 'untrusted',
          description: 'Agents whose cards name no provider: whoever runs them is outside your control.',
        });
      }
      return UNKNOWN_PROVIDER_BOUNDARY;
    }
    const key = `org:${org}`;
    const have = this.boundaries.get(key);
    if (have) return have.id;
    const id = this.ids.take(`provider_${slug(org, 'org')}`.slice(0, 128), 'boundaries');
    this.boundaries.set(key, {
      id,
      name: clip(`Provider: ${org}`),
      type: 'organisation',
      trust: 'untrusted',
      description: clip(`Run by ${org}, as the Agent Card states (provider.organization)${card.provider?.url !== undefined ? ` — ${redactUrl(card.provider.url).url}` : ''}. The card is the provider's own claim.`),
    });
    return id;
  }

  addCard(card: AgentCard, file: string, notes: ImportNote[]): Built {
    const id = this.ids.take(slug(card.name, 'a2a_agent'), 'agents');
    const src = new SourceRecorder(file, FORMAT, card.pos, '');
    const tags = new Set<string>(['a2a']);
    const note = (code: string, message: string, pos: Pos | undefined, element = id) =>
      notes.push({ code, message, file, ...(pos ? { line: pos.line, column: pos.column } : {}), pointer: '', element });
    const label = quote(card.name, 60);

    // Endpoints: every interface; the channel is as weak as the weakest one.
    const endpoints = card.interfaces.map((i) => ({ ...i, shown: redactUrl(i.url).url, ep: endpointOf(i.url) }));
    let encryption: ChannelSpec['encryption'];
    if (endpoints.length > 0) encryption = endpoints.every((e) => e.ep?.scheme === 'https' || e.ep?.scheme === 'wss' || e.ep?.scheme === 'grpcs') ? 'tls' : 'none';
    for (const e of endpoints) {
      if (e.ep === undefined) {
        note('I_A2A_BAD_URL', `agent ${label}: the endpoint ${quote(e.shown, 80)} is not a valid URL`, e.pos);
      } else if (e.ep.scheme === 'http' || e.ep.scheme === 'ws') {
        tags.add(e.ep.local ? 'localhost-endpoint' : 'plain-http');
        if (!e.ep.local) note('I_PLAIN_HTTP', `agent ${label}: the endpoint ${quote(e.shown, 80)} uses plain http: tasks, results and credentials travel unencrypted`, e.pos);
        else note('I_A2A_LOCALHOST', `agent ${label}: the endpoint ${quote(e.shown, 80)} is on this machine (a development card?): the deployed address and its transport security are unknown`, e.pos);
      } else if (e.ep.local) tags.add('localhost-endpoint');
      if (redactUrl(e.url).secret) {
        tags.add('secret-in-card');
        note('I_SECRET_IN_FILE', `agent ${label}: an endpoint URL holds a secret (value not copied)`, e.pos);
      }
    }
    if (endpoints.length === 0) note('I_A2A_NO_ENDPOINT', `agent ${label}: the card names no endpoint ("url" or "supportedInterfaces")`, card.pos);
    src.at('/x-a2a/endpoints', endpoints[0]?.pos);

    // Authentication.
    const auth = weakestAuth(card.schemes);
    if (card.schemes.length === 0 || auth === 'none') {
      tags.add('no-authentication');
      note('I_A2A_NO_AUTH', `agent ${label}: the card declares no authentication${card.schemes.length > 0 ? ' (scheme "none")' : ''}: anyone can send it tasks, and the client cannot tell an impostor at that address`, card.authPos);
    }

    // Signatures.
    const signed = card.signatures > 0;
    if (!signed) {
      tags.add('unsigned-card');
      note('I_A2A_UNSIGNED_CARD', `agent ${label}: the card is not signed ("signatures"): whoever serves it can claim any name, skills or provider`, card.pos);
    }

    // Capabilities.
    if (card.pushNotifications === true) {
      tags.add('push-notifications');
      note('I_A2A_PUSH_NOTIFICATIONS', `agent ${label}: push notifications: it calls back a webhook URL the client gives it, so the client receives requests from it`, card.pushPos);
    }
    for (const x of card.extensions) {
      if (x.required) note('I_A2A_REQUIRED_EXTENSION', `agent ${label}: the extension ${quote(x.uri, 100)} is required: clients must implement it to talk to this agent`, x.pos);
    }

    const boundary = this.boundaryFor(card);
    const skillNames = card.skills.map((s) => s.name ?? s.id);
    const a2a: Record<string, unknown> = {
      endpoints: endpoints.map((e) => ({ url: clip(e.shown, 2000), ...(e.transport !== undefined ? { transport: clip(e.transport, 100) } : {}), ...(e.protocolVersion !== undefined ? { protocolVersion: clip(e.protocolVersion, 50) } : {}) })),
      ...(card.protocolVersion !== undefined ? { protocolVersion: clip(card.protocolVersion, 50) } : {}),
      ...(card.version !== undefined ? { version: clip(card.version, 100) } : {}),
      ...(card.provider !== undefined ? { provider: { ...(card.provider.organization !== undefined ? { organization: clip(card.provider.organization, 500) } : {}), ...(card.provider.url !== undefined ? { url: clip(redactUrl(card.provider.url).url, 2000) } : {}) } } : {}),
      ...(card.documentationUrl !== undefined ? { documentationUrl: clip(redactUrl(card.documentationUrl).url, 2000) } : {}),
      authentication: card.schemes.map((s) => ({ name: clip(s.name, 200), type: clip(s.type, 200) })),
      capabilities: {
        streaming: card.streaming ?? false,
        pushNotifications: card.pushNotifications ?? false,
        ...(card.stateTransitionHistory !== undefined ? { stateTransitionHistory: card.stateTransitionHistory } : {}),
        ...(card.extendedCard !== undefined ? { extendedAgentCard: card.extendedCard } : {}),
        extensions: card.extensions.map((x) => ({ uri: clip(redactUrl(x.uri).url, 2000), required: x.required })),
      },
      signatures: card.signatures,
      skills: card.skills.map((s) => ({
        id: clip(s.id, 500),
        ...(s.name !== undefined ? { name: clip(s.name, 500) } : {}),
        ...(s.description !== undefined ? { description: clip(s.description, 5000) } : {}),
        ...(s.tags.length > 0 ? { tags: s.tags.map((t) => clip(t, 200)) } : {}),
      })),
    };
    src.at('/x-a2a/authentication', card.authPos);
    src.at('/x-a2a/skills', card.skills[0]?.pos);
    if (card.signaturesPos) src.at('/x-a2a/signatures', card.signaturesPos);
    const agent: AgentSpec = {
      id,
      name: clip(card.name),
      ...(card.description !== undefined ? { description: clip(card.description, 100_000) } : {}),
      role: clip(skillNames.length > 0 ? `Remote A2A agent; skills: ${skillNames.join('; ')}` : 'Remote A2A agent (the card lists no skills)'),
      origin: 'external',
      framework: 'A2A',
      acceptsFrom: [this.client.id],
      boundary,
      ...(card.provider?.organization !== undefined ? { owner: clip(card.provider.organization) } : {}),
      tags: [...tags].sort(),
      importedFrom: src.build(),
    };
    (agent as Record<string, unknown>)['x-a2a'] = a2a;
    this.agents.push(agent);
    this.client.delegatesTo = [...(this.client.delegatesTo ?? []), id];
    let elements = 1;

    // The client → agent channel.
    const chLines: Record<string, number> = { '/authentication': card.authPos.line };
    if (endpoints[0]) chLines['/encryption'] = endpoints[0].pos.line;
    const modes = [...new Set([...card.inputModes, ...card.outputModes])].slice(0, 50).map((m) => clip(m, 200));
    this.channels.push({
      id: this.ids.take(`${this.client.id}_to_${id}`.slice(0, 128), 'channels'),
      from: this.client.id,
      to: id,
      protocol: 'a2a',
      authentication: CHANNEL_AUTH[auth],
      ...(encryption !== undefined ? { encryption } : {}),
      direction: 'bidirectional',
      ...(modes.length > 0 ? { data: modes } : {}),
      description: clip(
        endpoints.length > 0
          ? `A2A requests from the client to ${endpoints.map((e) => `${e.shown}${e.transport !== undefined ? ` (${e.transport})` : ''}`).join(', ')}; authentication as the card declares: ${card.schemes.length > 0 ? card.schemes.map((s) => s.type).join(', ') : 'none'}.`
          : 'A2A requests from the client; the card names no endpoint.',
      ),
      importedFrom: { file: clip(file), format: FORMAT, line: endpoints[0]?.pos.line ?? card.pos.line, column: 1, pointer: '', lines: chLines },
    });
    elements++;

    // Push notifications: the agent calls the client back.
    if (card.pushNotifications === true) {
      const pushId = this.ids.take(`${id}_push_to_${this.client.id}`.slice(0, 128), 'channels');
      this.channels.push({
        id: pushId,
        from: id,
        to: this.client.id,
        protocol: 'http',
        authentication: 'unknown',
        direction: 'one-way',
        description: 'Push notifications: the remote agent sends task updates to a webhook URL the client registers. Check that each call is authenticated (the token given with the webhook) and that the webhook accepts no other caller.',
        importedFrom: { file: clip(file), format: FORMAT, line: card.pushPos?.line ?? card.pos.line, column: 1, pointer: '/capabilities/pushNotifications' },
      });
      this.entryPoints.push({
        id: this.ids.take(`${id}_push_notifications`.slice(0, 128), 'entryPoints'),
        name: clip(`Push notifications from ${card.name}`),
        target: this.client.id,
        source: id,
        via: pushId,
        type: 'agent-message',
        trust: 'untrusted',
        importedFrom: { file: clip(file), format: FORMAT, line: card.pushPos?.line ?? card.pos.line, column: 1, pointer: '/capabilities/pushNotifications' },
      });
      elements += 2;
    }

    // A signed card: the signature exists; whether the client checks it is not in the card.
    if (signed) {
      this.controls.push({
        id: this.ids.take(`${id}_card_signature`.slice(0, 128), 'controls'),
        name: clip(`Signed Agent Card of ${card.name}`),
        pattern: 'signed-agent-cards',
        appliesTo: [id],
        status: 'partial',
        evidence: `The card carries ${card.signatures} signature${card.signatures === 1 ? '' : 's'} ("signatures"). Set status implemented once the client verifies them against a key it trusts.`,
        importedFrom: { file: clip(file), format: FORMAT, line: card.signaturesPos?.line ?? card.pos.line, column: 1, pointer: '/signatures' },
      });
      elements++;
    }
    return { agent, elements };
  }

  model(count: number): ModelFile {
    const boundaries: BoundarySpec[] = [
      { id: CLIENT_BOUNDARY, name: 'Your system (the A2A client side)', type: 'organisation', trust: 'trusted', description: 'Where your own agent runs.' },
      ...[...this.boundaries.values()],
    ];
    const names = this.agents.map((a) => a.name ?? a.id);
    const m: ModelFile = {
      version: '1.0',
      system: {
        name: clip(count === 1 ? `A2A client of ${names[0] ?? 'a remote agent'}` : `A2A client of ${count} remote agents`),
        description: clip(
          `Imported from ${count} A2A Agent Card${count === 1 ? '' : 's'} by maestro-tm import. A card is the remote agent's own claim about its name, skills, endpoints and authentication; it does not say what the client shares with the agent or what the client may do with its answers: review and complete the model.`,
        ),
      },
      agents: [this.client, ...this.agents],
      channels: this.channels,
      boundaries,
    };
    if (this.entryPoints.length > 0) m.entryPoints = this.entryPoints;
    if (this.controls.length > 0) m.controls = this.controls;
    return m;
  }
}

export function importAgentCards(inputs: readonly ImportInput[], options: ImportOptions = {}): ImportResult {
  const b = new Builder(options.existingIds);
  const diagnostics: Diagnostic[] = [];
  const notes: ImportNote[] = [];
  const files: ImportFileReport[] = [];
  let count = 0;
  for (const input of inputs) {
    const file = input.path;
    if (count >= MAX_CARDS) {
      diagnostics.push({ ...diag('W_IMPORT_LIMIT', `more than ${MAX_CARDS} cards: the rest are not read`, { hint: 'import fewer cards at once', line: 1, column: 1 }), file });
      files.push({ file, status: 'refused', elements: 0 });
      continue;
    }
    const root = parseInputTree(input.text, file, diagnostics, files);
    if (root === undefined) continue;
    const why = notACardReason(root);
    if (why !== undefined || root.t !== 'object') {
      diagnostics.push({ ...diag('E_IMPORT_NOT_A2A', why?.reason ?? 'not an A2A Agent Card', { hint: why?.hint ?? '', line: root.pos.line, column: root.pos.column, pointer: '' }), file });
      files.push({ file, status: 'refused', elements: 0 });
      continue;
    }
    const card = readCard(root, (w) => diagnostics.push({ ...diag(w.code, w.message, { hint: w.hint, line: w.pos.line, column: w.pos.column, pointer: w.pointer, severity: 'warning' }), file }));
    const built = b.addCard(card, file, notes);
    count++;
    files.push({ file, status: 'imported', dialect: card.interfaces.some((i) => i.protocolVersion?.startsWith('1') === true) || card.protocolVersion?.startsWith('1') === true ? 'A2A Agent Card (1.0 style)' : 'A2A Agent Card (0.x style)', elements: built.elements + (count === 1 ? 1 : 0) });
  }
  if (count === 0) return { diagnostics, notes, files };
  return { model: b.model(count), diagnostics, notes, files };
}

const WANTED = /(^|\/)(agent-card\.json|agent\.json|[^/]*agent[_-]?card[^/]*\.json)$/i;

export const a2aImporter: Importer = {
  id: 'a2a',
  aliases: ['a2a-card', 'agent-card'],
  description: 'A2A Agent Cards (agent-card.json / agent.json, A2A 0.2, 0.3 and 1.0); with --fetch, one https card URL',
  detect(input) {
    const head = input.text.slice(0, 65_536);
    let score = 0;
    if (WANTED.test(input.path.replace(/\\/g, '/'))) score += 0.3;
    if (/"skills"\s*:\s*\[/.test(head)) score += 0.3;
    if (/"(supportedInterfaces|defaultInputModes|defaultOutputModes|preferredTransport)"\s*:/.test(head)) score += 0.3;
    if (/"capabilities"\s*:\s*\{/.test(head)) score += 0.1;
    // An agent self-description of some kind (name, description, endpoints or capabilities): a weak claim.
    if (score === 0 && /"name"\s*:/.test(head) && /"description"\s*:/.test(head) && /"(capabilities|endpoints|url)"\s*:/.test(head)) score = 0.2;
    // Other formats' markers: at most a weak claim (below auto's threshold), so a document at an agent-card
    // path that is something else is still explained by this importer's refusal.
    if (/"(mcpServers|otmVersion|bio|ahp)"\s*:/.test(head)) score = Math.min(score, 0.2);
    return Math.max(0, Math.min(1, score));
  },
  wantsPath(path) {
    return WANTED.test(path.replace(/\\/g, '/'));
  },
  import: importAgentCards,
};
