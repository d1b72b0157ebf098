import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { definePipeline, output, raw, step } from '../../runner/dag.js';
import { discoverValues, expandPipeline } from '../../runner/expand.js';
import { DAG_MODULE, fixtureProject, statuses, type FixtureProject } from './fixture-project.js';

/** Per wave: sum the numbers, scale the sum; then one step gathers every wave. */
function wavesProject(): FixtureProject {
  return fixtureProject({
    'pipeline.ts': `import { definePipeline, step, raw, output } from '${DAG_MODULE}';
export default definePipeline([
  step('sum', { description: 'adds', module: 'steps/sum.ts', forEach: ['wave'], inputs: { numbers: raw('raw/{wave}/*.txt') } }),
  step('scale', { description: 'scales', module: 'steps/scale.ts', forEach: ['wave'], inputs: { sum: output('sum', 'sum.json') } }),
  step('combine', { description: 'gathers', module: 'steps/combine.ts', inputs: { scaled: output('scale', 'scaled.txt') }, publish: 'reports' }),
], { wildcards: ['raw/{wave}/*.txt'] });
`,
    'raw/2013/a.txt': '1\n2\n',
    'raw/2014/a.txt': '5\n',
    'steps/sum.ts': `export default (inputs: any) => ({ 'sum.json': JSON.stringify({ total: inputs.numbers.flatMap((a: any) => a.text().split('\\n').filter(Boolean).map(Number)).reduce((s: number, n: number) => s + n, 0) }) });\n`,
    'steps/scale.ts': `export default (inputs: any) => ({ 'scaled.txt': String(inputs.sum[0].json().total * 10) });\n`,
    'steps/combine.ts': `export default (inputs: any) => ({ 'all.txt': inputs.scaled.map((a: any) => a.path + '=' + a.text()).join('\\n') + '\\n' });\n`,
  });
}

const test = suite<{ p: FixtureProject }>('fan-out');
test.before.each((ctx) => {
  ctx.p = wavesProject();
});
test.after.each((ctx) => ctx.p.remove());

test('each wave gets its own branch of the fanned-out steps; the gathering step reads every branch in wave order', async ({ p }) => {
  const r = await p.cli('run');
  assert.is(r.code, 0, r.err.join('\n'));
  assert.equal(statuses(r.out), { 'sum[2013]': 'ran', 'sum[2014]': 'ran', 'scale[2013]': 'ran', 'scale[2014]': 'ran', combine: 'ran' });
  assert.is(p.read('reports/all.txt'), 'scale[2013]:scaled.txt=30\nscale[2014]:scaled.txt=50\n');
});

test('a new wave runs only its own branches and the steps that gather; earlier waves come from the cache', async ({ p }) => {
  await p.cli('run');
  p.write('raw/2015/a.txt', '7\n');
  const plans = JSON.parse((await p.cli('status', '--json')).out.join('\n'));
  assert.equal(plans.map((s: any) => `${s.step}:${s.state}`), ['sum[2013]:up to date', 'sum[2014]:up to date', 'sum[2015]:will run', 'scale[2013]:up to date', 'scale[2014]:up to date', 'scale[2015]:will run', 'combine:waits']);
  const r = await p.cli('run');
  assert.equal(statuses(r.out), { 'sum[2013]': 'cached', 'sum[2014]': 'cached', 'sum[2015]': 'ran', 'scale[2013]': 'cached', 'scale[2014]': 'cached', 'scale[2015]': 'ran', combine: 'ran' });
  assert.is(p.read('reports/all.txt'), 'scale[2013]:scaled.txt=30\nscale[2014]:scaled.txt=50\nscale[2015]:scaled.txt=70\n');
});

test('a changed file in one wave re-runs that wave only; branches share their step folder, each with its LATEST', async ({ p }) => {
  await p.cli('run');
  p.write('raw/2014/a.txt', '6\n');
  const r = await p.cli('run');
  assert.equal(statuses(r.out), { 'sum[2013]': 'cached', 'sum[2014]': 'ran', 'scale[2013]': 'cached', 'scale[2014]': 'ran', combine: 'ran' });
  assert.ok(r.out.some((l) => l.startsWith('ran     sum[2014]') && l.includes('input raw/2014/a.txt changed')));
  const files = readdirSync(join(p.dir, 'derived', 'sum'));
  assert.ok(files.includes('LATEST[2013]') && files.includes('LATEST[2014]'));
});

test('steps are selected by name or branch; lineage and gc work on branches', async ({ p }) => {
  await p.cli('run');
  assert.equal(statuses((await p.cli('run', 'scale', '--force=scale')).out), { 'sum[2013]': 'cached', 'sum[2014]': 'cached', 'scale[2013]': 'ran', 'scale[2014]': 'ran' });
  assert.equal(statuses((await p.cli('run', 'scale[2014]', '--force=scale[2014]')).out), { 'sum[2014]': 'cached', 'scale[2014]': 'ran' });
  const lineage = (await p.cli('explain', 'scale[2014]:scaled.txt')).out.join('\n');
  assert.match(lineage, /raw\/2014\/a\.txt/);
  assert.match(lineage, /entry derived\/scale\/\w{12},/, 'a branch entry lives in its step folder');
  assert.not.match(lineage, /raw\/2013/);
  p.write('raw/2013/a.txt', '9\n');
  await p.cli('run');
  const gc = await p.cli('gc');
  assert.match(gc.out.at(-1)!, /^5 entries kept, 3 removed/, gc.out.join('\n'));
  assert.is((await p.cli('verify')).code, 0);
});

test('a wave removed from raw/ and collected counts as new when it comes back', async ({ p }) => {
  await p.cli('run');
  const { rmSync, mkdirSync, writeFileSync } = await import('node:fs');
  rmSync(join(p.dir, 'raw', '2014'), { recursive: true });
  await p.cli('run');
  await p.cli('gc');
  assert.not.ok(readdirSync(join(p.dir, 'derived', 'sum')).includes('LATEST[2014]'));
  mkdirSync(join(p.dir, 'raw', '2014'));
  writeFileSync(join(p.dir, 'raw', '2014', 'a.txt'), '5\n');
  const r = await p.cli('run');
  assert.ok(r.out.some((l) => /^ran\s+sum\[2014\].*never run/.test(l)), r.out.join('\n'));
});

test('with --keep-last, a wave removed from raw/ keeps its entries and pointers, and is served from the cache when it comes back', async ({ p }) => {
  await p.cli('run');
  const { rmSync, mkdirSync, writeFileSync } = await import('node:fs');
  rmSync(join(p.dir, 'raw', '2014'), { recursive: true });
  await p.cli('run');
  const gc = await p.cli('gc', '--keep-last', '1');
  assert.not.match(gc.out.join('\n'), /\[2014\]/, gc.out.join('\n'));
  assert.ok(readdirSync(join(p.dir, 'derived', 'sum')).includes('LATEST[2014]'));
  const dropped = await p.cli('gc', '--dry-run');
  assert.match(dropped.out.join('\n'), /would remove sum\[2014\]\/\w{12} {2}params \{\} {2}\S+ \S+ {2}made \S+ {2}\(sum\[2014\] is no longer in the pipeline\)/);
  mkdirSync(join(p.dir, 'raw', '2014'));
  writeFileSync(join(p.dir, 'raw', '2014', 'a.txt'), '5\n');
  const r = await p.cli('run');
  assert.equal(statuses(r.out), { 'sum[2013]': 'cached', 'sum[2014]': 'cached', 'scale[2013]': 'cached', 'scale[2014]': 'cached', combine: 'cached' });
});

test('a branch can read the previous wave’s branch; the first wave gets none', async ({ p }) => {
  p.write('steps/diff.ts', `export default (inputs: any) => ({ 'diff.txt': inputs.before.map((a: any) => a.path).join(',') + ' -> ' + inputs.now.map((a: any) => a.path).join(',') });\n`);
  p.write('pipeline.ts', p.read('pipeline.ts').replace(
    "  step('combine'",
    "  step('diff', { description: 'd', module: 'steps/diff.ts', forEach: ['wave'], inputs: { now: output('scale', 'scaled.txt'), before: output('scale', 'scaled.txt', { previous: true }) } }),\n  step('combine'",
  ));
  p.write('raw/2015/a.txt', '1\n');
  const r = await p.cli('run');
  assert.is(r.code, 0, r.err.join('\n'));
  const diffOf = (wave: string) => p.read(`derived/diff/${p.read(`derived/diff/LATEST[${wave}]`).trim()}/diff.txt`);
  assert.is(diffOf('2013'), ' -> scale[2013]:scaled.txt');
  assert.is(diffOf('2014'), 'scale[2013]:scaled.txt -> scale[2014]:scaled.txt');
  assert.is(diffOf('2015'), 'scale[2014]:scaled.txt -> scale[2015]:scaled.txt');
  p.write('raw/2016/a.txt', '2\n');
  const next = await p.cli('run');
  assert.equal(Object.entries(statuses(next.out)).filter(([s, st]) => s.startsWith('diff') && st === 'ran').map(([s]) => s), ['diff[2016]']);
});

test('a per-wave branch reads every area branch of the previous wave', () => {
  const pipeline = definePipeline(
    [
      step('clean', { description: 'c', module: 'steps/c.ts', forEach: ['wave', 'area'], inputs: { raw: raw('raw/{wave}/{area}.csv') } }),
      step('compare', { description: 'd', module: 'steps/d.ts', forEach: ['wave'], inputs: { before: output('clean', 'log.json', { previous: true }), now: output('clean', 'log.json') } }),
    ],
    { wildcards: ['raw/{wave}/{area}.csv'] },
  );
  const files = ['raw/2013/a.csv', 'raw/2013/b.csv', 'raw/2014/a.csv', 'raw/2014/b.csv', 'raw/2015/a.csv'];
  const expanded = expandPipeline(pipeline, () => files);
  const reads = (name: string, input: string) => expanded.steps.find((s) => s.name === name)!.inputs[input]!.map((i) => (i as { step: string }).step);
  assert.equal(reads('compare[2013]', 'before'), []);
  assert.equal(reads('compare[2014]', 'before'), ['clean[2013,a]', 'clean[2013,b]']);
  assert.equal(reads('compare[2015]', 'before'), ['clean[2014,a]', 'clean[2014,b]']);
  assert.equal(reads('compare[2015]', 'now'), ['clean[2015,a]']);
});

test("a wildcard in an output's file name reads the part written for the branch's own value", () => {
  const pipeline = definePipeline(
    [
      step('setup', { description: 's', module: 'steps/s.ts', inputs: { spec: raw('spec.json') } }),
      step('clean', { description: 'c', module: 'steps/c.ts', forEach: ['wave', 'area'], inputs: { raw: raw('raw/{wave}/{area}.csv'), part: output('setup', 'parts/{area}.json'), all: output('setup', 'all.json') } }),
    ],
    { wildcards: ['raw/{wave}/{area}.csv'] },
  );
  const expanded = expandPipeline(pipeline, () => ['raw/2013/a.csv', 'raw/2013/b.csv', 'raw/2014/a.csv']);
  const reads = (name: string, input: string) => expanded.steps.find((s) => s.name === name)!.inputs[input]!.map((i) => `${(i as { step: string }).step}:${(i as { file: string }).file}`);
  assert.equal(reads('clean[2013,a]', 'part'), ['setup:parts/a.json']);
  assert.equal(reads('clean[2013,b]', 'part'), ['setup:parts/b.json']);
  assert.equal(reads('clean[2014,a]', 'all'), ['setup:all.json']);
  assert.throws(
    () => definePipeline([step('setup', { description: 's', module: 'steps/s.ts', inputs: {} }), step('all', { description: 'a', module: 'steps/a.ts', inputs: { part: output('setup', 'parts/{area}.json') } })], { wildcards: ['raw/{wave}/{area}.csv'] }),
    /reads setup:parts\/\{area\}\.json, but does not fan out over "area"/,
  );
});

test('a new value runs only its own branches when each reads its own part of a shared step', async () => {
  const p = fixtureProject({
    'pipeline.ts': `import { definePipeline, step, raw, output } from '${DAG_MODULE}';
export default definePipeline([
  step('setup', { description: 'splits', module: 'steps/setup.ts', inputs: { spec: raw('spec.json') } }),
  step('clean', { description: 'reads its part', module: 'steps/clean.ts', forEach: ['area'], inputs: { raw: raw('raw/{area}.txt'), part: output('setup', 'parts/{area}.json') } }),
], { wildcards: ['raw/{area}.txt'] });
`,
    'spec.json': '{"a": 1, "b": 2}',
    'raw/a.txt': 'x\n',
    'raw/b.txt': 'y\n',
    'steps/setup.ts': `export default (inputs: any) => Object.fromEntries(Object.entries(inputs.spec[0].json()).map(([k, v]) => ['parts/' + k + '.json', JSON.stringify(v)]));\n`,
    'steps/clean.ts': `export default (inputs: any) => ({ 'out.txt': inputs.raw[0].text() + inputs.part[0].text() });\n`,
  });
  try {
    assert.is((await p.cli('run')).code, 0);
    p.write('spec.json', '{"a": 1, "b": 2, "c": 3}');
    p.write('raw/c.txt', 'z\n');
    const r = await p.cli('run');
    assert.is(r.code, 0, r.err.join('\n'));
    assert.equal(statuses(r.out), { setup: 'ran', 'clean[a]': 'cached', 'clean[b]': 'cached', 'clean[c]': 'ran' });
  } finally {
    p.remove();
  }
});

test('the dag lists each fanned-out step with its branches', async ({ p }) => {
  const { out } = await p.cli('dag');
  assert.ok(out.includes(`${''.padEnd(17)}per wave: sum[2013], sum[2014]`), out.join('\n'));
  assert.ok(out.join('\n').split('\n').includes('  sum["sum (per wave)"]'), out.join('\n'));
});

test('wildcard values are found on disk and sorted numerically', () => {
  const files = ['raw/10/a.csv', 'raw/9/a.csv', 'raw/9/b.csv', 'raw/codebooks/x.json'];
  assert.equal(discoverValues('raw/{wave}/*.csv', () => files.filter((f) => f.endsWith('.csv'))), [{ wave: '9' }, { wave: '10' }]);
  assert.equal(discoverValues('raw/{wave}/{area}.csv', () => files), [{ wave: '9', area: 'a' }, { wave: '9', area: 'b' }, { wave: '10', area: 'a' }]);
});

test('a declaration that misuses wildcards is refused with the reason', () => {
  const s = (spec: Partial<Parameters<typeof step>[1]>) => step('clean', { description: 'x', module: 'steps/x.ts', inputs: { raw: raw('raw/{wave}/*.csv') }, ...spec });
  assert.throws(() => definePipeline([s({})], { wildcards: ['raw/{wave}/*.csv'] }), /reads raw\/\{wave\}\/\*\.csv, but does not fan out over "wave"/);
  assert.throws(() => definePipeline([s({ forEach: ['area'] })], { wildcards: ['raw/{wave}/*.csv'] }), /fans out over "area", which no pattern/);
  assert.throws(() => definePipeline([s({ forEach: ['wave'], publish: 'reports' })], { wildcards: ['raw/{wave}/*.csv'] }), /fans out and publishes/);
  assert.ok(definePipeline([s({ forEach: ['wave'] }), step('all', { description: 'y', module: 'steps/y.ts', inputs: { x: output('clean', 'x.csv') } })], { wildcards: ['raw/{wave}/*.csv'] }));
});

test.run();
