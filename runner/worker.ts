/** A worker of the pool (executor.ts): runs the jobs it is sent, one at a time, and answers each. */
import { parentPort } from 'node:worker_threads';
import { errorData, runJob, type Job } from './job.js';

parentPort!.on('message', async ({ id, job }: { id: number; job: Job }) => {
  try {
    parentPort!.postMessage({ id, records: await runJob(job) });
  } catch (error) {
    parentPort!.postMessage({ id, error: errorData(error) });
  }
});
