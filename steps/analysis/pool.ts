/**
 * A small pool of worker threads for the analysis steps' independent pieces of work (the correlations of
 * one group, one regression). Results come back in task order, so a step
 * gives the same output whatever the number of workers; with 0 workers the caller runs the tasks itself.
 *
 * Tasks are built only when a worker is free (`make(i)`), so at most one task per worker is in flight
 * and memory stays bounded. A task that fails with a DataError comes back as that error (message and
 * context); the first failing task in task order is thrown after every task has finished.
 *
 * This module is also the workers' entry point: in a worker it loads the task handlers (tasks.ts).
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { DataError } from '../../runner/step.js';

const WORKER_TAG = 'coproduction-analysis-pool';

export type TaskName = 'correlateGroup' | 'fitModel';

interface Request {
  id: number;
  task: TaskName;
  input: unknown;
}

type Reply = { id: number; output: unknown } | { id: number; error: { message: string; where: DataError['where'] } };

/** Thrown for a failed task: the task's index with its DataError, so the caller can add context. */
export class TaskError extends Error {
  constructor(readonly index: number, readonly error: DataError) {
    super(error.message);
  }
}

/**
 * Runs `count` tasks of one kind on `workers` threads; outputs in task order. Inputs and outputs are
 * copied, never moved (see threads/worker-thread.ts).
 */
export async function runPool<O>(task: TaskName, count: number, make: (i: number) => unknown, workers: number): Promise<O[]> {
  const outputs: O[] = new Array(count);
  const errors: TaskError[] = [];
  let next = 0;
  let received = 0;
  const threads = Array.from({ length: Math.min(workers, count) }, startWorker);
  const drive = (worker: Worker) =>
    new Promise<void>((resolve, reject) => {
      const send = () => {
        if (next >= count) return resolve();
        const id = next++;
        worker.postMessage({ id, task, input: make(id) } satisfies Request);
      };
      worker.on('message', (reply: Reply) => {
        received++;
        if ('error' in reply) errors.push(new TaskError(reply.id, new DataError(reply.error.message, reply.error.where)));
        else outputs[reply.id] = reply.output as O;
        send();
      });
      worker.on('error', reject);
      // A worker that stops without an error (it could not load its code) would otherwise leave the step waiting.
      worker.on('exit', (code) => {
        if (received < count) reject(new Error(`analysis worker stopped (exit code ${code}) before its tasks were done`));
      });
      send();
    });
  try {
    await Promise.all(threads.map(drive));
  } finally {
    await Promise.all(threads.map((w) => w.terminate()));
  }
  if (errors.length) throw errors.sort((a, b) => a.index - b.index)[0]!;
  return outputs;
}

/** A worker running this module. */
function startWorker(): Worker {
  const self = import.meta.url;
  const data = { tag: WORKER_TAG };
  if (self.endsWith('.ts')) {
    // Run from TypeScript sources (tests, benchmarks): a worker starts without tsx's loader, so it
    // registers it before loading this module. The built pipeline runs the compiled .js directly.
    const tsx = import.meta.resolve('tsx/esm/api');
    const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(self)}); });`;
    return new Worker(code, { eval: true, workerData: data });
  }
  return new Worker(new URL(self), { workerData: data });
}

if (!isMainThread && (workerData as { tag?: string } | null)?.tag === WORKER_TAG) {
  // Loaded lazily, not by a top-level await: tasks.ts imports modules that import this one, and a cycle
  // through a top-level await never finishes loading.
  const handlers = import('./tasks.js');
  parentPort!.on('message', (request: Request) => {
    void handlers.then(({ TASKS }) => {
      try {
        const output = TASKS[request.task](request.input as never);
        parentPort!.postMessage({ id: request.id, output } satisfies Reply);
      } catch (e) {
        if (!(e instanceof DataError)) throw e;
        parentPort!.postMessage({ id: request.id, error: { message: e.message, where: e.where } } satisfies Reply);
      }
    });
  });
}
