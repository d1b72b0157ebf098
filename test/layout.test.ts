/**
 * The architecture, as the imports show it. contract/ (what the runner and the steps share) depends on
 * nothing of the project; lib/ (the survey, statistics, table and report library) on contract/ alone;
 * the runner knows nothing of surveys; a step imports the library and its own folder, never another
 * step. Steps and the library are plain single-threaded code: parallelism belongs to the runner.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { IMPORT } from '../runner/code.js';

const root = new URL('..', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.(ts|js|mjs)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** Every project file a module imports, relative to the project (read as the runner reads a step's imports). */
function importsOf(file: string): string[] {
  return [...readFileSync(join(root, file), 'utf8').matchAll(IMPORT)]
    .map((m) => m[1] ?? m[2]!)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => relative(root, resolve(root, dirname(file), specifier)));
}

/** The step a file of steps/ belongs to: steps/render.ts and steps/render/* are both "render". */
const stepOf = (file: string) => file.split('/')[1]!.replace(/\.(ts|js)$/, '');

/** What each folder may import; a reason is given for each rule. */
function allowed(file: string, target: string): boolean {
  const top = target.split('/')[0];
  if (file.startsWith('contract/')) return top === 'contract';
  // schemas/ holds the contracts every layer reads.
  if (top === 'schemas') return !file.startsWith('contract/');
  if (file.startsWith('lib/')) return top === 'lib' || top === 'contract';
  if (file.startsWith('runner/')) return top === 'runner' || top === 'contract';
  if (file.startsWith('steps/')) {
    if (top === 'lib' || top === 'contract') return true;
    // A step's own helpers sit in the folder named after it; the helpers never import the step module.
    return top === 'steps' && target.includes('/', 'steps/'.length) && stepOf(target) === stepOf(file);
  }
  return true;
}

test('each module imports only what its layer may: contract ← lib ← steps; runner ← contract; steps never each other', () => {
  const found = ['contract', 'lib', 'runner', 'steps']
    .flatMap(sources)
    .flatMap((file) => importsOf(file).filter((t) => !allowed(file, t)).map((t) => `${file} imports ${t}`));
  assert.equal(found, []);
});

test('the rule catches a step importing another step, and the library importing a step', () => {
  assert.not.ok(allowed('steps/render/gather.ts', 'steps/clean.ts'));
  assert.not.ok(allowed('steps/figures.ts', 'steps/render/labels.ts'));
  assert.not.ok(allowed('lib/report/inputs.ts', 'steps/experiment.ts'));
  assert.not.ok(allowed('runner/run.ts', 'lib/survey/study.ts'));
  assert.not.ok(allowed('contract/step.ts', 'runner/errors.ts'));
  assert.ok(allowed('steps/render.ts', 'steps/render/paper.ts'));
  assert.ok(allowed('steps/compare-waves/attrition.ts', 'lib/stats/t-tests.ts'));
});

const FORBIDDEN = ['worker_threads', 'SharedArrayBuffer', 'Atomics'];

test('no step or library module uses worker threads, SharedArrayBuffer or Atomics', () => {
  const found = ['lib', 'steps'].flatMap(sources).flatMap((file) => {
    const text = readFileSync(join(root, file), 'utf8');
    return FORBIDDEN.filter((word) => text.includes(word)).map((word) => `${file}: ${word}`);
  });
  assert.equal(found, []);
});

test.run();
