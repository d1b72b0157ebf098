#!/usr/bin/env node
// Entry point of `npm run pipeline`. Starts the runner from compiled JavaScript kept in
// derived/.build/, transpiling (esbuild, per file) only the TypeScript sources whose size or mtime
// changed since the last start: compiling on every start would cost more than a whole no-op run.
// Also writes ajv "standalone" validators for the runner's schemas, so a run never compiles a schema.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const build = join(root, 'derived', '.build');
const stampPath = join(build, 'stamp.json');
const SOURCE_DIRS = ['runner', 'steps'];
const VALIDATED = ['manifest', 'run-record'];

function sources() {
  const found = [join(root, 'pipeline.ts')];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) found.push(path);
    }
  };
  SOURCE_DIRS.forEach((d) => existsSync(join(root, d)) && walk(join(root, d)));
  for (const name of readdirSync(join(root, 'schemas'))) if (name.endsWith('.json')) found.push(join(root, 'schemas', name));
  return found.sort();
}

function writeAtomic(path, content) {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

async function ensureBuilt() {
  const files = sources();
  const now = Object.fromEntries(files.map((f) => {
    const s = statSync(f);
    return [relative(root, f), `${s.mtimeMs}:${s.size}`];
  }));
  const self = statSync(fileURLToPath(import.meta.url));
  const launcher = `${self.mtimeMs}:${self.size}:node${process.versions.node}`;
  let before = {};
  try {
    const stamp = JSON.parse(readFileSync(stampPath, 'utf8'));
    // A changed launcher may compile differently: then everything is rebuilt.
    if (stamp.launcher === launcher) before = stamp.files ?? {};
  } catch {}
  const changed = Object.keys(now).filter((f) => before[f] !== now[f]);
  const removed = Object.keys(before).filter((f) => !(f in now));
  if (!changed.length && !removed.length) return;
  const { transformSync } = await import('esbuild');
  for (const rel of changed) {
    const source = readFileSync(join(root, rel), 'utf8');
    if (rel.endsWith('.ts')) {
      const { code } = transformSync(source, { loader: 'ts', format: 'esm', target: `node${process.versions.node}`, sourcefile: rel, sourcemap: 'inline' });
      writeAtomic(join(build, rel.replace(/\.ts$/, '.js')), code);
    } else {
      writeAtomic(join(build, rel), source);
    }
  }
  for (const rel of removed) rmSync(join(build, rel.replace(/\.ts$/, '.js')), { force: true });
  if (changed.some((f) => VALIDATED.some((v) => f === `schemas/${v}.schema.json`))) {
    const { default: Ajv } = await import('ajv');
    const { default: standalone } = await import('ajv/dist/standalone/index.js');
    for (const name of VALIDATED) {
      const ajv = new Ajv({ allErrors: true, code: { source: true, esm: true } });
      const schema = JSON.parse(readFileSync(join(root, 'schemas', `${name}.schema.json`), 'utf8'));
      // Standalone code may still require() ajv runtime helpers; give the ES module a require.
      const code = standalone(ajv, ajv.compile(schema)).replace('"use strict";', '');
      writeAtomic(join(build, 'schemas', `${name}.validate.js`), `import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n${code}`);
    }
  }
  writeAtomic(stampPath, JSON.stringify({ launcher, files: now }));
}

const args = process.argv.slice(2);
// The compiled steps are this project's own: another project runs from its sources (with tsx).
if (args.some((a) => a === '-C' || a === '--project' || a.startsWith('--project='))) {
  process.stderr.write('pipeline: this entry point runs the project it belongs to; for another project use\n  node --import tsx runner/cli.ts --project <dir> [verb]\n');
  process.exit(2);
}
await ensureBuilt();
if (args.includes('--build-only')) process.exit(0);
const { main, terminalEffects } = await import(pathToFileURL(join(build, 'runner', 'cli.js')).href);
process.exitCode = await main(args, terminalEffects(root, (module) => pathToFileURL(join(build, module.replace(/\.ts$/, '.js'))).href));
