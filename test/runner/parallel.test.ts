import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { statuses, wavesProject, type FixtureProject } from './fixture-project.js';

const test = suite<{ p: FixtureProject; q: FixtureProject }>('parallel');
test.before.each((ctx) => {
  ctx.p = wavesProject();
  ctx.q = wavesProject();
});
test.after.each((ctx) => {
  ctx.p.remove();
  ctx.q.remove();
});

const STEP_MODULE = new URL('../../contract/step.ts', import.meta.url).href;
// Fails on a file holding "bad", naming the file and line: a data error raised inside a worker.
const failingSum = `import { DataError } from '${STEP_MODULE}';
export default (inputs: any) => {
  for (const a of inputs.numbers) if (a.text().includes('bad')) throw new DataError('not a number', { file: a.path, line: 1, value: 'bad' });
  return { 'sum.json': JSON.stringify({ total: inputs.numbers.flatMap((a: any) => a.text().split('\\n').filter(Boolean).map(Number)).reduce((s: number, n: number) => s + n, 0) }) };
};
`;

/** Every file of every cache entry; a manifest without its `run` (times, pid). */
function entries(p: FixtureProject): Record<string, string> {
  const found: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const rel = relative(join(p.dir, 'derived'), path);
      if (statSync(path).isDirectory()) walk(path);
      else if (/^[^/]+\/[0-9a-f]{64}\//.test(rel)) {
        const text = readFileSync(path, 'utf8');
        found[rel] = rel.endsWith('manifest.json') ? JSON.stringify({ ...JSON.parse(text), run: null }) : text;
      }
    }
  };
  walk(join(p.dir, 'derived'));
  return found;
}

const stepsOf = (out: string[]) => out.filter((l) => /^(ran|cached|failed|skipped) /.test(l)).map((l) => l.split(/\s+/)[1]);

test('-j 1 and -j 2 write the same entries and reports, and print the steps in the same order', async ({ p, q }) => {
  const one = await p.cli('run', '-j', '1');
  const two = await q.cli('run', '-j', '2');
  assert.is(two.code, 0, two.err.join('\n'));
  assert.equal(entries(q), entries(p));
  assert.is(q.read('reports/all.txt'), p.read('reports/all.txt'));
  assert.equal(stepsOf(two.out), stepsOf(one.out));
  assert.equal(stepsOf(two.out), ['sum[2013]', 'sum[2014]', 'scale[2013]', 'scale[2014]', 'combine']);
  // The run log follows the same order.
  const logged = (f: FixtureProject) => f.read('derived/runs.ndjson').trim().split('\n').map((l) => JSON.parse(l).step);
  assert.equal(logged(q), logged(p));
  assert.equal(statuses((await q.cli('run', '-j', '2')).out), { 'sum[2013]': 'cached', 'sum[2014]': 'cached', 'scale[2013]': 'cached', 'scale[2014]': 'cached', combine: 'cached' });
});

test('a branch failing in a worker stops its dependants with its data error; --keep-going runs the independent branch', async ({ p }) => {
  p.write('steps/sum.ts', failingSum);
  p.write('raw/2014/a.txt', 'bad\n');
  const r = await p.cli('run', '-j', '2', '--keep-going');
  assert.is(r.code, 1);
  assert.equal(statuses(r.out), { 'sum[2013]': 'ran', 'sum[2014]': 'failed', 'scale[2013]': 'ran', 'scale[2014]': 'skipped', combine: 'skipped' });
  assert.match(r.err.join('\n'), 'pipeline: step "sum[2014]" failed: raw/2014/a.txt:1, value "bad": not a number');
  assert.equal(readdirSync(join(p.dir, 'derived', 'sum')).filter((n) => /^[0-9a-f]{64}$/.test(n)).length, 1, 'an entry for sum[2013] only');
  p.write('raw/2014/a.txt', '5\n');
  const again = await p.cli('run', '-j', '2');
  assert.equal(statuses(again.out), { 'sum[2013]': 'cached', 'sum[2014]': 'ran', 'scale[2013]': 'cached', 'scale[2014]': 'ran', combine: 'ran' });
});

test('without --keep-going a failure starts no further step', async ({ p }) => {
  p.write('steps/sum.ts', failingSum);
  p.write('raw/2013/a.txt', 'bad\n');
  const r = await p.cli('run', '-j', '2');
  assert.is(r.code, 1);
  const s = statuses(r.out);
  assert.is(s['sum[2013]'], 'failed');
  assert.equal([s['scale[2013]'], s.combine], ['skipped', 'skipped']);
  // sum[2014] ran beside it; scale[2014] may have started before the failure, never after it.
  assert.ok(['ran', 'skipped'].includes(s['scale[2014]']!));
  assert.is(r.err[0], 'pipeline: step "sum[2013]" failed: raw/2013/a.txt:1, value "bad": not a number');
});

test('a worker that dies fails the step it ran, and the pool goes on with a new worker', async ({ p }) => {
  p.write('steps/scale.ts', `export default (inputs: any, params: any) => {
  if (inputs.sum[0].json().total > 4) process.exit(3);
  return { 'scaled.txt': String(inputs.sum[0].json().total * params.factor) + ' ' + params.unit };
};
`);
  const r = await p.cli('run', '-j', '2', '--keep-going');
  assert.equal(statuses(r.out), { 'sum[2013]': 'ran', 'sum[2014]': 'ran', 'scale[2013]': 'ran', 'scale[2014]': 'failed', combine: 'skipped' });
  assert.match(r.err.join('\n'), 'the worker running step "scale[2014]" exited (code 3)');
});

test('each failure is given once, below the list: the list names where to look, and --keep-going gives every failed branch', async ({ p }) => {
  p.write('steps/sum.ts', failingSum);
  p.write('raw/2013/a.txt', 'bad\n');
  p.write('raw/2014/a.txt', 'bad again\n');
  const r = await p.cli('run', '-j', '2', '--keep-going');
  const said = [...r.out, ...r.err].join('\n');
  assert.is(said.split('value "bad": not a number').length - 1, 2, said);
  assert.match(r.out.find((l) => l.startsWith('failed  sum[2013]'))!, 'the error is given below the list');
  assert.equal(r.err.filter((l) => l.startsWith('pipeline: ')), [
    'pipeline: step "sum[2013]" failed: raw/2013/a.txt:1, value "bad": not a number',
    'pipeline: step "sum[2014]" failed: raw/2014/a.txt:1, value "bad": not a number',
  ]);
});

test('-j takes a whole number of 1 or more', async ({ p }) => {
  const r = await p.cli('run', '-j', '0');
  assert.equal([r.code, ...r.err], [2, 'pipeline: -j 0: expected a whole number of jobs, 1 or more\n  e.g. run -j 2']);
  assert.not.ok(p.exists('derived/runs.ndjson'));
});

test.run();
