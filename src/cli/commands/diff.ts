/** `maestro-tm diff <old> <new>`: what a model change does to elements, findings, attack chains, controls and residual risk. */
import { positiveInt } from './analyze.js';
import { Option, type Command } from '@commander-js/extra-typings';
import { diffModels, renderDiffJson, renderDiffMarkdown, renderDiffText, sideOf, stepKey } from '../../diff/index.js';
import { ACCESS_READ, buildPropagation } from '../../graph/index.js';
import { loadCatalogue } from '../../io/catalogue.js';
import type { ResolvedModel } from '../../model/resolve.js';
import { safe, type Io } from '../output.js';
import { parseByteSize } from './validate.js';
import { analyseSpec } from './check.js';

/** Every attack step the model allows (its propagation graph's edges), keyed as the diff compares chain steps. */
function stepsOf(resolved: ResolvedModel): Set<string> {
  const g = buildPropagation(resolved, loadCatalogue().catalogue);
  const ids = resolved.graph.ids;
  const out = new Set<string>();
  for (let e = 0; e < g.edgeCount; e++) {
    const u = g.sources[e] ?? 0;
    const v = g.targets[e] ?? 0;
    out.add(stepKey(ids[g.nodeElement[u] ?? 0] ?? '', ids[g.nodeElement[v] ?? 0] ?? '', g.nodeAccess[v] === ACCESS_READ ? 'read' : 'control'));
  }
  return out;
}

export function registerDiff(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('diff')
    .description('compare two versions of a model: elements, findings, attack chains, controls and residual risk')
    .argument('<old>', 'the model before: a file, or <rev>:<path> for a git revision (e.g. origin/main:maestro.yaml)')
    .argument('<new>', 'the model after: a file, or <rev>:<path>')
    .addOption(new Option('--format <format>', 'output format: text, md (a pull-request comment) or json').choices(['text', 'md', 'json'] as const).default('text' as const))
    .option('--chains <k>', 'attack chains compared on each side (default 10)', positiveInt)
    .option('--max-bytes <size>', 'largest model file accepted (default 10mb)', parseByteSize)
    .addHelpText(
      'after',
      `
A git revision is read with git show from the repository holding the path. As in git, the path after
the colon is relative to the repository root; write ./path for one relative to the current directory.
Findings are matched by id (<rule>@<element>), attack chains by their sequence of element ids.
Exit codes: 0 the comparison was printed (whether or not anything changed), 2 bad input.
Use "check --baseline" to fail a build on new risk.`,
    )
    .action(async (oldSpec, newSpec, opts) => {
      const options = { maxBytes: opts.maxBytes, chains: opts.chains };
      const before = await analyseSpec(oldSpec, io, options);
      const after = await analyseSpec(newSpec, io, options);
      if (!before || !after) {
        setExit(2);
        return;
      }
      const d = diffModels(sideOf(oldSpec, before.resolved, before.analysis, stepsOf(before.resolved)), sideOf(newSpec, after.resolved, after.analysis, stepsOf(after.resolved)));
      const text = opts.format === 'json' ? renderDiffJson(d) : opts.format === 'md' ? renderDiffMarkdown(d) : renderDiffText(d);
      // safe() keeps JSON valid: a character it escapes can only sit inside a string, where \uXXXX means the same.
      io.out(safe(text.replace(/\n$/, '')));
    });
}
