/**
 * The whole pipeline on a large panel: `npm run pipeline` from an empty cache on wave 2013 of the
 * replica at 1,000,000 respondents (five exports, areas in the paper's proportions), in a copy of the
 * project under bench/.tmp/. Whole-process wall time and peak RSS (GNU time) of the compiled runner,
 * median of three runs, each from an empty cache; the runner's own per-step times of the median run.
 * Prints, asserts nothing.
 *
 *   node --import tsx bench/pipeline-scale.ts [respondents]
 */
import { cpSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { largePanel, projectCopy } from './_fixtures.js';
import { cores, fmt, median, timeCommand, timeWithRss } from './measure.js';

const respondents = Number(process.argv[2] ?? 1_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const project = join(new URL('..', import.meta.url).pathname, 'bench/.tmp/pipeline-scale');

const panel = await largePanel(respondents);
projectCopy(project, (cwd) => timeCommand('node', ['runner/launch.mjs', '--build-only'], { cwd }));
cpSync(join(panel, 'raw', '2013'), join(project, 'raw', '2013'), { recursive: true });

const emptyCache = () => {
  for (const name of readdirSync(join(project, 'derived'))) if (name !== '.build') rmSync(join(project, 'derived', name), { recursive: true, force: true });
  rmSync(join(project, 'reports'), { recursive: true, force: true });
};
const measured = Array.from({ length: runs }, () => {
  emptyCache();
  const { ms, rssMb } = timeWithRss('node', ['runner/launch.mjs'], { cwd: project, env: { ...process.env, CI: '1' } });
  // The steps' own times, from the run log (emptied with the cache, so it holds this run alone).
  const steps = new Map<string, number>();
  for (const line of readFileSync(join(project, 'derived', 'runs.ndjson'), 'utf8').split('\n').filter(Boolean)) {
    const r = JSON.parse(line) as { step: string; durationMs: number };
    const family = r.step.replace(/\[.*$/, '');
    steps.set(family, (steps.get(family) ?? 0) + r.durationMs);
  }
  return { ms, rssMb, steps };
});
measured.sort((a, b) => a.ms - b.ms);
const mid = measured[Math.floor(measured.length / 2)]!;

console.log(`whole pipeline from an empty cache, ${respondents.toLocaleString('en')} respondents (wave 2013) — ${cores} cores, Node ${process.versions.node}`);
console.log(`  runs:            ${measured.map((r) => fmt(r.ms)).join(', ')}; median ${fmt(median(measured.map((r) => r.ms)))}`);
console.log(`  peak RSS (MiB):  ${measured.map((r) => (r.rssMb === null ? 'n/a' : r.rssMb.toFixed(0))).join(', ')}`);
console.log(`  steps in the median run (s, summed over branches): ${[...mid.steps].map(([s, ms]) => `${s} ${(ms / 1000).toFixed(2)}`).join(', ')}`);
