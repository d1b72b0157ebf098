/**
 * Incremental waves: with ten waves already cached, what does adding an eleventh cost, against a
 * cold run of a single wave? Works on a copy of the project under bench/.tmp/ whose raw/ holds
 * synthetic waves 2001–2011 (each a differently seeded replica of the paper's panel). Whole-process
 * wall time of the compiled runner; medians of several runs; prints, asserts nothing. Target (2
 * cores): the eleventh wave costs at most 1.5 times the single-wave run.
 */
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { projectCopy } from './_fixtures.js';
import { cores, fmt, median, timeCommand } from './measure.js';

const repo = new URL('..', import.meta.url).pathname;
const work = join(repo, 'bench', '.tmp', 'waves');
const project = join(work, 'project');
const runs = Number(process.env.BENCH_RUNS ?? 3);
const WAVES = Array.from({ length: 11 }, (_, i) => 2001 + i);

function generateWaves() {
  for (const [i, wave] of WAVES.entries()) {
    const out = join(work, 'generated', String(wave));
    if (existsSync(join(out, 'raw', '2013'))) continue;
    timeCommand('node', ['--import', 'tsx', 'tools/synth/cli.ts', '--out', out, '--seed', String(1000 + i), '--waves', '2013'], { cwd: repo });
  }
}

function freshProject() {
  projectCopy(project, (cwd) => timeCommand('node', ['runner/launch.mjs', '--build-only'], { cwd }));
}

const addWave = (wave: number) => cpSync(join(work, 'generated', String(wave), 'raw', '2013'), join(project, 'raw', String(wave)), { recursive: true });
const removeWave = (wave: number) => rmSync(join(project, 'raw', String(wave)), { recursive: true, force: true });
const clearCache = () => {
  for (const name of readdirSync(join(project, 'derived'))) if (name !== '.build') rmSync(join(project, 'derived', name), { recursive: true, force: true });
};
const pipeline = (...args: string[]) => timeCommand('node', ['runner/launch.mjs', ...args], { cwd: project, env: { ...process.env, CI: '1' } });

console.log(`incremental waves benchmark — ${cores} cores, Node ${process.versions.node}, median of ${runs} runs`);
generateWaves();
freshProject();

addWave(WAVES[0]!);
const single = Array.from({ length: runs }, () => (clearCache(), pipeline()));

WAVES.slice(1, 10).forEach(addWave);
pipeline(); // ten waves cached
const eleventh: number[] = [];
for (let i = 0; i < runs; i++) {
  addWave(WAVES[10]!);
  eleventh.push(pipeline());
  removeWave(WAVES[10]!);
  pipeline(); // back to ten waves (render's ten-wave entry is cached)
  pipeline('gc'); // forget the eleventh wave's entries, so the next round computes them again
}
const noop = Array.from({ length: runs }, () => pipeline());

console.log(`cold run, one wave (empty cache)                 ${fmt(median(single))}`);
console.log(`adding an eleventh wave to ten cached waves      ${fmt(median(eleventh))}   ratio ${(median(eleventh) / median(single)).toFixed(2)}`);
console.log(`no-op run with ten waves cached                  ${fmt(median(noop))}`);
