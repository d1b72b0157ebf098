import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const repo = new URL('../..', import.meta.url).pathname;
const build = join(repo, 'derived', '.build');
const launch = (...args: string[]) => spawnSync(process.execPath, [join(repo, 'runner/launch.mjs'), ...args], { cwd: repo, encoding: 'utf8' });

test('the launcher compiles the runner, the steps and pipeline.ts, and the runner schemas into validators', () => {
  const r = launch('--build-only');
  assert.is(r.status, 0, r.stderr);
  for (const file of ['runner/cli.js', 'runner/run.js', 'pipeline.js', 'steps/clean.js', 'schemas/manifest.validate.js', 'schemas/run-record.validate.js'])
    assert.ok(existsSync(join(build, file)), `${file} is built`);
});

test('the compiled manifest validator checks what the schema says, string lengths included', async () => {
  launch('--build-only');
  const { default: validate } = await import(join(build, 'schemas', 'manifest.validate.js') + `?t=${Date.now()}`);
  const entry = { format: 'pipeline-manifest/1', step: 'x', key: 'a'.repeat(64), lineage: {}, outputs: [{ name: '', hash: 'b'.repeat(64), bytes: 1, rows: null }], run: { startedAt: '', durationMs: 0, host: 'h', pid: 1, node: '20' }, components: { cacheFormat: 1, module: 'm', code: {}, dependencies: {}, runtime: {}, params: {}, inputs: {} } };
  assert.not.ok(validate(entry));
  assert.equal(validate.errors.map((e: any) => `${e.instancePath} ${e.message}`), ['/outputs/0/name must NOT have fewer than 1 characters']);
  entry.outputs[0]!.name = 'table.csv';
  assert.ok(validate(entry));
});

test('a source edit is recompiled on the next start; unchanged sources are not', () => {
  launch('--build-only');
  const compiled = join(build, 'runner', 'hash.js');
  const other = join(build, 'runner', 'dag.js');
  const before = [statSync(compiled).mtimeMs, statSync(other).mtimeMs];
  const source = join(repo, 'runner', 'hash.ts');
  const now = new Date();
  utimesSync(source, now, now);
  assert.is(launch('--build-only').status, 0);
  assert.ok(statSync(compiled).mtimeMs > before[0]!, 'the touched source was recompiled');
  assert.is(statSync(other).mtimeMs, before[1], 'an untouched source was left alone');
  assert.match(readFileSync(compiled, 'utf8'), 'function canonicalJson(value)');
});

test('a compiled file altered since it was written is compiled again at the next start', () => {
  launch('--build-only');
  const compiled = join(build, 'runner', 'hash.js');
  const good = readFileSync(compiled, 'utf8');
  appendFileSync(compiled, 'x');
  assert.is(launch('--build-only').status, 0);
  assert.is(readFileSync(compiled, 'utf8'), good);
});

test('verify compiles every source again and rewrites a compiled file that differs, even one whose size and mtime were kept', () => {
  launch('--build-only');
  const compiled = join(build, 'runner', 'hash.js');
  const good = readFileSync(compiled, 'utf8');
  // touch -r keeps the mtime to the nanosecond, as a stat compares it.
  const times = join(build, 'times-of-hash.js');
  writeFileSync(times, '');
  spawnSync('touch', ['-r', compiled, times]);
  writeFileSync(compiled, good.replace('createHash("sha256")', 'createHash("sha384")'));
  spawnSync('touch', ['-r', times, compiled]);
  rmSync(times);
  assert.is(launch('--build-only').status, 0);
  assert.match(readFileSync(compiled, 'utf8'), 'createHash("sha384")', 'the stat check alone does not see it');
  const r = launch('verify');
  assert.is(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, 'corrupt  derived/.build/runner/hash.js: differs from what runner/hash.ts compiles to; recompiled\n');
  assert.match(r.stdout, 'the compiled runner in derived/.build/ had 1 corrupt file (rewritten)');
  assert.is(readFileSync(compiled, 'utf8'), good);
});

test('the compiled runner answers the CLI: dag from the project pipeline, and --help', () => {
  const dag = launch('dag', '--text');
  assert.is(dag.status, 0, dag.stderr);
  assert.match(dag.stdout, /^clean\s+steps\/clean\.ts/m);
  const help = launch('status', '--help');
  assert.match(help.stdout, /^Usage: npm run pipeline -- status/);
  const unknown = launch('frobnicate');
  assert.is(unknown.status, 2);
  assert.match(unknown.stderr, 'unknown verb "frobnicate"');
});

test.run();
