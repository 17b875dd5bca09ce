/**
 * Security review of `import a2a --fetch` (src/io/fetch-card.ts): address forms the first version let
 * through, and a name lookup that could outlive the time cap.
 */
import { describe, expect, it } from 'vitest';
import { blockedAddress, checkCardUrl, fetchAgentCard, vetHost, type ResolvedAddress } from '../../src/io/fetch-card.js';

const publicResolver = (): Promise<ResolvedAddress[]> => Promise.resolve([{ address: '93.184.216.34', family: 4 }]);

describe('--fetch: IPv6 forms that reach internal addresses', () => {
  it('judges IPv4-translated addresses (::ffff:0:a.b.c.d) by their IPv4 address', () => {
    expect(blockedAddress('::ffff:0:7f00:1')).toBe('loopback');
    expect(blockedAddress('::ffff:0:169.254.169.254')).toMatch(/link-local/);
    expect(blockedAddress('::ffff:0:a00:1')).toBe('private');
    // A name resolving to one is refused.
    return expect(vetHost('t.example.com', () => Promise.resolve([{ address: '::ffff:0:a9fe:a9fe', family: 6 }]))).rejects.toThrow(/link-local/);
  });

  it('refuses IPv6 outside global unicast (2000::/3) and the newer special-purpose blocks', () => {
    for (const a of ['4000::1', '5f00::1', '8000::1', 'e000::1', '3fff::1', '3fff:fff::1', '2001:2::1', '::8:0:0:1']) expect(blockedAddress(a), a).toBeDefined();
    // Public addresses (and public IPv4 written in IPv6 forms) stay allowed.
    for (const a of ['2606:4700:4700::1111', '2a00:1450:4001:80b::200e', '2400:cb00::1', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1']) expect(blockedAddress(a), a).toBeUndefined();
  });

  it('URL spellings of internal hosts are normalised before the check (decimal, octal, hex, short, mapped)', async () => {
    for (const raw of ['https://2130706433/', 'https://0x7f.1/', 'https://0177.0.0.1/', 'https://127.1/', 'https://0/', 'https://[::ffff:127.0.0.1]/', 'https://[::ffff:0:127.0.0.1]/', 'https://[::]/', 'https://%31%32%37.0.0.1/']) {
      const u = checkCardUrl(raw);
      await expect(vetHost(u.hostname, publicResolver), raw).rejects.toThrow(/refused/);
    }
  });
});

describe('--fetch: the time cap covers the name lookup', () => {
  it('a resolver that never answers is abandoned within the time cap', async () => {
    const hanging = (): Promise<ResolvedAddress[]> => new Promise<ResolvedAddress[]>(() => undefined);
    const get = () => Promise.reject(new Error('must not connect'));
    const t0 = Date.now();
    const outcome = await Promise.race([
      fetchAgentCard('https://slow-dns.example.com/c.json', { resolver: hanging, get, limits: { timeoutMs: 50 } }).then(
        () => 'fetched',
        (e: unknown) => (e instanceof Error ? e.message : String(e)),
      ),
      new Promise<string>((r) => setTimeout(() => r('still waiting after 2 s'), 2000)),
    ]);
    expect(outcome).toMatch(/no answer within 0.05 s/);
    expect(Date.now() - t0).toBeLessThan(1500);
  });

  it('a lookup that fails fast is still "does not resolve", not a timeout', async () => {
    const failing = (): Promise<ResolvedAddress[]> => Promise.reject(new Error('ENOTFOUND'));
    await expect(fetchAgentCard('https://nx.example.com/c.json', { resolver: failing, limits: { timeoutMs: 5000 } })).rejects.toThrow(/does not resolve/);
  });
});
