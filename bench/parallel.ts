/**
 * `-j 1` against `-j 2` on the shipped data: the whole pipeline from an empty cache in a copy of the
 * project, the two settings alternating (BENCH_RUNS pairs, default 5) so that load from elsewhere on
 * the machine falls on both alike; whole-process wall time and peak RSS, medians. Prints, asserts nothing.
 */
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { projectCopy } from './_fixtures.js';
import { cores, fmt, median, timeCommand, timeWithRss } from './measure.js';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const repo = new URL('..', import.meta.url).pathname;
const project = join(repo, 'bench/.tmp/parallel');

projectCopy(project, (cwd) => timeCommand('node', ['runner/launch.mjs', '--build-only'], { cwd }));
for (const name of readdirSync(join(repo, 'raw'))) if (/^\d{4}$/.test(name)) cpSync(join(repo, 'raw', name), join(project, 'raw', name), { recursive: true });

const cold = (jobs: number) => {
  for (const name of readdirSync(join(project, 'derived'))) if (name !== '.build') rmSync(join(project, 'derived', name), { recursive: true, force: true });
  rmSync(join(project, 'reports'), { recursive: true, force: true });
  return timeWithRss('node', ['runner/launch.mjs', 'run', '-j', String(jobs)], { cwd: project, env: { ...process.env, CI: '1' } });
};

const measured: Record<1 | 2, { ms: number; rssMb: number | null }[]> = { 1: [], 2: [] };
for (let i = 0; i < runs; i++) for (const jobs of i % 2 ? ([2, 1] as const) : ([1, 2] as const)) measured[jobs].push(cold(jobs));

console.log(`cold pipeline on the shipped data, -j 1 against -j 2 — ${cores} cores, Node ${process.versions.node}, ${runs} alternating pairs`);
for (const jobs of [1, 2] as const) {
  const list = measured[jobs];
  console.log(`  -j ${jobs}  ${list.map((r) => fmt(r.ms)).join(', ')}; median ${fmt(median(list.map((r) => r.ms)))}; peak RSS MiB ${list.map((r) => (r.rssMb === null ? 'n/a' : r.rssMb.toFixed(0))).join(', ')}`);
}
console.log(`  -j 2 / -j 1: ${(median(measured[2].map((r) => r.ms)) / median(measured[1].map((r) => r.ms))).toFixed(2)}`);
