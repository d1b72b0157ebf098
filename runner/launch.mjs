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
const SOURCE_DIRS = ['contract', 'lib', 'runner', 'steps'];
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

// What each source compiles to: the transpiled module, or the schema copied as it is.
const outputOf = (rel) => join(build, rel.endsWith('.ts') ? rel.replace(/\.ts$/, '.js') : rel);
const validatorOf = (name) => join(build, 'schemas', `${name}.validate.js`);
function statOf(path) {
  try {
    const s = statSync(path);
    return `${s.mtimeMs}:${s.size}`;
  } catch {
    return 'missing';
  }
}

async function compile(rel) {
  const source = readFileSync(join(root, rel), 'utf8');
  if (!rel.endsWith('.ts')) return source;
  const { transformSync } = await import('esbuild');
  return transformSync(source, { loader: 'ts', format: 'esm', target: `node${process.versions.node}`, sourcefile: rel, sourcemap: 'inline' }).code;
}

async function validatorCode(name) {
  const { default: Ajv } = await import('ajv');
  const { default: standalone } = await import('ajv/dist/standalone/index.js');
  const ajv = new Ajv({ allErrors: true, code: { source: true, esm: true } });
  const schema = JSON.parse(readFileSync(join(root, 'schemas', `${name}.schema.json`), 'utf8'));
  // Standalone code may still require() ajv runtime helpers; give the ES module a require.
  const code = standalone(ajv, ajv.compile(schema)).replace('"use strict";', '');
  return `import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n${code}`;
}

// The stamp keeps each source's stat and its compiled file's: a compiled file changed since it was
// written (damaged, or edited) is recompiled like a changed source.
function writeStamp(launcher, files) {
  const outputs = Object.fromEntries(Object.keys(files).map((rel) => [rel, statOf(outputOf(rel))]));
  for (const name of VALIDATED) outputs[`validator:${name}`] = statOf(validatorOf(name));
  writeAtomic(stampPath, JSON.stringify({ launcher, files, outputs }));
}

async function ensureBuilt() {
  const files = sources();
  const now = Object.fromEntries(files.map((f) => [relative(root, f), statOf(f)]));
  const self = statSync(fileURLToPath(import.meta.url));
  const launcher = `${self.mtimeMs}:${self.size}:node${process.versions.node}`;
  let before = {};
  let outputs = {};
  try {
    const stamp = JSON.parse(readFileSync(stampPath, 'utf8'));
    // A changed launcher may compile differently: then everything is rebuilt.
    if (stamp.launcher === launcher) [before, outputs] = [stamp.files ?? {}, stamp.outputs ?? {}];
  } catch {}
  const changed = Object.keys(now).filter((f) => before[f] !== now[f] || outputs[f] !== statOf(outputOf(f)));
  const removed = Object.keys(before).filter((f) => !(f in now));
  const validators = changed.some((f) => VALIDATED.some((v) => f === `schemas/${v}.schema.json`)) || VALIDATED.some((v) => outputs[`validator:${v}`] !== statOf(validatorOf(v)));
  if (!changed.length && !removed.length && !validators) return;
  for (const rel of changed) writeAtomic(outputOf(rel), await compile(rel));
  for (const rel of removed) rmSync(outputOf(rel), { force: true });
  if (validators) for (const name of VALIDATED) writeAtomic(validatorOf(name), await validatorCode(name));
  writeStamp(launcher, now);
}

/**
 * `verify` also checks the compiled runner byte for byte (a file altered with its size and mtime
 * kept passes the stat check): every source is compiled again and compared; differing files are
 * rewritten. Returns one line per file that differed.
 */
async function verifyBuild() {
  const problems = [];
  const files = sources().map((f) => relative(root, f));
  const check = async (path, expected, what) => {
    let found;
    try {
      found = readFileSync(path, 'utf8');
    } catch {
      found = undefined;
    }
    if (found === expected) return;
    problems.push(`corrupt  ${relative(root, path)}: ${found === undefined ? 'missing' : `differs from what ${what} compiles to`}; recompiled`);
    writeAtomic(path, expected);
  };
  for (const rel of files) await check(outputOf(rel), await compile(rel), rel);
  for (const name of VALIDATED) await check(validatorOf(name), await validatorCode(name), `schemas/${name}.schema.json`);
  if (problems.length) {
    const stamp = JSON.parse(readFileSync(stampPath, 'utf8'));
    writeStamp(stamp.launcher, stamp.files);
  }
  return problems;
}

const args = process.argv.slice(2);
// The compiled steps are this project's own: another project runs from its sources (with tsx).
if (args.some((a) => a === '-C' || a === '--project' || a.startsWith('--project='))) {
  process.stderr.write('pipeline: this entry point runs the project it belongs to; for another project use\n  node --import tsx runner/cli.ts --project <dir> [verb]\n');
  process.exit(2);
}
await ensureBuilt();
if (args.includes('--build-only')) process.exit(0);
const buildProblems = args.find((a) => !a.startsWith('-')) === 'verify' && !args.includes('--help') ? await verifyBuild() : [];
for (const line of buildProblems) process.stdout.write(line + '\n');
const { main, terminalEffects } = await import(pathToFileURL(join(build, 'runner', 'cli.js')).href);
process.exitCode = await main(args, terminalEffects(root, (module) => pathToFileURL(join(build, module.replace(/\.ts$/, '.js'))).href));
if (buildProblems.length) {
  process.stdout.write(`the compiled runner in derived/.build/ had ${buildProblems.length} corrupt ${buildProblems.length === 1 ? 'file' : 'files'} (rewritten)\n`);
  process.exitCode = 1;
}
