#!/usr/bin/env node
// @ts-check
// Build step (run by `npm run build` after tsc): copy the web UI's static files (src/web/static:
// index.html, app.js, app.css; plain files, no bundler) to dist/web/static, where the server reads them.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const from = join(root, 'src', 'web', 'static');
const to = join(root, 'dist', 'web', 'static');
mkdirSync(to, { recursive: true });
for (const name of readdirSync(from).sort()) {
  if (/\.(html|js|css)$/.test(name)) copyFileSync(join(from, name), join(to, name));
}
