/**
 * The A2A Agent Card importer over the corpus (../shared/corpus/a2a-agent-card) and hand-made cards:
 * element counts per file, the non-A2A document refused with its reason, the facts that analysis
 * turns into findings (no authentication, http, unsigned card, push notifications), and the --fetch
 * address checks (no network: the resolver and the request are injected).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runImport } from '../../src/importers/index.js';
import { renderImportedModel } from '../../src/importers/write.js';
import { validateData } from '../../src/model/load.js';
import { resolveModel } from '../../src/model/resolve.js';
import { analyse } from '../../src/engine/analyse.js';
import { RULES } from '../../src/rules/index.js';
import { loadCatalogue } from '../../src/io/catalogue.js';
import { blockedAddress, blockedName, checkCardUrl, fetchAgentCard, fetchCardInput, FetchRefused, vetHost, type RawResponse, type ResolvedAddress } from '../../src/io/fetch-card.js';
import type { ModelFile } from '../../src/model/schema.js';

const CORPUS = new URL('../../../shared/corpus/a2a-agent-card/', import.meta.url);

/** file → [agents, channels, entry points, boundaries], or the refusal code. Checked by hand against each card. */
const EXPECTED: Record<string, [number, number, number, number] | string> = {
  '1Mangesh1__1mangesh1.github.io__well-known-agent-card-minified.json': [2, 1, 0, 2],
  'AHP-Organization__reference-implementation__well-known-agent-json-NOT-A2A-ahp.json': 'E_IMPORT_NOT_A2A',
  'a2aproject__a2a-samples__a2a_mcp-air_ticketing_agent.json': [2, 2, 1, 2],
  'a2aproject__a2a-samples__a2a_mcp-car_rental_agent.json': [2, 2, 1, 2],
  'a2aproject__a2a-samples__a2a_mcp-hotel_booking_agent.json': [2, 2, 1, 2],
  'a2aproject__a2a-samples__a2a_mcp-orchestrator_agent.json': [2, 2, 1, 2],
  'a2aproject__a2a-samples__a2a_mcp-planner_agent.json': [2, 2, 1, 2],
  'a2aproject__a2a-samples__adk_currency_agent-agent_card.json': [2, 1, 0, 2],
  'a2aproject__a2a-samples__adk_facts-facts_agent.json': [2, 1, 0, 2],
  'a2aproject__a2a-samples__adk_skills_agent-agent_card.json': [2, 1, 0, 2],
  'a2aproject__a2a-samples__pr211-check_prime_agent.json': [2, 1, 0, 2],
  'a2aproject__a2a-samples__pr211-human_in_loop-reimbursement_agent.json': [2, 1, 0, 2],
  'a2aproject__a2a-samples__pr437-recipe_assistant_agent_card.json': [2, 1, 0, 2],
  'a2aproject__a2a-samples__pr437-weather_agent_card.json': [2, 2, 1, 2],
  'a2aproject__a2a-samples__pr482-oixa-protocol-agent.json': [2, 1, 0, 2],
  'a2aproject__a2a-samples__pr593-commerce-profile-agent-card.json': [2, 1, 0, 2],
};

const counts = (m: ModelFile | undefined): [number, number, number, number] => [m?.agents?.length ?? 0, m?.channels?.length ?? 0, m?.entryPoints?.length ?? 0, m?.boundaries?.length ?? 0];
const catalogue = loadCatalogue().catalogue;

function card(extra: Record<string, unknown>): string {
  return JSON.stringify({ name: 'Partner Agent', description: 'd', version: '1.0.0', capabilities: {}, defaultInputModes: ['text/plain'], defaultOutputModes: ['text/plain'], skills: [{ id: 's1', name: 'Skill one', description: 'x', tags: [] }], ...extra });
}

function findingsOf(m: ModelFile) {
  return analyse(resolveModel(m), catalogue, RULES).analysis.findings.filter((f) => f.status === 'open');
}

describe.skipIf(!existsSync(CORPUS))('A2A Agent Cards from the corpus', () => {
  const files = existsSync(CORPUS) ? readdirSync(CORPUS).filter((f) => f !== 'SOURCES.md').sort() : [];

  it('the expectation table covers every corpus file', () => {
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(files)('%s imports with the expected elements, or is refused with a reason', (name) => {
    const r = runImport('a2a', [{ path: name, text: readFileSync(new URL(name, CORPUS), 'utf8') }]);
    const want = EXPECTED[name];
    if (typeof want === 'string') {
      expect(r.model).toBeUndefined();
      const refusal = r.diagnostics.find((d) => d.code === want);
      expect(refusal?.severity).toBe('error');
      expect(refusal?.message).toMatch(/not an A2A Agent Card.*Agent Handshake Protocol.*"skills"/);
      expect(runImport('auto', [{ path: name, text: readFileSync(new URL(name, CORPUS), 'utf8') }]).model).toBeUndefined();
      return;
    }
    expect(r.model).toBeDefined();
    expect(counts(r.model)).toEqual(want);
    expect(validateData(r.model).filter((d) => d.severity === 'error')).toEqual([]);
    // auto detection picks the A2A importer for every card.
    expect(runImport('auto', [{ path: name, text: readFileSync(new URL(name, CORPUS), 'utf8') }]).files[0]?.dialect).toMatch(/^A2A Agent Card/);
  });

  it('all cards at once: one client agent delegating to every remote agent, unique ids', () => {
    const inputs = files.map((f) => ({ path: f, text: readFileSync(new URL(f, CORPUS), 'utf8') }));
    const r = runImport('a2a', inputs);
    const m = r.model as ModelFile;
    const remote = (m.agents ?? []).filter((a) => a.origin === 'external');
    expect(remote).toHaveLength(15);
    const client = (m.agents ?? []).find((a) => a.id === 'a2a_client');
    expect([...(client?.delegatesTo ?? [])].sort()).toEqual(remote.map((a) => a.id).sort());
    const ids = (m.agents ?? []).map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Two cards are both called "Currency Conversion Agent": the second gets a suffix.
    expect(ids).toContain('currency_conversion_agent_2');
    // Providers become boundaries; cards without a provider share one.
    expect((m.boundaries ?? []).map((b) => b.id)).toEqual(expect.arrayContaining(['client_side', 'remote_agents', 'provider_example_org', 'provider_weathernow']));
  });
});

describe('A2A facts that become findings', () => {
  it('no authentication, plain http and an unsigned card are findings on the imported model', () => {
    const r = runImport('a2a', [{ path: 'agent-card.json', text: card({ url: 'http://partner.example.com/a2a', provider: { organization: 'Partner Inc' } }) }]);
    const m = r.model as ModelFile;
    const ch = m.channels?.[0];
    expect(ch).toMatchObject({ from: 'a2a_client', to: 'partner_agent', protocol: 'a2a', authentication: 'none', encryption: 'none' });
    expect(r.notes.map((n) => n.code).sort()).toEqual(['I_A2A_NO_AUTH', 'I_A2A_UNSIGNED_CARD', 'I_PLAIN_HTTP']);
    const rules = new Set(findingsOf(m).map((f) => f.rule));
    expect(rules).toContain('channel-without-authentication');
    expect(rules).toContain('channel-unencrypted-across-boundary');
    expect(rules).toContain('external-agent-identity-unverified');
    // Evidence on the channel's authentication points back at the card.
    const f = findingsOf(m).find((x) => x.rule === 'channel-without-authentication');
    expect(f?.element).toBe(ch?.id);
  });

  it('https, mutual TLS and a signed card: none of those three findings', () => {
    const text = card({
      supportedInterfaces: [{ url: 'https://partner.example.com/a2a', protocolBinding: 'JSONRPC', protocolVersion: '1.0' }],
      securitySchemes: { mtls: { mtlsSecurityScheme: { description: 'client certs' } } },
      signatures: [{ protected: 'eyJhbGciOiJFUzI1NiJ9', signature: 'abc' }],
    });
    const r = runImport('a2a', [{ path: 'agent-card.json', text }]);
    const m = r.model as ModelFile;
    expect(m.channels?.[0]).toMatchObject({ authentication: 'mtls', encryption: 'tls' });
    expect(m.controls?.[0]).toMatchObject({ pattern: 'signed-agent-cards', appliesTo: ['partner_agent'], status: 'partial' });
    const rules = new Set(findingsOf(m).map((f) => f.rule));
    expect(rules).not.toContain('channel-without-authentication');
    expect(rules).not.toContain('channel-unencrypted-across-boundary');
    expect(rules).not.toContain('external-agent-identity-unverified');
  });

  it('the weakest declared scheme wins (0.3 OpenAPI style and 0.1 authentication.schemes)', () => {
    const both = card({ url: 'https://x.example.com', securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Key' }, oauth: { type: 'oauth2', flows: {} } } });
    expect(runImport('a2a', [{ path: 'a.json', text: both }]).model?.channels?.[0]?.authentication).toBe('api-key');
    const oauth = card({ url: 'https://x.example.com', securitySchemes: { o: { type: 'openIdConnect', openIdConnectUrl: 'https://id.example.com' } } });
    expect(runImport('a2a', [{ path: 'a.json', text: oauth }]).model?.channels?.[0]?.authentication).toBe('oauth');
    const legacy = card({ url: 'https://x.example.com', authentication: { schemes: ['none'] } });
    expect(runImport('a2a', [{ path: 'a.json', text: legacy }]).model?.channels?.[0]?.authentication).toBe('none');
  });

  it('push notifications: a webhook channel back to the client and an untrusted entry point', () => {
    const r = runImport('a2a', [{ path: 'a.json', text: card({ url: 'https://x.example.com', capabilities: { pushNotifications: true } }) }]);
    const m = r.model as ModelFile;
    expect(m.entryPoints?.[0]).toMatchObject({ target: 'a2a_client', source: 'partner_agent', type: 'agent-message', trust: 'untrusted' });
    expect(m.channels?.find((c) => c.from === 'partner_agent')).toMatchObject({ to: 'a2a_client', direction: 'one-way' });
    expect(r.notes.some((n) => n.code === 'I_A2A_PUSH_NOTIFICATIONS' && n.line === 1)).toBe(true);
  });

  it('URLs in a card are kept as text, secrets in them are redacted, nothing is followed', () => {
    const secretUrl = 'https://x.example.com/a2a?api_key=sk-live-0123456789abcdefABCDEF';
    const r = runImport('a2a', [{ path: 'a.json', text: card({ url: secretUrl, capabilities: { extensions: [{ uri: 'https://ext.example.com/v1', required: true, params: { descriptorUrl: 'http://169.254.169.254/latest' } }] } }) }]);
    const text = renderImportedModel(r.model as ModelFile, r.files, 'a2a');
    expect(text).not.toContain('sk-live-0123456789abcdefABCDEF');
    expect(text).toContain('[redacted]');
    expect(text).not.toContain('169.254.169.254');
    expect(r.notes.map((n) => n.code)).toEqual(expect.arrayContaining(['I_SECRET_IN_FILE', 'I_A2A_REQUIRED_EXTENSION']));
  });

  it('wrong types are warnings with their place; the card still imports', () => {
    const r = runImport('a2a', [{ path: 'a.json', text: '{\n "name": "A",\n "skills": [],\n "url": 5,\n "securitySchemes": [],\n "capabilities": {}\n}' }]);
    expect(r.model).toBeDefined();
    expect(r.diagnostics.find((d) => d.pointer === '/url')).toMatchObject({ code: 'W_A2A_FIELD', line: 4 });
    expect(r.diagnostics.find((d) => d.pointer === '/securitySchemes')).toMatchObject({ code: 'W_A2A_FIELD', line: 5 });
  });
});

describe('--fetch address checks (no network)', () => {
  it('classifies loopback, private, link-local, CGNAT, multicast and metadata addresses as blocked', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '100.100.100.200', '0.0.0.0', '224.0.0.1', '255.255.255.255', '198.18.0.1']) {
      expect(blockedAddress(a), a).toBeDefined();
    }
    for (const a of ['::1', '::', 'fd00:ec2::254', 'fc00::1', 'fe80::1', 'fe80::1%eth0', 'ff02::1', '::ffff:127.0.0.1', '::ffff:169.254.169.254', '::ffff:7f00:1', '64:ff9b::a9fe:a9fe', '2002:c0a8:0101::1', '2001:db8::1']) {
      expect(blockedAddress(a), a).toBeDefined();
    }
    for (const a of ['8.8.8.8', '1.1.1.1', '93.184.216.34', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '2002:0808:0808::1']) {
      expect(blockedAddress(a), a).toBeUndefined();
    }
    expect(blockedAddress('not-an-ip')).toBe('not an address');
  });

  it('refuses internal names before any lookup', () => {
    for (const h of ['localhost', 'metadata.google.internal', 'foo.internal', 'printer.local', 'app.localhost', 'intranet']) expect(blockedName(h), h).toBeDefined();
    expect(blockedName('agent.example.com')).toBeUndefined();
  });

  it('https only, no credentials, a bare origin gets the well-known path', () => {
    expect(() => checkCardUrl('http://agent.example.com/')).toThrow(FetchRefused);
    expect(() => checkCardUrl('https://u:p@agent.example.com/')).toThrow(/user name or password/);
    expect(() => checkCardUrl('file:///etc/passwd')).toThrow(/only https/);
    expect(checkCardUrl('https://agent.example.com').toString()).toBe('https://agent.example.com/.well-known/agent-card.json');
    expect(checkCardUrl('https://agent.example.com/cards/a.json#x').toString()).toBe('https://agent.example.com/cards/a.json');
  });

  it('a name that resolves to any private address is refused (also when mixed with public ones)', async () => {
    const resolver = (host: string): Promise<ResolvedAddress[]> =>
      Promise.resolve(host === 'rebind.example.com' ? [{ address: '93.184.216.34', family: 4 }, { address: '10.0.0.5', family: 4 }] : host === 'meta.example.com' ? [{ address: 'fd00:ec2::254', family: 6 }] : [{ address: '93.184.216.34', family: 4 }]);
    await expect(vetHost('rebind.example.com', resolver)).rejects.toThrow(/private/);
    await expect(vetHost('meta.example.com', resolver)).rejects.toThrow(/unique local/);
    await expect(vetHost('[::1]', resolver)).rejects.toThrow(/loopback/);
    await expect(vetHost('169.254.169.254', resolver)).rejects.toThrow(/link-local/);
    await expect(vetHost('agent.example.com', resolver)).resolves.toEqual({ address: '93.184.216.34', family: 4 });
  });

  function fakeNet(map: Record<string, RawResponse>, seen: string[] = []) {
    const resolver = (host: string): Promise<ResolvedAddress[]> => Promise.resolve([{ address: host === 'evil.example.com' ? '127.0.0.1' : '93.184.216.34', family: 4 }]);
    const get = (url: URL, address: ResolvedAddress): Promise<RawResponse> => {
      seen.push(`${url.toString()} @${address.address}`);
      const r = map[url.toString()];
      return r ? Promise.resolve(r) : Promise.reject(new Error('ECONNREFUSED 10.0.0.1:22'));
    };
    return { resolver, get };
  }
  const body = (s: string) => new TextEncoder().encode(s);

  it('fetches a card, connecting to the address that was checked', async () => {
    const seen: string[] = [];
    const net = fakeNet({ 'https://agent.example.com/.well-known/agent-card.json': { status: 200, body: body(card({ url: 'https://agent.example.com/a2a' })) } }, seen);
    const r = await fetchCardInput('https://agent.example.com', net);
    expect(r.input?.path).toBe('https://agent.example.com/.well-known/agent-card.json');
    expect(seen).toEqual(['https://agent.example.com/.well-known/agent-card.json @93.184.216.34']);
    expect(runImport('a2a', r.input ? [r.input] : []).model?.agents).toHaveLength(2);
  });

  it('re-checks every redirect: to a private host, to http, more than 3 hops', async () => {
    const toEvil = fakeNet({ 'https://a.example.com/c.json': { status: 302, location: 'https://evil.example.com/c.json', body: body('') } });
    await expect(fetchAgentCard('https://a.example.com/c.json', toEvil)).rejects.toThrow(/loopback/);
    const toHttp = fakeNet({ 'https://a.example.com/c.json': { status: 301, location: 'http://a.example.com/c.json', body: body('') } });
    await expect(fetchAgentCard('https://a.example.com/c.json', toHttp)).rejects.toThrow(/only https is followed/);
    const chain: Record<string, RawResponse> = {};
    for (let i = 0; i < 5; i++) chain[`https://a.example.com/${i}`] = { status: 302, location: `/${i + 1}`, body: body('') };
    await expect(fetchAgentCard('https://a.example.com/0', fakeNet(chain))).rejects.toThrow(/more than 3 redirects/);
    chain['https://a.example.com/3'] = { status: 200, body: body('{}') };
    await expect(fetchAgentCard('https://a.example.com/0', fakeNet(chain))).resolves.toMatchObject({ url: 'https://a.example.com/3' });
  });

  it('size cap, non-200 answers and network errors give one plain message (no port-scan oracle)', async () => {
    const big = fakeNet({ 'https://a.example.com/c.json': { status: 200, body: new Uint8Array(2 * 1024 * 1024) } });
    await expect(fetchAgentCard('https://a.example.com/c.json', big)).rejects.toThrow(/larger than 1048576 bytes/);
    const notFound = fakeNet({ 'https://a.example.com/c.json': { status: 404, body: body('') } });
    await expect(fetchAgentCard('https://a.example.com/c.json', notFound)).rejects.toThrow(/answered 404/);
    const err = await fetchCardInput('https://a.example.com/other.json', fakeNet({}));
    expect(err.input).toBeUndefined();
    expect(err.message).toBe('could not fetch the agent card (network error, TLS error or no answer in time)');
    expect(err.message).not.toContain('ECONNREFUSED');
  });

  it('time cap: a request that never answers is abandoned', async () => {
    const resolver = (): Promise<ResolvedAddress[]> => Promise.resolve([{ address: '93.184.216.34', family: 4 }]);
    const get = (_u: URL, _a: ResolvedAddress, signal: AbortSignal): Promise<RawResponse> =>
      new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
    await expect(fetchAgentCard('https://slow.example.com/c.json', { resolver, get, limits: { timeoutMs: 50 } })).rejects.toThrow(/no answer within/);
  });
});
