/**
 * Steps and the library they use are plain single-threaded code: parallelism belongs to the runner,
 * which can run independent branches side by side. No worker threads, shared memory or atomics here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const root = new URL('../..', import.meta.url).pathname;
const FORBIDDEN = ['worker_threads', 'SharedArrayBuffer', 'Atomics'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.(ts|js|mjs)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

test('no step module uses worker threads, SharedArrayBuffer or Atomics', () => {
  const found = sources(join(root, 'steps')).flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    return FORBIDDEN.filter((word) => text.includes(word)).map((word) => `${relative(root, file)}: ${word}`);
  });
  assert.equal(found, []);
});

test.run();
