/** SARIF 2.1.0 output: schema-valid for every example (issue 5, acceptance 2), located, fingerprinted, GitHub-sized. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import type * as Sarif from 'sarif';
import { describe, expect, it } from 'vitest';
import type { AnalysedFinding, Analysis, FindingTracking } from '../../src/engine/analyse.js';
import { FINGERPRINT_KEY, artifactLocation, githubSecuritySeverity, renderSarif } from '../../src/reporters/sarif/index.js';
import { EXAMPLES, HOSTILE, ROOT, analysed } from './_support.js';

const schemaText = readFileSync(`${ROOT}test/fixtures/schemas/sarif-schema-2.1.0.json`, 'utf8');
// Both packages are CommonJS whose module.exports is the function, with a `default` property on it.
const ajv = new ajvDraft04.default({ allErrors: true, strict: false });
ajvFormats.default(ajv);
const validate = ajv.compile(JSON.parse(schemaText) as object);

function sarifOf(a: Analysis, file: string, maxResults?: number): Sarif.Log {
  const { ctx } = analysed(file);
  return JSON.parse(renderSarif(a, ctx, maxResults === undefined ? {} : { maxResults })) as Sarif.Log;
}

function firstRun(log: Sarif.Log): Sarif.Run {
  const run = log.runs[0];
  if (!run) throw new Error('no run');
  return run;
}

function withTracking(a: Analysis, changes: Record<string, FindingTracking>): Analysis {
  return {
    ...a,
    findings: a.findings.map((f): AnalysedFinding => {
      const t = changes[f.id];
      return t ? { ...f, tracking: t } : f;
    }),
  };
}

describe('SARIF against the official 2.1.0 schema', () => {
  it('the vendored schema is the pinned OASIS file', () => {
    expect(createHash('sha256').update(schemaText).digest('hex')).toBe('c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e');
  });

  it('the validator rejects a log that breaks the schema (the check can fail)', () => {
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
    expect(validate({ version: '2.0.0', runs: [] })).toBe(false);
  });

  it.each([...EXAMPLES.map((e) => `examples/${e}`), HOSTILE])('%s validates', (file) => {
    const log = sarifOf(analysed(file).analysis, file);
    const ok = validate(log);
    expect(ok, JSON.stringify(validate.errors?.slice(0, 5), null, 1)).toBe(true);
  });
});

describe('SARIF content', () => {
  const file = 'examples/mcp-client.yaml';
  const { analysis, ctx } = analysed(file);
  const run = firstRun(sarifOf(analysis, file));
  const results = run.results ?? [];
  const rules = run.tool.driver.rules ?? [];

  it('has one result per finding, each pointing at its rule', () => {
    expect(results.length).toBe(analysis.findings.length);
    for (const r of results) expect(rules[r.ruleIndex ?? -1]?.id).toBe(r.ruleId);
    expect(new Set(rules.map((r) => r.id))).toEqual(new Set(analysis.findings.map((f) => f.rule)));
    expect(rules.map((r) => r.id)).toEqual([...rules.map((r) => r.id)].sort());
  });

  it('locates each result at the model line of its first evidence pointer', () => {
    results.forEach((r, i) => {
      const f = analysis.findings[i];
      if (!f) throw new Error('missing finding');
      const pointer = f.evidence.find((e) => e.pointer !== '')?.pointer ?? '';
      const pos = ctx.locate(pointer);
      const loc = r.locations?.[0]?.physicalLocation;
      expect(loc?.artifactLocation).toEqual({ uri: 'examples/mcp-client.yaml', uriBaseId: '%SRCROOT%', index: 0 });
      expect(loc?.region?.startLine).toBe(pos?.line);
      expect(loc?.region?.startColumn).toBe(pos?.column);
      expect(pos?.line).toBeGreaterThan(1);
    });
    // The line really holds the attribute the evidence names.
    const lines = readFileSync(`${ROOT}${file}`, 'utf8').split('\n');
    const f = analysis.findings.find((x) => x.evidence[0]?.attribute === 'pinned');
    const r = results.find((x) => x.properties?.['findingId'] === f?.id);
    expect(lines[(r?.locations?.[0]?.physicalLocation?.region?.startLine ?? 0) - 1]).toMatch(/pinned:/);
  });

  it('fingerprints are sha256 of the finding id: stable across runs and edits elsewhere', () => {
    for (const r of results) {
      const id = String(r.properties?.['findingId']);
      expect(r.partialFingerprints?.[FINGERPRINT_KEY]).toBe(createHash('sha256').update(id).digest('hex'));
    }
    expect(new Set(results.map((r) => r.partialFingerprints?.[FINGERPRINT_KEY])).size).toBe(results.length);
  });

  it('level follows the residual band and rules carry GitHub security-severity, precision and at most 20 tags', () => {
    results.forEach((r, i) => {
      const band = analysis.findings[i]?.risk.residualBand;
      expect(r.level).toBe(band === 'critical' || band === 'high' ? 'error' : band === 'medium' ? 'warning' : 'note');
    });
    for (const rule of rules) {
      const p = rule.properties ?? {};
      expect(p.tags?.length).toBeLessThanOrEqual(20);
      expect(p.tags).toContain('security');
      expect(p['precision']).toBe('high');
      expect(p['security-severity']).toMatch(/^\d+\.\d$/);
      expect(rule.helpUri).toMatch(/^https:\/\/github\.com\/.+\/docs\/rules\/[a-z0-9-]+\.md$/);
    }
  });

  it('security-severity keeps our band under GitHub thresholds and keeps the order of scores', () => {
    const gh = (s: number): string => {
      const v = Number(githubSecuritySeverity(s));
      return v >= 9 ? 'critical' : v >= 7 ? 'high' : v >= 4 ? 'medium' : 'low';
    };
    const ours = (s: number): string => (s >= 8 ? 'critical' : s >= 6 ? 'high' : s >= 3 ? 'medium' : 'low');
    let prev = -1;
    for (let s = 0; s <= 10.0001; s += 0.1) {
      const r = Math.round(s * 10) / 10;
      expect(gh(r), `score ${r}`).toBe(ours(r));
      const v = Number(githubSecuritySeverity(r));
      expect(v).toBeGreaterThanOrEqual(prev);
      prev = v;
    }
  });

  it('artifact URIs: relative paths stay relative to %SRCROOT%, absolute ones become encoded file URIs', () => {
    expect(artifactLocation('./models/my model#1.yaml')).toEqual({ uri: 'models/my%20model%231.yaml', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('/srv/x y/m.yaml')).toEqual({ uri: 'file:///srv/x%20y/m.yaml' });
    expect(artifactLocation('C:\\work\\m.yaml')).toEqual({ uri: 'file:///C:/work/m.yaml' });
  });
});

describe('SARIF message text', () => {
  it('brackets and backslashes from the model are escaped, so no text becomes an embedded link (SARIF 3.11.6)', () => {
    const file = 'examples/mcp-client.yaml';
    const { analysis } = analysed(file);
    const f0 = analysis.findings[0];
    if (!f0) throw new Error('the example has findings');
    const forged = { ...analysis, findings: [{ ...f0, message: 'see [the docs](https://evil.example) or [1](2) \\' }, ...analysis.findings.slice(1)] };
    const r = (firstRun(sarifOf(forged, file)).results ?? []).find((x) => x.properties?.['findingId'] === f0.id);
    expect(r?.message.text).toBe('see \\[the docs\\](https://evil.example) or \\[1\\](2) \\\\');
    // Every message of the hostile model: no unescaped bracket.
    const hostile = analysed(HOSTILE);
    for (const res of firstRun(sarifOf(hostile.analysis, HOSTILE)).results ?? []) expect(res.message.text ?? '').not.toMatch(/(^|[^\\])(\\\\)*[[\]]/);
  });
});

describe('SARIF suppressions and limits', () => {
  const file = 'examples/expense-reimbursement.yaml';
  const base = analysed(file).analysis;

  it('mitigated findings are kept with an external suppression', () => {
    const mitigated = base.findings.filter((f) => f.status === 'mitigated');
    expect(mitigated.length).toBeGreaterThan(0);
    const results = firstRun(sarifOf(base, file)).results ?? [];
    for (const f of mitigated) {
      const r = results.find((x) => x.properties?.['findingId'] === f.id);
      expect(r?.suppressions?.[0]?.kind).toBe('external');
      expect(r?.suppressions?.[0]?.justification).toContain('mitigated by declared controls');
    }
    const open = results.filter((r) => r.properties?.['status'] === 'open');
    for (const r of open) expect(r.suppressions).toBeUndefined();
  });

  it('tracked as accepted or false positive: suppressed with the justification; expired acceptance: not suppressed', () => {
    const open = base.findings.filter((f) => f.status === 'open');
    const [a, b, c] = open;
    if (!a || !b || !c) throw new Error('need three open findings');
    const tracked = withTracking(base, {
      [a.id]: { status: 'accepted', effective: 'accepted', key: a.id, justification: 'risk owner signed off <b>x</b>\u202e', owner: 'cfo', expires: '2099-01-01', expired: false },
      [b.id]: { status: 'false-positive', effective: 'false-positive', key: 'rule-*', expired: false },
      [c.id]: { status: 'accepted', effective: 'open', key: c.id, expires: '2000-01-01', expired: true },
    });
    const log = sarifOf(tracked, file);
    expect(validate(log)).toBe(true);
    const byId = new Map((firstRun(log).results ?? []).map((r) => [String(r.properties?.['findingId']), r]));
    const ra = byId.get(a.id);
    expect(ra?.suppressions?.[0]?.justification).toContain('risk owner signed off');
    expect(ra?.suppressions?.[0]?.justification).toContain('\\u202e');
    expect(ra?.suppressions?.[0]?.justification).not.toContain('\u202e');
    expect(ra?.properties?.['status']).toBe('accepted');
    expect(byId.get(b.id)?.suppressions?.[0]?.justification).toContain('false-positive');
    expect(byId.get(c.id)?.suppressions).toBeUndefined();
    expect(byId.get(c.id)?.properties?.['status']).toBe('open');
  });

  it('over the results limit: keeps the highest residual risks and says how many were left out', () => {
    const limit = 5;
    const log = sarifOf(base, file, limit);
    expect(validate(log)).toBe(true);
    const run = firstRun(log);
    const results = run.results ?? [];
    expect(results.length).toBe(limit);
    const openScores = base.findings.filter((f) => f.status === 'open').map((f) => f.risk.residual).sort((x, y) => y - x);
    const cutoff = openScores[limit - 1] ?? 0;
    for (const r of results) expect((r.properties?.['risk'] as { residual: number }).residual).toBeGreaterThanOrEqual(cutoff);
    const note = run.invocations?.[0]?.toolExecutionNotifications?.[0];
    expect(note?.message.text).toContain(`${base.findings.length - limit} of ${base.findings.length} findings were left out`);
    expect(run.properties?.['truncated']).toBe(true);
    // Only rules with a result stay, and indexes still match.
    for (const r of results) expect(run.tool.driver.rules?.[r.ruleIndex ?? -1]?.id).toBe(r.ruleId);
    expect(run.tool.driver.rules?.length).toBeLessThanOrEqual(limit);
  });

  it('large logs are written without indentation, and still validate', () => {
    const first = base.findings[0];
    if (!first) throw new Error('no finding');
    const many: Analysis = { ...base, findings: Array.from({ length: 1001 }, (_, i): AnalysedFinding => ({ ...first, id: `${first.rule}@${first.element}-${i}` })) };
    const text = renderSarif(many, analysed(file).ctx);
    expect(text.split('\n').length).toBe(2);
    const log = JSON.parse(text) as Sarif.Log;
    expect(validate(log)).toBe(true);
    expect(firstRun(log).results?.length).toBe(1001);
    expect(renderSarif(base, analysed(file).ctx).split('\n').length).toBeGreaterThan(100);
  });

  it('within the limit: no truncation notice', () => {
    const run = firstRun(sarifOf(base, file));
    expect(run.invocations?.[0]?.toolExecutionNotifications).toBeUndefined();
    expect(run.properties?.['truncated']).toBe(false);
  });
});
