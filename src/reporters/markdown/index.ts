/** Markdown report (renders on GitHub). Every model-derived value is escaped with mdText/mdCode. */
import type { Reporter } from '../index.js';
import type { Analysis } from '../../engine/analyse.js';
import type { ScoredFinding } from '../../risk/index.js';
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

  out.push(...renderTopRisks(a));
  out.push(...renderChains(a));
  out.push(...renderBlast(a));
  out.push(...renderChoke(a));
  out.push('## Findings by layer', '');
  if (a.findings.length === 0) out.push('No findings.', '');
  for (const layer of LAYERS) {
    const fs = a.findings.filter((f) => f.layer === layer.id);
    if (fs.length === 0) continue;
    out.push(`### ${layer.id} ${layer.name}`, '');
    for (const f of fs) out.push(...renderFinding(f, catalogue));
  }

  out.push(...renderValidationPlan(a));
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

function renderFinding(f: ScoredFinding, catalogue: Catalogue): string[] {
  const out: string[] = [];
  const threats = f.threats.map((id) => `${id} ${catalogue.threats.get(id)?.name ?? ''}`.trim());
  const status = f.status === 'mitigated' ? `mitigated by ${f.mitigatedBy.map((c) => mdCode(c, 80, false)).join(', ')}` : 'open';
  out.push(`#### ${SEV_LABEL[f.severity] ?? f.severity}: ${mdText(threats.join('; '))}`, '');
  out.push(`- **Finding:** ${mdCode(f.id, 200, false)} (${status})`);
  out.push(`- **What:** ${mdText(f.message)}`);
  out.push(`- **Elements:** ${f.elements.map((e) => mdCode(e, 80, false)).join(', ')}`);
  if (f.partialControls.length) out.push(`- **Partial or planned controls:** ${f.partialControls.map((c) => mdCode(c, 80, false)).join(', ')}`);
  const r = f.risk;
  out.push(
    `- **Risk:** ${r.inherent.toFixed(1)} ${r.band}${r.residual !== r.inherent ? ` → residual ${r.residual.toFixed(1)} ${r.residualBand}` : ''} (likelihood ${r.likelihood.toFixed(1)}, impact ${r.impact.toFixed(1)}, agentic amplification ×${r.amplification.toFixed(2)})`,
  );
  for (const w of r.why) out.push(`  - ${mdText(w, 400)}`);
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
  out.push('', '<details><summary>Risk factors</summary>', '', '| Factor | Value | Source | Basis |', '|---|---:|---|---|');
  for (const x of r.factors) {
    const basis = x.source === 'override' ? `override (computed ${x.computed?.toFixed(1) ?? '?'}): ${x.reason ?? ''}` : x.basis;
    out.push(`| ${x.name} | ${x.value.toFixed(1)} | ${x.source} | ${mdText(basis, 400)} |`);
  }
  out.push('', '</details>');
  out.push('', '| Evidence: element | Attribute | Value | Note | Where |', '|---|---|---|---|---|');
  for (const e of f.evidence) {
    out.push(
      `| ${mdCode(e.element, 80)} | ${e.attribute ? mdCode(e.attribute, 80) : '–'} | ${e.value === undefined ? '–' : mdCode(e.value, 120)} | ${e.note ? mdText(e.note, 200) : ''} | ${e.pointer ? mdCode(e.pointer, 120) : '–'} |`,
    );
  }
  out.push('');
  return out;
}

function renderTopRisks(a: Analysis): string[] {
  const out = ['## Highest risks', ''];
  const byId = new Map(a.findings.map((f) => [f.id, f]));
  const rb = a.risk.byResidualBand;
  out.push(`Residual risk after declared controls: ${rb.critical} critical, ${rb.high} high, ${rb.medium} medium, ${rb.low} low (total ${a.risk.residualTotal.toFixed(1)}, before controls ${a.risk.inherentTotal.toFixed(1)}). Scores are explained with each finding; see docs/risk-model.md.`, '');
  if (a.risk.top.length === 0) return [...out, 'No findings.', ''];
  out.push('| # | Residual | Inherent | Finding | Threats |', '|---:|---|---|---|---|');
  a.risk.top.slice(0, 10).forEach((id, i) => {
    const f = byId.get(id);
    if (!f) return;
    out.push(`| ${i + 1} | ${f.risk.residual.toFixed(1)} ${f.risk.residualBand} | ${f.risk.inherent.toFixed(1)} | ${mdCode(f.id, 120)} | ${f.threats.join(', ')} |`);
  });
  out.push('');
  return out;
}

function renderChains(a: Analysis): string[] {
  const x = a.crossLayer;
  const st = x.chainStats;
  const out = ['## Cross-layer attack chains', ''];
  out.push(
    `From ${x.stats.entrySources} entry points (untrusted inputs, external agents, third-party servers and plugins, unvetted dependencies) to ${x.stats.crownJewels} crown jewels. Top ${st.k} chains by likelihood, at most ${st.maxDepth} steps, ${st.explored} paths explored${st.truncated ? `; the search was cut short by: ${st.cutBy.join(', ')} (more chains exist)` : '; the search was complete'}.`,
    '',
  );
  if (x.chains.length === 0) return [...out, 'No attack path from an entry point reaches a crown jewel in this model.', ''];
  for (const c of x.chains) {
    out.push(`### Chain ${c.rank}: ${mdCode(c.source.id, 80, false)} → ${mdCode(c.target.id, 80, false)} (likelihood ${c.probability.toFixed(3)})`, '');
    out.push(`Starts at ${mdText(c.source.reason, 200)}; ends at ${mdText(c.target.reasons.join('; '), 300)}.`, '');
    c.steps.forEach((st2, i) => {
      const ctl = st2.controls.length ? ` — lowered by ${st2.controls.map((k) => mdCode(k.id, 60, false)).join(', ')}` : '';
      out.push(
        `${i + 1}. ${mdCode(st2.from, 80, false)} → ${mdCode(st2.to, 80, false)}${st2.via ? ` via ${mdCode(st2.via, 80, false)}` : ''}: **${st2.layer}** ${st2.threat} ${mdText(st2.threatName, 120)}; ATLAS ${st2.atlas.id} ${mdText(st2.atlas.name, 120)}; ${st2.access === 'read' ? 'reads the data' : 'takes control'} (p ${st2.probability.toFixed(2)})${ctl}`,
      );
    });
    out.push('');
  }
  return out;
}

function renderBlast(a: Analysis): string[] {
  const x = a.crossLayer;
  const out = ['## Blast radius', '', 'What falls if one element is compromised (following the propagation steps of docs/propagation.md), widest first.', ''];
  const agents = x.blast.filter((b) => b.kind === 'agent');
  const others = x.blast.filter((b) => b.kind !== 'agent');
  const table = (rows: typeof x.blast, title: string) => {
    if (rows.length === 0) return;
    out.push(`**${title}**`, '', '| # | Element | Kind | Layer | Elements reached | Crown jewels reached | By layer (L1..L7) |', '|---:|---|---|---|---:|---:|---|');
    rows.slice(0, 15).forEach((b, i) => {
      out.push(`| ${i + 1} | ${mdCode(b.id, 80)} | ${b.kind} | ${b.layer} | ${b.reach} | ${b.crownJewels} | ${Object.values(b.byLayer).join(' / ')} |`);
    });
    if (rows.length > 15) out.push('', `${rows.length - 15} more in the JSON report.`);
    out.push('');
  };
  table(agents, 'Per agent');
  table(others, 'Models, tools, servers, memories and dependencies');
  for (const c of x.cascades) {
    out.push(`### Cascade from ${mdCode(c.root, 80, false)} (${c.reach} elements${c.truncated ? ', list cut short' : ''})`, '');
    for (const st of c.steps.slice(0, 25)) {
      out.push(`${'  '.repeat(Math.min(st.depth - 1, 6))}- ${mdCode(st.from, 80, false)} → ${mdCode(st.to, 80, false)}: ${st.layer} ${st.threat} (ATLAS ${st.atlas.id})`);
    }
    if (c.steps.length > 25) out.push(`- … ${c.steps.length - 25} more steps in the JSON report`);
    out.push('');
  }
  return out;
}

function renderChoke(a: Analysis): string[] {
  const x = a.crossLayer;
  const out = ['## Choke points and first defences to add', ''];
  if (x.suggestions.length) {
    out.push('| # | Add pattern | On | Chains weakened | Crown jewels protected | Threats |', '|---:|---|---|---|---:|---|');
    for (const s of x.suggestions) {
      out.push(`| ${s.rank} | ${mdText(s.patternName, 100)} (${s.pattern}) | ${mdCode(s.element, 80)} | ${s.chains.join(', ')} | ${s.crownJewels.length} | ${s.threats.join(', ')} |`);
    }
    out.push('', 'Try one without editing the model: `maestro-tm analyze <model> --what-if add:<pattern>@<element>`.', '');
  }
  if (x.chokePoints.crossings.length) {
    out.push('**Elements most chains pass through**', '', '| Element | Kind | Layer | Chains | Crown jewels |', '|---|---|---|---:|---:|');
    for (const c of x.chokePoints.crossings.slice(0, 10)) out.push(`| ${mdCode(c.id, 80)} | ${c.kind} | ${c.layer} | ${c.chains} | ${c.crownJewels.length} |`);
    out.push('');
  }
  if (x.chokePoints.dominators.length) {
    out.push('**Dominators: every path from any entry point to these crown jewels passes through the element**', '', '| Element | Kind | Layer | Crown jewels dominated |', '|---|---|---|---|');
    for (const d of x.chokePoints.dominators.slice(0, 10)) {
      out.push(`| ${mdCode(d.id, 80)} | ${d.kind} | ${d.layer} | ${d.crownJewelCount}: ${d.crownJewels.slice(0, 8).map((j) => mdCode(j, 60)).join(', ')}${d.crownJewels.length > 8 ? ' …' : ''} |`);
    }
    out.push('');
  }
  if (!x.suggestions.length && !x.chokePoints.crossings.length && !x.chokePoints.dominators.length) out.push('No choke point: no chain reaches a crown jewel.', '');
  return out;
}

function renderValidationPlan(a: Analysis): string[] {
  const out = ['## Validation plan', '', 'For each threat raised: a red-team scenario that tests the defence, and the telemetry that would show an attack in progress.', ''];
  if (a.validationPlan.length === 0) return [...out, 'No threat raised.', ''];
  for (const v of a.validationPlan) {
    out.push(`### ${v.threat} ${mdText(v.name, 200)}`, '', `Findings: ${v.findings.slice(0, 8).map((f) => mdCode(f, 120, false)).join(', ')}${v.findings.length > 8 ? ` and ${v.findings.length - 8} more` : ''}`, '');
    out.push(`- **Test:** ${mdText(v.scenario, 2000)}`, `- **Pass when:** ${mdText(v.expect, 1000)}`, '');
    if (v.telemetry.length) {
      out.push('| Signal | Where | ATT&CK data source |', '|---|---|---|');
      for (const t of v.telemetry) out.push(`| ${mdText(t.signal, 400)} | ${mdText(t.where, 200)} | ${t.dataSource ? `${t.dataSource}${t.dataComponent ? ` ${mdText(t.dataComponent, 100)}` : ''}` : '–'} |`);
      out.push('');
    }
  }
  return out;
}

export const markdownReporter: Reporter = {
  id: 'md',
  extension: '.md',
  description: 'Markdown for humans and pull requests (renders on GitHub)',
  render: (a, ctx) => renderMarkdown(a, ctx.catalogue),
};
