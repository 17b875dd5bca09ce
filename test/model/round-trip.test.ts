/**
 * Property: loading a model and writing it back keeps everything the user wrote: comments, key order
 * and unknown fields, both unedited (byte-identical) and after edits (only the edit changes).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Document, isMap, isSeq, isPair, isScalar, type Node } from 'yaml';
import { loadModelText } from '../../src/model/load.js';
import { editModel, writeModel } from '../../src/model/write.js';

const idArb = fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/);
const wordArb = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ,.'-]{0,30}$/);
const unknownKeyArb = fc.stringMatching(/^zz[A-Z][a-zA-Z]{1,8}$/);
// The loader refuses these keys anywhere (E_FORBIDDEN_KEY), so a round trip cannot keep them.
const FORBIDDEN_KEY = /"(__proto__|constructor|prototype)":/;
const extValueArb = fc.jsonValue({ maxDepth: 3 }).filter((v) => JSON.stringify(v) !== undefined && !FORBIDDEN_KEY.test(JSON.stringify(v)));

const modelArb = fc
  .record({
    name: wordArb,
    agentIds: fc.uniqueArray(idArb, { minLength: 1, maxLength: 6 }),
    autonomy: fc.constantFrom('none', 'assistive', 'supervised', 'conditional', 'full'),
    unknown: fc.dictionary(unknownKeyArb, wordArb, { maxKeys: 3 }),
    ext: fc.dictionary(fc.stringMatching(/^x-[a-z]{1,8}$/), extValueArb, { maxKeys: 3 }),
    agentUnknown: fc.option(fc.tuple(unknownKeyArb, fc.integer({ min: -1000, max: 1000 })), { nil: undefined }),
  })
  .map(({ name, agentIds, autonomy, unknown, ext, agentUnknown }) => {
    const ids = agentIds.map((a) => `agent_${a}`);
    const agents = ids.map((id, i) => {
      const a: Record<string, unknown> = { id, role: `role ${i}`, autonomy, models: ['llm'] };
      if (i > 0) a['delegatesTo'] = [ids[0]];
      if (i === 0 && agentUnknown) a[agentUnknown[0]] = agentUnknown[1];
      return a;
    });
    return {
      version: '1.0',
      system: { name, criticality: 'high' },
      ...unknown,
      models: [{ id: 'llm', provider: 'p', pinned: true }],
      agents,
      ...ext,
    };
  });

/** Render a model as YAML and hang a uniquely numbered comment on some nodes (chosen by `pick`). */
function toCommentedYaml(model: Record<string, unknown>, pick: readonly boolean[]): { text: string; markers: string[] } {
  const doc = new Document(model);
  const markers: string[] = [];
  let n = 0;
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const node = stack.pop();
    if (isPair(node)) {
      const key = node.key as Node;
      if (isScalar(key) && pick[n % pick.length]) {
        const m = `note${n}`;
        key.commentBefore = ` ${m} about ${String(key.value)}`;
        markers.push(m);
      }
      n++;
      stack.push(node.value);
    } else if (isMap(node) || isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    }
  }
  doc.commentBefore = ' top comment';
  markers.push('top comment');
  return { text: doc.toString(), markers };
}

describe('round trip keeps comments, key order and unknown fields', () => {
  it('YAML: unedited write is byte-identical; an edit changes only the edited value', () => {
    fc.assert(
      fc.property(modelArb, fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), wordArb, (model, pick, newName) => {
        const { text, markers } = toCommentedYaml(model, pick);
        const loaded = loadModelText(text, { file: 'm.yaml' });
        expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(loaded.model).toBeDefined();
        // Same data, same key order, unknown fields included.
        expect(JSON.stringify(loaded.model)).toBe(JSON.stringify(model));
        expect(writeModel(loaded.source!)).toBe(text);

        const editor = editModel(loaded.source!);
        editor.set(['system', 'name'], newName);
        editor.append(['agents'], { id: 'agent_added', autonomy: 'none' });
        const out = editor.toString();
        for (const m of markers) expect(out).toContain(m);
        const reloaded = loadModelText(out, { file: 'm.yaml' });
        const expected = structuredClone(model);
        (expected['system'] as Record<string, unknown>)['name'] = newName;
        (expected['agents'] as unknown[]).push({ id: 'agent_added', autonomy: 'none' });
        expect(JSON.stringify(reloaded.model)).toBe(JSON.stringify(expected));
      }),
      { numRuns: 150 },
    );
  });

  it('JSON: unedited write is byte-identical; edits keep order, formatting and unknown fields', () => {
    fc.assert(
      fc.property(modelArb, wordArb, (model, newName) => {
        const text = JSON.stringify(model, null, 2) + '\n';
        const loaded = loadModelText(text, { file: 'm.json' });
        expect(loaded.model).toBeDefined();
        expect(writeModel(loaded.source!)).toBe(text);
        const editor = editModel(loaded.source!);
        editor.set(['system', 'name'], newName);
        editor.append(['agents'], { id: 'agent_added' });
        const reloaded = loadModelText(editor.toString(), { file: 'm.json' });
        const expected = structuredClone(model);
        (expected['system'] as Record<string, unknown>)['name'] = newName;
        (expected['agents'] as unknown[]).push({ id: 'agent_added' });
        expect(JSON.stringify(reloaded.model)).toBe(JSON.stringify(expected));
      }),
      { numRuns: 100 },
    );
  });

  it('a scalar edit keeps the comment on the same line', () => {
    const text = 'version: "1.0"\nsystem:\n  name: Old   # the name\n  criticality: low # keep me\n';
    const loaded = loadModelText(text, { file: 'm.yaml' });
    const editor = editModel(loaded.source!);
    editor.set(['system', 'name'], 'New');
    const out = editor.toString();
    expect(out).toContain('# the name');
    expect(out).toContain('# keep me');
    expect(out).toContain('name: New');
  });
  it('scalar-only edits change nothing but the values (spacing, flow lists, folded text kept)', () => {
    const text = 'version: "1.0"\nsystem:\n  name: Old   # the name\n  tags: [ a, b ]\n  criticality: low # keep me\n  description: >-\n    folded\n    text\n';
    const loaded = loadModelText(text, { file: 'm.yaml' });
    const editor = editModel(loaded.source!);
    editor.set(['system', 'name'], 'true');
    editor.set(['system', 'criticality'], 'high');
    expect(editor.toString()).toBe(text.replace('name: Old', 'name: "true"').replace('criticality: low', 'criticality: high'));
  });
});
