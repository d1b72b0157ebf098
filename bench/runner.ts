/**
 * Runner benchmark: whole-process wall time of a no-op re-run (through npm and through the direct
 * entry point) and of a cold run of the full pipeline, and the runner's own overhead per step.
 * Medians of several runs; prints a table, asserts nothing. Targets (2 cores): no-op via npm < 0.6 s,
 * direct < 0.25 s, overhead < 10 ms per step.
 */
import { mkdirSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cores, fmt, median, timeCommand } from './measure.js';

const repo = new URL('..', import.meta.url).pathname;
const runs = Number(process.env.BENCH_RUNS ?? 7);

function clearCache(root: string) {
  const derived = join(root, 'derived');
  for (const name of (() => { try { return readdirSync(derived); } catch { return []; } })())
    if (name !== '.build') rmSync(join(derived, name), { recursive: true, force: true });
}

console.log(`runner benchmark — ${cores} cores, Node ${process.versions.node}, median of ${runs} runs`);

// The project's own pipeline.
timeCommand('node', ['runner/launch.mjs', '--build-only'], { cwd: repo });
const cold: number[] = [];
for (let i = 0; i < Math.min(runs, 3); i++) {
  clearCache(repo);
  cold.push(timeCommand('node', ['runner/launch.mjs'], { cwd: repo, env: { ...process.env, CI: '1' } }));
}
const direct = Array.from({ length: runs }, () => timeCommand('node', ['runner/launch.mjs'], { cwd: repo }));
const viaNpm = Array.from({ length: runs }, () => timeCommand('npm', ['run', '--silent', 'pipeline'], { cwd: repo }));
const bare = Array.from({ length: runs }, () => timeCommand('node', ['-e', '0']));
console.log(`cold run, full pipeline (empty cache, compiled runner)   ${fmt(median(cold))}  (${Math.min(runs, 3)} runs)`);
console.log(`no-op run, node runner/launch.mjs                        ${fmt(median(direct))}`);
console.log(`no-op run, npm run pipeline                              ${fmt(median(viaNpm))}`);
console.log(`for scale: bare node -e 0                                ${fmt(median(bare))}`);

// Overhead per step: chains of trivial steps, so the time is the runner's own.
const dir = join(repo, 'bench', '.tmp', 'chain');
function chain(n: number) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'steps'), { recursive: true });
  mkdirSync(join(dir, 'raw'), { recursive: true });
  writeFileSync(join(dir, 'raw', 'seed.txt'), '0\n');
  const steps = Array.from({ length: n }, (_, i) =>
    i === 0
      ? `step('s0', { description: 's0', module: 'steps/s.mjs', inputs: { in: raw('raw/seed.txt') }, params: { i: 0 } })`
      : `step('s${i}', { description: 's${i}', module: 'steps/s.mjs', inputs: { in: output('s${i - 1}', 'out.txt') }, params: { i: ${i} } })`,
  );
  writeFileSync(join(dir, 'steps', 's.mjs'), `export default (inputs, params) => ({ 'out.txt': inputs.in[0].text() + params.i + '\\n' });\n`);
  writeFileSync(join(dir, 'pipeline.ts'), `import { definePipeline, step, raw, output } from '${join(repo, 'runner/dag.ts')}';\nexport default definePipeline([\n  ${steps.join(',\n  ')}\n]);\n`);
}
const cli = ['--import', 'tsx', join(repo, 'runner/cli.ts'), '--project', dir];
const measureChain = (n: number) => {
  chain(n);
  const coldMs = median(Array.from({ length: 3 }, () => (clearCache(dir), timeCommand('node', cli, { cwd: repo }))));
  const noopMs = median(Array.from({ length: runs }, () => timeCommand('node', cli, { cwd: repo })));
  return { coldMs, noopMs };
};
const one = measureChain(1);
const many = measureChain(51);
console.log(`chain of 1 step: cold ${fmt(one.coldMs)}, no-op ${fmt(one.noopMs)}; chain of 51: cold ${fmt(many.coldMs)}, no-op ${fmt(many.noopMs)} (tsx entry)`);
console.log(`runner overhead per step, running (51- vs 1-step chain)   ${((many.coldMs - one.coldMs) / 50).toFixed(2)} ms`);
console.log(`runner overhead per step, cached  (51- vs 1-step chain)   ${((many.noopMs - one.noopMs) / 50).toFixed(2)} ms`);
rmSync(dir, { recursive: true, force: true });
