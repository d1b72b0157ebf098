import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { arithmeticProject, statuses, type FixtureProject } from './fixture-project.js';

const repo = new URL('../..', import.meta.url).pathname;
const test = suite<{ p: FixtureProject; children: ChildProcess[] }>('faults');
test.before.each((ctx) => {
  ctx.p = arithmeticProject();
  ctx.children = [];
});
test.after.each((ctx) => {
  ctx.children.forEach((c) => c.kill('SIGKILL'));
  ctx.p.remove();
});

/** Runs the CLI in its own process (tsx on the sources), as a user would. */
function spawnCli(p: FixtureProject, ...args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repo, 'runner/cli.ts'), '--project', p.dir, ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function until(condition: () => boolean, what: string, timeoutMs = 20000) {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const slowScale = `export default async function scale(inputs: any, params: { factor: number }) {
  const { total } = inputs.sum[0].json();
  await new Promise((resolve) => setTimeout(resolve, 60000));
  return { 'scaled.csv': 'value\\n' + total * params.factor + '\\n' };
}
`;

test('a run killed mid-step leaves no entry for that step; the next run recovers the lock and finishes', async (ctx) => {
  const { p } = ctx;
  const original = p.read('steps/scale.ts');
  p.write('steps/scale.ts', slowScale);
  const run = spawnCli(p, 'run');
  ctx.children.push(run.child);
  await until(() => /ran\s+sum/.test(run.output()), 'the first step to finish');
  await new Promise((r) => setTimeout(r, 200));
  run.child.kill('SIGKILL');
  await run.exited;
  assert.ok(existsSync(join(p.dir, 'derived/.lock')), 'the killed run left its lock behind');
  const scaleDir = join(p.dir, 'derived/scale');
  assert.equal(existsSync(scaleDir) ? readdirSync(scaleDir).filter((n) => /^[0-9a-f]{64}$/.test(n)) : [], []);

  p.write('steps/scale.ts', original);
  const next = await p.cli('run');
  assert.is(next.code, 0);
  assert.match(next.err.join('\n'), `left by a run that is no longer running (pid ${run.child.pid}`);
  assert.equal(statuses(next.out), { sum: 'cached', scale: 'ran', describe: 'ran' });
  assert.not.ok(existsSync(join(p.dir, 'derived/.lock')), 'the lock is released after the run');
});

test('killed at any moment while writing a large entry, a run never leaves an entry that is later served', async (ctx) => {
  const { p } = ctx;
  // ~40 MB of output makes the write phase long enough to be hit by the kill.
  p.write('steps/scale.ts', `export default function scale(inputs: any, params: { factor: number }) {
  const { total } = inputs.sum[0].json();
  const rows = Array.from({ length: 4_000_000 }, (_, i) => String(i % 10) + String(total).slice(0, 4));
  return { 'scaled.csv': 'value\\n' + total * params.factor + '\\n', 'big.csv': 'x\\n' + rows.join('\\n') + '\\n' };
}
`);
  assert.is((await p.cli('run', 'sum')).code, 0);
  for (const delayMs of [0, 150, 400, 700]) {
    const run = spawnCli(p, 'run', '--force=scale');
    ctx.children.push(run.child);
    await until(() => /cached\s+sum/.test(run.output()), 'the cached first step');
    await new Promise((r) => setTimeout(r, delayMs));
    run.child.kill('SIGKILL');
    await run.exited;
    const verify = await p.cli('verify');
    assert.is(verify.code, 0, `after a kill ${delayMs} ms into the step: ${verify.out.join('\n')}`);
  }
  const final = await p.cli('run');
  assert.is(final.code, 0);
  assert.is(p.read('reports/report.md'), '# Result\n\nThe scaled total is 32.\n');
  assert.is((await p.cli('verify')).code, 0);
});

test('a second run waits for the first, or with --no-wait stops naming the holder', async (ctx) => {
  const { p } = ctx;
  const holder = spawn('sleep', ['30']);
  ctx.children.push(holder);
  mkdirSync(join(p.dir, 'derived'), { recursive: true });
  writeFileSync(join(p.dir, 'derived/.lock'), JSON.stringify({ pid: holder.pid, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', command: 'pipeline run' }));

  const refused = await p.cli('run', '--no-wait');
  assert.is(refused.code, 1);
  assert.match(refused.err.join('\n'), `another pipeline run holds ${join(p.dir, 'derived/.lock')} (pid ${holder.pid} on ${hostname()}, started 2026-01-01T00:00:00.000Z, "pipeline run")`);

  const waiting = p.cli('run');
  await new Promise((r) => setTimeout(r, 300));
  holder.kill('SIGKILL'); // the holder goes away: its lock is now stale and is taken over
  const done = await waiting;
  assert.is(done.code, 0);
  assert.match(done.err.join('\n'), 'waiting for another pipeline run to finish');
  assert.equal(statuses(done.out), { sum: 'ran', scale: 'ran', describe: 'ran' });
});

test('two runs started together are serialised: one computes, the other then finds everything cached', async (ctx) => {
  const { p } = ctx;
  const a = spawnCli(p, 'run');
  const b = spawnCli(p, 'run');
  ctx.children.push(a.child, b.child);
  assert.equal([await a.exited, await b.exited], [0, 0]);
  const outputs = [a.output(), b.output()];
  assert.is(outputs.filter((o) => /ran\s+sum/.test(o)).length, 1, outputs.join('\n----\n'));
  assert.is(outputs.filter((o) => /cached\s+sum/.test(o)).length, 1);
});

test('a lock left half-written by a killed run is recovered', async ({ p }) => {
  mkdirSync(join(p.dir, 'derived'), { recursive: true });
  writeFileSync(join(p.dir, 'derived/.lock'), '');
  const old = new Date(Date.now() - 60000);
  spawnSync('touch', ['-d', old.toISOString(), join(p.dir, 'derived/.lock')]);
  const r = await p.cli('run');
  assert.is(r.code, 0);
  assert.match(r.err.join('\n'), 'left half-written by a run that was killed');
});

test('a failing step exits non-zero naming the step and its error, keeps upstream entries, skips downstream', async ({ p }) => {
  p.write('steps/scale.ts', `import { DataError } from '${new URL('../../contract/step.ts', import.meta.url).href}';
export default function scale() { throw new DataError('not a number', { file: 'raw/b.txt', line: 1, value: 'ten' }); }
`);
  const r = await p.cli('run');
  assert.is(r.code, 1);
  assert.equal(statuses(r.out), { sum: 'ran', scale: 'failed', describe: 'skipped' });
  assert.match(r.err.join('\n'), 'pipeline: step "scale" failed: raw/b.txt:1, value "ten": not a number');
  const record = p.read('derived/runs.ndjson').trim().split('\n').map((l) => JSON.parse(l)).find((x) => x.step === 'scale');
  assert.is(record.status, 'failed');
  assert.match(record.error, 'not a number');
  p.write('steps/scale.ts', `export default (inputs: any) => ({ 'scaled.csv': 'value\\n1\\n' });\n`);
  assert.equal(statuses((await p.cli('run')).out), { sum: 'cached', scale: 'ran', describe: 'ran' });
});

test('a step that is not a function, or returns no outputs, is named in the error', async ({ p }) => {
  p.write('steps/scale.ts', 'export const notDefault = 1;\n');
  assert.match((await p.cli('run')).err.join('\n'), 'steps/scale.ts must default-export the function of step "scale"');
  p.write('steps/scale.ts', 'export default () => null;\n');
  assert.match((await p.cli('run')).err.join('\n'), 'step "scale" failed: the step returned no outputs object');
});

test('a raw glob that matches nothing stops the run with the glob named', async ({ p }) => {
  for (const f of ['a.txt', 'b.txt']) spawnSync('rm', [join(p.dir, 'raw', f)]);
  const r = await p.cli('run');
  assert.is(r.code, 1);
  assert.match(r.err.join('\n'), 'input "numbers" of step "sum" matches no file: raw/*.txt');
});

test.run();
