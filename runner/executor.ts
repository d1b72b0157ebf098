/**
 * Where jobs run. The scheduler (run.ts) decides what may run and when; an executor only performs a
 * job (job.ts) and answers with what it wrote. Two implementations:
 *
 *   inProcess()     in the runner's own thread, one job at a time (`-j 1`, and `verify --recompute`);
 *   workerPool(n)   n long-lived worker threads that the runner owns for the whole run; each imports a
 *                   step module once and keeps it, as the runner's own thread would, and a small job
 *                   goes to the worker that has its module rather than importing it in a second one.
 *
 * A cluster executor (e.g. SLURM) fits the same interface without touching a step: `run(job)` writes
 * the job as JSON next to its staged folder under derived/ (on a file system the nodes share),
 * submits `sbatch --wrap "node runner/job-cli.js <job.json>"` (a script calling runJob and writing
 * the records or the error as JSON beside the job), polls `sacct`/waits for that file, and resolves
 * or rejects with it; `slots` is how many jobs it may keep queued. The runner still resolves keys,
 * commits entries, publishes and holds the lock on the submitting machine.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { errorFromData, runJob, type ErrorData, type Job } from './job.js';
import type { OutputRecord } from './manifest.js';

export interface Executor {
  /** How many jobs it runs at once; the scheduler never hands it more. */
  readonly slots: number;
  /**
   * Whether starting `job` now is worthwhile (default: always, while a slot is free). The scheduler
   * asks before it hands a job over, and starts a later job instead when the answer is no.
   */
  admits?(job: Job): boolean;
  run(job: Job): Promise<OutputRecord[]>;
  /** Ends what the executor started (its workers); called once, after the last job. */
  close(): Promise<void>;
}

/** The default `-j`: what the machine offers. */
export const defaultJobs = (): number => availableParallelism();

/** `-j 1` runs in the runner's thread (no worker to start); more, on a pool of that many workers. */
export function executorFor(jobs: number): Executor {
  return jobs <= 1 ? inProcess() : workerPool(jobs);
}

export function inProcess(): Executor {
  return { slots: 1, run: runJob, close: async () => {} };
}

type Reply = { id: number; records: OutputRecord[] } | { id: number; error: ErrorData };

/**
 * Below this many input bytes a job is light: loading its step's module in a second worker (a few
 * hundred milliseconds for the libraries a step imports) would cost more than running it after the
 * job ahead of it on the worker that already has the module. On the shipped exports (under 1 MB each)
 * every job is light; at a million respondents every clean, validate and index job is heavy.
 */
export const SPREAD_BYTES = 8 * 1024 * 1024;

/** What placement looks at in a worker: whether it is free and which step modules it has imported. */
export interface Placed {
  busy: boolean;
  loaded: ReadonlySet<string>;
}

/**
 * Where a job goes: an idle worker that has its module; else, when it is light and a busy worker has
 * the module, nowhere yet (`'wait'`: that worker is the cheaper place); else any idle worker, a new
 * one while fewer than `max` run, or `'wait'`.
 */
export function placement(workers: readonly Placed[], module: string, light: boolean, max: number): number | 'spawn' | 'wait' {
  const warm = workers.findIndex((w) => !w.busy && w.loaded.has(module));
  if (warm >= 0) return warm;
  if (light && workers.some((w) => w.loaded.has(module))) return 'wait';
  // A fresh worker has imported the least, so a module loaded there duplicates the least work.
  const idle = workers.map((w, i) => ({ w, i })).filter(({ w }) => !w.busy).sort((a, b) => a.w.loaded.size - b.w.loaded.size)[0];
  if (idle) return idle.i;
  return workers.length < max ? 'spawn' : 'wait';
}

/** The bytes a job reads: its files' sizes and the runner-computed contents. */
function inputBytes(job: Job): number {
  let total = 0;
  for (const list of Object.values(job.inputs))
    for (const input of list) {
      if ('content' in input) total += input.content.length;
      else
        try {
          total += statSync(input.file).size;
        } catch {
          // A file gone missing fails the job itself, with its own message.
        }
    }
  return total;
}

/**
 * `n` worker threads, started on demand and kept until `close()`. A job goes where `placement` says:
 * a light job of a step a busy worker has imported waits for that worker (`admits` tells the
 * scheduler so, and it starts another job meanwhile); a heavy one takes any free worker. A worker
 * that dies (out of memory, a crash in native code) fails the job it held and is replaced.
 */
export function workerPool(n: number, options: { spreadBytes?: number } = {}): Executor {
  const spreadBytes = options.spreadBytes ?? SPREAD_BYTES;
  const workers: (Placed & { worker: Worker; loaded: Set<string> })[] = [];
  const waiting: (() => void)[] = [];
  const sizes = new WeakMap<Job, number>();
  let nextId = 0;

  const light = (job: Job) => {
    let bytes = sizes.get(job);
    if (bytes === undefined) sizes.set(job, (bytes = inputBytes(job)));
    return bytes < spreadBytes;
  };
  const spawn = () => {
    // An eval'd bootstrap: under tsx (tests), the worker registers tsx before importing TypeScript.
    const source = import.meta.url.endsWith('.ts');
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData: { url: new URL(source ? './worker.ts' : './worker.js', import.meta.url).href, tsx: source ? [import.meta.resolve('tsx/esm/api'), import.meta.resolve('tsx/cjs/api')] : null },
    });
    const slot = { worker, busy: false, loaded: new Set<string>() };
    workers.push(slot);
    return slot;
  };
  /** A worker for the job now, marked busy; without affinity when the caller did not ask `admits` first. */
  const take = (job: Job): (typeof workers)[number] | undefined => {
    let where = placement(workers, job.moduleUrl, light(job), n);
    if (where === 'wait') where = placement(workers, job.moduleUrl, false, n);
    if (where === 'wait') return undefined;
    const slot = where === 'spawn' ? spawn() : workers[where]!;
    slot.busy = true;
    slot.loaded.add(job.moduleUrl);
    return slot;
  };
  const release = () => {
    const next = waiting.shift();
    if (next) next();
  };

  return {
    slots: n,
    admits: (job) => placement(workers, job.moduleUrl, light(job), n) !== 'wait',
    async run(job) {
      let slot = take(job);
      while (!slot) {
        await new Promise<void>((resolve) => waiting.push(resolve));
        slot = take(job);
      }
      const { worker } = slot;
      const id = nextId++;
      return new Promise<OutputRecord[]>((resolve, reject) => {
        const done = () => {
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
        };
        const onMessage = (reply: Reply) => {
          if (reply.id !== id) return;
          done();
          slot.busy = false;
          release();
          if ('error' in reply) reject(errorFromData(reply.error));
          else resolve(reply.records);
        };
        const lost = (error: Error) => {
          done();
          workers.splice(workers.indexOf(slot), 1);
          void worker.terminate();
          // A replacement is started when the next job asks for one.
          release();
          reject(error);
        };
        const onError = (error: Error) => lost(error);
        const onExit = (code: number) => lost(new Error(`the worker running step "${job.step}" exited (code ${code})`));
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.on('exit', onExit);
        worker.postMessage({ id, job });
      });
    },
    async close() {
      await Promise.all(workers.map((w) => w.worker.terminate()));
      workers.length = 0;
    },
  };
}

const BOOTSTRAP = `const { workerData } = require('node:worker_threads');
(async () => {
  // Both loaders, as --import tsx registers them: a .ts file in a package without "type" is CommonJS.
  if (workerData.tsx) for (const api of workerData.tsx) (await import(api)).register();
  await import(workerData.url);
})();`;
