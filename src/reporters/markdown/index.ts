/** Markdown report (renders on GitHub). Every model-derived value is escaped with mdText/mdCode. */
import type { Analysis } from '../../engine/analyse.js';
import type { Finding } from '../../engine/types.js';
import type { Catalogue } from '../../catalogue/load.js';
import { LAYERS } from '../../model/layers.js';
import { mdCode, mdText } from '../_escape.js';

const SEV_LABEL: Record<string, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', info: 'Info' };

export function renderMarkdown(a: Analysis, catalogue: Catalogue): string {
  const out: string[] = [];
  out.push(`# Threat model: ${mdText(a.system.name, 200)}`, '');
  out.push(
    `MAESTRO analysis by maestro-tm. ${a.counts.elements} elements; ${a.counts.findings} findings (${a.counts.open} open, ${a.counts.mitigated} mitigated) raising ${a.counts.threats} catalogue threats; ${a.counts.rules} rules assessed the model.`,
    '',
  );
  out.push('## Summary by MAESTRO layer', '', '| Layer | Elements | Open | Mitigated | Highest open | Threats |', '|---|---:|---:|---:|---|---|');
  for (const l of a.layers) {
    out.push(`| ${l.layer} ${l.name} | ${l.elements} | ${l.open} | ${l.mitigated} | ${l.highest ? SEV_LABEL[l.highest] ?? l.highest : '–'} | ${l.threats.join(', ') || '–'} |`);
  }
  const silent = a.layers.filter((l) => l.silent);
  if (silent.length) out.push('', `The model says nothing about: ${silent.map((l) => `${l.layer} ${l.name}`).join(', ')}. Threats on these layers are not assessed.`);
  out.push('');

  out.push('## Findings by layer', '');
  if (a.findings.length === 0) out.push('No findings.', '');
  for (const layer of LAYERS) {
    const fs = a.findings.filter((f) => f.layer === layer.id);
    if (fs.length === 0) continue;
    out.push(`### ${layer.id} ${layer.name}`, '');
    for (const f of fs) out.push(...renderFinding(f, catalogue));
  }

  out.push('## Not assessed: the model lacks the information', '');
  if (a.unassessed.length === 0) out.push('Every threat that rules can detect was assessed.', '');
  else {
    out.push('| Threat | Layers | Why |', '|---|---|---|');
    for (const t of a.unassessed) out.push(`| ${t.id} ${mdText(t.name)} | ${t.layers.join(', ')} | ${mdText(t.reason)} |`);
    out.push('');
  }
  out.push('## Needs a reviewer: threats no model attribute can show', '');
  if (a.manual.length === 0) out.push('None.', '');
  else {
    out.push('| Threat | Layers | What to check |', '|---|---|---|');
    for (const t of a.manual) out.push(`| ${t.id} ${mdText(t.name)} | ${t.layers.join(', ')} | ${mdText(t.reason)} |`);
    out.push('');
  }
  return out.join('\n');
}

function renderFinding(f: Finding, catalogue: Catalogue): string[] {
  const out: string[] = [];
  const threats = f.threats.map((id) => `${id} ${catalogue.threats.get(id)?.name ?? ''}`.trim());
  const status = f.status === 'mitigated' ? `mitigated by ${f.mitigatedBy.map((c) => mdCode(c, 80, false)).join(', ')}` : 'open';
  out.push(`#### ${SEV_LABEL[f.severity] ?? f.severity}: ${mdText(threats.join('; '))}`, '');
  out.push(`- **Finding:** ${mdCode(f.id, 200, false)} (${status})`);
  out.push(`- **What:** ${mdText(f.message)}`);
  out.push(`- **Elements:** ${f.elements.map((e) => mdCode(e, 80, false)).join(', ')}`);
  if (f.partialControls.length) out.push(`- **Partial or planned controls:** ${f.partialControls.map((c) => mdCode(c, 80, false)).join(', ')}`);
  const maps: string[] = [];
  const stride = new Set<string>();
  const atlas = new Map<string, string>();
  const attack = new Map<string, string>();
  const llm = new Set<string>();
  const asi = new Set<string>();
  for (const id of f.threats) {
    const t = catalogue.threats.get(id);
    if (!t) continue;
    t.stride.forEach((s) => stride.add(s));
    (t.atlas ?? []).forEach((x) => atlas.set(x.id, x.name));
    (t.attack ?? []).forEach((x) => attack.set(x.id, x.name));
    (t.owaspLlm ?? []).forEach((x) => llm.add(x));
    (t.owaspAgentic ?? []).forEach((x) => asi.add(x));
  }
  if (stride.size) maps.push(`STRIDE ${[...stride].join(', ')}`);
  if (atlas.size) maps.push(`ATLAS ${[...atlas].map(([id, n]) => `${id} ${n}`).join(', ')}`);
  if (attack.size) maps.push(`ATT&CK ${[...attack].map(([id, n]) => `${id} ${n}`).join(', ')}`);
  if (llm.size) maps.push(`OWASP LLM ${[...llm].join(', ')}`);
  if (asi.size) maps.push(`OWASP Agentic ${[...asi].join(', ')}`);
  if (maps.length) out.push(`- **Mappings:** ${mdText(maps.join('; '), 2000)}`);
  const defences = f.defences.map((p) => catalogue.patterns.get(p)?.name ?? p);
  if (defences.length) out.push(`- **Defences:** ${mdText(defences.join('; '), 2000)}`);
  out.push('', '| Evidence: element | Attribute | Value | Note | Where |', '|---|---|---|---|---|');
  for (const e of f.evidence) {
    out.push(
      `| ${mdCode(e.element, 80)} | ${e.attribute ? mdCode(e.attribute, 80) : '–'} | ${e.value === undefined ? '–' : mdCode(e.value, 120)} | ${e.note ? mdText(e.note, 200) : ''} | ${e.pointer ? mdCode(e.pointer, 120) : '–'} |`,
    );
  }
  out.push('');
  return out;
}
