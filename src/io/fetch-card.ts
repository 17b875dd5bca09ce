/**
 * `maestro-tm import a2a --fetch <url>`: fetch one A2A Agent Card over https, and nothing else
 * (HOSTILE-INPUTS I5). Never called without the flag.
 *
 * - https only; no user name or password in the URL; a bare origin gets /.well-known/agent-card.json;
 * - the host name is resolved here, and every address it resolves to must be public: loopback,
 *   private (RFC 1918, IPv6 ULA), link-local, CGNAT, multicast, reserved, documentation ranges and the
 *   cloud metadata services (169.254.169.254, fd00:ec2::254, metadata.google.internal) are refused;
 *   IPv6 outside global unicast (2000::/3) is refused, and IPv4 embedded in IPv6 (mapped, compatible,
 *   translated, NAT64, 6to4) is judged as the IPv4 address;
 * - the connection goes to the address that was checked (the socket's lookup is ours), so a second
 *   DNS answer cannot swap in another address (DNS rebinding);
 * - redirects are followed by hand, at most 3, each target checked again in full;
 * - at most 1 MB and 10 s in all (name lookups included); one generic message for network failures (no port-scan oracle);
 * - URLs inside the card are never fetched: the card is handed to the importer as text.
 */
import { lookup as dnsLookup } from 'node:dns';
import { request } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Host name → addresses. Injected in tests; the default asks the system resolver. */
export type Resolver = (host: string) => Promise<ResolvedAddress[]>;

export interface FetchLimits {
  readonly maxBytes: number;
  readonly timeoutMs: number;
  readonly maxRedirects: number;
}

export const FETCH_LIMITS: FetchLimits = { maxBytes: 1024 * 1024, timeoutMs: 10_000, maxRedirects: 3 };

export interface FetchedCard {
  /** The final URL (after redirects), shown as the import's file name. */
  readonly url: string;
  readonly text: string;
}

export class FetchRefused extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'FetchRefused';
  }
}

/** Host names that are internal whatever they resolve to. */
const BLOCKED_NAMES = new Set(['localhost', 'metadata.google.internal', 'metadata', 'instance-data', 'metadata.azure.com']);
const BLOCKED_SUFFIXES = ['.localhost', '.local', '.internal', '.localdomain', '.home.arpa', '.intranet', '.lan'];

// ---------------------------------------------------------------------------------------------------------------------
// Address classes

function parseV4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

/** 16 bytes of an IPv6 address (with an embedded IPv4 tail if written so), or undefined. */
function parseV6(s: string): number[] | undefined {
  let text = s.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const v4 = parseV4(text.slice(lastColon + 1));
    if (!v4) return undefined;
    tail = v4;
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-f]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = groups(halves[0] ?? '');
  const rest = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (!head || !rest) return undefined;
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const words = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...rest];
  const bytes: number[] = [];
  for (const w of words) bytes.push(w >> 8, w & 0xff);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

function inV4(a: readonly number[], base: readonly number[], bits: number): boolean {
  for (let i = 0; i < 4; i++) {
    const take = Math.max(0, Math.min(8, bits - i * 8));
    if (take === 0) return true;
    const mask = (0xff << (8 - take)) & 0xff;
    if (((a[i] ?? 0) & mask) !== ((base[i] ?? 0) & mask)) return false;
  }
  return true;
}

const V4_BLOCKED: readonly [number[], number, string][] = [
  [[0, 0, 0, 0], 8, 'this network'],
  [[10, 0, 0, 0], 8, 'private'],
  [[100, 64, 0, 0], 10, 'shared (CGNAT)'],
  [[127, 0, 0, 0], 8, 'loopback'],
  [[169, 254, 0, 0], 16, 'link-local (cloud metadata)'],
  [[172, 16, 0, 0], 12, 'private'],
  [[192, 0, 0, 0], 24, 'IETF protocol assignments'],
  [[192, 0, 2, 0], 24, 'documentation'],
  [[192, 88, 99, 0], 24, '6to4 relay'],
  [[192, 168, 0, 0], 16, 'private'],
  [[198, 18, 0, 0], 15, 'benchmarking'],
  [[198, 51, 100, 0], 24, 'documentation'],
  [[203, 0, 113, 0], 24, 'documentation'],
  [[224, 0, 0, 0], 4, 'multicast'],
  [[240, 0, 0, 0], 4, 'reserved'],
];

function v4Class(a: readonly number[]): string | undefined {
  for (const [base, bits, what] of V4_BLOCKED) if (inV4(a, base, bits)) return what;
  return undefined;
}

function startsWith(bytes: readonly number[], prefix: readonly number[], bits: number): boolean {
  for (let i = 0; i * 8 < bits; i++) {
    const take = Math.min(8, bits - i * 8);
    const mask = (0xff << (8 - take)) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((prefix[i] ?? 0) & mask)) return false;
  }
  return true;
}

/**
 * Why an IP address must not be fetched from (its class, e.g. "loopback"), or undefined when it is
 * a public unicast address. Anything that does not parse is refused.
 */
export function blockedAddress(address: string): string | undefined {
  const family = isIP(address.replace(/%.*$/, ''));
  if (family === 4) {
    const a = parseV4(address);
    return a ? v4Class(a) : 'not an address';
  }
  if (family !== 6) return 'not an address';
  const b = parseV6(address);
  if (!b) return 'not an address';
  if (b.every((x) => x === 0)) return 'unspecified';
  if (b.slice(0, 15).every((x) => x === 0) && b[15] === 1) return 'loopback';
  const embedded = b.slice(12, 16);
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d): judge the IPv4 address.
  if (b.slice(0, 10).every((x) => x === 0) && ((b[10] === 0xff && b[11] === 0xff) || (b[10] === 0 && b[11] === 0))) return v4Class(embedded);
  // IPv4-translated (::ffff:0:a.b.c.d, RFC 2765 SIIT): a translator would carry it to the IPv4 address.
  if (b.slice(0, 8).every((x) => x === 0) && b[8] === 0xff && b[9] === 0xff && b[10] === 0 && b[11] === 0) return v4Class(embedded);
  if (startsWith(b, [0x00, 0x64, 0xff, 0x9b], 96)) return v4Class(embedded);
  if (startsWith(b, [0x00, 0x64, 0xff, 0x9b, 0x00, 0x01], 48)) return 'NAT64 local-use';
  if (startsWith(b, [0x20, 0x02], 16)) {
    const v4 = b.slice(2, 6);
    const c = v4Class(v4);
    return c !== undefined ? `6to4 of a ${c} address` : undefined;
  }
  if (startsWith(b, [0x20, 0x01, 0x00, 0x00], 32)) return 'Teredo tunnel';
  if (startsWith(b, [0x20, 0x01, 0x0d, 0xb8], 32)) return 'documentation';
  if (startsWith(b, [0x01, 0x00], 64)) return 'discard';
  if (startsWith(b, [0xfc], 7)) return 'unique local (private; includes fd00:ec2::254, the AWS metadata service)';
  if (startsWith(b, [0xfe, 0x80], 10)) return 'link-local';
  if (startsWith(b, [0xfe, 0xc0], 10)) return 'site-local';
  if (startsWith(b, [0xff], 8)) return 'multicast';
  if (startsWith(b, [0x20, 0x01, 0x00, 0x10], 28) || startsWith(b, [0x20, 0x01, 0x00, 0x20], 28)) return 'ORCHID';
  if (startsWith(b, [0x20, 0x01, 0x00, 0x02, 0x00, 0x00], 48)) return 'benchmarking';
  if (startsWith(b, [0x3f, 0xff], 20)) return 'documentation';
  // Everything else outside 2000::/3 (global unicast) is reserved or special-purpose: refused, not guessed at.
  if (!startsWith(b, [0x20], 3)) return 'reserved (not global unicast)';
  return undefined;
}

/** Why a host name must not be fetched from, before any lookup. */
export function blockedName(host: string): string | undefined {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (BLOCKED_NAMES.has(h)) return `${h} is an internal name`;
  const suffix = BLOCKED_SUFFIXES.find((s) => h.endsWith(s));
  if (suffix !== undefined) return `names ending in ${suffix} are internal`;
  if (!h.includes('.') && isIP(h) === 0) return 'a name without a dot is resolved on the local network';
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------------
// URL checks

/** The URL to fetch, or a refusal: https only, no credentials, a bare origin gets the well-known path. */
export function checkCardUrl(raw: string): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new FetchRefused('not a valid URL', 'give the full address, for example https://agent.example.com/.well-known/agent-card.json');
  }
  if (u.protocol !== 'https:') throw new FetchRefused(`only https URLs are fetched, not ${u.protocol.replace(/:$/, '')}`, 'use the https address of the card, or download it and import the file');
  if (u.username !== '' || u.password !== '') throw new FetchRefused('the URL holds a user name or password', 'remove the credentials from the URL');
  if (u.pathname === '/' || u.pathname === '') u.pathname = '/.well-known/agent-card.json';
  u.hash = '';
  return u;
}

const defaultResolver: Resolver = (host) =>
  new Promise((resolve, reject) => {
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses) => {
      if (err) reject(err);
      else resolve(addresses.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 })));
    });
  });

/** Resolve a host and check every address; the first one is used. Refuses when any is not public. */
export async function vetHost(host: string, resolver: Resolver): Promise<ResolvedAddress> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare) !== 0) {
    const why = blockedAddress(bare);
    if (why !== undefined) throw new FetchRefused(`refused: ${bare} is a ${why} address`, 'only public internet addresses are fetched; import a local card as a file');
    return { address: bare, family: isIP(bare) === 6 ? 6 : 4 };
  }
  const named = blockedName(bare);
  if (named !== undefined) throw new FetchRefused(`refused: ${named}`, 'only public internet hosts are fetched; import a local card as a file');
  let addresses: ResolvedAddress[];
  try {
    addresses = await resolver(bare);
  } catch {
    throw new FetchRefused('the host name does not resolve', 'check the address');
  }
  if (addresses.length === 0) throw new FetchRefused('the host name does not resolve', 'check the address');
  for (const a of addresses) {
    const why = blockedAddress(a.address);
    if (why !== undefined) throw new FetchRefused(`refused: the host resolves to a ${why} address`, 'only hosts whose every address is public are fetched; import a local card as a file');
  }
  const first = addresses[0];
  if (!first) throw new FetchRefused('the host name does not resolve', 'check the address');
  return first;
}

// ---------------------------------------------------------------------------------------------------------------------
// The fetch

export interface FetchOptions {
  readonly resolver?: Resolver;
  readonly limits?: Partial<FetchLimits>;
  /** For tests: perform one request to a vetted address (default: node:https). */
  readonly get?: (url: URL, address: ResolvedAddress, signal: AbortSignal, maxBytes: number) => Promise<RawResponse>;
}

export interface RawResponse {
  readonly status: number;
  readonly location?: string;
  readonly body: Uint8Array;
}

const GENERIC = 'could not fetch the agent card (network error, TLS error or no answer in time)';

function httpsGet(url: URL, address: ResolvedAddress, signal: AbortSignal, maxBytes: number): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    // The socket connects to the address we checked: our lookup answers with it and nothing else.
    const pinned: LookupFunction = (_host, opts, cb) => {
      if (typeof opts === 'object' && opts.all === true) cb(null, [{ address: address.address, family: address.family }]);
      else cb(null, address.address, address.family);
    };
    const req = request(
      url,
      { method: 'GET', lookup: pinned, signal, headers: { accept: 'application/json', 'user-agent': 'maestro-tm (agent card import)' }, servername: url.hostname.replace(/^\[|\]$/g, ''), agent: false },
      (res) => {
        const status = res.statusCode ?? 0;
        const location = typeof res.headers.location === 'string' ? res.headers.location : undefined;
        const declared = Number(res.headers['content-length'] ?? '0');
        if (status >= 300 && status < 400) {
          res.resume();
          resolve({ status, ...(location !== undefined ? { location } : {}), body: new Uint8Array() });
          return;
        }
        if (Number.isFinite(declared) && declared > maxBytes) {
          req.destroy();
          reject(new FetchRefused(`the card is larger than ${maxBytes} bytes`, 'an agent card is a few kilobytes'));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) {
            req.destroy();
            reject(new FetchRefused(`the card is larger than ${maxBytes} bytes`, 'an agent card is a few kilobytes'));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => resolve({ status, body: new Uint8Array(Buffer.concat(chunks)) }));
        res.on('error', () => reject(new Error(GENERIC)));
      },
    );
    req.on('error', (e) => reject(e instanceof FetchRefused ? e : new Error(GENERIC)));
    req.end();
  });
}

/**
 * Fetch one card. Resolves with its text and final URL; rejects with FetchRefused (message and hint
 * for the user) for every refusal and failure. URLs inside the card are not looked at.
 */
export async function fetchAgentCard(rawUrl: string, options: FetchOptions = {}): Promise<FetchedCard> {
  const limits: FetchLimits = { ...FETCH_LIMITS, ...options.limits };
  const resolver = options.resolver ?? defaultResolver;
  const get = options.get ?? httpsGet;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), limits.timeoutMs);
  try {
    let url = checkCardUrl(rawUrl);
    // The lookup counts against the same deadline: a resolver that never answers is abandoned too.
    const bounded: Resolver = (host) =>
      new Promise((resolve, reject) => {
        const onAbort = () => {
          reject(new Error('timeout'));
        };
        if (controller.signal.aborted) onAbort();
        else controller.signal.addEventListener('abort', onAbort, { once: true });
        resolver(host).then(
          (r) => {
            controller.signal.removeEventListener('abort', onAbort);
            resolve(r);
          },
          (e: unknown) => {
            controller.signal.removeEventListener('abort', onAbort);
            reject(e instanceof Error ? e : new Error('lookup failed'));
          },
        );
      });
    for (let hop = 0; ; hop++) {
      let address: ResolvedAddress;
      try {
        address = await vetHost(url.hostname, bounded);
      } catch (err) {
        if (controller.signal.aborted) throw new FetchRefused(`no answer within ${limits.timeoutMs / 1000} s`, 'try again later, or download the card and import the file');
        throw err;
      }
      if (controller.signal.aborted) throw new FetchRefused(`no answer within ${limits.timeoutMs / 1000} s`, 'try again later, or download the card and import the file');
      let res: RawResponse;
      try {
        res = await get(url, address, controller.signal, limits.maxBytes);
      } catch (err) {
        if (err instanceof FetchRefused) throw err;
        if (controller.signal.aborted) throw new FetchRefused(`no answer within ${limits.timeoutMs / 1000} s`, 'try again later, or download the card and import the file');
        throw new FetchRefused(GENERIC, 'check the address; or download the card and import the file');
      }
      if (res.status >= 300 && res.status < 400) {
        if (res.location === undefined) throw new FetchRefused(`redirect (${res.status}) without a location`, 'fetch the final address directly');
        if (hop >= limits.maxRedirects) throw new FetchRefused(`more than ${limits.maxRedirects} redirects`, 'fetch the final address directly');
        let next: URL;
        try {
          next = new URL(res.location, url);
        } catch {
          throw new FetchRefused('a redirect to an invalid URL', 'fetch the final address directly');
        }
        if (next.protocol !== 'https:') throw new FetchRefused(`a redirect to ${next.protocol.replace(/:$/, '')} (only https is followed)`, 'fetch the final address directly');
        if (next.username !== '' || next.password !== '') throw new FetchRefused('a redirect to a URL with credentials', 'fetch the final address directly');
        next.hash = '';
        url = next;
        continue;
      }
      if (res.status !== 200) throw new FetchRefused(`the server answered ${res.status}`, 'check the address of the card');
      if (res.body.length > limits.maxBytes) throw new FetchRefused(`the card is larger than ${limits.maxBytes} bytes`, 'an agent card is a few kilobytes');
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(res.body);
      } catch {
        throw new FetchRefused('the card is not UTF-8 text', 'an agent card is JSON');
      }
      return { url: url.toString(), text };
    }
  } finally {
    clearTimeout(timer);
  }
}

/** For the CLI: fetch a card and hand it over as an import input named by its URL (no query string), or say why not. */
export async function fetchCardInput(rawUrl: string, options: FetchOptions = {}): Promise<{ input?: { path: string; text: string }; message: string; hint: string }> {
  try {
    const card = await fetchAgentCard(rawUrl, options);
    const u = new URL(card.url);
    return { input: { path: `${u.origin}${u.pathname}`, text: card.text }, message: '', hint: '' };
  } catch (err) {
    if (err instanceof FetchRefused) return { message: err.message, hint: err.hint };
    return { message: GENERIC, hint: 'check the address; or download the card and import the file' };
  }
}
