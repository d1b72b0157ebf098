import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runWithWorker } from '../../../steps/threads/worker-thread.js';

function plan(module: string, log: number[]) {
  return {
    module,
    tag: 'test-worker',
    init: {},
    inFlight: 2,
    post: (i: number) => ({ input: i }),
    here: (i: number) => i * 10,
    fromWorker: (o: number) => o,
    deliver: (r: number) => void log.push(r),
    stops: (r: number) => r === 30,
  };
}

test('a worker that cannot load leaves every task to this thread, delivered in order', () => {
  const log: number[] = [];
  const { workerTasks } = runWithWorker(6, { ...plan(new URL('./no-such-module.js', import.meta.url).href, log), stops: () => false });
  assert.is(workerTasks, 0);
  assert.equal(log, [0, 10, 20, 30, 40, 50]);
});

test('delivery stops after the first result that stops the run', () => {
  const log: number[] = [];
  runWithWorker(6, plan(new URL('./no-such-module.js', import.meta.url).href, log));
  assert.equal(log, [0, 10, 20, 30]);
});

test('tasks from a stream: asked for once each, in order, until there are no more', () => {
  const log: number[] = [];
  const asked: number[] = [];
  const { workerTasks } = runWithWorker((i) => (asked.push(i), i < 5), { ...plan(new URL('./no-such-module.js', import.meta.url).href, log), stops: () => false });
  assert.is(workerTasks, 0);
  assert.equal(asked, [0, 1, 2, 3, 4, 5]);
  assert.equal(log, [0, 10, 20, 30, 40]);
});

test.run();
