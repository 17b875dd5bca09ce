import type { Command } from '@commander-js/extra-typings';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadCatalogue } from '../../io/catalogue.js';
import { RULES } from '../../rules/index.js';
import { KIND_TABLE } from '../../model/kinds.js';
import { LAYERS } from '../../model/layers.js';
import { nearest } from '../../model/diagnostics.js';
import type { Rule } from '../../engine/types.js';
import { safe, type Io } from '../output.js';

/** Fixtures ship with the package under src/rules/<id>/fixtures. */
function fixtureAbouts(ruleId: string): { file: string; about: string; expect: number }[] {
  const dir = fileURLToPath(new URL(`../../../src/rules/${ruleId}/fixtures/`, import.meta.url));
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => {
      try {
        const doc = parse(readFileSync(join(dir, f), 'utf8')) as { test?: { about?: string; expect?: unknown[] } };
        return { file: f, about: doc.test?.about ?? '', expect: doc.test?.expect?.length ?? 0 };
      } catch {
        return { file: f, about: '', expect: 0 };
      }
    });
}

function wrap(text: string, indent = '  ', width = 96): string[] {
  const words = text.replace(/\s+/g, ' ').trim().split(' ');
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    if ((cur + ' ' + w).trim().length > width) {
      lines.push(indent + cur.trim());
      cur = w;
    } else cur += ' ' + w;
  }
  if (cur.trim()) lines.push(indent + cur.trim());
  return lines;
}

function explainRule(r: Rule, out: (s: string) => void): void {
  const m = r.meta;
  out(`rule ${m.id}: ${m.title}`);
  out(`  severity ${m.severity}; applies to ${m.appliesTo.join(', ')}; threats ${m.threats.join(', ')}`);
  out(`  defences: ${m.defences.join(', ')}`);
  out('  how it decides:');
  wrap(m.detectionLogic, '    ').forEach(out);
  out('  false positives:');
  wrap(m.falsePositives, '    ').forEach(out);
  const fx = fixtureAbouts(m.id);
  if (fx.length) {
    out('  examples (fixtures):');
    for (const f of fx) out(`    ${f.file.startsWith('flags-') ? 'flags' : 'clean'}: ${f.about}`);
  }
}

export function registerExplain(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('explain')
    .description('explain a catalogue threat (T1, MAS-T32, ...), a rule id, a defensive pattern or an element kind')
    .argument('<id>', 'threat id, rule id, pattern id or element kind (agent, memory, mcp-server, ...)')
    .action((id) => {
      const { catalogue } = loadCatalogue();
      const out = (s: string) => io.out(safe(s));
      const threat = catalogue.threats.get(id) ?? catalogue.threats.get(id.toUpperCase());
      if (threat) {
        out(`${threat.id} ${threat.name}  (${threat.family}; layers ${threat.layers.map((l) => `${l} ${LAYERS.find((x) => x.id === l)?.name ?? ''}`).join(', ')})`);
        wrap(threat.summary).forEach(out);
        out('');
        wrap(threat.description).forEach(out);
        out('');
        out(`  STRIDE: ${threat.stride.join(', ')}`);
        if (threat.atlas?.length) out(`  MITRE ATLAS: ${threat.atlas.map((a) => `${a.id} ${a.name}`).join('; ')}`);
        if (threat.attack?.length) out(`  MITRE ATT&CK: ${threat.attack.map((a) => `${a.id} ${a.name}`).join('; ')}`);
        if (threat.owaspLlm?.length) out(`  OWASP LLM Top 10: ${threat.owaspLlm.join(', ')}`);
        if (threat.owaspAgentic?.length) out(`  OWASP Agentic Top 10: ${threat.owaspAgentic.join(', ')}`);
        if (threat.patterns?.length) out(`  defences: ${threat.patterns.map((p) => catalogue.patterns.get(p)?.name ?? p).join('; ')}`);
        const rules = RULES.filter((r) => r.meta.threats.includes(threat.id));
        if (threat.detection === 'manual') out(`  detection: manual review (${threat.manualReason ?? ''})`);
        out(`  detected by: ${rules.length ? rules.map((r) => r.meta.id).join(', ') : 'no rule'}`);
        const first = rules[0];
        if (first) {
          const ex = fixtureAbouts(first.meta.id).find((f) => f.file.startsWith('flags-'));
          if (ex) out(`  example: ${ex.about} (${first.meta.id}/fixtures/${ex.file})`);
        }
        out('  sources:');
        for (const s of threat.sources) out(`    ${s.fact}: ${s.source}`);
        return;
      }
      const rule = RULES.find((r) => r.meta.id === id);
      if (rule) {
        explainRule(rule, out);
        return;
      }
      const pattern = catalogue.patterns.get(id);
      if (pattern) {
        out(`pattern ${pattern.id}: ${pattern.name}  (layers ${pattern.layers.join(', ')}; cost ${pattern.cost ?? 'unknown'})`);
        wrap(pattern.description).forEach(out);
        out(`  reduces: ${pattern.mitigates.join(', ')}`);
        if (pattern.verify) out(`  how to verify: ${pattern.verify}`);
        return;
      }
      const kind = KIND_TABLE.find((k) => k.kind === id || k.section === id);
      if (kind) {
        const layer = LAYERS.find((l) => l.id === kind.layer);
        out(`element kind ${kind.kind} (section "${kind.section}"): layer ${kind.layer} ${layer?.name ?? ''}`);
        out(`  ${kind.why}`);
        if (kind.subtypes) out(`  by ${kind.subtypeField ?? 'type'}: ${Object.entries(kind.subtypes).map(([t, l]) => `${t} -> ${l}`).join(', ')}`);
        const rules = RULES.filter((r) => (r.meta.appliesTo as readonly string[]).includes(kind.kind));
        out(`  rules that inspect it (${rules.length}): ${rules.map((r) => r.meta.id).join(', ')}`);
        return;
      }
      const candidates = [...catalogue.threats.keys(), ...RULES.map((r) => r.meta.id), ...catalogue.patterns.keys(), ...KIND_TABLE.map((k) => k.kind)];
      const near = nearest(id, candidates, 3);
      io.err(safe(`explain: ${JSON.stringify(id)} is not a threat, rule, pattern or element kind${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}`));
      setExit(2);
    });
}
