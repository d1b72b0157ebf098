/**
 * Why the worker pool uses threads: what one executor slot costs to start, as a worker thread and as a
 * child process, each importing the compiled figures step (the step with the heaviest libraries) and
 * answering once. Medians of 7, alternating; peak RSS is not compared here: a thread shares its
 * process's, a child process adds its own. Prints, asserts nothing.
 */
import { spawn } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildPipeline, cores, fmt, median } from './measure.js';

const root = new URL('..', import.meta.url).pathname;
buildPipeline();
const url = pathToFileURL(join(root, 'derived/.build/steps/figures.js')).href;

const viaThread = () =>
  new Promise<number>((resolve) => {
    const t0 = performance.now();
    const w = new Worker(`import(${JSON.stringify(url)}).then(() => require('node:worker_threads').parentPort.postMessage(1))`, { eval: true });
    w.once('message', () => {
      const ms = performance.now() - t0;
      void w.terminate().then(() => resolve(ms));
    });
  });
const viaProcess = () =>
  new Promise<number>((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(url)}); process.send(1)`], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.once('message', () => {
      const ms = performance.now() - t0;
      child.kill();
      resolve(ms);
    });
  });

const threads: number[] = [];
const processes: number[] = [];
for (let i = 0; i < 7; i++) {
  threads.push(await viaThread());
  processes.push(await viaProcess());
}
console.log(`one executor slot, started and importing steps/figures.js — ${cores} cores, Node ${process.versions.node}, median of 7`);
console.log(`  worker thread:  ${fmt(median(threads))} (${threads.map(fmt).join(', ')})`);
console.log(`  child process:  ${fmt(median(processes))} (${processes.map(fmt).join(', ')})`);
