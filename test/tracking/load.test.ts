/** Reading tracking files: positions, hints, unknown fields, hostile shapes. */
import { describe, expect, it } from 'vitest';
import { loadTrackingText, loadTrackingBytes } from '../../src/tracking/load.js';

const load = (text: string, file = 't.tracking.yaml') => loadTrackingText(text, file);
const codes = (text: string) => load(text).diagnostics.map((d) => `${d.code}@${d.line ?? 0}:${d.column ?? 0}`);

describe('loadTrackingText', () => {
  it('reads entries with their key positions, in file order, keeping unknown fields', () => {
    const r = load(
      [
        '# comment',
        'version: 1',
        'findings:',
        '  lethal-trifecta-in-agent@a:',
        '    status: accepted',
        '    justification: sandboxed',
        '    owner: secops',
        '    ticket: SEC-1',
        '    review: 2026-03-01',
        '    expires: "2026-06-30"',
        '    x-jira-link: https://example.invalid/SEC-1',
        '  "*@b":',
        '    status: in-progress',
        '',
      ].join('\n'),
    );
    expect(r.tracking?.entries.map((e) => [e.key, e.status, e.line, e.column, e.order])).toEqual([
      ['lethal-trifecta-in-agent@a', 'accepted', 4, 3, 0],
      ['*@b', 'in-progress', 12, 3, 1],
    ]);
    const first = r.tracking?.entries[0];
    expect(first?.expires).toBe('2026-06-30');
    expect(first?.review).toBe('2026-03-01');
    expect(first?.extra).toEqual({ 'x-jira-link': 'https://example.invalid/SEC-1' });
    // The unknown field is a warning (kept), not an error.
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([['W_TRACKING_UNKNOWN_FIELD', 11]]);
  });

  it('requires a justification for accepted, false-positive and mitigated, at the status line', () => {
    for (const status of ['accepted', 'false-positive', 'mitigated']) {
      expect(codes(`findings:\n  r@a:\n    status: ${status}\n`)).toEqual(['E_TRACKING_JUSTIFICATION@3:13']);
    }
    expect(load('findings:\n  r@a:\n    status: open\n  r@b:\n    status: in-progress\n').tracking?.entries).toHaveLength(2);
  });

  it('names an unknown status with the nearest valid one', () => {
    const r = load('findings:\n  r@a:\n    status: acepted\n    justification: x\n');
    expect(r.tracking).toBeUndefined();
    const d = r.diagnostics[0];
    expect([d?.code, d?.line, d?.column, d?.file]).toEqual(['E_TRACKING_STATUS', 3, 13, 't.tracking.yaml']);
    expect(d?.hint).toContain('did you mean accepted?');
    expect(load('findings:\n  r@a:\n    status: false positive\n    justification: x\n').diagnostics[0]?.hint).toContain('false-positive');
  });

  it('rejects impossible dates and text that is not a date', () => {
    expect(codes('findings:\n  r@a:\n    status: open\n    expires: 2026-02-30\n')).toEqual(['E_TRACKING_DATE@4:14']);
    expect(codes('findings:\n  r@a:\n    status: open\n    review: next week\n')).toEqual(['E_TRACKING_DATE@4:13']);
    expect(codes('findings:\n  r@a:\n    status: open\n    expires: 2028-02-29\n')).toEqual([]);
  });

  it('explains keys that are not finding ids', () => {
    const r = load('findings:\n  lethal-trifecta-in-agent:\n    status: open\n');
    expect(r.diagnostics[0]?.code).toBe('E_TRACKING_KEY');
    expect(r.diagnostics[0]?.hint).toContain('lethal-trifecta-in-agent@*');
    expect(codes('findings:\n  "a b@c":\n    status: open\n')).toEqual(['E_TRACKING_KEY@2:3']);
    expect(codes('findings:\n  "r@a\u200b":\n    status: open\n')).toEqual(['E_TRACKING_KEY@2:3']);
  });

  it('refuses prototype keys without touching Object.prototype', () => {
    expect(codes('findings:\n  __proto__:\n    status: open\n')).toEqual(['E_TRACKING_KEY@2:3']);
    expect(codes('findings:\n  r@a:\n    status: open\n    __proto__: { polluted: 1 }\n')).toEqual(['E_TRACKING_FIELD@4:5']);
    const json = loadTrackingText('{"findings": {"__proto__": {"status": "open"}}}', 't.tracking.json');
    expect(json.diagnostics.map((d) => d.code)).toEqual(['E_TRACKING_KEY']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('says how to write an entry given as a bare status, a list or nothing', () => {
    expect(load('findings:\n  r@a: accepted\n').diagnostics[0]?.hint).toContain('status: accepted');
    expect(codes('findings:\n  r@a: [1]\n')).toEqual(['E_TRACKING_ENTRY@2:8']);
    expect(codes('findings:\n  r@a:\n    justification: x\n')).toEqual(['E_TRACKING_STATUS@2:3']);
  });

  it('checks the file shape and version', () => {
    expect(codes('- a\n')).toEqual(['E_TRACKING_SHAPE@1:1']);
    expect(codes('version: 1\n')).toEqual(['E_TRACKING_SHAPE@1:1']);
    expect(codes('findings: [a]\n')).toEqual(['E_TRACKING_SHAPE@1:11']);
    expect(codes('version: 2\nfindings:\n')).toEqual(['E_TRACKING_VERSION@1:10']);
    expect(load('version: 1\nfindings:\n').tracking?.entries).toEqual([]);
    expect(load('').diagnostics[0]?.message).toContain('tracking file is empty');
  });

  it('turns YAML problems into positioned errors: duplicate keys, unquoted * keys, tags, bad bytes', () => {
    expect(codes('findings:\n  r@a:\n    status: open\n  r@a:\n    status: open\n')[0]).toMatch(/^E_DUPLICATE_KEY@4:/);
    const star = load('findings:\n  *@a:\n    status: open\n');
    expect(star.tracking).toBeUndefined();
    expect([star.diagnostics[0]?.code, star.diagnostics[0]?.line, star.diagnostics[0]?.column]).toEqual(['E_TRACKING_KEY', 2, 3]);
    expect(star.diagnostics[0]?.hint).toContain('"*@a":');
    expect(codes('findings:\n  r@a: !!python/object {}\n')[0]).toMatch(/^E_YAML_TAG@2:/);
    expect(loadTrackingBytes(new Uint8Array([0x66, 0xff, 0x0a]), 'x.yaml').diagnostics[0]?.code).toBe('E_ENCODING');
  });
});
