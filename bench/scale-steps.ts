/**
 * Where memory and time go at scale: each step of the pipeline on the large panel (wave 2013 of
 * `npm run synth -- --respondents N`, default 1,000,000), run alone on its cached inputs
 * (`run <branch> --only <branch> --force=<branch> -j 1`), with GNU time's wall time, CPU time and peak RSS
 * of the whole runner; beside them, a run with everything cached (the runner's own footprint). Uses the
 * project under bench/.tmp/scale-now that bench/comparisons.ts leaves (or makes it with one cold run).
 * One run per step: a rough map, not a comparison. Prints, asserts nothing.
 *
 *   node --import tsx bench/scale-steps.ts [respondents]
 */
import { closeSync, cpSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { projectCopy } from './_fixtures.js';
import { cores, fmt, loadAverage, timeCommand, timeWithRss } from './measure.js';

const respondents = Number(process.argv[2] ?? 1_000_000);
const repo = new URL('..', import.meta.url).pathname;
const tmp = join(repo, 'bench/.tmp');
const panel = join(tmp, `synth-${respondents}`);
const project = join(tmp, 'scale-now');
const env = { ...process.env, CI: '1' };

if (!existsSync(join(panel, 'complete'))) {
  rmSync(panel, { recursive: true, force: true });
  timeCommand('npm', ['run', '--silent', 'synth', '--', '--respondents', String(respondents), '--out', panel, '--waves', '2013'], { cwd: repo });
  closeSync(openSync(join(panel, 'complete'), 'w'));
}
if (!existsSync(join(project, 'derived', 'runs.ndjson'))) {
  projectCopy(project, (cwd) => timeCommand('node', ['runner/launch.mjs', '--build-only'], { cwd }));
  cpSync(join(panel, 'raw', '2013'), join(project, 'raw', '2013'), { recursive: true });
}
// Bring every step up to date (a no-op when bench/comparisons.ts just ran), then read the branches.
timeCommand('node', ['runner/launch.mjs', 'run'], { cwd: project, env });
const cached = timeWithRss('node', ['runner/launch.mjs', 'run'], { cwd: project, env });
const log = readFileSync(join(project, 'derived', 'runs.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { runId: string; step: string; rows: number | null });
const last = log.filter((r) => r.runId === log.at(-1)!.runId);
// Per step, its branch with the most rows (clean and validate run once per export).
const branches = new Map<string, { step: string; rows: number }>();
for (const r of last) {
  const family = r.step.replace(/\[.*$/, '');
  if ((r.rows ?? 0) >= (branches.get(family)?.rows ?? -1)) branches.set(family, { step: r.step, rows: r.rows ?? 0 });
}
console.log(`each step alone at ${respondents.toLocaleString('en')} respondents (wave 2013; clean and validate: the export with most rows) — ${cores} cores, Node ${process.versions.node}, load average ${loadAverage()}`);
console.log(`  ${'everything cached'.padEnd(34)} ${fmt(cached.ms).padStart(9)}   CPU ${fmt(cached.cpuMs ?? NaN).padStart(9)}   peak RSS ${cached.rssMb?.toFixed(0)} MiB`);
for (const { step } of branches.values()) {
  const r = timeWithRss('node', ['runner/launch.mjs', 'run', step, '--only', step, `--force=${step}`, '-j', '1'], { cwd: project, env });
  console.log(`  ${step.padEnd(34)} ${fmt(r.ms).padStart(9)}   CPU ${fmt(r.cpuMs ?? NaN).padStart(9)}   peak RSS ${r.rssMb?.toFixed(0)} MiB`);
}
console.log(`  load average ${loadAverage()} at the end`);
