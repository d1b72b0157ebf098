/**
 * Where jobs run. The scheduler (run.ts) decides what may run and when; an executor only performs a
 * job (job.ts) and answers with what it wrote. Two implementations:
 *
 *   inProcess()     in the runner's own thread, one job at a time (`-j 1`, and `verify --recompute`);
 *   workerPool(n)   n long-lived worker threads that the runner owns for the whole run; each imports a
 *                   step module once and keeps it, as the runner's own thread would.
 *
 * A cluster executor (e.g. SLURM) fits the same interface without touching a step: `run(job)` writes
 * the job as JSON next to its staged folder under derived/ (on a file system the nodes share),
 * submits `sbatch --wrap "node runner/job-cli.js <job.json>"` (a script calling runJob and writing
 * the records or the error as JSON beside the job), polls `sacct`/waits for that file, and resolves
 * or rejects with it; `slots` is how many jobs it may keep queued. The runner still resolves keys,
 * commits entries, publishes and holds the lock on the submitting machine.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { errorFromData, runJob, type ErrorData, type Job } from './job.js';
import type { OutputRecord } from './manifest.js';

export interface Executor {
  /** How many jobs it runs at once; the scheduler never hands it more. */
  readonly slots: number;
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
 * `n` worker threads, started on first use and kept until `close()`. A job goes to an idle worker;
 * the scheduler's slot count keeps every job's worker busy with one job at a time. A worker that
 * dies (out of memory, a crash in native code) fails the job it held and is replaced.
 */
export function workerPool(n: number): Executor {
  const idle: Worker[] = [];
  const all = new Set<Worker>();
  const waiting: ((w: Worker) => void)[] = [];
  let nextId = 0;

  const spawn = () => {
    // An eval'd bootstrap: under tsx (tests), the worker registers tsx before importing TypeScript.
    const source = import.meta.url.endsWith('.ts');
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData: { url: new URL(source ? './worker.ts' : './worker.js', import.meta.url).href, tsx: source ? [import.meta.resolve('tsx/esm/api'), import.meta.resolve('tsx/cjs/api')] : null },
    });
    all.add(worker);
    return worker;
  };
  const acquire = (): Promise<Worker> => {
    const w = idle.pop();
    if (w) return Promise.resolve(w);
    if (all.size < n) return Promise.resolve(spawn());
    return new Promise((resolve) => waiting.push(resolve));
  };
  const release = (w: Worker) => {
    const next = waiting.shift();
    if (next) next(w);
    else idle.push(w);
  };

  return {
    slots: n,
    async run(job) {
      const worker = await acquire();
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
          release(worker);
          if ('error' in reply) reject(errorFromData(reply.error));
          else resolve(reply.records);
        };
        const lost = (error: Error) => {
          done();
          all.delete(worker);
          void worker.terminate();
          // A replacement is started when the next job asks for one.
          const next = waiting.shift();
          if (next) next(spawn());
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
      await Promise.all([...all].map((w) => w.terminate()));
      all.clear();
    },
  };
}

const BOOTSTRAP = `const { workerData } = require('node:worker_threads');
(async () => {
  // Both loaders, as --import tsx registers them: a .ts file in a package without "type" is CommonJS.
  if (workerData.tsx) for (const api of workerData.tsx) (await import(api)).register();
  await import(workerData.url);
})();`;
