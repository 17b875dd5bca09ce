#!/usr/bin/env node
// @ts-check
// Build step (run by `npm run build` after tsc): copy the tree-sitter grammars the Python importers
// parse with into dist/grammars/, so the installed CLI works without the grammar packages, which are
// dev dependencies (their install scripts would try a native build). web-tree-sitter's own wasm ships
// with that package, a runtime dependency, and is not copied.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const GRAMMARS = ['tree-sitter-python/tree-sitter-python.wasm'];
const outDir = join(root, 'dist', 'grammars');
mkdirSync(outDir, { recursive: true });
let failed = false;
for (const g of GRAMMARS) {
  const target = join(outDir, g.split('/').pop() ?? g);
  let source;
  try {
    source = require.resolve(g);
  } catch {
    source = undefined;
  }
  if (source === undefined) {
    if (existsSync(target)) continue; // already built, dev dependency absent (an installed package)
    console.error(`copy-grammars: ${g} not found; run npm install (it is a dev dependency)`);
    failed = true;
    continue;
  }
  copyFileSync(source, target);
}
process.exit(failed ? 1 : 0);
