/**
 * The data plane's three comparisons, side by side in one run (what `npm run bench` runs by default):
 *
 *   1. the cold pipeline on the shipped data, this tree against the last commit before the data plane
 *      was reworked (BEFORE, each with its own raw/), and this tree at -j 1 against -j 2: the three
 *      alternating, BENCH_RUNS rounds (default 5);
 *   2. the whole cold pipeline on a 1,000,000-respondent panel (wave 2013 of `npm run synth --
 *      --respondents 1000000`) at the default -j against the same analysis written plainly in R
 *      (bench/peer/analysis.R, reading CSV of clean's records tables), BENCH_SCALE_RUNS rounds
 *      (default 3), with the pipeline's own time per step and its peak RSS (one process: the workers
 *      are its threads, so GNU time's peak is the sum over the runner).
 *
 * Wall time, CPU time (user + system) and peak RSS from GNU time, medians; the machine's core count and
 * its load average before and after, as other work on a shared machine moves wall times. Prints,
 * asserts nothing. `BENCH_RESPONDENTS` sets the panel's size (default 1,000,000).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { projectCopy } from './_fixtures.js';
import { cores, fmt, loadAverage, median, timeCommand, timeWithRss } from './measure.js';

/** main just before the data plane's rework merged (its stage 2): threads in steps, NDJSON between them. */
const BEFORE = 'aa9d757';
const runs = Number(process.env.BENCH_RUNS ?? 5);
const scaleRuns = Number(process.env.BENCH_SCALE_RUNS ?? 3);
const respondents = Number(process.env.BENCH_RESPONDENTS ?? 1_000_000);
const repo = new URL('..', import.meta.url).pathname;
const tmp = join(repo, 'bench/.tmp');
type Measured = { ms: number; rssMb: number | null; cpuMs: number | null };

const build = (cwd: string) => timeCommand('node', ['runner/launch.mjs', '--build-only'], { cwd });
const emptyCache = (project: string) => {
  for (const name of readdirSync(join(project, 'derived'))) if (name !== '.build') rmSync(join(project, 'derived', name), { recursive: true, force: true });
  rmSync(join(project, 'reports'), { recursive: true, force: true });
};
const cold = (project: string, args: string[]): Measured => {
  emptyCache(project);
  return timeWithRss('node', ['runner/launch.mjs', 'run', ...args], { cwd: project, env: { ...process.env, CI: '1' } });
};
const summary = (list: Measured[]) => {
  const m = median(list.map((r) => r.ms));
  const cpu = list.every((r) => r.cpuMs !== null) ? `, CPU ${fmt(median(list.map((r) => r.cpuMs!)))}` : '';
  const rss = list.every((r) => r.rssMb !== null) ? `, peak RSS ${median(list.map((r) => r.rssMb!)).toFixed(0)} MiB` : '';
  return { m, text: `median ${fmt(m)}${cpu}${rss} (${list.map((r) => fmt(r.ms)).join(', ')})` };
};

console.log(`data plane comparisons — ${cores} cores, Node ${process.versions.node}, load average ${loadAverage()} at the start`);

// 1. The shipped data: this tree (-j 1, -j 2) and BEFORE, each from an empty cache, alternating.
const now = join(tmp, 'shipped-now');
projectCopy(now, build);
for (const name of readdirSync(join(repo, 'raw'))) if (/^\d{4}$/.test(name)) cpSync(join(repo, 'raw', name), join(now, 'raw', name), { recursive: true });
const before = join(tmp, `shipped-${BEFORE}`);
rmSync(before, { recursive: true, force: true });
mkdirSync(before, { recursive: true });
const archive = spawnSync('sh', ['-c', `git archive ${BEFORE} | tar -x -C ${JSON.stringify(before)}`], { cwd: repo, encoding: 'utf8' });
if (archive.status !== 0) throw new Error(`git archive ${BEFORE} failed: ${archive.stderr}`);
symlinkSync(join(repo, 'node_modules'), join(before, 'node_modules'));
build(before);

const shipped = { before: [] as Measured[], j1: [] as Measured[], j2: [] as Measured[] };
const order = ['before', 'j1', 'j2'] as const;
for (let i = 0; i < runs; i++)
  for (let k = 0; k < order.length; k++) {
    const which = order[(i + k) % order.length]!;
    shipped[which].push(which === 'before' ? cold(before, []) : cold(now, ['-j', which === 'j1' ? '1' : '2']));
  }
const s = { before: summary(shipped.before), j1: summary(shipped.j1), j2: summary(shipped.j2) };
const defaultJobs = cores >= 2 ? s.j2 : s.j1;
console.log(`\n1. cold pipeline on the shipped data, ${runs} rounds, alternating`);
console.log(`   before (${BEFORE})     ${s.before.text}`);
console.log(`   now -j 1            ${s.j1.text}`);
console.log(`   now -j 2            ${s.j2.text}`);
console.log(`   now (default -j ${cores}) / before: ${(defaultJobs.m / s.before.m).toFixed(2)};  -j 2 / -j 1: ${(s.j2.m / s.j1.m).toFixed(2)}`);

// 2. A large panel: the whole pipeline against R's analysis alone.
const panel = join(tmp, `synth-${respondents}`);
if (!existsSync(join(panel, 'complete'))) {
  rmSync(panel, { recursive: true, force: true });
  timeCommand('npm', ['run', '--silent', 'synth', '--', '--respondents', String(respondents), '--out', panel, '--waves', '2013'], { cwd: repo });
  closeSync(openSync(join(panel, 'complete'), 'w'));
}
const scale = join(tmp, 'scale-now');
projectCopy(scale, build);
cpSync(join(panel, 'raw', '2013'), join(scale, 'raw', '2013'), { recursive: true });
const peerInput = join(tmp, `peer-records-${respondents}`);

/** The steps' own times in the run just made, summed per step over its branches. */
function stepTimes(): Map<string, number> {
  const steps = new Map<string, number>();
  for (const line of readFileSync(join(scale, 'derived', 'runs.ndjson'), 'utf8').split('\n').filter(Boolean)) {
    const r = JSON.parse(line) as { step: string; durationMs: number };
    const family = r.step.replace(/\[.*$/, '');
    steps.set(family, (steps.get(family) ?? 0) + r.durationMs);
  }
  return steps;
}
/** The records tables clean wrote, as CSV for R (from the last run's cache; not timed). */
function writePeerInput(): void {
  rmSync(peerInput, { recursive: true, force: true });
  mkdirSync(peerInput, { recursive: true });
  for (const file of readdirSync(join(panel, 'raw', '2013'))) {
    const area = file.replace(/\.[a-z]+$/, '');
    const out = openSync(join(peerInput, `${area}.csv`), 'w');
    const r = spawnSync('node', ['runner/launch.mjs', 'show', `clean[2013,${area}]:records.arrow`, '--csv'], { cwd: scale, stdio: ['ignore', out, 'pipe'] });
    closeSync(out);
    if (r.status !== 0) throw new Error(`show clean[2013,${area}]:records.arrow exited ${r.status}: ${r.stderr}`);
  }
}
const large = { pipeline: [] as (Measured & { steps: Map<string, number> })[], r: [] as Measured[] };
for (let i = 0; i < scaleRuns; i++) {
  large.pipeline.push({ ...cold(scale, []), steps: stepTimes() });
  if (i === 0) writePeerInput();
  large.r.push(timeWithRss('Rscript', ['bench/peer/analysis.R', peerInput, join(tmp, 'peer-out')], { cwd: repo }));
}
const p = summary(large.pipeline);
const r = summary(large.r);
const mid = [...large.pipeline].sort((a, b) => a.ms - b.ms)[Math.floor(large.pipeline.length / 2)]!;
console.log(`\n2. ${respondents.toLocaleString('en')} respondents (wave 2013), from an empty cache, ${scaleRuns} rounds, alternating`);
console.log(`   pipeline (default -j ${cores})  ${p.text}`);
console.log(`   R analysis alone       ${r.text}`);
console.log(`   pipeline / R: ${(p.m / r.m).toFixed(2)}`);
console.log(`   where the pipeline's time goes (median run; each step's own time, summed over its branches): ${[...mid.steps].map(([step, ms]) => `${step} ${(ms / 1000).toFixed(1)} s`).join(', ')}`);
console.log(`\nload average ${loadAverage()} at the end`);
