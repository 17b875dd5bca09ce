import { defineRule, type Evidence } from '../../engine/types.js';
import { channelsFrom, channelsInto, crossesBoundary, elements, has, lacks, str } from '../_helpers/index.js';
import { idOf } from '../_helpers/models-data-observability.js';

export default defineRule({
  meta: {
    id: 'model-traffic-unencrypted',
    title: 'Prompts and completions travel to or from a model unencrypted',
    threats: ['L1-model-stealing-via-eavesdropping', 'X-data-leakage'],
    appliesTo: ['model'],
    severity: 'medium',
    message: 'traffic between {peer} and model {model} on channel {channel} is {state}',
    placeholders: ['peer', 'model', 'channel', 'state'],
    defences: ['encryption-in-transit'],
    detectionLogic:
      'For each channel that starts or ends at a model: flag the model when the channel declares encryption none, or declares no encryption while its two ends sit in different trust boundaries. Whoever can watch that link collects prompt and answer pairs, enough to copy the model behaviour or to read the data sent to it.',
    falsePositives:
      'A link inside one host (a local socket) may be left unencrypted on purpose; place both ends in the same boundary, or declare the encryption the transport already gives.',
    requires: ['models'],
  },
  check(ctx) {
    const m = ctx.model;
    for (const mod of elements(m, 'model')) {
      const links = [...channelsInto(m, mod.i).map((c) => ({ peer: c.from, channel: c.channel })), ...channelsFrom(m, mod.i).map((c) => ({ peer: c.to, channel: c.channel }))];
      const seen = new Set<number>();
      for (const l of links) {
        if (l.channel < 0 || seen.has(l.channel)) continue;
        seen.add(l.channel);
        const enc = str(m.graph.specs[l.channel] ?? {}, 'encryption');
        let state: string;
        let ev: Evidence;
        if (enc === 'none') {
          state = 'not encrypted';
          ev = has(m, l.channel, ['encryption'], 'none');
        } else if (enc === undefined && crossesBoundary(m, l.peer, mod.i) === true) {
          state = 'not declared as encrypted although it crosses a trust boundary';
          ev = lacks(m, l.channel, ['encryption']);
        } else continue;
        ctx.report({ at: mod.i, also: [l.channel, l.peer], evidence: [ev], data: { peer: idOf(m, l.peer), model: mod.id, channel: idOf(m, l.channel), state } });
      }
    }
  },
});
