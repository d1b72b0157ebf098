/**
 * The whole pipeline on a large panel against the same analysis written plainly in R (bench/peer/).
 *
 * Wave 2013 of `npm run synth -- --respondents N --out DIR --waves 2013` (default 1,000,000), in a
 * copy of the project under bench/.tmp/. Alternating, `runs` times (BENCH_RUNS, default 3), each from
 * an empty cache:
 *   - the compiled runner, `-j 1` (every step in its own thread) and `-j 2` (a pool of two workers);
 *   - R's analysis alone (bench/peer/analysis.R: indices, correlations, nudge models with HC3),
 *     reading CSV of the records table clean writes (`pipeline show … --csv`, written once, not timed).
 * Whole-process wall time and peak RSS (GNU time; the runner's workers are threads of its one process,
 * so its RSS is the sum over the runner), medians; and where the runner's time goes (its per-step
 * times from the run log, summed over branches). Prints, asserts nothing.
 *
 *   node --import tsx bench/pipeline-scale.ts [respondents]
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, openSync, closeSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { projectCopy } from './_fixtures.js';
import { cores, fmt, median, timeCommand, timeWithRss } from './measure.js';

const respondents = Number(process.argv[2] ?? 1_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const repo = new URL('..', import.meta.url).pathname;
const tmp = join(repo, 'bench/.tmp');
const project = join(tmp, 'pipeline-scale');
const panel = join(tmp, `synth-${respondents}`);
const peerInput = join(tmp, `peer-records-${respondents}`);

if (!existsSync(join(panel, 'complete'))) {
  rmSync(panel, { recursive: true, force: true });
  timeCommand('npm', ['run', '--silent', 'synth', '--', '--respondents', String(respondents), '--out', panel, '--waves', '2013'], { cwd: repo });
  closeSync(openSync(join(panel, 'complete'), 'w'));
}
projectCopy(project, (cwd) => timeCommand('node', ['runner/launch.mjs', '--build-only'], { cwd }));
cpSync(join(panel, 'raw', '2013'), join(project, 'raw', '2013'), { recursive: true });

const emptyCache = () => {
  for (const name of readdirSync(join(project, 'derived'))) if (name !== '.build') rmSync(join(project, 'derived', name), { recursive: true, force: true });
  rmSync(join(project, 'reports'), { recursive: true, force: true });
};

/** The steps' own times in the run just made, summed per step over its branches (the log holds this run alone). */
function stepTimes(): Map<string, number> {
  const steps = new Map<string, number>();
  for (const line of readFileSync(join(project, 'derived', 'runs.ndjson'), 'utf8').split('\n').filter(Boolean)) {
    const r = JSON.parse(line) as { step: string; durationMs: number };
    const family = r.step.replace(/\[.*$/, '');
    steps.set(family, (steps.get(family) ?? 0) + r.durationMs);
  }
  return steps;
}

const runner = (jobs: number) => {
  emptyCache();
  const measured = timeWithRss('node', ['runner/launch.mjs', 'run', '-j', String(jobs)], { cwd: project, env: { ...process.env, CI: '1' } });
  return { ...measured, steps: stepTimes() };
};

/** The records tables clean wrote, as CSV, for R (from the cache of the last runner run). */
function writePeerInput(): void {
  rmSync(peerInput, { recursive: true, force: true });
  mkdirSync(peerInput, { recursive: true });
  for (const file of readdirSync(join(panel, 'raw', '2013'))) {
    const area = file.replace(/\.csv$/, '');
    const out = openSync(join(peerInput, `${area}.csv`), 'w');
    const r = spawnSync('node', ['runner/launch.mjs', 'show', `clean[2013,${area}]:records.arrow`, '--csv'], { cwd: project, stdio: ['ignore', out, 'pipe'], maxBuffer: 1 << 30 });
    closeSync(out);
    if (r.status !== 0) throw new Error(`show clean[2013,${area}]:records.arrow exited ${r.status}: ${r.stderr}`);
  }
}

const results = { j1: [] as ReturnType<typeof runner>[], j2: [] as ReturnType<typeof runner>[], r: [] as { ms: number; rssMb: number | null }[] };
for (let i = 0; i < runs; i++) {
  results.j2.push(runner(2));
  if (i === 0) writePeerInput();
  results.j1.push(runner(1));
  results.r.push(timeWithRss('Rscript', ['bench/peer/analysis.R', peerInput, join(tmp, 'peer-out')], { cwd: repo }));
}

const mid = <T extends { ms: number }>(list: T[]) => [...list].sort((a, b) => a.ms - b.ms)[Math.floor(list.length / 2)]!;
const rss = (list: { rssMb: number | null }[]) => list.map((r) => (r.rssMb === null ? 'n/a' : r.rssMb.toFixed(0))).join(', ');
const rMedian = median(results.r.map((r) => r.ms));
console.log(`whole pipeline from an empty cache against R's analysis alone, ${respondents.toLocaleString('en')} respondents (wave 2013) — ${cores} cores, Node ${process.versions.node}, ${runs} alternating runs`);
for (const [label, list] of [['runner -j 1', results.j1], ['runner -j 2', results.j2], ['R analysis', results.r]] as const) {
  const m = median(list.map((r) => r.ms));
  console.log(`  ${label.padEnd(12)} ${list.map((r) => fmt(r.ms)).join(', ')}; median ${fmt(m)} (${(m / rMedian).toFixed(2)}× R); peak RSS MiB ${rss(list)}`);
}
for (const [label, list] of [['-j 1', results.j1], ['-j 2', results.j2]] as const)
  console.log(`  steps, median run ${label} (s, summed over branches): ${[...mid(list).steps].map(([s, ms]) => `${s} ${(ms / 1000).toFixed(2)}`).join(', ')}`);
