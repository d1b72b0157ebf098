import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { eachWithWorker, runWithWorker } from '../../../steps/threads/worker-thread.js';
import type { Echo } from './echo-bytes.js';

function plan(module: string, log: number[]) {
  return {
    module,
    tag: 'test-worker',
    init: {},
    inFlight: 2,
    post: (i: number) => i,
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

const timesTen = { module: new URL('./times-ten.ts', import.meta.url).href, tag: 'test-times-ten', init: {}, inFlight: 2, post: (i: number) => i, here: (i: number) => i * 10, fromWorker: (o: number) => o, stops: () => false };

test('as a generator, results come in task order whichever thread ran them', () => {
  const seen: [number, number][] = [];
  const results = eachWithWorker(12, timesTen);
  let step = results.next();
  for (; !step.done; step = results.next()) seen.push(step.value);
  assert.equal(seen, Array.from({ length: 12 }, (_, i) => [i * 10, i]));
  assert.ok(step.value.workerTasks >= 0 && step.value.workerTasks <= 12);
});

test('a generator closed part way through ends there, and later runs are unaffected', () => {
  const results = eachWithWorker(12, timesTen);
  assert.equal(results.next().value, [0, 0]);
  assert.equal(results.return({ workerTasks: 0 }), { done: true, value: { workerTasks: 0 } });
  assert.ok(results.next().done);
  const log: number[] = [];
  runWithWorker(4, { ...timesTen, deliver: (r: number) => void log.push(r) });
  assert.equal(log, [0, 10, 20, 30]);
});

test('buffers go to the worker and come back without being detached on either side', () => {
  // Detaching any ArrayBuffer slows every typed-array access of its thread from then on (worker-thread.ts).
  const inputs = Array.from({ length: 4 }, (_, i) => new Uint8Array(1024).fill(i + 1));
  const seen: Echo[] = [];
  const { workerTasks } = runWithWorker(inputs.length, {
    module: new URL('./echo-bytes.ts', import.meta.url).href,
    tag: 'test-echo-bytes',
    init: {},
    // Every task waits for the worker: none is run here.
    inFlight: inputs.length,
    post: (i: number) => inputs[i]!,
    here: (): Echo => assert.unreachable('the worker runs every task') as never,
    fromWorker: (o: Echo) => o,
    deliver: (r: Echo) => void seen.push(r),
    stops: () => false,
  });
  assert.is(workerTasks, inputs.length);
  assert.equal(
    inputs.map((b) => b.byteLength),
    [1024, 1024, 1024, 1024],
    'this thread still has what it posted',
  );
  assert.equal(
    seen.map((r) => [r.first, r.earlierOutputBytes, r.bytes.byteLength]),
    [
      [1, null, 64],
      [2, 64, 64],
      [3, 64, 64],
      [4, 64, 64],
    ],
    'the worker still has what it answered before',
  );
});

test.run();
