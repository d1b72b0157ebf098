/**
 * Spreads independent tasks over this thread and one worker thread, and still returns synchronously:
 * clean, validate and index's parsing are plain functions, and callers (the calibration loop) call them
 * in-process.
 *
 *   this thread:   task 0 ── task 3 ── task 4 ── … ── wait for the worker ──┐
 *   worker thread:     task 1 ── task 2 ──── task 5 ────────────────────────┴─ results in task order
 *
 * A task goes to whichever thread is free (at most `inFlight` wait for the worker), so which
 * thread ran a task depends on timing, but every task is a pure function of its input: results are
 * delivered in task order and the answer is the same with or without the worker. If the worker cannot
 * start, fails on a task or stops answering, this thread runs its tasks instead, so any error surfaces
 * here, thrown as it would have been.
 *
 * A task module calls `serveWorker` at its top level (that is the worker's side) and `runWithWorker`
 * (or `eachWithWorker`, which hands results out one at a time, as clean streams its records) with its
 * own `import.meta.url` (that is this thread's side).
 *
 * Inputs and outputs cross threads as copies (structured clone) or in SharedArrayBuffers, which both
 * threads see without copying; they are never moved with a transfer list. Moving an ArrayBuffer detaches
 * it, and once any ArrayBuffer of a thread has been detached V8 compiles every typed-array access in
 * that thread with a check for it, for the rest of the process: clean's byte loops ran about 20% slower
 * after a single detached buffer (bench: 2.2 s against 2.55 s on one thread).
 */
import { isMainThread, MessageChannel, receiveMessageOnPort, Worker, workerData, type MessagePort } from 'node:worker_threads';

/** A worker silent this long is given up on and its tasks are run here. */
const WORKER_TIMEOUT_MS = 120_000;

export interface WorkerPlan<I, O, R> {
  /** `import.meta.url` of the module that calls `serveWorker(tag, …)`. */
  module: string;
  tag: string;
  /** Handed once to the worker's `serveWorker` setup. */
  init: unknown;
  /** Tasks that may wait for the worker at once. */
  inFlight: number;
  /** The task's input as the worker receives it: a copy, except what lies in SharedArrayBuffers. */
  post(i: number): I;
  /** Runs task i here. */
  here(i: number): R;
  /** Turns the worker's output for task i into a result. */
  fromWorker(output: O, i: number): R;
  /** Called for each result in task order, as soon as every earlier one is in. */
  deliver(result: R, i: number): void;
  /** True for a result after which later tasks need not run (an error that will be thrown). */
  stops(result: R): boolean;
}

type Reply<O> = { i: number; output: O } | { i: number; failed: string } | { fatal: string };

interface WorkerData {
  tag: string;
  port: MessagePort;
  signal: Int32Array;
  init: unknown;
}

/**
 * Runs `tasks` tasks over this thread and a worker; results go to `plan.deliver` in task order. Returns
 * how many tasks the worker ran (for tests and benchmarks: the results never depend on it).
 *
 * `tasks` may instead be a function telling whether task i exists, for tasks that come from a stream:
 * it is called once for each i in order, just before task i is posted or run, and never again after it
 * says no.
 */
export function runWithWorker<I, O, R>(tasks: number | ((i: number) => boolean), plan: WorkerPlan<I, O, R>): { workerTasks: number } {
  const results = eachWithWorker(tasks, plan);
  let finished = false;
  try {
    for (let step = results.next(); ; step = results.next()) {
      if (step.done) {
        finished = true;
        return step.value;
      }
      plan.deliver(step.value[0], step.value[1]);
    }
  } finally {
    // A `deliver` that throws leaves the generator suspended: closing it stops the worker.
    if (!finished) results.return({ workerTasks: 0 });
  }
}

/**
 * `runWithWorker` as a generator: yields `[result, i]` in task order, as soon as every earlier one is
 * in, and stops at a result `plan.stops` (`plan.deliver` is not used). While the caller holds a result
 * (writing it out, say), the worker goes on with the tasks it was given, so a caller that hands each
 * result on before asking for the next one holds only a few at a time. Closing the generator early
 * (`return()`, or a `for … of` left by an exception) stops the worker.
 */
export function* eachWithWorker<I, O, R>(tasks: number | ((i: number) => boolean), plan: Omit<WorkerPlan<I, O, R>, 'deliver'>): Generator<[R, number], { workerTasks: number }> {
  let count = typeof tasks === 'number' ? tasks : Infinity;
  const exists = (i: number): boolean => {
    if (i < count && typeof tasks === 'function' && !tasks(i)) count = i;
    return i < count;
  };
  let workerTasks = 0;
  const results = new Map<number, R>();
  const ready: [R, number][] = [];
  let delivered = 0;
  let stopAt = Infinity;
  const settle = (i: number, r: R) => {
    if (plan.stops(r)) stopAt = Math.min(stopAt, i);
    results.set(i, r);
    for (let next = results.get(delivered); next !== undefined && delivered < count; next = results.get(delivered)) {
      results.delete(delivered);
      ready.push([next, delivered++]);
      if (delivered > stopAt) return;
    }
  };

  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = startWorker(plan.module, { tag: plan.tag, port: port2, signal, init: plan.init }, [port2]);
  worker.unref();
  let workerAlive = true;
  const waiting = new Set<number>();
  let next = 0;
  const drain = (): boolean => {
    let any = false;
    for (let m = receiveMessageOnPort(port1); m; m = receiveMessageOnPort(port1)) {
      any = true;
      const reply = m.message as Reply<O>;
      if ('fatal' in reply) {
        workerAlive = false;
        continue;
      }
      if (!waiting.delete(reply.i)) continue;
      if (!('failed' in reply)) workerTasks++;
      settle(reply.i, 'failed' in reply ? plan.here(reply.i) : plan.fromWorker(reply.output, reply.i));
    }
    return any;
  };
  try {
    while (delivered < count && delivered <= stopAt) {
      while (ready.length) yield ready.shift()!;
      const seen = Atomics.load(signal, 0);
      drain();
      if (!workerAlive && waiting.size) {
        for (const i of [...waiting].sort((a, b) => a - b)) {
          waiting.delete(i);
          settle(i, plan.here(i));
        }
      }
      if (next <= stopAt && exists(next)) {
        if (workerAlive && waiting.size < plan.inFlight) {
          port1.postMessage({ i: next, input: plan.post(next) });
          waiting.add(next++);
        } else {
          const i = next++;
          settle(i, plan.here(i));
        }
        continue;
      }
      if (waiting.size === 0) break;
      if (ready.length === 0 && Atomics.wait(signal, 0, seen, WORKER_TIMEOUT_MS) === 'timed-out' && !drain()) workerAlive = false;
    }
    while (ready.length) yield ready.shift()!;
  } finally {
    port1.close();
    void worker.terminate();
  }
  return { workerTasks };
}

function startWorker(module: string, data: WorkerData, transfer: MessagePort[]): Worker {
  // From TypeScript sources (tests, benchmarks) a worker starts without tsx's loader: register it first.
  // A worker that cannot load says so at once, and this thread does its work.
  const load = module.endsWith('.ts')
    ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(module)}); })`
    : `import(${JSON.stringify(module)})`;
  const code =
    `const { workerData } = require('node:worker_threads');` +
    `${load}.catch((e) => { workerData.port.postMessage({ fatal: String(e) }); Atomics.add(workerData.signal, 0, 1); Atomics.notify(workerData.signal, 0); });`;
  return new Worker(code, { eval: true, workerData: data, transferList: transfer });
}

/**
 * The worker's side: when this thread is a worker started for `tag`, builds the task handler from the
 * plan's `init` and answers every posted task. Does nothing on other threads.
 */
export function serveWorker<I, O>(tag: string, setup: (init: any) => (input: I) => O): void {
  if (isMainThread || (workerData as { tag?: string } | null)?.tag !== tag) return;
  const { port, signal, init } = workerData as WorkerData;
  const tell = (reply: Reply<O>) => {
    port.postMessage(reply);
    Atomics.add(signal, 0, 1);
    Atomics.notify(signal, 0);
  };
  // A worker that dies says so, so the calling thread does not wait for answers that will never come.
  process.on('uncaughtException', (e) => tell({ fatal: String(e) }));
  let handle: (input: I) => O;
  try {
    handle = setup(init);
  } catch (e) {
    return tell({ fatal: String(e) });
  }
  port.on('message', ({ i, input }: { i: number; input: I }) => {
    let output: O;
    try {
      output = handle(input);
    } catch (e) {
      // Run again on the calling thread, where the error is thrown with its full context.
      return tell({ i, failed: String(e) });
    }
    tell({ i, output });
  });
}
